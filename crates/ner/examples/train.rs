//! Trains the NER model and writes it.
//!
//! `cargo run --release -p chronicle-ner --example train -- --train T.jsonl --valid V.jsonl
//!  --out crates/ner/data/ner.model [--epochs N] [--quant Q] [--prune P] [--corpus FILE]... [--corpora-dir DIR]`

use chronicle_ner::{train, TrainOptions};
use std::path::PathBuf;

fn main() {
    let mut opts = TrainOptions {
        verbose: true,
        ..TrainOptions::default()
    };
    let (mut tr, mut va, mut out) = (None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let v = args.next().unwrap_or_default();
        match a.as_str() {
            "--train" => tr = Some(PathBuf::from(v)),
            "--valid" => va = Some(PathBuf::from(v)),
            "--out" => out = Some(PathBuf::from(v)),
            "--epochs" => opts.epochs = v.parse().unwrap_or(opts.epochs),
            "--quant" => opts.quant_max = v.parse().unwrap_or(opts.quant_max),
            "--prune" => opts.prune_below = v.parse().unwrap_or(opts.prune_below),
            "--corpus" => opts.corpora.push(PathBuf::from(v)),
            "--runs" => opts.runs = v.parse().unwrap_or(opts.runs),
            "--seed" => opts.seed = v.parse().unwrap_or(opts.seed),
            "--sentences-alone" => opts.sentences_alone = v != "false" && v != "0",
            "--corpora-dir" => opts
                .corpora
                .extend(chronicle_ner::corpus_files(std::path::Path::new(&v))),
            _ => {
                eprintln!("unknown argument {a}");
                std::process::exit(2);
            }
        }
    }
    let (Some(tr), Some(va), Some(out)) = (tr, va, out) else {
        eprintln!("usage: train --train T.jsonl --valid V.jsonl --out OUT [--epochs N] [--corpus F]...");
        std::process::exit(2);
    };
    let t = std::time::Instant::now();
    match train(&tr, &va, &opts) {
        Ok((model, report)) => {
            eprintln!(
                "trained in {:.1}s: {} sentences, {} tokens, {} features seen, best epoch {}",
                t.elapsed().as_secs_f64(),
                report.train_sentences,
                report.train_tokens,
                report.features_seen,
                report.best_epoch
            );
            eprint!("{}", report.valid.report());
            let bytes = model.to_bytes();
            if let Err(e) = std::fs::write(&out, &bytes) {
                eprintln!("cannot write {}: {e}", out.display());
                std::process::exit(1);
            }
            eprintln!(
                "wrote {} ({} bytes, {} features)",
                out.display(),
                bytes.len(),
                model.len()
            );
        }
        Err(e) => {
            eprintln!("training failed: {e}");
            std::process::exit(1);
        }
    }
}
