//! Event confidence end to end: force verbs in a sports report are metaphors and are not
//! reported; a literal attack is kept with its confidence; `query events
//! --min-confidence` filters on the stored figure.

mod common;

use common::chronicle;
use serde_json::Value;

/// A BBC-style sports report: the base coder read "beaten" / "beat" as force (CAMEO 18x)
/// between coded countries and players.
const SPORT: &str = r#"{"id": "sport-1", "published": "2005-01-20", "text": "Jurgen Melzer has now beaten Andre Agassi in the second round of the Australian Open, and Wales have beaten France on two of their last three visits to Paris.\n\nMike Ruddock paid tribute to his Wales side after they came from 15-6 down to beat France 24-18 in the Six Nations. The Austrian left-hander won the match in straight sets at Melbourne Park, and the crowd cheered every point of the tournament. Melzer, seeded 30th, will face Lleyton Hewitt in the third round."}"#;

/// A literal attack with a named armed side and casualties.
const WAR: &str = r#"{"id": "war-1", "published": "2005-01-20", "text": "Taliban fighters attacked an Afghan army base near Kandahar on Tuesday, killing 12 soldiers, officials said.\n\nThe militants fired rockets and mortars at the base before dawn. Afghan troops fought back and the fighting lasted several hours, the defence ministry said."}"#;

fn records(input: &str) -> Vec<Value> {
    let out = chronicle(&["extract", "--quiet"], Some(input.as_bytes()));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON record"))
        .collect()
}

fn force(r: &Value) -> Vec<&Value> {
    r["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| matches!(e["root"].as_str(), Some("18" | "19" | "20")))
        .collect()
}

#[test]
fn a_sports_metaphor_is_no_force_event_and_a_literal_attack_is_kept() {
    let recs = records(&format!("{SPORT}\n{WAR}\n"));
    assert_eq!(recs.len(), 2);
    assert!(force(&recs[0]).is_empty(), "sport: {:?}", force(&recs[0]));
    let war = force(&recs[1]);
    assert!(!war.is_empty(), "the attack is kept: {}", recs[1]["events"]);
    for e in &recs[0]["events"].as_array().expect("events")[..] {
        let c = e["confidence"].as_f64().expect("every event has a confidence");
        assert!((0.0..=1.0).contains(&c), "{e}");
    }
    let c = war[0]["confidence"].as_f64().expect("confidence");
    assert!(c >= 0.7, "an armed actor, casualties and weapons: {c}");
}

#[test]
fn query_events_min_confidence_filters_the_stored_figure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let db = db.to_str().expect("utf-8 path");
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, format!("{SPORT}\n{WAR}\n")).expect("write");
    let out = chronicle(&["ingest", "--db", db, input.to_str().expect("path")], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let query = |extra: &[&str]| -> Vec<Value> {
        let mut args = vec!["query", "--db", db, "events", "--format", "jsonl"];
        args.extend_from_slice(extra);
        let out = chronicle(&args, None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON"))
            .collect()
    };
    let all = query(&[]);
    assert!(!all.is_empty());
    let confidences: Vec<f64> = all
        .iter()
        .map(|e| e["confidence"].as_f64().expect("stored confidence"))
        .collect();
    let cut = 0.7;
    let high = query(&["--min-confidence", "0.7"]);
    let expected = confidences.iter().filter(|&&c| c >= cut).count();
    assert_eq!(high.len(), expected, "{confidences:?}");
    assert!(high.len() < all.len() || confidences.iter().all(|&c| c >= cut));
    assert!(high
        .iter()
        .all(|e| e["confidence"].as_f64().is_some_and(|c| c >= cut)));
    assert!(query(&["--min-confidence", "1"]).len() <= high.len());

    let bad = chronicle(&["query", "--db", db, "events", "--min-confidence", "2"], None);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let wrong_kind = chronicle(&["query", "--db", db, "quotes", "--min-confidence", "0.5"], None);
    assert_eq!(wrong_kind.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong_kind.stderr).contains("--min-confidence"));
}
