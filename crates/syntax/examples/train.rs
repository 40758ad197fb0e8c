//! Trains the syntax model from CoNLL-U.
//!
//! cargo run --release -p chronicle-syntax --example train -- \
//!   --train ../shared/eval/ud/en_ewt-ud-train.conllu \
//!   --dev ../shared/eval/ud/en_ewt-ud-dev.conllu --out crates/syntax/data
//!
//! Options: --corpora DIR (learn word clusters from DIR/*/*.jsonl "text" fields),
//! --tagger-epochs N, --parser-epochs N, --folds N, --seed N, --explore-from N,
//! --prune-tagger N / --prune-parser N (drop weights below N quantised units before
//! writing; defaults 300 and 600, which keep the file ~11 MB and the tables in cache
//! at a cost of ~0.4 LAS on EWT dev; 0 keeps everything).

use chronicle_syntax::clusters::{self, ClusterConfig};
use chronicle_syntax::train::{train, TrainConfig};
use chronicle_syntax::{conllu, eval, Clusters, SyntaxModel};
use std::path::PathBuf;
use std::process::ExitCode;

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
    let (mut tr, mut dev, mut out, mut corpora) = (None, None, None, None);
    let mut cfg = TrainConfig::default();
    let (mut prune_t, mut prune_p) = chronicle_syntax::train::DEFAULT_PRUNE;
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--train" => tr = Some(PathBuf::from(val()?)),
            "--dev" => dev = Some(PathBuf::from(val()?)),
            "--out" => out = Some(PathBuf::from(val()?)),
            "--corpora" => corpora = Some(PathBuf::from(val()?)),
            "--prune-tagger" => prune_t = val()?.parse()?,
            "--prune-parser" => prune_p = val()?.parse()?,
            "--tagger-epochs" => cfg.tagger_epochs = val()?.parse()?,
            "--parser-epochs" => cfg.parser_epochs = val()?.parse()?,
            "--folds" => cfg.folds = val()?.parse()?,
            "--seed" => cfg.seed = val()?.parse()?,
            "--explore-from" => cfg.explore_from = val()?.parse()?,
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let tr = tr.ok_or("--train FILE is required")?;
    let out = out.ok_or("--out DIR is required")?;
    let train_s = conllu::read_file(&tr)?;
    let dev_s = dev.as_deref().map(conllu::read_file).transpose()?;
    let t0 = std::time::Instant::now();
    let mut log = |m: String| eprintln!("[{:7.1}s] {m}", t0.elapsed().as_secs_f64());
    let clus = match &corpora {
        Some(dir) => {
            let texts = clusters::corpus_texts(dir)?;
            let c = clusters::build(texts.iter().map(String::as_str), &ClusterConfig::default());
            log(format!(
                "{} words clustered from {} texts",
                c.map.len(),
                texts.len()
            ));
            c
        }
        None => Clusters::default(),
    };
    let model = train(&train_s, dev_s.as_deref(), clus, &cfg, &mut log)?;
    let secs = t0.elapsed().as_secs_f64();
    let model = if prune_t > 0 || prune_p > 0 {
        model.pruned(prune_t, prune_p)?
    } else {
        model
    };
    let bytes = model.to_bytes();
    std::fs::create_dir_all(&out)?;
    let path = out.join("en_ewt.model");
    std::fs::write(&path, &bytes)?;
    println!(
        "trained in {secs:.1}s; wrote {} ({} bytes; {:?})",
        path.display(),
        bytes.len(),
        model.n_features()
    );
    if let Some(d) = dev_s {
        let back = SyntaxModel::from_bytes(&bytes)?;
        let mut pred = d.clone();
        for s in &mut pred {
            back.annotate(s);
        }
        println!("dev: {}", eval::score(&d, &pred)?);
    }
    Ok(())
}
