//! The web UI end to end: the real binary ingests the seed article, serves it on a free
//! port, and `crates/server/ui-tests/run.mjs` drives headless Chromium through every page
//! (article marks, an event's evidence, timeline, network, map, search), checking them
//! against the API and saving a screenshot of each page in `target/ui-screenshots/`.
//!
//! It needs node, Chromium and `npm ci` in `crates/server/ui-tests`; without them it prints
//! why and passes, unless `CHRONICLE_REQUIRE_BROWSER=1` (CI), where a missing tool fails.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn workspace() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Kills the server however the test ends (a failed assertion included).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Why the browser test cannot run here, if it cannot.
fn missing_tool(ui_tests: &Path, chromium: &Path) -> Option<String> {
    let node = Command::new("node")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !node {
        return Some("node is not installed".into());
    }
    if !chromium.is_file() {
        return Some(format!("no Chromium at {} (set CHROMIUM)", chromium.display()));
    }
    if !ui_tests
        .join("node_modules/playwright-core/package.json")
        .is_file()
    {
        return Some(format!(
            "playwright-core is not installed (run `npm ci` in {})",
            ui_tests.display()
        ));
    }
    None
}

#[test]
fn the_web_ui_shows_the_seed_article_in_headless_chromium() {
    let root = workspace();
    let ui_tests = root.join("crates/server/ui-tests");
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if let Some(why) = missing_tool(&ui_tests, &chromium) {
        let required = std::env::var("CHRONICLE_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(!required, "CHRONICLE_REQUIRE_BROWSER=1 but {why}");
        println!("skipped: the browser test needs node, Chromium and playwright-core: {why}");
        return;
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("ui.db");
    let bin = env!("CARGO_BIN_EXE_chronicle");
    let seed = root.join("crates/cli/fixtures/seed-peace-talks.jsonl");
    let ingest = Command::new(bin)
        .arg("ingest")
        .arg("--db")
        .arg(&db)
        .arg(&seed)
        .output()
        .expect("run chronicle ingest");
    assert!(
        ingest.status.success(),
        "ingest failed: {}",
        String::from_utf8_lossy(&ingest.stderr)
    );

    let mut child = Command::new(bin)
        .arg("serve")
        .arg("--db")
        .arg(&db)
        .args(["--port", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chronicle serve");
    let stderr = child.stderr.take().expect("piped stderr");
    let server = Server(child);

    // The URL from "chronicle: serving DB at http://ADDR/ ..."; the rest of stderr keeps being
    // read (and echoed) so the server never blocks on a full pipe.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("server: {line}");
            let url = line
                .split_whitespace()
                .find(|w| w.starts_with("http://"))
                .map(str::to_string);
            if let (Some(url), true) = (url, line.contains("serving")) {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(url);
                }
            }
        }
    });
    let url = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server prints its URL once bound");

    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join("target"));
    let shots = target.join("ui-screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    // The script's report goes to a log beside the screenshots (shown here on failure).
    let log_path = shots.join("run.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let log_err = log.try_clone().expect("log file");
    let mut node = Command::new("node")
        .arg(ui_tests.join("run.mjs"))
        .arg(&url)
        .arg(&shots)
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
        if started.elapsed() > Duration::from_secs(300) {
            let _ = node.kill();
            let _ = node.wait();
            panic!("the browser test ran over 5 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    drop(server);
    let report = std::fs::read_to_string(&log_path).unwrap_or_default();
    assert!(
        status.success(),
        "the browser test failed ({status}):\n{report}\nscreenshots in {}",
        shots.display()
    );
    println!("{report}screenshots in {}", shots.display());
}
