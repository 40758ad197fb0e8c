//! Crash safety of `ingest` on SQLite: the process is killed with SIGKILL mid-run; the
//! store it leaves holds whole articles only (every one with all its rows, in whole
//! committed batches), and running the same input again finishes the rest once, giving
//! exactly the store a run without a crash gives.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chronicle_store::RecordStore;
use chronicle_store::{EventFilter, QuoteFilter, Store};

const BIN: &str = env!("CARGO_BIN_EXE_chronicle");
const SAMPLE: &str = include_str!("../fixtures/sample-corpus.jsonl");

fn ingest(db: &Path, input: &Path) {
    let out = Command::new(BIN)
        .args(["ingest", "--quiet", "-j", "2", "--db"])
        .arg(db)
        .arg(input)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn export(db: &Path) -> Vec<String> {
    let out = Command::new(BIN)
        .args(["export", "--format", "jsonl", "--db"])
        .arg(db)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect();
    lines.sort();
    lines
}

/// The `n`th line of an endless input: the sample corpus under ever new ids.
fn line(samples: &[serde_json::Value], n: usize) -> String {
    let mut v = samples[n % samples.len()].clone();
    let id = format!("{}-{}", v["id"].as_str().unwrap_or("x"), n / samples.len());
    v["id"] = serde_json::Value::String(id);
    let mut s = v.to_string();
    s.push('\n');
    s
}

#[test]
fn a_killed_ingest_leaves_whole_articles_and_a_rerun_finishes_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let samples: Vec<serde_json::Value> = SAMPLE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("fixture line"))
        .collect();

    // The input is a pipe that never ends by itself, so the run cannot finish before the
    // kill, however fast the machine: it is killed mid-stream, not at a lucky moment.
    let db = dir.path().join("crash.db");
    let log = dir.path().join("ingest.log");
    let mut child = Command::new(BIN)
        .args(["ingest", "--quiet", "-j", "2", "--db"])
        .arg(&db)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("ingest starts");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let feed = samples.clone();
    // Counts the lines written whole; stops when the pipe breaks (the kill) or at a cap
    // far beyond what a run reaches before the kill.
    let written = Arc::new(AtomicUsize::new(0));
    let count = written.clone();
    let writer = std::thread::spawn(move || {
        let mut n = 0usize;
        while n < 200_000 {
            if stdin.write_all(line(&feed, n).as_bytes()).is_err() {
                break;
            }
            n += 1;
            count.store(n, Ordering::Relaxed);
        }
        n
    });

    // Kill it mid-run, once batches have committed: when a reader sees a first commit, or
    // when ingest has taken so many lines that several batches must have committed (the
    // pipe and ingest's bounded channels hold well under a hundred lines; the second sign
    // does not depend on another process seeing the WAL, which not every file system
    // shares).
    let started = Instant::now();
    loop {
        let n = Store::open_reader(&db)
            .and_then(|mut s| s.counts())
            .map(|c| c.articles)
            .unwrap_or(0);
        if n > 0 || written.load(Ordering::Relaxed) >= 1_500 {
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "ingest exited ({status}) before its first commit: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "no batch committed in 300 s ({} lines taken): {}",
            written.load(Ordering::Relaxed),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    let total = writer.join().expect("writer");

    // What is there is whole: whole batches, every article with all its rows.
    let mut store = Store::open(&db).expect("the store opens after the crash");
    let ids = store.ids().expect("ids");
    assert!(
        ids.len() >= 256 && ids.len() <= total,
        "{} stored, {total} written: the kill came before a first commit or after the end",
        ids.len()
    );
    assert_eq!(ids.len() % 256, 0, "only whole committed batches of 256");
    let mut events = 0;
    for id in &ids {
        let rec = store.get(id).expect("readable").expect("present");
        let ev = store
            .events(&EventFilter {
                article: Some(id.clone()),
                ..Default::default()
            })
            .expect("events");
        let qs = store
            .quotes(&QuoteFilter {
                article: Some(id.clone()),
                ..Default::default()
            })
            .expect("quotes");
        assert_eq!((ev.len(), qs.len()), (rec.events.len(), rec.quotes.len()), "{id}");
        events += ev.len() as u64;
    }
    assert_eq!(store.counts().expect("counts").events, events);
    drop(store);

    // The same input again: the rest is done, nothing twice; the store equals a clean run.
    let input = dir.path().join("in.jsonl");
    let text: String = (0..total).map(|n| line(&samples, n)).collect();
    std::fs::write(&input, text).expect("write");
    ingest(&db, &input);
    let clean = dir.path().join("clean.db");
    ingest(&clean, &input);
    let (recovered, expected) = (export(&db), export(&clean));
    assert_eq!(recovered.len(), total);
    assert!(
        recovered == expected,
        "the recovered store differs from a clean run"
    );
}
