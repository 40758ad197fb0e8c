//! The seed article (the shipped demo fixture) through the default pipeline, with the
//! statistical name finder: issue 3's bar that all 14 people come out with the right
//! country and sector for the publication date, and that every mention of the four leaders
//! lands in one entity each.

use chronicle_core::{Entity, MentionKind};
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

#[test]
fn seed_people_and_leader_mentions() {
    let line = FIXTURE.lines().next().unwrap_or("");
    let article = InputArticle::from_json_line(line, "seed").expect("fixture is valid JSON");
    let text = article.text.clone().unwrap_or_default();
    let engine = Engine::new().expect("default pipeline is consistent");
    let (d, _) = engine.process(article);
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
        ("Mark Rutte", gov("IGO")),
        ("Rustem Umerov", gov("UKR")),
        ("Volodymyr Zelensky", gov("UKR")),
        ("Yuriy Boyechko", (None, Some("NGO"))),
    ];
    let people: Vec<&str> = d
        .entities
        .iter()
        .filter(|e| e.kind == chronicle_core::EntityType::Per)
        .map(|e| e.name.as_str())
        .collect();
    for (name, code) in expect {
        let found: Vec<&Entity> = d.entities.iter().filter(|e| e.name == *name).collect();
        assert_eq!(
            found.len(),
            1,
            "{name}: {} entities among {people:?}",
            found.len()
        );
        assert_eq!(found[0].kind, chronicle_core::EntityType::Per, "{name}");
        assert_eq!(actor(found[0]), *code, "{name}");
    }
    assert_eq!(people.len(), expect.len(), "people found: {people:?}");
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
        assert_eq!(owners.len(), 1, "{surname} split over {} entities", owners.len());
        assert_eq!(owners[0].name, name);
        let named = owners[0]
            .mentions
            .iter()
            .filter(|m| m.kind == MentionKind::Name)
            .count();
        assert_eq!(named, text.matches(surname).count(), "{surname}");
    }
}
