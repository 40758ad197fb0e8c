//! Where the quote stage's time goes on a corpus: rules alone versus rules plus the learned
//! tagger (best of three passes each).
//!
//! `cargo run --release -p chronicle-quotes --example stage_cost -- CORPUS.jsonl [LIMIT]`

use chronicle_core::{Document, Stage};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: stage_cost CORPUS.jsonl [LIMIT]");
        std::process::exit(2);
    };
    let limit: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(300);
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let docs: Vec<Document> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
        .take(limit)
        .map(|t| {
            let mut d = Document::new("d", t, None);
            chronicle_text::TextStage::new().run(&mut d);
            d
        })
        .collect();
    for (label, with_model) in [
        ("rules", false),
        ("rules + tagger", true),
        ("rules", false),
        ("rules + tagger", true),
    ] {
        let mut best = f64::MAX;
        let mut n = 0;
        for _ in 0..3 {
            let t = std::time::Instant::now();
            n = docs
                .iter()
                .map(|d| chronicle_quotes::extract_for_bench(d, with_model))
                .sum::<usize>();
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("{label}: {:.1} ms, {n} quotes", best * 1e3);
    }
}
