//! Store write speed for records already extracted (issue 8's bar: >= 5,000 articles/s into
//! SQLite): the seed article's record, under 1,000 ids, into a fresh file per run.
//!
//! `cargo bench -p chronicle-store --bench ingest`

use chronicle_record::Record;
use chronicle_store::Store;

fn main() {
    divan::main();
}

const SEED: &str = include_str!("../../cli/fixtures/seed-peace-talks.jsonl");

fn records(n: usize) -> Vec<Record> {
    let line = SEED.lines().next().unwrap_or("");
    let (Ok(article), Ok(engine)) = (
        chronicle_record::InputArticle::from_json_line(line, "seed"),
        chronicle_pipeline::Engine::new(),
    ) else {
        return Vec::new();
    };
    let base = engine.process(article).1;
    (0..n)
        .map(|i| {
            let mut r = base.clone();
            r.id = format!("a{i}");
            r
        })
        .collect()
}

#[divan::bench(sample_count = 5)]
fn put_1000_seed_records(bencher: divan::Bencher) {
    let recs = records(1000);
    bencher
        .with_inputs(|| tempfile::tempdir().ok())
        .bench_local_values(|dir| {
            let Some(dir) = dir else { return };
            if let Ok(mut s) = Store::open(&dir.path().join("b.db")) {
                let _ = s.put_all(recs.iter());
            }
        });
}
