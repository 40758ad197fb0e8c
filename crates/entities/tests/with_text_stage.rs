//! The seed article through the real text stage (skips when ../shared is missing).
use chronicle_core::{Document, Stage};
use chronicle_entities::EntityStage;
use chronicle_text::TextStage;

#[test]
fn seed_through_text_stage() {
    let Ok(text) = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seed/peace-talks.txt"
    )) else {
        eprintln!("skipping: seed article not found");
        return;
    };
    let mut d = Document::new("seed", text, None);
    TextStage::new().run(&mut d);
    EntityStage::new().run(&mut d);
    for e in &d.entities {
        let ms: Vec<&str> = e.mentions.iter().map(|m| d.slice(m.span)).collect();
        let code = e.actor.as_ref().and_then(|a| a.code()).unwrap_or_default();
        eprintln!(
            "{:4} {:22} {:8} {:22} {:?}",
            e.kind.as_str(),
            e.name,
            code,
            e.title.clone().unwrap_or_default(),
            ms
        );
    }
    let get = |n: &str| d.entities.iter().find(|e| e.name == n);
    let code = |n: &str| get(n).and_then(|e| e.actor.as_ref()).and_then(|a| a.code());
    assert_eq!(code("Vladimir Putin").as_deref(), Some("RUSGOV"));
    assert_eq!(code("Dmitry Peskov").as_deref(), Some("RUSGOV"));
    assert_eq!(code("Yvette Cooper").as_deref(), Some("GBRGOV"));
    assert!(get("Vladimir Putin").is_some_and(|e| e.mentions.iter().any(|m| d.slice(m.span) == "Putin")));
}
