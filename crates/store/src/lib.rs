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
mod schema;
mod select;
mod views;
mod watch;
mod write;

pub use schema::SCHEMA_VERSION;
use schema::*;
use select::*;
pub use select::{event_selection_for, Dialect};
pub use watch::{
    now_rfc3339, Channel, Delivery, DeliveryCounts, Link, LinkOutcome, LinkStatus, SourceState, WatchLedger,
    Watchlist,
};
use write::*;

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
    /// Only events stored after report number N (their `global_id` above it): what is new
    /// since a client last looked (watchlists, the web UI's "new since you last looked").
    pub after: Option<i64>,
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
