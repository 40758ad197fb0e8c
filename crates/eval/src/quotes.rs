//! Quotes on PolNeAR: content-span overlap / exact F1, speaker accuracy, cue exact F1, per type.
//!
//! Gold `span` / `speaker_span` / `cue_span` are code points (checked against `content`; the
//! `*_bytes` twins are UTF-8 bytes and are not used). Overlap matching is one-to-one and greedy
//! by overlap size, accepting pairs that overlap by at least half of the longer span.
//! Speaker accuracy is judged on overlap-matched pairs whose gold quote has a speaker: correct
//! when a predicted speaker mention (the record quote's `speaker_span`, else every mention of
//! the `speaker` entity) overlaps the gold speaker span, or when the resolved entity's name (else
//! `speaker_text`) contains the gold speaker's head word (its last word) as a whole word.

use std::collections::{BTreeMap, HashSet};

use serde_json::{json, Map, Value};

use crate::align::Alignment;
use crate::metrics::{any_overlap, greedy_match, half_overlap, Accuracy, Prf};
use crate::record::{alignment, arr, entities, pair, start_end, str_of, Entity};
use crate::{article_of, extract_record, Extractor, GoldSet};

struct GoldQuote {
    span: (usize, usize),
    speaker: Option<(usize, usize)>,
    speaker_text: Option<String>,
    cue: Option<(usize, usize)>,
    kind: String,
}

struct PredQuote {
    span: (usize, usize),
    speaker_mentions: Vec<(usize, usize)>,
    speaker_name: Option<String>,
    cue: Option<(usize, usize)>,
    kind: String,
}

fn gold_quotes(rec: &Value) -> Vec<GoldQuote> {
    arr(rec, "quotes")
        .iter()
        .filter_map(|q| {
            Some(GoldQuote {
                span: pair(q.get("span"))?,
                speaker: pair(q.get("speaker_span")),
                speaker_text: str_of(q, "speaker").map(str::to_string),
                cue: pair(q.get("cue_span")),
                kind: str_of(q, "type").unwrap_or("unknown").to_ascii_lowercase(),
            })
        })
        .collect()
}

fn pred_quotes(rec: &Value, al: &Alignment, ents: &[Entity]) -> Vec<PredQuote> {
    arr(rec, "quotes")
        .iter()
        .filter_map(|q| {
            let (s, e) = start_end(q)?;
            let speaker_id = str_of(q, "speaker");
            let entity = speaker_id.and_then(|id| ents.iter().find(|en| en.id == id));
            let speaker_mentions = match pair(q.get("speaker_span")) {
                Some((a, b)) => vec![al.span(a, b)],
                None => entity.map(|en| en.mentions.clone()).unwrap_or_default(),
            };
            let speaker_name = entity
                .map(|en| en.name.clone())
                .filter(|n| !n.is_empty())
                .or_else(|| str_of(q, "speaker_text").map(str::to_string));
            Some(PredQuote {
                span: al.span(s, e),
                speaker_mentions,
                speaker_name,
                cue: pair(q.get("cue_span")).map(|(a, b)| al.span(a, b)),
                kind: str_of(q, "kind").unwrap_or("unknown").to_ascii_lowercase(),
            })
        })
        .collect()
}

/// The last word of the gold speaker text, possessive stripped ("Clinton's campaign" ->
/// "campaign", "The New York Post" -> "post").
pub(crate) fn head_word(speaker: &str) -> Option<String> {
    let words: Vec<&str> = speaker
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}' || c == '-'))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    let last = words.last()?;
    let last = last.trim_matches(|c: char| !c.is_alphanumeric());
    let last = last
        .strip_suffix("'s")
        .or_else(|| last.strip_suffix("\u{2019}s"))
        .unwrap_or(last);
    (!last.is_empty()).then(|| last.to_lowercase())
}

fn name_has_word(name: &str, word: &str) -> bool {
    name.split(|c: char| !c.is_alphanumeric())
        .any(|w| w.to_lowercase() == word)
}

#[derive(Default)]
struct TypeCounts {
    gold: usize,
    pred: usize,
    gold_matched: usize,
    pred_matched: usize,
}

impl TypeCounts {
    fn to_json(&self) -> Value {
        let p = crate::metrics::ratio(self.pred_matched, self.pred);
        let r = crate::metrics::ratio(self.gold_matched, self.gold);
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        json!({"gold": self.gold, "pred": self.pred, "gold_matched": self.gold_matched,
               "pred_matched": self.pred_matched, "precision": crate::round4(p),
               "recall": crate::round4(r), "f1": crate::round4(f)})
    }
}

pub(crate) fn score(gold: &GoldSet, ex: &mut dyn Extractor) -> Map<String, Value> {
    let mut overlap = Prf::default();
    let mut exact = Prf::default();
    let mut cue = Prf::default();
    let mut speaker = Accuracy::default();
    let mut speaker_by_type: BTreeMap<String, Accuracy> = BTreeMap::new();
    let mut no_speaker_gold_matched = 0;
    let mut kind_acc = Accuracy::default();
    let mut per_type: BTreeMap<String, TypeCounts> = BTreeMap::new();
    let mut extract_errors = 0;
    let mut realigned = 0;
    for (line, rec) in &gold.records {
        let Some(text) = str_of(rec, "text") else { continue };
        let gq = gold_quotes(rec);
        let article = article_of(*line, rec, text.to_string());
        let out = extract_record(ex, &article, &mut extract_errors);
        let al = alignment(&out, text);
        if al.is_realigned() {
            realigned += 1;
        }
        let ents = entities(&out, &al);
        let pq = pred_quotes(&out, &al, &ents);

        let pspans: Vec<(usize, usize)> = pq.iter().map(|q| q.span).collect();
        let gspans: Vec<(usize, usize)> = gq.iter().map(|q| q.span).collect();
        let matches = greedy_match(&pspans, &gspans, half_overlap);
        overlap.add(Prf {
            tp: matches.len(),
            pred: pq.len(),
            gold: gq.len(),
        });
        let exact_matches = greedy_match(&pspans, &gspans, |a, b| a == b);
        exact.add(Prf {
            tp: exact_matches.len(),
            pred: pq.len(),
            gold: gq.len(),
        });

        for q in &gq {
            per_type.entry(q.kind.clone()).or_default().gold += 1;
        }
        for q in &pq {
            per_type.entry(q.kind.clone()).or_default().pred += 1;
        }
        for &(pi, gi) in &matches {
            let (Some(p), Some(g)) = (pq.get(pi), gq.get(gi)) else {
                continue;
            };
            per_type.entry(g.kind.clone()).or_default().gold_matched += 1;
            per_type.entry(p.kind.clone()).or_default().pred_matched += 1;
            kind_acc.push(p.kind == g.kind);
            match g.speaker {
                None => no_speaker_gold_matched += 1,
                Some(gs) => {
                    let by_span = p.speaker_mentions.iter().any(|&m| any_overlap(m, gs));
                    let by_name = match (g.speaker_text.as_deref().and_then(head_word), &p.speaker_name) {
                        (Some(h), Some(n)) => name_has_word(n, &h),
                        _ => false,
                    };
                    speaker.push(by_span || by_name);
                    speaker_by_type
                        .entry(g.kind.clone())
                        .or_default()
                        .push(by_span || by_name);
                }
            }
        }

        let pc: HashSet<(usize, usize)> = pq.iter().filter_map(|q| q.cue).collect();
        let gc: HashSet<(usize, usize)> = gq.iter().filter_map(|q| q.cue).collect();
        cue.add(Prf {
            tp: pc.intersection(&gc).count(),
            pred: pc.len(),
            gold: gc.len(),
        });
    }
    let mut m = Map::new();
    m.insert("overlap".into(), overlap.to_json());
    m.insert("exact".into(), exact.to_json());
    m.insert("speaker".into(), speaker.to_json());
    m.insert(
        "speaker_by_gold_type".into(),
        Value::Object(
            speaker_by_type
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect(),
        ),
    );
    m.insert(
        "speaker_gold_missing_on_matched".into(),
        json!(no_speaker_gold_matched),
    );
    m.insert("cue_exact".into(), cue.to_json());
    m.insert("kind_on_matched".into(), kind_acc.to_json());
    m.insert(
        "per_type".into(),
        Value::Object(per_type.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
    );
    m.insert("extract_errors".into(), json!(extract_errors));
    m.insert("text_realigned".into(), json!(realigned));
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;
    use crate::{run, EvalOptions, GoldArticle, Task};

    const TEXT: &str = "The Post reports that “taxes rise.” Clinton said jobs grew. He added: “We win.”";

    fn sp(needle: &str) -> [usize; 2] {
        let b = TEXT.find(needle).unwrap();
        let s = TEXT[..b].chars().count();
        [s, s + needle.chars().count()]
    }

    fn gold() -> std::path::PathBuf {
        let q = |content: &str, speaker: &str, cue: &str, ty: &str| {
            json!({"span": sp(content), "content": content, "speaker": speaker, "speaker_span": sp(speaker),
                   "cue": cue, "cue_span": sp(cue), "type": ty})
        };
        let rec = json!({"doc_id": "d1", "date": "2016-09-12", "text": TEXT, "quotes": [
            q("that “taxes rise.”", "The Post", "reports", "mixed"),
            q("jobs grew", "Clinton", "said", "indirect"),
            q("“We win.”", "He", "added", "direct"),
        ]});
        gold_file("quotes", &[rec.to_string()])
    }

    fn pq(content: &str, kind: &str, speaker: Option<&str>, cue: &str) -> Value {
        let [s, e] = sp(content);
        json!({"start": s, "end": e, "kind": kind, "speaker": speaker, "cue_span": sp(cue)})
    }

    #[test]
    fn head_words() {
        assert_eq!(head_word("The New York Post").as_deref(), Some("post"));
        assert_eq!(head_word("Clinton’s campaign").as_deref(), Some("campaign"));
        assert_eq!(head_word("Donald Trump's").as_deref(), Some("trump"));
        assert!(name_has_word("Hillary Clinton", "clinton"));
        assert!(!name_has_word("Stephen King", "he"));
    }

    #[test]
    fn perfect_extractor() {
        let mut ex = |a: &GoldArticle| {
            assert_eq!(a.published.as_deref(), Some("2016-09-12"));
            json!({"text": a.text, "entities": [
                {"id": "e1", "name": "New York Post", "type": "ORG", "mentions": [sp("Post")]},
                {"id": "e2", "name": "Hillary Clinton", "type": "PER", "mentions": [sp("Clinton"), sp("He")]}],
             "quotes": [pq("that “taxes rise.”", "mixed", Some("e1"), "reports"),
                        pq("jobs grew", "indirect", Some("e2"), "said"),
                        pq("“We win.”", "direct", Some("e2"), "added")]})
        };
        let out = run(
            Task::Quotes,
            &gold(),
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        for k in ["overlap", "exact", "cue_exact"] {
            assert!(approx(f(&out, &[k, "f1"]), 1.0), "{k}: {out}");
        }
        assert!(approx(f(&out, &["speaker", "accuracy"]), 1.0));
        assert!(approx(f(&out, &["per_type", "direct", "f1"]), 1.0));
    }

    #[test]
    fn empty_extractor() {
        let mut ex = |_: &GoldArticle| json!({"quotes": []});
        let out = run(
            Task::Quotes,
            &gold(),
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        assert!(approx(f(&out, &["overlap", "recall"]), 0.0));
        assert_eq!(out["overlap"]["gold"], 3);
    }

    #[test]
    fn partial_extractor() {
        // q1: "taxes rise" (10 of the gold's 18 chars) overlaps >= half -> overlap match, not
        // exact; speaker right by name ("Post"). q2: exact span, but its speaker_span points at
        // "The" while the gold speaker is "Clinton" -> speaker wrong.
        // q3: "win" is 3 of 9 chars -> no match. An extra quote far away -> unmatched.
        // overlap tp 2, pred 4, gold 3: P .5 R .6667; exact tp 1: P .25 R .3333.
        let mut ex = |a: &GoldArticle| {
            let mut q2 = pq("jobs grew", "indirect", None, "said");
            q2["speaker_span"] = json!(sp("The"));
            json!({"text": a.text, "entities": [
                {"id": "e1", "name": "New York Post", "type": "ORG", "mentions": []}],
             "quotes": [pq("taxes rise", "direct", Some("e1"), "reports"), q2,
                        pq("win", "direct", None, "added"), pq("The Post reports", "indirect", None, "Post")]})
        };
        let out = run(
            Task::Quotes,
            &gold(),
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        assert_eq!(out["overlap"]["tp"], 2, "{out}");
        assert!(approx(f(&out, &["overlap", "precision"]), 0.5));
        assert!(approx(f(&out, &["overlap", "recall"]), 2.0 / 3.0));
        assert!(approx(f(&out, &["exact", "recall"]), 1.0 / 3.0));
        assert!(approx(f(&out, &["speaker", "accuracy"]), 0.5));
        // kinds on matched: direct vs mixed (wrong), indirect vs indirect (right).
        assert!(approx(f(&out, &["kind_on_matched", "accuracy"]), 0.5));
        // cues: reports, said, added right (3 of 4 distinct predicted); gold 3.
        assert!(approx(f(&out, &["cue_exact", "precision"]), 0.75));
        assert!(approx(f(&out, &["per_type", "mixed", "recall"]), 1.0));
        assert!(approx(f(&out, &["per_type", "direct", "recall"]), 0.0));
    }

    #[test]
    fn smoke_real_gold() {
        let Some(path) = shared("quotes/polnear-dev.jsonl") else {
            return;
        };
        let mut ex = |_: &GoldArticle| json!({});
        let out = run(
            Task::Quotes,
            &path,
            &mut ex,
            &mut no_html,
            &EvalOptions {
                limit: Some(10),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(out["gold_errors"], 0);
        assert!(f(&out, &["overlap", "gold"]) > 50.0);
    }
}
