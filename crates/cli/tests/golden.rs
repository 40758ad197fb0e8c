//! Golden tests: whole-pipeline output rendered for a person and compared with reviewed
//! snapshots (`tests/snapshots/`). After a deliberate change, refresh with
//! `INSTA_UPDATE=always cargo test -p chronicle-cli --test golden` and review the diff
//! (`git diff crates/cli/tests/snapshots`) before committing: a snapshot is a claim that
//! the output is right, not merely what the code does today.

use chronicle_cli::render;
use chronicle_pipeline::Engine;
use chronicle_record::{InputArticle, Record};
use std::path::Path;

fn process(line: &str) -> Record {
    let a = InputArticle::from_json_line(line, "golden").expect("fixture is valid");
    Engine::new().expect("pipeline").process(a).1
}

#[test]
fn seed_article_marked() {
    let rec = process(include_str!("../fixtures/seed-peace-talks.jsonl").trim());
    insta::assert_snapshot!("seed_marked", render::marked(&rec));
}

/// Real articles from the shared corpora. Their text is research-only, so the snapshots
/// hold annotations (offsets, names, dates, codes), never sentences.
#[test]
fn corpus_articles_annotations() {
    let corpora = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora");
    let picks = [
        (
            "ukraine_war_press_releases_2021_2022/ukraine_war_press_releases.jsonl",
            "putin-68590",
        ),
        (
            "ukraine_war_press_releases_2021_2022/ukraine_war_press_releases.jsonl",
            "putin-68696",
        ),
        ("bbc_news_2225/bbc_news_2225.jsonl", "bbc-business-041"),
        ("reuters21578/reuters21578.jsonl", "reuters21578-4"),
    ];
    if !corpora.exists() {
        eprintln!(
            "skipped: {} is absent (corpus golden tests need ../shared)",
            corpora.display()
        );
        return;
    }
    for (file, id) in picks {
        let path = corpora.join(file);
        let Ok(body) = std::fs::read_to_string(&path) else {
            eprintln!("skipped: cannot read {}", path.display());
            continue;
        };
        let needle = format!("\"id\": \"{id}\"");
        let Some(line) = body.lines().find(|l| l.contains(&needle)) else {
            panic!("{id} not found in {}", path.display());
        };
        let rec = process(line);
        insta::assert_snapshot!(format!("corpus_{id}"), render::annotations(&rec));
    }
}
