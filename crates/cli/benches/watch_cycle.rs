//! The watch benchmark of issue 21: one `chronicle watch --once` cycle over 1,000 local
//! feeds of 20 entries each (20,000 article pages, each a distinct story), served by real
//! HTTP servers on four loopback addresses (four hosts), then a second cycle.
//!
//! It checks, and prints: every article stored exactly once (20,000 articles, 20,000
//! links stored), at most `--per-host` requests in flight per host (as each server saw
//! it), and on the second cycle every feed answered 304, no page fetched, nothing stored.
//! `CHRONICLE_BENCH_FEEDS` sets the number of feeds (default 1,000), `CHRONICLE_BENCH_PER_HOST`
//! the cap (default 2).

#[path = "../../watch/tests/site/mod.rs"]
mod site;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use chronicle_store::{LinkStatus, RecordStore, Store, WatchLedger};
use site::{page, rss, Route, Site};

const BIN: &str = env!("CARGO_BIN_EXE_chronicle");
const SAMPLE: &str = include_str!("../fixtures/sample-corpus.jsonl");
const ENTRIES: usize = 20;
const HOSTS: [&str; 4] = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"];

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo test --benches` runs this with `--bench` absent: do nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let feeds = env_num("CHRONICLE_BENCH_FEEDS", 1000);
    let per_host = env_num("CHRONICLE_BENCH_PER_HOST", 2);
    let samples: Vec<serde_json::Value> = SAMPLE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    // The first two paragraphs of each sample story: articles of news length, kept short
    // so the benchmark measures the watcher more than the extraction.
    let bodies: Vec<(String, String)> = samples
        .iter()
        .map(|s| {
            let text: Vec<&str> = s["text"].as_str().unwrap_or("").split("\n\n").take(2).collect();
            (
                s["title"].as_str().unwrap_or("Story").to_string(),
                text.join("\n\n"),
            )
        })
        .collect();
    let sites: Vec<Site> = HOSTS.iter().map(|ip| Site::start_on(ip, 4)).collect();
    let mut sources = String::new();
    let mut chars = 0usize;
    for f in 0..feeds {
        let site = &sites[f % sites.len()];
        let mut items = Vec::with_capacity(ENTRIES);
        for e in 0..ENTRIES {
            let (title, text) = &bodies[(f * ENTRIES + e) % bodies.len()];
            let path = format!("/story/{f}/{e}");
            // A dateline of its own makes each page a distinct story (same text under two
            // links would be stored once, as a duplicate).
            let text = format!("WIRE {f}-{e} - Report {f}.{e} of the day.\n\n{text}");
            chars += text.chars().count();
            site.set(&path, Route::Page(page(title, &text)));
            items.push((format!("Story {f}.{e}"), site.url(&path)));
        }
        let feed = format!("/feeds/{f}.xml");
        site.set(
            &feed,
            Route::Xml {
                body: rss(&format!("Feed {f}"), &items),
                etag: format!("\"{f}\""),
            },
        );
        sources.push_str(&format!("{} Feed{f}\n", site.url(&feed)));
    }
    for s in &sites {
        s.set("/robots.txt", Route::Text("User-agent: *\nAllow: /\n".into()));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("sources.txt");
    std::fs::write(&src, sources).expect("write");
    let db = dir.path().join("watch.db");
    let per_host_arg = per_host.to_string();
    let args = [
        "watch",
        "--once",
        "--db",
        db.to_str().expect("utf-8"),
        "--sources",
        src.to_str().expect("utf-8"),
        "--delay",
        "0s",
        "--per-host",
        &per_host_arg,
        "--workers",
        "8",
    ];
    let pages = feeds * ENTRIES;
    println!(
        "watch_cycle: {feeds} feeds x {ENTRIES} entries = {pages} pages ({chars} chars of text) on {} hosts, --per-host {per_host}",
        sites.len()
    );
    let t0 = Instant::now();
    let out = Command::new(BIN).args(args).output().expect("runs");
    let first = t0.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "first cycle failed: {stderr}");
    println!("cycle 1: {:.1} s, {}", first.as_secs_f64(), last_line(&stderr));
    let mut store = Store::open(Path::new(&db)).expect("store");
    let articles = store.counts().expect("totals").articles as usize;
    let links = store.link_counts().expect("links");
    let peaks: Vec<usize> = sites.iter().map(|s| s.peak()).collect();
    let page_hits: usize = sites.iter().map(|s| s.hits_under("/story/")).sum();
    println!(
        "cycle 1: {articles} articles stored, links {links:?}, {page_hits} page requests, {:.0} pages/s, most in flight per host {peaks:?}",
        pages as f64 / first.as_secs_f64()
    );
    assert_eq!(articles, pages, "every article stored");
    assert_eq!(
        links,
        vec![(LinkStatus::Stored, pages as u64)],
        "each exactly once"
    );
    assert_eq!(page_hits, pages, "each page fetched once");
    assert!(
        peaks.iter().all(|&p| p <= per_host),
        "per-host cap held: {peaks:?}"
    );

    let t1 = Instant::now();
    let out = Command::new(BIN).args(args).output().expect("runs");
    let second = t1.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "second cycle failed: {stderr}");
    let page_hits2: usize = sites.iter().map(|s| s.hits_under("/story/")).sum();
    let articles2 = store.counts().expect("totals").articles as usize;
    println!("cycle 2: {:.1} s, {}", second.as_secs_f64(), last_line(&stderr));
    println!(
        "cycle 2: {} page requests, {} articles stored in all",
        page_hits2 - page_hits,
        articles2
    );
    assert_eq!(page_hits2, page_hits, "the second cycle fetches no page");
    assert_eq!(articles2, articles, "and stores nothing");
    assert!(
        stderr.contains(&format!("sources 0 read, {feeds} not modified")),
        "{stderr}"
    );
}

fn last_line(stderr: &str) -> String {
    stderr
        .lines()
        .rfind(|l| l.contains("watch cycle"))
        .unwrap_or("")
        .trim_start_matches("chronicle: ")
        .to_string()
}
