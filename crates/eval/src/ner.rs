//! NER on CoNLL-2003 (`tokens`, `tags` in IOB2): conlleval exact span + type, micro P/R/F1.
//!
//! One extraction per gold line (sentence): the text is the tokens joined by single spaces, as
//! the README prescribes. Predicted mention spans (code points) are mapped to the tokens they
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

pub(crate) fn score(gold: &GoldSet, ex: &mut dyn Extractor) -> Map<String, Value> {
    let mut total = Prf::default();
    let mut per_type: BTreeMap<String, Prf> = BTreeMap::new();
    let mut extract_errors = 0;
    let mut realigned = 0;
    let mut skipped = 0;
    for (line, rec) in &gold.records {
        let tokens: Vec<&str> = arr(rec, "tokens").iter().filter_map(Value::as_str).collect();
        let tags: Vec<&str> = arr(rec, "tags").iter().filter_map(Value::as_str).collect();
        if tokens.is_empty() || tokens.len() != tags.len() {
            skipped += 1;
            continue;
        }
        let text = tokens.join(" ");
        let mut offsets = Vec::with_capacity(tokens.len());
        let mut pos = 0;
        for t in &tokens {
            let n = t.chars().count();
            offsets.push((pos, pos + n));
            pos += n + 1;
        }
        let gold_chunks = chunks_of_tags(&tags);
        let article = article_of(*line, rec, text.clone());
        let out = extract_record(ex, &article, &mut extract_errors);
        let al = alignment(&out, &text);
        if al.is_realigned() {
            realigned += 1;
        }
        let mut cands: Vec<Chunk> = Vec::new();
        for ent in entities(&out, &al) {
            for &m in &ent.mentions {
                if let Some((a, b)) = token_chunk(&offsets, m) {
                    cands.push((a, b, ent.etype.clone()));
                }
            }
        }
        cands.sort_by(|x, y| {
            (y.1 - y.0)
                .cmp(&(x.1 - x.0))
                .then(x.0.cmp(&y.0))
                .then(x.2.cmp(&y.2))
        });
        let mut taken = vec![false; tokens.len()];
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
        json!("sentence (one gold line), tokens joined by single spaces"),
    );
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
            &EvalOptions { limit: Some(200) },
        )
        .unwrap();
        assert_eq!(out["records"], 200);
        assert_eq!(out["gold_errors"], 0);
        assert!(f(&out, &["overall", "gold"]) > 100.0);
    }
}
