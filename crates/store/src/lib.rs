//! Chronicle's embedded store: each article's contract [`Record`] kept whole (so export and
//! `show` give back exactly what `extract` printed) plus typed tables of entities, quotes,
//! events and time expressions for querying.
//!
//! **Re-ingesting an article replaces its rows in one transaction**: the same id, or the
//! same URL with the same text (a re-crawl under a new id), never gives two versions, and a
//! crash mid-write leaves the previous version intact.
//!
//! The schema is versioned (`PRAGMA user_version`) and migrated forward on open, in one
//! write transaction that reads and sets the version under SQLite's write lock, so a store
//! written by an older binary keeps working and processes opening one store at once never
//! migrate it twice. Readers ([`Store::open_reader`]) never create a store.

mod actors;
mod filter;
mod views;

pub use actors::{code_label, group_actors, ActorName, ActorTotal, ACTOR_NAMES};

pub use filter::{
    modality_allowed, parse_bbox, parse_confidence, parse_count, plover_allowed, FilterError, BBOX_ALLOWED,
    BOOL_ALLOWED, CAMEO_ALLOWED, COUNT_ALLOWED, DATE_ALLOWED,
};
pub use views::{
    network_of, places_of, Aggregate, ArticleRef, ArticleRow, EventFact, Network, NetworkEdge, NetworkNode,
    PlaceRow, QuadCounts, EVENT_FACT_COLUMNS, PLACE_ARTICLES,
};

use chronicle_record::Record;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored record {id} is unreadable: {source}")]
    Corrupt { id: String, source: serde_json::Error },
    #[error("cannot serialise record {id}: {source}")]
    Serialise { id: String, source: serde_json::Error },
    #[error("{0}")]
    View(String),
    #[error("the store has schema version {found}; this chronicle knows up to {known} (upgrade chronicle)")]
    TooNew { found: u32, known: u32 },
    #[error("{path}: no such store (run `chronicle ingest --db {path} ...` first)")]
    Missing { path: String },
    #[error("{path}: not a Chronicle store (the file holds no tables)")]
    Empty { path: String },
}

impl StoreError {
    /// The error with the store's path named, for errors that arose while opening it.
    fn at(self, path: &Path) -> StoreError {
        match self {
            StoreError::Sql(source) => StoreError::Open {
                path: path.display().to_string(),
                source,
            },
            other => other,
        }
    }

    /// True when the query was stopped through an [`Interrupt`] (a time limit), not failed.
    pub fn is_interrupted(&self) -> bool {
        matches!(self, StoreError::Sql(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::OperationInterrupted)
    }
}

fn table_exists(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// FNV-1a over the text: a stable fingerprint (std's hasher may change between Rust
/// releases, and the value is stored).
pub fn text_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// How long a connection waits for another process's lock (a writer's batch, a migration)
/// before giving up with "database is locked".
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// How long a reader waits for the schema of a store that exists but holds no tables yet
/// (another process has just created it) before calling the file not a store.
const EMPTY_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

fn stored_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// The connection settings. Switching a new file to WAL needs a moment's exclusive lock
/// that SQLite does not always wait for, so a busy answer is retried for as long as a
/// locked write would wait.
fn set_pragmas(conn: &Connection) -> rusqlite::Result<()> {
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
fn migrate(conn: &mut Connection) -> Result<()> {
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

const PRAGMAS_SQL: &str = r#"
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -32768;
"#;

/// Schema version 1: the first layout (also what stores written before versioning hold).
const SCHEMA_SQL: &str = r#"
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
const MIGRATE_2_SQL: &str = r#"
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
const MIGRATE_3_SQL: &str = r#"
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
const MIGRATE_4_SQL: &str = r#"
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
const MIGRATE_5_SQL: &str = r#"
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
const MIGRATE_6_SQL: &str = r#"
ALTER TABLE events ADD COLUMN source_country TEXT GENERATED ALWAYS AS (substr(source_code, 1, 3)) VIRTUAL;
ALTER TABLE events ADD COLUMN target_country TEXT GENERATED ALWAYS AS (substr(target_code, 1, 3)) VIRTUAL;
CREATE INDEX IF NOT EXISTS events_dyad ON events(source_country, target_country);
CREATE INDEX IF NOT EXISTS events_target_country ON events(target_country);
CREATE INDEX IF NOT EXISTS events_country ON events(country);
"#;

/// Version 7: indexes whose equal keys come back in rowid order for the common filters
/// (an actor country on the source side alone, a PLOVER type), and CAMEO root with date,
/// so "assaults in March" reads a few thousand index rows instead of the table.
const MIGRATE_7_SQL: &str = r#"
CREATE INDEX IF NOT EXISTS events_source_country ON events(source_country);
CREATE INDEX IF NOT EXISTS events_plover ON events(plover);
DROP INDEX IF EXISTS events_root;
CREATE INDEX IF NOT EXISTS events_root_date ON events(root, date);
"#;

/// Version 8: row totals kept per table, changed by each write transaction, so what the
/// store holds is one row read, not a count of every table.
const MIGRATE_8_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS totals (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR REPLACE INTO totals
    SELECT 'articles', count(*) FROM articles UNION ALL SELECT 'entities', count(*) FROM entities
    UNION ALL SELECT 'quotes', count(*) FROM quotes UNION ALL SELECT 'events', count(*) FROM events;
"#;

/// Version 9: the run log. Each `ingest` (and, on PostgreSQL, `enqueue`) that ran to its
/// end leaves one row: when, what it was given, how many articles it stored and how many
/// inputs it rejected, the rejections grouped by reason (`reasons`: JSON, see [`RunLog`])
/// and its exit code, for `chronicle status`. A killed run leaves none.
const MIGRATE_9_SQL: &str = r#"
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
const MIGRATE_10_SQL: &str = r#"
ALTER TABLE events ADD COLUMN confidence REAL;
"#;

/// Version 11: who reported each event (`events[].reporter` of the record: the subject of
/// the speech verb governing a reported or claimed event), in columns shaped as
/// `source_*`. Events stored before it have none (NULL): their records carry no reporter
/// to backfill from.
const MIGRATE_11_SQL: &str = r#"
ALTER TABLE events ADD COLUMN reporter_code TEXT;
ALTER TABLE events ADD COLUMN reporter_text TEXT;
ALTER TABLE events ADD COLUMN reporter_entity TEXT;
"#;

/// Recomputes one cluster's row from its events (none left: no row).
const REFRESH_CLUSTER_SQL: &str = "INSERT OR REPLACE INTO clusters
    SELECT x.cluster_key, sum(x.mentions), count(DISTINCT coalesce(y.source, y.id)),
           count(DISTINCT x.article_id), min(x.rowid)
    FROM events x JOIN articles y ON y.id = x.article_id
    WHERE x.cluster_key = ?1 GROUP BY x.cluster_key";

/// Adds one article's reports to a cluster (or starts it): ?1 key, ?2 the article's
/// mentions in it, ?3 its first report's rowid, ?4 the article id, ?5 its outlet (or id,
/// as in the refresh). The outlet counts only if no other article in the cluster has it.
const ADD_TO_CLUSTER_SQL: &str = "INSERT INTO clusters (key, mentions, sources, articles, first)
    VALUES (?1, ?2, 1, 1, ?3)
    ON CONFLICT (key) DO UPDATE SET
        mentions = mentions + ?2,
        articles = articles + 1,
        first = min(first, ?3),
        sources = sources + NOT EXISTS (
            SELECT 1 FROM events x JOIN articles y ON y.id = x.article_id
            WHERE x.cluster_key = ?1 AND x.article_id <> ?4 AND coalesce(y.source, y.id) = ?5)";

/// The migrations, in order: entry `i` brings a store from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
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
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Counts of what the store holds, for summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Counts {
    pub articles: u64,
    pub entities: u64,
    pub quotes: u64,
    pub events: u64,
}

/// One reason inputs were rejected for in a run: how many, and where the first few were
/// (`file.jsonl:17`).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct RunReason {
    /// The reason with its particulars (numbers, quoted text) taken out, so alike
    /// rejections group.
    pub reason: String,
    pub count: u64,
    /// Origins of the first rejections for this reason (at most [`RUN_EXAMPLES`]).
    pub examples: Vec<String>,
}

/// Example origins kept per reason in a [`RunLog`].
pub const RUN_EXAMPLES: usize = 20;

/// Reasons kept per [`RunLog`] (the most frequent; `rejected` still counts them all).
pub const RUN_REASONS: usize = 50;

/// One finished run of a command that reads inputs into the store (`ingest`, `enqueue`),
/// as [`RecordStore::record_run`] keeps it and [`RecordStore::recent_runs`] gives it back.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct RunLog {
    /// The store's number for the run (ignored by `record_run`, which assigns it).
    pub id: i64,
    /// `ingest`, `enqueue`, ...
    pub command: String,
    /// RFC 3339, UTC.
    pub started: String,
    pub finished: String,
    /// The inputs as given on the command line, joined with spaces (`-`: stdin).
    pub inputs: String,
    /// Articles stored (`ingest`) or queued (`enqueue`).
    pub articles: u64,
    /// Inputs rejected (each reported on stderr with its origin during the run).
    pub rejected: u64,
    /// The rejections grouped by reason, most frequent first.
    pub reasons: Vec<RunReason>,
    /// The command's exit code (0 all read, 1 some rejected).
    pub exit_code: i32,
}

impl RunLog {
    /// `reasons` as the store keeps them: a JSON array of [`RunReason`], the most frequent
    /// [`RUN_REASONS`] with at most [`RUN_EXAMPLES`] origins each.
    pub fn reasons_json(&self) -> String {
        let mut kept: Vec<RunReason> = self.reasons.clone();
        kept.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
        kept.truncate(RUN_REASONS);
        for r in &mut kept {
            r.examples.truncate(RUN_EXAMPLES);
        }
        serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into())
    }

    /// Reads back [`RunLog::reasons_json`]; a value that is not (written by hand, or by a
    /// later binary) reads as one reason saying so, never as an error: the run log is for
    /// people, and `status` must not fail on it.
    pub fn parse_reasons(json: &str) -> Vec<RunReason> {
        serde_json::from_str(json).unwrap_or_else(|e| {
            vec![RunReason {
                reason: format!("(unreadable reasons in the run log: {e})"),
                count: 0,
                examples: Vec::new(),
            }]
        })
    }
}

/// Filters for [`Store::events`]; every field narrows, `None` means any.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Either side: an actor code (all capitals: "RUS" is the country, any sector;
    /// "RUSGOV" that code), else a name substring ("Putin").
    pub actor: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    /// CAMEO root or code prefix ("12", "127").
    pub cameo: Option<String>,
    /// PLOVER event type ("ASSAULT"), any case.
    pub plover: Option<String>,
    /// A contract modality ("reported"), any case.
    pub modality: Option<String>,
    /// Inclusive ISO date bounds on the event date (`YYYY-MM-DD`, or `YYYY-MM` / `YYYY`
    /// for a whole month / year). [`EventFilter::validate`] checks every field.
    pub since: Option<String>,
    pub until: Option<String>,
    pub article: Option<String>,
    /// Place: an ISO3 country code ("UKR"), else a substring of the place or region name
    /// ("Pokrovsk", "Donetsk").
    pub place: Option<String>,
    /// Events placed inside `[west, south, east, north]` (degrees).
    pub bbox: Option<[f64; 4]>,
    pub limit: Option<u64>,
    /// One row per cluster (its earliest report) instead of one per report.
    pub clustered: bool,
    /// Rows to skip (pagination, with `limit`).
    pub offset: Option<u64>,
    /// Only events whose confidence is at least this (0-1); unscored events are left out.
    pub min_confidence: Option<f64>,
}

/// One event row joined with its article, for tables, CSV and GDELT export.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EventRow {
    /// This report's number in the store (GDELT's GlobalEventID of a mention row; stable
    /// until the article is re-ingested).
    pub global_id: i64,
    /// The number of the event this report belongs to: its cluster's first report, or the
    /// report itself when it merges with nothing (GDELT's GlobalEventID of the event).
    pub event_global_id: i64,
    /// The outlet that published the article.
    pub source: Option<String>,
    pub article_id: String,
    pub event_id: String,
    pub published: Option<String>,
    pub url: Option<String>,
    pub cameo: String,
    pub root: String,
    pub quad: i64,
    pub goldstein: f64,
    pub plover: String,
    pub plover_mode: Option<String>,
    pub source_code: Option<String>,
    pub source_text: Option<String>,
    pub target_code: Option<String>,
    pub target_text: Option<String>,
    pub modality: String,
    pub date: Option<String>,
    pub location: Option<String>,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub killed: Option<i64>,
    pub wounded: Option<i64>,
    pub sentence: String,
    /// Reports of the same event across the store (its cluster, see `MIGRATE_3_SQL`):
    /// mentions in all articles, distinct sources (outlets), distinct articles. An event
    /// that merges with nothing counts its own.
    pub num_mentions: i64,
    pub num_sources: i64,
    pub num_articles: i64,
    /// The cluster this event belongs to (`None`: not mergeable, its own event).
    pub cluster: Option<String>,
    /// How far to trust the event, 0-1 (`None`: stored before confidence was computed).
    pub confidence: Option<f64>,
    /// Who reported the event (a reported or claimed event's speech-verb subject): its
    /// actor code and the text naming it; `None` when the article asserts the event.
    pub reporter_code: Option<String>,
    pub reporter_text: Option<String>,
    /// When its article was stored (`YYYY-MM-DDTHH:MM:SSZ`, UTC): the last date an export
    /// that needs one can give an event whose article states none.
    pub ingested: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct QuoteFilter {
    /// Speaker name substring.
    pub speaker: Option<String>,
    /// Content substring.
    pub text: Option<String>,
    pub article: Option<String>,
    pub limit: Option<u64>,
    /// Rows to skip first (in the same order), for paging.
    pub offset: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QuoteRow {
    pub article_id: String,
    pub quote_id: String,
    pub published: Option<String>,
    pub kind: String,
    pub speaker: Option<String>,
    pub cue: Option<String>,
    pub content: String,
}

/// One actor code aggregated over the store ([`group_actors`] says how it is named).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ActorRow {
    /// The code in words ("Russia (government)"), else its most mentioned name.
    pub name: String,
    pub code: Option<String>,
    /// The most mentioned title among the code's entities.
    pub title: Option<String>,
    pub articles: i64,
    pub mentions: i64,
    /// The names the articles used for this code, most mentioned first (at most
    /// [`ACTOR_NAMES`]).
    pub names: Vec<String>,
}

pub struct Store {
    conn: Connection,
}

/// Stops a [`Store`]'s running query from another thread ([`Store::interrupt_handle`]).
pub struct Interrupt(rusqlite::InterruptHandle);

impl Interrupt {
    /// Interrupts the statement running now, if any (a no-op once none runs).
    pub fn interrupt(&self) {
        self.0.interrupt();
    }
}

/// What the store writes besides the record's own fields, computed from the record alone.
struct Serialised {
    json: String,
    hash: String,
    chars: i64,
}

impl Serialised {
    fn of(r: &Record) -> Result<Serialised> {
        Ok(Serialised {
            json: serde_json::to_string(r).map_err(|source| StoreError::Serialise {
                id: r.id.clone(),
                source,
            })?,
            hash: text_hash(&r.text),
            chars: r.text.chars().count() as i64,
        })
    }
}

/// `LIMIT`/`OFFSET` for a page. SQLite takes integers up to `i64::MAX` there (a larger
/// literal is a real and an error), so larger values are clamped: no table is that long.
fn page_clause(limit: Option<u64>, offset: Option<u64>) -> String {
    let clamp = |n: u64| n.min(i64::MAX as u64);
    match (limit.map(clamp), offset.map(clamp)) {
        (Some(l), Some(o)) => format!(" LIMIT {l} OFFSET {o}"),
        (Some(l), None) => format!(" LIMIT {l}"),
        (None, Some(o)) => format!(" LIMIT -1 OFFSET {o}"),
        (None, None) => String::new(),
    }
}

/// A boxed error from any store backend.
pub type AnyError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What every store backend does, SQLite ([`Store`]) and PostgreSQL
/// (`chronicle_pgstore::PgStore`), with the same meaning: write records (replacing earlier
/// versions, keeping cluster figures), read them back, count, and select events with an
/// [`EventFilter`] (rows and cluster figures equal between backends; the GDELT numbers and
/// the order are each store's own: storing order).
pub trait RecordStore {
    fn put_batch(&mut self, batch: &[Prepared]) -> std::result::Result<usize, AnyError>;
    fn record(&mut self, id: &str) -> std::result::Result<Option<Record>, AnyError>;
    fn article_ids(&mut self) -> std::result::Result<Vec<String>, AnyError>;
    fn each_record(&mut self, f: &mut dyn FnMut(Record)) -> std::result::Result<(), AnyError>;
    fn totals(&mut self) -> std::result::Result<Counts, AnyError>;
    fn select_events(&mut self, f: &EventFilter) -> std::result::Result<Vec<EventRow>, AnyError>;
    /// The API's other reads (see the [`Store`] methods of the same meaning).
    fn select_quotes(&mut self, f: &QuoteFilter) -> std::result::Result<Vec<QuoteRow>, AnyError>;
    fn select_actors(
        &mut self,
        name: Option<&str>,
        limit: Option<u64>,
    ) -> std::result::Result<Vec<ActorRow>, AnyError>;
    /// Full-text search: (id, title, snippet with hits in `[` `]`), best first. The query
    /// language is the backend's (SQLite FTS5; PostgreSQL `websearch_to_tsquery`).
    fn search_text(
        &mut self,
        q: &str,
        limit: u64,
    ) -> std::result::Result<Vec<(String, Option<String>, String)>, AnyError>;
    fn list_articles(&mut self, limit: u64, offset: u64) -> std::result::Result<Vec<ArticleRow>, AnyError>;
    fn event_network(
        &mut self,
        f: &EventFilter,
        limit: u64,
        offset: u64,
    ) -> std::result::Result<Network, AnyError>;
    fn event_places(
        &mut self,
        f: &EventFilter,
        limit: u64,
        offset: u64,
    ) -> std::result::Result<Aggregate<PlaceRow>, AnyError>;
    /// Keeps one finished run in the run log; returns the number the store gave it.
    fn record_run(&mut self, run: &RunLog) -> std::result::Result<i64, AnyError>;
    /// The latest `limit` runs, newest first.
    fn recent_runs(&mut self, limit: u64) -> std::result::Result<Vec<RunLog>, AnyError>;
}

impl RecordStore for Store {
    fn put_batch(&mut self, batch: &[Prepared]) -> std::result::Result<usize, AnyError> {
        Ok(self.put_prepared(batch.iter())?)
    }
    fn record(&mut self, id: &str) -> std::result::Result<Option<Record>, AnyError> {
        Ok(self.get(id)?)
    }
    fn article_ids(&mut self) -> std::result::Result<Vec<String>, AnyError> {
        Ok(self.ids()?)
    }
    fn each_record(&mut self, f: &mut dyn FnMut(Record)) -> std::result::Result<(), AnyError> {
        Ok(self.for_each_record(f)?)
    }
    fn totals(&mut self) -> std::result::Result<Counts, AnyError> {
        Ok(self.counts()?)
    }
    fn select_events(&mut self, f: &EventFilter) -> std::result::Result<Vec<EventRow>, AnyError> {
        Ok(self.events(f)?)
    }
    fn select_quotes(&mut self, f: &QuoteFilter) -> std::result::Result<Vec<QuoteRow>, AnyError> {
        Ok(self.quotes(f)?)
    }
    fn select_actors(
        &mut self,
        name: Option<&str>,
        limit: Option<u64>,
    ) -> std::result::Result<Vec<ActorRow>, AnyError> {
        Ok(self.actors(name, limit)?)
    }
    fn search_text(
        &mut self,
        q: &str,
        limit: u64,
    ) -> std::result::Result<Vec<(String, Option<String>, String)>, AnyError> {
        Ok(self.search(q, limit)?)
    }
    fn list_articles(&mut self, limit: u64, offset: u64) -> std::result::Result<Vec<ArticleRow>, AnyError> {
        Ok(self.article_list(limit, offset)?)
    }
    fn event_network(
        &mut self,
        f: &EventFilter,
        limit: u64,
        offset: u64,
    ) -> std::result::Result<Network, AnyError> {
        Ok(self.network(f, limit, offset)?)
    }
    fn event_places(
        &mut self,
        f: &EventFilter,
        limit: u64,
        offset: u64,
    ) -> std::result::Result<Aggregate<PlaceRow>, AnyError> {
        Ok(self.places(f, limit, offset)?)
    }
    fn record_run(&mut self, run: &RunLog) -> std::result::Result<i64, AnyError> {
        Ok(self.add_run(run)?)
    }
    fn recent_runs(&mut self, limit: u64) -> std::result::Result<Vec<RunLog>, AnyError> {
        Ok(self.runs(limit)?)
    }
}

/// A record made ready for [`Store::put_prepared`] on any thread.
pub struct Prepared {
    record: Record,
    serialised: Serialised,
}

impl Prepared {
    pub fn new(record: Record) -> Result<Prepared> {
        let serialised = Serialised::of(&record)?;
        Ok(Prepared { record, serialised })
    }

    pub fn record(&self) -> &Record {
        &self.record
    }

    /// The record as the store keeps it (contract JSON).
    pub fn json(&self) -> &str {
        &self.serialised.json
    }

    /// The text's fingerprint ([`text_hash`]), for spotting re-crawls under a new id.
    pub fn text_hash(&self) -> &str {
        &self.serialised.hash
    }

    /// The text's length in code points.
    pub fn chars(&self) -> i64 {
        self.serialised.chars
    }
}

impl Store {
    /// Opens (creating if needed) a SQLite store at `path`, for writing. Any number of
    /// processes may do this at once on one new file: the schema is created or migrated
    /// under SQLite's write lock, with the version read and written in that transaction.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        Self::init(conn).map_err(|e| e.at(path))
    }

    /// Opens the existing store at `path` for reading only; never creates one (a mistyped
    /// `--db` is an error, not a new empty store). A store another process is creating is
    /// waited for; one an older binary wrote is migrated first, under the same write lock a
    /// writer's migration takes, so a reader and writers never migrate twice. Read
    /// connections cannot write by mistake; SQLite in WAL mode serves them while one writer
    /// ingests.
    pub fn open_reader(path: &Path) -> Result<Store> {
        if !path.is_file() {
            return Err(StoreError::Missing {
                path: path.display().to_string(),
            });
        }
        Self::read_only(path).map_err(|e| e.at(path))
    }

    /// [`Store::open_reader`] on a file that exists; SQL errors come back bare, for the
    /// caller to name the path once.
    fn read_only(path: &Path) -> Result<Store> {
        use rusqlite::OpenFlags;
        let open = |flags: OpenFlags| -> Result<Connection> {
            let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            Ok(conn)
        };
        let conn = open(OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        // A new file whose creator has not committed its schema yet reads as version 0 with
        // no tables: wait a little for the creator (its schema is one short transaction),
        // then call it what it is.
        let deadline = std::time::Instant::now() + EMPTY_WAIT;
        let version = loop {
            let version = stored_version(&conn)?;
            if version > 0 || table_exists(&conn, "articles")? {
                break version;
            }
            if std::time::Instant::now() >= deadline {
                return Err(StoreError::Empty {
                    path: path.display().to_string(),
                });
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        };
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        let conn = if version < SCHEMA_VERSION {
            drop(conn);
            // Read-write but never create: the file exists and holds a Chronicle schema.
            migrate(&mut open(OpenFlags::SQLITE_OPEN_READ_WRITE)?)?;
            open(OpenFlags::SQLITE_OPEN_READ_ONLY)?
        } else {
            conn
        };
        conn.execute_batch("PRAGMA cache_size = -16384; PRAGMA query_only = ON;")?;
        Ok(Store { conn })
    }

    /// Runs `f` on this thread's read connection to `path`, opened on first use and kept
    /// (a server thread answers thousands of requests; opening per request cost more than
    /// the queries). A failed query drops the connection so the next call starts afresh.
    pub fn with_reader<T>(path: &Path, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        use std::cell::RefCell;
        use std::collections::HashMap;
        thread_local! {
            static READERS: RefCell<HashMap<std::path::PathBuf, Store>> = RefCell::new(HashMap::new());
        }
        let mut store = match READERS.with(|r| r.borrow_mut().remove(path)) {
            Some(s) => s,
            None => Store::open_reader(path)?,
        };
        let out = f(&mut store);
        if out.is_ok() {
            READERS.with(|r| r.borrow_mut().insert(path.to_path_buf(), store));
        }
        out
    }

    /// A handle that stops this store's running query from another thread (the query
    /// then fails with an "interrupted" error); the server uses it to end a query that ran
    /// past its time limit instead of leaving it to hold a core.
    pub fn interrupt_handle(&self) -> Interrupt {
        Interrupt(self.conn.get_interrupt_handle())
    }

    /// An in-memory store, for tests and dry runs.
    pub fn memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        set_pragmas(&conn)?;
        migrate(&mut conn)?;
        Ok(Store { conn })
    }

    /// The schema version of the open store (after migration: [`SCHEMA_VERSION`]).
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Articles whose title or text match an FTS5 query ("Peskov AND ceasefire",
    /// "\"peace plan\"", "Zaporizh*"), best match first: (id, title, snippet).
    pub fn search(&self, query: &str, limit: u64) -> Result<Vec<(String, Option<String>, String)>> {
        let mut st = self.conn.prepare(
            "SELECT a.id, a.title, snippet(articles_fts, 1, '[', ']', ' … ', 12)
             FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
             WHERE articles_fts MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let rows = st
            .query_map(params![query, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Runs `f`'s writes in one transaction, with the row totals it changed applied before
    /// the commit. The transaction takes the write lock at its start (`BEGIN IMMEDIATE`): a
    /// deferred one that read first could not upgrade once another process had committed
    /// (SQLite answers "database is locked" at once, without waiting), so two `ingest`s
    /// into one file would fail instead of taking turns.
    fn write(&mut self, f: impl FnOnce(&Transaction<'_>, &mut Totals) -> Result<usize>) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut totals = Totals::default();
        let n = f(&tx, &mut totals)?;
        totals.apply(&tx)?;
        tx.commit()?;
        Ok(n)
    }

    /// Stores records in one transaction, replacing earlier versions of the same ids.
    pub fn put_all<'a>(&mut self, records: impl IntoIterator<Item = &'a Record>) -> Result<usize> {
        self.write(|tx, totals| {
            let mut n = 0;
            for r in records {
                put_in(tx, r, &Serialised::of(r)?, totals)?;
                n += 1;
            }
            Ok(n)
        })
    }

    /// [`Store::put_all`] for records serialised beforehand (on the threads that extracted
    /// them: serialising is a tenth of the writer's work, and the writer is one thread).
    pub fn put_prepared<'a>(&mut self, records: impl IntoIterator<Item = &'a Prepared>) -> Result<usize> {
        self.write(|tx, totals| {
            let mut n = 0;
            for p in records {
                put_in(tx, &p.record, &p.serialised, totals)?;
                n += 1;
            }
            Ok(n)
        })
    }

    pub fn put(&mut self, record: &Record) -> Result<()> {
        self.put_all(std::iter::once(record)).map(|_| ())
    }

    /// The stored record of one article, exactly as extracted.
    pub fn get(&self, id: &str) -> Result<Option<Record>> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT record FROM articles WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        json.map(|j| {
            serde_json::from_str(&j).map_err(|source| StoreError::Corrupt {
                id: id.into(),
                source,
            })
        })
        .transpose()
    }

    /// Article ids in ingest order.
    pub fn ids(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare("SELECT id FROM articles ORDER BY rowid")?;
        let ids = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// Calls `f` with every stored record in ingest order, streaming (the store may be
    /// larger than memory).
    pub fn for_each_record(&self, mut f: impl FnMut(Record)) -> Result<()> {
        let mut st = self
            .conn
            .prepare("SELECT id, record FROM articles ORDER BY rowid")?;
        let mut rows = st.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let json: String = row.get(1)?;
            let rec = serde_json::from_str(&json).map_err(|source| StoreError::Corrupt { id, source })?;
            f(rec);
        }
        Ok(())
    }

    /// What the store holds, from the kept totals (a `COUNT(*)` reads a whole table:
    /// seconds at a million events, and every UI page asks).
    pub fn counts(&self) -> Result<Counts> {
        let c = |t: &str| -> Result<u64> {
            let n: Option<i64> = self
                .conn
                .query_row("SELECT n FROM totals WHERE name = ?1", [t], |r| r.get(0))
                .optional()?;
            Ok(n.unwrap_or(0).max(0) as u64)
        };
        Ok(Counts {
            articles: c("articles")?,
            entities: c("entities")?,
            quotes: c("quotes")?,
            events: c("events")?,
        })
    }

    pub fn events(&self, f: &EventFilter) -> Result<Vec<EventRow>> {
        let head = "SELECT e.article_id, e.event_id, a.published, a.url, e.cameo, e.root, e.quad, e.goldstein,
                    e.plover, e.plover_mode, e.source_code, e.source_text, e.target_code, e.target_text,
                    e.modality, e.date, e.location, e.country, e.admin1, e.lat, e.lon, e.killed, e.wounded,
                    e.sentence,
                    coalesce(c.mentions, e.mentions), coalesce(c.sources, 1), coalesce(c.articles, 1), e.cluster_key,
                    e.rowid, coalesce(c.first, e.rowid), a.source, a.ingested_at, e.confidence,
                    e.reporter_code, e.reporter_text
             FROM events e JOIN articles a ON a.id = e.article_id
             LEFT JOIN clusters c ON c.key = e.cluster_key
             WHERE e.rowid IN (";
        let (inner, args) = event_selection(f);
        let sql = format!("{head}{inner}) ORDER BY e.rowid");
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok(EventRow {
                    article_id: r.get(0)?,
                    event_id: r.get(1)?,
                    published: r.get(2)?,
                    url: r.get(3)?,
                    cameo: r.get(4)?,
                    root: r.get(5)?,
                    quad: r.get(6)?,
                    goldstein: r.get(7)?,
                    plover: r.get(8)?,
                    plover_mode: r.get(9)?,
                    source_code: r.get(10)?,
                    source_text: r.get(11)?,
                    target_code: r.get(12)?,
                    target_text: r.get(13)?,
                    modality: r.get(14)?,
                    date: r.get(15)?,
                    location: r.get(16)?,
                    country: r.get(17)?,
                    admin1: r.get(18)?,
                    lat: r.get(19)?,
                    lon: r.get(20)?,
                    killed: r.get(21)?,
                    wounded: r.get(22)?,
                    sentence: r.get(23)?,
                    num_mentions: r.get(24)?,
                    num_sources: r.get(25)?,
                    num_articles: r.get(26)?,
                    cluster: r.get(27)?,
                    global_id: r.get(28)?,
                    event_global_id: r.get(29)?,
                    source: r.get(30)?,
                    ingested: r.get(31)?,
                    confidence: r.get(32)?,
                    reporter_code: r.get(33)?,
                    reporter_text: r.get(34)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn quotes(&self, f: &QuoteFilter) -> Result<Vec<QuoteRow>> {
        let mut sql = String::from(
            "SELECT q.article_id, q.quote_id, a.published, q.kind, q.speaker_text, q.cue, q.content
             FROM quotes q JOIN articles a ON a.id = q.article_id WHERE 1=1",
        );
        let mut args: Vec<String> = Vec::new();
        if let Some(s) = &f.speaker {
            args.push(format!("%{s}%"));
            sql.push_str(&format!(" AND q.speaker_text LIKE ?{}", args.len()));
        }
        if let Some(t) = &f.text {
            args.push(format!("%{t}%"));
            sql.push_str(&format!(" AND q.content LIKE ?{}", args.len()));
        }
        if let Some(a) = &f.article {
            args.push(a.clone());
            sql.push_str(&format!(" AND q.article_id = ?{}", args.len()));
        }
        sql.push_str(" ORDER BY a.rowid, q.start");
        sql.push_str(&page_clause(f.limit, f.offset));
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok(QuoteRow {
                    article_id: r.get(0)?,
                    quote_id: r.get(1)?,
                    published: r.get(2)?,
                    kind: r.get(3)?,
                    speaker: r.get(4)?,
                    cue: r.get(5)?,
                    content: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Keeps one finished run in the run log (see [`RunLog`]); returns its id.
    pub fn add_run(&mut self, run: &RunLog) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO runs (command, started, finished, inputs, articles, rejected, reasons, exit_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                run.command,
                run.started,
                run.finished,
                run.inputs,
                run.articles.min(i64::MAX as u64) as i64,
                run.rejected.min(i64::MAX as u64) as i64,
                run.reasons_json(),
                run.exit_code
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The latest `limit` runs of the run log, newest first.
    pub fn runs(&self, limit: u64) -> Result<Vec<RunLog>> {
        let mut st = self.conn.prepare(
            "SELECT id, command, started, finished, inputs, articles, rejected, reasons, exit_code
             FROM runs ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = st
            .query_map([limit.min(i64::MAX as u64) as i64], |r| {
                Ok(RunLog {
                    id: r.get(0)?,
                    command: r.get(1)?,
                    started: r.get(2)?,
                    finished: r.get(3)?,
                    inputs: r.get(4)?,
                    articles: r.get::<_, i64>(5)?.max(0) as u64,
                    rejected: r.get::<_, i64>(6)?.max(0) as u64,
                    reasons: RunLog::parse_reasons(&r.get::<_, String>(7)?),
                    exit_code: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Actors (entities with an actor code) aggregated by code, most mentioned first; `name`
    /// keeps the codes any of whose names (or the code itself) contain it. See
    /// [`group_actors`] for how each code is named.
    pub fn actors(&self, name: Option<&str>, limit: Option<u64>) -> Result<Vec<ActorRow>> {
        let pattern = name.map(|n| format!("%{n}%"));
        let keep = if pattern.is_some() {
            " AND code IN (SELECT code FROM entities WHERE code IS NOT NULL AND (name LIKE ?1 OR code LIKE ?1))"
        } else {
            ""
        };
        let args: Vec<&String> = pattern.iter().collect();
        let mut sql = format!(
            "SELECT code, COUNT(DISTINCT article_id), SUM(mentions) FROM entities
             WHERE code IS NOT NULL{keep} GROUP BY code ORDER BY SUM(mentions) DESC, code"
        );
        if let Some(l) = limit {
            sql.push_str(&format!(" LIMIT {l}"));
        }
        let mut st = self.conn.prepare(&sql)?;
        let totals = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok(ActorTotal {
                    code: r.get(0)?,
                    articles: r.get(1)?,
                    mentions: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let codes = serde_json::to_string(&totals.iter().map(|t| &t.code).collect::<Vec<_>>())
            .map_err(|e| StoreError::View(e.to_string()))?;
        let mut st = self.conn.prepare(
            "SELECT code, name, type, title, SUM(mentions) FROM entities
             WHERE code IN (SELECT value FROM json_each(?1))
             GROUP BY code, name, type, title",
        )?;
        let names = st
            .query_map([codes], |r| {
                Ok(ActorName {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    kind: r.get(2)?,
                    title: r.get(3)?,
                    mentions: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(group_actors(totals, names))
    }
}

/// The SQL a store speaks, for [`event_selection_for`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    /// `$N` parameters, `id` for SQLite's rowid, `ILIKE` for SQLite's ASCII
    /// case-insensitive `LIKE`, `LIMIT ALL`.
    Postgres,
}

/// [`event_selection`] in `dialect`: the query text (its parameters all bound as text)
/// and the values, in order. Every backend selects with the same filters this way, so a
/// filter means the same on SQLite and PostgreSQL.
pub fn event_selection_for(f: &EventFilter, dialect: Dialect) -> (String, Vec<String>) {
    let (sql, args) = event_selection(f);
    match dialect {
        Dialect::Sqlite => (sql, args),
        Dialect::Postgres => {
            let mut out = String::with_capacity(sql.len() + 16);
            let mut chars = sql.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '?' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                    out.push('$');
                } else {
                    out.push(c);
                }
            }
            let out = out
                .replace("rowid", "id")
                .replace(" LIKE ", " ILIKE ")
                .replace("LIMIT -1", "LIMIT ALL");
            (out, args)
        }
    }
}

/// The rowids of the events `f` selects, in ingest order, paged by its `limit` and
/// `offset`: a query on the events table alone (and its bound values), for
/// [`Store::events`] to join and for the aggregate views to read.
fn event_selection(f: &EventFilter) -> (String, Vec<String>) {
    // The filters, each `AND ...`, on `events e` alone.
    let mut sql = String::new();
    let mut args: Vec<String> = Vec::new();
    // Appends `clause` with its one `?` bound to `v`.
    fn add(sql: &mut String, clause: &str, v: String, args: &mut Vec<String>) {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    }
    let mut either_side = None;
    if let Some(a) = &f.actor {
        match actor_code(a) {
            Some(code) => {
                either_side = Some((
                    side_condition("source", code, &mut args),
                    side_condition("target", code, &mut args),
                ));
            }
            None => {
                add(
                    &mut sql,
                    " AND (e.source_text LIKE ? ",
                    format!("%{a}%"),
                    &mut args,
                );
                add(&mut sql, " OR e.target_text LIKE ?)", format!("%{a}%"), &mut args);
            }
        }
    }
    for (side, value) in [("source", &f.source), ("target", &f.target)] {
        let Some(v) = value else { continue };
        match actor_code(v) {
            Some(code) => {
                let cond = side_condition(side, code, &mut args);
                sql.push_str(&format!(" AND {cond}"));
            }
            None => add(
                &mut sql,
                &format!(" AND e.{side}_text LIKE ?"),
                format!("%{v}%"),
                &mut args,
            ),
        }
    }
    if let Some([west, south, east, north]) = f.bbox {
        for (clause, v) in [
            // Bound as text like every value here, read as a number in the query.
            (" AND e.lon >= CAST(CAST(? AS TEXT) AS REAL)", west),
            (" AND e.lat >= CAST(CAST(? AS TEXT) AS REAL)", south),
            (" AND e.lon <= CAST(CAST(? AS TEXT) AS REAL)", east),
            (" AND e.lat <= CAST(CAST(? AS TEXT) AS REAL)", north),
        ] {
            add(&mut sql, clause, v.to_string(), &mut args);
        }
    }
    if let Some(c) = &f.cameo {
        // A root ("19") is a column of its own, indexed with the date; a longer code a
        // prefix range, which an index can serve where `LIKE` cannot.
        if c.len() == 2 {
            add(&mut sql, " AND e.root = ?", c.clone(), &mut args);
        } else {
            add(&mut sql, " AND e.cameo >= ?", c.clone(), &mut args);
            add(&mut sql, " AND e.cameo < ?", format!("{c}~"), &mut args);
        }
    }
    if let Some(p) = &f.plover {
        add(&mut sql, " AND e.plover = ?", p.to_uppercase(), &mut args);
    }
    if let Some(m) = &f.modality {
        // Stored lower case, as the contract writes it; a filter may capitalise.
        add(&mut sql, " AND e.modality = ?", m.to_lowercase(), &mut args);
    }
    if let Some(s) = &f.since {
        add(&mut sql, " AND e.date >= ?", s.clone(), &mut args);
    }
    if let Some(u) = &f.until {
        // Every date starting with `u` sorts before `u` + '~' ("2025-12-31T..",
        // "2025-12"), and a coarser one ("2025") too, as an index range.
        add(&mut sql, " AND e.date < ?", format!("{u}~"), &mut args);
    }
    if let Some(a) = &f.article {
        add(&mut sql, " AND e.article_id = ?", a.clone(), &mut args);
    }
    if let Some(c) = f.min_confidence {
        // Bound as text like every value here, read as a number in the query.
        add(
            &mut sql,
            " AND e.confidence >= CAST(CAST(? AS TEXT) AS DOUBLE PRECISION)",
            c.to_string(),
            &mut args,
        );
    }
    if let Some(p) = &f.place {
        if p.len() == 3 && p.bytes().all(|b| b.is_ascii_uppercase()) {
            add(&mut sql, " AND e.country = ?", p.clone(), &mut args);
        } else {
            add(&mut sql, " AND (e.location LIKE ? ", format!("%{p}%"), &mut args);
            add(&mut sql, " OR e.admin1 LIKE ?)", format!("%{p}%"), &mut args);
        }
    }
    if f.clustered {
        // The first report stored stands for its cluster.
        sql.push_str(
                " AND (e.cluster_key IS NULL OR e.rowid = (SELECT first FROM clusters WHERE key = e.cluster_key))",
            );
    }
    // The page is chosen on the events table alone (skipped rows are never joined), and
    // then joined. Events are written right after their article, so rowid order is
    // ingest order, an order the table itself gives: `LIMIT` stops early, no sort.
    let page = page_clause(f.limit, f.offset);
    let inner = match either_side {
        // An actor on either side: each side's index gives its matches in rowid order;
        // the first `limit + offset` of each, merged, hold the page (a union of all
        // matches first would build a set of every event the actor is in).
        Some((s_cond, t_cond)) => {
            let first = f
                .limit
                .map(|l| {
                    format!(
                        " LIMIT {}",
                        l.saturating_add(f.offset.unwrap_or(0)).min(i64::MAX as u64)
                    )
                })
                .unwrap_or_default();
            format!(
                    "SELECT r FROM (SELECT e.rowid AS r FROM events e WHERE {s_cond}{sql} ORDER BY e.rowid{first}) AS s
                     UNION SELECT r FROM (SELECT e.rowid AS r FROM events e WHERE {t_cond}{sql} ORDER BY e.rowid{first}) AS t
                     ORDER BY r{page}"
                )
        }
        None => format!("SELECT e.rowid FROM events e WHERE 1=1{sql} ORDER BY e.rowid{page}"),
    };
    (inner, args)
}

/// An actor filter that is a CAMEO code (three or more capitals), else `None` (a name).
/// Three letters name a country (any sector), six or more one code exactly ("RUSGOV"),
/// four or five a code prefix.
fn actor_code(v: &str) -> Option<&str> {
    (v.len() >= 3 && v.bytes().all(|b| b.is_ascii_uppercase())).then_some(v)
}

/// The indexed condition for actor `code` on one side of an event (`source`/`target`):
/// a country (3 letters) by its generated column, a longer code as a prefix range.
fn side_condition(side: &str, code: &str, args: &mut Vec<String>) -> String {
    if code.len() == 3 {
        args.push(code.to_string());
        format!("{side}_country = ?{}", args.len())
    } else if code.len() >= 6 {
        // A whole code (country + sector): equality, whose index rows come in rowid order.
        args.push(code.to_string());
        format!("{side}_code = ?{}", args.len())
    } else {
        args.push(code.to_string());
        args.push(format!("{code}~"));
        format!(
            "({side}_code >= ?{} AND {side}_code < ?{})",
            args.len() - 1,
            args.len()
        )
    }
}

/// The cluster keys of one article's events.
fn cluster_keys(tx: &Transaction<'_>, id: &str, keys: &mut Vec<String>) -> Result<()> {
    let mut st = tx.prepare_cached(
        "SELECT DISTINCT cluster_key FROM events WHERE article_id = ?1 AND cluster_key IS NOT NULL",
    )?;
    for k in st.query_map([id], |r| r.get(0))? {
        keys.push(k?);
    }
    Ok(())
}

/// Deletes an article and its rows, adding the cluster keys it leaves to `keys`.
/// Rows a transaction adds (or removes) per table, applied to `totals` once at its end.
#[derive(Default)]
struct Totals {
    articles: i64,
    entities: i64,
    quotes: i64,
    events: i64,
}

impl Totals {
    fn apply(&self, tx: &Transaction<'_>) -> Result<()> {
        let mut st = tx.prepare_cached("UPDATE totals SET n = n + ?2 WHERE name = ?1")?;
        for (name, n) in [
            ("articles", self.articles),
            ("entities", self.entities),
            ("quotes", self.quotes),
            ("events", self.events),
        ] {
            if n != 0 {
                st.execute(params![name, n])?;
            }
        }
        Ok(())
    }
}

fn delete_article(tx: &Transaction<'_>, id: &str, keys: &mut Vec<String>, totals: &mut Totals) -> Result<()> {
    let row: Option<(i64, Option<String>, Option<String>)> = tx
        .prepare_cached("SELECT rid, title, text FROM article_texts WHERE article_id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    // Nothing to replace (the common case): no statement touches the full-text indexes,
    // since each FTS5 statement with a savepoint flushes the pending index to disk as a new
    // segment, which made every article a segment to merge.
    let Some((rid, title, text)) = row else {
        return Ok(());
    };
    cluster_keys(tx, id, keys)?;
    // External-content FTS rows are removed by repeating the indexed values, one row per
    // statement, before the rows they come from go.
    tx.prepare_cached(
        "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?1, ?2, ?3)",
    )?
    .execute(params![rid, title, text])?;
    let quotes: Vec<(i64, String, Option<String>)> = tx
        .prepare_cached("SELECT rowid, content, speaker_text FROM quotes WHERE article_id = ?1")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut qf = tx.prepare_cached(
        "INSERT INTO quotes_fts (quotes_fts, rowid, content, speaker_text) VALUES ('delete', ?1, ?2, ?3)",
    )?;
    for (rowid, content, speaker) in quotes {
        qf.execute(params![rowid, content, speaker])?;
    }
    for table in ["entities", "quotes", "events", "timexes", "articles"] {
        let key = if table == "articles" { "id" } else { "article_id" };
        let gone = tx
            .prepare_cached(&format!("DELETE FROM {table} WHERE {key} = ?1"))?
            .execute([id])? as i64;
        match table {
            "entities" => totals.entities -= gone,
            "quotes" => totals.quotes -= gone,
            "events" => totals.events -= gone,
            "articles" => totals.articles -= gone,
            _ => {}
        }
    }
    Ok(())
}

fn put_in(tx: &Transaction<'_>, r: &Record, ser: &Serialised, totals: &mut Totals) -> Result<()> {
    let hash = &ser.hash;
    let mut keys = Vec::new();
    delete_article(tx, &r.id, &mut keys, totals)?;
    totals.articles += 1;
    totals.entities += r.entities.len() as i64;
    totals.quotes += r.quotes.len() as i64;
    totals.events += r.events.len() as i64;
    // The same page crawled again under another id (same URL, same text) replaces it too.
    if let Some(url) = &r.url {
        let others: Vec<String> = {
            let mut st = tx.prepare_cached("SELECT id FROM articles WHERE url = ?1 AND text_hash = ?2")?;
            let ids = st
                .query_map(params![url, hash], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            ids
        };
        for id in others {
            delete_article(tx, &id, &mut keys, totals)?;
        }
    }
    tx.prepare_cached(
        "INSERT INTO articles (id, published, title, url, source, chars, record, text_hash)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
    )?
    .execute(params![
        r.id,
        r.published,
        r.title,
        r.url,
        r.source,
        ser.chars,
        ser.json,
        hash
    ])?;
    let article_row = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?
        .execute(params![article_row, r.title, r.text])?;
    let mut ent = tx.prepare_cached(
        "INSERT INTO entities (article_id, entity_id, name, type, country, sector, code, title, lat, lon, admin1, mentions)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    )?;
    for e in &r.entities {
        let a = e.actor.as_ref();
        ent.execute(params![
            r.id,
            e.id,
            e.name,
            e.kind,
            a.and_then(|a| a.country.as_deref()),
            a.and_then(|a| a.sector.as_deref()),
            a.and_then(|a| a.code.as_deref()),
            e.title,
            e.geo.as_ref().map(|g| g.lat),
            e.geo.as_ref().map(|g| g.lon),
            e.geo.as_ref().and_then(|g| g.admin1.as_deref()),
            e.mentions.len() as i64,
        ])?;
    }
    let mut q = tx.prepare_cached(
        "INSERT INTO quotes (article_id, quote_id, start, end, content, kind, speaker, speaker_text, cue)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    )?;
    let mut qf =
        tx.prepare_cached("INSERT INTO quotes_fts (rowid, content, speaker_text) VALUES (?1, ?2, ?3)")?;
    for x in &r.quotes {
        q.execute(params![
            r.id,
            x.id,
            x.start,
            x.end,
            x.content,
            x.kind,
            x.speaker,
            x.speaker_text,
            x.cue
        ])?;
        let quote_row = tx.last_insert_rowid();
        qf.execute(params![quote_row, x.content, x.speaker_text])?;
    }
    let mut ev = tx.prepare_cached(
        "INSERT INTO events (article_id, event_id, cameo, root, quad, goldstein, plover, plover_mode,
            source_code, source_text, source_entity, target_code, target_text, target_entity, modality,
            date, date_text, location, country, admin1, lat, lon, killed, wounded,
            sentence_start, sentence_end, sentence, date_basis, location_precision, location_basis, mentions,
            confidence, reporter_code, reporter_text, reporter_entity)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30,?31,?32,?33,?34,?35)",
    )?;
    for e in &r.events {
        let sentence: String = r
            .text
            .chars()
            .skip(e.sentence[0] as usize)
            .take(e.sentence[1].saturating_sub(e.sentence[0]) as usize)
            .collect();
        let loc = e.location.as_ref();
        ev.execute(params![
            r.id,
            e.id,
            e.cameo,
            e.root,
            e.quad,
            e.goldstein as f64,
            e.plover.kind,
            e.plover.mode,
            e.source.as_ref().and_then(|p| p.code.as_deref()),
            e.source.as_ref().map(|p| p.text.as_str()),
            e.source.as_ref().and_then(|p| p.entity.as_deref()),
            e.target.as_ref().and_then(|p| p.code.as_deref()),
            e.target.as_ref().map(|p| p.text.as_str()),
            e.target.as_ref().and_then(|p| p.entity.as_deref()),
            e.modality,
            e.date,
            e.date_text,
            loc.map(|l| l.name.as_str()),
            loc.and_then(|l| l.country.as_deref()),
            loc.and_then(|l| l.admin1.as_deref()),
            loc.map(|l| l.lat),
            loc.map(|l| l.lon),
            e.killed,
            e.wounded,
            e.sentence[0],
            e.sentence[1],
            sentence,
            e.date_basis,
            loc.and_then(|l| l.precision.as_deref()),
            loc.and_then(|l| l.basis.as_deref()),
            e.evidence.len().max(1) as i64,
            e.confidence.map(|c| (f64::from(c) * 100.0).round() / 100.0),
            e.reporter.as_ref().and_then(|p| p.code.as_deref()),
            e.reporter.as_ref().map(|p| p.text.as_str()),
            e.reporter.as_ref().and_then(|p| p.entity.as_deref()),
        ])?;
    }
    let mut t = tx.prepare_cached(
        "INSERT INTO timexes (article_id, start, end, text, type, value) VALUES (?1,?2,?3,?4,?5,?6)",
    )?;
    for x in &r.timexes {
        t.execute(params![r.id, x.start, x.end, x.text, x.kind, x.value])?;
    }
    // Clusters the replaced versions were in are recounted from their events (rare: a
    // re-ingest); the new article's own clusters grow by its contribution, so a report
    // joining a cluster of a thousand costs the same as one starting a cluster.
    keys.sort_unstable();
    keys.dedup();
    let mut gone = tx.prepare_cached("DELETE FROM clusters WHERE key = ?1")?;
    let mut refresh = tx.prepare_cached(REFRESH_CLUSTER_SQL)?;
    if !r.events.is_empty() {
        let mine: Vec<(String, i64, i64)> = tx
            .prepare_cached(
                "SELECT cluster_key, sum(mentions), min(rowid) FROM events
                 WHERE article_id = ?1 AND cluster_key IS NOT NULL GROUP BY cluster_key",
            )?
            .query_map([&r.id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut grow = tx.prepare_cached(ADD_TO_CLUSTER_SQL)?;
        for (key, mentions, first) in mine {
            if keys.binary_search(&key).is_err() {
                grow.execute(params![
                    key,
                    mentions,
                    first,
                    r.id,
                    r.source.as_deref().unwrap_or(&r.id)
                ])?;
            }
        }
    }
    for k in &keys {
        gone.execute([k])?;
        refresh.execute([k])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, url: Option<&str>, text: &str) -> Record {
        let j = serde_json::json!({
            "schema": 1, "id": id, "published": "2025-12-03", "title": "Talks", "url": url, "source": "s",
            "meta": {}, "text": text,
            "sentences": [[0, 24]], "paragraphs": [[0, 35]], "entities": [],
            "quotes": [{"id": "q1", "start": 0, "end": 5, "content": "Putin", "kind": "direct",
                        "speaker": null, "speaker_text": "Dmitry Peskov", "cue": "said", "cue_span": [0, 1]}],
            "events": [{"id": "v1", "cameo": "120", "root": "12", "quad": 3, "goldstein": -4.0,
                        "plover": {"type": "REJECT", "mode": null}, "source": null, "target": null,
                        "sentence": [0, 24], "trigger": [6, 14], "modality": "asserted",
                        "date": "2025-12-03", "date_text": null, "date_basis": "publication",
                        "location": {"entity": "e1", "name": "Pisky", "country": "UKR", "admin1": "Donetsk Oblast",
                                     "lat": 48.1, "lon": 37.6, "precision": "near town", "basis": "clause"},
                        "killed": null, "wounded": null, "victims": null}],
            "timexes": [], "diagnostics": []
        });
        serde_json::from_value(j).expect("test record matches the contract types")
    }

    /// The record's reporter object (shaped as `source`/`target`), built by hand: the
    /// events stage decides reporters, the store only has to keep them.
    fn kyiv() -> chronicle_record::ParticipantOut {
        serde_json::from_value(serde_json::json!({
            "entity": "e2", "code": "UKRGOV", "text": "Kyiv", "span": [0, 4]
        }))
        .expect("a participant")
    }

    #[test]
    fn an_event_reporter_round_trips() {
        let mut s = Store::memory().expect("store");
        let mut a = record("a", None, "Putin rejected the plan near Pisky.");
        a.events[0].modality = "reported".into();
        a.events[0].reporter = Some(kyiv());
        let asserted = record("b", None, "Putin rejected the plan near Pisky.");
        s.put_all([&a, &asserted]).expect("put");
        // The whole record keeps the object; the events table its columns.
        let back = s.get("a").expect("get").expect("stored");
        assert_eq!(back.events[0].reporter, Some(kyiv()));
        assert_eq!(s.get("b").expect("get").expect("stored").events[0].reporter, None);
        let rows = s.events(&EventFilter::default()).expect("events");
        let got: Vec<(Option<&str>, Option<&str>)> = rows
            .iter()
            .map(|r| (r.reporter_code.as_deref(), r.reporter_text.as_deref()))
            .collect();
        assert_eq!(got, [(Some("UKRGOV"), Some("Kyiv")), (None, None)]);
        let entity: Option<String> = s
            .conn
            .query_row(
                "SELECT reporter_entity FROM events WHERE article_id = 'a'",
                [],
                |r| r.get(0),
            )
            .expect("row");
        assert_eq!(entity.as_deref(), Some("e2"));
    }

    #[test]
    fn a_version_10_store_gains_reporter_columns() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("v10.db");
        {
            let mut conn = Connection::open(&path).expect("open");
            conn.execute_batch(PRAGMAS_SQL).expect("pragmas");
            for (i, step) in MIGRATIONS.iter().enumerate().take(10) {
                let tx = conn.transaction().expect("tx");
                tx.execute_batch(step).expect("step");
                tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))
                    .expect("version");
                tx.commit().expect("commit");
            }
            // An event stored by a version-10 binary: no reporter columns.
            conn.execute(
                "INSERT INTO articles (id, chars, record) VALUES ('old', 1, '{}')",
                [],
            )
            .expect("article");
            conn.execute(
                "INSERT INTO events (article_id, event_id, cameo, root, quad, goldstein, plover, modality,
                    sentence_start, sentence_end, sentence)
                 VALUES ('old', 'v1', '120', '12', 3, -4.0, 'REJECT', 'reported', 0, 1, 'x')",
                [],
            )
            .expect("event");
        }
        let mut s = Store::open(&path).expect("migrated");
        assert_eq!(s.schema_version().expect("version"), SCHEMA_VERSION);
        let mut a = record("a", None, "Putin rejected the plan near Pisky.");
        a.events[0].reporter = Some(kyiv());
        s.put_all([&a]).expect("put");
        let got: Vec<(String, Option<String>)> = s
            .events(&EventFilter::default())
            .expect("events")
            .into_iter()
            .map(|r| (r.article_id, r.reporter_code))
            .collect();
        assert_eq!(
            got,
            [
                ("old".to_string(), None),
                ("a".to_string(), Some("UKRGOV".to_string()))
            ]
        );
    }

    #[test]
    fn event_confidence_round_trips_and_filters() {
        let mut s = Store::memory().expect("store");
        let mut a = record("a", None, "Putin rejected the plan near Pisky.");
        a.events[0].confidence = Some(0.73);
        let mut b = record("b", None, "Putin rejected the plan near Pisky.");
        b.events[0].confidence = Some(0.3);
        let unscored = record("c", None, "Putin rejected the plan near Pisky.");
        s.put_all([&a, &b, &unscored]).expect("put");
        // The record keeps it exactly, the events table to two decimals.
        let back = s.get("a").expect("get").expect("stored");
        assert_eq!(back.events[0].confidence, Some(0.73));
        let rows = s.events(&EventFilter::default()).expect("events");
        let got: Vec<Option<f64>> = rows.iter().map(|r| r.confidence).collect();
        assert_eq!(got, [Some(0.73), Some(0.3), None]);
        let at = |c: f64| -> Vec<String> {
            s.events(&EventFilter {
                min_confidence: Some(c),
                ..Default::default()
            })
            .expect("filtered")
            .into_iter()
            .map(|r| r.article_id)
            .collect()
        };
        assert_eq!(at(0.5), ["a"]);
        assert_eq!(at(0.73), ["a"], "the bound is inclusive");
        assert_eq!(
            at(0.0),
            ["a", "b"],
            "unscored events never pass a confidence filter"
        );
    }

    #[test]
    fn a_version_1_store_is_migrated_and_its_rows_backfilled() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("old.db");
        let r = record("a", None, "Putin rejected the plan near Pisky.");
        {
            // What a binary from before versioning wrote: version-1 tables, user_version 0.
            let conn = Connection::open(&path).expect("open");
            conn.execute_batch(PRAGMAS_SQL).expect("pragmas");
            conn.execute_batch(SCHEMA_SQL).expect("v1 schema");
            let json = serde_json::to_string(&r).expect("json");
            conn.execute(
                "INSERT INTO articles (id, published, title, url, source, chars, record) VALUES ('a', '2025-12-03', 'Talks', NULL, 's', 35, ?1)",
                [json],
            )
            .expect("article");
            conn.execute(
                "INSERT INTO events (article_id, event_id, cameo, root, quad, goldstein, plover, modality, sentence_start, sentence_end, sentence)
                 VALUES ('a', 'v1', '120', '12', 3, -4.0, 'REJECT', 'asserted', 0, 24, 'Putin rejected the plan')",
                [],
            )
            .expect("event");
        }
        let s = Store::open(&path).expect("migrates");
        assert_eq!(s.schema_version().expect("version"), SCHEMA_VERSION);
        let hits = s.search("Pisky", 10).expect("search");
        assert_eq!(hits.len(), 1);
        assert!(hits[0].2.contains("[Pisky]"), "{hits:?}");
        let (basis, precision): (Option<String>, Option<String>) = s
            .conn
            .query_row("SELECT date_basis, location_precision FROM events", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .expect("row");
        assert_eq!(basis.as_deref(), Some("publication"));
        assert_eq!(precision.as_deref(), Some("near town"));
        drop(s);
        // Opening again is a no-op.
        assert_eq!(
            Store::open(&path).and_then(|s| s.schema_version()).ok(),
            Some(SCHEMA_VERSION)
        );
    }

    /// A report of "Russia attacked Ukraine" in `admin1` on `date`, from outlet `source`.
    fn report(id: &str, source: &str, admin1: &str, date: &str) -> Record {
        let mut r = record(id, None, "Russia attacked Ukraine near Pisky.");
        r.source = Some(source.into());
        let e = &mut r.events[0];
        e.cameo = "190".into();
        e.root = "19".into();
        e.source = serde_json::from_value(
            serde_json::json!({"entity": null, "code": "RUSMIL", "text": "Russia", "span": [0, 6]}),
        )
        .ok();
        e.target = serde_json::from_value(
            serde_json::json!({"entity": null, "code": "UKR", "text": "Ukraine", "span": [16, 23]}),
        )
        .ok();
        e.date = Some(date.into());
        if let Some(l) = e.location.as_mut() {
            l.admin1 = Some(admin1.into());
        }
        e.evidence = vec![[0, 24], [0, 24]];
        r
    }

    #[test]
    fn reports_of_one_event_cluster_across_articles() {
        let mut s = Store::memory().expect("store");
        s.put_all([
            &report("a", "AFP", "Donetsk Oblast", "2025-12-02"),
            &report("b", "Reuters", "Donetsk Oblast", "2025-12-02"),
            &report("c", "Reuters", "Donetsk Oblast", "2025-12-02"),
            // Another day, another place: other events.
            &report("d", "AFP", "Donetsk Oblast", "2025-12-03"),
            &report("e", "AFP", "Kharkiv Oblast", "2025-12-02"),
        ])
        .expect("put");
        let all = s.events(&EventFilter::default()).expect("events");
        assert_eq!(all.len(), 5);
        let a = all.iter().find(|e| e.article_id == "a").expect("a");
        assert_eq!((a.num_mentions, a.num_sources, a.num_articles), (6, 2, 3));
        let d = all.iter().find(|e| e.article_id == "d").expect("d");
        assert_eq!((d.num_mentions, d.num_sources, d.num_articles), (2, 1, 1));
        let merged = s
            .events(&EventFilter {
                clustered: true,
                ..Default::default()
            })
            .expect("clusters");
        let ids: Vec<&str> = merged.iter().map(|e| e.article_id.as_str()).collect();
        assert_eq!(ids, ["a", "d", "e"]);
        // Re-ingesting a report replaces it: the cluster does not grow.
        s.put(&report("b", "Reuters", "Donetsk Oblast", "2025-12-02"))
            .expect("put");
        let a = s.events(&EventFilter::default()).expect("events");
        let a = a.iter().find(|e| e.article_id == "a").expect("a");
        assert_eq!(a.num_articles, 3);
        // An event without a day or without coded actors merges with nothing.
        let mut lone = report("f", "AFP", "Donetsk Oblast", "2025-12");
        lone.events[0].date = Some("2025-12".into());
        s.put(&lone).expect("put");
        let f = s
            .events(&EventFilter {
                article: Some("f".into()),
                ..Default::default()
            })
            .expect("f");
        assert_eq!((f[0].num_articles, f[0].cluster.as_deref()), (1, None));
    }

    /// The kept cluster figures equal a recount from the events, after reports that start,
    /// join and leave clusters (re-ingests that move a report to another day).
    #[test]
    fn kept_cluster_figures_equal_a_recount() {
        let mut s = Store::memory().expect("store");
        let outlets = ["AFP", "Reuters", "AP"];
        for round in 0..3 {
            for i in 0..12 {
                let day = format!("2025-12-0{}", 1 + (i + round) % 3);
                let admin1 = if i % 4 == 0 {
                    "Kharkiv Oblast"
                } else {
                    "Donetsk Oblast"
                };
                s.put(&report(&format!("r{i}"), outlets[i % 3], admin1, &day))
                    .expect("put");
            }
        }
        let kept: Vec<(String, i64, i64, i64, i64)> = s
            .conn
            .prepare("SELECT key, mentions, sources, articles, first FROM clusters ORDER BY key")
            .and_then(|mut st| {
                st.query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect()
            })
            .expect("kept");
        let recount: Vec<(String, i64, i64, i64, i64)> = s
            .conn
            .prepare(
                "SELECT x.cluster_key, sum(x.mentions), count(DISTINCT coalesce(y.source, y.id)),
                        count(DISTINCT x.article_id), min(x.rowid)
                 FROM events x JOIN articles y ON y.id = x.article_id
                 WHERE x.cluster_key IS NOT NULL GROUP BY x.cluster_key ORDER BY x.cluster_key",
            )
            .and_then(|mut st| {
                st.query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect()
            })
            .expect("recount");
        assert!(kept.len() >= 4, "{kept:?}");
        assert_eq!(kept, recount);
        // The kept row totals equal a count too.
        let counted: Vec<i64> = ["articles", "entities", "quotes", "events"]
            .iter()
            .map(|t| {
                s.conn
                    .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                    .expect("count")
            })
            .collect();
        let c = s.counts().expect("counts");
        assert_eq!(
            counted,
            [c.articles, c.entities, c.quotes, c.events].map(|n| n as i64)
        );
        assert_eq!(c.articles, 12);
    }

    fn run(command: &str, articles: u64, reasons: Vec<RunReason>) -> RunLog {
        RunLog {
            id: 0,
            command: command.into(),
            started: "2025-12-03T10:00:00Z".into(),
            finished: "2025-12-03T10:00:02Z".into(),
            inputs: "a.jsonl b.jsonl".into(),
            articles,
            rejected: reasons.iter().map(|r| r.count).sum(),
            exit_code: i32::from(reasons.iter().any(|r| r.count > 0)),
            reasons,
        }
    }

    #[test]
    fn runs_are_logged_and_listed_newest_first_with_their_reasons() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("runs.db");
        let many: Vec<String> = (1..=30).map(|i| format!("a.jsonl:{i}")).collect();
        let first = run(
            "ingest",
            12,
            vec![
                RunReason {
                    reason: "`id` is missing".into(),
                    count: 2,
                    examples: vec!["b.jsonl:4".into(), "b.jsonl:9".into()],
                },
                RunReason {
                    reason: "not valid JSON: EOF while parsing a string at line N column N".into(),
                    count: 30,
                    examples: many.clone(),
                },
            ],
        );
        {
            let mut s = Store::open(&path).expect("store");
            assert!(s.runs(10).expect("runs").is_empty());
            let a = s.add_run(&first).expect("add");
            let b = s.add_run(&run("ingest", 3, Vec::new())).expect("add");
            assert!(b > a);
        }
        // Through the trait, on a reopened store: newest first, the limit kept.
        let mut s = Store::open(&path).expect("reopen");
        let store: &mut dyn RecordStore = &mut s;
        let runs = store.recent_runs(10).expect("runs");
        assert_eq!(runs.len(), 2);
        assert_eq!((runs[0].articles, runs[0].rejected, runs[0].exit_code), (3, 0, 0));
        assert!(runs[0].reasons.is_empty());
        let got = &runs[1];
        assert_eq!(
            (got.command.as_str(), got.articles, got.rejected, got.exit_code),
            ("ingest", 12, 32, 1)
        );
        assert_eq!(
            (got.started.as_str(), got.inputs.as_str()),
            ("2025-12-03T10:00:00Z", "a.jsonl b.jsonl")
        );
        // Most frequent reason first; examples capped, the first ones kept.
        assert_eq!(got.reasons[0].count, 30);
        assert_eq!(got.reasons[0].examples, many[..RUN_EXAMPLES].to_vec());
        assert_eq!(got.reasons[1].reason, "`id` is missing");
        assert_eq!(
            got.reasons[1].examples,
            vec!["b.jsonl:4".to_string(), "b.jsonl:9".to_string()]
        );
        assert_eq!(store.recent_runs(1).expect("runs").len(), 1);
        let id = store.record_run(&run("enqueue", 1, Vec::new())).expect("record");
        assert_eq!(store.recent_runs(1).expect("runs")[0].id, id);
    }

    #[test]
    fn a_run_log_keeps_the_most_frequent_reasons_and_survives_a_bad_value() {
        let reasons: Vec<RunReason> = (0..RUN_REASONS as u64 + 10)
            .map(|i| RunReason {
                reason: format!("reason {i:03}"),
                count: i + 1,
                examples: vec![format!("f:{i}")],
            })
            .collect();
        let mut s = Store::memory().expect("store");
        s.add_run(&run("ingest", 0, reasons)).expect("add");
        let got = s.runs(1).expect("runs").remove(0);
        assert_eq!(got.reasons.len(), RUN_REASONS);
        assert_eq!(got.reasons[0].reason, format!("reason {:03}", RUN_REASONS + 9));
        assert_eq!(
            got.rejected,
            (1..=RUN_REASONS as u64 + 10).sum::<u64>(),
            "all counted"
        );
        s.conn
            .execute("UPDATE runs SET reasons = 'not json'", [])
            .expect("update");
        let got = s.runs(1).expect("a bad value still reads").remove(0);
        assert!(got.reasons[0].reason.contains("unreadable"), "{:?}", got.reasons);
    }

    #[test]
    fn a_version_8_store_gains_an_empty_run_log() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("v8.db");
        {
            let mut conn = Connection::open(&path).expect("open");
            conn.execute_batch(PRAGMAS_SQL).expect("pragmas");
            for (i, step) in MIGRATIONS.iter().enumerate().take(8) {
                let tx = conn.transaction().expect("tx");
                tx.execute_batch(step).expect("step");
                tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))
                    .expect("version");
                tx.commit().expect("commit");
            }
        }
        // A reader (what `status` opens) migrates it first, and finds an empty log.
        let r = Store::open_reader(&path).expect("reader");
        assert_eq!(r.schema_version().expect("version"), SCHEMA_VERSION);
        assert!(r.runs(10).expect("runs").is_empty());
    }

    #[test]
    fn a_store_from_a_newer_binary_is_refused_with_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("new.db");
        {
            let conn = Connection::open(&path).expect("open");
            conn.execute_batch("PRAGMA user_version = 99").expect("pragma");
        }
        match Store::open(&path) {
            Err(StoreError::TooNew { found: 99, .. }) => {}
            other => panic!("expected TooNew, got {:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn a_recrawl_under_a_new_id_replaces_and_search_follows() {
        let mut s = Store::memory().expect("store");
        let text = "Putin rejected the plan near Pisky.";
        s.put(&record("crawl-1", Some("https://ex.org/a"), text))
            .expect("put");
        s.put(&record("crawl-2", Some("https://ex.org/a"), text))
            .expect("put");
        // Same URL, different text: an updated story, kept beside the first.
        s.put(&record(
            "crawl-3",
            Some("https://ex.org/a"),
            "Putin rejected the plan again.",
        ))
        .expect("put");
        assert_eq!(
            s.ids().expect("ids"),
            vec!["crawl-2".to_string(), "crawl-3".to_string()]
        );
        let hits: Vec<String> = s
            .search("rejected", 10)
            .expect("search")
            .into_iter()
            .map(|h| h.0)
            .collect();
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert!(!hits.contains(&"crawl-1".to_string()));
        let q: i64 = s
            .conn
            .query_row(
                "SELECT COUNT(*) FROM quotes_fts WHERE quotes_fts MATCH 'Peskov'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(q, 2);
    }
}
