//! `chronicle train ner`: retrains the statistical NER model from CoNLL-style JSONL.
//!
//! The committed `crates/ner/data/ner.model` is the output of
//! `chronicle train ner --train ../shared/eval/ner/conll2003-train.jsonl
//!  --valid ../shared/eval/ner/conll2003-valid.jsonl --corpora-dir ../shared/corpora
//!  --out crates/ner/data/ner.model`.

use anyhow::{Context, Result};
use chronicle_ner::{corpus_files, train, TrainOptions};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// What can be trained.
#[derive(Clone, Copy, ValueEnum, Debug)]
pub enum TrainTask {
    /// The named-entity tagger (averaged perceptron).
    Ner,
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    #[arg(value_enum)]
    task: TrainTask,
    /// Training sentences: JSONL lines `{"doc": n, "tokens": [...], "tags": [...]}` (IOB2).
    #[arg(long)]
    train: PathBuf,
    /// Validation sentences in the same format; the best epoch on them is kept.
    #[arg(long)]
    valid: PathBuf,
    /// Folder of unlabelled news (`*.jsonl` with a `text` field, one level deep) for the
    /// word statistics (clusters, capitalisation profiles).
    #[arg(long)]
    corpora_dir: Option<PathBuf>,
    /// Extra unlabelled corpus files.
    #[arg(long)]
    corpus: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
    #[arg(long)]
    epochs: Option<usize>,
    /// Independent shuffled runs whose weights are averaged.
    #[arg(long)]
    runs: Option<usize>,
    #[arg(long)]
    seed: Option<u64>,
    /// Train on documents only (no sentence-alone copies).
    #[arg(long)]
    documents_only: bool,
    /// Quiet: no per-epoch progress.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(a: TrainArgs) -> Result<ExitCode> {
    let TrainTask::Ner = a.task;
    for (what, p) in [("--train", &a.train), ("--valid", &a.valid)] {
        if !p.is_file() {
            return Err(crate::UsageError(format!("{what} {}: no such file", p.display())).into());
        }
    }
    let mut opts = TrainOptions {
        verbose: !a.quiet,
        sentences_alone: !a.documents_only,
        ..TrainOptions::default()
    };
    if let Some(e) = a.epochs {
        opts.epochs = e;
    }
    if let Some(r) = a.runs {
        opts.runs = r;
    }
    if let Some(s) = a.seed {
        opts.seed = s;
    }
    if let Some(dir) = &a.corpora_dir {
        if !dir.is_dir() {
            return Err(crate::UsageError(format!("--corpora-dir {}: not a folder", dir.display())).into());
        }
        opts.corpora.extend(corpus_files(dir));
    }
    opts.corpora.extend(a.corpus.iter().cloned());
    let started = std::time::Instant::now();
    let (model, report) = train(&a.train, &a.valid, &opts).context("training failed")?;
    let bytes = model.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("cannot write {}", a.out.display()))?;
    eprintln!(
        "trained in {:.1}s on {} sentences ({} tokens), best epoch {}, {} features, {} bytes -> {}",
        started.elapsed().as_secs_f64(),
        report.train_sentences,
        report.train_tokens,
        report.best_epoch,
        model.len(),
        bytes.len(),
        a.out.display()
    );
    eprint!("validation (document context):\n{}", report.valid.report());
    Ok(ExitCode::SUCCESS)
}
