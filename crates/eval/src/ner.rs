//! NER on CoNLL-2003 (`tokens`, `tags` in IOB2): conlleval exact span + type, micro P/R/F1.
//!
//! One extraction per gold line (sentence): the text is the tokens joined by single spaces, as
//! the README prescribes. With `by_document`, the lines of one `doc` are extracted together
//! (one paragraph each), as an article would be, so document context can help; each line is
//! still scored on its own tokens. Predicted mention spans (code points) are mapped to the tokens they
//! touch (partial coverage extends to whole tokens). Overlapping predictions cannot exist in a
//! tag sequence, so they are resolved as conlleval would see them after tagging: longest first,
//! then earliest; a chunk overlapping one already placed is dropped.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::metrics::{multiset_prf, Prf};
use crate::record::{alignment, arr, entities};
use crate::{article_of, extract_record, Extractor, GoldSet};

/// A chunk: first token, last token (inclusive), type.
type Chunk = (usize, usize, String);

/// conlleval's chunking of an IOB1/IOB2 tag sequence.
pub(crate) fn chunks_of_tags(tags: &[&str]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let (prefix, ty) = match tag.split_once('-') {
            Some((p, t)) => (p, t),
            None => ("O", ""),
        };
        let begins = match (&open, prefix) {
            (_, "B") | (_, "S") => true,
            (None, "I") | (None, "E") => true,
            (Some((_, t)), "I") | (Some((_, t)), "E") => t != ty,
            _ => false,
        };
        let inside = prefix != "O" && !ty.is_empty();
        if begins || !inside {
            if let Some((s, t)) = open.take() {
                out.push((s, i - 1, t));
            }
        }
        if inside && begins {
            open = Some((i, ty.to_string()));
        }
    }
    if let Some((s, t)) = open {
        out.push((s, tags.len().saturating_sub(1), t));
    }
    out
}

/// Maps code point spans onto the token indices they touch.
fn token_chunk(starts: &[(usize, usize)], span: (usize, usize)) -> Option<(usize, usize)> {
    let (s, e) = span;
    if e <= s {
        return None;
    }
    let first = starts.iter().position(|&(ts, te)| te > s && ts < e)?;
    let last = starts.iter().rposition(|&(ts, te)| te > s && ts < e)?;
    Some((first, last))
}

/// One gold line inside the text fed to the extractor.
struct Line<'a> {
    tokens: Vec<&'a str>,
    tags: Vec<&'a str>,
    /// Code point offset of the line's first token in the unit text.
    base: usize,
}

/// Groups gold lines into extraction units: each line alone, or (by document) consecutive
/// lines sharing a `doc` value, joined as paragraphs.
fn units<'a>(
    gold: &'a GoldSet,
    by_document: bool,
    skipped: &mut usize,
) -> Vec<(usize, &'a Value, Vec<Line<'a>>, String)> {
    let mut out: Vec<(usize, &'a Value, Vec<Line<'a>>, String)> = Vec::new();
    let mut last_doc: Option<&Value> = None;
    for (line, rec) in &gold.records {
        let tokens: Vec<&str> = arr(rec, "tokens").iter().filter_map(Value::as_str).collect();
        let tags: Vec<&str> = arr(rec, "tags").iter().filter_map(Value::as_str).collect();
        if tokens.is_empty() || tokens.len() != tags.len() {
            *skipped += 1;
            continue;
        }
        let doc = rec.get("doc").filter(|d| !d.is_null());
        let joins = by_document && doc.is_some() && doc == last_doc && !out.is_empty();
        last_doc = doc;
        if !joins {
            out.push((*line, rec, Vec::new(), String::new()));
        }
        if let Some((_, _, lines, text)) = out.last_mut() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let base = text.chars().count();
            text.push_str(&tokens.join(" "));
            lines.push(Line { tokens, tags, base });
        }
    }
    out
}

pub(crate) fn score(gold: &GoldSet, ex: &mut dyn Extractor, by_document: bool) -> Map<String, Value> {
    let mut total = Prf::default();
    let mut per_type: BTreeMap<String, Prf> = BTreeMap::new();
    let mut extract_errors = 0;
    let mut realigned = 0;
    let mut skipped = 0;
    let all_units = units(gold, by_document, &mut skipped);
    let n_units = all_units.len();
    for (line, rec, lines, text) in all_units {
        let article = article_of(line, rec, text.clone());
        let out = extract_record(ex, &article, &mut extract_errors);
        let al = alignment(&out, &text);
        if al.is_realigned() {
            realigned += 1;
        }
        let mentions: Vec<((usize, usize), String)> = entities(&out, &al)
            .into_iter()
            .flat_map(|ent| {
                let ty = ent.etype.clone();
                ent.mentions.into_iter().map(move |m| (m, ty.clone()))
            })
            .collect();
        for l in &lines {
            let mut offsets = Vec::with_capacity(l.tokens.len());
            let mut pos = l.base;
            for t in &l.tokens {
                let n = t.chars().count();
                offsets.push((pos, pos + n));
                pos += n + 1;
            }
            let end = pos.saturating_sub(1);
            let gold_chunks = chunks_of_tags(&l.tags);
            let mut cands: Vec<Chunk> = mentions
                .iter()
                .filter(|((s, e), _)| *s < end && *e > l.base)
                .filter_map(|(m, ty)| token_chunk(&offsets, *m).map(|(a, b)| (a, b, ty.clone())))
                .collect();
            cands.sort_by(|x, y| {
                (y.1 - y.0)
                    .cmp(&(x.1 - x.0))
                    .then(x.0.cmp(&y.0))
                    .then(x.2.cmp(&y.2))
            });
            let mut taken = vec![false; l.tokens.len()];
            let mut pred_chunks: Vec<Chunk> = Vec::new();
            for c in cands {
                let free = taken.get(c.0..=c.1).is_some_and(|s| s.iter().all(|t| !t));
                if free {
                    for t in taken.iter_mut().take(c.1 + 1).skip(c.0) {
                        *t = true;
                    }
                    pred_chunks.push(c);
                }
            }
            total.add(multiset_prf(&pred_chunks, &gold_chunks));
            let mut types: Vec<&String> = gold_chunks.iter().chain(&pred_chunks).map(|c| &c.2).collect();
            types.sort();
            types.dedup();
            for ty in types {
                let p: Vec<&Chunk> = pred_chunks.iter().filter(|c| &c.2 == ty).collect();
                let g: Vec<&Chunk> = gold_chunks.iter().filter(|c| &c.2 == ty).collect();
                per_type.entry(ty.clone()).or_default().add(multiset_prf(&p, &g));
            }
        }
    }
    let mut m = Map::new();
    m.insert("precision".into(), json!(crate::round4(total.precision())));
    m.insert("recall".into(), json!(crate::round4(total.recall())));
    m.insert("f1".into(), json!(crate::round4(total.f1())));
    m.insert("overall".into(), total.to_json());
    m.insert(
        "per_type".into(),
        Value::Object(per_type.into_iter().map(|(k, v)| (k, v.to_json())).collect()),
    );
    m.insert(
        "unit".into(),
        json!(if by_document {
            "document (consecutive gold lines with one `doc`, one paragraph each), tokens joined by single spaces"
        } else {
            "sentence (one gold line), tokens joined by single spaces"
        }),
    );
    m.insert("extractions".into(), json!(n_units));
    m.insert("skipped_records".into(), json!(skipped));
    m.insert("extract_errors".into(), json!(extract_errors));
    m.insert("text_realigned".into(), json!(realigned));
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;
    use crate::{run, EvalOptions, GoldArticle, Task};

    fn gold() -> std::path::PathBuf {
        gold_file(
            "ner",
            &[
                r#"{"doc":0,"tokens":["Phil","Simmons","beat","Somerset","in","London","."],"tags":["B-PER","I-PER","O","B-ORG","O","B-LOC","O"]}"#.into(),
                r#"{"doc":0,"tokens":["EU","rejects","German","call"],"tags":["B-ORG","O","B-MISC","O"]}"#.into(),
            ],
        )
    }

    fn span_of(text: &str, needle: &str) -> [usize; 2] {
        let b = text.find(needle).unwrap();
        let s = text[..b].chars().count();
        [s, s + needle.chars().count()]
    }

    fn ent(text: &str, needle: &str, ty: &str) -> serde_json::Value {
        json!({"id": needle, "name": needle, "type": ty, "mentions": [span_of(text, needle)]})
    }

    #[test]
    fn chunking_follows_conlleval() {
        let c = chunks_of_tags(&["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"]);
        assert_eq!(
            c,
            vec![
                (0, 1, "PER".into()),
                (3, 3, "LOC".into()),
                (4, 4, "LOC".into()),
                (5, 5, "ORG".into())
            ]
        );
    }

    #[test]
    fn perfect_extractor_scores_one() {
        let mut ex = |a: &GoldArticle| {
            let t = &a.text;
            let ents = if t.starts_with("Phil") {
                vec![
                    ent(t, "Phil Simmons", "PER"),
                    ent(t, "Somerset", "ORG"),
                    ent(t, "London", "LOC"),
                ]
            } else {
                vec![ent(t, "EU", "ORG"), ent(t, "German", "MISC")]
            };
            json!({"text": t, "entities": ents})
        };
        let out = run(Task::Ner, &gold(), &mut ex, &mut no_html, &EvalOptions::default()).unwrap();
        assert!(approx(f(&out, &["f1"]), 1.0), "{out}");
        assert!(approx(f(&out, &["per_type", "MISC", "f1"]), 1.0));
        assert_eq!(out["overall"]["gold"], 5);
    }

    #[test]
    fn by_document_extracts_once_and_scores_each_line() {
        let mut calls = 0;
        let mut ex = |a: &GoldArticle| {
            calls += 1;
            let t = &a.text;
            // Both lines in one text, each a paragraph; "EU" is found in the second.
            assert!(t.contains("London .\n\nEU rejects"), "{t:?}");
            json!({"text": t, "entities": [
                ent(t, "Phil Simmons", "PER"), ent(t, "Somerset", "ORG"),
                ent(t, "London", "LOC"), ent(t, "EU", "ORG"), ent(t, "German", "LOC")]})
        };
        let opts = EvalOptions {
            ner_by_document: true,
            ..Default::default()
        };
        let out = run(Task::Ner, &gold(), &mut ex, &mut no_html, &opts).unwrap();
        assert_eq!(calls, 1);
        assert_eq!(out["extractions"], 1);
        // German typed LOC is wrong: 4 of 5 right on both sides.
        assert!(approx(f(&out, &["f1"]), 0.8), "{out}");
        assert_eq!(out["overall"]["gold"], 5);
    }

    #[test]
    fn empty_extractor_has_zero_recall() {
        let mut ex = |_: &GoldArticle| json!({"entities": []});
        let out = run(Task::Ner, &gold(), &mut ex, &mut no_html, &EvalOptions::default()).unwrap();
        assert!(approx(f(&out, &["recall"]), 0.0));
        assert_eq!(out["overall"]["pred"], 0);
    }

    #[test]
    fn partial_and_token_extension() {
        // "Simmons" alone is wrong (span), "Somers" extends to the token "Somerset" (right),
        // London typed ORG is wrong, the second sentence is empty.
        // tp = 1, pred = 3, gold = 5 -> P = 1/3, R = 1/5, F1 = 0.25.
        let mut ex = |a: &GoldArticle| {
            let t = &a.text;
            if !t.starts_with("Phil") {
                return json!({"entities": []});
            }
            json!({"text": t, "entities": [
                ent(t, "Simmons", "PER"), ent(t, "Somers", "ORG"), ent(t, "London", "ORG")]})
        };
        let out = run(Task::Ner, &gold(), &mut ex, &mut no_html, &EvalOptions::default()).unwrap();
        assert!(approx(f(&out, &["precision"]), 1.0 / 3.0), "{out}");
        assert!(approx(f(&out, &["recall"]), 0.2));
        assert!(approx(f(&out, &["f1"]), 0.25));
        assert!(approx(f(&out, &["per_type", "ORG", "precision"]), 0.5));
        assert!(approx(f(&out, &["per_type", "LOC", "recall"]), 0.0));
    }

    #[test]
    fn realigned_text_still_maps() {
        // The record's text doubles a space; spans point into that text.
        let mut ex = |a: &GoldArticle| {
            let t = a.text.replacen(' ', "  ", 1);
            let ents = if t.starts_with("Phil") {
                vec![ent(&t, "Somerset", "ORG")]
            } else {
                vec![]
            };
            json!({"text": t, "entities": ents})
        };
        let out = run(Task::Ner, &gold(), &mut ex, &mut no_html, &EvalOptions::default()).unwrap();
        assert_eq!(out["overall"]["tp"], 1, "{out}");
        assert_eq!(out["text_realigned"], 2);
    }

    #[test]
    fn smoke_real_gold() {
        let Some(path) = shared("ner/conll2003-valid.jsonl") else {
            return;
        };
        let mut ex = |_: &GoldArticle| json!({});
        let out = run(
            Task::Ner,
            &path,
            &mut ex,
            &mut no_html,
            &EvalOptions {
                limit: Some(200),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(out["records"], 200);
        assert_eq!(out["gold_errors"], 0);
        assert!(f(&out, &["overall", "gold"]) > 100.0);
    }
}
