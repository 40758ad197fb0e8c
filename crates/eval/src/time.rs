//! Temporal expressions on TempEval-3 (TimeBank gold + TE3 silver), TempEval-3 style.
//!
//! The article's `published` (the DCT) anchors relative dates. Gold `start`/`end` are code
//! points (checked against `text`). Figures:
//! - `extent_relaxed`: one-to-one greedy matching by overlap size, any overlap (TempEval-3's
//!   relaxed match); `extent_strict`: identical spans.
//! - `value_on_matched` / `type_on_matched`: accuracy of `value` / `type` over relaxed matches;
//!   `value_f1` / `type_f1`: TempEval-3's attribute F1 (correct attribute / pred, / gold).
//!
//! Given for `all`, `gold_annotated` (human TimeBank) and `silver` (automatic TE3-silver).

use serde_json::{json, Map, Value};

use crate::metrics::{any_overlap, greedy_match, Accuracy, Prf};
use crate::record::{alignment, arr, start_end, str_of};
use crate::{article_of, extract_record, Extractor, GoldSet};

#[derive(Default)]
struct Counters {
    docs: usize,
    relaxed: Prf,
    strict: Prf,
    value: Accuracy,
    ty: Accuracy,
}

impl Counters {
    fn to_json(&self) -> Value {
        let attr_f1 = |correct: usize| Prf {
            tp: correct,
            pred: self.relaxed.pred,
            gold: self.relaxed.gold,
        };
        json!({
            "docs": self.docs,
            "extent_relaxed": self.relaxed.to_json(),
            "extent_strict": self.strict.to_json(),
            "value_on_matched": self.value.to_json(),
            "type_on_matched": self.ty.to_json(),
            "value_f1": attr_f1(self.value.correct).to_json(),
            "type_f1": attr_f1(self.ty.correct).to_json(),
        })
    }
}

struct Timex {
    span: (usize, usize),
    ty: String,
    value: Option<String>,
}

fn timexes(v: &Value, map: impl Fn((usize, usize)) -> (usize, usize)) -> Vec<Timex> {
    arr(v, "timexes")
        .iter()
        .filter_map(|t| {
            Some(Timex {
                span: map(start_end(t)?),
                ty: str_of(t, "type").unwrap_or("").to_ascii_uppercase(),
                value: str_of(t, "value").map(|s| s.trim().to_string()),
            })
        })
        .collect()
}

pub(crate) fn score(gold: &GoldSet, ex: &mut dyn Extractor) -> Map<String, Value> {
    let mut all = Counters::default();
    let mut gold_sub = Counters::default();
    let mut silver = Counters::default();
    let mut extract_errors = 0;
    let mut realigned = 0;
    for (line, rec) in &gold.records {
        let Some(text) = str_of(rec, "text") else { continue };
        let g = timexes(rec, |s| s);
        let article = article_of(*line, rec, text.to_string());
        let out = extract_record(ex, &article, &mut extract_errors);
        let al = alignment(&out, text);
        if al.is_realigned() {
            realigned += 1;
        }
        let p = timexes(&out, |(s, e)| al.span(s, e));
        let ps: Vec<(usize, usize)> = p.iter().map(|t| t.span).collect();
        let gs: Vec<(usize, usize)> = g.iter().map(|t| t.span).collect();
        let relaxed = greedy_match(&ps, &gs, any_overlap);
        let strict = greedy_match(&ps, &gs, |a, b| a == b);
        let mut value = Accuracy::default();
        let mut ty = Accuracy::default();
        for &(pi, gi) in &relaxed {
            let (Some(pt), Some(gt)) = (p.get(pi), g.get(gi)) else {
                continue;
            };
            value.push(pt.value.is_some() && pt.value == gt.value);
            ty.push(!pt.ty.is_empty() && pt.ty == gt.ty);
        }
        let is_silver = str_of(rec, "annotation") == Some("silver");
        let sub = if is_silver { &mut silver } else { &mut gold_sub };
        for c in [&mut all, sub] {
            c.docs += 1;
            c.relaxed.add(Prf {
                tp: relaxed.len(),
                pred: p.len(),
                gold: g.len(),
            });
            c.strict.add(Prf {
                tp: strict.len(),
                pred: p.len(),
                gold: g.len(),
            });
            c.value.correct += value.correct;
            c.value.total += value.total;
            c.ty.correct += ty.correct;
            c.ty.total += ty.total;
        }
    }
    let mut m = Map::new();
    m.insert("all".into(), all.to_json());
    m.insert("gold_annotated".into(), gold_sub.to_json());
    m.insert("silver".into(), silver.to_json());
    m.insert("extract_errors".into(), json!(extract_errors));
    m.insert("text_realigned".into(), json!(realigned));
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;
    use crate::{run, EvalOptions, GoldArticle, Task};

    const TEXT: &str = "On Tuesday the market fell for the last twenty four hours, in January 1998.";

    fn sp(needle: &str) -> [usize; 2] {
        let b = TEXT.find(needle).unwrap();
        let s = TEXT[..b].chars().count();
        [s, s + needle.chars().count()]
    }

    fn tx(needle: &str, ty: &str, value: &str) -> Value {
        let [s, e] = sp(needle);
        json!({"start": s, "end": e, "text": needle, "type": ty, "value": value})
    }

    fn gold() -> std::path::PathBuf {
        let doc = |id: &str, ann: &str| {
            json!({"id": id, "published": "1998-01-08", "dct_value": "1998-01-08", "annotation": ann, "text": TEXT,
                   "timexes": [tx("Tuesday", "DATE", "1998-01-06"),
                               tx("the last twenty four hours", "DURATION", "P1D"),
                               tx("January 1998", "DATE", "1998-01")]})
            .to_string()
        };
        gold_file("time", &[doc("d1", "gold"), doc("d2", "silver")])
    }

    #[test]
    fn perfect_extractor() {
        let mut ex = |a: &GoldArticle| {
            assert_eq!(a.published.as_deref(), Some("1998-01-08"));
            json!({"timexes": [tx("Tuesday", "DATE", "1998-01-06"),
                               tx("the last twenty four hours", "DURATION", "P1D"),
                               tx("January 1998", "DATE", "1998-01")]})
        };
        let out = run(
            Task::Time,
            &gold(),
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        for k in ["extent_relaxed", "extent_strict", "value_f1", "type_f1"] {
            assert!(approx(f(&out, &["all", k, "f1"]), 1.0), "{k} {out}");
        }
        assert_eq!(out["gold_annotated"]["docs"], 1);
        assert_eq!(out["silver"]["docs"], 1);
    }

    #[test]
    fn empty_extractor() {
        let mut ex = |_: &GoldArticle| json!({"timexes": []});
        let out = run(
            Task::Time,
            &gold(),
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        assert!(approx(f(&out, &["all", "extent_relaxed", "recall"]), 0.0));
        assert_eq!(out["all"]["extent_relaxed"]["gold"], 6);
    }

    #[test]
    fn partial_extractor() {
        // Gold doc only: "twenty four hours" overlaps (relaxed, not strict) with a wrong value,
        // "Tuesday" exact with the right value, a spurious "market" and no "January 1998".
        // relaxed tp 2 / pred 3 / gold 3; strict tp 1; value 1 of 2 matched.
        let mut ex = |a: &GoldArticle| {
            if a.id != "d1" {
                return json!({});
            }
            json!({"timexes": [tx("Tuesday", "DATE", "1998-01-06"), tx("twenty four hours", "DURATION", "PT24H"),
                               tx("market", "DATE", "1998")]})
        };
        let out = run(
            Task::Time,
            &gold(),
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        assert!(
            approx(f(&out, &["gold_annotated", "extent_relaxed", "f1"]), 2.0 / 3.0),
            "{out}"
        );
        assert!(approx(
            f(&out, &["gold_annotated", "extent_strict", "f1"]),
            1.0 / 3.0
        ));
        assert!(approx(
            f(&out, &["gold_annotated", "value_on_matched", "accuracy"]),
            0.5
        ));
        assert!(approx(
            f(&out, &["gold_annotated", "type_on_matched", "accuracy"]),
            1.0
        ));
        assert!(approx(f(&out, &["silver", "extent_relaxed", "recall"]), 0.0));
        assert!(approx(f(&out, &["all", "extent_relaxed", "recall"]), 2.0 / 6.0));
    }

    #[test]
    fn smoke_real_gold() {
        let Some(path) = shared("time/tempeval3-timebank-silver.jsonl") else {
            return;
        };
        let mut ex = |_: &GoldArticle| json!({});
        let out = run(
            Task::Time,
            &path,
            &mut ex,
            &mut no_html,
            &EvalOptions {
                limit: Some(20),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(out["gold_errors"], 0);
        assert!(f(&out, &["gold_annotated", "extent_relaxed", "gold"]) > 50.0);
    }
}
