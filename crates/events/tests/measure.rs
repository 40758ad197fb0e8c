//! Full-chain measurement on the dev gold sets (skips when ../shared is absent).
//!
//! Prints, per set, multiset P/R/F1 per sentence as in shared/eval/README.md:
//! PLOVER GSR: (source country+sector, target country, PLOVER type) and PLOVER type alone;
//! PETRARCH unit tests (fictional actors): CAMEO root alone.
//! Run: `cargo test -p chronicle-events --test measure -- --nocapture`.

use chronicle_core::{Document, NaiveDate, Pipeline, Stage};
use chronicle_events::{cameo_info, EventStage};
use std::collections::HashMap;

fn pipeline() -> Option<Pipeline> {
    let stages: Vec<Box<dyn Stage>> = vec![
        Box::new(chronicle_text::TextStage::new()),
        Box::new(chronicle_time::TimexStage::new()),
        Box::new(chronicle_entities::EntityStage::new()),
        Box::new(chronicle_geo::PlaceStage::new()),
        Box::new(chronicle_quotes::QuoteStage::new()),
        Box::new(EventStage::new()),
    ];
    Pipeline::new(stages).ok()
}

#[derive(Default)]
struct Prf {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Prf {
    fn add(&mut self, gold: &[String], pred: &[String]) {
        let mut g: HashMap<&str, i64> = HashMap::new();
        for x in gold {
            *g.entry(x).or_default() += 1;
        }
        let mut tp = 0;
        for x in pred {
            if let Some(c) = g.get_mut(x.as_str()) {
                if *c > 0 {
                    *c -= 1;
                    tp += 1;
                }
            }
        }
        self.tp += tp;
        self.fp += pred.len() - tp;
        self.fn_ += gold.len() - tp;
    }
    fn show(&self, name: &str) -> f64 {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        println!(
            "{name:<40} P {p:.3} R {r:.3} F1 {f:.3}  (tp {} fp {} fn {})",
            self.tp, self.fp, self.fn_
        );
        f
    }
}

fn plover_now(t: &str) -> String {
    match t.trim().to_ascii_uppercase().as_str() {
        "DEMAND" => "REQUEST".into(),
        "DISAPPROVE" | "INVESTIGATE" => "ACCUSE".into(),
        "FIGHT" => "ASSAULT".into(),
        x => x.to_string(),
    }
}

fn key(code: Option<&str>, n: usize) -> String {
    code.unwrap_or("")
        .chars()
        .filter(|c| *c != '*')
        .take(n)
        .collect::<String>()
        .to_ascii_uppercase()
}

fn read(path: &str) -> Option<Vec<serde_json::Value>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect(),
    )
}

fn run(p: &Pipeline, text: &str, date: Option<&str>) -> Document {
    let published = date.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let mut d = Document::new("g", text, published);
    p.run(&mut d);
    d
}

#[test]
fn measure_plover_gsr() {
    let Some(recs) = read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/eval/events/plover-gsr.jsonl"
    )) else {
        eprintln!("skipping: ../shared/eval/events/plover-gsr.jsonl missing");
        return;
    };
    let Some(p) = pipeline() else { return };
    let (mut dyad, mut dyad_c, mut typ) = (Prf::default(), Prf::default(), Prf::default());
    let verbose = std::env::var("EVENTS_VERBOSE").is_ok();
    for r in &recs {
        let text = r["text"].as_str().unwrap_or("");
        let d = run(&p, text, r["date"].as_str());
        let mut g = Vec::new();
        let mut gc = Vec::new();
        let mut gt = Vec::new();
        for e in r["events"].as_array().into_iter().flatten() {
            let t = plover_now(e["code"].as_str().unwrap_or(""));
            let s = key(e["source"].as_str(), 6);
            let tg = key(e["target"].as_str(), 3);
            g.push(format!("{s}|{tg}|{t}"));
            gc.push(format!("{}|{tg}|{t}", key(e["source"].as_str(), 3)));
            gt.push(t);
        }
        let mut pr = Vec::new();
        let mut pc = Vec::new();
        let mut pt = Vec::new();
        for e in &d.events {
            let t = cameo_info(&e.cameo)
                .map(|i| i.plover.to_string())
                .unwrap_or_default();
            let s = key(e.source.as_ref().and_then(|p| p.code.as_deref()), 6);
            let tg = key(e.target.as_ref().and_then(|p| p.code.as_deref()), 3);
            pr.push(format!("{s}|{tg}|{t}"));
            pc.push(format!(
                "{}|{tg}|{t}",
                key(e.source.as_ref().and_then(|p| p.code.as_deref()), 3)
            ));
            pt.push(t);
        }
        if verbose {
            println!("{}\n  gold {g:?}\n  pred {pr:?}", text);
        }
        dyad.add(&g, &pr);
        dyad_c.add(&gc, &pc);
        typ.add(&gt, &pt);
    }
    println!("PLOVER GSR ({} records)", recs.len());
    dyad.show("dyad (src cc+sector, tgt cc, PLOVER type)");
    dyad_c.show("dyad, source country only");
    typ.show("PLOVER type only");
}

/// PETRARCH's fictional validation actors ("Arnor", "Gondor"), read from its test dictionary
/// and tagged by string match: the unit tests judge coding mechanics, not actor recognition.
struct TestActor {
    words: Vec<String>,
    exact_last: bool,
    code: String,
}

fn load_test_actors() -> Option<Vec<TestActor>> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/eval/events/petrarch2-dictionaries/PETR.Validate.actors.txt"
    ))
    .ok()?;
    let mut out = Vec::new();
    let mut last_code: Option<String> = None;
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('<') {
            continue;
        }
        let (phrase, code) = match (line.find('['), line.find(']')) {
            (Some(a), Some(b)) if a < b => (line[..a].trim(), Some(line[a + 1..b].trim().to_string())),
            _ => (line, None),
        };
        let syn = phrase.starts_with('+');
        let phrase = phrase.trim_start_matches('+');
        let code = if syn { last_code.clone() } else { code };
        if !syn {
            last_code = code.clone();
        }
        let Some(code) = code.filter(|c| !c.starts_with("---") && c.len() >= 3) else {
            continue;
        };
        let exact_last = phrase.ends_with('_');
        let words: Vec<String> = phrase
            .trim_end_matches('_')
            .split(['_', ' '])
            .filter(|w| !w.is_empty())
            .map(str::to_uppercase)
            .collect();
        if !words.is_empty() {
            out.push(TestActor {
                words,
                exact_last,
                code: code.to_uppercase(),
            });
        }
    }
    Some(out)
}

fn tag_test_actors(d: &mut Document, actors: &[TestActor]) {
    use chronicle_core::{Actor, Entity, EntityId, EntityType, Mention, MentionKind};
    let words: Vec<(chronicle_core::Span, String)> = d
        .tokens
        .iter()
        .map(|t| (t.span, d.token_text(t).to_uppercase()))
        .collect();
    let mut by_code: HashMap<String, Vec<chronicle_core::Span>> = HashMap::new();
    let mut i = 0;
    while i < words.len() {
        let mut best: Option<(usize, &TestActor)> = None;
        for a in actors {
            let n = a.words.len();
            let ok = (0..n).all(|k| {
                let Some((_, w)) = words.get(i + k) else {
                    return false;
                };
                let want = &a.words[k];
                if k + 1 == n && !a.exact_last {
                    w.starts_with(want.as_str())
                } else {
                    w == want
                }
            });
            if ok && best.is_none_or(|(bn, _)| n > bn) {
                best = Some((n, a));
            }
        }
        match best {
            Some((n, a)) => {
                let span = chronicle_core::Span::new(words[i].0.start, words[i + n - 1].0.end);
                by_code.entry(a.code.clone()).or_default().push(span);
                i += n;
            }
            None => i += 1,
        }
    }
    let mut codes: Vec<_> = by_code.into_iter().collect();
    codes.sort();
    d.entities.clear();
    for (k, (code, spans)) in codes.into_iter().enumerate() {
        let (country, sector) = code.split_at(3.min(code.len()));
        d.entities.push(Entity {
            id: EntityId(k as u32),
            name: code.clone(),
            kind: EntityType::Org,
            actor: Some(Actor {
                country: Some(country.to_string()),
                sector: (!sector.is_empty()).then(|| sector.to_string()),
            }),
            title: None,
            mentions: spans
                .into_iter()
                .map(|span| Mention {
                    span,
                    kind: MentionKind::Name,
                })
                .collect(),
        });
    }
}

#[test]
fn measure_petrarch_roots() {
    let Some(recs) = read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/eval/events/petrarch2-unit-tests.jsonl"
    )) else {
        eprintln!("skipping: ../shared/eval/events/petrarch2-unit-tests.jsonl missing");
        return;
    };
    let Some(actors) = load_test_actors() else {
        eprintln!("skipping: PETR.Validate.actors.txt missing");
        return;
    };
    let text_stage = chronicle_text::TextStage::new();
    let time_stage = chronicle_time::TimexStage::new();
    let ev_stage = EventStage::new();
    let (mut roots, mut dyad) = (Prf::default(), Prf::default());
    let verbose = std::env::var("EVENTS_VERBOSE").is_ok();
    let mut n = 0;
    for r in &recs {
        if r["valid"].as_bool() == Some(false) || r["expect"].as_str() == Some("unspecified") {
            continue;
        }
        n += 1;
        let published = r["date"]
            .as_str()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let mut d = Document::new("p", r["text"].as_str().unwrap_or(""), published);
        text_stage.run(&mut d);
        time_stage.run(&mut d);
        tag_test_actors(&mut d, &actors);
        ev_stage.run(&mut d);
        let mut gold = Vec::new();
        let mut gd = Vec::new();
        for e in r["events"].as_array().into_iter().flatten() {
            let root: String = e["code"].as_str().unwrap_or("").chars().take(2).collect();
            gd.push(format!(
                "{}|{}|{root}",
                key(e["source"].as_str(), 6),
                key(e["target"].as_str(), 3)
            ));
            gold.push(root);
        }
        let pred: Vec<String> = d.events.iter().map(|e| e.root().to_string()).collect();
        let pd: Vec<String> = d
            .events
            .iter()
            .map(|e| {
                format!(
                    "{}|{}|{}",
                    key(e.source.as_ref().and_then(|p| p.code.as_deref()), 6),
                    key(e.target.as_ref().and_then(|p| p.code.as_deref()), 3),
                    e.root()
                )
            })
            .collect();
        if verbose {
            println!(
                "{}\n  gold {gd:?}\n  pred {pd:?}",
                r["text"].as_str().unwrap_or("")
            );
        }
        roots.add(&gold, &pred);
        dyad.add(&gd, &pd);
    }
    println!("PETRARCH unit tests ({n} records; test-dictionary actors, TextStage tokens)");
    roots.show("CAMEO root only");
    dyad.show("dyad (src cc+sector, tgt cc, CAMEO root)");
}

#[test]
fn seed_article_through_the_chain() {
    let Ok(text) = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seed/peace-talks.txt"
    )) else {
        eprintln!("skipping: seed article missing");
        return;
    };
    let Some(p) = pipeline() else { return };
    let d = run(&p, &text, Some("2025-12-03"));
    for e in &d.events {
        println!(
            "{} {:<9} {:<10} {:>12} -> {:<12} {:<12} killed {:?} loc {:?} [{}]",
            e.cameo,
            e.plover,
            e.modality.as_str(),
            e.source.as_ref().and_then(|p| p.code.clone()).unwrap_or_default(),
            e.target.as_ref().and_then(|p| p.code.clone()).unwrap_or_default(),
            d.slice(e.trigger),
            e.killed,
            e.location.and_then(|l| d.entity(l)).map(|x| x.name.clone()),
            e.source.as_ref().map(|p| d.slice(p.span)).unwrap_or(""),
        );
    }
    // Robust facts only: some event is coded, all codes are real, spans slice inside the text.
    assert!(!d.events.is_empty());
    for e in &d.events {
        assert!(cameo_info(&e.cameo).is_some());
        assert!(!d.slice(e.trigger).is_empty());
    }
    let kill = d.events.iter().find(|e| e.killed == Some(2));
    assert!(kill.is_some_and(|e| matches!(e.root(), "18" | "19" | "20")));
}

#[test]
fn throughput_on_bbc() {
    let Some(recs) = read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/bbc_news_2225/bbc_news_2225.jsonl"
    )) else {
        eprintln!("skipping: BBC corpus missing");
        return;
    };
    let stages: Vec<Box<dyn Stage>> = vec![
        Box::new(chronicle_text::TextStage::new()),
        Box::new(chronicle_time::TimexStage::new()),
        Box::new(chronicle_entities::EntityStage::new()),
        Box::new(chronicle_geo::PlaceStage::new()),
        Box::new(chronicle_quotes::QuoteStage::new()),
    ];
    let Ok(pre) = Pipeline::new(stages) else { return };
    let mut docs: Vec<Document> = recs
        .iter()
        .take(400)
        .filter_map(|r| r["text"].as_str())
        .map(|t| {
            let mut d = Document::new("b", t, None);
            pre.run(&mut d);
            d
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text().len()).sum();
    let stage = EventStage::new();
    let t0 = std::time::Instant::now();
    let mut n = 0;
    for d in &mut docs {
        stage.run(d);
        n += d.events.len();
    }
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "EventStage alone: {} docs, {:.2} MB in {:.3}s = {:.1} MB/s, {n} events",
        docs.len(),
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
}

#[test]
fn measure_conflict_kind_and_casualties() {
    let Some(recs) = read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/eval/conflict/conflict-events-2014-2021.jsonl"
    )) else {
        eprintln!("skipping: conflict gold missing");
        return;
    };
    let Some(p) = pipeline() else { return };
    let (mut kind_ok, mut n, mut kind_text_ok, mut n_text) = (0, 0, 0, 0);
    let (mut acled_k_ok, mut acled_k_n, mut acled_zero_ok, mut acled_zero_n) = (0, 0, 0, 0);
    let (mut ucdp_in, mut ucdp_with_count) = (0, 0);
    for r in &recs {
        let d = run(&p, r["text"].as_str().unwrap_or(""), r["published"].as_str());
        let g = &r["gold"];
        let acled = r["dataset"].as_str() == Some("ACLED-Ukraine");
        let gold_kind = if !acled {
            "violent"
        } else {
            match g["event_type"].as_str().unwrap_or("") {
                "Battles" | "Explosions/Remote violence" | "Violence against civilians" => "violent",
                "Protests" | "Riots" => "protest",
                _ => "neither",
            }
        };
        let pred_kind = if d.events.iter().any(|e| matches!(e.root(), "18" | "19" | "20")) {
            "violent"
        } else if d.events.iter().any(|e| e.root() == "14") {
            "protest"
        } else {
            "neither"
        };
        n += 1;
        kind_ok += usize::from(gold_kind == pred_kind);
        if r["text"].as_str().unwrap_or("").split_whitespace().count() >= 4 {
            n_text += 1;
            kind_text_ok += usize::from(gold_kind == pred_kind);
        }
        let killed = d.events.iter().filter_map(|e| e.killed).max();
        if acled {
            let f = g["fatalities"].as_u64().unwrap_or(0);
            if f > 0 {
                acled_k_n += 1;
                acled_k_ok += usize::from(killed == Some(f as u32));
            } else {
                acled_zero_n += 1;
                acled_zero_ok += usize::from(killed.unwrap_or(0) == 0);
            }
        } else if let Some(k) = killed {
            ucdp_with_count += 1;
            let lo = g["deaths_low"].as_u64().unwrap_or(0);
            let hi = g["deaths_high"].as_u64().unwrap_or(u64::MAX);
            ucdp_in += usize::from((lo..=hi).contains(&u64::from(k)));
        }
    }
    println!("Conflict ({n} records)");
    println!(
        "event kind accuracy (violent / protest / neither): {:.3}",
        kind_ok as f64 / n.max(1) as f64
    );
    println!(
        "  on the {n_text} records with >= 4 words (the rest are bare place names): {:.3}",
        kind_text_ok as f64 / n_text.max(1) as f64
    );
    println!(
        "ACLED killed == fatalities: {acled_k_ok}/{acled_k_n}; no count on 0-fatality records: {acled_zero_ok}/{acled_zero_n}"
    );
    println!("UCDP records with a count: {ucdp_with_count}; count within deaths_low..high: {ucdp_in}");
}
