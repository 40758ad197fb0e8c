//! Training the attribution tagger on PolNeAR-style JSONL (`text` plus `quotes[]` with
//! `content_fragments` and `span` in code points), choosing the epoch by the stage's own
//! content overlap F1 on the validation split (rules and tagger together, as the pipeline
//! runs them).

use crate::learned::{self, AttributionModel, TrainDoc};
use crate::parsed::{self, ParseAttributionModel};
use crate::Ctx;
use chronicle_core::Document;
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
    /// The parse-candidate scorer, trained first: its acceptance threshold and the stage's
    /// validation F1 with rules and it (before the tagger).
    pub parse_threshold: f32,
    pub parse_f1: f64,
}

struct Gold {
    doc: Document,
    spans: Vec<(u32, u32)>,
    fragments: Vec<(u32, u32)>,
}

fn read(
    path: &Path,
    prepare: &dyn Fn(&mut Document),
    skipped: &mut Vec<(usize, String)>,
) -> Result<Vec<Gold>, QuoteTrainError> {
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
        prepare(&mut doc);
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
fn overlap_f1(gold: &[Gold], model: Option<&AttributionModel>, parse: Option<&ParseAttributionModel>) -> f64 {
    let mut total = chronicle_eval::Prf::default();
    for g in gold {
        let mut ctx = Ctx::new(&g.doc);
        ctx.model = model;
        ctx.parse_model = parse;
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

/// Trains the parse-candidate scorer and then the tagger on `train_jsonl` (each document
/// made ready by `prepare`: the text and syntax stages), picks the scorer's threshold and
/// the tagger's epoch by the stage's content overlap F1 on `valid_jsonl`, and returns both
/// models with a report.
pub fn train_attribution(
    train_jsonl: &Path,
    valid_jsonl: &Path,
    prepare: &dyn Fn(&mut Document),
    epochs: usize,
    verbose: bool,
) -> Result<(AttributionModel, ParseAttributionModel, AttributionReport), QuoteTrainError> {
    let mut skipped = Vec::new();
    let train = read(train_jsonl, prepare, &mut skipped)?;
    let valid = read(valid_jsonl, prepare, &mut Vec::new())?;
    if train.is_empty() {
        return Err(QuoteTrainError::Empty {
            path: train_jsonl.display().to_string(),
        });
    }
    let rules_f1 = overlap_f1(&valid, None, None);
    if verbose {
        eprintln!("rules alone: valid content overlap F1 {:.2}", 100.0 * rules_f1);
    }
    let (parse_model, parse_f1) = train_parse(&train, &valid, PARSE_EPOCHS, verbose);
    let docs: Vec<TrainDoc> = train
        .into_iter()
        .map(|g| {
            let gold = gold_tags(&g);
            TrainDoc { doc: g.doc, gold }
        })
        .collect();
    let n = docs.len();
    let mut epoch_f1 = Vec::new();
    let (model, best_epoch, _) = learned::train(&docs, Some(&parse_model), epochs, 0x5eed, |epoch, m| {
        let f = overlap_f1(&valid, Some(m), Some(&parse_model));
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
    let parse_threshold = parse_model.threshold;
    Ok((
        model,
        parse_model,
        AttributionReport {
            train_docs: n,
            skipped,
            best_epoch,
            epoch_f1,
            rules_f1,
            parse_threshold,
            parse_f1,
        },
    ))
}

/// Averaged weights smaller than this are dropped (rare features that the averaging all
/// but cancelled).
const PARSE_PRUNE_BELOW: f32 = 0.5;

/// Passes over the training candidates (averaging makes later passes cheap insurance).
const PARSE_EPOCHS: usize = 12;

/// One training candidate: its features and whether a gold content matches it.
struct Example {
    feats: Vec<u64>,
    gold: bool,
}

/// The candidates of a document the scorer will see (those no rule quote overlaps), with
/// their gold label: some gold content overlaps the candidate by half of the longer span.
fn examples(g: &Gold, out: &mut Vec<Example>) {
    let (rule_quotes, _) = Ctx::new(&g.doc).extract();
    let mut taken: Vec<chronicle_core::Span> = rule_quotes.iter().flat_map(|q| q.pieces().to_vec()).collect();
    taken.sort_unstable();
    let mut ctx = Ctx::new(&g.doc);
    ctx.pair_marks(&mut Vec::new());
    let quoted_before = ctx.quoted_prefix();
    let mut cands = Vec::new();
    for s in 0..g.doc.sentences.len() {
        cands.clear();
        parsed::sentence_candidates(&g.doc, s, &mut cands);
        for c in &cands {
            let Some(sp) = ctx.candidate_span(c) else {
                continue;
            };
            if overlaps_any(&taken, sp) {
                continue;
            }
            let p = (sp.start as usize, sp.end as usize);
            let gold = g
                .spans
                .iter()
                .any(|&(s, e)| chronicle_eval::half_overlap(p, (s as usize, e as usize)));
            let mut feats = Vec::new();
            let mixed = quoted_before
                .get(c.end)
                .zip(quoted_before.get(c.first))
                .is_some_and(|(e, f)| e > f);
            parsed::features(&g.doc, c, ctx.cue_score(c.cue), mixed, &mut feats);
            out.push(Example { feats, gold });
        }
    }
}

/// True when `sp` overlaps a span of the sorted `taken`.
pub(crate) fn overlaps_any(taken: &[chronicle_core::Span], sp: chronicle_core::Span) -> bool {
    let i = taken.partition_point(|t| t.end <= sp.start);
    taken.get(i).is_some_and(|t| t.start < sp.end)
        || taken[..i]
            .iter()
            .rev()
            .take(8)
            .any(|t| t.start < sp.end && t.end > sp.start)
}

/// Trains the parse-candidate scorer (averaged perceptron, deterministic order) and picks
/// the threshold with the best stage F1 on `valid` (rules plus scorer).
fn train_parse(train: &[Gold], valid: &[Gold], epochs: usize, verbose: bool) -> (ParseAttributionModel, f64) {
    let mut ex = Vec::new();
    for g in train {
        examples(g, &mut ex);
    }
    let mut w: chronicle_core::words::IdMap<f32> = Default::default();
    let mut u: chronicle_core::words::IdMap<f32> = Default::default();
    let mut time = 1f32;
    let mut order: Vec<usize> = (0..ex.len()).collect();
    let mut rng = 0x5eed_u64 | 1;
    for _ in 0..epochs {
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &i in &order {
            let e = &ex[i];
            let s: f32 = e.feats.iter().filter_map(|f| w.get(f)).sum();
            if (s > 0.0) != e.gold {
                let d = if e.gold { 1.0 } else { -1.0 };
                for f in &e.feats {
                    *w.entry(*f).or_default() += d;
                    *u.entry(*f).or_default() += d * time;
                }
            }
            time += 1.0;
        }
    }
    let avg: chronicle_core::words::IdMap<f32> = w
        .iter()
        .map(|(k, v)| (*k, v - u.get(k).copied().unwrap_or(0.0) / time))
        .filter(|(_, v)| v.abs() >= PARSE_PRUNE_BELOW)
        .collect();
    let positives = ex.iter().filter(|e| e.gold).count();
    let mut best = (
        ParseAttributionModel::new(avg.clone(), f32::INFINITY),
        overlap_f1(valid, None, None),
    );
    for t in [
        -10.0f32, -8.0, -6.0, -5.0, -4.0, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 4.0,
    ] {
        let m = ParseAttributionModel::new(avg.clone(), t);
        let f = overlap_f1(valid, None, Some(&m));
        if f > best.1 {
            best = (m, f);
        }
    }
    if verbose {
        eprintln!(
            "parse candidates: {} ({} attributions), {} features, threshold {:.2}: valid content overlap F1 {:.2}",
            ex.len(),
            positives,
            best.0.len(),
            best.0.threshold,
            100.0 * best.1
        );
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_core::Stage;

    #[test]
    fn training_is_deterministic_and_learns_the_parse_attributions() {
        let syntax = match chronicle_syntax::SyntaxStage::builtin() {
            Ok(s) => s,
            Err(e) => panic!("the built-in syntax model must load: {e}"),
        };
        let prepare = |d: &mut Document| {
            chronicle_text::TextStage::new().run(d);
            syntax.run(d);
        };
        // Each line: a text and its one attribution's content (code points = bytes: ASCII).
        let lines: Vec<String> = [
            ("The mayor called for an investigation into the shooting.", "for an investigation into the shooting"),
            ("Republicans want to cut taxes for the wealthy.", "to cut taxes for the wealthy"),
            ("The union called for a strike at the port.", "for a strike at the port"),
            ("Democrats want to raise the minimum wage.", "to raise the minimum wage"),
        ]
        .iter()
        .map(|(t, c)| {
            let s = t.find(c).unwrap_or(0);
            serde_json::json!({"text": t, "quotes": [{"span": [s, s + c.len()], "content_fragments": [[s, s + c.len()]]}]})
                .to_string()
        })
        .collect();
        let path = std::env::temp_dir().join(format!("chronicle-quotes-train-{}.jsonl", std::process::id()));
        std::fs::write(&path, lines.join("\n") + "\nnot json\n").expect("write the training file");
        let run = || train_attribution(&path, &path, &prepare, 1, false).expect("training runs");
        let (a, pa, report) = run();
        let (b, pb, _) = run();
        let _ = std::fs::remove_file(&path);
        assert_eq!(a.to_bytes(), b.to_bytes());
        assert_eq!(pa.to_bytes(), pb.to_bytes());
        assert_eq!(
            report.skipped.len(),
            1,
            "the bad line is reported, not dropped silently"
        );
        // The rules find none of these; the scorer, chosen on the same lines, finds them.
        assert!(report.rules_f1 < 0.01, "{}", report.rules_f1);
        assert!(report.parse_f1 > 0.8, "{}", report.parse_f1);
    }
}
