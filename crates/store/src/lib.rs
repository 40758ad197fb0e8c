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

mod record_store;
mod schema;
mod views;
mod watch;
mod write;

pub use chronicle_storeapi::*;
pub use schema::SCHEMA_VERSION;
use schema::*;
use write::*;

use chronicle_record::Record;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::path::Path;

fn table_exists(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
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

impl Store {
    /// Opens (creating if needed) a SQLite store at `path`, for writing. Any number of
    /// processes may do this at once on one new file: the schema is created or migrated
    /// under SQLite's write lock, with the version read and written in that transaction.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source: Box::new(source),
        })?;
        Self::init(conn).map_err(|e| e.at(path.display()))
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
        Self::read_only(path).map_err(|e| e.at(path.display()))
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
                put_in(tx, &Prepared::new(r.clone())?, totals)?;
                n += 1;
            }
            Ok(n)
        })
    }

    pub fn put(&mut self, record: &Record) -> Result<()> {
        self.put_all(std::iter::once(record)).map(|_| ())
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
        let mut at = |c: f64| -> Vec<String> {
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
        let mut s = Store::open(&path).expect("migrates");
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
        let runs = store.runs(10).expect("runs");
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
        assert_eq!(store.runs(1).expect("runs").len(), 1);
        let id = store.add_run(&run("enqueue", 1, Vec::new())).expect("record");
        assert_eq!(store.runs(1).expect("runs")[0].id, id);
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
        let mut r = Store::open_reader(&path).expect("reader");
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
