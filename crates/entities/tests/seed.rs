//! Key actors of the seed article (skips when ../shared is missing).
mod common;

use chronicle_core::{Document, Entity, EntityType, Stage};
use chronicle_entities::EntityStage;
use chronicle_gazetteer::Gazetteer;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seed/peace-talks.txt"
);

fn find<'a>(d: &'a Document, name: &str) -> &'a Entity {
    match d.entities.iter().find(|e| e.name == name) {
        Some(e) => e,
        None => panic!(
            "no entity {name:?}; have {:?}",
            d.entities.iter().map(|e| &e.name).collect::<Vec<_>>()
        ),
    }
}

fn code(e: &Entity) -> String {
    e.actor.as_ref().and_then(|a| a.code()).unwrap_or_default()
}

#[test]
fn seed_article_actors() {
    let Ok(text) = std::fs::read_to_string(PATH) else {
        eprintln!("skipping: {PATH} not found");
        return;
    };
    let mut d = common::doc(&text);
    EntityStage::new().run(&mut d);
    for e in &d.entities {
        let ms: Vec<&str> = e.mentions.iter().map(|m| d.slice(m.span)).collect();
        eprintln!(
            "{:3} {:4} {:22} {:8} {:28} {:?}",
            e.id.0,
            e.kind.as_str(),
            e.name,
            code(e),
            e.title.clone().unwrap_or_default(),
            ms
        );
    }
    let putin = find(&d, "Vladimir Putin");
    assert_eq!(putin.kind, EntityType::Per);
    assert_eq!(code(putin), "RUSGOV");
    let pm: Vec<&str> = putin.mentions.iter().map(|m| d.slice(m.span)).collect();
    assert!(
        pm.contains(&"Putin") && pm.contains(&"the Russian leader"),
        "{pm:?}"
    );
    let peskov = find(&d, "Dmitry Peskov");
    assert_eq!(peskov.title.as_deref(), Some("Kremlin spokesman"));
    assert_eq!(code(peskov), "RUSGOV");
    let ushakov = find(&d, "Yuri Ushakov");
    assert_eq!(code(ushakov), "RUSGOV");
    assert_eq!(ushakov.title.as_deref(), Some("presidential adviser"));
    assert!(ushakov.mentions.iter().any(|m| d.slice(m.span) == "Ushakov"));
    assert_eq!(code(find(&d, "Yvette Cooper")), "GBRGOV");
    assert_eq!(
        find(&d, "Yvette Cooper").title.as_deref(),
        Some("Foreign Secretary")
    );
    assert_eq!(code(find(&d, "Donald Trump")), "USAGOV");
    assert!(find(&d, "Donald Trump").mentions.len() >= 3);
    let rutte = find(&d, "Mark Rutte");
    assert_eq!(
        rutte.actor.as_ref().and_then(|a| a.country.as_deref()),
        Some("IGO")
    );
    assert_eq!(find(&d, "Yuriy Boyechko").title.as_deref(), Some("CEO"));
    for p in ["Kremlin", "Moscow", "Kyiv", "Brussels", "Miami"] {
        assert_eq!(find(&d, p).kind, EntityType::Loc, "{p}");
    }
    if Gazetteer::global().country("UKR").is_none() {
        eprintln!("gazetteer empty: skipping demonym/country assertions");
        return;
    }
    assert_eq!(code(find(&d, "Andrii Sybiha")), "UKRGOV");
    assert_eq!(code(find(&d, "Margus Tsahkna")), "ESTGOV");
    assert_eq!(
        find(&d, "Elina Valtonen")
            .actor
            .as_ref()
            .and_then(|a| a.country.as_deref()),
        Some("FIN")
    );
    assert_eq!(
        find(&d, "Rustem Umerov")
            .actor
            .as_ref()
            .and_then(|a| a.country.as_deref()),
        Some("UKR")
    );
    assert_eq!(code(find(&d, "Volodymyr Zelensky")), "UKRGOV");
    assert_eq!(code(find(&d, "Moscow")), "RUSGOV");
    assert_eq!(code(find(&d, "Russia")), "RUS");
    for p in ["Luhansk", "Donetsk", "Zaporizhzhia", "Kherson", "Ukraine"] {
        assert_eq!(find(&d, p).kind, EntityType::Loc, "{p}");
    }
}
