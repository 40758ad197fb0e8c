//! The streaming runner behind `extract` and `ingest`: inputs are read on one thread, the
//! articles processed on `jobs` worker threads, and the records handed to the sink in input
//! order.
//!
//! Memory stays bounded whatever the input size: the channels are bounded, and the reader
//! waits while more than a window of articles is ahead of the last record written, so a
//! slow article cannot make the reorder buffer grow. A worker that panics on an article
//! (a bug of ours) costs that article only: it is reported as rejected with the reason and
//! the run goes on.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use chronicle_ingest::{read_inputs, InputOptions, Item, Rejection};
use chronicle_pipeline::Engine;
use chronicle_record::{InputArticle, Record};
use chronicle_store::{RunLog, RunReason, RUN_EXAMPLES};
use chrono::{DateTime, SecondsFormat, Utc};

/// How a run is carried out.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Worker threads (1: everything on the calling thread).
    pub jobs: usize,
    /// Show a progress bar (only ever drawn on a terminal).
    pub progress: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            jobs: default_jobs(),
            progress: true,
        }
    }
}

/// All cores.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// What a run did: the end-of-run summary and the exit code come from it.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Articles that became records.
    pub extracted: u64,
    /// Inputs that did not (each was reported on stderr as it happened).
    pub rejected: u64,
    /// Rejections grouped by reason (numbers and quoted text taken out, so alike reasons
    /// group), for the summary.
    pub reasons: BTreeMap<String, u64>,
    /// The origins (`file:line`) of the first rejections of each reason, at most
    /// [`RUN_EXAMPLES`], for the run log.
    pub examples: BTreeMap<String, Vec<String>>,
    /// Input problems that cost a field, not the article (each printed on stderr with its
    /// origin as it happened), grouped by reason like the rejections.
    pub warnings: BTreeMap<String, u64>,
    /// Articles reported without layers, by why ("language es"): counted, never silent.
    pub skipped: BTreeMap<String, u64>,
    /// Bytes of article text or HTML processed.
    pub bytes: u64,
    pub seconds: f64,
}

impl Summary {
    /// The closing lines for stderr.
    pub fn report(&self, verb: &str) -> String {
        let rate = if self.seconds > 0.0 {
            format!(
                " in {:.1} s ({:.0} articles/s, {:.2} MB/s)",
                self.seconds,
                self.extracted as f64 / self.seconds,
                self.bytes as f64 / 1e6 / self.seconds
            )
        } else {
            String::new()
        };
        let mut s = format!(
            "chronicle: {} article(s) {verb}, {} input(s) rejected{rate}",
            self.extracted, self.rejected
        );
        let mut reasons: Vec<(&String, &u64)> = self.reasons.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (why, n) in reasons.into_iter().take(8) {
            s.push_str(&format!("\n  rejected {n}x: {why}"));
        }
        for (why, n) in &self.skipped {
            s.push_str(&format!("\n  skipped {n}x (reported without layers): {why}"));
        }
        for (why, n) in &self.warnings {
            s.push_str(&format!("\n  warned {n}x: {why}"));
        }
        s
    }

    /// Counts one warning (`origin: reason`) under its reason.
    pub fn warn(&mut self, warning: &str) {
        // The origin is everything before the first ": " that is followed by the reason.
        let reason = warning.split_once(": ").map_or(warning, |(_, r)| r);
        *self.warnings.entry(reason_key(reason)).or_default() += 1;
    }

    /// Counts one rejected input under its reason.
    pub fn reject(&mut self, r: &Rejection) {
        self.rejected += 1;
        let key = reason_key(&r.reason);
        let examples = self.examples.entry(key.clone()).or_default();
        if examples.len() < RUN_EXAMPLES {
            examples.push(r.origin.clone());
        }
        *self.reasons.entry(key).or_default() += 1;
    }

    /// The rejections grouped by reason, most frequent first, with their example origins.
    pub fn grouped(&self) -> Vec<RunReason> {
        let mut out: Vec<RunReason> = self
            .reasons
            .iter()
            .map(|(reason, &count)| RunReason {
                reason: reason.clone(),
                count,
                examples: self.examples.get(reason).cloned().unwrap_or_default(),
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
        out
    }

    /// This run as the store's run log keeps it: `command` run on `inputs` (as given;
    /// none is stdin) from `started` until now, `articles` stored (or queued), ending with
    /// `exit_code`.
    pub fn run_log(
        &self,
        command: &str,
        inputs: &[String],
        started: DateTime<Utc>,
        articles: u64,
        exit_code: i32,
    ) -> RunLog {
        let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
        RunLog {
            id: 0,
            command: command.into(),
            started: stamp(started),
            finished: stamp(Utc::now()),
            inputs: if inputs.is_empty() {
                "-".into()
            } else {
                inputs.join(" ")
            },
            articles,
            rejected: self.rejected,
            reasons: self.grouped(),
            exit_code,
        }
    }
}

/// A rejection reason with its particulars (numbers, quoted text) removed. A number
/// attached to a word stays: "UTF-8", "RFC 3339" and "h2" name things, not positions.
fn reason_key(reason: &str) -> String {
    let mut out = String::with_capacity(reason.len().min(80));
    let mut quoted = false;
    // The reason's previous character outside quotes, and whether a number is being masked.
    let mut prev: Option<char> = None;
    let mut masking = false;
    for c in reason.chars() {
        if c == '"' {
            quoted = !quoted;
            prev = Some(c);
            continue;
        }
        if quoted {
            continue;
        }
        if c.is_ascii_digit() {
            let attached = prev.is_some_and(|p| p.is_alphanumeric() || p == '-') || out.ends_with("RFC ");
            if masking || !attached {
                if !masking {
                    out.push('N');
                    masking = true;
                }
                prev = Some(c);
                continue;
            }
        } else {
            masking = false;
        }
        out.push(c);
        prev = Some(c);
        if out.len() >= 80 {
            break;
        }
    }
    // "...: \"value\"" leaves a dangling colon once the value is gone.
    out.truncate(out.trim_end_matches([' ', ':', ';', ',']).len());
    out
}

/// What a worker hands back for one input item: the record, already turned into what the
/// sink takes (a JSON line, a rendering, or the record itself), so that work happens on
/// the workers too.
enum Out<T> {
    /// The record, the input's bytes, what was wrong with the input but kept (warnings
    /// with their origin), and why no layer was extracted, if none was.
    Record(T, u64, Vec<String>, Option<String>),
    Rejected(Rejection),
    Note(String),
}

fn input_bytes(a: &InputArticle) -> u64 {
    a.text.as_ref().or(a.html.as_ref()).map_or(0, |t| t.len() as u64)
}

fn process<T>(engine: &Engine, item: Item, make: &(dyn Fn(Record) -> T + Sync)) -> Out<T> {
    match item.parse() {
        Item::Article(a) => {
            let bytes = input_bytes(&a);
            let id = a.id.clone();
            let warnings = a.warnings.clone();
            let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let rec = engine.process(*a).1;
                let skipped = rec.skipped.clone();
                (make(rec), skipped)
            }));
            match made {
                Ok((out, skipped)) => Out::Record(out, bytes, warnings, skipped),
                Err(p) => {
                    let msg = p
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| p.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown".to_string());
                    Out::Rejected(Rejection {
                        origin: id,
                        reason: format!("internal error while processing (please report): {msg}"),
                    })
                }
            }
        }
        Item::Rejected(r) => Out::Rejected(r),
        Item::Note(n) => Out::Note(n),
        // `parse` leaves no line unparsed.
        Item::Line { origin, .. } => Out::Rejected(Rejection {
            origin,
            reason: "internal error: unparsed line".into(),
        }),
    }
}

/// Total size of the named input files (for the progress bar's ETA); `None` for stdin.
fn total_bytes(files: &[String]) -> Option<u64> {
    if files.is_empty() || files.iter().any(|f| f == "-") {
        return None;
    }
    let mut total = 0;
    for f in files {
        let m = std::fs::metadata(f).ok()?;
        if !m.is_file() {
            return None;
        }
        total += m.len();
    }
    Some(total)
}

fn progress_bar(files: &[String], wanted: bool) -> indicatif::ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = match total_bytes(files) {
        Some(n) => indicatif::ProgressBar::new(n).with_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        ),
        None => indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template("{spinner} {bytes} {binary_bytes_per_sec} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        ),
    };
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Runs the engine over every input, handing each record to `sink` in input order.
/// Rejections and notes go to stderr as they come. Stops early (and returns the error)
/// when the sink fails.
pub fn run_all(
    engine: &Engine,
    files: &[String],
    opts: &InputOptions,
    ro: &RunOptions,
    sink: &mut dyn FnMut(Record) -> anyhow::Result<()>,
) -> anyhow::Result<Summary> {
    run_with(engine, files, opts, ro, &|r| r, sink)
}

/// [`run_all`] with each record turned into a `T` by `make` on the worker that produced
/// it (serialising a record is a tenth of the work; done by the single writer it would
/// cap the speed-up from more cores).
pub fn run_with<T: Send>(
    engine: &Engine,
    files: &[String],
    opts: &InputOptions,
    ro: &RunOptions,
    make: &(dyn Fn(Record) -> T + Sync),
    sink: &mut dyn FnMut(T) -> anyhow::Result<()>,
) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let bar = progress_bar(files, ro.progress);
    let mut summary = Summary::default();
    let mut failed: Option<anyhow::Error> = None;
    let stop = AtomicBool::new(false);
    let mut handle = |out: Out<T>, summary: &mut Summary| match out {
        Out::Record(rec, bytes, warnings, skipped) => {
            summary.extracted += 1;
            for w in warnings {
                summary.warn(&w);
                bar.suspend(|| eprintln!("chronicle: warning: {w}"));
            }
            if let Some(why) = skipped {
                *summary.skipped.entry(why).or_default() += 1;
            }
            summary.bytes += bytes;
            bar.inc(bytes);
            bar.set_message(format!("{} articles", summary.extracted));
            if failed.is_none() {
                if let Err(e) = sink(rec) {
                    failed = Some(e);
                    // Nobody takes the records any more (`| head` closed the pipe): stop
                    // extracting instead of finishing the whole input for nothing.
                    stop.store(true, Ordering::Relaxed);
                }
            }
        }
        Out::Rejected(r) => {
            summary.reject(&r);
            bar.suspend(|| eprintln!("chronicle: rejected {r}"));
        }
        Out::Note(n) => bar.suspend(|| eprintln!("chronicle: note: {n}")),
    };
    if ro.jobs <= 1 {
        read_inputs(files, opts, &mut |item| {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let out = process(engine, item, make);
            handle(out, &mut summary);
        });
    } else {
        parallel(engine, files, opts, ro.jobs, make, &stop, &mut |out| {
            handle(out, &mut summary);
        });
    }
    bar.finish_and_clear();
    summary.seconds = started.elapsed().as_secs_f64();
    match failed {
        Some(e) => Err(e),
        None => Ok(summary),
    }
}

/// Articles more than this many (per worker) ahead of the last record written wait.
const WINDOW_PER_JOB: u64 = 16;

fn parallel<T: Send>(
    engine: &Engine,
    files: &[String],
    opts: &InputOptions,
    jobs: usize,
    make: &(dyn Fn(Record) -> T + Sync),
    stop: &AtomicBool,
    emit: &mut dyn FnMut(Out<T>),
) {
    let window = WINDOW_PER_JOB * jobs as u64;
    // Records written so far, and a signal for the reader waiting on the window.
    let written = Mutex::new(0u64);
    let moved = Condvar::new();
    let done = AtomicBool::new(false);
    let (tx_in, rx_in) = sync_channel::<(u64, Item)>(jobs * 4);
    let (tx_out, rx_out) = sync_channel::<(u64, Out<T>)>(jobs * 4);
    let rx_in = Mutex::new(rx_in);
    std::thread::scope(|sc| {
        let (written, moved, done, rx_in) = (&written, &moved, &done, &rx_in);
        sc.spawn(move || {
            let mut seq = 0u64;
            read_inputs(files, opts, &mut |item| {
                // Once the writer has stopped (`emit` set `stop`; it notifies `moved` after
                // each record), the rest of the input is read past, not queued.
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let mut w = written.lock().unwrap_or_else(|p| p.into_inner());
                while seq >= *w + window && !done.load(Ordering::Relaxed) && !stop.load(Ordering::Relaxed) {
                    w = moved.wait(w).unwrap_or_else(|p| p.into_inner());
                }
                drop(w);
                if tx_in.send((seq, item)).is_ok() {
                    seq += 1;
                }
            });
            // Dropping the sender ends the workers once the queue is empty.
        });
        for _ in 0..jobs {
            let tx_out = tx_out.clone();
            sc.spawn(move || loop {
                let next = {
                    let rx: std::sync::MutexGuard<'_, Receiver<(u64, Item)>> =
                        rx_in.lock().unwrap_or_else(|p| p.into_inner());
                    rx.recv()
                };
                let Ok((seq, item)) = next else { break };
                if stop.load(Ordering::Relaxed) {
                    continue;
                }
                if tx_out.send((seq, process(engine, item, make))).is_err() {
                    break;
                }
            });
        }
        drop(tx_out);
        let mut pending: HashMap<u64, Out<T>> = HashMap::new();
        let mut next = 0u64;
        for (seq, out) in rx_out {
            pending.insert(seq, out);
            while let Some(o) = pending.remove(&next) {
                emit(o);
                next += 1;
            }
            *written.lock().unwrap_or_else(|p| p.into_inner()) = next;
            moved.notify_all();
        }
        done.store(true, Ordering::Relaxed);
        moved.notify_all();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_group_without_positions_but_keep_names() {
        assert_eq!(
            reason_key("not valid JSON: EOF while parsing a string at line 1 column 28"),
            "not valid JSON: EOF while parsing a string at line N column N"
        );
        assert_eq!(reason_key("invalid UTF-8 at byte 312"), "invalid UTF-8 at byte N");
        assert_eq!(
            reason_key("`published` is not YYYY-MM-DD or RFC 3339: \"yesterday\""),
            "`published` is not YYYY-MM-DD or RFC 3339"
        );
        assert_eq!(
            reason_key("larger than the 16 MB limit"),
            "larger than the N MB limit"
        );
    }

    #[test]
    fn parallel_output_keeps_input_order_and_counts_rejections() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("in.jsonl");
        let mut lines = String::new();
        for i in 0..120 {
            if i % 17 == 5 {
                lines.push_str("{broken\n");
            } else {
                // Lengths vary so workers finish out of order.
                let body = "Russia attacked Ukraine on Monday. ".repeat(1 + (i * 7) % 23);
                lines.push_str(&format!(
                    "{{\"id\":\"a{i}\",\"text\":\"{body}\",\"published\":\"2025-12-03\"}}\n"
                ));
            }
        }
        std::fs::write(&p, lines).expect("write");
        let files = vec![p.display().to_string()];
        let engine = Engine::new().expect("engine");
        let mut serial = Vec::new();
        let one = run_all(
            &engine,
            &files,
            &InputOptions::default(),
            &RunOptions {
                jobs: 1,
                progress: false,
            },
            &mut |r| {
                serial.push(r.to_json_line());
                Ok(())
            },
        )
        .expect("serial run");
        let mut par = Vec::new();
        let many = run_all(
            &engine,
            &files,
            &InputOptions::default(),
            &RunOptions {
                jobs: 4,
                progress: false,
            },
            &mut |r| {
                par.push(r.to_json_line());
                Ok(())
            },
        )
        .expect("parallel run");
        assert_eq!(one.extracted, 113);
        assert_eq!(one.rejected, 7);
        assert_eq!((many.extracted, many.rejected), (one.extracted, one.rejected));
        assert_eq!(par, serial, "same records, same order");
        assert!(
            one.report("extracted").contains("rejected 7x: not valid JSON"),
            "{}",
            one.report("x")
        );
        // Grouped for the run log with the lines they came from, in input order.
        let log = many.run_log("ingest", &files, chrono::Utc::now(), many.extracted, 1);
        assert_eq!((log.articles, log.rejected, log.exit_code), (113, 7, 1));
        assert_eq!(log.reasons.len(), 1, "{:?}", log.reasons);
        let origins: Vec<String> = (0..120)
            .filter(|i| i % 17 == 5)
            .map(|i| format!("{}:{}", files[0], i + 1))
            .collect();
        assert_eq!(log.reasons[0].examples, origins);
        assert_eq!(log.reasons[0].count, 7);
        assert_eq!(log.inputs, files[0]);
    }

    #[test]
    fn a_failing_sink_stops_the_run_with_its_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("in.jsonl");
        let lines: String = (0..50)
            .map(|i| format!("{{\"id\":\"a{i}\",\"text\":\"Text {i}.\"}}\n"))
            .collect();
        std::fs::write(&p, lines).expect("write");
        let engine = Engine::new().expect("engine");
        let mut n = 0;
        let r = run_all(
            &engine,
            &[p.display().to_string()],
            &InputOptions::default(),
            &RunOptions {
                jobs: 3,
                progress: false,
            },
            &mut |_| {
                n += 1;
                if n == 10 {
                    anyhow::bail!("disk full")
                }
                Ok(())
            },
        );
        assert!(r.is_err_and(|e| e.to_string() == "disk full"));
        assert_eq!(n, 10, "nothing is written after the failure");
    }
}
