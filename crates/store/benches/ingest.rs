//! Store write speed for records already extracted and serialised (issue 8's bar: >= 5,000
//! articles/s into SQLite), into a fresh file per run:
//! - `seed`: the seed article's record (45 entities, 24 quotes, 22 events: a rich one)
//!   under 1,000 ids, each copy's events moved to a day of their own (otherwise the copies
//!   are 1,000 reports of the same 22 events, and every write refreshes clusters of a
//!   thousand reports: a test of cluster size, not of ingest);
//! - `bbc`: the records of the first 1,000 BBC articles of `../shared/corpora` (17
//!   entities, 6 quotes, 1 event on average), when `../shared` is there.
//!
//! `cargo bench -p chronicle-store --bench ingest`

use chronicle_record::Record;
use chronicle_store::RecordStore;
use chronicle_store::{Prepared, Store};

fn main() {
    divan::main();
}

const SEED: &str = include_str!("../../cli/fixtures/seed-peace-talks.jsonl");
const BBC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpora/bbc_news_2225/bbc_news_2225.jsonl"
);

fn extract(lines: Vec<String>) -> Vec<Record> {
    let Ok(engine) = chronicle_pipeline::Engine::new() else {
        return Vec::new();
    };
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| chronicle_record::InputArticle::from_json_line(l, &format!("line {i}")).ok())
        .map(|a| engine.process(a).1)
        .collect()
}

fn prepared(records: Vec<Record>) -> Vec<Prepared> {
    records
        .into_iter()
        .filter_map(|r| Prepared::new(r).ok())
        .collect()
}

fn put(bencher: divan::Bencher, recs: &[Prepared]) {
    bencher
        .counter(divan::counter::ItemsCount::new(recs.len()))
        .with_inputs(|| tempfile::tempdir().ok())
        .bench_local_values(|dir| {
            let Some(dir) = dir else { return };
            if let Ok(mut s) = Store::open(&dir.path().join("b.db")) {
                let _ = s.put_prepared(recs);
            }
        });
}

#[divan::bench(sample_count = 5)]
fn seed(bencher: divan::Bencher) {
    let base = extract(SEED.lines().take(1).map(String::from).collect());
    let recs: Vec<Record> = (0..1000)
        .filter_map(|i| {
            let mut r = base.first()?.clone();
            r.id = format!("a{i}");
            for e in &mut r.events {
                e.date = Some(format!(
                    "{}-{:02}-{:02}",
                    2000 + i / 336,
                    i / 28 % 12 + 1,
                    i % 28 + 1
                ));
            }
            Some(r)
        })
        .collect();
    put(bencher, &prepared(recs));
}

#[divan::bench(sample_count = 5)]
fn bbc(bencher: divan::Bencher) {
    let Ok(text) = std::fs::read_to_string(BBC) else {
        eprintln!("bbc: skipped, {BBC} not found");
        return;
    };
    let recs = extract(text.lines().take(1000).map(String::from).collect());
    put(bencher, &prepared(recs));
}
