//! `chronicle watch` and `chronicle watchlist` end to end: the binary against a real local
//! HTTP server (127.0.0.1 only) serving the sample corpus as news pages behind an RSS
//! feed, with a webhook receiver. Every article is stored once, a second cycle fetches
//! nothing, a watchlist delivers each new matching event once to its JSONL file and its
//! webhook (also across a restart and a kill -9), and a failing webhook is retried and
//! reported without holding anything else up.

#[path = "../../watch/tests/site/mod.rs"]
mod site;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use chronicle_store::{LinkStatus, RecordStore, Store, WatchLedger};
use site::{page, rss, Route, Site};

const BIN: &str = env!("CARGO_BIN_EXE_chronicle");
const SAMPLE: &str = include_str!("../fixtures/sample-corpus.jsonl");

fn samples() -> Vec<serde_json::Value> {
    SAMPLE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("fixture line"))
        .collect()
}

/// Serves the first `n` sample articles as pages (each after `delay`) behind `/feed.xml`.
fn serve_sample(site: &Site, n: usize, delay: Duration) -> Vec<String> {
    site.set(
        "/robots.txt",
        Route::Text("User-agent: *\nDisallow: /private/\n".into()),
    );
    let mut items = Vec::new();
    for (i, s) in samples().iter().take(n).enumerate() {
        let path = format!("/news/{i}");
        let title = s["title"].as_str().unwrap_or("Story").to_string();
        let html = page(&title, s["text"].as_str().unwrap_or(""));
        let route = if delay.is_zero() {
            Route::Page(html)
        } else {
            Route::Slow(delay, Box::new(Route::Page(html)))
        };
        site.set(&path, route);
        items.push((title.replace('&', "and"), site.url(&path)));
    }
    site.set(
        "/feed.xml",
        Route::Xml {
            body: rss("Sample News", &items),
            etag: "\"1\"".into(),
        },
    );
    items.into_iter().map(|(_, u)| u).collect()
}

fn chronicle(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn jsonl_keys(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            (
                v["event"]["article_id"].as_str().unwrap_or("").to_string(),
                v["event"]["event_id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn unique<T: std::hash::Hash + Eq + Clone>(v: &[T]) -> bool {
    v.iter().cloned().collect::<HashSet<_>>().len() == v.len()
}

#[test]
fn watch_stores_each_article_once_and_a_watchlist_delivers_each_new_event_once() {
    let site = Site::start(4);
    let urls = serve_sample(&site, 6, Duration::ZERO);
    site.set("/hook", Route::Hook);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("w.db");
    let db = db.to_str().expect("utf-8");
    let sources = dir.path().join("sources.txt");
    std::fs::write(
        &sources,
        format!("# test\n{}  Sample News #ukraine\n", site.url("/feed.xml")),
    )
    .expect("write");
    let sources = sources.to_str().expect("utf-8");
    let alerts = dir.path().join("alerts.jsonl");
    let hook = site.url("/hook");
    let added = ok(&chronicle(&[
        "watchlist",
        "add",
        "--db",
        db,
        "ukraine",
        "--jsonl",
        alerts.to_str().expect("utf-8"),
        "--webhook",
        &hook,
        "--place",
        "UKR",
    ]));
    assert!(added.contains("watchlist \"ukraine\" added"), "{added}");

    let watch = [
        "watch",
        "--once",
        "--db",
        db,
        "--sources",
        sources,
        "--delay",
        "0s",
    ];
    let out = chronicle(&watch);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    ok(&out);
    assert!(stderr.contains("6 stored"), "{stderr}");
    let mut store = Store::open(Path::new(db)).expect("store");
    let mut ids = store.ids().expect("ids");
    ids.sort();
    let mut want = urls.clone();
    want.sort();
    assert_eq!(ids, want, "every article once, under its URL");
    let keys = jsonl_keys(&alerts);
    assert!(!keys.is_empty(), "the sample corpus has events in Ukraine");
    assert!(unique(&keys), "each event once in the file");
    let posts = site.posts.lock().expect("posts").clone();
    assert_eq!(posts.len(), keys.len(), "the webhook got each event too");
    assert!(unique(&posts.iter().map(|p| p.0.clone()).collect::<Vec<_>>()));
    let first: serde_json::Value = serde_json::from_str(&posts[0].1).expect("json");
    assert_eq!(first["watchlist"], "ukraine");
    assert!(first["evidence"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(first["article_url"]
        .as_str()
        .is_some_and(|u| u.starts_with(&site.base)));
    assert_eq!(first["event"]["country"], "UKR");
    // Every matching event stored is delivered, no other.
    let f = chronicle_store::EventFilter {
        place: Some("UKR".into()),
        ..Default::default()
    };
    assert_eq!(store.events(&f).expect("events").len(), keys.len());

    let status = ok(&chronicle(&["status", "--db", db]));
    assert!(status.contains("watch: 1 sources (0 failing)"), "{status}");
    assert!(status.contains("watchlist ukraine (jsonl):"), "{status}");
    assert!(status.contains("watch"), "{status}");

    // Again: the feed answers 304, no page is fetched, nothing is delivered again.
    let pages_before = site.hits_under("/news/");
    let out = chronicle(&watch);
    ok(&out);
    assert_eq!(site.hits_under("/news/"), pages_before);
    assert_eq!(jsonl_keys(&alerts).len(), keys.len());
    assert_eq!(site.posts.lock().expect("posts").len(), keys.len());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 not modified"), "{stderr}");

    // The same articles stored again (a re-ingest gives their events new numbers) are no
    // new events for the watchlist.
    let export = ok(&chronicle(&["export", "--db", db, "--format", "jsonl"]));
    let file = dir.path().join("again.jsonl");
    std::fs::write(&file, export).expect("write");
    ok(&chronicle(&[
        "ingest",
        "--quiet",
        "--db",
        db,
        file.to_str().expect("utf-8"),
    ]));
    ok(&chronicle(&watch));
    assert_eq!(jsonl_keys(&alerts).len(), keys.len());

    let list = ok(&chronicle(&["watchlist", "list", "--db", db]));
    assert!(list.contains("ukraine: --place UKR"), "{list}");
    assert!(
        list.contains(&format!("webhook: {} delivered, 0 pending", keys.len())),
        "{list}"
    );
    ok(&chronicle(&["watchlist", "remove", "--db", db, "ukraine"]));
    let gone = chronicle(&["watchlist", "remove", "--db", db, "ukraine"]);
    assert_eq!(gone.status.code(), Some(2));
}

#[test]
fn a_failing_webhook_is_retried_and_reported_and_delays_nothing_else() {
    let site = Site::start(4);
    serve_sample(&site, 4, Duration::ZERO);
    site.set("/hook", Route::Hook);
    site.hook_status.store(500, std::sync::atomic::Ordering::SeqCst);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("w.db");
    let db = db.to_str().expect("utf-8");
    let sources = dir.path().join("sources.txt");
    std::fs::write(&sources, site.url("/feed.xml")).expect("write");
    let sources = sources.to_str().expect("utf-8");
    let alerts = dir.path().join("alerts.jsonl");
    ok(&chronicle(&[
        "watchlist",
        "add",
        "--db",
        db,
        "all",
        "--jsonl",
        alerts.to_str().expect("utf-8"),
        "--webhook",
        &site.url("/hook"),
    ]));
    let watch = [
        "watch",
        "--once",
        "--db",
        db,
        "--sources",
        sources,
        "--delay",
        "0s",
        "--webhook-retry",
        "0s",
    ];
    let out = chronicle(&watch);
    ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("watchlist all (webhook)") && stderr.contains("HTTP 500"),
        "{stderr}"
    );
    let keys = jsonl_keys(&alerts);
    assert!(
        !keys.is_empty(),
        "the JSONL file is delivered whatever the webhook does"
    );
    assert!(site.posts.lock().expect("posts").is_empty());
    // One failed call per pass, not one per event.
    assert_eq!(site.hits("/hook"), 1);
    let list = ok(&chronicle(&["watchlist", "list", "--db", db]));
    assert!(
        list.contains(&format!(
            "webhook: 0 delivered, {} pending, 1 failing",
            keys.len()
        )),
        "{list}"
    );

    // The receiver is back: the next pass delivers every event, once.
    site.hook_status.store(200, std::sync::atomic::Ordering::SeqCst);
    ok(&chronicle(&watch));
    let posts = site.posts.lock().expect("posts").clone();
    assert_eq!(posts.len(), keys.len());
    assert!(unique(&posts.iter().map(|p| p.0.clone()).collect::<Vec<_>>()));
    ok(&chronicle(&watch));
    assert_eq!(site.posts.lock().expect("posts").len(), keys.len());
    assert_eq!(jsonl_keys(&alerts).len(), keys.len());
}

#[test]
fn a_watch_killed_mid_cycle_resumes_and_stores_every_article_once() {
    let site = Site::start(2);
    let urls = serve_sample(&site, 24, Duration::from_millis(150));
    let dir = tempfile::tempdir().expect("tempdir");
    let db_path = dir.path().join("w.db");
    let db = db_path.to_str().expect("utf-8");
    let sources = dir.path().join("sources.txt");
    std::fs::write(&sources, site.url("/feed.xml")).expect("write");
    let sources = sources.to_str().expect("utf-8");
    let alerts = dir.path().join("alerts.jsonl");
    ok(&chronicle(&[
        "watchlist",
        "add",
        "--db",
        db,
        "all",
        "--jsonl",
        alerts.to_str().expect("utf-8"),
    ]));
    let args = [
        "watch",
        "--once",
        "--quiet",
        "--db",
        db,
        "--sources",
        sources,
        "--delay",
        "0s",
        "--per-host",
        "1",
        "--workers",
        "2",
    ];
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Killed once some articles are stored and others are not.
    let deadline = Instant::now() + Duration::from_secs(60);
    let stored_then = loop {
        std::thread::sleep(Duration::from_millis(100));
        let n = Store::open_reader(&db_path)
            .ok()
            .and_then(|mut s| s.counts().ok())
            .map_or(0, |c| c.articles);
        if n >= 3 || Instant::now() > deadline {
            break n;
        }
    };
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert!(
        (3..24).contains(&stored_then),
        "killed mid-cycle ({stored_then} stored)"
    );

    ok(&chronicle(&args));
    let mut store = Store::open(&db_path).expect("store");
    let mut ids = store.ids().expect("ids");
    ids.sort();
    let mut want = urls.clone();
    want.sort();
    assert_eq!(ids, want, "every article, once");
    assert_eq!(
        store.link_counts().expect("links"),
        vec![(LinkStatus::Stored, 24)]
    );
    // Pages fetched at most twice: the ones in flight at the kill, once more.
    for u in &urls {
        let path = &u[site.base.len()..];
        assert!((1..=2).contains(&site.hits(path)), "{path}: {}", site.hits(path));
    }
    let keys = jsonl_keys(&alerts);
    assert!(!keys.is_empty());
    assert!(unique(&keys), "each event delivered once across the kill");
    assert_eq!(keys.len(), store.counts().expect("totals").events as usize);
    // The run log holds the finished cycle (the killed one left none).
    let runs = store.runs(10).expect("runs");
    assert!(runs.iter().any(|r| r.command == "watch"));
}

#[test]
fn watchlist_add_refuses_what_it_cannot_mean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("w.db");
    let db = db.to_str().expect("utf-8");
    for (args, says) in [
        (vec!["--place", "UKR"], "--jsonl FILE, --webhook URL or both"),
        (
            vec!["--jsonl", "a.jsonl", "--colour", "red"],
            "--colour is not a watchlist filter",
        ),
        (
            vec!["--jsonl", "a.jsonl", "--limit", "3"],
            "--limit is not a watchlist filter",
        ),
        (vec!["--jsonl", "a.jsonl", "--cameo", "99"], "--cameo"),
        (
            vec!["--webhook", "ftp://x/y"],
            "expected an http:// or https:// URL",
        ),
    ] {
        let mut full = vec!["watchlist", "add", "--db", db, "w"];
        full.extend(args.iter().copied());
        let out = chronicle(&full);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let mut store = Store::open(Path::new(db)).expect("store");
    assert!(store.watchlists().expect("lists").is_empty());
}

/// On PostgreSQL `watch` queues what it fetched and the workers extract it; the next
/// pass delivers the watchlist's new events once. Runs against the test server named by
/// `CHRONICLE_TEST_PG` (CI starts one); without it the test says so and passes.
#[test]
fn on_postgres_watch_queues_for_the_workers_and_delivers_their_events() {
    let Some(url) = chronicle_pgstore::testing::fresh_database("watch") else {
        eprintln!("skipped: no PostgreSQL test server (CHRONICLE_TEST_PG)");
        return;
    };
    let site = Site::start(4);
    let urls = serve_sample(&site, 5, Duration::ZERO);
    let dir = tempfile::tempdir().expect("tempdir");
    let sources = dir.path().join("sources.txt");
    std::fs::write(&sources, site.url("/feed.xml")).expect("write");
    let sources = sources.to_str().expect("utf-8");
    let alerts = dir.path().join("alerts.jsonl");
    ok(&chronicle(&[
        "watchlist",
        "add",
        "--db",
        &url,
        "all",
        "--jsonl",
        alerts.to_str().expect("utf-8"),
    ]));
    let watch = [
        "watch",
        "--once",
        "--db",
        &url,
        "--sources",
        sources,
        "--delay",
        "0s",
    ];
    let out = chronicle(&watch);
    ok(&out);
    let status = ok(&chronicle(&["status", "--db", &url]));
    assert!(status.starts_with("queue: 5 queued"), "{status}");
    assert!(status.contains("watch: 1 sources (0 failing)"), "{status}");
    ok(&chronicle(&[
        "worker",
        "--db",
        &url,
        "--exit-when-empty",
        "-j",
        "1",
    ]));
    // The next pass finds the feed unchanged and the workers' events new.
    ok(&chronicle(&watch));
    let mut store = chronicle_pgstore::PgStore::connect(&url).expect("connect");
    let mut ids = store.ids().expect("ids");
    ids.sort();
    let mut want = urls;
    want.sort();
    assert_eq!(ids, want);
    let keys = jsonl_keys(&alerts);
    assert!(!keys.is_empty());
    assert!(unique(&keys));
    assert_eq!(keys.len() as u64, store.counts().expect("totals").events);
    ok(&chronicle(&watch));
    assert_eq!(jsonl_keys(&alerts).len(), keys.len(), "nothing delivered twice");
    assert_eq!(site.hits_under("/news/"), 5, "each page fetched once");
}

/// Without `--once`, cycles follow each other (`--every`), each one a run in the run log,
/// and the alert thread delivers what the last cycle stored before the watch ends.
#[test]
fn a_continuous_watch_runs_its_cycles_and_delivers_before_it_ends() {
    let site = Site::start(4);
    serve_sample(&site, 3, Duration::ZERO);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("w.db");
    let db = db.to_str().expect("utf-8");
    let sources = dir.path().join("sources.txt");
    std::fs::write(&sources, format!("{}\nnot-a-url\n", site.url("/feed.xml"))).expect("write");
    let sources = sources.to_str().expect("utf-8");
    let alerts = dir.path().join("alerts.jsonl");
    ok(&chronicle(&[
        "watchlist",
        "add",
        "--db",
        db,
        "all",
        "--jsonl",
        alerts.to_str().expect("utf-8"),
    ]));
    let out = chronicle(&[
        "watch",
        "--db",
        db,
        "--sources",
        sources,
        "--delay",
        "0s",
        "--every",
        "1s",
        "--cycles",
        "2",
    ]);
    // The bad line of the sources file is reported with its place, and the run ends 1.
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("sources.txt:2: \"not-a-url\" is not a URL"),
        "{stderr}"
    );
    assert!(
        stderr.contains("watch cycle 2: sources 0 read, 1 not modified"),
        "{stderr}"
    );
    let mut store = Store::open(Path::new(db)).expect("store");
    let runs: Vec<_> = store
        .runs(10)
        .expect("runs")
        .into_iter()
        .filter(|r| r.command == "watch")
        .collect();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[1].articles, 3);
    assert_eq!(runs[0].articles, 0);
    assert_eq!(runs[0].rejected, 1, "the bad line, in each cycle's run");
    let keys = jsonl_keys(&alerts);
    assert!(!keys.is_empty() && unique(&keys));
    assert_eq!(keys.len() as u64, store.counts().expect("totals").events);
}
