//! Dated actor coding through the real text and time stages: the article date picks the role
//! a bare leader had, a titled one keeps the text's title, a former title drops the sector.
//! (The seed's 14 people are checked with both name finders in
//! `crates/pipeline/tests/seed_people.rs`.)
use chronicle_core::{Document, Entity, NaiveDate, Stage};
use chronicle_entities::EntityStage;
use chronicle_text::TextStage;
use chronicle_time::TimexStage;

fn run(text: &str, published: Option<NaiveDate>) -> Document {
    let mut d = Document::new("seed", text, published);
    TextStage::new().run(&mut d);
    TimexStage::new().run(&mut d);
    EntityStage::new().run(&mut d);
    d
}

/// (country, sector) as the entity carries them.
type Code<'a> = (Option<&'a str>, Option<&'a str>);

type Owned = Option<(Option<String>, Option<String>)>;

/// Country and sector of the entity named `n`, owned (None when there is no such entity).
fn code(d: &Document, n: &str) -> Owned {
    let e = d.entities.iter().find(|e| e.name == n)?;
    let (c, s) = actor(e);
    Some((c.map(String::from), s.map(String::from)))
}

fn actor(e: &Entity) -> Code<'_> {
    match &e.actor {
        Some(a) => (a.country.as_deref(), a.sector.as_deref()),
        None => (None, None),
    }
}

#[test]
fn the_date_changes_a_bare_leader_but_not_a_titled_one() {
    let text = "Trump spoke to reporters on Monday. Foreign Minister Elina Valtonen said Trump was wrong.";
    let y2018 = run(text, NaiveDate::from_ymd_opt(2018, 6, 1));
    let y2022 = run(text, NaiveDate::from_ymd_opt(2022, 6, 1));
    let undated = run(text, None);
    let usa = |s: Option<&str>| Some((Some("USA".to_string()), s.map(String::from)));
    assert_eq!((code(&y2018, "Trump")), usa(Some("GOV")));
    assert_eq!((code(&y2022, "Trump")), usa(None));
    assert_eq!((code(&undated, "Trump")), usa(Some("GOV")));
    // Not yet foreign minister in 2018, but the title in the text wins.
    let v = code(&y2018, "Elina Valtonen").and_then(|(_, s)| s);
    assert_eq!(v.as_deref(), Some("GOV"));
}

#[test]
fn former_title_drops_the_sector() {
    let d = run(
        "Former Prime Minister Boris Johnson visited Kyiv. Johnson met soldiers.",
        NaiveDate::from_ymd_opt(2024, 3, 1),
    );
    let e = d.entities.iter().find(|e| e.name == "Boris Johnson");
    let e = e.unwrap_or_else(|| panic!("{:?}", d.entities.iter().map(|e| &e.name).collect::<Vec<_>>()));
    assert_eq!(actor(e), (Some("GBR"), None));
    let d = run("Boris Johnson visited Kyiv.", NaiveDate::from_ymd_opt(2022, 4, 9));
    let e = d.entities.iter().find(|e| e.name == "Boris Johnson").map(actor);
    assert_eq!(e, Some((Some("GBR"), Some("GOV"))));
}

#[test]
fn institutional_metonyms_are_one_government_entity() {
    let text = "The Kremlin rejected the plan. Officials at the White House said the Kremlin was \
                stalling, and Downing Street agreed. Later the White House and Downing Street \
                issued a joint statement, the Kremlin's spokesman said.";
    let d = run(text, NaiveDate::from_ymd_opt(2025, 12, 3));
    for (name, country, n) in [
        ("Kremlin", "RUS", 3),
        ("White House", "USA", 2),
        ("Downing Street", "GBR", 2),
    ] {
        let found: Vec<&Entity> = d.entities.iter().filter(|e| e.name == name).collect();
        assert_eq!(found.len(), 1, "{name}");
        assert_eq!(actor(found[0]), (Some(country), Some("GOV")), "{name}");
        let spans: Vec<&str> = found[0].mentions.iter().map(|m| d.slice(m.span)).collect();
        assert_eq!(spans, vec![name; n], "{name}");
    }
}
