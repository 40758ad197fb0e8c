//! `chronicle enqueue` and `worker`: the PostgreSQL work queue seen from the command line
//! (`status` reads it: `status.rs`). The queue and its transactions live in
//! `chronicle-pgstore`; this module reads inputs into it, and runs the worker loop: claim a
//! batch, extract it on `jobs` threads, commit its records together with the end of its
//! claim, while a heartbeat thread keeps the claim's lease alive.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use chronicle_ingest::{read_inputs, InputOptions, Item, Rejection};
use chronicle_pgstore::{PgError, PgStore, QueueItem};
use chronicle_pipeline::Engine;
use chronicle_store::{Prepared, RecordStore};

use crate::stream::Summary;

/// What `enqueue` did.
#[derive(Debug, Default)]
pub struct Enqueued {
    pub queued: usize,
    pub rejected: Vec<Rejection>,
    pub notes: Vec<String>,
}

/// Reads `files` (every input format `ingest` takes) into the queue at `url`, a thousand
/// items per transaction. Lines are queued as read and parsed by the worker that takes
/// them (a bad line fails there, with its reason, like a rejected line of `ingest`);
/// articles read from other formats are queued as JSONL lines.
///
/// A run that reads all its inputs is kept in the database's run log (articles queued,
/// rejections grouped by reason, the exit code `enqueue` ends with: 1 when any input was
/// rejected); `chronicle status` shows it.
pub fn enqueue(url: &str, files: &[String], opts: &InputOptions) -> Result<Enqueued> {
    let started = chrono::Utc::now();
    let mut store = PgStore::connect(url)?;
    let mut out = Enqueued::default();
    let mut batch: Vec<QueueItem> = Vec::with_capacity(1000);
    let mut failed: Option<PgError> = None;
    read_inputs(files, opts, &mut |item| {
        if failed.is_some() {
            return;
        }
        match item {
            Item::Line { origin, text } => batch.push(QueueItem {
                origin,
                line: text,
                fetched: None,
            }),
            Item::Article(a) => batch.push(QueueItem {
                origin: a.id.clone(),
                line: a.to_json_line(),
                fetched: a.fetched.map(|d| d.to_string()),
            }),
            Item::Rejected(r) => out.rejected.push(r),
            Item::Note(n) => out.notes.push(n),
        }
        if batch.len() >= 1000 {
            match store.enqueue(&batch) {
                Ok(n) => out.queued += n,
                Err(e) => failed = Some(e),
            }
            batch.clear();
        }
    });
    if let Some(e) = failed {
        return Err(e.into());
    }
    out.queued += store.enqueue(&batch)?;
    let mut summary = Summary::default();
    for r in &out.rejected {
        summary.reject(r);
    }
    let code = i32::from(!out.rejected.is_empty());
    store.add_run(&summary.run_log("enqueue", files, started, out.queued as u64, code))?;
    Ok(out)
}

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Items claimed per batch (one transaction each).
    pub batch: i64,
    /// How long a claim lasts without a heartbeat; a worker silent for longer is taken for
    /// dead and its batch goes to another.
    pub lease: Duration,
    /// Extraction threads.
    pub jobs: usize,
    /// Stop once nothing is queued or running anywhere (else wait for more work).
    pub exit_when_empty: bool,
    /// A name for this worker in `status` (default host:pid).
    pub name: String,
}

/// What a worker did before it stopped.
#[derive(Debug, Default)]
pub struct Worked {
    pub batches: usize,
    pub done: usize,
    pub failed: usize,
    /// Batches whose claims another worker took over (this one's lease had run out).
    pub lost: usize,
}

/// A name for this process: host and pid.
pub fn default_worker_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".into());
    format!("{host}:{}", std::process::id())
}

/// Claims and processes batches from the queue at `url` until it is empty (with
/// `exit_when_empty`) or forever.
pub fn work(url: &str, engine: &Engine, o: &WorkerOptions) -> Result<Worked> {
    let mut store = PgStore::connect(url)?;
    let mut heart = PgStore::connect(url)?;
    let stop = AtomicBool::new(false);
    let mut worked = Worked::default();
    // Test hook (fault injection): hold each claimed batch this long before extracting
    // it, so a test can kill the worker while it holds a claim.
    let hold = std::env::var("CHRONICLE_WORKER_HOLD_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_millis);
    std::thread::scope(|scope| -> Result<()> {
        let beat = scope.spawn(|| {
            let every = o.lease / 3;
            let mut last = Instant::now();
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50).min(every));
                if last.elapsed() >= every {
                    // A failed heartbeat only shortens the lease; the commit checks the claim.
                    let _ = heart.heartbeat(&o.name, o.lease);
                    last = Instant::now();
                }
            }
        });
        let result = (|| -> Result<()> {
            loop {
                let claims = store.claim(&o.name, o.batch, o.lease)?;
                if claims.is_empty() {
                    let s = store.status()?;
                    if o.exit_when_empty && s.queued == 0 && s.running == 0 {
                        return Ok(());
                    }
                    std::thread::sleep(Duration::from_millis(200));
                    continue;
                }
                if let Some(h) = hold {
                    std::thread::sleep(h);
                }
                let results = extract(engine, &claims, o.jobs);
                let mut done = Vec::new();
                let mut failed = Vec::new();
                for (id, r) in results {
                    match r {
                        Ok(p) => done.push((id, p)),
                        Err(reason) => failed.push((id, reason)),
                    }
                }
                match store.complete(&o.name, &done, &failed) {
                    Ok(()) => {
                        worked.batches += 1;
                        worked.done += done.len();
                        worked.failed += failed.len();
                    }
                    Err(PgError::ClaimLost { .. }) => worked.lost += 1,
                    Err(e) => return Err(e.into()),
                }
            }
        })();
        stop.store(true, Ordering::Relaxed);
        beat.join()
            .map_err(|_| anyhow!("the heartbeat thread panicked"))?;
        result
    })?;
    Ok(worked)
}

/// Extracts claimed items on `jobs` threads: each item's prepared record, or why it failed.
fn extract(
    engine: &Engine,
    claims: &[chronicle_pgstore::Claim],
    jobs: usize,
) -> Vec<(i64, Result<Prepared, String>)> {
    let one = |c: &chronicle_pgstore::Claim| -> (i64, Result<Prepared, String>) {
        let item = Item::Line {
            origin: c.item.origin.clone(),
            text: c.item.line.clone(),
        }
        .parse();
        let r = match item {
            Item::Article(mut a) => {
                if let Some(f) = c.item.fetched.as_deref() {
                    a.fetched = chronicle_record::parse_published(f);
                }
                // A panic in one article fails that item, not the batch.
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.process(*a).1)) {
                    Ok(rec) => Prepared::new(rec).map_err(|e| e.to_string()),
                    Err(_) => Err("internal error while extracting this article (reported as a bug)".into()),
                }
            }
            Item::Rejected(r) => Err(r.reason),
            Item::Line { .. } | Item::Note(_) => Err("not an article".into()),
        };
        (c.id, r)
    };
    let jobs = jobs.max(1).min(claims.len().max(1));
    let chunk = claims.len().div_ceil(jobs).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = claims
            .chunks(chunk)
            .map(|part| (part, s.spawn(move || part.iter().map(one).collect::<Vec<_>>())))
            .collect();
        handles
            .into_iter()
            .flat_map(|(part, h)| {
                // A thread that died takes none of its items down silently: they fail.
                h.join().unwrap_or_else(|_| {
                    part.iter()
                        .map(|c| {
                            (
                                c.id,
                                Err("internal error while extracting this batch".to_string()),
                            )
                        })
                        .collect()
                })
            })
            .collect()
    })
}
