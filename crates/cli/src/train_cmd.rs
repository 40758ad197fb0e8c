//! `chronicle train ner|quotes`: retrains the statistical NER model from CoNLL-style JSONL,
//! or the attribution tagger of the quote stage from PolNeAR-style JSONL.
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
    /// The quote stage's reported-content tagger (averaged perceptron), from
    /// `{"text", "quotes": [{"span", "content_fragments", ...}]}` lines.
    Quotes,
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
    for (what, p) in [("--train", &a.train), ("--valid", &a.valid)] {
        if !p.is_file() {
            return Err(crate::UsageError(format!("{what} {}: no such file", p.display())).into());
        }
    }
    if let TrainTask::Quotes = a.task {
        return train_quotes(&a);
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

fn train_quotes(a: &TrainArgs) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let (model, report) =
        // One pass by default: later epochs gained under 0.2 F1 on PolNeAR dev for seven times
        // the features, and pushed the quote stage past 10% of the pipeline's time.
        chronicle_quotes::train_attribution(&a.train, &a.valid, a.epochs.unwrap_or(1), !a.quiet)
            .context("training failed")?;
    for (line, why) in &report.skipped {
        eprintln!("{}:{line}: skipped: {why}", a.train.display());
    }
    let bytes = model.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("cannot write {}", a.out.display()))?;
    eprintln!(
        "trained in {:.1}s on {} documents ({} skipped), best epoch {} (valid content overlap F1 {:.2}; rules alone {:.2}), {} features, {} bytes -> {}",
        started.elapsed().as_secs_f64(),
        report.train_docs,
        report.skipped.len(),
        report.best_epoch,
        100.0 * report.epoch_f1.get(report.best_epoch.saturating_sub(1)).copied().unwrap_or(0.0),
        100.0 * report.rules_f1,
        model.len(),
        bytes.len(),
        a.out.display()
    );
    Ok(if report.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
