//! `chronicle train ner|quotes|tagger|parser`: retrains the statistical NER model from
//! CoNLL-style JSONL, the attribution tagger of the quote stage from PolNeAR-style JSONL,
//! or the syntax model (tagger, lemmatiser, parser) from UD CoNLL-U.
//!
//! The committed `crates/syntax/data/en_ewt.model` is the output of `chronicle train tagger
//! --train ../shared/eval/ud/en_ewt-ud-train.conllu --dev ../shared/eval/ud/en_ewt-ud-dev.conllu
//! --corpora-dir ../shared/corpora --out crates/syntax/data/en_ewt.model`; the committed
//! `crates/ner/data/ner.model` is the output of
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
    /// The whole syntax model from UD CoNLL-U: word clusters (from `--corpora-dir`),
    /// part-of-speech tagger and lemmatiser, then the dependency parser on top of that
    /// tagger (it reads the tagger's tags and the clusters, so it is retrained with them).
    Tagger,
    /// Only the dependency parser, on top of the clusters, tagger and lemmatiser of
    /// `--base` (default: the built-in model), which are kept unchanged.
    Parser,
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    #[arg(value_enum)]
    task: TrainTask,
    /// Training data: for `ner`, JSONL lines `{"doc": n, "tokens": [...], "tags": [...]}`
    /// (IOB2); for `quotes`, PolNeAR-style JSONL; for `tagger`/`parser`, UD CoNLL-U.
    #[arg(long)]
    train: PathBuf,
    /// Validation data in the same format (`--dev` too); the best epoch on it is kept.
    #[arg(long, alias = "dev")]
    valid: PathBuf,
    /// `parser`: the model whose clusters, tagger and lemmatiser are kept (default: the
    /// built-in one).
    #[arg(long)]
    base: Option<PathBuf>,
    /// Folder of unlabelled news (`*.jsonl` with a `text` field, one level deep) for the
    /// word statistics (clusters, capitalisation profiles; `tagger`: word clusters).
    #[arg(long)]
    corpora_dir: Option<PathBuf>,
    /// Extra unlabelled corpus files.
    #[arg(long)]
    corpus: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
    /// `quotes`: where to write the parse-attribution scorer (trained before the tagger,
    /// which learns where it leaves off); default `parse-attribution.model` beside `--out`.
    #[arg(long)]
    parse_out: Option<PathBuf>,
    /// Passes over the training data (`tagger`: tagger epochs; `parser`: parser epochs).
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
    match a.task {
        TrainTask::Quotes => return train_quotes(&a),
        TrainTask::Tagger | TrainTask::Parser => return train_syntax(&a),
        TrainTask::Ner => {}
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
    // One pass by default: later epochs gained under 0.2 F1 on PolNeAR dev for seven times
    // the features, and pushed the quote stage past 10% of the pipeline's time.
    let (model, parse_model, report) = {
        let syntax = chronicle_syntax::SyntaxStage::builtin().context("cannot load the syntax model")?;
        let prepare = |doc: &mut chronicle_core::Document| {
            use chronicle_core::Stage;
            chronicle_text::TextStage::new().run(doc);
            syntax.run(doc);
        };
        chronicle_quotes::train_attribution(&a.train, &a.valid, &prepare, a.epochs.unwrap_or(1), !a.quiet)
            .context("training failed")?
    };
    for (line, why) in &report.skipped {
        eprintln!("{}:{line}: skipped: {why}", a.train.display());
    }
    let parse_out = a
        .parse_out
        .clone()
        .unwrap_or_else(|| a.out.with_file_name("parse-attribution.model"));
    std::fs::write(&parse_out, parse_model.to_bytes())
        .with_context(|| format!("cannot write {}", parse_out.display()))?;
    eprintln!(
        "parse attribution scorer: {} features, threshold {:.2}, valid content overlap F1 {:.2} with the rules -> {}",
        parse_model.len(),
        report.parse_threshold,
        100.0 * report.parse_f1,
        parse_out.display()
    );
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

/// `tagger` / `parser`: CoNLL-U in, a `chronicle-syntax` model file out (deterministic for
/// the same data, seed and corpora), then its scores on `--valid`.
fn train_syntax(a: &TrainArgs) -> Result<ExitCode> {
    use chronicle_syntax::{clusters, conllu, eval, train, Clusters, SyntaxModel};
    let started = std::time::Instant::now();
    let train_s = conllu::read_file(&a.train).context("reading --train")?;
    let dev_s = conllu::read_file(&a.valid).context("reading --valid")?;
    let mut cfg = train::TrainConfig::default();
    if let Some(s) = a.seed {
        cfg.seed = s;
    }
    let quiet = a.quiet;
    let mut log = |m: String| {
        if !quiet {
            eprintln!("[{:7.1}s] {m}", started.elapsed().as_secs_f64());
        }
    };
    let model = if let TrainTask::Parser = a.task {
        if let Some(e) = a.epochs {
            cfg.parser_epochs = e;
        }
        let base = match &a.base {
            Some(p) => {
                let b = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
                SyntaxModel::from_bytes(&b).with_context(|| format!("--base {}", p.display()))?
            }
            None => SyntaxModel::from_bytes(SyntaxModel::builtin_bytes()).context("built-in syntax model")?,
        };
        train::retrain_parser(base, &train_s, Some(&dev_s), &cfg, &mut log).context("training failed")?
    } else {
        if let Some(e) = a.epochs {
            cfg.tagger_epochs = e;
        }
        let clus = match &a.corpora_dir {
            Some(dir) => {
                if !dir.is_dir() {
                    return Err(
                        crate::UsageError(format!("--corpora-dir {}: not a folder", dir.display())).into(),
                    );
                }
                let texts = clusters::corpus_texts(dir).context("reading --corpora-dir")?;
                let c = clusters::build(
                    texts.iter().map(String::as_str),
                    &clusters::ClusterConfig::default(),
                );
                log(format!(
                    "{} words clustered from {} texts",
                    c.map.len(),
                    texts.len()
                ));
                c
            }
            None => Clusters::default(),
        };
        train::train(&train_s, Some(&dev_s), clus, &cfg, &mut log).context("training failed")?
    };
    let (pt, pp) = train::DEFAULT_PRUNE;
    let model = model.pruned(pt, pp).context("pruning")?;
    let bytes = model.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("cannot write {}", a.out.display()))?;
    let mut pred = dev_s.clone();
    for s in &mut pred {
        model.annotate(s);
    }
    let scores = eval::score(&dev_s, &pred).context("scoring --valid")?;
    eprintln!(
        "trained in {:.1}s, {} bytes -> {}\nvalidation: {scores}",
        started.elapsed().as_secs_f64(),
        bytes.len(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
