//! Throughput of the quote stage alone on the BBC corpus (skipped when ../shared is absent):
//! `cargo test -p chronicle-quotes --test throughput -- --nocapture` (`QUOTES_CORPUS=file.jsonl`
//! for another corpus with a `text` field).

use chronicle_core::{Document, Stage};
use serde_json::Value;

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpora/bbc_news_2225/bbc_news_2225.jsonl"
);

#[test]
fn quote_stage_throughput() {
    let path = std::env::var("QUOTES_CORPUS").unwrap_or_else(|_| CORPUS.to_string());
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {path} not found");
        return;
    };
    let text_stage = chronicle_text::TextStage::new();
    let mut docs = Vec::new();
    for line in data.lines() {
        let Ok(rec) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(text) = rec.get("text").and_then(Value::as_str) else {
            continue;
        };
        let mut d = Document::new("x", text, None);
        text_stage.run(&mut d);
        docs.push(d);
    }
    if docs.iter().all(|d| d.tokens.is_empty()) {
        eprintln!("skipping: chronicle-text produced no tokens");
        return;
    }
    let stage = chronicle_quotes::QuoteStage::new();
    let bytes: usize = docs.iter().map(|d| d.text().len()).sum();
    let cpu0 = thread_cpu_ns();
    let t0 = std::time::Instant::now();
    let mut quotes = 0;
    for d in &mut docs {
        stage.run(d);
        quotes += d.quotes.len();
    }
    let secs = t0.elapsed().as_secs_f64().max(1e-9);
    if let (Some(a), Some(b)) = (cpu0, thread_cpu_ns()) {
        let cpu = (b.saturating_sub(a) as f64 / 1e9).max(1e-9);
        eprintln!(
            "quote stage CPU time {cpu:.3} s: {:.1} MB/s per core",
            bytes as f64 / 1e6 / cpu
        );
    }
    eprintln!(
        "quote stage: {} docs, {:.1} MB, {quotes} quotes, {:.3} s, {:.1} MB/s",
        docs.len(),
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs
    );
    assert!(quotes > 0);
}

/// CPU time this thread has run (Linux), so the figure holds on a busy shared machine.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
