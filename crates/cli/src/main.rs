//! `chronicle`: the command-line edge. Only this crate (and the record crate) knows about
//! JSON, files and exit codes; everything below it works on typed documents.
//!
//! Exit codes (CONTRACT.md): 0 all inputs processed; 1 some inputs rejected (each reported
//! on stderr with file and line); 2 usage or configuration error. Never a panic.

mod bench;
mod eval_cmd;
mod parse_cmd;
mod train_cmd;

use anyhow::{anyhow, Context, Result};
use chronicle_cli::export::{self, EVENT_CSV_COLUMNS};
use chronicle_cli::filter_flags::{self, FilterFlags};
use chronicle_cli::inputs::InputOptions;
use chronicle_cli::render;
use chronicle_cli::stream::{default_jobs, run_with, RunOptions, Summary};
use chronicle_cli::watch_cmd;
use chronicle_pgstore::is_postgres_url as is_postgres;
use chronicle_pipeline::{Engine, EngineOptions, Resources};
use chronicle_record::{parse_published, InputArticle, Record};
use chronicle_store::{EventFilter, EventRow, Prepared, QuoteFilter, RecordStore, Store};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The seed article, shipped as the demo fixture.
const SEED: &str = include_str!("../fixtures/seed-peace-talks.jsonl");
/// Reports written for the project (see `fixtures/README.md`), so the demo's timeline, map
/// and network have more than one article to show.
const SAMPLE_CORPUS: &str = include_str!("../fixtures/sample-corpus.jsonl");

#[derive(Parser)]
#[command(
    name = "chronicle",
    version,
    about = "News articles in, a sourced record of world events out."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
    /// Your own actor lists on top of the built-in one (repeat for several, read in order):
    /// our tab-separated table (crates/entities/data/README.md) or PETRARCH/TABARI actor
    /// dictionaries. Read before any input; a bad row or unreadable file exits 2 listing
    /// every `file:line: problem`. Default: the CHRONICLE_ACTORS environment variable (one
    /// file).
    #[arg(long, global = true, env = "CHRONICLE_ACTORS")]
    actors: Vec<PathBuf>,
    /// Your own PETRARCH verb dictionaries (repeat for several): PETRARCH-1/TABARI syntax
    /// (`PETR.Validate.verbs.txt`) or PETRARCH-2 (`CAMEO.2.0.txt`). They replace the
    /// built-in verb table and hand lexicon: events are coded with your dictionary alone,
    /// its patterns matched on the verb's dependents. Read before any input; a bad line
    /// exits 2 listing every `file:line: problem`. Default: CHRONICLE_VERBS (one file).
    #[arg(long, global = true, env = "CHRONICLE_VERBS")]
    verbs: Vec<PathBuf>,
}

/// How `extract` and `ingest` run.
#[derive(clap::Args, Debug, Clone)]
struct RunArgs {
    /// Worker threads (default: all cores). Output order is input order whatever the number.
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// No progress bar (it is only drawn on a terminal anyway).
    #[arg(long)]
    quiet: bool,
}

impl RunArgs {
    fn options(&self) -> RunOptions {
        RunOptions {
            jobs: self.jobs.unwrap_or_else(default_jobs).max(1),
            progress: !self.quiet,
        }
    }
}

// Parsed once per process, so variant size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum WatchlistCmd {
    /// Add a watchlist: NAME, where to deliver, then the filters of `query events`
    /// (`--place UKR --cameo 19`, `--actor Putin`, `--modality reported`, ...). It
    /// delivers events stored from now on.
    #[command(arg_required_else_help = true)]
    Add {
        #[arg(long, default_value = "chronicle.db")]
        db: String,
        name: String,
        /// Append each new matching event to this JSONL file (one JSON object a line,
        /// with a `delivery_id`).
        #[arg(long)]
        jsonl: Option<String>,
        /// POST each new matching event as JSON to this URL (header Chronicle-Delivery: the
        /// delivery id; retried until a 2xx answer).
        #[arg(long)]
        webhook: Option<String>,
        /// The event filters, as `query events` takes them.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "FILTERS")]
        filters: Vec<String>,
    },
    /// The watchlists with their deliveries (delivered, pending, failing).
    List {
        #[arg(long, default_value = "chronicle.db")]
        db: String,
    },
    /// Remove a watchlist (its undelivered deliveries with it).
    Remove {
        #[arg(long, default_value = "chronicle.db")]
        db: String,
        name: String,
    },
}

#[derive(Subcommand)]
enum Cmd {
    /// Extract the bundled seed article, store it in a SQLite file and print a summary.
    Demo {
        #[arg(long, default_value = "chronicle.db")]
        db: String,
        /// Stop after storing and printing (scripts, CI) instead of serving the web UI.
        #[arg(long)]
        no_serve: bool,
        /// Port for the web UI (another free port if this one is taken).
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Extract records to stdout (JSONL). Reads stdin when no file (or `-`) is given.
    ///
    /// Inputs: .jsonl (.jsonl.gz), .json, .txt, .html, .warc / .warc.gz (Common Crawl
    /// News), .rss / .atom / .xml feeds, directories of them, and quoted globs.
    Extract {
        files: Vec<String>,
        /// Publication date for plain .txt/.html inputs (YYYY-MM-DD).
        #[arg(long)]
        published: Option<String>,
        #[arg(long, value_enum, default_value_t = ExtractFormat::Jsonl)]
        format: ExtractFormat,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Extract and store in the database (same inputs as `extract`).
    Ingest {
        #[arg(long, default_value = "chronicle.db")]
        db: String,
        files: Vec<String>,
        #[arg(long)]
        published: Option<String>,
        #[command(flatten)]
        run: RunArgs,
    },
    /// One article's records, for a person to read.
    Show {
        #[arg(long, default_value = "chronicle.db")]
        db: String,
        id: String,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
        /// After the text or marked view: the dependency parse of each sentence with an
        /// event (every sentence when there is none), one line per token (index, form,
        /// UPOS, head index and form, relation). Parsed again from the stored text.
        #[arg(long)]
        deps: bool,
        /// With --deps: only sentence N (1-based, as `S3` in the marked view).
        #[arg(long, value_name = "N", requires = "deps")]
        sentence: Option<usize>,
    },
    /// The token and syntax layers as CoNLL-U (UPOS, XPOS, lemma, features, head and
    /// relation per token), for the inputs `extract` reads; or `--conllu FILE` to
    /// re-annotate the words of a CoNLL-U file as given (gold tokenisation).
    Parse {
        #[command(flatten)]
        args: parse_cmd::ParseArgs,
        /// Publication date for plain .txt/.html inputs (YYYY-MM-DD).
        #[arg(long)]
        published: Option<String>,
    },
    /// Events, quotes or actors, filtered; or articles by full-text search.
    ///
    /// A flag the query kind does not take, or a value a filter cannot mean (`--since
    /// yesterday`, `--modality maybe`), is a usage error (exit 2) naming what it takes,
    /// never an empty answer.
    Query {
        #[arg(long, default_value = "chronicle.db")]
        db: String,
        #[arg(value_enum, default_value_t = QueryKind::Events)]
        kind: QueryKind,
        /// The filters: one flag per parameter of the store's filters (`EventFilter`,
        /// `QuoteFilter`), the same names and checks as the HTTP API's.
        #[command(flatten)]
        filters: FilterFlags,
        /// table for a person; jsonl (events: the contract's event objects, with their
        /// article and cluster figures) and csv for tools.
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// The whole store in an analyst's format.
    Export {
        #[arg(long, default_value = "chronicle.db")]
        db: String,
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to this file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// HTTP API and web UI over a store.
    Serve {
        #[arg(long, default_value = "chronicle.db")]
        db: String,
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Address to listen on (default loopback only; 0.0.0.0 serves every interface).
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// Seconds a query may run before it is interrupted and answered 503.
        #[arg(long, default_value_t = 30.0)]
        query_timeout: f64,
        /// An origin (e.g. https://notebook.example.org) whose pages may call the API
        /// from a browser (CORS); repeat for more. Default: none.
        #[arg(long = "cors-origin")]
        cors_origins: Vec<String>,
        /// Accept articles on `POST /api/articles` from clients presenting this bearer
        /// token (default: read-only). Prefer the environment variable to the flag: a
        /// flag shows in the process list.
        #[arg(long, env = "CHRONICLE_WRITE_TOKEN", hide_env_values = true)]
        write_token: Option<String>,
    },
    /// Queue files for workers (PostgreSQL store): every input format `ingest` reads.
    Enqueue {
        /// postgres://user@host:port/db
        #[arg(long)]
        db: String,
        files: Vec<String>,
        #[arg(long)]
        published: Option<String>,
    },
    /// Process queued articles (PostgreSQL store): claim a batch, extract it, commit its
    /// records with the end of its claim; run as many as you like, on as many machines.
    Worker {
        #[arg(long)]
        db: String,
        /// Stop when nothing is queued or running (else wait for more work).
        #[arg(long)]
        exit_when_empty: bool,
        /// Articles claimed per batch (one transaction each).
        #[arg(long, default_value_t = 64)]
        batch: i64,
        /// Seconds a claim lasts without a heartbeat (a dead worker's batch is taken over
        /// after this long).
        #[arg(long, default_value_t = 60.0)]
        lease: f64,
        /// Extraction threads (default: all cores).
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
        /// This worker's name in `status` (default host:pid).
        #[arg(long)]
        name: Option<String>,
    },
    /// What a store holds and its last runs: `ingest` (and `enqueue`) runs with articles
    /// stored (queued), inputs rejected and the most frequent reasons, each with an
    /// example origin. For a PostgreSQL database also the queue, its workers and failures.
    Status {
        /// A SQLite file (`FILE` or `sqlite:FILE`) or postgres://user@host:port/db.
        #[arg(long, default_value = "chronicle.db")]
        db: String,
    },
    /// Figures on a gold set: ner, quotes, events, conflict, geo, time, html.
    Eval {
        task: String,
        #[arg(long)]
        gold: PathBuf,
        /// Score only the first N gold records.
        #[arg(long)]
        limit: Option<usize>,
        /// NER: extract the lines of one `doc` together, as an article (default: one line
        /// at a time, the protocol of shared/eval/README.md).
        #[arg(long)]
        by_document: bool,
    },
    /// Follow RSS/Atom/JSON feeds and sitemaps: each cycle fetches the sources (politely:
    /// robots.txt, at most --per-host requests at once per host, conditional requests),
    /// then every new article once, and stores it (SQLite: extracted here; PostgreSQL:
    /// queued for `chronicle worker`). Resumes where a killed watch stopped. Each cycle is
    /// a run in `chronicle status`; watchlists are delivered after each cycle.
    Watch {
        #[arg(long, default_value = "chronicle.db")]
        db: String,
        /// The sources file: `URL [name] [#tag ...]` a line, `#` comments.
        #[arg(long)]
        sources: PathBuf,
        /// Between the starts of two cycles (30s, 15m, 2h).
        #[arg(long, default_value = "15m", value_parser = chronicle_cli::watch_cmd::parse_interval)]
        every: std::time::Duration,
        /// One cycle, its watchlist deliveries, then exit (cron, scripts).
        #[arg(long)]
        once: bool,
        /// Stop after this many cycles.
        #[arg(long)]
        cycles: Option<u64>,
        /// Requests in flight to one host at most.
        #[arg(long, default_value_t = 2)]
        per_host: usize,
        /// Between the starts of two requests to one host (robots.txt's Crawl-delay when
        /// it asks for more).
        #[arg(long, default_value = "1s", value_parser = chronicle_cli::watch_cmd::parse_interval)]
        delay: std::time::Duration,
        /// Fetching (and, on SQLite, extracting) threads.
        #[arg(long, default_value_t = 8)]
        workers: usize,
        /// Timeout of one request.
        #[arg(long, default_value = "30s", value_parser = chronicle_cli::watch_cmd::parse_interval)]
        timeout: std::time::Duration,
        /// Tries after the first for a request that failed in a way that may pass (connection,
        /// timeout, 429, 5xx), waiting --backoff, then twice as long, ...
        #[arg(long, default_value_t = 2)]
        retries: u32,
        #[arg(long, default_value = "2s", value_parser = chronicle_cli::watch_cmd::parse_interval)]
        backoff: std::time::Duration,
        /// Timeout of one webhook call (a failed delivery is retried in a later pass).
        #[arg(long, default_value = "10s", value_parser = chronicle_cli::watch_cmd::parse_interval)]
        webhook_timeout: std::time::Duration,
        /// A failed webhook delivery waits this long before its next try, doubling each time
        /// (at most an hour).
        #[arg(long, default_value = "30s", value_parser = chronicle_cli::watch_cmd::parse_interval)]
        webhook_retry: std::time::Duration,
        /// Only errors on stderr.
        #[arg(long)]
        quiet: bool,
    },
    /// Saved event queries whose new matches `watch` delivers once each: to a JSONL file
    /// and/or a webhook (POST), and to the web UI's "new since you last looked".
    Watchlist {
        #[command(subcommand)]
        cmd: WatchlistCmd,
    },
    /// Throughput and memory on a corpus, beside the spaCy peer on the same articles.
    Bench(bench::BenchArgs),
    /// Trains a model from gold data (the training data is never shipped; see the model's
    /// README for the sources).
    Train(train_cmd::TrainArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ExtractFormat {
    Jsonl,
    Show,
    Marked,
}

#[derive(Clone, Copy, ValueEnum)]
enum ShowFormat {
    Text,
    Json,
    Marked,
}

#[derive(Clone, Copy, ValueEnum)]
enum QueryKind {
    Events,
    Quotes,
    Actors,
    /// Full-text search over article titles and text (`--text` is an FTS5 query).
    Articles,
}

#[derive(Clone, Copy, ValueEnum)]
enum TableFormat {
    Table,
    Jsonl,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// GDELT 2.0 Events: one row per event (reports of one event merged), 61 columns.
    Gdelt,
    /// GDELT 2.0 Mentions: one row per report of an event, 16 columns.
    GdeltMentions,
    Plover,
    Jsonl,
    Csv,
    Parquet,
}

/// A usage or configuration problem: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        // The reader went away (`chronicle ... | head`): it has what it wanted, so end
        // quietly with success, as ripgrep and the coreutils-minded tools do.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("chronicle: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether `e` comes from writing to a pipe whose reader has closed it.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(
                |c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe),
            )
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    let res = resources(cli.actors, cli.verbs)?;
    let res = res.as_ref();
    match cli.cmd {
        Cmd::Demo { db, no_serve, port } => demo(res, &db, !no_serve, port),
        Cmd::Extract {
            files,
            published,
            format,
            run,
        } => extract(res, &files, published.as_deref(), format, &run.options()),
        Cmd::Ingest {
            db,
            files,
            published,
            run,
        } => ingest(res, &db, &files, published.as_deref(), &run.options()),
        Cmd::Show {
            db,
            id,
            format,
            deps,
            sentence,
        } => show(&db, &id, format, deps, sentence),
        Cmd::Parse { args, published } => {
            if let Some(f) = args.files.iter().find(|f| parse_cmd::looks_like_conllu(f)) {
                return Err(UsageError(format!(
                    "{f}: a CoNLL-U file is read with `chronicle parse --conllu {f}`"
                ))
                .into());
            }
            let opts = published_opt(published.as_deref())?;
            parse_cmd::run(args, opts.published)
        }
        Cmd::Query {
            db,
            kind,
            filters,
            format,
        } => {
            // A flag the kind does not take would be silently ignored: refuse it.
            let takes: Vec<&str> = match kind {
                QueryKind::Events => EventFilter::param_names(),
                QueryKind::Quotes => QuoteFilter::param_names(),
                QueryKind::Actors => filter_flags::ACTOR_FLAGS.iter().map(|f| f.0).collect(),
                QueryKind::Articles => filter_flags::ARTICLE_FLAGS.iter().map(|f| f.0).collect(),
            };
            if let Some(flag) = filters.first_outside(&takes) {
                let name = kind
                    .to_possible_value()
                    .map(|v| v.get_name().to_string())
                    .unwrap_or_default();
                let takes: Vec<String> = takes
                    .iter()
                    .map(|t| format!("--{}", t.replace('_', "-")))
                    .collect();
                let flag = flag.replace('_', "-");
                return Err(UsageError(format!(
                    "--{flag} does not apply to `query {name}`; it takes {}",
                    takes.join(", ")
                ))
                .into());
            }
            // Read and checked before the store is opened: a wrong value is the user's to
            // fix whatever the store holds.
            let usage = |e: chronicle_store::FilterError| UsageError(e.message("--"));
            let limit = match filters.get("limit") {
                Some(v) => Some(chronicle_store::parse_count("limit", v).map_err(usage)?),
                None => None,
            };
            let events_filter = match kind {
                QueryKind::Events => filters.event_filter().map_err(usage)?,
                _ => EventFilter::default(),
            };
            let quote_filter = match kind {
                QueryKind::Quotes => filters.quote_filter().map_err(usage)?,
                _ => QuoteFilter::default(),
            };
            let mut out = BufWriter::new(std::io::stdout().lock());
            let mut store = open_any_reader(&db)?;
            match kind {
                QueryKind::Events => {
                    let rows = store.events(&events_filter).map_err(|e| anyhow!("{db}: {e}"))?;
                    write_events(&mut out, &rows, format, Some(store.as_mut()))?;
                }
                QueryKind::Quotes => {
                    let rows = store.quotes(&quote_filter).map_err(|e| anyhow!("{db}: {e}"))?;
                    write_quotes(&mut out, &rows, format)?;
                }
                QueryKind::Actors => {
                    let rows = store
                        .actors(filters.get("actor"), limit)
                        .map_err(|e| anyhow!("{db}: {e}"))?;
                    write_actors(&mut out, &rows, format)?;
                }
                QueryKind::Articles => {
                    let Some(q) = filters.get("text").map(str::to_string) else {
                        return Err(
                            UsageError("`query articles` needs --text QUERY (an FTS5 query)".into()).into(),
                        );
                    };
                    let rows = store
                        .search(&q, limit.unwrap_or(20))
                        .map_err(|e| UsageError(format!("--text {q:?}: {e}")))?;
                    write_articles(&mut out, &rows, format)?;
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Export { db, format, out } => export_cmd(&db, format, out.as_deref()),
        Cmd::Serve {
            db,
            port,
            host,
            query_timeout,
            cors_origins,
            write_token,
        } => {
            let target = sqlite_path(&db).to_string();
            if !is_postgres(&db) && !Path::new(&target).is_file() {
                return Err(UsageError(format!(
                    "--db {db}: no such store (run `chronicle ingest --db {db} ...` first)"
                ))
                .into());
            }
            let addr = std::net::SocketAddr::new(host, port);
            if !(query_timeout > 0.0 && query_timeout <= 86_400.0) {
                return Err(UsageError(format!(
                    "--query-timeout {query_timeout}: give seconds between 0 and 86400"
                ))
                .into());
            }
            let write = match write_token {
                None => None,
                Some(token) if token.trim().len() < 16 => {
                    return Err(UsageError(
                        "--write-token: use at least 16 characters (e.g. `openssl rand -hex 16`)".into(),
                    )
                    .into())
                }
                Some(token) => {
                    let store: Box<dyn RecordStore + Send> = if is_postgres(&db) {
                        Box::new(chronicle_pgstore::PgStore::connect(&db)?)
                    } else {
                        Box::new(open_store(&db)?)
                    };
                    let writer = chronicle_cli::write::PipelineWriter::new(engine(res)?, store);
                    Some(chronicle_server::WriteAccess {
                        token: token.trim().to_string(),
                        writer: std::sync::Arc::new(writer),
                    })
                }
            };
            let writable = write.is_some();
            let opts = chronicle_server::Options {
                query_timeout: std::time::Duration::from_secs_f64(query_timeout),
                cors_origins,
                write,
                ..Default::default()
            };
            // Printed once bound, with the real port (`--port 0` lets the system pick one).
            let shown = if is_postgres(&db) {
                "the database".to_string()
            } else {
                db.clone()
            };
            let ready = move |bound: std::net::SocketAddr| {
                let mode = if writable {
                    "POST /api/articles open to the write token"
                } else {
                    "read-only"
                };
                eprintln!(
                    "chronicle: serving {shown} at http://{bound}/ (web UI at /, API under /api/, \
                     OpenAPI at /openapi.json; {mode}); Ctrl-C stops"
                );
            };
            chronicle_server::serve_blocking(target, addr, opts, ready)
                .map_err(|e| anyhow!("serve on {addr}: {e}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Enqueue { db, files, published } => {
            let url = postgres_url(&db)?;
            let opts = published_opt(published.as_deref())?;
            let e = chronicle_cli::queue::enqueue(url, &files, &opts)?;
            for n in &e.notes {
                eprintln!("chronicle: {n}");
            }
            for r in &e.rejected {
                eprintln!("chronicle: {r}");
            }
            eprintln!(
                "chronicle: {} article(s) queued, {} input(s) rejected",
                e.queued,
                e.rejected.len()
            );
            Ok(if e.rejected.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Cmd::Worker {
            db,
            exit_when_empty,
            batch,
            lease,
            jobs,
            name,
        } => {
            let url = postgres_url(&db)?;
            if batch < 1 || !(lease.is_finite() && lease >= 0.1) {
                return Err(
                    UsageError("--batch must be at least 1 and --lease at least 0.1 s".into()).into(),
                );
            }
            let o = chronicle_cli::queue::WorkerOptions {
                batch,
                lease: std::time::Duration::from_secs_f64(lease),
                jobs: jobs.unwrap_or_else(default_jobs).max(1),
                exit_when_empty,
                name: name.unwrap_or_else(chronicle_cli::queue::default_worker_name),
            };
            let engine = engine(res)?;
            let w = chronicle_cli::queue::work(url, &engine, &o)?;
            eprintln!(
                "chronicle: worker {}: {} batch(es), {} article(s) stored, {} failed, {} batch(es) taken over by another worker",
                o.name, w.batches, w.done, w.failed, w.lost
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Status { db } => {
            let report = if is_postgres(&db) {
                chronicle_cli::status::postgres(&db)?
            } else {
                let path = Path::new(sqlite_path(&db));
                if !path.is_file() {
                    return Err(UsageError(format!(
                        "--db {db}: no such store (run `chronicle ingest --db {db} ...` first)"
                    ))
                    .into());
                }
                chronicle_cli::status::sqlite(path).map_err(|e| UsageError(format!("{db}: {e:#}")))?
            };
            std::io::stdout().lock().write_all(report.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Eval {
            task,
            gold,
            limit,
            by_document,
        } => eval_cmd::run(res, &task, &gold, limit, by_document),
        Cmd::Bench(args) => bench::run(res, args),
        Cmd::Train(args) => train_cmd::run(args),
        Cmd::Watch {
            db,
            sources,
            every,
            once,
            cycles,
            per_host,
            delay,
            workers,
            timeout,
            retries,
            backoff,
            webhook_timeout,
            webhook_retry,
            quiet,
        } => {
            if per_host == 0 || workers == 0 {
                return Err(UsageError("--per-host and --workers take a whole number above 0".into()).into());
            }
            let args = watch_cmd::WatchArgs {
                db: db.clone(),
                sources,
                every,
                once,
                cycles,
                fetch: chronicle_watch::FetchOptions {
                    per_host,
                    delay,
                    timeout,
                    retries,
                    backoff,
                    ..Default::default()
                },
                workers,
                alert_every: std::time::Duration::from_secs(2),
                webhook_timeout,
                webhook_retry,
                quiet,
            };
            // PostgreSQL: the workers extract, no engine here.
            let engine = if is_postgres(&db) {
                None
            } else {
                Some(engine(res)?)
            };
            watch_cmd::run(engine, &args)
        }
        Cmd::Watchlist { cmd } => {
            let out = match cmd {
                WatchlistCmd::Add {
                    db,
                    name,
                    jsonl,
                    webhook,
                    filters,
                } => watch_cmd::add(&db, &name, &filters, jsonl, webhook),
                WatchlistCmd::List { db } => watch_cmd::list(&db),
                WatchlistCmd::Remove { db, name } => watch_cmd::remove(&db, &name),
            };
            match out {
                Ok(text) => {
                    print!("{text}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => match e.downcast::<watch_cmd::WatchUsage>() {
                    Ok(u) => Err(UsageError(u.0).into()),
                    Err(e) => Err(e),
                },
            }
        }
    }
}

/// The file a SQLite `--db` names (`FILE` or `sqlite:FILE`).
fn sqlite_path(db: &str) -> &str {
    db.strip_prefix("sqlite:").unwrap_or(db)
}

/// `--db` for the queue commands, which need PostgreSQL.
fn postgres_url(db: &str) -> Result<&str> {
    if is_postgres(db) {
        Ok(db)
    } else {
        Err(UsageError(format!(
            "--db {db}: the work queue lives in PostgreSQL (postgres://user@host:port/db); \
             for one machine, `chronicle ingest --db FILE.db` uses the embedded SQLite store"
        ))
        .into())
    }
}

/// Any store: a PostgreSQL URL, else a SQLite file.
fn open_any(db: &str) -> Result<Box<dyn RecordStore>> {
    if is_postgres(db) {
        Ok(Box::new(chronicle_pgstore::PgStore::connect(db)?))
    } else {
        Ok(Box::new(open_store(db)?))
    }
}

/// An existing store for the commands that only read (`query`, `show`, `export`): a
/// PostgreSQL URL, else a SQLite file opened read-only, never created (a mistyped `--db`
/// is a usage error, exit 2).
fn open_any_reader(db: &str) -> Result<Box<dyn RecordStore>> {
    if is_postgres(db) {
        Ok(Box::new(chronicle_pgstore::PgStore::connect(db)?))
    } else {
        Ok(Box::new(
            Store::open_reader(Path::new(sqlite_path(db))).map_err(|e| UsageError(e.to_string()))?,
        ))
    }
}

/// A SQLite store: `--db FILE` or `--db sqlite:FILE`.
fn open_store(db: &str) -> Result<Store> {
    if is_postgres(db) {
        return Err(UsageError(format!(
            "{db}: the demo writes a SQLite file; give a path (every other command also takes a postgres:// URL)"
        ))
        .into());
    }
    let path = sqlite_path(db);
    Ok(Store::open(Path::new(path)).map_err(|e| UsageError(e.to_string()))?)
}

fn published_opt(p: Option<&str>) -> Result<InputOptions> {
    let published = match p {
        None => None,
        Some(s) => Some(
            parse_published(s)
                .ok_or_else(|| UsageError(format!("--published {s:?}: expected YYYY-MM-DD or RFC 3339")))?,
        ),
    };
    Ok(InputOptions { published })
}

/// The user's resources (`--actors`), read before anything else so a bad file ends the
/// command (exit 2) before any input is read or any store opened; `None` without any.
/// PETRARCH dictionary entries that cannot be converted are left out and said once here.
fn resources(actor_files: Vec<PathBuf>, verb_files: Vec<PathBuf>) -> Result<Option<Resources>> {
    if actor_files.is_empty() && verb_files.is_empty() {
        return Ok(None);
    }
    let res = Resources::load(&EngineOptions {
        actor_files,
        verb_files,
    })
    .map_err(|e| match e {
        chronicle_pipeline::EngineError::Verbs(e) => UsageError(format!("--verbs: {e}")),
        e => UsageError(format!("--actors: {e}")),
    })?;
    if let Some(n) = res
        .verbs()
        .map(|v| v.unsupported_transformations())
        .filter(|&n| n > 0)
    {
        eprintln!("chronicle: --verbs: {n} transformation line(s) (`~`) not applied (not supported)");
    }
    let skipped = res.skipped();
    if !skipped.is_empty() {
        eprintln!(
            "chronicle: --actors: {} PETRARCH dictionary line(s) left out (cannot be converted):",
            skipped.len()
        );
        const SHOWN: usize = 10;
        for s in skipped.iter().take(SHOWN) {
            eprintln!("  {s}");
        }
        if skipped.len() > SHOWN {
            eprintln!("  ... and {} more", skipped.len() - SHOWN);
        }
    }
    Ok(Some(res))
}

/// The engine with models and gazetteer loaded up front, before the first article needs
/// them.
fn engine(res: Option<&Resources>) -> Result<Engine> {
    chronicle_pipeline::warm_up();
    chronicle_pipeline::warm_up_in_background();
    build_engine(res)
}

/// The engine, built with the user's resources when there are any.
pub(crate) fn build_engine(res: Option<&Resources>) -> Result<Engine> {
    match res {
        Some(r) => Ok(Engine::with_resources(r)?),
        None => Engine::new().map_err(|e| anyhow!("internal pipeline error: {e}")),
    }
}

/// The exit code a run ends with: 1 when some input was rejected (CONTRACT.md).
fn exit_code(summary: &Summary) -> u8 {
    u8::from(summary.rejected > 0)
}

fn finish(summary: &Summary, verb: &str) -> ExitCode {
    eprintln!("{}", summary.report(verb));
    ExitCode::from(exit_code(summary))
}

fn extract(
    res: Option<&Resources>,
    files: &[String],
    published: Option<&str>,
    format: ExtractFormat,
    ro: &RunOptions,
) -> Result<ExitCode> {
    let opts = published_opt(published)?;
    let engine = engine(res)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    // Rendered on the workers; the writer only copies bytes.
    let render = |rec: chronicle_record::Record| match format {
        ExtractFormat::Jsonl => rec.to_json_line(),
        ExtractFormat::Show => render::show(&rec),
        ExtractFormat::Marked => render::marked(&rec),
    };
    let summary = run_with(&engine, files, &opts, ro, &render, &mut |line: String| {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    out.flush()?;
    Ok(finish(&summary, "extracted"))
}

/// Reads `files` into the store at `db`; a run that reads all its inputs is kept in the
/// store's run log (`chronicle status` shows it), rejections included.
fn ingest(
    res: Option<&Resources>,
    db: &str,
    files: &[String],
    published: Option<&str>,
    ro: &RunOptions,
) -> Result<ExitCode> {
    let started = chrono::Utc::now();
    let opts = published_opt(published)?;
    // The SQLite file, or a PostgreSQL database (one machine writing; for many, enqueue
    // and run workers).
    let mut store = open_any(db)?;
    let mut put = |batch: &[Prepared]| -> Result<()> {
        store.put_prepared(batch).map_err(|e| anyhow!("{db}: {e}"))?;
        Ok(())
    };
    let engine = engine(res)?;
    let mut batch = Vec::with_capacity(256);
    // Records are serialised for the store on the extraction threads; the writer only
    // writes (it is one thread, the workers are many).
    let prepare = |rec: Record| Prepared::new(rec);
    let summary = run_with(&engine, files, &opts, ro, &prepare, &mut |prepared| {
        batch.push(prepared?);
        if batch.len() >= 256 {
            put(&batch)?;
            batch.clear();
        }
        Ok(())
    })?;
    put(&batch)?;
    let log = summary.run_log(
        "ingest",
        files,
        started,
        summary.extracted,
        i32::from(exit_code(&summary)),
    );
    store
        .add_run(&log)
        .map_err(|e| anyhow!("{db}: recording the run: {e}"))?;
    let c = store.counts().map_err(|e| anyhow!("{db}: {e}"))?;
    eprintln!(
        "chronicle: {} now holds {} articles, {} entities, {} quotes, {} events",
        if is_postgres(db) { "the database" } else { db },
        c.articles,
        c.entities,
        c.quotes,
        c.events
    );
    Ok(finish(&summary, "ingested"))
}

fn show(db: &str, id: &str, format: ShowFormat, deps: bool, sentence: Option<usize>) -> Result<ExitCode> {
    if deps && matches!(format, ShowFormat::Json) {
        return Err(UsageError("--deps goes with --format text or marked, not json".into()).into());
    }
    let Some(rec) = open_any_reader(db)?.get(id).map_err(|e| anyhow!("{db}: {e}"))? else {
        return Err(UsageError(format!("{db}: no article with id {id:?}")).into());
    };
    // A sentence number out of range is refused before anything is printed.
    let which = if deps {
        render::deps_sentences(&rec, sentence).map_err(UsageError)?
    } else {
        Vec::new()
    };
    let mut out = std::io::stdout().lock();
    match format {
        ShowFormat::Text => write!(out, "{}", render::show(&rec))?,
        ShowFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rec)?)?,
        ShowFormat::Marked => write!(out, "{}", render::marked(&rec))?,
    }
    if deps {
        let pass =
            chronicle_pipeline::SyntaxPass::new().map_err(|e| anyhow!("internal pipeline error: {e}"))?;
        // The stored record has the text and its sentences but no syntax: parse again
        // (deterministic), on the record's own sentence boundaries.
        let doc = pass.document_with_sentences(&rec.id, &rec.text, &rec.sentences);
        writeln!(out, "\nDependencies")?;
        write!(out, "{}", render::dependencies(&doc, &which))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Events as a table, contract-shaped JSON lines or CSV. JSON lines take each event's
/// object from its article's stored record (`store`), so they carry every contract field;
/// without a store (or a record) the row's own fields stand in.
fn write_events(
    out: &mut dyn Write,
    rows: &[chronicle_store::EventRow],
    format: TableFormat,
    mut store: Option<&mut dyn RecordStore>,
) -> Result<()> {
    match format {
        TableFormat::Table => {
            writeln!(
                out,
                "{:<22} {:<5} {:<8} {:<10} {:<28} {:<28} {:<12} {:<12} {:>8} {:>7} {:>8}",
                "article",
                "cameo",
                "plover",
                "date",
                "source",
                "target",
                "modality",
                "place",
                "mentions",
                "sources",
                "articles"
            )?;
            for e in rows {
                let side = |code: &Option<String>, text: &Option<String>| {
                    let t: String = text.as_deref().unwrap_or("?").chars().take(18).collect();
                    format!("{t} {}", code.as_deref().unwrap_or(""))
                };
                writeln!(
                    out,
                    "{:<22} {:<5} {:<8} {:<10} {:<28} {:<28} {:<12} {:<12} {:>8} {:>7} {:>8}",
                    e.article_id.chars().take(22).collect::<String>(),
                    e.cameo,
                    e.plover,
                    e.date.as_deref().unwrap_or("-"),
                    side(&e.source_code, &e.source_text),
                    side(&e.target_code, &e.target_text),
                    e.modality,
                    e.location.as_deref().unwrap_or("-"),
                    e.num_mentions,
                    e.num_sources,
                    e.num_articles
                )?;
            }
            writeln!(out, "({} events)", rows.len())?;
        }
        TableFormat::Jsonl => {
            // Rows come in storing order, so one article's events are together: one
            // record read per article.
            let mut cached: Option<(String, Option<Record>)> = None;
            for e in rows {
                if cached.as_ref().is_none_or(|(id, _)| *id != e.article_id) {
                    let rec = match store.as_deref_mut() {
                        Some(s) => s.get(&e.article_id).map_err(|err| anyhow!("{err}"))?,
                        None => None,
                    };
                    cached = Some((e.article_id.clone(), rec));
                }
                let stored = cached
                    .as_ref()
                    .and_then(|(_, r)| r.as_ref())
                    .and_then(|r| r.events.iter().find(|v| v.id == e.event_id));
                writeln!(out, "{}", export::event_json(e, stored))?;
            }
        }
        TableFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(EVENT_CSV_COLUMNS)?;
            for e in rows {
                w.write_record(export::event_csv_record(e))?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

fn write_quotes(out: &mut dyn Write, rows: &[chronicle_store::QuoteRow], format: TableFormat) -> Result<()> {
    match format {
        TableFormat::Table => {
            for q in rows {
                writeln!(
                    out,
                    "{} {} {} [{}] {}: \"{}\"",
                    q.article_id,
                    q.quote_id,
                    q.published.as_deref().unwrap_or("-"),
                    q.kind,
                    q.speaker.as_deref().unwrap_or("(unattributed)"),
                    q.content
                )?;
            }
            writeln!(out, "({} quotes)", rows.len())?;
        }
        TableFormat::Jsonl => {
            for q in rows {
                let v = serde_json::json!({"article_id": q.article_id, "quote_id": q.quote_id,
                    "published": q.published, "kind": q.kind, "speaker": q.speaker, "cue": q.cue,
                    "content": q.content});
                writeln!(out, "{v}")?;
            }
        }
        TableFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "article_id",
                "quote_id",
                "published",
                "kind",
                "speaker",
                "cue",
                "content",
            ])?;
            for q in rows {
                w.write_record([
                    q.article_id.as_str(),
                    &q.quote_id,
                    q.published.as_deref().unwrap_or(""),
                    &q.kind,
                    q.speaker.as_deref().unwrap_or(""),
                    q.cue.as_deref().unwrap_or(""),
                    &q.content,
                ])?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

fn write_articles(
    out: &mut dyn Write,
    rows: &[(String, Option<String>, String)],
    format: TableFormat,
) -> Result<()> {
    match format {
        TableFormat::Jsonl => {
            for (id, title, snippet) in rows {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"id": id, "title": title, "snippet": snippet})
                )?;
            }
        }
        TableFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["id", "title", "snippet"])?;
            for (id, title, snippet) in rows {
                w.write_record([id.as_str(), title.as_deref().unwrap_or(""), snippet.as_str()])?;
            }
            w.flush()?;
        }
        TableFormat::Table => {
            for (id, title, snippet) in rows {
                writeln!(out, "{id}  {}\n    {snippet}", title.as_deref().unwrap_or(""))?;
            }
        }
    }
    Ok(())
}

fn write_actors(out: &mut dyn Write, rows: &[chronicle_store::ActorRow], format: TableFormat) -> Result<()> {
    match format {
        TableFormat::Table => {
            writeln!(
                out,
                "{:<30} {:<10} {:<30} {:>8} {:>8}  names",
                "actor", "code", "title", "articles", "mentions"
            )?;
            for a in rows {
                writeln!(
                    out,
                    "{:<30} {:<10} {:<30} {:>8} {:>8}  {}",
                    a.name,
                    a.code.as_deref().unwrap_or("-"),
                    a.title.as_deref().unwrap_or("-"),
                    a.articles,
                    a.mentions,
                    a.names.join(", ")
                )?;
            }
        }
        TableFormat::Jsonl => {
            for a in rows {
                let v = serde_json::json!({"name": a.name, "code": a.code, "title": a.title,
                    "articles": a.articles, "mentions": a.mentions, "names": a.names});
                writeln!(out, "{v}")?;
            }
        }
        TableFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["name", "code", "title", "articles", "mentions", "names"])?;
            for a in rows {
                w.write_record([
                    a.name.as_str(),
                    a.code.as_deref().unwrap_or(""),
                    a.title.as_deref().unwrap_or(""),
                    &a.articles.to_string(),
                    &a.mentions.to_string(),
                    &a.names.join("; "),
                ])?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

fn export_cmd(db: &str, format: ExportFormat, out_path: Option<&Path>) -> Result<ExitCode> {
    if matches!(format, ExportFormat::Parquet) && out_path.is_none() {
        return Err(UsageError(
            "--format parquet writes a binary file: name it with --out FILE.parquet".into(),
        )
        .into());
    }
    let mut store = open_any_reader(db)?;
    let store = store.as_mut();
    let mut out: Box<dyn Write + Send> = match out_path {
        Some(p) => Box::new(BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout())),
    };
    let all = EventFilter::default();
    match format {
        ExportFormat::Jsonl => {
            let mut res = Ok(());
            store
                .for_each_record(&mut |r| {
                    if res.is_ok() {
                        res = writeln!(out, "{}", r.to_json_line());
                    }
                })
                .map_err(|e| anyhow!("{db}: {e}"))?;
            res?;
        }
        ExportFormat::Gdelt => {
            // One row per event: reports of one event (same actors, CAMEO base code, place
            // and day) are merged, with their counts, under the first report's number.
            let clustered = EventFilter {
                clustered: true,
                ..Default::default()
            };
            let rows = store.events(&clustered).map_err(|e| anyhow!("{db}: {e}"))?;
            // Day (SQLDATE) is required: an event with no day of its own or its
            // article's takes its page's fetch day, else its storing day (README).
            let mut fetched: std::collections::HashMap<String, Option<String>> =
                std::collections::HashMap::new();
            for e in &rows {
                let undated = if export::event_day_known(e) {
                    None
                } else {
                    if !fetched.contains_key(&e.article_id) {
                        let rec = store.get(&e.article_id).map_err(|err| anyhow!("{db}: {err}"))?;
                        fetched.insert(e.article_id.clone(), rec.as_ref().and_then(export::fetched_of));
                    }
                    let f = fetched.get(&e.article_id).and_then(|f| f.as_deref());
                    export::undated_day(f, e)
                };
                writeln!(out, "{}", export::gdelt_row(e.event_global_id as u64, e, undated))?;
            }
        }
        ExportFormat::GdeltMentions => {
            let mut by_article: std::collections::HashMap<String, Vec<EventRow>> =
                std::collections::HashMap::new();
            for e in store.events(&all).map_err(|e| anyhow!("{db}: {e}"))? {
                by_article.entry(e.article_id.clone()).or_default().push(e);
            }
            let mut res = Ok(());
            store
                .for_each_record(&mut |r| {
                    let (Some(events), true) = (by_article.get(&r.id), res.is_ok()) else {
                        return;
                    };
                    let spans = export::mention_spans(&r);
                    let fetched = export::fetched_of(&r);
                    for e in events {
                        let s = spans.get(&e.event_id).copied().unwrap_or_default();
                        let undated = export::undated_day(fetched.as_deref(), e);
                        if res.is_ok() {
                            res = writeln!(out, "{}", export::gdelt_mention_row(e, &s, undated));
                        }
                    }
                })
                .map_err(|e| anyhow!("{db}: {e}"))?;
            res?;
        }
        ExportFormat::Plover => {
            for e in store.events(&all).map_err(|e| anyhow!("{db}: {e}"))? {
                writeln!(out, "{}", export::plover_json(&e))?;
            }
        }
        ExportFormat::Csv => {
            let rows = store.events(&all).map_err(|e| anyhow!("{db}: {e}"))?;
            write_events(&mut out, &rows, TableFormat::Csv, None)?;
        }
        ExportFormat::Parquet => {
            let rows = store.events(&all).map_err(|e| anyhow!("{db}: {e}"))?;
            export::write_parquet(&rows, &mut out).map_err(|e| anyhow!("parquet: {e}"))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn demo(res: Option<&Resources>, db: &str, serve: bool, port: u16) -> Result<ExitCode> {
    let engine = engine(res)?;
    let mut store = open_store(db)?;
    let bundled = |text: &str, name: &str| -> Result<Vec<Record>> {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, line)| {
                let a = InputArticle::from_json_line(line, &format!("{name}:{}", i + 1))
                    .map_err(|e| anyhow!("bundled fixture {name} line {}: {e}", i + 1))?;
                Ok(engine.process(a).1)
            })
            .collect()
    };
    let seed = bundled(SEED, "seed-peace-talks.jsonl")?;
    let sample = bundled(SAMPLE_CORPUS, "sample-corpus.jsonl")?;
    store.put_all(seed.iter().chain(sample.iter()))?;
    // Written, not printed: a closed stdout (`| head`) is an error to end on quietly, not
    // a panic.
    let mut stdout = std::io::stdout().lock();
    for rec in &seed {
        write!(stdout, "{}", render::show(rec))?;
    }
    let c = store.counts()?;
    writeln!(
        stdout,
        "\nStored in {db}: {} article(s) (the seed and the {}-report sample corpus), {} entities, {} quotes, {} events.",
        c.articles,
        sample.len(),
        c.entities,
        c.quotes,
        c.events
    )?;
    let id = seed.first().map(|r| r.id.as_str()).unwrap_or("ID").to_string();
    writeln!(
        stdout,
        "Next: chronicle show --db {db} {id} | chronicle query --db {db} events | chronicle export --db {db} --format gdelt"
    )?;
    if !serve {
        writeln!(
            stdout,
            "Web UI: chronicle serve --db {db}, then open http://127.0.0.1:8080/#/article/{id}"
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    drop(stdout);
    drop(store);
    // The usual port, or any free one when something else holds it.
    let path = sqlite_path(db).to_string();
    let addr = match std::net::TcpListener::bind(("127.0.0.1", port)) {
        Ok(_) => std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        Err(_) => std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
    };
    let ready = move |bound: std::net::SocketAddr| {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "Web UI (Ctrl-C stops): http://{bound}/#/article/{id}");
        let _ = stdout.flush();
    };
    chronicle_server::serve_blocking(path, addr, Default::default(), ready)
        .map_err(|e| anyhow!("serve on {addr}: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
