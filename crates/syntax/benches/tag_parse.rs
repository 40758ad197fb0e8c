//! Throughput of the syntax layer (divan): tagging + parsing every sentence of UD
//! English-EWT dev (gold tokenisation) on one thread, reported as tokens/s, and the time
//! to load the committed model.
//!
//! `cargo bench -p chronicle-syntax --bench tag_parse`. Without `../shared` (the gold
//! data is never committed) it says so and times a few built-in sentences instead.

use chronicle_syntax::{conllu, Scratch, SyntaxModel};
use divan::counter::ItemsCount;
use std::path::PathBuf;
use std::sync::OnceLock;

fn main() {
    // Load once before timing so the first sample does not pay for it.
    let _ = SyntaxModel::builtin();
    let _ = sentences();
    divan::main();
}

/// Sentences as owned words: EWT dev when present, otherwise a small fallback set.
fn sentences() -> &'static [Vec<String>] {
    static S: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    S.get_or_init(|| {
        let dev =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/ud/en_ewt-ud-dev.conllu");
        match conllu::read_file(&dev) {
            Ok(sents) => {
                let v: Vec<Vec<String>> = sents
                    .iter()
                    .filter(|s| !s.words.is_empty())
                    .map(|s| s.words.iter().map(|w| w.form.clone()).collect())
                    .collect();
                eprintln!(
                    "tag_parse: {} EWT dev sentences, {} tokens",
                    v.len(),
                    v.iter().map(Vec::len).sum::<usize>()
                );
                v
            }
            Err(e) => {
                eprintln!(
                    "tag_parse: {} unreadable ({e}); timing built-in sentences instead",
                    dev.display()
                );
                FALLBACK
                    .iter()
                    .map(|s| s.split(' ').map(str::to_string).collect())
                    .collect()
            }
        }
    })
}

/// Used only when the gold data is absent: varied news-like sentences, tokenised.
const FALLBACK: &[&str] = &[
    "The minister is expected to visit Kyiv on Tuesday , officials said .",
    "Shares of the company fell 4.5 % after it cut its forecast for the year .",
    "\" We will not accept any deal that ignores our borders , \" the president told reporters .",
    "Rescue teams were still searching for survivors late on Sunday .",
    "The central bank raised interest rates for the third time this year , citing inflation .",
    "Talks between the two sides collapsed in March , and fighting resumed near the port city .",
];

#[divan::bench(sample_count = 10, sample_size = 1)]
fn tag_parse(bencher: divan::Bencher) {
    let Ok(model) = SyntaxModel::builtin() else {
        eprintln!("tag_parse: the built-in model does not load");
        return;
    };
    let sents: Vec<Vec<&str>> = sentences()
        .iter()
        .map(|s| s.iter().map(String::as_str).collect())
        .collect();
    let tokens: usize = sents.iter().map(Vec::len).sum();
    let mut sc = Scratch::default();
    bencher.counter(ItemsCount::new(tokens)).bench_local(|| {
        for s in &sents {
            model.tag_parse(s, &mut sc);
        }
        sc.heads.len()
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn model_load() -> usize {
    SyntaxModel::from_bytes(SyntaxModel::builtin_bytes()).map_or(0, |m| m.n_features().0)
}
