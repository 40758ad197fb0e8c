//! Per-stage micro-benchmarks on the shipped seed article (divan): each stage timed alone
//! on a document the stages before it prepared, plus the whole pipeline.
//!
//! `cargo bench -p chronicle-pipeline --bench stages`. Corpus-scale throughput beside the
//! spaCy peer is `chronicle bench`; this says which stage a change made faster or slower.

use chronicle_core::Document;
use chronicle_pipeline::Engine;
use chronicle_record::InputArticle;

fn main() {
    chronicle_pipeline::warm_up();
    divan::main();
}

const FIXTURE: &str = include_str!("../../cli/fixtures/seed-peace-talks.jsonl");

fn seed() -> Document {
    let line = FIXTURE.lines().next().unwrap_or("");
    let a = InputArticle::from_json_line(line, "seed").unwrap_or_default();
    Document::new(a.id.clone(), a.text.unwrap_or_default(), a.published)
}

#[divan::bench(args = ["text", "time", "entities", "places", "quotes", "events"])]
fn stage(bencher: divan::Bencher, name: &str) {
    let Ok(engine) = Engine::new() else { return };
    let p = engine.pipeline();
    let Some(i) = p.stage_names().iter().position(|n| *n == name) else {
        return;
    };
    let mut prepared = seed();
    p.run_range(&mut prepared, 0..i);
    bencher
        .with_inputs(|| prepared.clone())
        .bench_local_values(|mut d| {
            p.run_range(&mut d, i..i + 1);
            d
        });
}

#[divan::bench]
fn whole_pipeline(bencher: divan::Bencher) {
    let Ok(engine) = Engine::new() else { return };
    bencher.with_inputs(seed).bench_local_values(|mut d| {
        engine.pipeline().run(&mut d);
        d
    });
}
