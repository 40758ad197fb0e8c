//! `chronicle watch` and `chronicle watchlist`: the command-line side of live monitoring
//! (`chronicle-watch` does the fetching, the ledger lives in the store).
//!
//! On SQLite, `watch` extracts each fetched article on its worker threads and stores it;
//! on PostgreSQL it queues the article for the workers (`chronicle worker`), which extract
//! it. Either way every cycle is a run in the run log (`chronicle status`), and after each
//! cycle (and, between cycles, every few seconds) watchlists are matched against the new
//! events and their deliveries worked, on a thread of their own: a slow webhook delays no
//! fetching.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use chronicle_ingest::Rejection;
use chronicle_pgstore::{is_postgres_url, PgStore, QueueItem};
use chronicle_pipeline::Engine;
use chronicle_record::InputArticle;
use chronicle_store::{
    now_rfc3339, text_hash, AnyError, EventFilter, RecordStore, Store, WatchLedger, Watchlist,
};
use chronicle_watch::{
    deliver, match_watchlists, parse_sources, CycleReport, FetchOptions, Prepared, SourceOutcome,
    WatchOptions, Watcher,
};

use crate::stream::Summary;

/// How `watch` runs (the CLI's flags).
#[derive(Debug, Clone)]
pub struct WatchArgs {
    pub db: String,
    pub sources: PathBuf,
    /// Between the starts of two cycles.
    pub every: Duration,
    pub once: bool,
    /// Stop after this many cycles (scripts, tests).
    pub cycles: Option<u64>,
    pub fetch: FetchOptions,
    pub workers: usize,
    /// How often matching and delivery run between cycles.
    pub alert_every: Duration,
    pub webhook_timeout: Duration,
    pub webhook_retry: Duration,
    pub quiet: bool,
}

/// Reads `5s`, `15m`, `2h`, `500ms`, or a bare number of seconds.
pub fn parse_interval(v: &str) -> Result<Duration, String> {
    let v = v.trim();
    let (num, unit) = match v.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => (&v[..i], &v[i..]),
        None => (v, "s"),
    };
    let n: f64 = num
        .parse()
        .map_err(|_| format!("{v:?}: expected a duration such as 30s, 15m, 2h or 500ms"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("{v:?}: the unit is one of ms, s, m, h")),
    };
    if !secs.is_finite() || !(0.0..=366.0 * 86400.0).contains(&secs) {
        return Err(format!("{v:?}: expected a duration between 0 and a year"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Runs `watch` until killed (or for `--once` / `--cycles`).
pub fn run(engine: Option<Engine>, a: &WatchArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&a.sources)
        .with_context(|| format!("reading the sources file {}", a.sources.display()))?;
    let file = a.sources.display().to_string();
    let (sources, bad_lines) = parse_sources(&text, &file);
    for e in &bad_lines {
        eprintln!("chronicle: {e}");
    }
    if sources.is_empty() {
        return Err(anyhow!(
            "{file}: no source to follow (a line is `URL [name] [#tag ...]`)"
        ));
    }
    let opts = WatchOptions {
        fetch: a.fetch.clone(),
        workers: a.workers.max(1),
        ..Default::default()
    };
    let watcher = Watcher::new(opts);
    let stop = Arc::new(AtomicBool::new(false));
    let alerts = (!a.once).then(|| spawn_alerts(a, stop.clone()));
    let mut failed_any = false;
    let mut cycle_no = 0u64;
    let result = (|| -> Result<()> {
        let mut pg;
        let mut lite;
        let mut target = if is_postgres_url(&a.db) {
            pg = PgStore::connect(&a.db)?;
            Target::Postgres(&mut pg)
        } else {
            lite = Store::open(sqlite_file(&a.db))?;
            let engine = engine
                .as_ref()
                .ok_or_else(|| anyhow!("internal error: no engine for a SQLite watch"))?;
            Target::Sqlite(&mut lite, engine)
        };
        loop {
            cycle_no += 1;
            let started = chrono::Utc::now();
            let t0 = Instant::now();
            let report = target.cycle(&watcher, &sources)?;
            let mut summary = Summary::default();
            for e in &bad_lines {
                summary.reject(&Rejection {
                    origin: format!("{}:{}", e.file, e.line),
                    reason: e.message.clone(),
                });
            }
            for (url, reason) in report.failed_sources() {
                summary.reject(&Rejection {
                    origin: url.to_string(),
                    reason: format!("source failed: {reason}"),
                });
            }
            for (list, what) in [
                (&report.retrying, "page failed, retried later"),
                (&report.failed, "page failed, given up"),
                (&report.skipped, "page skipped"),
            ] {
                for (url, reason) in list {
                    summary.reject(&Rejection {
                        origin: url.clone(),
                        reason: format!("{what}: {reason}"),
                    });
                }
            }
            failed_any |= summary.rejected > 0;
            let code = i32::from(summary.rejected > 0);
            let log = summary.run_log(
                "watch",
                std::slice::from_ref(&file),
                started,
                report.stored as u64,
                code,
            );
            target.add_run(&log)?;
            if !a.quiet {
                eprintln!("chronicle: watch cycle {cycle_no}: {}", cycle_line(&report));
                for (url, reason) in report.failed_sources() {
                    eprintln!("chronicle:   source {url}: {reason}");
                }
                for (url, reason) in report.retrying.iter().chain(&report.failed).take(20) {
                    eprintln!("chronicle:   page {url}: {reason}");
                }
            }
            if a.once {
                // Matching and delivery in line: the run ends with its alerts sent.
                let alerts = target.alerts(a)?;
                if !a.quiet {
                    eprintln!("chronicle: watchlists: {}", alert_line(&alerts));
                }
                for (list, channel, reason) in &alerts.failed {
                    eprintln!("chronicle:   watchlist {list} ({channel}): {reason}");
                }
                return Ok(());
            }
            if a.cycles.is_some_and(|n| cycle_no >= n) {
                return Ok(());
            }
            let wait = a.every.saturating_sub(t0.elapsed());
            std::thread::sleep(wait);
        }
    })();
    stop.store(true, Ordering::Relaxed);
    if let Some(h) = alerts {
        let _ = h.join();
    }
    result?;
    Ok(ExitCode::from(u8::from(failed_any)))
}

/// The alert thread of a continuous watch: its own store connection, matching and
/// delivering every `alert_every` until `stop`, and once more after it.
fn spawn_alerts(a: &WatchArgs, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    let a = a.clone();
    std::thread::spawn(move || loop {
        // Stopping is seen before a pass, so the watch's last cycle is always delivered.
        let last = stop.load(Ordering::Relaxed);
        {
            let result = if is_postgres_url(&a.db) {
                PgStore::connect(&a.db)
                    .map_err(|e| e.to_string())
                    .and_then(|mut s| alert_pass(&mut s, &a).map_err(|e| e.to_string()))
            } else {
                Store::open(sqlite_file(&a.db))
                    .map_err(|e| e.to_string())
                    .and_then(|mut s| alert_pass(&mut s, &a).map_err(|e| e.to_string()))
            };
            match result {
                Ok(r) => {
                    if !a.quiet && (r.delivered > 0 || !r.failed.is_empty()) {
                        eprintln!("chronicle: watchlists: {}", alert_line(&r));
                    }
                    for (list, channel, reason) in &r.failed {
                        eprintln!("chronicle:   watchlist {list} ({channel}): {reason}");
                    }
                }
                Err(e) => eprintln!("chronicle: watchlists: {e}"),
            }
        }
        if last {
            break;
        }
        let until = Instant::now() + a.alert_every;
        while Instant::now() < until && !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
        }
    })
}

fn alert_pass<S: WatchLedger + RecordStore>(
    s: &mut S,
    a: &WatchArgs,
) -> Result<chronicle_watch::AlertReport, AnyError> {
    let queued = match_watchlists(s)?;
    let mut r = deliver(s, a.webhook_timeout, a.webhook_retry)?;
    r.queued = queued;
    Ok(r)
}

/// Where fetched articles go.
enum Target<'a> {
    /// Extracted here and stored.
    Sqlite(&'a mut Store, &'a Engine),
    /// Queued for the workers.
    Postgres(&'a mut PgStore),
}

impl Target<'_> {
    fn cycle(&mut self, watcher: &Watcher, sources: &[chronicle_watch::Source]) -> Result<CycleReport> {
        match self {
            Target::Sqlite(store, engine) => {
                let engine: &Engine = engine;
                let prepare = |article: InputArticle| -> Result<Prepared<chronicle_store::Prepared>, String> {
                    let id = article.id.clone();
                    let rec =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.process(article).1))
                            .map_err(|_| "internal error while processing (please report)".to_string())?;
                    if rec.text.trim().is_empty() {
                        return Err("no article text in the page".into());
                    }
                    let content_hash = text_hash(&rec.text);
                    let value = chronicle_store::Prepared::new(rec).map_err(|e| e.to_string())?;
                    Ok(Prepared {
                        value,
                        content_hash,
                        article_id: id,
                    })
                };
                let mut write =
                    |s: &mut Store, batch: Vec<chronicle_store::Prepared>| -> Result<(), AnyError> {
                        s.put_prepared(&batch)?;
                        Ok(())
                    };
                Ok(watcher.cycle(&mut **store, sources, &prepare, &mut write)?)
            }
            Target::Postgres(store) => {
                // The workers extract; the hash is of the page as fetched.
                let prepare = |article: InputArticle| -> Result<Prepared<QueueItem>, String> {
                    let body = article.html.as_deref().or(article.text.as_deref()).unwrap_or("");
                    if body.trim().is_empty() {
                        return Err("empty page".into());
                    }
                    let content_hash = text_hash(body);
                    Ok(Prepared {
                        article_id: article.id.clone(),
                        content_hash,
                        value: QueueItem {
                            origin: article.id.clone(),
                            fetched: article.fetched.map(|d| d.to_string()),
                            line: article.to_json_line(),
                        },
                    })
                };
                let mut write = |s: &mut PgStore, batch: Vec<QueueItem>| -> Result<(), AnyError> {
                    s.enqueue(&batch)?;
                    Ok(())
                };
                Ok(watcher.cycle(&mut **store, sources, &prepare, &mut write)?)
            }
        }
    }

    fn add_run(&mut self, log: &chronicle_store::RunLog) -> Result<()> {
        match self {
            Target::Sqlite(s, _) => {
                s.add_run(log)?;
            }
            Target::Postgres(s) => {
                s.add_run(log)?;
            }
        }
        Ok(())
    }

    fn alerts(&mut self, a: &WatchArgs) -> Result<chronicle_watch::AlertReport> {
        match self {
            Target::Sqlite(s, _) => alert_pass(&mut **s, a).map_err(|e| anyhow!("watchlists: {e}")),
            Target::Postgres(s) => alert_pass(&mut **s, a).map_err(|e| anyhow!("watchlists: {e}")),
        }
    }
}

/// One cycle for a person.
pub fn cycle_line(r: &CycleReport) -> String {
    let (mut read, mut not_modified, mut failed, mut backed_off) = (0, 0, 0, 0);
    for (_, o) in &r.sources {
        match o {
            SourceOutcome::Read { .. } => read += 1,
            SourceOutcome::NotModified => not_modified += 1,
            SourceOutcome::Failed { .. } => failed += 1,
            SourceOutcome::BackedOff { .. } => backed_off += 1,
        }
    }
    format!(
        "sources {read} read, {not_modified} not modified, {failed} failed, {backed_off} backing off; \
         {} new links; {} pages fetched, {} from feed content; {} stored, {} unchanged, {} duplicates, \
         {} skipped, {} to retry, {} given up; {} requests, at most {} at once per host; {:.1} s",
        r.new_links,
        r.fetched,
        r.from_feed,
        r.stored,
        r.unchanged,
        r.duplicates,
        r.skipped.len(),
        r.retrying.len(),
        r.failed.len(),
        r.requests,
        r.peak_per_host,
        r.elapsed.as_secs_f64()
    )
}

fn alert_line(r: &chronicle_watch::AlertReport) -> String {
    format!(
        "{} deliveries queued, {} delivered, {} failed (retried later){}",
        r.queued,
        r.delivered,
        r.failed.len(),
        if r.recovered > 0 {
            format!(", {} found written before a crash", r.recovered)
        } else {
            String::new()
        }
    )
}

/// `watchlist add`: the filter words as `query events` takes them (`--place UKR --cameo
/// 19`), read with the one event filter definition; `limit`, `offset`, `after` and
/// `clustered` are the watcher's to set, not a watchlist's.
pub fn add(
    db: &str,
    name: &str,
    filter_args: &[String],
    mut jsonl: Option<String>,
    mut webhook: Option<String>,
) -> Result<String> {
    // The filters come last on the command line, and the delivery flags may follow them.
    let mut words: Vec<String> = Vec::new();
    let mut it = filter_args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (a.as_str(), None),
        };
        let slot = match flag {
            "--jsonl" => &mut jsonl,
            "--webhook" => &mut webhook,
            _ => {
                words.push(a.clone());
                continue;
            }
        };
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .cloned()
                .ok_or_else(|| usage(&format!("{flag} needs a value")))?,
        };
        *slot = Some(value);
    }
    let filter_args = &words;
    if jsonl.is_none() && webhook.is_none() {
        return Err(usage(
            "a watchlist delivers to --jsonl FILE, --webhook URL or both",
        ));
    }
    if let Some(w) = &webhook {
        match url::Url::parse(w) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            _ => {
                return Err(usage(&format!(
                    "--webhook {w:?}: expected an http:// or https:// URL"
                )))
            }
        }
    }
    let mut filter = BTreeMap::new();
    let mut it = filter_args.iter();
    while let Some(flag) = it.next() {
        let Some(key) = flag.strip_prefix("--") else {
            return Err(usage(&format!(
                "{flag:?}: expected a filter flag such as --place UKR"
            )));
        };
        let (key, inline) = match key.split_once('=') {
            Some((k, v)) => (k.replace('-', "_"), Some(v.to_string())),
            None => (key.replace('-', "_"), None),
        };
        if ["limit", "offset", "after", "clustered", "article"].contains(&key.as_str())
            || !EventFilter::takes(&key)
        {
            let takes: Vec<String> = EventFilter::PARAMS
                .iter()
                .filter(|p| !["limit", "offset", "after", "clustered", "article"].contains(&p.name))
                .map(|p| format!("--{}", p.flag()))
                .collect();
            return Err(usage(&format!(
                "--{key} is not a watchlist filter; it takes {}",
                takes.join(", ")
            )));
        }
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .cloned()
                .ok_or_else(|| usage(&format!("--{key} needs a value")))?,
        };
        filter.insert(key, value);
    }
    let w = Watchlist {
        name: name.to_string(),
        filter,
        jsonl: jsonl.map(|p| absolute(&p)),
        webhook,
        created: now_rfc3339(),
        cursor: 0,
    };
    w.event_filter().map_err(|e| usage(&e.message("--")))?;
    let w = with_ledger(db, |l| l.add_watchlist(&w))?;
    Ok(format!(
        "watchlist {:?} added: events stored after report {} matching {} go to {}\n",
        w.name,
        w.cursor,
        filter_words(&w),
        targets(&w)
    ))
}

/// A JSONL path made absolute, so the watcher finds it whatever its working directory.
fn absolute(p: &str) -> String {
    std::path::absolute(p)
        .map(|a| a.display().to_string())
        .unwrap_or_else(|_| p.to_string())
}

pub fn list(db: &str) -> Result<String> {
    let lists = with_ledger(db, |l| l.watchlists())?;
    let counts = with_ledger(db, |l| l.delivery_counts())?;
    if lists.is_empty() {
        return Ok(
            "no watchlists (add one with `chronicle watchlist add NAME --jsonl FILE --place UKR`)\n".into(),
        );
    }
    let mut out = String::new();
    for w in &lists {
        out.push_str(&format!(
            "{}: {} -> {} (since report {}, created {})\n",
            w.name,
            filter_words(w),
            targets(w),
            w.cursor,
            w.created
        ));
        for c in counts.iter().filter(|c| c.watchlist == w.name) {
            out.push_str(&format!(
                "  {}: {} delivered, {} pending{}\n",
                c.channel,
                c.delivered,
                c.pending,
                failing(c)
            ));
        }
    }
    Ok(out)
}

pub fn remove(db: &str, name: &str) -> Result<String> {
    if with_ledger(db, |l| l.remove_watchlist(name))? {
        Ok(format!("watchlist {name:?} removed\n"))
    } else {
        Err(usage(&format!("{db}: no watchlist named {name:?}")))
    }
}

/// The watch lines of `status`: sources, links and deliveries (nothing when the store was
/// never watched).
pub fn status_lines(l: &mut dyn WatchLedger) -> Result<String> {
    let sources = l.source_states().map_err(|e| anyhow!("{e}"))?;
    let links = l.link_counts().map_err(|e| anyhow!("{e}"))?;
    let deliveries = l.delivery_counts().map_err(|e| anyhow!("{e}"))?;
    let mut out = String::new();
    if !sources.is_empty() {
        let failing: Vec<_> = sources.iter().filter(|s| s.errors > 0).collect();
        let last = sources.iter().filter_map(|s| s.last_success.as_deref()).max();
        out.push_str(&format!(
            "watch: {} sources ({} failing), last success {}; links: {}\n",
            sources.len(),
            failing.len(),
            last.unwrap_or("never"),
            links
                .iter()
                .map(|(s, n)| format!("{n} {}", s.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        for s in failing.iter().take(10) {
            out.push_str(&format!(
                "  source {}: {} failure(s) in a row, next try {}: {}\n",
                s.url,
                s.errors,
                s.next_attempt.as_deref().unwrap_or("now"),
                s.last_error.as_deref().unwrap_or("")
            ));
        }
    }
    for c in &deliveries {
        out.push_str(&format!(
            "watchlist {} ({}): {} delivered, {} pending{}\n",
            c.watchlist,
            c.channel,
            c.delivered,
            c.pending,
            failing(c)
        ));
    }
    Ok(out)
}

/// ", N failing: REASON" for a channel whose pending deliveries failed, else nothing.
fn failing(c: &chronicle_store::DeliveryCounts) -> String {
    match (&c.last_error, c.failing) {
        (Some(e), n) if n > 0 => format!(", {n} failing: {e}"),
        _ => String::new(),
    }
}

/// The SQLite file a `--db` names (`FILE` or `sqlite:FILE`).
fn sqlite_file(db: &str) -> &Path {
    Path::new(db.strip_prefix("sqlite:").unwrap_or(db))
}

fn filter_words(w: &Watchlist) -> String {
    if w.filter.is_empty() {
        return "every event".into();
    }
    w.filter
        .iter()
        .map(|(k, v)| format!("--{} {v}", k.replace('_', "-")))
        .collect::<Vec<_>>()
        .join(" ")
}

fn targets(w: &Watchlist) -> String {
    [w.jsonl.as_deref(), w.webhook.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" and ")
}

fn with_ledger<T>(
    db: &str,
    f: impl FnOnce(&mut dyn WatchLedger) -> Result<T, chronicle_store::StoreError>,
) -> Result<T> {
    if is_postgres_url(db) {
        let mut s = PgStore::connect(db)?;
        f(&mut s).map_err(|e| anyhow!("{db}: {e}"))
    } else {
        let mut s = Store::open(sqlite_file(db))?;
        f(&mut s).map_err(|e| anyhow!("{db}: {e}"))
    }
}

/// A usage error (exit 2): the CLI's own type is in `main.rs`, so the message says so.
fn usage(msg: &str) -> anyhow::Error {
    anyhow::Error::new(WatchUsage(msg.to_string()))
}

/// A mistake in the command line of `watchlist` (exit 2, as every usage error).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct WatchUsage(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_interval("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_interval("30"), Ok(Duration::from_secs(30)));
        assert!(parse_interval("soon").is_err());
        assert!(parse_interval("5d").is_err());
    }
}
