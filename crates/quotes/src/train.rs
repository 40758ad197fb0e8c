//! Training the attribution tagger on PolNeAR-style JSONL (`text` plus `quotes[]` with
//! `content_fragments` and `span` in code points), choosing the epoch by the stage's own
//! content overlap F1 on the validation split (rules and tagger together, as the pipeline
//! runs them).

use crate::learned::{self, AttributionModel, TrainDoc};
use crate::Ctx;
use chronicle_core::{Document, Stage};
use std::path::Path;

/// Why training could not run.
#[derive(Debug, thiserror::Error)]
pub enum QuoteTrainError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: no usable training document")]
    Empty { path: String },
    #[error("training produced no model")]
    NoModel,
}

/// What training did.
#[derive(Debug, Clone)]
pub struct AttributionReport {
    pub train_docs: usize,
    /// Lines skipped (not JSON, no text): `(line, why)`.
    pub skipped: Vec<(usize, String)>,
    pub best_epoch: usize,
    /// Content overlap F1 on the validation split per epoch.
    pub epoch_f1: Vec<f64>,
    /// Rules alone on the validation split, for comparison.
    pub rules_f1: f64,
}

struct Gold {
    doc: Document,
    spans: Vec<(u32, u32)>,
    fragments: Vec<(u32, u32)>,
}

fn read(path: &Path, skipped: &mut Vec<(usize, String)>) -> Result<Vec<Gold>, QuoteTrainError> {
    let text = std::fs::read_to_string(path).map_err(|source| QuoteTrainError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let pair = |v: &serde_json::Value| -> Option<(u32, u32)> {
        let a = v.get(0)?.as_u64()?;
        let b = v.get(1)?.as_u64()?;
        (b > a).then_some((a as u32, b as u32))
    };
    let mut out = Vec::new();
    for (ln, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                skipped.push((ln + 1, e.to_string()));
                continue;
            }
        };
        let Some(t) = v.get("text").and_then(|t| t.as_str()) else {
            skipped.push((ln + 1, "no text".into()));
            continue;
        };
        let mut doc = Document::new(format!("line-{}", ln + 1), t, None);
        chronicle_text::TextStage::new().run(&mut doc);
        let mut spans = Vec::new();
        let mut fragments = Vec::new();
        for q in v.get("quotes").and_then(|q| q.as_array()).into_iter().flatten() {
            if let Some(s) = q.get("span").and_then(pair) {
                spans.push(s);
            }
            for f in q
                .get("content_fragments")
                .and_then(|f| f.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(f) = pair(f) {
                    fragments.push(f);
                }
            }
        }
        out.push(Gold {
            doc,
            spans,
            fragments,
        });
    }
    Ok(out)
}

/// Gold O/B/I per token from the content fragments.
fn gold_tags(g: &Gold) -> Vec<u8> {
    let toks = &g.doc.tokens;
    let mut tags = vec![0u8; toks.len()];
    let mut frags = g.fragments.clone();
    frags.sort_unstable();
    for (s, e) in frags {
        let lo = toks.partition_point(|t| t.span.end <= s);
        let mut first = true;
        for (i, t) in toks.iter().enumerate().skip(lo) {
            if t.span.start >= e {
                break;
            }
            if let Some(x) = tags.get_mut(i) {
                if first && *x == 0 {
                    *x = 1;
                } else if *x == 0 {
                    *x = 2;
                }
            }
            first = false;
        }
    }
    tags
}

/// Content overlap F1 of the quote extraction with `model` (or rules alone) on gold
/// documents, matched exactly as `chronicle eval quotes` matches (half of the longer span,
/// one-to-one, largest overlaps first).
fn overlap_f1(gold: &[Gold], model: Option<&AttributionModel>) -> f64 {
    let mut total = chronicle_eval::Prf::default();
    for g in gold {
        let mut ctx = Ctx::new(&g.doc);
        ctx.model = model;
        let (quotes, _) = ctx.extract();
        let pred: Vec<(usize, usize)> = quotes
            .iter()
            .map(|q| (q.span.start as usize, q.span.end as usize))
            .collect();
        let gold_spans: Vec<(usize, usize)> =
            g.spans.iter().map(|&(s, e)| (s as usize, e as usize)).collect();
        total.add(chronicle_eval::Prf {
            tp: chronicle_eval::greedy_match(&pred, &gold_spans, chronicle_eval::half_overlap).len(),
            pred: pred.len(),
            gold: gold_spans.len(),
        });
    }
    total.f1()
}

/// Trains the tagger on `train_jsonl`, picks the epoch with the best content overlap F1
/// on `valid_jsonl`, and returns the model with a report.
pub fn train_attribution(
    train_jsonl: &Path,
    valid_jsonl: &Path,
    epochs: usize,
    verbose: bool,
) -> Result<(AttributionModel, AttributionReport), QuoteTrainError> {
    let mut skipped = Vec::new();
    let train = read(train_jsonl, &mut skipped)?;
    let valid = read(valid_jsonl, &mut Vec::new())?;
    if train.is_empty() {
        return Err(QuoteTrainError::Empty {
            path: train_jsonl.display().to_string(),
        });
    }
    let rules_f1 = overlap_f1(&valid, None);
    if verbose {
        eprintln!("rules alone: valid content overlap F1 {:.2}", 100.0 * rules_f1);
    }
    let docs: Vec<TrainDoc> = train
        .into_iter()
        .map(|g| {
            let gold = gold_tags(&g);
            TrainDoc { doc: g.doc, gold }
        })
        .collect();
    let n = docs.len();
    let mut epoch_f1 = Vec::new();
    let (model, best_epoch, _) = learned::train(&docs, epochs, 0x5eed, |epoch, m| {
        let f = overlap_f1(&valid, Some(m));
        if verbose {
            eprintln!(
                "epoch {epoch}: valid content overlap F1 {:.2} ({} features)",
                100.0 * f,
                m.len()
            );
        }
        epoch_f1.push(f);
        f
    })
    .ok_or(QuoteTrainError::NoModel)?;
    Ok((
        model,
        AttributionReport {
            train_docs: n,
            skipped,
            best_epoch,
            epoch_f1,
            rules_f1,
        },
    ))
}
