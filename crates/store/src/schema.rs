//! The SQLite schema: pragmas, the version-1 layout and each forward migration (v2..v12),
//! applied in one write transaction on open.

use super::*;

/// How long a connection waits for another process's lock (a writer's batch, a migration)
/// before giving up with "database is locked".
pub(crate) const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// How long a reader waits for the schema of a store that exists but holds no tables yet
/// (another process has just created it) before calling the file not a store.
pub(crate) const EMPTY_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

pub(crate) fn stored_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// The connection settings. Switching a new file to WAL needs a moment's exclusive lock
/// that SQLite does not always wait for, so a busy answer is retried for as long as a
/// locked write would wait.
pub(crate) fn set_pragmas(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.execute_batch(PRAGMAS_SQL) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// Brings the schema to [`SCHEMA_VERSION`] in one write transaction (`BEGIN IMMEDIATE`):
/// the version is read after the write lock is taken and written before it is released, so
/// two processes opening one new or old store never both migrate it, and one that waited
/// finds the work done. A version once current never goes back, so a current store is
/// opened without taking the lock.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let seen = stored_version(conn)?;
    if seen == SCHEMA_VERSION {
        return Ok(());
    }
    if seen > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: seen,
            known: SCHEMA_VERSION,
        });
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut version = stored_version(&tx)?;
    // Stores from before versioning have the version-1 tables and user_version 0.
    if version == 0 && table_exists(&tx, "articles")? {
        version = 1;
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    for step in MIGRATIONS.iter().skip(version as usize) {
        tx.execute_batch(step)?;
    }
    if version < SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.commit()?;
    Ok(())
}

pub(crate) const PRAGMAS_SQL: &str = r#"
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -32768;
"#;

/// Schema version 1: the first layout (also what stores written before versioning hold).
pub(crate) const SCHEMA_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    published TEXT,
    title TEXT,
    url TEXT,
    source TEXT,
    chars INTEGER NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entities (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT, sector TEXT, code TEXT, title TEXT,
    lat REAL, lon REAL, admin1 TEXT,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
CREATE TABLE IF NOT EXISTS quotes (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    quote_id TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    content TEXT NOT NULL, kind TEXT NOT NULL,
    speaker TEXT, speaker_text TEXT, cue TEXT,
    PRIMARY KEY (article_id, quote_id)
);
CREATE TABLE IF NOT EXISTS events (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    cameo TEXT NOT NULL, root TEXT NOT NULL, quad INTEGER NOT NULL, goldstein REAL NOT NULL,
    plover TEXT NOT NULL, plover_mode TEXT,
    source_code TEXT, source_text TEXT, source_entity TEXT,
    target_code TEXT, target_text TEXT, target_entity TEXT,
    modality TEXT NOT NULL,
    date TEXT, date_text TEXT,
    location TEXT, country TEXT, admin1 TEXT, lat REAL, lon REAL,
    killed INTEGER, wounded INTEGER,
    sentence_start INTEGER NOT NULL, sentence_end INTEGER NOT NULL,
    sentence TEXT NOT NULL,
    PRIMARY KEY (article_id, event_id)
);
CREATE INDEX IF NOT EXISTS events_root ON events(root);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE INDEX IF NOT EXISTS events_source ON events(source_code);
CREATE INDEX IF NOT EXISTS events_target ON events(target_code);
CREATE TABLE IF NOT EXISTS timexes (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL, type TEXT NOT NULL, value TEXT
);
"#;

/// Version 2: how each event was dated and placed, a text hash for spotting re-crawls of
/// one article under a new id, and full-text search (FTS5) over article text and quotes.
/// Existing rows are filled from the stored records. An FTS row shares the rowid of its
/// article or quote, so replacing an article deletes its FTS rows by rowid (a `WHERE` on an
/// unindexed FTS column would scan the whole index on every write).
pub(crate) const MIGRATE_2_SQL: &str = r#"
ALTER TABLE events ADD COLUMN date_basis TEXT;
ALTER TABLE events ADD COLUMN location_precision TEXT;
ALTER TABLE events ADD COLUMN location_basis TEXT;
ALTER TABLE articles ADD COLUMN text_hash TEXT;
CREATE INDEX IF NOT EXISTS articles_url ON articles(url, text_hash);
CREATE INDEX IF NOT EXISTS events_admin1 ON events(admin1);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(article_id UNINDEXED, title, text);
CREATE VIRTUAL TABLE IF NOT EXISTS quotes_fts USING fts5(article_id UNINDEXED, quote_id UNINDEXED, content, speaker);
INSERT INTO articles_fts (rowid, article_id, title, text)
    SELECT rowid, id, title, json_extract(record, '$.text') FROM articles;
INSERT INTO quotes_fts (rowid, article_id, quote_id, content, speaker)
    SELECT rowid, article_id, quote_id, content, speaker_text FROM quotes;
UPDATE events SET
    date_basis = (SELECT json_extract(v.value, '$.date_basis') FROM articles a, json_each(a.record, '$.events') v
                  WHERE a.id = events.article_id AND json_extract(v.value, '$.id') = events.event_id),
    location_precision = (SELECT json_extract(v.value, '$.location.precision') FROM articles a, json_each(a.record, '$.events') v
                  WHERE a.id = events.article_id AND json_extract(v.value, '$.id') = events.event_id),
    location_basis = (SELECT json_extract(v.value, '$.location.basis') FROM articles a, json_each(a.record, '$.events') v
                  WHERE a.id = events.article_id AND json_extract(v.value, '$.id') = events.event_id);
"#;

/// Version 3: cross-article event clusters. Reports of one event in many articles share a
/// `cluster_key`, a column SQLite derives from the event's own columns (so ingest and old
/// rows can never disagree, and nothing has to write it): the same actor pair (codes), the
/// same CAMEO base code, the same place (admin1, else country) and the same day, the way
/// ACLED coders merge reports. Events without a calendar day or without both actors coded
/// are not merged (`NULL`): too little to tell two of them apart ("sanctions against
/// Russia" said by three people on one day are three statements). `mentions` counts the
/// event's mentions inside its own article.
pub(crate) const MIGRATE_3_SQL: &str = r#"
ALTER TABLE events ADD COLUMN mentions INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN cluster_key TEXT GENERATED ALWAYS AS (
    CASE WHEN date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
            AND source_code IS NOT NULL AND target_code IS NOT NULL
        THEN source_code || '|' || target_code || '|' || substr(cameo, 1, 3)
             || '|' || coalesce(admin1, country, '-') || '|' || substr(date, 1, 10)
        ELSE NULL END) VIRTUAL;
CREATE INDEX IF NOT EXISTS events_cluster ON events(cluster_key);
UPDATE events SET mentions = max(1, coalesce((SELECT json_array_length(json_extract(v.value, '$.evidence'))
        FROM articles a, json_each(a.record, '$.events') v
        WHERE a.id = events.article_id AND json_extract(v.value, '$.id') = events.event_id), 1));
"#;

/// Version 4: write speed. The full-text indexes become external-content FTS5 tables that
/// read their text from `articles` (through the `article_texts` view over the stored record)
/// and `quotes`, instead of keeping a second copy of every article and quote; replacing an
/// article removes its index entries with FTS5's `'delete'` command. Timexes get the
/// article index that every other child table has through its primary key. Foreign keys
/// are no longer enforced on write (every child row is written and deleted together with
/// its article, in one transaction, by this module alone): the per-row parent lookup cost
/// more than the rows. Entities, the most numerous rows, live in their primary key
/// (`WITHOUT ROWID`: one B-tree per row instead of two), and the FTS tables keep no
/// per-document sizes (`columnsize=0`; ranking computes them when asked).
pub(crate) const MIGRATE_4_SQL: &str = r#"
DROP TABLE IF EXISTS articles_fts;
DROP TABLE IF EXISTS quotes_fts;
CREATE VIEW IF NOT EXISTS article_texts AS
    SELECT rowid AS rid, id AS article_id, title, json_extract(record, '$.text') AS text FROM articles;
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='article_texts', content_rowid='rid', columnsize=0);
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE quotes_fts USING fts5(content, speaker_text, content='quotes', content_rowid='rowid', columnsize=0);
INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild');
CREATE INDEX IF NOT EXISTS timexes_article ON timexes(article_id);
CREATE TABLE entities_v4 (
    article_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT, sector TEXT, code TEXT, title TEXT,
    lat REAL, lon REAL, admin1 TEXT,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
) WITHOUT ROWID;
INSERT INTO entities_v4 SELECT article_id, entity_id, name, type, country, sector, code, title, lat, lon, admin1, mentions FROM entities;
DROP TABLE entities;
ALTER TABLE entities_v4 RENAME TO entities;
CREATE INDEX IF NOT EXISTS entities_code ON entities(code) WHERE code IS NOT NULL;
"#;

/// Version 5: cluster figures kept, not computed. Each cluster's NumMentions, NumSources,
/// NumArticles and first report live in `clusters`, refreshed for the keys an ingest
/// touches (a handful per article), so an event query joins one row per event instead of
/// grouping every event in the store on every request (seconds at a million events).
pub(crate) const MIGRATE_5_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS clusters (
    key TEXT PRIMARY KEY,
    mentions INTEGER NOT NULL,
    sources INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    first INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR REPLACE INTO clusters
    SELECT x.cluster_key, sum(x.mentions), count(DISTINCT coalesce(y.source, y.id)),
           count(DISTINCT x.article_id), min(x.rowid)
    FROM events x JOIN articles y ON y.id = x.article_id
    WHERE x.cluster_key IS NOT NULL GROUP BY x.cluster_key;
"#;

/// Version 6: indexes for the API's filters at a million events. An actor's country (the
/// first three letters of its code) is a generated column on each side, indexed alone and
/// as a dyad, so "RUS" or "USA -> CHN" is an index lookup whose rows come back in rowid
/// (ingest) order and `LIMIT` stops early; event countries are indexed for place filters.
pub(crate) const MIGRATE_6_SQL: &str = r#"
ALTER TABLE events ADD COLUMN source_country TEXT GENERATED ALWAYS AS (substr(source_code, 1, 3)) VIRTUAL;
ALTER TABLE events ADD COLUMN target_country TEXT GENERATED ALWAYS AS (substr(target_code, 1, 3)) VIRTUAL;
CREATE INDEX IF NOT EXISTS events_dyad ON events(source_country, target_country);
CREATE INDEX IF NOT EXISTS events_target_country ON events(target_country);
CREATE INDEX IF NOT EXISTS events_country ON events(country);
"#;

/// Version 7: indexes whose equal keys come back in rowid order for the common filters
/// (an actor country on the source side alone, a PLOVER type), and CAMEO root with date,
/// so "assaults in March" reads a few thousand index rows instead of the table.
pub(crate) const MIGRATE_7_SQL: &str = r#"
CREATE INDEX IF NOT EXISTS events_source_country ON events(source_country);
CREATE INDEX IF NOT EXISTS events_plover ON events(plover);
DROP INDEX IF EXISTS events_root;
CREATE INDEX IF NOT EXISTS events_root_date ON events(root, date);
"#;

/// Version 8: row totals kept per table, changed by each write transaction, so what the
/// store holds is one row read, not a count of every table.
pub(crate) const MIGRATE_8_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS totals (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR REPLACE INTO totals
    SELECT 'articles', count(*) FROM articles UNION ALL SELECT 'entities', count(*) FROM entities
    UNION ALL SELECT 'quotes', count(*) FROM quotes UNION ALL SELECT 'events', count(*) FROM events;
"#;

/// Version 9: the run log. Each `ingest` (and, on PostgreSQL, `enqueue`) that ran to its
/// end leaves one row: when, what it was given, how many articles it stored and how many
/// inputs it rejected, the rejections grouped by reason (`reasons`: JSON, see [`RunLog`])
/// and its exit code, for `chronicle status`. A killed run leaves none.
pub(crate) const MIGRATE_9_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    inputs TEXT NOT NULL,
    articles INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    exit_code INTEGER NOT NULL
);
"#;

/// Version 10: each event's confidence (0-1, see `chronicle_events::confidence`), for
/// the `min_confidence` filter. Events stored before it have none (NULL): they were never
/// scored, and a confidence filter leaves them out rather than guess.
pub(crate) const MIGRATE_10_SQL: &str = r#"
ALTER TABLE events ADD COLUMN confidence REAL;
"#;

/// Version 11: who reported each event (`events[].reporter` of the record: the subject of
/// the speech verb governing a reported or claimed event), in columns shaped as
/// `source_*`. Events stored before it have none (NULL): their records carry no reporter
/// to backfill from.
pub(crate) const MIGRATE_11_SQL: &str = r#"
ALTER TABLE events ADD COLUMN reporter_code TEXT;
ALTER TABLE events ADD COLUMN reporter_text TEXT;
ALTER TABLE events ADD COLUMN reporter_entity TEXT;
"#;

/// Recomputes one cluster's row from its events (none left: no row).
pub(crate) const REFRESH_CLUSTER_SQL: &str = "INSERT OR REPLACE INTO clusters
    SELECT x.cluster_key, sum(x.mentions), count(DISTINCT coalesce(y.source, y.id)),
           count(DISTINCT x.article_id), min(x.rowid)
    FROM events x JOIN articles y ON y.id = x.article_id
    WHERE x.cluster_key = ?1 GROUP BY x.cluster_key";

/// Adds one article's reports to a cluster (or starts it): ?1 key, ?2 the article's
/// mentions in it, ?3 its first report's rowid, ?4 the article id, ?5 its outlet (or id,
/// as in the refresh). The outlet counts only if no other article in the cluster has it.
pub(crate) const ADD_TO_CLUSTER_SQL: &str = "INSERT INTO clusters (key, mentions, sources, articles, first)
    VALUES (?1, ?2, 1, 1, ?3)
    ON CONFLICT (key) DO UPDATE SET
        mentions = mentions + ?2,
        articles = articles + 1,
        first = min(first, ?3),
        sources = sources + NOT EXISTS (
            SELECT 1 FROM events x JOIN articles y ON y.id = x.article_id
            WHERE x.cluster_key = ?1 AND x.article_id <> ?4 AND coalesce(y.source, y.id) = ?5)";

/// The migrations, in order: entry `i` brings a store from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    SCHEMA_SQL,
    MIGRATE_2_SQL,
    MIGRATE_3_SQL,
    MIGRATE_4_SQL,
    MIGRATE_5_SQL,
    MIGRATE_6_SQL,
    MIGRATE_7_SQL,
    MIGRATE_8_SQL,
    MIGRATE_9_SQL,
    MIGRATE_10_SQL,
    MIGRATE_11_SQL,
    crate::watch::MIGRATE_12_SQL,
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;
