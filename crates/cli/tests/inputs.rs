//! Inputs the binary must read without losing articles: gzipped single pages, a bad
//! `published` value (costs the field, not the article), articles in languages the stages
//! cannot read (reported without layers, counted), and actor lists grouped by code.

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

fn chronicle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn records(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a record"))
        .collect()
}

fn gzip(path: &Path, bytes: &[u8]) {
    let f = std::fs::File::create(path).unwrap();
    let mut enc = flate2::write::GzEncoder::new(f, flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap();
}

const PAGE: &str = "<html><head><title>Talks resume</title>\
    <meta property=\"article:published_time\" content=\"2025-12-03T09:00:00Z\"></head><body>\
    <article><h1>Talks resume</h1><p>Russian President Vladimir Putin met the Finnish \
    foreign minister in Moscow on Tuesday to discuss the border crossings, which have been \
    closed for two years.</p><p>The minister said the talks were useful but that no date \
    had been set for reopening the crossings.</p></article></body></html>";

#[test]
fn gzipped_pages_and_texts_are_read_like_their_plain_forms() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("page.html.gz");
    let htm = dir.path().join("page2.HTM.gz");
    let txt = dir.path().join("note.txt.gz");
    gzip(&html, PAGE.as_bytes());
    gzip(&htm, PAGE.as_bytes());
    gzip(
        &txt,
        b"Ukraine's foreign minister met his Polish counterpart in Warsaw on Monday.",
    );
    let out = chronicle(&[
        "extract",
        html.to_str().unwrap(),
        htm.to_str().unwrap(),
        txt.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(&out);
    assert_eq!(recs.len(), 3);
    for r in &recs[..2] {
        assert!(r["text"].as_str().unwrap().contains("border crossings"), "{r}");
        assert!(
            !r["text"].as_str().unwrap().contains("<p>"),
            "the page was extracted: {r}"
        );
        assert_eq!(r["published"], "2025-12-03", "dated from the page");
    }
    assert!(recs[2]["text"]
        .as_str()
        .unwrap()
        .starts_with("Ukraine's foreign minister"));

    // A file that only claims to be gzip is rejected by name, not read as binary text.
    let fake = dir.path().join("fake.html.gz");
    std::fs::write(&fake, b"<html>not compressed</html>").unwrap();
    let out = chronicle(&["extract", fake.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fake.html.gz") && err.contains("gzip"), "{err}");
}

#[test]
fn a_bad_published_value_costs_the_field_not_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let jl = dir.path().join("in.jsonl");
    let page = serde_json::json!({"id": "p1", "html": PAGE, "published": "last Tuesday"});
    let text = serde_json::json!({"id": "t1", "text": "Putin met Xi in Moscow on Tuesday.",
        "published": "03/12/2025"});
    let good = serde_json::json!({"id": "g1", "text": "Putin met Xi on Tuesday.",
        "published": "2025-12-03"});
    std::fs::write(&jl, format!("{page}\n{text}\n{good}\n")).unwrap();
    let out = chronicle(&["extract", jl.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let recs = records(&out);
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["p1", "t1", "g1"]);
    // The page dates itself; plain text with a bad date stays undated (its relative dates
    // unresolved), never dated from the clock.
    assert_eq!(recs[0]["published"], "2025-12-03", "dated from the page");
    assert_eq!(recs[1]["published"], Value::Null);
    let tuesday = recs[1]["timexes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["text"] == "Tuesday");
    assert_eq!(tuesday.map(|t| &t["value"]), Some(&Value::Null), "{}", recs[1]);
    assert_eq!(recs[2]["published"], "2025-12-03");
    for needle in [
        "in.jsonl:1: `published` ignored, not YYYY-MM-DD or RFC 3339: \"last Tuesday\"",
        "in.jsonl:2: `published` ignored, not YYYY-MM-DD or RFC 3339: \"03/12/2025\"",
        "3 article(s) extracted, 0 input(s) rejected",
        "warned 2x: `published` ignored, not YYYY-MM-DD or RFC 3339\n",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
}

// Written for this test, not taken from any source.
const SPANISH: &str = "El gobierno regional anunció el martes un nuevo plan para reparar las \
    carreteras dañadas por las lluvias del invierno. Según el consejero de obras públicas, \
    Juan Pérez, las obras empezarán en abril en Madrid y durarán casi un año, aunque los \
    alcaldes de varios pueblos del norte piden que se dé prioridad a los puentes cerrados.";
const ENGLISH: &str = "The regional government announced on Tuesday a new plan to repair the \
    roads damaged by the winter rains. According to the public works minister, John Perry, \
    the work will begin in April in Manchester and last almost a year, although the mayors \
    of several northern towns want priority given to the bridges that remain closed.";

#[test]
fn articles_in_other_languages_are_reported_without_layers_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let jl = dir.path().join("langs.jsonl");
    let lines = [
        serde_json::json!({"id": "es", "text": SPANISH, "published": "2025-12-03"}),
        serde_json::json!({"id": "en", "text": ENGLISH, "published": "2025-12-03"}),
        serde_json::json!({"id": "short", "text": "Putin meets Trump in Helsinki"}),
    ];
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&jl, body).unwrap();
    let out = chronicle(&["extract", jl.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let recs = records(&out);
    assert_eq!(recs.len(), 3, "nothing is dropped");
    let (es, en, short) = (&recs[0], &recs[1], &recs[2]);
    assert_eq!(
        (&es["language"], &es["skipped"]),
        (&Value::from("es"), &Value::from("language es"))
    );
    assert_eq!(es["text"].as_str(), Some(SPANISH), "the text is kept whole");
    assert!(es["entities"].as_array().unwrap().is_empty() && es["events"].as_array().unwrap().is_empty());
    assert!(es["diagnostics"].to_string().contains("only English"), "{es}");
    assert_eq!(
        (&en["language"], &en["skipped"]),
        (&Value::from("en"), &Value::Null)
    );
    assert!(!en["entities"].as_array().unwrap().is_empty(), "{en}");
    // Too short to judge: processed as English, language unknown.
    assert_eq!(
        (&short["language"], &short["skipped"]),
        (&Value::Null, &Value::Null)
    );
    assert!(!short["entities"].as_array().unwrap().is_empty(), "{short}");
    assert!(
        err.contains("skipped 1x (reported without layers): language es"),
        "{err}"
    );
}

#[test]
fn actors_are_listed_once_per_code_with_a_readable_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let db = db.to_str().unwrap();
    let jl = dir.path().join("ru.jsonl");
    let text = "Russia said on Monday it would expel two diplomats. Russian officials said \
        Moscow had evidence of spying. The Kremlin declined to comment. Russia has expelled \
        diplomats before, and Russian President Vladimir Putin said he would respond.";
    std::fs::write(
        &jl,
        format!(
            "{}\n",
            serde_json::json!({"id": "r1", "text": text, "published": "2025-12-03"})
        ),
    )
    .unwrap();
    let out = chronicle(&["ingest", "--db", db, jl.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = chronicle(&["query", "--db", db, "actors", "--format", "jsonl"]);
    let rows = records(&out);
    let codes: Vec<&str> = rows.iter().filter_map(|r| r["code"].as_str()).collect();
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(codes.len(), unique.len(), "one row per code: {rows:?}");
    let row = |code: &str| rows.iter().find(|r| r["code"] == code).cloned();
    let rus = row("RUS").expect("Russia is an actor");
    assert_eq!(rus["name"], "Russia");
    let gov = row("RUSGOV").expect("the Russian government is an actor");
    assert_eq!(gov["name"], "Russia (government)");
    let names = gov["names"].to_string();
    assert!(names.contains("Moscow") && names.contains("Kremlin"), "{gov}");
    // A search by one of the names finds the code's row.
    let out = chronicle(&[
        "query", "--db", db, "actors", "--actor", "Kremlin", "--format", "jsonl",
    ]);
    let found = records(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "RUSGOV");
}
