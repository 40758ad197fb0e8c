//! Conflict records (UCDP GED headlines, ACLED notes): casualties, event kind, admin1,
//! location within 50 km, date.
//!
//! - `killed` (ACLED only): the largest `killed` over the record's events must equal gold
//!   `fatalities` when it is > 0, and be absent or 0 when it is 0.
//! - `killed_in_range` (UCDP only): that largest count lies in `deaths_low..=deaths_high`
//!   (headlines are not the source of UCDP's totals, so this is reported, not required).
//! - `kind`: gold ACLED `event_type` Battles / Explosions/Remote violence / Violence against
//!   civilians -> `violent`, Protests / Riots -> `protest`, others -> `neither`; every UCDP GED
//!   event is organised lethal violence -> `violent`. Predicted: any event root 18-20 ->
//!   `violent`, else any root 14 -> `protest`, else `neither`.
//! - Place: the record's primary location is the most specific one it gives: the first event
//!   `location` below country level (feature not `PCL*`, looked up on its entity), else the first
//!   mentioned LOC entity below country level, else an event location at country level
//!   (`location_source` counts which). `admin1` compares it with gold `admin1`/`adm_1` after light normalisation
//!   (case, accents, "oblast"/"region"/"city" suffixes, Kiev/Kyiv-style transliterations);
//!   records without gold admin1 are not judged. `location_50km`: haversine <= 50 km.
//! - `date`: the first event date (`YYYY-MM-DD`) lies in gold `date_start..=date_end` (UCDP) or
//!   equals `event_date` (ACLED).
//!
//! Figures are given for all records, per dataset, and for UCDP records whose text has at least
//! 40 characters (`ucdp_text_ge_40`: about half the UCDP rows are a bare place name).

use serde_json::{json, Map, Value};

use crate::metrics::{haversine_km, Accuracy};
use crate::record::{alignment, arr, entities, num, place, str_of, Place};
use crate::{article_of, extract_record, Extractor, GoldSet};

#[derive(Default)]
struct Counters {
    records: usize,
    killed: Accuracy,
    killed_when_deaths: Accuracy,
    killed_when_none: Accuracy,
    killed_in_range: Accuracy,
    killed_predicted: usize,
    kind: Accuracy,
    admin1: Accuracy,
    loc50: Accuracy,
    date: Accuracy,
    from_event: usize,
    from_entity: usize,
    from_event_country: usize,
    no_location: usize,
    date_predicted: usize,
    confusion: std::collections::BTreeMap<String, usize>,
}

impl Counters {
    fn to_json(&self) -> Value {
        json!({
            "records": self.records,
            "killed": self.killed.to_json(),
            "killed_when_deaths": self.killed_when_deaths.to_json(),
            "killed_when_none": self.killed_when_none.to_json(),
            "killed_in_range": self.killed_in_range.to_json(),
            "killed_predicted": self.killed_predicted,
            "kind": self.kind.to_json(),
            "kind_confusion_gold_pred": self.confusion,
            "admin1": self.admin1.to_json(),
            "location_50km": self.loc50.to_json(),
            "date": self.date.to_json(),
            "date_predicted": self.date_predicted,
            "location_source": {"event": self.from_event, "entity": self.from_entity,
                                "event_country": self.from_event_country, "none": self.no_location},
        })
    }
}

fn gold_kind(dataset: &str, gold: &Value) -> &'static str {
    if dataset.starts_with("UCDP") {
        return "violent";
    }
    let t = str_of(gold, "event_type").unwrap_or("").to_ascii_lowercase();
    if t.starts_with("battle") || t.starts_with("explosion") || t.starts_with("violence against") {
        "violent"
    } else if t.starts_with("protest") || t.starts_with("riot") {
        "protest"
    } else {
        "neither"
    }
}

fn pred_kind(rec: &Value) -> &'static str {
    let roots: Vec<u8> = arr(rec, "events")
        .iter()
        .filter_map(|e| {
            let r = str_of(e, "root")
                .map(str::to_string)
                .or_else(|| str_of(e, "cameo").map(|c| c.chars().take(2).collect()))?;
            r.trim().parse().ok()
        })
        .collect();
    if roots.iter().any(|r| (18..=20).contains(r)) {
        "violent"
    } else if roots.contains(&14) {
        "protest"
    } else {
        "neither"
    }
}

/// Folds the spelling variants of region names so that "Donetsk Oblast", "Donetska oblast" and
/// "Donetsk" compare equal, and "Kiev Special Republican city" equals "Kyiv City".
pub(crate) fn norm_admin1(s: &str) -> String {
    let lower: String = s
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            '\'' | '\u{2019}' | '`' => ' ',
            c => c.to_lowercase().next().unwrap_or(c),
        })
        .collect();
    const DROP: [&str; 14] = [
        "oblast",
        "oblast'",
        "region",
        "province",
        "city",
        "special",
        "republican",
        "municipality",
        "autonomous",
        "republic",
        "of",
        "the",
        "raion",
        "krai",
    ];
    let words: Vec<String> = lower
        .split(|c: char| c.is_whitespace() || c == '-' || c == ',' || c == '.')
        .filter(|w| !w.is_empty() && !DROP.contains(w))
        .map(|w| {
            let w = match w {
                "kiev" | "kiyv" | "kyyiv" => "kyiv",
                "kharkov" => "kharkiv",
                "lugansk" => "luhansk",
                "odessa" | "odeska" => "odesa",
                "nikolaev" | "nikolayev" | "mykolayiv" => "mykolaiv",
                "zaporozhye" | "zaporizhia" | "zaporizhzhya" => "zaporizhzhia",
                "dnepropetrovsk" | "dnipro" => "dnipropetrovsk",
                "chernigov" => "chernihiv",
                "lvov" | "lviv" => "lviv",
                "rovno" => "rivne",
                "crimean" => "crimea",
                other => other,
            };
            // Ukrainian adjectival and Russian forms: "Donetska" / "Donetsk", "Kyivska" / "Kyiv".
            let w = w
                .strip_suffix("ska")
                .or_else(|| w.strip_suffix("sk"))
                .unwrap_or(w);
            w.to_string()
        })
        .collect();
    words.join(" ")
}

fn admin1_matches(pred: &str, gold: &str) -> bool {
    let (p, g) = (norm_admin1(pred), norm_admin1(gold));
    if p.is_empty() || g.is_empty() {
        return false;
    }
    let subset = |a: &str, b: &str| a.split(' ').all(|w| b.split(' ').any(|x| x == w));
    subset(&p, &g) || subset(&g, &p)
}

fn is_country(feature: Option<&str>) -> bool {
    feature.is_some_and(|f| f.starts_with("PCL"))
}

/// The most specific place the record gives: an event location below country level, else a
/// LOC entity below country level (first mentioned), else an event location at country level.
fn primary_location(rec: &Value, gold_text: &str) -> (Option<Place>, &'static str) {
    let al = alignment(rec, gold_text);
    let mut ents = entities(rec, &al);
    let mut event_country = None;
    for e in arr(rec, "events") {
        let Some(loc) = e.get("location") else { continue };
        let Some(p) = place(loc) else { continue };
        let feature = str_of(loc, "entity")
            .and_then(|id| ents.iter().find(|en| en.id == id))
            .and_then(|en| en.geo.as_ref())
            .and_then(|g| g.feature.clone())
            .or_else(|| p.feature.clone());
        if is_country(feature.as_deref()) {
            event_country.get_or_insert(p);
        } else {
            return (Some(p), "event");
        }
    }
    ents.retain(|e| e.etype == "LOC" && e.geo.as_ref().is_some_and(|g| !is_country(g.feature.as_deref())));
    ents.sort_by_key(|e| e.mentions.iter().map(|m| m.0).min().unwrap_or(usize::MAX));
    if let Some(p) = ents.into_iter().find_map(|e| e.geo) {
        return (Some(p), "entity");
    }
    match event_country {
        Some(p) => (Some(p), "event_country"),
        None => (None, "none"),
    }
}

fn first_date(rec: &Value) -> Option<String> {
    arr(rec, "events").iter().find_map(|e| {
        let d = str_of(e, "date")?;
        (d.len() >= 10).then(|| d.chars().take(10).collect())
    })
}

fn max_killed(rec: &Value) -> Option<i64> {
    arr(rec, "events")
        .iter()
        .filter_map(|e| num(e, "killed"))
        .filter(|k| k.is_finite())
        .map(|k| k as i64)
        .max()
}

pub(crate) fn score(gold: &GoldSet, ex: &mut dyn Extractor) -> Map<String, Value> {
    let mut all = Counters::default();
    let mut ucdp = Counters::default();
    let mut ucdp_long = Counters::default();
    let mut acled = Counters::default();
    let mut extract_errors = 0;
    for (line, rec) in &gold.records {
        let (Some(text), Some(g)) = (str_of(rec, "text"), rec.get("gold")) else {
            continue;
        };
        let dataset = str_of(rec, "dataset").unwrap_or("");
        let is_ucdp = dataset.starts_with("UCDP") || g.get("deaths_best").is_some();
        let article = article_of(*line, rec, text.to_string());
        let out = extract_record(ex, &article, &mut extract_errors);

        let killed = max_killed(&out);
        let gk = gold_kind(if is_ucdp { "UCDP" } else { dataset }, g);
        let pk = pred_kind(&out);
        let (loc, source) = primary_location(&out, text);
        let gold_admin1 = str_of(g, "admin1")
            .or_else(|| str_of(g, "adm_1"))
            .filter(|s| !s.trim().is_empty());
        let admin1_ok = gold_admin1.map(|ga| {
            loc.as_ref()
                .and_then(|l| l.admin1.as_deref())
                .is_some_and(|pa| admin1_matches(pa, ga))
        });
        let gold_ll = num(g, "latitude").zip(num(g, "longitude"));
        let loc_ok = gold_ll.map(|(la, lo)| {
            loc.as_ref()
                .is_some_and(|l| haversine_km(l.lat, l.lon, la, lo) <= 50.0)
        });
        let (ds, de) = if is_ucdp {
            (
                str_of(g, "date_start"),
                str_of(g, "date_end").or(str_of(g, "date_start")),
            )
        } else {
            (str_of(g, "event_date"), str_of(g, "event_date"))
        };
        let pd = first_date(&out);
        let date_ok = ds
            .zip(de)
            .map(|(s, e)| pd.as_deref().is_some_and(|d| d >= s && d <= e));

        let long = text.chars().count() >= 40;
        let mut sets: Vec<&mut Counters> = vec![&mut all];
        if is_ucdp {
            sets.push(&mut ucdp);
            if long {
                sets.push(&mut ucdp_long);
            }
        } else {
            sets.push(&mut acled);
        }
        for c in sets {
            c.records += 1;
            if killed.is_some() {
                c.killed_predicted += 1;
            }
            if is_ucdp {
                let lo = num(g, "deaths_low").unwrap_or(0.0) as i64;
                let hi = num(g, "deaths_high").unwrap_or(0.0) as i64;
                c.killed_in_range.push(killed.is_some_and(|k| k >= lo && k <= hi));
            } else {
                let f = num(g, "fatalities").unwrap_or(0.0) as i64;
                let ok = if f > 0 {
                    killed == Some(f)
                } else {
                    killed.unwrap_or(0) == 0
                };
                c.killed.push(ok);
                if f > 0 {
                    c.killed_when_deaths.push(ok);
                } else {
                    c.killed_when_none.push(ok);
                }
            }
            c.kind.push(gk == pk);
            *c.confusion.entry(format!("{gk}->{pk}")).or_default() += 1;
            if let Some(ok) = admin1_ok {
                c.admin1.push(ok);
            }
            if let Some(ok) = loc_ok {
                c.loc50.push(ok);
            }
            if let Some(ok) = date_ok {
                c.date.push(ok);
            }
            match source {
                "event" => c.from_event += 1,
                "entity" => c.from_entity += 1,
                "event_country" => c.from_event_country += 1,
                _ => c.no_location += 1,
            }
            if pd.is_some() {
                c.date_predicted += 1;
            }
        }
    }
    let mut m = Map::new();
    m.insert("all".into(), all.to_json());
    m.insert("acled".into(), acled.to_json());
    m.insert("ucdp".into(), ucdp.to_json());
    m.insert("ucdp_text_ge_40".into(), ucdp_long.to_json());
    m.insert("extract_errors".into(), json!(extract_errors));
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;
    use crate::{run, EvalOptions, GoldArticle, Task};

    fn gold() -> std::path::PathBuf {
        gold_file(
            "conflict",
            &[
                json!({"id": "acled-1", "published": "2020-08-14", "dataset": "ACLED-Ukraine",
                       "text": "On 14 August 2020, Russian forces shelled Avdiivka, killing 2 soldiers.",
                       "gold": {"event_date": "2020-08-14", "fatalities": 2, "event_type": "Explosions/Remote violence",
                                "admin1": "Donetsk", "latitude": 48.14, "longitude": 37.74}})
                .to_string(),
                json!({"id": "acled-2", "published": "2020-08-15", "dataset": "ACLED-Ukraine",
                       "text": "On 15 August 2020, about 20 people protested in Kyiv against the election results.",
                       "gold": {"event_date": "2020-08-15", "fatalities": 0, "event_type": "Protests",
                                "admin1": "Kyiv City", "latitude": 50.45, "longitude": 30.52}})
                .to_string(),
                json!({"id": "ucdp-1", "published": "2014-08-01", "dataset": "UCDP-GED",
                       "text": "Two civilians killed by shelling in Luhansk, officials said on Friday",
                       "gold": {"date_start": "2014-08-01", "date_end": "2014-08-02", "deaths_best": 3,
                                "deaths_low": 2, "deaths_high": 4, "adm_1": "Luhansk oblast",
                                "latitude": 48.57, "longitude": 39.33}})
                .to_string(),
            ],
        )
    }

    fn event(root: &str, killed: Option<i64>, date: &str, admin1: &str, lat: f64, lon: f64) -> Value {
        json!({"root": root, "cameo": format!("{root}0"), "killed": killed, "date": date,
               "location": {"name": admin1, "admin1": admin1, "lat": lat, "lon": lon}})
    }

    #[test]
    fn perfect_extractor() {
        let mut ex = |a: &GoldArticle| {
            let e = match a.id.as_str() {
                "acled-1" => event("19", Some(2), "2020-08-14", "Donetsk Oblast", 48.14, 37.74),
                "acled-2" => event("14", None, "2020-08-15", "Kiev", 50.45, 30.52),
                _ => event("19", Some(2), "2014-08-01", "Luhanska oblast", 48.57, 39.33),
            };
            json!({"events": [e]})
        };
        let out = run(
            Task::Conflict,
            &gold(),
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        for k in ["kind", "admin1", "location_50km", "date"] {
            assert!(approx(f(&out, &["all", k, "accuracy"]), 1.0), "{k}: {out}");
        }
        assert!(approx(f(&out, &["acled", "killed", "accuracy"]), 1.0));
        assert!(approx(f(&out, &["ucdp", "killed_in_range", "accuracy"]), 1.0));
        assert_eq!(out["ucdp_text_ge_40"]["records"], 1);
    }

    #[test]
    fn empty_extractor() {
        let mut ex = |_: &GoldArticle| json!({});
        let out = run(
            Task::Conflict,
            &gold(),
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        // No events: kind "neither" is wrong everywhere, killed right only where gold is 0.
        assert!(approx(f(&out, &["all", "kind", "accuracy"]), 0.0), "{out}");
        assert!(approx(f(&out, &["acled", "killed", "accuracy"]), 0.5));
        assert!(approx(f(&out, &["all", "location_50km", "accuracy"]), 0.0));
        assert_eq!(out["all"]["location_source"]["none"], 3);
    }

    #[test]
    fn partial_extractor() {
        // acled-1: killed 3 (wrong), violent (right), place from an entity 30 km away (right km,
        // admin1 right). acled-2: killed 1 where none (wrong), root 14 (right), no place.
        // ucdp-1: no events (kind wrong), entity in Luhansk.
        let mut ex = |a: &GoldArticle| match a.id.as_str() {
            "acled-1" => json!({"events": [{"root": "19", "killed": 3, "date": "2020-08-13"}],
                "entities": [{"id": "e1", "type": "LOC", "name": "Avdiivka", "mentions": [[42, 50]],
                   "geo": {"admin1": "Donetska oblast", "lat": 48.14, "lon": 38.14, "feature": "PPL"}}]}),
            "acled-2" => json!({"events": [{"root": "14", "killed": 1}]}),
            _ => json!({"entities": [{"id": "e1", "type": "LOC", "name": "Luhansk", "mentions": [[33, 40]],
                   "geo": {"admin1": "Luhansk", "lat": 48.57, "lon": 39.33, "feature": "PPLA"}}]}),
        };
        let out = run(
            Task::Conflict,
            &gold(),
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        assert!(approx(f(&out, &["acled", "killed", "accuracy"]), 0.0), "{out}");
        assert!(approx(f(&out, &["all", "kind", "accuracy"]), 2.0 / 3.0));
        assert!(approx(f(&out, &["all", "admin1", "accuracy"]), 2.0 / 3.0));
        assert!(approx(f(&out, &["all", "location_50km", "accuracy"]), 2.0 / 3.0));
        assert!(approx(f(&out, &["all", "date", "accuracy"]), 0.0));
        assert_eq!(out["all"]["location_source"]["entity"], 2);
    }

    #[test]
    fn country_level_event_location_yields_to_a_finer_place() {
        let rec = json!({
            "events": [{"root": "19", "location": {"entity": "e1", "name": "Ukraine", "admin1": null,
                                                   "lat": 49.0, "lon": 32.0}}],
            "entities": [
                {"id": "e1", "type": "LOC", "name": "Ukraine", "mentions": [[0, 7]],
                 "geo": {"lat": 49.0, "lon": 32.0, "feature": "PCLI"}},
                {"id": "e2", "type": "LOC", "name": "Avdiivka", "mentions": [[20, 28]],
                 "geo": {"lat": 48.14, "lon": 37.74, "feature": "PPL", "admin1": "Donetsk Oblast"}}]});
        let (p, src) = primary_location(&rec, "");
        assert_eq!(src, "entity");
        assert_eq!(p.unwrap().admin1.as_deref(), Some("Donetsk Oblast"));
        let only_country = json!({"events": rec["events"].clone(), "entities": [rec["entities"][0].clone()]});
        assert_eq!(primary_location(&only_country, "").1, "event_country");
    }

    #[test]
    fn admin1_normalisation() {
        assert!(admin1_matches("Donetsk Oblast", "Donetsk"));
        assert!(admin1_matches("Kyiv City", "Kiev Special Republican city"));
        assert!(admin1_matches("Luhanska oblast", "Luhansk oblast"));
        assert!(admin1_matches("Zaporozhye", "Zaporizhzhia Oblast"));
        assert!(!admin1_matches("Kharkiv Oblast", "Donetsk oblast"));
        assert!(!admin1_matches("", "Donetsk"));
    }

    #[test]
    fn smoke_real_gold() {
        let Some(path) = shared("conflict/conflict-events-2014-2021.jsonl") else {
            return;
        };
        let mut ex = |_: &GoldArticle| json!({});
        let out = run(
            Task::Conflict,
            &path,
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        assert_eq!(out["gold_errors"], 0);
        assert!(f(&out, &["acled", "records"]) > 10.0);
        assert!(f(&out, &["ucdp", "records"]) > 1000.0);
    }
}
