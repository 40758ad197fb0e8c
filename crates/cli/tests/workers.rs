//! Many workers on one PostgreSQL queue store exactly what one SQLite run stores, and a
//! worker killed mid-batch loses nothing and doubles nothing. Needs a PostgreSQL server
//! named by `CHRONICLE_TEST_PG` (`scripts/pg-test-server.sh start`; CI starts one); without
//! it the tests say so and pass, unless `CHRONICLE_REQUIRE_PG=1`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chronicle_pgstore::testing::fresh_database;

const BIN: &str = env!("CARGO_BIN_EXE_chronicle");

fn run(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).output().expect("binary runs");
    assert!(
        out.status.success(),
        "chronicle {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The inputs: the bundled fixtures, and 150 BBC articles when `../shared` is there.
fn inputs(dir: &Path) -> Vec<String> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut v = vec![
        fixtures.join("seed-peace-talks.jsonl"),
        fixtures.join("sample-corpus.jsonl"),
    ];
    let bbc = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpora/bbc_news_2225/bbc_news_2225.jsonl");
    if let Ok(text) = std::fs::read_to_string(&bbc) {
        let part: PathBuf = dir.join("bbc-150.jsonl");
        let lines: Vec<&str> = text.lines().take(150).collect();
        std::fs::write(&part, lines.join("\n") + "\n").expect("write");
        v.push(part);
    }
    v.into_iter().map(|p| p.to_string_lossy().into_owned()).collect()
}

/// Records sorted by id, as `export --format jsonl` writes them.
fn records(db: &str) -> Vec<String> {
    let mut lines: Vec<String> = run(&["export", "--db", db, "--format", "jsonl"])
        .lines()
        .map(String::from)
        .collect();
    lines.sort();
    lines
}

fn sqlite_records(dir: &Path, files: &[String]) -> Vec<String> {
    let db = dir.join("one.db");
    let db = db.to_str().expect("path");
    let mut args = vec!["ingest", "--quiet", "-j", "1", "--db", db];
    args.extend(files.iter().map(String::as_str));
    run(&args);
    records(db)
}

fn worker(url: &str, name: &str, extra: &[&str], hold_ms: Option<u64>) -> Child {
    let mut c = Command::new(BIN);
    c.args(["worker", "--db", url, "--name", name, "-j", "1", "--batch", "5"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(ms) = hold_ms {
        c.env("CHRONICLE_WORKER_HOLD_MS", ms.to_string());
    }
    c.spawn().expect("worker starts")
}

/// The queue at `url` has finished all `n` items and failed none.
fn assert_all_done(url: &str, n: usize) {
    let status = run(&["status", "--db", url]);
    assert!(
        status.starts_with(&format!("queue: 0 queued, 0 running, {n} done, 0 failed")),
        "{status}"
    );
}

/// Queues `files` at `url`.
fn enqueue(url: &str, files: &[String]) {
    let mut args = vec!["enqueue", "--db", url];
    args.extend(files.iter().map(String::as_str));
    run(&args);
}

fn wait_ok(c: Child, what: &str) -> String {
    let out = c.wait_with_output().expect("worker exits");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{what}: {err}");
    err
}

#[test]
fn two_and_four_workers_store_exactly_what_one_sqlite_run_stores() {
    if chronicle_pgstore::testing::test_server().is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let files = inputs(dir.path());
    let want = sqlite_records(dir.path(), &files);
    assert!(want.len() >= 25);
    for n in [2usize, 4] {
        let url = fresh_database(&format!("cli_w{n}")).expect("server");
        enqueue(&url, &files);
        let workers: Vec<Child> = (0..n)
            .map(|i| worker(&url, &format!("w{i}"), &["--exit-when-empty"], None))
            .collect();
        for (i, w) in workers.into_iter().enumerate() {
            wait_ok(w, &format!("worker {i} of {n}"));
        }
        let got = records(&url);
        assert_eq!(got.len(), want.len(), "{n} workers: record count");
        for (g, w) in got.iter().zip(&want) {
            assert!(g == w, "{n} workers: a record differs:\n{g}\nvs\n{w}");
        }
        assert_all_done(&url, want.len());
    }
}

#[test]
fn a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing() {
    let Some(url) = fresh_database("cli_kill") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let files = vec![
        fixtures
            .join("seed-peace-talks.jsonl")
            .to_string_lossy()
            .into_owned(),
        fixtures
            .join("sample-corpus.jsonl")
            .to_string_lossy()
            .into_owned(),
    ];
    let want = sqlite_records(dir.path(), &files);
    enqueue(&url, &files);
    // A worker that claims a batch and holds it (fault injection), then is killed -9.
    let mut doomed = worker(&url, "doomed", &["--lease", "1"], Some(60_000));
    let started = Instant::now();
    loop {
        let s = run(&["status", "--db", &url]);
        if s.contains("worker doomed: 5 claimed") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the worker never claimed: {s}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    doomed.kill().expect("kill -9");
    let _ = doomed.wait();
    // Another worker finishes everything, the dead one's batch once its lease ran out.
    let err = wait_ok(
        worker(&url, "survivor", &["--lease", "1", "--exit-when-empty"], None),
        "survivor",
    );
    assert!(
        err.contains(&format!("{} article(s) stored", want.len())),
        "{err}"
    );
    let got = records(&url);
    assert_eq!(got, want, "every record once, the same as one SQLite run");
    assert_all_done(&url, want.len());
}
