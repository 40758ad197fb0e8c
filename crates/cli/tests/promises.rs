//! What `chronicle query` and `export` promise, through the real binary: a filter value
//! that cannot mean anything is a usage error naming what the filter takes (never an
//! empty answer), clustered rows carry their cluster figures in every format, JSON lines
//! keep the contract's field names, GDELT's Day is never empty, and a reader that closes
//! the pipe early (`| head`) ends the run quietly with success.

use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn chronicle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = chronicle(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "chronicle {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
        .to_str()
        .expect("utf-8 path")
        .to_string()
}

/// A store of the seed article and the bundled sample corpus.
fn corpus_store(dir: &Path) -> String {
    let db = dir.join("c.db").to_str().expect("utf-8 path").to_string();
    ok(&[
        "ingest",
        "--quiet",
        "--db",
        &db,
        &fixture("seed-peace-talks.jsonl"),
        &fixture("sample-corpus.jsonl"),
    ]);
    db
}

#[test]
fn filter_values_that_mean_nothing_are_usage_errors_naming_what_is_allowed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = corpus_store(dir.path());
    for (args, names) in [
        (
            &["events", "--since", "yesterday"][..],
            &["--since", "\"yesterday\"", "YYYY-MM-DD"][..],
        ),
        (&["events", "--until", "2025-02-30"], &["--until", "YYYY-MM-DD"]),
        (&["events", "--cameo", "ZZ"], &["--cameo", "\"ZZ\"", "01-20"]),
        (
            &["events", "--modality", "maybe"],
            &["--modality", "asserted", "hypothetical", "historical"],
        ),
        (
            &["events", "--plover", "FIGHT"],
            &["--plover", "ASSAULT", "PROTEST"],
        ),
        (
            &["events", "--since", "2025-12", "--until", "2025-11"],
            &["--since", "--until"],
        ),
        (&["events", "--bbox", "39,47,35,49"], &["bbox", "west <= east"]),
        // A flag the kind does not take would be ignored: it is refused instead.
        (
            &["quotes", "--cameo", "12"],
            &["--cameo", "query quotes", "--speaker"],
        ),
        (
            &["actors", "--since", "2025"],
            &["--since", "query actors", "--actor"],
        ),
        (
            &["events", "--speaker", "Peskov"],
            &["--speaker", "query events", "--modality"],
        ),
    ] {
        let mut all = vec!["query", "--db", &db];
        all.extend_from_slice(args);
        let out = chronicle(&all);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} printed rows");
        for n in names {
            assert!(err.contains(n), "{args:?}: the message lacks {n}: {err}");
        }
    }
    // What the filters do take still selects, coarse dates and any case included.
    let all = ok(&["query", "--db", &db, "events", "--format", "jsonl"]);
    let reported = all
        .lines()
        .filter(|l| l.contains("\"modality\":\"reported\""))
        .count();
    assert!(reported > 0, "the corpus has reported events");
    let upper = ok(&[
        "query",
        "--db",
        &db,
        "events",
        "--modality",
        "REPORTED",
        "--format",
        "jsonl",
    ]);
    assert_eq!(upper.lines().count(), reported);
    let by_year = ok(&[
        "query", "--db", &db, "events", "--since", "2000", "--until", "2099-12", "--format", "jsonl",
    ]);
    let dated = all.lines().filter(|l| !l.contains("\"date\":null")).count();
    assert_eq!(
        by_year.lines().count(),
        dated,
        "a year and a month bound every dated event"
    );
    ok(&[
        "query", "--db", &db, "events", "--cameo", "19", "--plover", "assault",
    ]);

    // Every filter's help says what it takes.
    let help = ok(&["query", "--help"]);
    for allowed in [
        "hypothetical",
        "ASSAULT",
        "YYYY-MM-DD",
        "01-20",
        "west,south,east,north",
    ] {
        assert!(help.contains(allowed), "query --help lacks {allowed}");
    }
}

#[test]
fn event_rows_keep_contract_names_and_carry_cluster_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = corpus_store(dir.path());
    let contract = [
        "id",
        "cameo",
        "root",
        "quad",
        "goldstein",
        "plover",
        "source",
        "target",
        "sentence",
        "trigger",
        "modality",
        "date",
        "date_text",
        "location",
        "killed",
        "wounded",
        "victims",
    ];
    let mut merged = 0;
    for clustered in [false, true] {
        let mut args = vec!["query", "--db", &db, "events"];
        if clustered {
            args.push("--clustered");
        }
        let jsonl = ok(&[&args[..], &["--format", "jsonl"]].concat());
        let rows: Vec<Value> = jsonl
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        assert!(!rows.is_empty());
        for r in &rows {
            for k in contract {
                assert!(r.get(k).is_some(), "clustered={clustered}: {k} missing: {r}");
            }
            assert!(r["plover"]["type"].is_string(), "{r}");
            for renamed in ["event_type", "fatalities", "event_date", "source_actor"] {
                assert!(r.get(renamed).is_none(), "{renamed} is not a contract name: {r}");
            }
            assert!(
                r["article_id"].is_string() && r["num_articles"].as_i64() >= Some(1),
                "{r}"
            );
        }
        let figures: Vec<[i64; 3]> = rows
            .iter()
            .map(|r| ["num_mentions", "num_sources", "num_articles"].map(|k| r[k].as_i64().expect("a count")))
            .collect();
        if clustered {
            merged = figures.iter().filter(|f| f[2] > 1).count();
        }

        // CSV: the same figures under their column names.
        let csv = ok(&[&args[..], &["--format", "csv"]].concat());
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let head = reader.headers().expect("a header").clone();
        let col = |name: &str| head.iter().position(|h| h == name).expect(name);
        let (m, s, a) = (col("num_mentions"), col("num_sources"), col("num_articles"));
        let from_csv: Vec<[i64; 3]> = reader
            .records()
            .map(|r| {
                let r = r.expect("a CSV record");
                [m, s, a].map(|i| r[i].parse().expect("a count"))
            })
            .collect();
        assert_eq!(from_csv, figures, "clustered={clustered}");

        // The table: a column each, the row's last three.
        let table = ok(&args);
        assert!(
            table
                .lines()
                .next()
                .is_some_and(|h| h.trim_end().ends_with("mentions sources articles")),
            "{table}"
        );
        let from_table: Vec<[i64; 3]> = table
            .lines()
            .skip(1)
            .filter(|l| !l.starts_with('('))
            .map(|l| {
                let n: Vec<i64> = l
                    .split_whitespace()
                    .rev()
                    .take(3)
                    .map(|x| x.parse().expect("a count"))
                    .collect();
                [n[2], n[1], n[0]]
            })
            .collect();
        assert_eq!(from_table, figures, "clustered={clustered}");
    }
    assert!(
        merged > 0,
        "the sample corpus has events reported by several articles"
    );
}

#[test]
fn gdelt_day_is_filled_for_undated_articles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed: Value =
        serde_json::from_str(include_str!("../fixtures/seed-peace-talks.jsonl").trim()).expect("seed JSON");
    // The seed's text as a plain file with no date: nothing in it or about it is dated.
    let txt = dir.path().join("undated.txt");
    std::fs::write(&txt, seed["text"].as_str().expect("text")).expect("write");
    let db = dir.path().join("c.db");
    let db = db.to_str().expect("utf-8 path");
    let before = chrono::Utc::now().date_naive();
    ok(&["ingest", "--quiet", "--db", db, txt.to_str().expect("path")]);
    let after = chrono::Utc::now().date_naive();
    let rows = ok(&["query", "--db", db, "events", "--format", "jsonl"]);
    assert!(
        rows.lines()
            .any(|l| l.contains("\"date\":null") && l.contains("\"published\":null")),
        "some event is undated: {rows}"
    );
    let stored = [before, after].map(|d| d.format("%Y%m%d").to_string());
    let gdelt = ok(&["export", "--db", db, "--format", "gdelt"]);
    assert!(gdelt.lines().count() > 0);
    for l in gdelt.lines() {
        let c: Vec<&str> = l.split('\t').collect();
        // Day (SQLDATE), MonthYear, Year: the storing day's.
        assert!(stored.contains(&c[1].to_string()), "Day {:?}: {l}", c[1]);
        assert_eq!(c[2], &c[1][..6]);
        assert_eq!(c[3], &c[1][..4]);
    }
    let mentions = ok(&["export", "--db", db, "--format", "gdelt-mentions"]);
    for l in mentions.lines() {
        let c: Vec<&str> = l.split('\t').collect();
        assert!(
            c[1].len() == 14 && c[2].len() == 14,
            "event and mention times: {l}"
        );
    }
}

/// Runs the binary with stdout a pipe that is closed after a few bytes, the way `| head`
/// does; returns (exit code, stderr).
fn with_early_close(args: &[&str], stdin: &[u8]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        // The run may stop reading once its output is gone.
        let _ = input.write_all(&stdin);
    });
    let mut out = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    out.read_exact(&mut first).expect("some output");
    drop(out);
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    let status = child.wait().expect("exits");
    let _ = feeder.join();
    (status.code(), err)
}

#[test]
fn a_reader_closing_the_pipe_ends_the_run_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 200 copies of the seed under their own ids and addresses (the store would merge
    // copies at one address), so every output is far larger than a pipe's buffer and
    // writing meets the closed pipe.
    let mut seed: Value =
        serde_json::from_str(include_str!("../fixtures/seed-peace-talks.jsonl").trim()).expect("seed JSON");
    let many: String = (0..200)
        .map(|i| {
            seed["id"] = Value::from(format!("copy-{i}"));
            seed["url"] = Value::from(format!("https://example.org/copy-{i}"));
            format!("{seed}\n")
        })
        .collect();
    let input = dir.path().join("many.jsonl");
    std::fs::write(&input, &many).expect("write");
    let db = dir.path().join("c.db");
    let db = db.to_str().expect("utf-8 path");
    ok(&["ingest", "--quiet", "--db", db, input.to_str().expect("path")]);
    for args in [
        &["export", "--db", db, "--format", "jsonl"][..],
        &["export", "--db", db, "--format", "gdelt-mentions"],
        &["query", "--db", db, "events"],
        &["query", "--db", db, "events", "--format", "csv"],
        &["query", "--db", db, "events", "--clustered", "--format", "jsonl"],
        &["show", "--db", db, "copy-7", "--format", "json"],
    ] {
        assert!(
            ok(args).len() > 128 * 1024 || args[0] == "show",
            "{args:?}: output too small to fill a pipe"
        );
        let (code, err) = with_early_close(args, b"");
        assert!(
            !err.contains("Broken pipe") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
        assert_eq!(code, Some(0), "{args:?}: {err}");
    }
    // Extraction, records written as they come.
    let (code, err) = with_early_close(&["extract", "--quiet", "-j", "1", "-"], many.as_bytes());
    assert!(!err.contains("Broken pipe") && !err.contains("panicked"), "{err}");
    assert_eq!(code, Some(0), "{err}");
}
