//! `chronicle status` shows the run log: each `ingest` (and `enqueue`) that finished, with
//! its articles, its rejected inputs and their most frequent reasons, on SQLite and (with
//! `CHRONICLE_TEST_PG`) on PostgreSQL.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_chronicle");

fn chronicle(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("binary runs")
}

fn stdout_of(args: &[&str]) -> String {
    let out = chronicle(args);
    assert!(
        out.status.success(),
        "chronicle {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Two good articles and three bad lines: two of them not JSON alike (lines 2 and 4), one
/// without text (line 5).
fn mixed_input(dir: &Path) -> String {
    let p = dir.join("mixed.jsonl");
    std::fs::write(
        &p,
        "{\"id\":\"ok1\",\"text\":\"Putin met Xi in Moscow on Tuesday.\",\"published\":\"2025-12-03\"}\n\
         not json at all\n\
         {\"id\":\"ok2\",\"text\":\"Russia attacked Ukraine near Pisky.\",\"published\":\"2025-12-03\"}\n\
         not json either\n\
         {\"id\":\"nt\"}\n",
    )
    .expect("write");
    p.to_string_lossy().into_owned()
}

/// Ingests `input` into `db`: it stores two articles and rejects three inputs (exit 1).
fn ingest_mixed(db: &str, input: &str) {
    let out = chronicle(&["ingest", "--quiet", "-j", "2", "--db", db, input]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The run lines of `status` (after the `runs:` header).
fn run_lines(status: &str) -> Vec<&str> {
    status
        .lines()
        .skip_while(|l| !l.starts_with("runs:"))
        .skip(1)
        .collect()
}

/// `status` holds the mixed run: its counts, its reasons by frequency, each with the origin
/// of its first rejection.
fn assert_mixed_run(status: &str, input: &str, line: usize) {
    let lines = run_lines(status);
    let run = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("  ") && !l.starts_with("    "))
        .nth(line)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("no run {line} in:\n{status}"));
    assert!(
        lines[run].contains(" ingest: 2 article(s) stored, 3 input(s) rejected, exit 1")
            && lines[run].ends_with(&format!("; {input}")),
        "{status}"
    );
    assert!(
        lines[run + 1].starts_with("    rejected 2x: not valid JSON")
            && lines[run + 1].ends_with(&format!("(e.g. {input}:2)")),
        "{status}"
    );
    assert!(
        lines[run + 2].starts_with("    rejected 1x: ")
            && lines[run + 2].ends_with(&format!("(e.g. {input}:5)")),
        "{status}"
    );
}

#[test]
fn status_shows_an_ingest_run_with_its_rejections_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("runs.db");
    let db = db.to_str().expect("path");
    let input = mixed_input(dir.path());
    // A store without runs (the demo's stores without ingesting) says so.
    let demo = dir.path().join("demo.db");
    let demo = demo.to_str().expect("path");
    stdout_of(&["demo", "--no-serve", "--db", demo]);
    let status = stdout_of(&["status", "--db", demo]);
    assert!(status.contains("\nruns: none recorded"), "{status}");
    ingest_mixed(db, &input);
    let status = stdout_of(&["status", "--db", db]);
    assert!(status.starts_with("store: 2 articles, "), "{status}");
    assert!(status.contains("runs: the last 1, newest first\n"), "{status}");
    assert_mixed_run(&status, &input, 0);
    // A clean run after it comes first; `sqlite:FILE` names the same store.
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed-peace-talks.jsonl");
    let seed = seed.to_string_lossy().into_owned();
    assert!(chronicle(&["ingest", "--quiet", "--db", db, &seed])
        .status
        .success());
    let status = stdout_of(&["status", "--db", &format!("sqlite:{db}")]);
    let lines = run_lines(&status);
    assert!(
        lines[0].contains(" ingest: 1 article(s) stored, 0 input(s) rejected, exit 0")
            && lines[0].ends_with(&format!("; {seed}")),
        "{status}"
    );
    assert_mixed_run(&status, &input, 1);
    assert!(status.starts_with("store: 3 articles, "), "{status}");
    // A store that is not there is a usage error, and is not created.
    let missing = dir.path().join("missing.db");
    let out = chronicle(&["status", "--db", missing.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such store"));
    assert!(!missing.exists());
}

#[test]
fn status_shows_ingest_and_enqueue_runs_on_postgres() {
    let Some(url) = chronicle_pgstore::testing::fresh_database("cli_status") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let input = mixed_input(dir.path());
    ingest_mixed(&url, &input);
    let status = stdout_of(&["status", "--db", &url]);
    // The queue and store lines come first, as before the run log.
    assert!(
        status.starts_with("queue: 0 queued, 0 running, 0 done, 0 failed\nstore: 2 articles, "),
        "{status}"
    );
    assert_mixed_run(&status, &input, 0);
    // `enqueue` leaves its run too: lines are queued as read (a worker rejects a bad one),
    // a file that cannot be read is rejected at once.
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").expect("write");
    let empty = empty.to_string_lossy().into_owned();
    let out = chronicle(&["enqueue", "--db", &url, &input, &empty]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status = stdout_of(&["status", "--db", &url]);
    assert!(status.starts_with("queue: 5 queued, "), "{status}");
    let lines = run_lines(&status);
    assert!(
        lines[0].contains(" enqueue: 5 article(s) queued, 1 input(s) rejected, exit 1")
            && lines[0].ends_with(&format!("; {input} {empty}")),
        "{status}"
    );
    assert!(
        lines[1].starts_with("    rejected 1x: ") && lines[1].ends_with(&format!("(e.g. {empty})")),
        "{status}"
    );
    assert_mixed_run(&status, &input, 1);
}
