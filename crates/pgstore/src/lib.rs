//! Chronicle on PostgreSQL: the same records and typed tables as the SQLite store, and a
//! work queue from which many `chronicle worker` processes, on many machines, take batches
//! of articles.
//!
//! **A batch's results and the end of its claim commit in one transaction.** A worker that
//! dies mid-batch commits nothing; its claim's lease runs out and another worker takes the
//! batch again. A worker whose lease ran out and whose batch was taken by another finds
//! its claim gone at commit and discards its work. Records are keyed by article id and a
//! write replaces, so no record is ever lost or doubled.
//!
//! Concurrent writers serialise only where they must: on one article id (an advisory lock,
//! so two versions of one article never interleave) and on one event cluster (its figures
//! are recounted under an advisory lock after the writer's own events are in, so the last
//! writer counts everyone's committed reports). Locks are taken in sorted order, ids before
//! clusters, so writers never deadlock.

mod watch;

use std::time::Duration;

use chronicle_record::Record;
use chronicle_storeapi::{
    ActorName, ActorRow, ActorTotal, Aggregate, AnyError, ArticleRow, Counts, Dialect, EventFact,
    EventFilter, EventRow, Network, PlaceRow, Prepared, QuoteFilter, QuoteRow, RecordStore, RunLog,
    EVENT_FACT_COLUMNS,
};
use postgres::{Client, NoTls, Transaction};

#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error("postgres {url}: {source}")]
    Connect { url: String, source: postgres::Error },
    #[error("postgres: {0}")]
    Sql(#[from] postgres::Error),
    #[error("stored record {id} is unreadable: {source}")]
    Corrupt { id: String, source: serde_json::Error },
    #[error("the database has Chronicle schema version {found}; this chronicle knows up to {known} (upgrade chronicle)")]
    TooNew { found: i32, known: i32 },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{lost} of the batch's {claimed} claims were taken by another worker after this one's lease ran out; its results are discarded (that worker writes them)")]
    ClaimLost { claimed: usize, lost: usize },
}

pub type Result<T> = std::result::Result<T, PgError>;
type StoreResult<T> = chronicle_storeapi::Result<T>;
use chronicle_storeapi::StoreError;

/// The PostgreSQL store's errors as the store API's: what `RecordStore`'s methods give.
impl From<PgError> for StoreError {
    fn from(e: PgError) -> StoreError {
        match e {
            PgError::Connect { url, source } => StoreError::Open {
                path: url,
                source: Box::new(source),
            },
            PgError::Sql(e) => StoreError::from(e),
            PgError::Corrupt { id, source } => StoreError::Corrupt { id, source },
            PgError::TooNew { found, known } => StoreError::TooNew {
                found: found.max(0) as u32,
                known: known.max(0) as u32,
            },
            PgError::Store(e) => e,
            e @ PgError::ClaimLost { .. } => StoreError::Sql(Box::new(e)),
        }
    }
}

impl PgError {
    /// True when the server cancelled the statement (its `statement_timeout` ran out).
    pub fn is_timeout(&self) -> bool {
        matches!(self, PgError::Sql(e) if e.code() == Some(&postgres::error::SqlState::QUERY_CANCELED))
    }
}

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// How many times a batch may be claimed before its items are marked failed (a worker
/// that dies on the same article every time must not stop the queue).
pub const MAX_ATTEMPTS: i32 = 5;

/// Version 1: the SQLite store's tables (a `BIGSERIAL` where SQLite has its rowid) with
/// enforced foreign keys, the cluster key as a stored generated column with the SQLite
/// expression, and the work queue.
const SCHEMA_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS articles (
    seq BIGSERIAL UNIQUE,
    id TEXT PRIMARY KEY,
    published TEXT, title TEXT, url TEXT, source TEXT,
    chars BIGINT NOT NULL,
    ingested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    record TEXT NOT NULL,
    text_hash TEXT
);
CREATE INDEX IF NOT EXISTS articles_url ON articles(url, text_hash);
CREATE TABLE IF NOT EXISTS entities (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    name TEXT NOT NULL, type TEXT NOT NULL,
    country TEXT, sector TEXT, code TEXT, title TEXT,
    lat DOUBLE PRECISION, lon DOUBLE PRECISION, admin1 TEXT,
    mentions BIGINT NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
CREATE TABLE IF NOT EXISTS quotes (
    id BIGSERIAL UNIQUE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    quote_id TEXT NOT NULL,
    start BIGINT NOT NULL, "end" BIGINT NOT NULL,
    content TEXT NOT NULL, kind TEXT NOT NULL,
    speaker TEXT, speaker_text TEXT, cue TEXT,
    PRIMARY KEY (article_id, quote_id)
);
CREATE TABLE IF NOT EXISTS events (
    id BIGSERIAL PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    cameo TEXT NOT NULL, root TEXT NOT NULL, quad BIGINT NOT NULL, goldstein DOUBLE PRECISION NOT NULL,
    plover TEXT NOT NULL, plover_mode TEXT,
    source_code TEXT, source_text TEXT, source_entity TEXT,
    target_code TEXT, target_text TEXT, target_entity TEXT,
    modality TEXT NOT NULL,
    date TEXT, date_text TEXT,
    location TEXT, country TEXT, admin1 TEXT, lat DOUBLE PRECISION, lon DOUBLE PRECISION,
    killed BIGINT, wounded BIGINT,
    sentence_start BIGINT NOT NULL, sentence_end BIGINT NOT NULL, sentence TEXT NOT NULL,
    date_basis TEXT, location_precision TEXT, location_basis TEXT,
    mentions BIGINT NOT NULL DEFAULT 1,
    cluster_key TEXT GENERATED ALWAYS AS (
        CASE WHEN date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
                AND source_code IS NOT NULL AND target_code IS NOT NULL
            THEN source_code || '|' || target_code || '|' || substr(cameo, 1, 3)
                 || '|' || coalesce(admin1, country, '-') || '|' || substr(date, 1, 10)
            ELSE NULL END) STORED,
    source_country TEXT GENERATED ALWAYS AS (substr(source_code, 1, 3)) STORED,
    target_country TEXT GENERATED ALWAYS AS (substr(target_code, 1, 3)) STORED,
    UNIQUE (article_id, event_id)
);
CREATE INDEX IF NOT EXISTS events_cluster ON events(cluster_key);
CREATE INDEX IF NOT EXISTS events_root_date ON events(root, date);
CREATE INDEX IF NOT EXISTS events_source_country ON events(source_country);
CREATE INDEX IF NOT EXISTS events_dyad ON events(source_country, target_country);
CREATE INDEX IF NOT EXISTS events_target_country ON events(target_country);
CREATE INDEX IF NOT EXISTS events_source ON events(source_code);
CREATE INDEX IF NOT EXISTS events_target ON events(target_code);
CREATE INDEX IF NOT EXISTS events_plover ON events(plover);
CREATE INDEX IF NOT EXISTS events_country ON events(country);
CREATE TABLE IF NOT EXISTS timexes (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start BIGINT NOT NULL, "end" BIGINT NOT NULL,
    text TEXT NOT NULL, type TEXT NOT NULL, value TEXT
);
CREATE INDEX IF NOT EXISTS timexes_article ON timexes(article_id);
CREATE TABLE IF NOT EXISTS clusters (
    key TEXT PRIMARY KEY,
    mentions BIGINT NOT NULL, sources BIGINT NOT NULL, articles BIGINT NOT NULL,
    first BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS queue (
    id BIGSERIAL PRIMARY KEY,
    origin TEXT NOT NULL,
    item TEXT NOT NULL,
    fetched TEXT,
    state TEXT NOT NULL DEFAULT 'queued',
    worker TEXT,
    lease_until TIMESTAMPTZ,
    attempts INT NOT NULL DEFAULT 0,
    error TEXT,
    article_id TEXT,
    enqueued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    done_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS queue_open ON queue(id) WHERE state IN ('queued', 'running');
"#;

/// Version 2: the run log, as the SQLite store's `runs` (its version 9): one row per
/// `ingest` or `enqueue` that ran to its end, for `chronicle status`. Named for Chronicle,
/// as the meta table is, since a PostgreSQL database is often shared.
const MIGRATE_2_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS chronicle_runs (
    id BIGSERIAL PRIMARY KEY,
    command TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    inputs TEXT NOT NULL,
    articles BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    reasons TEXT NOT NULL,
    exit_code INT NOT NULL
);
"#;

/// Version 3: each event's confidence (0-1), as the SQLite store's version 10; events
/// stored before it have none (NULL) and a `min_confidence` filter leaves them out.
const MIGRATE_3_SQL: &str = r#"
ALTER TABLE events ADD COLUMN IF NOT EXISTS confidence DOUBLE PRECISION;
"#;

/// Version 4: who reported each event (the record's `events[].reporter`), in columns
/// shaped as `source_*`, as the SQLite store's version 11; events stored before it have
/// none (NULL).
const MIGRATE_4_SQL: &str = r#"
ALTER TABLE events ADD COLUMN IF NOT EXISTS reporter_code TEXT;
ALTER TABLE events ADD COLUMN IF NOT EXISTS reporter_text TEXT;
ALTER TABLE events ADD COLUMN IF NOT EXISTS reporter_entity TEXT;
"#;

/// The migrations, in order: entry `i` brings a database from version `i` to `i + 1`
/// (version 0: no Chronicle tables yet).
const MIGRATIONS: &[&str] = &[
    SCHEMA_SQL,
    MIGRATE_2_SQL,
    MIGRATE_3_SQL,
    MIGRATE_4_SQL,
    watch::MIGRATE_5_SQL,
];

/// Recounts the clusters named in $1 from their events.
const RECOUNT_SQL: &str = "INSERT INTO clusters (key, mentions, sources, articles, first)
    SELECT x.cluster_key, sum(x.mentions), count(DISTINCT coalesce(y.source, y.id)),
           count(DISTINCT x.article_id), min(x.id)
    FROM events x JOIN articles y ON y.id = x.article_id
    WHERE x.cluster_key = ANY($1) GROUP BY x.cluster_key";

/// One input article waiting in the queue: where it came from, its JSONL line, and the
/// fetch date an archive gave it (not an input field, so kept beside the line).
#[derive(Debug, Clone, PartialEq)]
pub struct QueueItem {
    pub origin: String,
    pub line: String,
    pub fetched: Option<String>,
}

/// A queue item claimed by a worker.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub id: i64,
    pub item: QueueItem,
    pub attempts: i32,
}

/// What the queue holds, for `chronicle status`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct QueueStatus {
    pub queued: i64,
    pub running: i64,
    pub done: i64,
    pub failed: i64,
    /// Failure reasons, most frequent first: (reason, items).
    pub failures: Vec<(String, i64)>,
    /// Workers holding claims: (worker, items, seconds until its lease runs out).
    pub workers: Vec<(String, i64, f64)>,
}

/// A connection to a Chronicle database on PostgreSQL.
pub struct PgStore {
    client: Client,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`) and brings the schema to this
    /// binary's version; workers starting together migrate once (an advisory lock).
    pub fn connect(url: &str) -> Result<PgStore> {
        let client = Client::connect(url, NoTls).map_err(|source| PgError::Connect {
            url: redact(url),
            source,
        })?;
        let mut s = PgStore { client };
        s.migrate()?;
        Ok(s)
    }

    /// Makes the server end any statement of this connection that runs past `limit`
    /// (PostgreSQL's `statement_timeout`; the statement fails, the connection stays).
    pub fn set_statement_timeout(&mut self, limit: std::time::Duration) -> Result<()> {
        let ms = limit.as_millis().clamp(1, i32::MAX as u128);
        self.client
            .batch_execute(&format!("SET statement_timeout = {ms}"))?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock(7406211)", &[])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS chronicle_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        )?;
        let found: Option<i32> = tx
            .query_opt(
                "SELECT value FROM chronicle_meta WHERE key = 'schema_version'",
                &[],
            )?
            .and_then(|r| r.get::<_, String>(0).parse().ok());
        if let Some(v) = found {
            if v > SCHEMA_VERSION {
                return Err(PgError::TooNew {
                    found: v,
                    known: SCHEMA_VERSION,
                });
            }
        }
        if found != Some(SCHEMA_VERSION) {
            let from = found.unwrap_or(0).max(0) as usize;
            for step in &MIGRATIONS[from..] {
                tx.batch_execute(step)?;
            }
            tx.execute(
                "INSERT INTO chronicle_meta VALUES ('schema_version', $1)
                 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                &[&SCHEMA_VERSION.to_string()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The columns the network and places views aggregate, for the events `filter` selects.
    fn event_facts(&mut self, filter: &EventFilter) -> Result<Vec<EventFact>> {
        let mut f = filter.clone();
        f.limit = None;
        f.offset = None;
        let (inner, args) = chronicle_storeapi::event_selection_for(&f, Dialect::Postgres);
        let sql = format!("SELECT {EVENT_FACT_COLUMNS} FROM events e WHERE e.id IN ({inner}) ORDER BY e.id");
        let params = text_params(&args);
        Ok(self
            .client
            .query(&sql, &params)?
            .iter()
            .map(|r| EventFact {
                article_id: r.get(0),
                source_code: r.get(1),
                source_text: r.get(2),
                target_code: r.get(3),
                target_text: r.get(4),
                quad: r.get(5),
                goldstein: r.get(6),
                date: r.get(7),
                location: r.get(8),
                country: r.get(9),
                admin1: r.get(10),
                lat: r.get(11),
                lon: r.get(12),
                killed: r.get(13),
                wounded: r.get(14),
            })
            .collect())
    }

    /// Cluster figures: (key, mentions, sources, articles), by key.
    pub fn clusters(&mut self) -> Result<Vec<(String, i64, i64, i64)>> {
        Ok(self
            .client
            .query(
                "SELECT key, mentions, sources, articles FROM clusters ORDER BY key",
                &[],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect())
    }

    /// Adds items to the queue (one transaction per call); returns how many.
    pub fn enqueue(&mut self, items: &[QueueItem]) -> Result<usize> {
        let origins: Vec<&str> = items.iter().map(|i| i.origin.as_str()).collect();
        let lines: Vec<&str> = items.iter().map(|i| i.line.as_str()).collect();
        let fetched: Vec<Option<&str>> = items.iter().map(|i| i.fetched.as_deref()).collect();
        let n = self.client.execute(
            "INSERT INTO queue (origin, item, fetched) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])",
            &[&origins, &lines, &fetched],
        )?;
        Ok(n as usize)
    }

    /// Claims up to `n` items for `worker` for `lease`: queued ones, and running ones whose
    /// worker's lease ran out (it died). Items claimed [`MAX_ATTEMPTS`] times already are
    /// marked failed instead. Other workers skip the rows this one is locking.
    pub fn claim(&mut self, worker: &str, n: i64, lease: Duration) -> Result<Vec<Claim>> {
        let secs = lease.as_secs_f64();
        let mut tx = self.client.transaction()?;
        tx.execute(
            "UPDATE queue SET state = 'failed', worker = NULL,
                    error = 'claimed ' || attempts || ' times; every worker died or lost it before finishing'
             WHERE state = 'running' AND lease_until < now() AND attempts >= $1",
            &[&MAX_ATTEMPTS],
        )?;
        let rows = tx.query(
            "WITH picked AS (
                SELECT id FROM queue
                WHERE state = 'queued' OR (state = 'running' AND lease_until < now())
                ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
             UPDATE queue q SET state = 'running', worker = $1, attempts = q.attempts + 1,
                    lease_until = now() + make_interval(secs => $3)
             FROM picked WHERE q.id = picked.id
             RETURNING q.id, q.origin, q.item, q.fetched, q.attempts",
            &[&worker, &n, &secs],
        )?;
        tx.commit()?;
        let mut claims: Vec<Claim> = rows
            .iter()
            .map(|r| Claim {
                id: r.get(0),
                item: QueueItem {
                    origin: r.get(1),
                    line: r.get(2),
                    fetched: r.get(3),
                },
                attempts: r.get(4),
            })
            .collect();
        claims.sort_by_key(|c| c.id);
        Ok(claims)
    }

    /// Extends the lease of every claim `worker` holds; returns how many it holds.
    pub fn heartbeat(&mut self, worker: &str, lease: Duration) -> Result<u64> {
        Ok(self.client.execute(
            "UPDATE queue SET lease_until = now() + make_interval(secs => $2)
             WHERE worker = $1 AND state = 'running'",
            &[&worker, &lease.as_secs_f64()],
        )?)
    }

    /// Ends a batch: stores `done`'s records and marks those items done, marks `failed`
    /// items failed with their reasons, all in one transaction, and only if `worker`
    /// still holds every claim (else nothing is written: [`PgError::ClaimLost`]).
    pub fn complete(
        &mut self,
        worker: &str,
        done: &[(i64, Prepared)],
        failed: &[(i64, String)],
    ) -> Result<()> {
        let ids: Vec<i64> = done
            .iter()
            .map(|d| d.0)
            .chain(failed.iter().map(|f| f.0))
            .collect();
        let mut tx = self.client.transaction()?;
        let held = tx
            .query(
                "SELECT id FROM queue WHERE id = ANY($1) AND worker = $2 AND state = 'running' FOR UPDATE",
                &[&ids, &worker],
            )?
            .len();
        if held != ids.len() {
            return Err(PgError::ClaimLost {
                claimed: ids.len(),
                lost: ids.len() - held,
            });
        }
        put_batch(&mut tx, done.iter().map(|d| &d.1))?;
        let done_ids: Vec<i64> = done.iter().map(|d| d.0).collect();
        let articles: Vec<&str> = done.iter().map(|d| d.1.record().id.as_str()).collect();
        tx.execute(
            "UPDATE queue q SET state = 'done', done_at = now(), article_id = d.article, error = NULL
             FROM unnest($1::bigint[], $2::text[]) AS d(id, article) WHERE q.id = d.id",
            &[&done_ids, &articles],
        )?;
        let failed_ids: Vec<i64> = failed.iter().map(|f| f.0).collect();
        let reasons: Vec<&str> = failed.iter().map(|f| f.1.as_str()).collect();
        tx.execute(
            "UPDATE queue q SET state = 'failed', done_at = now(), error = f.reason
             FROM unnest($1::bigint[], $2::text[]) AS f(id, reason) WHERE q.id = f.id",
            &[&failed_ids, &reasons],
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn status(&mut self) -> Result<QueueStatus> {
        let mut s = QueueStatus::default();
        for r in self
            .client
            .query("SELECT state, count(*) FROM queue GROUP BY state", &[])?
        {
            let n: i64 = r.get(1);
            match r.get::<_, String>(0).as_str() {
                "queued" => s.queued = n,
                "running" => s.running = n,
                "done" => s.done = n,
                "failed" => s.failed = n,
                _ => {}
            }
        }
        s.failures = self
            .client
            .query(
                "SELECT coalesce(error, '?'), count(*) FROM queue WHERE state = 'failed'
                 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20",
                &[],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        s.workers = self
            .client
            .query(
                "SELECT worker, count(*), extract(epoch FROM min(lease_until) - now())::float8
                 FROM queue WHERE state = 'running' GROUP BY worker ORDER BY worker",
                &[],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        Ok(s)
    }
}

impl RecordStore for PgStore {
    fn put_prepared(&mut self, batch: &[Prepared]) -> StoreResult<usize> {
        let mut tx = self.client.transaction()?;
        put_batch(&mut tx, batch.iter())?;
        tx.commit()?;
        Ok(batch.len())
    }

    fn get(&mut self, id: &str) -> StoreResult<Option<Record>> {
        let row = self
            .client
            .query_opt("SELECT record FROM articles WHERE id = $1", &[&id])?;
        row.map(|r| {
            let json: String = r.get(0);
            serde_json::from_str(&json).map_err(|source| StoreError::Corrupt {
                id: id.into(),
                source,
            })
        })
        .transpose()
    }

    fn ids(&mut self) -> StoreResult<Vec<String>> {
        Ok(self
            .client
            .query("SELECT id FROM articles ORDER BY seq", &[])?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn for_each_record(&mut self, f: &mut dyn FnMut(Record)) -> StoreResult<()> {
        let mut after = 0i64;
        loop {
            let rows = self.client.query(
                "SELECT seq, id, record FROM articles WHERE seq > $1 ORDER BY seq LIMIT 500",
                &[&after],
            )?;
            if rows.is_empty() {
                return Ok(());
            }
            for r in rows {
                after = r.get(0);
                let id: String = r.get(1);
                let json: String = r.get(2);
                let rec = serde_json::from_str(&json).map_err(|source| PgError::Corrupt { id, source })?;
                f(rec);
            }
        }
    }

    fn counts(&mut self) -> StoreResult<Counts> {
        let row = self.client.query_one(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM entities),
                    (SELECT count(*) FROM quotes), (SELECT count(*) FROM events)",
            &[],
        )?;
        let n = |i: usize| row.get::<_, i64>(i).max(0) as u64;
        Ok(Counts {
            articles: n(0),
            entities: n(1),
            quotes: n(2),
            events: n(3),
        })
    }

    fn events(&mut self, filter: &EventFilter) -> StoreResult<Vec<EventRow>> {
        let (inner, args) = chronicle_storeapi::event_selection_for(filter, Dialect::Postgres);
        let sql = format!(
            "SELECT e.article_id, e.event_id, a.published, a.url, e.cameo, e.root, e.quad, e.goldstein,
                    e.plover, e.plover_mode, e.source_code, e.source_text, e.target_code, e.target_text,
                    e.modality, e.date, e.location, e.country, e.admin1, e.lat, e.lon, e.killed, e.wounded,
                    e.sentence,
                    coalesce(c.mentions, e.mentions), coalesce(c.sources, 1), coalesce(c.articles, 1), e.cluster_key,
                    e.id, coalesce(c.first, e.id), a.source,
                    to_char(a.ingested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                    e.confidence, e.reporter_code, e.reporter_text
             FROM events e JOIN articles a ON a.id = e.article_id
             LEFT JOIN clusters c ON c.key = e.cluster_key
             WHERE e.id IN ({inner}) ORDER BY e.id"
        );
        let params = text_params(&args);
        let rows = self.client.query(&sql, &params)?;
        Ok(rows
            .iter()
            .map(|r| EventRow {
                article_id: r.get(0),
                event_id: r.get(1),
                published: r.get(2),
                url: r.get(3),
                cameo: r.get(4),
                root: r.get(5),
                quad: r.get(6),
                goldstein: r.get(7),
                plover: r.get(8),
                plover_mode: r.get(9),
                source_code: r.get(10),
                source_text: r.get(11),
                target_code: r.get(12),
                target_text: r.get(13),
                modality: r.get(14),
                date: r.get(15),
                location: r.get(16),
                country: r.get(17),
                admin1: r.get(18),
                lat: r.get(19),
                lon: r.get(20),
                killed: r.get(21),
                wounded: r.get(22),
                sentence: r.get(23),
                num_mentions: r.get(24),
                num_sources: r.get(25),
                num_articles: r.get(26),
                cluster: r.get(27),
                global_id: r.get(28),
                event_global_id: r.get(29),
                source: r.get(30),
                ingested: r.get(31),
                confidence: r.get(32),
                reporter_code: r.get(33),
                reporter_text: r.get(34),
            })
            .collect())
    }

    fn quotes(&mut self, f: &QuoteFilter) -> StoreResult<Vec<QuoteRow>> {
        let mut sql = String::from(
            "SELECT q.article_id, q.quote_id, a.published, q.kind, q.speaker_text, q.cue, q.content
             FROM quotes q JOIN articles a ON a.id = q.article_id WHERE true",
        );
        let mut args: Vec<String> = Vec::new();
        for (clause, v) in [
            (
                " AND q.speaker_text ILIKE $",
                f.speaker.as_ref().map(|s| format!("%{s}%")),
            ),
            (
                " AND q.content ILIKE $",
                f.text.as_ref().map(|t| format!("%{t}%")),
            ),
            (" AND q.article_id = $", f.article.clone()),
        ] {
            if let Some(v) = v {
                args.push(v);
                sql.push_str(&format!("{clause}{}", args.len()));
            }
        }
        sql.push_str(" ORDER BY a.seq, q.start");
        if let Some(l) = f.limit {
            sql.push_str(&format!(" LIMIT {l}"));
        }
        if let Some(o) = f.offset {
            sql.push_str(&format!(" OFFSET {o}"));
        }
        let params = text_params(&args);
        Ok(self
            .client
            .query(&sql, &params)?
            .iter()
            .map(|r| QuoteRow {
                article_id: r.get(0),
                quote_id: r.get(1),
                published: r.get(2),
                kind: r.get(3),
                speaker: r.get(4),
                cue: r.get(5),
                content: r.get(6),
            })
            .collect())
    }

    fn actors(&mut self, name: Option<&str>, limit: Option<u64>) -> StoreResult<Vec<ActorRow>> {
        let pattern = name.map(|n| format!("%{n}%"));
        let keep = if pattern.is_some() {
            " AND code IN (SELECT code FROM entities WHERE code IS NOT NULL AND (name ILIKE $1 OR code ILIKE $1))"
        } else {
            ""
        };
        let mut sql = format!(
            "SELECT code, count(DISTINCT article_id), sum(mentions)::bigint FROM entities
             WHERE code IS NOT NULL{keep} GROUP BY code ORDER BY sum(mentions) DESC, code COLLATE \"C\""
        );
        if let Some(l) = limit {
            sql.push_str(&format!(" LIMIT {l}"));
        }
        let rows = match &pattern {
            Some(p) => self.client.query(&sql, &[p])?,
            None => self.client.query(&sql, &[])?,
        };
        let totals: Vec<ActorTotal> = rows
            .iter()
            .map(|r| ActorTotal {
                code: r.get(0),
                articles: r.get(1),
                mentions: r.get(2),
            })
            .collect();
        let codes: Vec<&str> = totals.iter().map(|t| t.code.as_str()).collect();
        let names = self
            .client
            .query(
                "SELECT code, name, type, title, sum(mentions)::bigint FROM entities
                 WHERE code = ANY($1) GROUP BY code, name, type, title",
                &[&codes],
            )?
            .iter()
            .map(|r| ActorName {
                code: r.get(0),
                name: r.get(1),
                kind: r.get(2),
                title: r.get(3),
                mentions: r.get(4),
            })
            .collect();
        Ok(chronicle_storeapi::group_actors(totals, names))
    }

    fn search(&mut self, q: &str, limit: u64) -> StoreResult<Vec<(String, Option<String>, String)>> {
        let rows = self.client.query(
            "SELECT id, title,
                    ts_headline('simple', (record::jsonb)->>'text', query,
                                'StartSel=[, StopSel=], MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter= … ')
             FROM articles, websearch_to_tsquery('simple', $1) AS query
             WHERE to_tsvector('simple', coalesce(title, '') || ' ' || ((record::jsonb)->>'text')) @@ query
             ORDER BY ts_rank(to_tsvector('simple', coalesce(title, '') || ' ' || ((record::jsonb)->>'text')), query) DESC, seq
             LIMIT $2",
            &[&q, &(limit.min(i64::MAX as u64) as i64)],
        )?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }

    fn article_list(&mut self, limit: u64, offset: u64) -> StoreResult<Vec<ArticleRow>> {
        let rows = self.client.query(
            "SELECT a.id, a.title, a.published, a.source, a.url, a.chars,
                    left((a.record::jsonb)->>'text', 240),
                    (SELECT count(*) FROM entities x WHERE x.article_id = a.id),
                    (SELECT count(*) FROM quotes x WHERE x.article_id = a.id),
                    (SELECT count(*) FROM events x WHERE x.article_id = a.id)
             FROM articles a ORDER BY a.seq LIMIT $1 OFFSET $2",
            &[
                &(limit.min(i64::MAX as u64) as i64),
                &(offset.min(i64::MAX as u64) as i64),
            ],
        )?;
        Ok(rows
            .iter()
            .map(|r| ArticleRow {
                id: r.get(0),
                title: r.get(1),
                published: r.get(2),
                source: r.get(3),
                url: r.get(4),
                chars: r.get(5),
                lead: r.get(6),
                entities: r.get(7),
                quotes: r.get(8),
                events: r.get(9),
            })
            .collect())
    }

    fn add_run(&mut self, run: &RunLog) -> StoreResult<i64> {
        let row = self.client.query_one(
            "INSERT INTO chronicle_runs (command, started, finished, inputs, articles, rejected, reasons, exit_code)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[
                &run.command,
                &run.started,
                &run.finished,
                &run.inputs,
                &(run.articles.min(i64::MAX as u64) as i64),
                &(run.rejected.min(i64::MAX as u64) as i64),
                &run.reasons_json(),
                &run.exit_code,
            ],
        )?;
        Ok(row.get(0))
    }

    fn runs(&mut self, limit: u64) -> StoreResult<Vec<RunLog>> {
        let limit = limit.min(i64::MAX as u64) as i64;
        Ok(self
            .client
            .query(
                "SELECT id, command, started, finished, inputs, articles, rejected, reasons, exit_code
                 FROM chronicle_runs ORDER BY id DESC LIMIT $1",
                &[&limit],
            )?
            .iter()
            .map(|r| RunLog {
                id: r.get(0),
                command: r.get(1),
                started: r.get(2),
                finished: r.get(3),
                inputs: r.get(4),
                articles: r.get::<_, i64>(5).max(0) as u64,
                rejected: r.get::<_, i64>(6).max(0) as u64,
                reasons: RunLog::parse_reasons(r.get(7)),
                exit_code: r.get(8),
            })
            .collect())
    }

    fn network(&mut self, f: &EventFilter, limit: u64, offset: u64) -> StoreResult<Network> {
        Ok(chronicle_storeapi::network_of(
            self.event_facts(f)?,
            limit,
            offset,
        ))
    }
    fn places(&mut self, f: &EventFilter, limit: u64, offset: u64) -> StoreResult<Aggregate<PlaceRow>> {
        let facts = self.event_facts(f)?;
        let client = &mut self.client;
        let mut title = |id: &str| -> std::result::Result<Option<String>, AnyError> {
            Ok(client
                .query_opt("SELECT title FROM articles WHERE id = $1", &[&id])?
                .and_then(|r| r.get::<_, Option<String>>(0)))
        };
        chronicle_storeapi::places_of(facts, limit, offset, &mut title).map_err(|e| {
            match e.downcast::<postgres::Error>() {
                Ok(e) => StoreError::from(*e),
                Err(e) => StoreError::View(e.to_string()),
            }
        })
    }
}

/// Query parameters for values that are all bound as text (the filters' SQL casts them).
fn text_params(args: &[String]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    args.iter()
        .map(|a| a as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

/// Whether `db` (a `--db` value) names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// `url` without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Writes records inside `tx`, replacing earlier versions, and recounts the clusters the
/// writes touched.
fn put_batch<'a>(tx: &mut Transaction<'_>, batch: impl Iterator<Item = &'a Prepared> + Clone) -> Result<()> {
    // Within a batch, as between batches, a later version replaces an earlier one: the
    // same id, or the same URL with the same text.
    let all: Vec<&Prepared> = batch.collect();
    let mut seen_ids = std::collections::HashSet::new();
    let mut seen_pages = std::collections::HashSet::new();
    let mut kept: Vec<&Prepared> = Vec::with_capacity(all.len());
    for p in all.into_iter().rev() {
        let r = p.record();
        let page = r.url.as_deref().map(|u| (u, p.text_hash()));
        if !seen_ids.insert(r.id.as_str()) || page.is_some_and(|pg| !seen_pages.insert(pg)) {
            continue;
        }
        kept.push(p);
    }
    kept.reverse();
    let batch = kept.iter().copied();
    let mut ids: Vec<&str> = batch.clone().map(|p| p.record().id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    // One writer per article id at a time, in sorted order (no deadlock between batches).
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('chronicle-article:' || i)) FROM unnest($1::text[]) AS i ORDER BY i",
        &[&ids],
    )?;
    // This batch's ids, and the same pages stored under other ids (same URL, same text):
    // one query for the batch, not one per article.
    let mut urls: Vec<&str> = Vec::new();
    let mut hashes: Vec<&str> = Vec::new();
    let mut url_ids: Vec<&str> = Vec::new();
    for p in batch.clone() {
        if let Some(url) = &p.record().url {
            urls.push(url);
            hashes.push(p.text_hash());
            url_ids.push(&p.record().id);
        }
    }
    let mut gone: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    if !urls.is_empty() {
        for row in tx.query(
            "SELECT a.id FROM articles a
             JOIN unnest($1::text[], $2::text[], $3::text[]) AS b(url, hash, id)
               ON a.url = b.url AND a.text_hash = b.hash AND a.id <> b.id",
            &[&urls, &hashes, &url_ids],
        )? {
            gone.push(row.get(0));
        }
    }
    let mut keys = cluster_keys(tx, &gone)?;
    tx.execute("DELETE FROM articles WHERE id = ANY($1)", &[&gone])?;
    insert_rows(tx, batch.clone())?;
    let written: Vec<&str> = batch.map(|p| p.record().id.as_str()).collect();
    keys.extend(cluster_keys(tx, &written)?);
    keys.sort_unstable();
    keys.dedup();
    if !keys.is_empty() {
        // After this writer's events are in: whoever recounts a cluster last sees every
        // committed report of it.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext('chronicle-cluster:' || k)) FROM unnest($1::text[]) AS k ORDER BY k",
            &[&keys],
        )?;
        tx.execute("DELETE FROM clusters WHERE key = ANY($1)", &[&keys])?;
        tx.execute(RECOUNT_SQL, &[&keys])?;
    }
    Ok(())
}

/// The cluster keys of the named articles' events.
fn cluster_keys<T: postgres::types::ToSql + Sync>(
    tx: &mut Transaction<'_>,
    articles: &T,
) -> Result<Vec<String>> {
    Ok(tx
        .query(
            "SELECT DISTINCT cluster_key FROM events WHERE article_id = ANY($1) AND cluster_key IS NOT NULL",
            &[articles],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// The typed rows of a batch, one `INSERT ... SELECT FROM unnest(...)` per table (a round
/// trip per table per batch, not per row).
fn insert_rows<'a>(
    tx: &mut Transaction<'_>,
    batch: impl Iterator<Item = &'a Prepared> + Clone,
) -> Result<()> {
    #[derive(Default)]
    struct Cols<'a> {
        s: Vec<Vec<Option<&'a str>>>,
        i: Vec<Vec<Option<i64>>>,
        f: Vec<Vec<Option<f64>>>,
    }
    impl<'a> Cols<'a> {
        fn new(s: usize, i: usize, f: usize) -> Self {
            Cols {
                s: vec![Vec::new(); s],
                i: vec![Vec::new(); i],
                f: vec![Vec::new(); f],
            }
        }
    }
    let mut art = Cols::new(7, 1, 0);
    let mut ent = Cols::new(9, 1, 2);
    let mut quo = Cols::new(7, 2, 0);
    let mut tim = Cols::new(4, 2, 0);
    let mut sentences: Vec<String> = Vec::new();
    let mut evs: Vec<&'a chronicle_record::EventOut> = Vec::new();
    let mut ev_article: Vec<&'a str> = Vec::new();
    for p in batch.clone() {
        let r = p.record();
        for (c, v) in art.s.iter_mut().zip([
            Some(r.id.as_str()),
            r.published.as_deref(),
            r.title.as_deref(),
            r.url.as_deref(),
            r.source.as_deref(),
            Some(p.json()),
            Some(p.text_hash()),
        ]) {
            c.push(v);
        }
        art.i[0].push(Some(p.chars()));
        for e in &r.entities {
            let a = e.actor.as_ref();
            for (c, v) in ent.s.iter_mut().zip([
                Some(r.id.as_str()),
                Some(e.id.as_str()),
                Some(e.name.as_str()),
                Some(e.kind.as_str()),
                a.and_then(|a| a.country.as_deref()),
                a.and_then(|a| a.sector.as_deref()),
                a.and_then(|a| a.code.as_deref()),
                e.title.as_deref(),
                e.geo.as_ref().and_then(|g| g.admin1.as_deref()),
            ]) {
                c.push(v);
            }
            ent.i[0].push(Some(e.mentions.len() as i64));
            ent.f[0].push(e.geo.as_ref().map(|g| g.lat));
            ent.f[1].push(e.geo.as_ref().map(|g| g.lon));
        }
        for q in &r.quotes {
            for (c, v) in quo.s.iter_mut().zip([
                Some(r.id.as_str()),
                Some(q.id.as_str()),
                Some(q.content.as_str()),
                Some(q.kind.as_str()),
                q.speaker.as_deref(),
                q.speaker_text.as_deref(),
                q.cue.as_deref(),
            ]) {
                c.push(v);
            }
            quo.i[0].push(Some(i64::from(q.start)));
            quo.i[1].push(Some(i64::from(q.end)));
        }
        for t in &r.timexes {
            for (c, v) in tim.s.iter_mut().zip([
                Some(r.id.as_str()),
                Some(t.text.as_str()),
                Some(t.kind.as_str()),
                t.value.as_deref(),
            ]) {
                c.push(v);
            }
            tim.i[0].push(Some(i64::from(t.start)));
            tim.i[1].push(Some(i64::from(t.end)));
        }
        for e in &r.events {
            sentences.push(
                r.text
                    .chars()
                    .skip(e.sentence[0] as usize)
                    .take(e.sentence[1].saturating_sub(e.sentence[0]) as usize)
                    .collect(),
            );
            evs.push(e);
            ev_article.push(r.id.as_str());
        }
    }
    tx.execute(
        "INSERT INTO articles (id, published, title, url, source, record, text_hash, chars)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[])",
        &[&art.s[0], &art.s[1], &art.s[2], &art.s[3], &art.s[4], &art.s[5], &art.s[6], &art.i[0]],
    )?;
    tx.execute(
        "INSERT INTO entities (article_id, entity_id, name, type, country, sector, code, title, admin1, mentions, lat, lon)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                              $8::text[], $9::text[], $10::bigint[], $11::float8[], $12::float8[])",
        &[
            &ent.s[0], &ent.s[1], &ent.s[2], &ent.s[3], &ent.s[4], &ent.s[5], &ent.s[6], &ent.s[7], &ent.s[8],
            &ent.i[0], &ent.f[0], &ent.f[1],
        ],
    )?;
    tx.execute(
        "INSERT INTO quotes (article_id, quote_id, content, kind, speaker, speaker_text, cue, start, \"end\")
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                              $8::bigint[], $9::bigint[])",
        &[&quo.s[0], &quo.s[1], &quo.s[2], &quo.s[3], &quo.s[4], &quo.s[5], &quo.s[6], &quo.i[0], &quo.i[1]],
    )?;
    tx.execute(
        "INSERT INTO timexes (article_id, text, type, value, start, \"end\")
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])",
        &[&tim.s[0], &tim.s[1], &tim.s[2], &tim.s[3], &tim.i[0], &tim.i[1]],
    )?;
    // Events: many columns; one statement per event keeps this readable, and events are
    // the fewest rows (about one per article in news at large).
    let st = tx.prepare(
        "INSERT INTO events (article_id, event_id, cameo, root, quad, goldstein, plover, plover_mode,
            source_code, source_text, source_entity, target_code, target_text, target_entity, modality,
            date, date_text, location, country, admin1, lat, lon, killed, wounded,
            sentence_start, sentence_end, sentence, date_basis, location_precision, location_basis, mentions,
            confidence, reporter_code, reporter_text, reporter_entity)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31,$32,$33,$34,$35)",
    )?;
    for ((e, article), sentence) in evs.iter().zip(&ev_article).zip(&sentences) {
        let loc = e.location.as_ref();
        tx.execute(
            &st,
            &[
                article,
                &e.id,
                &e.cameo,
                &e.root,
                &i64::from(e.quad),
                &f64::from(e.goldstein),
                &e.plover.kind,
                &e.plover.mode,
                &e.source.as_ref().and_then(|p| p.code.as_deref()),
                &e.source.as_ref().map(|p| p.text.as_str()),
                &e.source.as_ref().and_then(|p| p.entity.as_deref()),
                &e.target.as_ref().and_then(|p| p.code.as_deref()),
                &e.target.as_ref().map(|p| p.text.as_str()),
                &e.target.as_ref().and_then(|p| p.entity.as_deref()),
                &e.modality,
                &e.date,
                &e.date_text,
                &loc.map(|l| l.name.as_str()),
                &loc.and_then(|l| l.country.as_deref()),
                &loc.and_then(|l| l.admin1.as_deref()),
                &loc.map(|l| l.lat),
                &loc.map(|l| l.lon),
                &e.killed.map(i64::from),
                &e.wounded.map(i64::from),
                &i64::from(e.sentence[0]),
                &i64::from(e.sentence[1]),
                sentence,
                &e.date_basis,
                &loc.and_then(|l| l.precision.as_deref()),
                &loc.and_then(|l| l.basis.as_deref()),
                &(e.evidence.len().max(1) as i64),
                &e.confidence.map(|c| (f64::from(c) * 100.0).round() / 100.0),
                &e.reporter.as_ref().and_then(|p| p.code.as_deref()),
                &e.reporter.as_ref().map(|p| p.text.as_str()),
                &e.reporter.as_ref().and_then(|p| p.entity.as_deref()),
            ],
        )?;
    }
    Ok(())
}

/// Support for tests that need a real server (this crate's, the CLI's, the server's).
pub mod testing {
    /// The test server's URL from `CHRONICLE_TEST_PG`, or `None` after saying the test is
    /// skipped; with `CHRONICLE_REQUIRE_PG=1` (CI) a missing server fails the test instead.
    pub fn test_server() -> Option<String> {
        match std::env::var("CHRONICLE_TEST_PG") {
            Ok(url) => Some(url),
            Err(_) if std::env::var("CHRONICLE_REQUIRE_PG").as_deref() == Ok("1") => {
                panic!("CHRONICLE_REQUIRE_PG=1 but CHRONICLE_TEST_PG is not set")
            }
            Err(_) => {
                eprintln!("skipped: CHRONICLE_TEST_PG not set (scripts/pg-test-server.sh start)");
                None
            }
        }
    }

    /// A new, empty database `chronicle_{name}_{pid}` on the test server (dropped first if
    /// a previous run left it), as a URL; `None` when there is no server (see
    /// [`test_server`]).
    pub fn fresh_database(name: &str) -> Option<String> {
        let url = test_server()?;
        let db = format!("chronicle_{name}_{}", std::process::id());
        let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("the test server answers");
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
            .expect("drop");
        c.batch_execute(&format!("CREATE DATABASE {db}")).expect("create");
        let base = url.rsplit_once('/').map_or(url.as_str(), |(b, _)| b);
        Some(format!("{base}/{db}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("host=/tmp dbname=x"), "host=/tmp dbname=x");
    }
}
