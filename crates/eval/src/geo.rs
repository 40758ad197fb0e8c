//! Geoparsing on LGL / GeoVirus: toponym recognition (span overlap) and resolution (within
//! 161 km, the usual "accuracy@161").
//!
//! Gold `start`/`end` are code points (checked against `name`). Predicted toponyms are the
//! mentions of the record's entities whose `geo` has coordinates, each with its entity's
//! coordinates: places (LOC) and demonyms (MISC, geocoded to their country; LGL and
//! GeoWebNews annotate demonyms as toponyms). Matching is one-to-one, greedy by overlap size, any overlap accepted.
//! - `recognition`: P over predicted toponym mentions, R over gold toponyms.
//! - `resolution`: a match is correct when within 161 km. Gold toponyms without coordinates
//!   cannot be judged, so they leave both denominators (and a prediction matched to one leaves
//!   the predicted count).
//! - `acc161_on_recognised` and `error_km` (mean / median) on judged matches.
//! - `recognition_all_loc`: recognition again with every LOC mention, geocoded or not.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::metrics::{any_overlap, greedy_match, haversine_km, Accuracy, Prf};
use crate::record::{alignment, arr, entities, num, start_end, str_of};
use crate::{article_of, extract_record, round4, Extractor, GoldSet};

/// A gold toponym's span and coordinates (absent for some LGL toponyms).
type GoldToponym = ((usize, usize), Option<(f64, f64)>);

#[derive(Default)]
struct Counters {
    recognition: Prf,
    recognition_all_loc: Prf,
    resolution: Prf,
    acc161: Accuracy,
    errors_km: Vec<f64>,
}

impl Counters {
    fn to_json(&self) -> Value {
        let mut errs = self.errors_km.clone();
        errs.sort_by(f64::total_cmp);
        let mean = if errs.is_empty() {
            0.0
        } else {
            errs.iter().sum::<f64>() / errs.len() as f64
        };
        let median = errs.get(errs.len() / 2).copied().unwrap_or(0.0);
        json!({
            "recognition": self.recognition.to_json(),
            "resolution": self.resolution.to_json(),
            "acc161_on_recognised": self.acc161.to_json(),
            "error_km": {"mean": round4(mean), "median": round4(median), "n": errs.len()},
            "recognition_all_loc": self.recognition_all_loc.to_json(),
        })
    }
}

pub(crate) fn score(gold: &GoldSet, ex: &mut dyn Extractor) -> Map<String, Value> {
    let mut all = Counters::default();
    let mut per_corpus: BTreeMap<String, Counters> = BTreeMap::new();
    let mut extract_errors = 0;
    let mut realigned = 0;
    for (line, rec) in &gold.records {
        let Some(text) = str_of(rec, "text") else { continue };
        let corpus = str_of(rec, "corpus").unwrap_or("unknown").to_string();
        let gold_tops: Vec<GoldToponym> = arr(rec, "toponyms")
            .iter()
            .filter_map(|t| Some((start_end(t)?, num(t, "lat").zip(num(t, "lon")))))
            .collect();
        let article = article_of(*line, rec, text.to_string());
        let out = extract_record(ex, &article, &mut extract_errors);
        let al = alignment(&out, text);
        if al.is_realigned() {
            realigned += 1;
        }
        let ents = entities(&out, &al);
        let mut pred: Vec<((usize, usize), (f64, f64))> = Vec::new();
        let mut all_loc: Vec<(usize, usize)> = Vec::new();
        for e in &ents {
            if e.etype == "LOC" {
                all_loc.extend(&e.mentions);
            }
            if let Some(g) = &e.geo {
                pred.extend(e.mentions.iter().map(|&m| (m, (g.lat, g.lon))));
            }
        }
        let pspans: Vec<(usize, usize)> = pred.iter().map(|p| p.0).collect();
        let gspans: Vec<(usize, usize)> = gold_tops.iter().map(|g| g.0).collect();
        let matches = greedy_match(&pspans, &gspans, any_overlap);
        let recog = Prf {
            tp: matches.len(),
            pred: pred.len(),
            gold: gold_tops.len(),
        };
        let recog_all = Prf {
            tp: greedy_match(&all_loc, &gspans, any_overlap).len(),
            pred: all_loc.len(),
            gold: gold_tops.len(),
        };
        let mut res = Prf {
            tp: 0,
            pred: pred.len(),
            gold: gold_tops.iter().filter(|g| g.1.is_some()).count(),
        };
        let mut acc = Accuracy::default();
        let mut errs = Vec::new();
        for &(pi, gi) in &matches {
            let (Some(p), Some(g)) = (pred.get(pi), gold_tops.get(gi)) else {
                continue;
            };
            match g.1 {
                None => res.pred = res.pred.saturating_sub(1),
                Some((la, lo)) => {
                    let d = haversine_km(p.1 .0, p.1 .1, la, lo);
                    errs.push(d);
                    acc.push(d <= 161.0);
                    if d <= 161.0 {
                        res.tp += 1;
                    }
                }
            }
        }
        for c in [&mut all, per_corpus.entry(corpus).or_default()] {
            c.recognition.add(recog);
            c.recognition_all_loc.add(recog_all);
            c.resolution.add(res);
            c.acc161.correct += acc.correct;
            c.acc161.total += acc.total;
            c.errors_km.extend(&errs);
        }
    }
    let mut m = Map::new();
    if let Value::Object(o) = all.to_json() {
        m.extend(o);
    }
    m.insert(
        "per_corpus".into(),
        Value::Object(per_corpus.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
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

    const TEXT: &str = "Fire in Alexandria, Louisiana; later in Paris and Springfield.";

    fn sp(needle: &str) -> [usize; 2] {
        let b = TEXT.find(needle).unwrap();
        let s = TEXT[..b].chars().count();
        [s, s + needle.chars().count()]
    }

    fn gold() -> std::path::PathBuf {
        let top = |name: &str, ll: Option<(f64, f64)>| {
            let [s, e] = sp(name);
            json!({"name": name, "start": s, "end": e, "lat": ll.map(|x| x.0), "lon": ll.map(|x| x.1)})
        };
        gold_file(
            "geo",
            &[
                json!({"id": "g1", "corpus": "LGL", "published": "2009-03-20", "text": TEXT, "toponyms": [
                top("Alexandria", Some((31.31, -92.45))), top("Louisiana", Some((31.0, -92.0))),
                top("Paris", Some((48.85, 2.35))), top("Springfield", None)]})
                .to_string(),
            ],
        )
    }

    fn loc(name: &str, geo: Option<(f64, f64)>) -> Value {
        json!({"id": name, "name": name, "type": "LOC", "mentions": [sp(name)],
               "geo": geo.map(|(a, b)| json!({"lat": a, "lon": b, "feature": "PPL"}))})
    }

    #[test]
    fn perfect_extractor() {
        let mut ex = |a: &GoldArticle| {
            json!({"text": a.text, "entities": [loc("Alexandria", Some((31.31, -92.45))),
                loc("Louisiana", Some((31.0, -92.0))), loc("Paris", Some((48.85, 2.35))),
                loc("Springfield", Some((39.8, -89.6)))]})
        };
        let out = run(Task::Geo, &gold(), &mut ex, &mut no_html, &EvalOptions::default()).unwrap();
        assert!(approx(f(&out, &["recognition", "f1"]), 1.0), "{out}");
        assert!(approx(f(&out, &["resolution", "f1"]), 1.0));
        assert_eq!(out["resolution"]["gold"], 3);
        assert!(approx(
            f(&out, &["per_corpus", "LGL", "acc161_on_recognised", "accuracy"]),
            1.0
        ));
    }

    #[test]
    fn empty_extractor() {
        let mut ex = |_: &GoldArticle| json!({"entities": []});
        let out = run(Task::Geo, &gold(), &mut ex, &mut no_html, &EvalOptions::default()).unwrap();
        assert!(approx(f(&out, &["recognition", "recall"]), 0.0));
        assert_eq!(out["recognition"]["gold"], 4);
    }

    #[test]
    fn partial_extractor() {
        // Alexandria resolved to Egypt (recognised, wrong), Paris right, "Fire" a spurious
        // toponym, Louisiana without geo (only counts in recognition_all_loc).
        // recognition tp 2, pred 3, gold 4; resolution tp 1, pred 3, gold 3.
        let mut ex = |a: &GoldArticle| {
            json!({"text": a.text, "entities": [loc("Alexandria", Some((31.2, 29.9))),
                loc("Paris", Some((48.85, 2.35))), loc("Fire", Some((0.0, 0.0))), loc("Louisiana", None)]})
        };
        let out = run(Task::Geo, &gold(), &mut ex, &mut no_html, &EvalOptions::default()).unwrap();
        assert!(approx(f(&out, &["recognition", "precision"]), 2.0 / 3.0), "{out}");
        assert!(approx(f(&out, &["recognition", "recall"]), 0.5));
        assert!(approx(f(&out, &["resolution", "precision"]), 1.0 / 3.0));
        assert!(approx(f(&out, &["resolution", "recall"]), 1.0 / 3.0));
        assert!(approx(f(&out, &["acc161_on_recognised", "accuracy"]), 0.5));
        assert_eq!(out["recognition_all_loc"]["tp"], 3);
    }

    #[test]
    fn smoke_real_gold() {
        let Some(path) = shared("geo/geoparsing-lgl-geovirus.jsonl") else {
            return;
        };
        let mut ex = |_: &GoldArticle| json!({});
        let out = run(
            Task::Geo,
            &path,
            &mut ex,
            &mut no_html,
            &EvalOptions {
                limit: Some(50),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(out["gold_errors"], 0);
        assert!(f(&out, &["recognition", "gold"]) > 100.0);
    }
}
