//! The seed article (the shipped demo fixture), with each name finder (the statistical
//! tagger of the default pipeline, and the rule finder it falls back to): issue 3's bar that
//! all 14 people come out with the right country and sector for the publication date, every
//! name mention of the four leaders lands in one entity each, and "the Kremlin" is one
//! Russian-government entity.

use chronicle_core::{Document, Entity, EntityType, MentionKind, Stage};
use chronicle_entities::EntityStage;
use chronicle_pipeline::Engine;
use chronicle_record::InputArticle;

const FIXTURE: &str = include_str!("../../cli/fixtures/seed-peace-talks.jsonl");

/// (country, sector) of an entity's actor code.
type Code<'a> = (Option<&'a str>, Option<&'a str>);

fn actor(e: &Entity) -> Code<'_> {
    match &e.actor {
        Some(a) => (a.country.as_deref(), a.sector.as_deref()),
        None => (None, None),
    }
}

fn seed() -> InputArticle {
    let line = FIXTURE.lines().next().unwrap_or("");
    InputArticle::from_json_line(line, "seed").expect("fixture is valid JSON")
}

/// The seed through the whole default pipeline (statistical name finder).
fn with_model() -> Document {
    Engine::new()
        .expect("default pipeline is consistent")
        .process(seed())
        .0
}

/// The seed through text, time and the rule-based entity stage.
fn with_rules() -> Document {
    let mut article = seed();
    let mut d = Engine::new().expect("pipeline").document(&mut article);
    chronicle_text::TextStage::new().run(&mut d);
    chronicle_time::TimexStage::new().run(&mut d);
    EntityStage::new().run(&mut d);
    d
}

fn check(label: &str, d: &Document) {
    let text = d.text();
    let gov = |c: &'static str| (Some(c), Some("GOV"));
    let expect: &[(&str, Code)] = &[
        ("Vladimir Putin", gov("RUS")),
        ("Donald Trump", gov("USA")),
        ("Steve Witkoff", gov("USA")),
        ("Jared Kushner", gov("USA")),
        ("Yuri Ushakov", gov("RUS")),
        ("Dmitry Peskov", gov("RUS")),
        ("Yvette Cooper", gov("GBR")),
        ("Andrii Sybiha", gov("UKR")),
        ("Margus Tsahkna", gov("EST")),
        ("Elina Valtonen", gov("FIN")),
        // NATO's Secretary-General: an IGO official, coded GOV like other office-holders.
        ("Mark Rutte", gov("IGO")),
        ("Rustem Umerov", gov("UKR")),
        ("Volodymyr Zelensky", gov("UKR")),
        // Heads a think tank (NGO) the text gives no country for.
        ("Yuriy Boyechko", (None, Some("NGO"))),
    ];
    let people: Vec<&str> = d
        .entities
        .iter()
        .filter(|e| e.kind == EntityType::Per)
        .map(|e| e.name.as_str())
        .collect();
    for (name, code) in expect {
        let found: Vec<&Entity> = d.entities.iter().filter(|e| e.name == *name).collect();
        assert_eq!(
            found.len(),
            1,
            "{label}: {name}: {} entities among {people:?}",
            found.len()
        );
        assert_eq!(found[0].kind, EntityType::Per, "{label}: {name}");
        assert_eq!(actor(found[0]), *code, "{label}: {name}");
    }
    assert_eq!(people.len(), expect.len(), "{label}: people found: {people:?}");
    for (name, surname) in [
        ("Vladimir Putin", "Putin"),
        ("Donald Trump", "Trump"),
        ("Dmitry Peskov", "Peskov"),
        ("Volodymyr Zelensky", "Zelensky"),
    ] {
        let owners: Vec<&Entity> = d
            .entities
            .iter()
            .filter(|e| {
                e.mentions
                    .iter()
                    .any(|m| m.kind == MentionKind::Name && d.slice(m.span).contains(surname))
            })
            .collect();
        assert_eq!(
            owners.len(),
            1,
            "{label}: {surname} split over {} entities",
            owners.len()
        );
        assert_eq!(owners[0].name, name, "{label}");
        let named = owners[0]
            .mentions
            .iter()
            .filter(|m| m.kind == MentionKind::Name)
            .count();
        assert_eq!(named, text.matches(surname).count(), "{label}: {surname}");
    }
    let kremlin: Vec<&Entity> = d.entities.iter().filter(|e| e.name == "Kremlin").collect();
    assert_eq!(kremlin.len(), 1, "{label}");
    assert_eq!(actor(kremlin[0]), gov("RUS"), "{label}");
    assert_eq!(
        kremlin[0].mentions.len(),
        text.matches("Kremlin").count(),
        "{label}"
    );
}

#[test]
fn seed_people_with_the_statistical_finder() {
    check("ner", &with_model());
}

#[test]
fn seed_people_with_the_rule_finder() {
    check("rules", &with_rules());
}
