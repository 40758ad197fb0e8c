//! CoNLL JSONL reading and conlleval-style scoring (exact chunk match, micro F1).

use crate::{NerError, NerModel, Tag};
use chronicle_core::EntityType;
use std::path::Path;

/// One gold sentence of a CoNLL JSONL file.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// Document index (sentences of one article share it).
    pub doc: u64,
    pub tokens: Vec<String>,
    pub tags: Vec<Tag>,
    /// Our parse of `tokens` (empty until [`attach_syntax`] runs): the tagger's syntax
    /// features read it, so training and scoring see what the pipeline sees.
    pub syntax: Vec<crate::WordSyntax>,
}

/// Parses every sentence's words with our own tagger and parser (`chronicle-syntax`'s
/// built-in model), for the syntax features.
pub fn attach_syntax(sents: &mut [Sentence], model: &chronicle_syntax::SyntaxModel) {
    for s in sents {
        let words: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        s.syntax = crate::syntax::of_words(model, &words);
    }
}

/// Reads `{"doc": n, "tokens": [...], "tags": [...]}` lines; blank lines are skipped.
pub fn read_jsonl(path: &Path) -> Result<Vec<Sentence>, NerError> {
    let p = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| NerError::Io {
        path: p.clone(),
        source,
    })?;
    let mut out = Vec::new();
    for (ln, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let data_err = |m: &str| NerError::Data {
            path: p.clone(),
            line: ln + 1,
            message: m.to_string(),
        };
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| data_err(&e.to_string()))?;
        let strs = |key: &str| -> Result<Vec<String>, NerError> {
            v.get(key)
                .and_then(|x| x.as_array())
                .ok_or_else(|| data_err(&format!("missing array `{key}`")))?
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| data_err("non-string item"))
                })
                .collect()
        };
        let tokens = strs("tokens")?;
        let tags = strs("tags")?
            .iter()
            .map(|t| Tag::parse(t).ok_or_else(|| data_err(&format!("unknown tag `{t}`"))))
            .collect::<Result<Vec<_>, _>>()?;
        if tags.len() != tokens.len() {
            return Err(data_err("tokens and tags differ in length"));
        }
        let doc = v.get("doc").and_then(|d| d.as_u64()).unwrap_or(0);
        out.push(Sentence {
            doc,
            tokens,
            tags,
            syntax: Vec::new(),
        });
    }
    Ok(out)
}

/// Chunks `(start, end, type)` (token indices, half-open) as conlleval reads them: an
/// `I-X` that does not continue an `X` chunk starts a new one.
pub fn chunks(tags: &[Tag]) -> Vec<(usize, usize, EntityType)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, EntityType)> = None;
    for (i, t) in tags.iter().enumerate() {
        let ty = t.entity_type();
        let continues = t.is_inside() && cur.is_some_and(|(_, c)| Some(c) == ty);
        if continues {
            continue;
        }
        if let Some((s, c)) = cur.take() {
            out.push((s, i, c));
        }
        if let Some(ty) = ty {
            cur = Some((i, ty));
        }
    }
    if let Some((s, c)) = cur {
        out.push((s, tags.len(), c));
    }
    out
}

/// Counts for precision / recall / F1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prf {
    pub correct: usize,
    pub predicted: usize,
    pub gold: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            0.0
        } else {
            self.correct as f64 / self.predicted as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            self.correct as f64 / self.gold as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Overall and per-type scores (types in PER, ORG, LOC, MISC order).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub overall: Prf,
    pub per_type: [(Option<EntityType>, Prf); 4],
}

const TYPES: [EntityType; 4] = [
    EntityType::Per,
    EntityType::Org,
    EntityType::Loc,
    EntityType::Misc,
];

impl Scores {
    fn slot(&mut self, t: EntityType) -> &mut Prf {
        let i = TYPES.iter().position(|x| *x == t).unwrap_or(0);
        let e = &mut self.per_type[i % 4];
        e.0 = Some(t);
        &mut e.1
    }

    /// Adds one sentence's gold and predicted labels.
    pub fn add(&mut self, gold: &[Tag], pred: &[Tag]) {
        let g = chunks(gold);
        let p = chunks(pred);
        for c in &g {
            self.overall.gold += 1;
            self.slot(c.2).gold += 1;
        }
        for c in &p {
            self.overall.predicted += 1;
            self.slot(c.2).predicted += 1;
            if g.contains(c) {
                self.overall.correct += 1;
                self.slot(c.2).correct += 1;
            }
        }
    }

    /// A multi-line report: overall then each type, P/R/F1 in percent.
    pub fn report(&self) -> String {
        let line = |name: &str, x: &Prf| {
            format!(
                "{name:<8} P {:6.2}  R {:6.2}  F1 {:6.2}  (gold {}, predicted {}, correct {})\n",
                100.0 * x.precision(),
                100.0 * x.recall(),
                100.0 * x.f1(),
                x.gold,
                x.predicted,
                x.correct
            )
        };
        let mut s = line("overall", &self.overall);
        for t in TYPES {
            if let Some((_, x)) = self.per_type.iter().find(|(k, _)| *k == Some(t)) {
                s.push_str(&line(t.as_str(), x));
            }
        }
        s
    }
}

/// Scores `model` on gold sentences, tagging consecutive sentences of one `doc` together.
pub fn evaluate_sentences(model: &NerModel, sents: &[Sentence]) -> Scores {
    let mut sc = Scores::default();
    let mut start = 0usize;
    while start < sents.len() {
        let doc = sents.get(start).map_or(0, |x| x.doc);
        let n = sents
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|x| x.doc == doc)
            .count();
        let group = sents.get(start..start + n).unwrap_or(&[]);
        let words: Vec<Vec<&str>> = group
            .iter()
            .map(|s| s.tokens.iter().map(String::as_str).collect())
            .collect();
        let refs: Vec<&[&str]> = words.iter().map(Vec::as_slice).collect();
        let syn: Vec<&[crate::WordSyntax]> = group.iter().map(|s| s.syntax.as_slice()).collect();
        let pred = model.tag_document_with_syntax(&refs, &syn);
        for (s, p) in group.iter().zip(pred) {
            let mut tags: Vec<Tag> = p.into_iter().map(|t| t.tag).collect();
            crate::repair_bio(&mut tags);
            sc.add(&s.tags, &tags);
        }
        start += n.max(1);
    }
    sc
}

/// Scores `model` on a CoNLL JSONL file.
pub fn evaluate(model: &NerModel, path: &Path) -> Result<Scores, NerError> {
    Ok(evaluate_sentences(model, &read_jsonl(path)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunking_follows_conlleval() {
        use Tag::*;
        let t = [BPer, IPer, O, IOrg, IOrg, BLoc, BLoc, IMisc];
        assert_eq!(
            chunks(&t),
            vec![
                (0, 2, EntityType::Per),
                (3, 5, EntityType::Org),
                (5, 6, EntityType::Loc),
                (6, 7, EntityType::Loc),
                (7, 8, EntityType::Misc)
            ]
        );
    }

    #[test]
    fn scores_count_exact_matches() {
        use Tag::*;
        let mut s = Scores::default();
        s.add(&[BPer, IPer, O, BLoc], &[BPer, O, O, BLoc]);
        assert_eq!(
            s.overall,
            Prf {
                correct: 1,
                predicted: 2,
                gold: 2
            }
        );
        assert!((s.overall.f1() - 0.5).abs() < 1e-9);
        assert!(s.report().contains("LOC"));
    }
}
