//! Scores a model against gold CoNLL-U (gold tokenisation) and measures speed.
//!
//! cargo run --release -p chronicle-syntax --example eval -- \
//!   --gold ../shared/eval/ud/en_ewt-ud-dev.conllu [--model FILE] [--out PRED.conllu]
//!
//! Prints UPOS/XPOS/lemma/feats accuracy and UAS/LAS (CoNLL 2018 definitions), the model
//! load time, and tagger + parser throughput on one thread (model already loaded).
//! `--prune-tagger N --prune-parser N [--write-model FILE]` first drops small weights.

use chronicle_syntax::{conllu, eval, Scratch, SyntaxModel};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut gold, mut model_path, mut out, mut write) = (None, None, None, None);
    let (mut prune_t, mut prune_p) = (0i16, 0i16);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--gold" => gold = Some(PathBuf::from(val()?)),
            "--model" => model_path = Some(PathBuf::from(val()?)),
            "--out" => out = Some(PathBuf::from(val()?)),
            "--prune-tagger" => prune_t = val()?.parse()?,
            "--prune-parser" => prune_p = val()?.parse()?,
            "--write-model" => write = Some(PathBuf::from(val()?)),
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let gold = conllu::read_file(&gold.ok_or("--gold FILE is required")?)?;
    let mut bytes = match &model_path {
        Some(p) => std::fs::read(p)?,
        None => SyntaxModel::builtin_bytes().to_vec(),
    };
    if prune_t > 0 || prune_p > 0 {
        bytes = SyntaxModel::from_bytes(&bytes)?
            .pruned(prune_t, prune_p)?
            .to_bytes();
        if let Some(w) = &write {
            std::fs::write(w, &bytes)?;
        }
    }
    let t = Instant::now();
    let model = SyntaxModel::from_bytes(&bytes)?;
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    let mut pred = gold.clone();
    for s in &mut pred {
        model.annotate(s);
    }
    let scores = eval::score(&gold, &pred)?;
    println!("{scores}");
    if let Some(o) = out {
        std::fs::write(o, conllu::write(&pred))?;
    }
    let forms: Vec<Vec<&str>> = gold.iter().map(|s| s.forms()).collect();
    let mut sc = Scratch::default();
    let mut words = 0usize;
    let cpu0 = thread_cpu_ns();
    let t = Instant::now();
    let mut rounds = 0;
    while rounds < 3 || t.elapsed().as_secs_f64() < 2.0 {
        for f in &forms {
            model.tag_parse(f, &mut sc);
            words += f.len();
        }
        rounds += 1;
    }
    let tps = words as f64 / t.elapsed().as_secs_f64();
    let cpu_tps = match (cpu0, thread_cpu_ns()) {
        (Some(a), Some(b)) if b > a => format!("{:.0}", words as f64 / ((b - a) as f64 / 1e9)),
        _ => "n/a".to_string(),
    };
    let t = Instant::now();
    let mut lw = 0usize;
    for f in &forms {
        lw += model.analyse(f).len();
    }
    let full = lw as f64 / t.elapsed().as_secs_f64();
    println!(
        "model {} bytes ({:?} features), load {load_ms:.1} ms; tag+parse {tps:.0} tokens/s wall, {cpu_tps} tokens/s of CPU time (one thread); with lemmas and feats {full:.0} tokens/s wall",
        bytes.len(),
        model.n_features()
    );
    Ok(())
}

/// CPU time of this thread in ns (Linux `/proc/thread-self/schedstat`), so throughput on
/// a shared machine counts only the time we actually ran.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
