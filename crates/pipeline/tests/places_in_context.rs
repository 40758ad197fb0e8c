//! Unfamiliar place names through the whole default pipeline: the tagger guesses on names it
//! never saw ("Shyrokyne" as a person), and the sentence and the gazetteer's second tier set
//! them right (issue 6: conflict news happens in villages).

use chronicle_core::{Document, EntityType};
use chronicle_pipeline::Engine;
use chronicle_record::InputArticle;

fn run(text: &str) -> Document {
    let line = serde_json::json!({"id": "t", "text": text, "published": "2018-05-07"}).to_string();
    let mut article = InputArticle::from_json_line(&line, "test").expect("valid JSON");
    let engine = Engine::new().expect("default pipeline");
    engine.document(&mut article)
}

/// The resolved place of the entity named `name`.
fn place<'d>(d: &'d Document, name: &str) -> Option<&'d chronicle_core::Place> {
    let i = d.entities.iter().position(|e| e.name == name)?;
    d.place_of(chronicle_core::EntityId(i as u32))
}

/// (type, admin1 of the resolved place) of the entity named `name`.
fn place_of<'d>(d: &'d Document, name: &str) -> Option<(EntityType, Option<&'d str>)> {
    let e = d.entities.iter().find(|e| e.name == name)?;
    Some((e.kind, place(d, name).and_then(|p| p.admin1.as_deref())))
}

#[test]
fn a_line_that_is_only_a_village_name_is_that_village() {
    let d = run("Shyrokyne");
    assert_eq!(
        place_of(&d, "Shyrokyne"),
        Some((EntityType::Loc, Some("Donetsk Oblast")))
    );
}

#[test]
fn places_after_near_and_in_lists_are_places() {
    let d = run("Rebels fired upon Ukrainian positions near Avdiivka, Marinka and Shyrokyne.");
    for name in ["Avdiivka", "Marinka", "Shyrokyne"] {
        assert_eq!(
            place_of(&d, name).map(|p| p.1),
            Some(Some("Donetsk Oblast")),
            "{name}: {:?}",
            d.entities.iter().map(|e| (&e.name, e.kind)).collect::<Vec<_>>()
        );
    }
    let ev = d.events.first().expect("an attack");
    assert_eq!(ev.location_precision, Some("near town"));
}

#[test]
fn an_airport_locates_at_its_town() {
    let d = run("Fighting continued at Donetsk Airport.");
    assert_eq!(
        place_of(&d, "Donetsk Airport"),
        Some((EntityType::Loc, Some("Donetsk Oblast")))
    );
}

#[test]
fn people_stay_people() {
    let d = run("He met Clinton in Washington.");
    assert_eq!(place_of(&d, "Clinton").map(|p| p.0), Some(EntityType::Per));
}

#[test]
fn a_county_in_the_gazetteer_is_a_place() {
    let d = run("Deputies from Laurel County arrested two men on Friday.");
    let (kind, _) = place_of(&d, "Laurel County").expect("an entity");
    assert_eq!(kind, EntityType::Loc);
    let p = place(&d, "Laurel County").expect("resolved");
    assert_eq!(p.country.as_deref(), Some("USA"));
}

#[test]
fn names_listed_after_regions_are_the_regions() {
    let d =
        run("Russia demands the four regions—Luhansk, Donetsk, Zaporizhzhia, and Kherson—which it annexed.");
    for name in ["Luhansk", "Donetsk", "Zaporizhzhia", "Kherson"] {
        let p = place(&d, name).expect(name);
        assert_eq!(p.feature, "ADM1", "{name}: {p:?}");
    }
    // Without the list noun the city keeps its prior.
    let d = run("Shelling hit Donetsk on Monday.");
    let p = place(&d, "Donetsk").expect("Donetsk resolved");
    assert!(p.feature.starts_with("PPL"), "{p:?}");
}
