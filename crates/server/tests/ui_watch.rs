//! The web UI's watchlists page end to end in headless Chromium
//! (`crates/server/ui-tests/watch.mjs`): a store with watchlists and events stored after
//! them, served here on a free port with a write token, so the script can store one more
//! article while the page is open and see the count follow it live (`/api/live`), with no
//! reload. The screenshot goes to `target/ui-screenshots/`.
//!
//! Like `crates/cli/tests/ui.rs`, it needs node, Chromium and `npm ci` in
//! `crates/server/ui-tests`; without them it prints why and passes, unless
//! `CHRONICLE_REQUIRE_BROWSER=1` (CI), where a missing tool fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chronicle_record::Record;
use chronicle_server::{ArticleWriter, Options, WriteAccess, Written};
use chronicle_store::{now_rfc3339, Store, WatchLedger, Watchlist};

fn workspace() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// The tools (the ui-tests folder and Chromium), or `None` after saying why the test cannot
/// run here.
fn tools() -> Option<(PathBuf, PathBuf)> {
    let ui_tests = workspace().join("crates/server/ui-tests");
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let node = Command::new("node")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    let why = if !node {
        Some("node is not installed".to_string())
    } else if !chromium.is_file() {
        Some(format!("no Chromium at {} (set CHROMIUM)", chromium.display()))
    } else if !ui_tests
        .join("node_modules/playwright-core/package.json")
        .is_file()
    {
        Some(format!(
            "playwright-core is not installed (run `npm ci` in {})",
            ui_tests.display()
        ))
    } else {
        None
    };
    if let Some(why) = why {
        let required = std::env::var("CHRONICLE_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(!required, "CHRONICLE_REQUIRE_BROWSER=1 but {why}");
        println!("skipped: the browser test needs node, Chromium and playwright-core: {why}");
        return None;
    }
    Some((ui_tests, chromium))
}

fn record(id: &str) -> Record {
    let j = serde_json::json!({
        "schema": 1, "id": id, "published": "2025-12-03", "title": "Talks fail", "url": null, "source": "Example News",
        "meta": {}, "text": "Putin rejected the plan in Moscow. “No,” Peskov said.",
        "sentences": [[0, 34], [35, 53]], "paragraphs": [[0, 53]],
        "entities": [], "quotes": [],
        "events": [{"id": "v1", "cameo": "120", "root": "12", "quad": 3, "goldstein": -4.0,
                    "plover": {"type": "REJECT", "mode": null},
                    "source": {"entity": null, "code": "RUSGOV", "text": "Putin", "span": [0, 5]},
                    "target": {"entity": null, "code": "USAGOV", "text": "the plan", "span": [15, 23]},
                    "sentence": [0, 34], "trigger": [6, 14], "modality": "asserted",
                    "date": "2025-12-02", "date_text": null,
                    "location": {"entity": "e1", "name": "Moscow", "country": "RUS", "admin1": "Moskva",
                                 "lat": 55.75, "lon": 37.62, "precision": "town", "basis": "clause"},
                    "killed": null, "wounded": null, "victims": null}],
        "timexes": [], "diagnostics": []
    });
    serde_json::from_value(j).expect("test record matches the contract types")
}

/// Stores the records it is sent (the contract's output JSON, not input articles: the test
/// writes no pipeline), so the browser script can add an event while the page is open.
struct RecordWriter(PathBuf);

impl ArticleWriter for RecordWriter {
    fn write(&self, body: &[u8]) -> Result<Written, String> {
        let rec: Record = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let mut store = Store::open(&self.0).map_err(|e| e.to_string())?;
        store.put_all([&rec]).map_err(|e| e.to_string())?;
        Ok(Written {
            stored: vec![rec.id],
            rejected: Vec::new(),
        })
    }
}

#[test]
fn the_watchlists_page_counts_new_events_marks_them_seen_and_follows_new_ones_live() {
    let Some((ui_tests, chromium)) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("watch-ui.db");
    let mut store = Store::open(&db).expect("store");
    store.put_all([&record("old")]).expect("put");
    let watch = |name: &str, filter: &[(&str, &str)], jsonl: Option<&str>| Watchlist {
        name: name.into(),
        filter: filter
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        jsonl: jsonl.map(String::from),
        created: now_rfc3339(),
        ..Default::default()
    };
    store
        .add_watchlist(&watch("russia", &[("actor", "RUS")], Some("russia.jsonl")))
        .expect("add");
    store
        .add_watchlist(&watch("mass violence", &[("cameo", "20")], None))
        .expect("add");
    // A name that is markup: the page must show it as text.
    store
        .add_watchlist(&watch(
            "<img src=x onerror=window.__pwned=1>",
            &[("place", "Moscow")],
            None,
        ))
        .expect("add");
    store.put_all([&record("new-1"), &record("new-2")]).expect("put");
    drop(store);

    let token = "watch-ui-token";
    let opts = Options {
        write: Some(WriteAccess {
            token: token.into(),
            writer: Arc::new(RecordWriter(db.clone())),
        }),
        live_poll: Duration::from_millis(300),
        ..Default::default()
    };
    let (_rt, port) = common::serve(db.to_string_lossy(), &opts);

    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| workspace().join("target"));
    let shots = target.join("ui-screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let log_path = shots.join("watch.mjs.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let log_err = log.try_clone().expect("log file");
    let mut node = Command::new("node")
        .arg(ui_tests.join("watch.mjs"))
        .arg(format!("http://127.0.0.1:{port}/"))
        .arg(&shots)
        .arg(token)
        .env("CHROMIUM", &chromium)
        .current_dir(&ui_tests)
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .expect("start node");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = node.try_wait().expect("wait for node") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = node.kill();
            let _ = node.wait();
            panic!("the browser test watch.mjs ran over 3 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let report = std::fs::read_to_string(&log_path).unwrap_or_default();
    assert!(
        status.success(),
        "the browser test watch.mjs failed ({status}):\n{report}\nscreenshots in {}",
        shots.display()
    );
    println!("{report}screenshots in {}", shots.display());
}
