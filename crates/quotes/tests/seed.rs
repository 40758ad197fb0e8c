//! Sanity checks on the seed article (skipped when ../shared is absent).

mod common;

use chronicle_core::{Document, QuoteKind, Stage};
use chronicle_quotes::QuoteStage;

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seed/peace-talks.txt"
);

#[test]
fn seed_article() {
    let Ok(text) = std::fs::read_to_string(SEED) else {
        eprintln!("skipping: {SEED} not found");
        return;
    };
    let mut d = Document::new("seed", text, None);
    chronicle_text::TextStage::new().run(&mut d);
    if d.tokens.is_empty() {
        d = Document::new("seed", d.text().to_string(), None);
        common::annotate(&mut d);
    }
    chronicle_entities::EntityStage::new().run(&mut d);
    QuoteStage::new().run(&mut d);
    for q in &d.quotes {
        eprintln!(
            "{:?} [{}] speaker={:?} entity={:?} cue={:?}",
            q.kind,
            d.slice(q.span),
            q.speaker_span.map(|s| d.slice(s)),
            q.speaker.and_then(|e| d.entity(e)).map(|e| e.name.as_str()),
            q.cue.map(|s| d.slice(s))
        );
    }
    let by = |needle: &str| d.quotes.iter().find(|q| d.slice(q.span).contains(needle));
    let sp = |needle: &str| {
        by(needle)
            .and_then(|q| q.speaker_span)
            .map(|s| d.slice(s).to_string())
            .unwrap_or_default()
    };
    let ushakov = by("so far, no compromise").map(|q| q.kind);
    assert!(ushakov.is_some());
    assert!(sp("so far, no compromise").contains("Ushakov"));
    let peskov = by("not correct").map(|q| q.kind);
    assert_eq!(peskov, Some(QuoteKind::Mixed));
    assert!(sp("not correct").contains("Peskov"));
    assert_eq!(sp("normal process of finding compromise"), "He");
    assert_eq!(sp("Some things were accepted"), "He");
    let boy = by("The peace talks are less about").map(|q| d.slice(q.span));
    assert!(
        boy.is_some_and(|s| s.ends_with("continue their advance.”")),
        "{boy:?}"
    );
    assert!(sp("The peace talks are less about").contains("Boyechko"));
    assert!(by("shocking").is_none_or(|q| q.kind == QuoteKind::Mixed));
    // Whatever entity owns the mention under a speaker span is the quote's speaker (the
    // entities stage decides whether "He" is Peskov; this stage must pass it on).
    for q in &d.quotes {
        let Some(sp) = q.speaker_span else { continue };
        let owner = d
            .entities
            .iter()
            .find(|e| e.mentions.iter().any(|m| m.span == sp));
        if let Some(e) = owner {
            assert_eq!(q.speaker, Some(e.id), "speaker {:?}", d.slice(sp));
        }
    }
}
