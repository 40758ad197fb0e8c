//! Events on the PLOVER gold-standard records and the PETRARCH-2 unit tests.
//!
//! Every gold record is one sentence, so "per sentence" is per record: the multiset of the
//! record's predicted events is compared with the gold multiset. Keys:
//! - actor codes: source = country + sector (the first six characters of the CAMEO actor code,
//!   uppercased, `*` placeholders dropped: `SRBCVLalb` -> `SRBCVL`, `PSE***` -> `PSE`; the old
//!   country codes JAP / ITL / VTN read as JPN / ITA / VNM),
//!   target = country (first three characters), null -> empty.
//! - PETRARCH (`expect`/`valid` fields, CAMEO codes): `dyad_root` = (source, target, CAMEO root),
//!   `full_code` = (source, target, full code), `root_only` = roots alone. Records with
//!   `valid: false` test features PETRARCH never implemented and are skipped; `noevents` and
//!   `error:*` records expect nothing to be coded (every prediction is a false positive);
//!   `unspecified` records are skipped. `record_pass` is PETRARCH's own rule: the multiset of
//!   (source, target, code) equals the gold. `cameo_records` repeats `dyad_root` on the records
//!   whose gold codes are all real CAMEO (roots 01-20; the suite also uses test codes like 903).
//! - PLOVER GSR (`plover` field, PLOVER 0.5 type names, no CAMEO): `dyad_plover` =
//!   (source, target, PLOVER type), `plover_only` = types alone. Old names are mapped to the
//!   current ones on both sides (DEMAND -> REQUEST, DISAPPROVE/INVESTIGATE -> ACCUSE,
//!   FIGHT -> ASSAULT).
//!
//! `*_country` variants compare the source's country only (the GSR often codes a whole country,
//! `USA`, where a coder says `USAGOV`).

use serde_json::{json, Map, Value};

use crate::metrics::{multiset_prf, Accuracy, Prf};
use crate::record::{arr, str_of};
use crate::{article_of, extract_record, Extractor, GoldSet};

/// Normalised actor code prefix (see the module doc).
pub(crate) fn actor_key(code: Option<&str>, n: usize) -> String {
    let Some(code) = code else { return String::new() };
    let code = code.trim();
    if code.contains(' ') || code.contains('"') {
        // PETRARCH's quoted "new actor" strings: compared as whole strings.
        return code.to_ascii_uppercase();
    }
    let key = code
        .chars()
        .filter(|c| *c != '*')
        .take(n)
        .collect::<String>()
        .to_ascii_uppercase();
    // Pre-ISO country codes some coders (and the PLOVER GSR) still write.
    let country = match key.get(..3) {
        Some("JAP") => "JPN",
        Some("ITL") => "ITA",
        Some("VTN") => "VNM",
        _ => return key,
    };
    format!("{country}{}", key.get(3..).unwrap_or(""))
}

/// Current PLOVER type for old (0.5/0.6) names.
pub(crate) fn plover_type(t: &str) -> String {
    let t = t.trim().to_ascii_uppercase();
    match t.as_str() {
        "DEMAND" => "REQUEST".into(),
        "DISAPPROVE" | "INVESTIGATE" => "ACCUSE".into(),
        "FIGHT" => "ASSAULT".into(),
        _ => t,
    }
}

fn root_of(code: &str) -> String {
    code.trim().chars().take(2).collect()
}

fn is_cameo_root(root: &str) -> bool {
    root.parse::<u8>().is_ok_and(|r| (1..=20).contains(&r)) && root.len() == 2
}

struct Ev {
    src: String,
    src_country: String,
    tgt: String,
    code: String,
    root: String,
    plover: String,
}

fn pred_events(rec: &Value) -> Vec<Ev> {
    arr(rec, "events")
        .iter()
        .map(|e| {
            let src_code = e.get("source").and_then(|s| str_of(s, "code"));
            let tgt_code = e.get("target").and_then(|s| str_of(s, "code"));
            let code = str_of(e, "cameo").unwrap_or("").trim().to_string();
            let root = match str_of(e, "root") {
                Some(r) if !r.trim().is_empty() => r.trim().to_string(),
                _ => root_of(&code),
            };
            Ev {
                src: actor_key(src_code, 6),
                src_country: actor_key(src_code, 3),
                tgt: actor_key(tgt_code, 3),
                code,
                root,
                plover: e
                    .get("plover")
                    .and_then(|p| str_of(p, "type"))
                    .map(plover_type)
                    .unwrap_or_default(),
            }
        })
        .collect()
}

fn gold_events(rec: &Value, is_plover: bool) -> Vec<Ev> {
    arr(rec, "events")
        .iter()
        .map(|e| {
            let src_code = str_of(e, "source");
            let code = str_of(e, "code").unwrap_or("").trim().to_string();
            Ev {
                src: actor_key(src_code, 6),
                src_country: actor_key(src_code, 3),
                tgt: actor_key(str_of(e, "target"), 3),
                root: if is_plover { String::new() } else { root_of(&code) },
                plover: if is_plover {
                    plover_type(&code)
                } else {
                    String::new()
                },
                code,
            }
        })
        .collect()
}

#[derive(Default)]
struct Counters {
    records: usize,
    events: usize,
    dyad: Prf,
    dyad_country: Prf,
    full: Prf,
    type_only: Prf,
    cameo_records: Prf,
    pass: Accuracy,
    skipped: usize,
    /// PLOVER contexts per record (set of names), on records where something was coded.
    context: Prf,
}

/// The set of PLOVER context names of a record: gold `plover.context` ("military,legal"),
/// predicted the union over events of `plover.context`; plural spellings folded.
fn contexts(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = names
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty())
        .map(|c| match c.as_str() {
            "refugees" => "refugee".to_string(),
            "resources" => "resource".to_string(),
            _ => c,
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

pub(crate) fn score(gold: &GoldSet, ex: &mut dyn Extractor) -> Map<String, Value> {
    let mut pet = Counters::default();
    let mut plo = Counters::default();
    let mut extract_errors = 0;
    let mut unknown = 0;
    for (line, rec) in &gold.records {
        let Some(text) = str_of(rec, "text") else {
            unknown += 1;
            continue;
        };
        let is_petrarch = rec.get("expect").is_some() || rec.get("valid").is_some();
        let is_plover = !is_petrarch && (rec.get("plover").is_some() || looks_plover(rec));
        let c = if is_plover { &mut plo } else { &mut pet };
        if is_petrarch {
            let valid = rec.get("valid").and_then(Value::as_bool).unwrap_or(true);
            let expect = str_of(rec, "expect").unwrap_or("events");
            if !valid || expect == "unspecified" {
                c.skipped += 1;
                continue;
            }
        }
        let article = article_of(*line, rec, text.to_string());
        let out = extract_record(ex, &article, &mut extract_errors);
        let mut g = gold_events(rec, is_plover);
        if is_petrarch && str_of(rec, "expect").unwrap_or("events") != "events" {
            g.clear();
        }
        let p = pred_events(&out);
        c.records += 1;
        c.events += g.len();
        if is_plover {
            let key = |e: &Ev| (e.src.clone(), e.tgt.clone(), e.plover.clone());
            let keyc = |e: &Ev| (e.src_country.clone(), e.tgt.clone(), e.plover.clone());
            c.dyad.add(multiset_prf(
                &p.iter().map(key).collect::<Vec<_>>(),
                &g.iter().map(key).collect::<Vec<_>>(),
            ));
            c.dyad_country.add(multiset_prf(
                &p.iter().map(keyc).collect::<Vec<_>>(),
                &g.iter().map(keyc).collect::<Vec<_>>(),
            ));
            c.type_only.add(multiset_prf(
                &p.iter().map(|e| e.plover.clone()).collect::<Vec<_>>(),
                &g.iter().map(|e| e.plover.clone()).collect::<Vec<_>>(),
            ));
            if !p.is_empty() {
                let gold_ctx = contexts(
                    rec.get("plover")
                        .and_then(|x| x.get("context"))
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .split(',')
                        .map(str::to_string),
                );
                let pred_ctx = contexts(
                    arr(&out, "events")
                        .iter()
                        .flat_map(|e| arr(&e["plover"], "context").iter())
                        .filter_map(|x| x.as_str().map(str::to_string)),
                );
                c.context.add(multiset_prf(&pred_ctx, &gold_ctx));
            }
        } else {
            let key = |e: &Ev| (e.src.clone(), e.tgt.clone(), e.root.clone());
            let keyc = |e: &Ev| (e.src_country.clone(), e.tgt.clone(), e.root.clone());
            let keyf = |e: &Ev| (e.src.clone(), e.tgt.clone(), e.code.clone());
            let pk: Vec<_> = p.iter().map(key).collect();
            let gk: Vec<_> = g.iter().map(key).collect();
            let dy = multiset_prf(&pk, &gk);
            c.dyad.add(dy);
            if g.iter().all(|e| is_cameo_root(&e.root)) {
                c.cameo_records.add(dy);
            }
            c.dyad_country.add(multiset_prf(
                &p.iter().map(keyc).collect::<Vec<_>>(),
                &g.iter().map(keyc).collect::<Vec<_>>(),
            ));
            let pf: Vec<_> = p.iter().map(keyf).collect();
            let gf: Vec<_> = g.iter().map(keyf).collect();
            let full = multiset_prf(&pf, &gf);
            c.full.add(full);
            c.pass.push(full.tp == pf.len() && full.tp == gf.len());
            c.type_only.add(multiset_prf(
                &p.iter().map(|e| e.root.clone()).collect::<Vec<_>>(),
                &g.iter().map(|e| e.root.clone()).collect::<Vec<_>>(),
            ));
        }
    }
    let mut m = Map::new();
    if pet.records + pet.skipped > 0 {
        m.insert(
            "petrarch".into(),
            json!({
                "records": pet.records, "gold_events": pet.events,
                "skipped_not_implemented_or_unspecified": pet.skipped,
                "supports": ["dyad_root", "dyad_root_country", "full_code", "root_only", "record_pass"],
                "dyad_root": pet.dyad.to_json(),
                "dyad_root_country": pet.dyad_country.to_json(),
                "full_code": pet.full.to_json(),
                "root_only": pet.type_only.to_json(),
                "cameo_records": pet.cameo_records.to_json(),
                "record_pass": pet.pass.to_json(),
            }),
        );
    }
    if plo.records > 0 {
        m.insert(
            "plover_gsr".into(),
            json!({
                "records": plo.records, "gold_events": plo.events,
                "supports": ["dyad_plover", "dyad_plover_country", "plover_only"],
                "dyad_plover": plo.dyad.to_json(),
                "dyad_plover_country": plo.dyad_country.to_json(),
                "plover_only": plo.type_only.to_json(),
                "context_on_coded_records": plo.context.to_json(),
            }),
        );
    }
    m.insert("unreadable_records".into(), json!(unknown));
    m.insert("extract_errors".into(), json!(extract_errors));
    m
}

/// A record without `expect`/`valid` whose gold codes are not numeric is PLOVER-coded.
fn looks_plover(rec: &Value) -> bool {
    let codes: Vec<&str> = arr(rec, "events")
        .iter()
        .filter_map(|e| str_of(e, "code"))
        .collect();
    !codes.is_empty()
        && codes
            .iter()
            .all(|c| c.chars().any(|ch| ch.is_ascii_alphabetic()) && c.len() > 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::*;
    use crate::{run, EvalOptions, GoldArticle, Task};

    fn gold() -> std::path::PathBuf {
        gold_file(
            "events",
            &[
                json!({"id": "P1", "date": "2000-01-01", "text": "Hungary and Romania agreed.", "plover": {},
                       "events": [{"source": "HUNGOV", "target": null, "code": "AGREE"},
                                  {"source": "ROUGOV", "target": null, "code": "AGREE"}]})
                .to_string(),
                json!({"id": "P2", "date": "2000-01-01", "text": "Iraq demanded aid from the UN.", "plover": {},
                       "events": [{"source": "IRQ", "target": "IGOUNO", "code": "DEMAND"}]})
                .to_string(),
                json!({"id": "T1", "date": "1995-01-01", "text": "Arnor restored ties with Gondor.", "valid": true,
                       "expect": "events", "events": [{"source": "ARN", "target": "GON", "code": "064"}]})
                .to_string(),
                json!({"id": "T2", "date": "1995-01-01", "text": "Nothing happens here.", "valid": true,
                       "expect": "noevents", "events": []})
                .to_string(),
                json!({"id": "T3", "date": "1995-01-01", "text": "Arnor fxll ties.", "valid": false,
                       "expect": "events", "events": [{"source": "ARN", "target": "GON", "code": "064"}]})
                .to_string(),
                json!({"id": "T4", "date": "1995-01-01", "text": "Arnor tests Gondor.", "valid": true,
                       "expect": "events", "events": [{"source": "ARNGOV", "target": "GON", "code": "903"}]})
                .to_string(),
            ],
        )
    }

    fn ev(src: &str, tgt: Option<&str>, cameo: &str, plover: &str) -> Value {
        json!({"cameo": cameo, "root": &cameo[..2], "plover": {"type": plover, "mode": null},
               "source": {"code": src}, "target": tgt.map(|t| json!({"code": t}))})
    }

    fn perfect(a: &GoldArticle) -> Value {
        let evs = match a.id.as_str() {
            "P1" => vec![
                ev("HUNGOV", None, "030", "AGREE"),
                ev("ROUGOV", None, "030", "AGREE"),
            ],
            "P2" => vec![ev("IRQ", Some("IGOUNO"), "102", "REQUEST")],
            "T1" => vec![ev("ARN", Some("GON"), "064", "COOPERATE")],
            "T4" => vec![ev("ARNGOV", Some("GON"), "903", "")],
            _ => vec![],
        };
        json!({"events": evs})
    }

    #[test]
    fn perfect_extractor() {
        let mut ex = perfect;
        let out = run(
            Task::Events,
            &gold(),
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        assert!(
            approx(f(&out, &["plover_gsr", "dyad_plover", "f1"]), 1.0),
            "{out}"
        );
        assert!(approx(f(&out, &["petrarch", "dyad_root", "f1"]), 1.0));
        assert!(approx(f(&out, &["petrarch", "full_code", "f1"]), 1.0));
        assert!(approx(f(&out, &["petrarch", "record_pass", "accuracy"]), 1.0));
        assert_eq!(out["petrarch"]["records"], 3);
        assert_eq!(out["petrarch"]["skipped_not_implemented_or_unspecified"], 1);
        assert_eq!(out["petrarch"]["cameo_records"]["gold"], 1);
    }

    #[test]
    fn empty_extractor() {
        let mut ex = |_: &GoldArticle| json!({});
        let out = run(
            Task::Events,
            &gold(),
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        assert!(approx(f(&out, &["plover_gsr", "dyad_plover", "recall"]), 0.0));
        assert_eq!(out["plover_gsr"]["dyad_plover"]["gold"], 3);
        // The noevents record passes with nothing coded: 1 of 3 records.
        assert!(approx(
            f(&out, &["petrarch", "record_pass", "accuracy"]),
            1.0 / 3.0
        ));
    }

    #[test]
    fn partial_extractor() {
        // P1: ROUGOV missing; P2: source coded IRQGOV (country-only right), target right.
        // T1: right root, wrong full code (061); T2: one spurious event; T4: missing.
        let mut ex = |a: &GoldArticle| {
            let evs = match a.id.as_str() {
                "P1" => vec![ev("HUNGOV", None, "030", "AGREE")],
                "P2" => vec![ev("IRQGOV", Some("IGO"), "100", "DEMAND")],
                "T1" => vec![ev("ARN", Some("GON"), "061", "COOPERATE")],
                "T2" => vec![ev("ARN", None, "010", "")],
                _ => vec![],
            };
            json!({"events": evs})
        };
        let out = run(
            Task::Events,
            &gold(),
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        // PLOVER dyad: tp 1 (HUNGOV), pred 2, gold 3.
        assert!(
            approx(f(&out, &["plover_gsr", "dyad_plover", "precision"]), 0.5),
            "{out}"
        );
        assert!(approx(
            f(&out, &["plover_gsr", "dyad_plover", "recall"]),
            1.0 / 3.0
        ));
        assert!(approx(
            f(&out, &["plover_gsr", "dyad_plover_country", "recall"]),
            2.0 / 3.0
        ));
        assert!(approx(f(&out, &["plover_gsr", "plover_only", "f1"]), 0.8));
        // PETRARCH dyad+root: tp 1, pred 2, gold 2; full code tp 0.
        assert!(approx(f(&out, &["petrarch", "dyad_root", "f1"]), 0.5));
        assert!(approx(f(&out, &["petrarch", "full_code", "f1"]), 0.0));
        assert!(approx(f(&out, &["petrarch", "record_pass", "accuracy"]), 0.0));
    }

    #[test]
    fn actor_keys() {
        assert_eq!(actor_key(Some("SRBCVLalb"), 6), "SRBCVL");
        assert_eq!(actor_key(Some("PSE***"), 6), "PSE");
        assert_eq!(actor_key(Some("IGOUNO"), 3), "IGO");
        assert_eq!(actor_key(None, 3), "");
        assert_eq!(plover_type("fight"), "ASSAULT");
        assert_eq!(actor_key(Some("JAPGOV"), 6), "JPNGOV");
        assert_eq!(actor_key(Some("ITL"), 3), "ITA");
    }

    #[test]
    fn smoke_real_gold() {
        for file in ["events/plover-gsr.jsonl", "events/petrarch2-unit-tests.jsonl"] {
            let Some(path) = shared(file) else { return };
            let mut ex = |_: &GoldArticle| json!({});
            let out = run(
                Task::Events,
                &path,
                &mut ex,
                &mut no_html,
                &EvalOptions::default(),
            )
            .unwrap();
            assert_eq!(out["gold_errors"], 0);
            assert_eq!(out["unreadable_records"], 0);
            let key = if file.contains("plover") {
                "plover_gsr"
            } else {
                "petrarch"
            };
            assert!(out.get(key).is_some(), "{out}");
        }
    }
}
