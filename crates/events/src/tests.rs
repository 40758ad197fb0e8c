//! Unit tests over hand-built documents: a tiny tokenizer and hand-made entities, so they do
//! not depend on the quality of the other stages.

use super::*;
use crate::casualties::acled_split;
use chronicle_core::{
    Actor, DateBasis, Entity, EntityId, EntityType, Event, Mention, MentionKind, Modality, NaiveDate, Place,
    QuoteMark, Sentence, Span, Timex, TimexType, Token, TokenKind,
};

/// Splits into paragraphs (newline), sentences (". " / "? " / "! "), and word / number /
/// punctuation tokens; good enough for test sentences.
fn tokenize(doc: &mut Document) {
    let text = doc.text().to_string();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut toks: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let kind = if c.is_alphabetic() {
            while i < chars.len()
                && (chars[i].1.is_alphanumeric()
                    || (matches!(chars[i].1, '\'' | '’' | '-')
                        && i + 1 < chars.len()
                        && chars[i + 1].1.is_alphabetic()
                        && !(chars[i + 1].1 == 's'
                            && (i + 2 >= chars.len() || !chars[i + 2].1.is_alphabetic()))))
            {
                i += 1;
            }
            TokenKind::Word
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].1.is_ascii_digit() || chars[i].1 == ',') {
                i += 1;
            }
            TokenKind::Number
        } else if (c == '\'' || c == '’') && i + 1 < chars.len() && chars[i + 1].1 == 's' {
            i += 2;
            TokenKind::Word
        } else {
            i += 1;
            match c {
                '“' => TokenKind::Quote(QuoteMark::Open),
                '”' => TokenKind::Quote(QuoteMark::Close),
                '"' => TokenKind::Quote(QuoteMark::Ambiguous),
                _ => TokenKind::Punct,
            }
        };
        let space_before = start == 0 || chars[start - 1].1.is_whitespace();
        toks.push(Token::new(
            Span::new(start as u32, i as u32),
            kind,
            space_before,
            matches!(c, '“' | '”' | '"'),
        ));
    }
    // Sentences end at . ! ? ; paragraphs at newlines.
    let mut sentences = Vec::new();
    let mut paragraphs = Vec::new();
    let mut s0 = 0usize;
    let mut para = 0u32;
    let mut p_start = 0u32;
    for (k, t) in toks.iter().enumerate() {
        let txt = &chars[t.span.start as usize].1;
        let last = k + 1 == toks.len();
        let newline_after = !last
            && text[chars[t.span.end as usize - 1].0..]
                .chars()
                .skip(1)
                .take_while(|c| c.is_whitespace())
                .any(|c| c == '\n');
        if matches!(txt, '.' | '!' | '?') || last || newline_after {
            let span = Span::new(toks[s0].span.start, t.span.end);
            sentences.push(Sentence {
                span,
                paragraph: para,
                tokens: (s0 as u32, k as u32 + 1),
            });
            s0 = k + 1;
            if newline_after || last {
                paragraphs.push(Span::new(p_start, t.span.end));
                para += 1;
                if let Some(nt) = toks.get(k + 1) {
                    p_start = nt.span.start;
                }
            }
        }
    }
    doc.tokens = toks;
    doc.sentences = sentences;
    doc.paragraphs = paragraphs;
    doc.index_tokens();
}

/// Adds an entity for every occurrence of each surface form.
fn entity(
    doc: &mut Document,
    forms: &[&str],
    kind: EntityType,
    country: Option<&str>,
    sector: Option<&str>,
) -> EntityId {
    let id = EntityId(doc.entities.len() as u32);
    let mut mentions = Vec::new();
    let text = doc.text().to_string();
    for f in forms {
        let mut from = 0;
        while let Some(p) = text[from..].find(f) {
            let b = from + p;
            let e = b + f.len();
            let ok_before = b == 0 || !text[..b].chars().last().is_some_and(char::is_alphanumeric);
            let ok_after = !text[e..].chars().next().is_some_and(char::is_alphabetic);
            if ok_before && ok_after {
                mentions.push(Mention {
                    span: doc.span_of_bytes(b, e),
                    kind: MentionKind::Name,
                });
            }
            from = e;
        }
    }
    mentions.sort_by_key(|m| m.span.start);
    let actor = (country.is_some() || sector.is_some()).then(|| Actor {
        country: country.map(str::to_string),
        sector: sector.map(str::to_string),
    });
    doc.entities.push(Entity {
        id,
        name: forms[0].to_string(),
        kind,
        actor,
        title: None,
        mentions,
    });
    id
}

fn place(doc: &mut Document, id: EntityId, feature: &str) {
    doc.places.push(Place {
        entity: id,
        name: String::new(),
        country: None,
        admin1: None,
        lat: 0.0,
        lon: 0.0,
        feature: feature.to_string(),
        geonameid: None,
    });
}

fn timex(doc: &mut Document, surface: &str, value: &str) {
    if let Some(b) = doc.text().find(surface) {
        let span = doc.span_of_bytes(b, b + surface.len());
        doc.timexes.push(Timex {
            span,
            kind: TimexType::Date,
            value: Some(value.to_string()),
        });
        doc.timexes.sort_by_key(|t| t.span.start);
    }
}

fn doc(text: &str) -> Document {
    let mut d = Document::new("t", text, NaiveDate::from_ymd_opt(2025, 12, 3));
    tokenize(&mut d);
    d
}

fn run(d: &mut Document) -> Vec<Event> {
    EventStage::new().run(d);
    d.events.clone()
}

fn src(d: &Document, e: &Event) -> String {
    e.source.as_ref().and_then(|p| p.code.clone()).unwrap_or_default()
        + "|"
        + &e.source
            .as_ref()
            .map(|p| d.slice(p.span).to_string())
            .unwrap_or_default()
}
fn tgt(d: &Document, e: &Event) -> String {
    e.target.as_ref().and_then(|p| p.code.clone()).unwrap_or_default()
        + "|"
        + &e.target
            .as_ref()
            .map(|p| d.slice(p.span).to_string())
            .unwrap_or_default()
}

#[test]
fn tokenizer_sanity() {
    let d = doc("Russia’s army attacked Kyiv. Then it stopped.");
    let words: Vec<&str> = d.tokens.iter().map(|t| d.token_text(t)).collect();
    assert_eq!(
        words,
        ["Russia", "’s", "army", "attacked", "Kyiv", ".", "Then", "it", "stopped", "."]
    );
    assert_eq!(d.sentences.len(), 2);
}

#[test]
fn reject_with_claimed_modality_and_refined_code() {
    let mut d = doc("Vladimir Putin has bluntly rejected a key element of Donald Trump’s proposed peace plan, it has been claimed.");
    entity(
        &mut d,
        &["Vladimir Putin"],
        EntityType::Per,
        Some("RUS"),
        Some("GOV"),
    );
    entity(
        &mut d,
        &["Donald Trump"],
        EntityType::Per,
        Some("USA"),
        Some("GOV"),
    );
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    let e = &ev[0];
    assert_eq!(e.cameo, "127");
    assert_eq!(e.plover, "REJECT");
    assert_eq!(e.quad, 3);
    assert_eq!(d.slice(e.trigger), "rejected");
    assert_eq!(src(&d, e), "RUSGOV|Vladimir Putin");
    assert_eq!(tgt(&d, e), "USAGOV|Donald Trump");
    assert_eq!(e.modality, Modality::Claimed);
}

#[test]
fn accuse_then_coordinated_demand_keeps_subject() {
    let mut d =
        doc("UK Foreign Secretary Yvette Cooper accused Putin of bluster and demanded he come to the table.");
    entity(&mut d, &["UK"], EntityType::Loc, Some("GBR"), None);
    entity(
        &mut d,
        &["Yvette Cooper"],
        EntityType::Per,
        Some("GBR"),
        Some("GOV"),
    );
    entity(&mut d, &["Putin"], EntityType::Per, Some("RUS"), Some("GOV"));
    let ev = run(&mut d);
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert_eq!(ev[0].root(), "11");
    assert_eq!(src(&d, &ev[0]), "GBRGOV|Yvette Cooper");
    assert_eq!(tgt(&d, &ev[0]), "RUSGOV|Putin");
    assert_eq!(ev[1].root(), "10");
    assert_eq!(src(&d, &ev[1]), "GBRGOV|Yvette Cooper");
    assert_eq!(ev[0].modality, Modality::Asserted);
}

#[test]
fn compound_subject_gives_one_event_per_actor() {
    let mut d = doc(
        "Canada, Germany, Poland, and the Netherlands were jointly committing hundreds of millions of pounds to Ukraine.",
    );
    for (n, c) in [
        ("Canada", "CAN"),
        ("Germany", "DEU"),
        ("Poland", "POL"),
        ("Netherlands", "NLD"),
        ("Ukraine", "UKR"),
    ] {
        entity(&mut d, &[n], EntityType::Loc, Some(c), None);
    }
    let ev = run(&mut d);
    let srcs: Vec<String> = ev.iter().map(|e| src(&d, e)).collect();
    assert_eq!(
        srcs,
        ["CAN|Canada", "DEU|Germany", "POL|Poland", "NLD|Netherlands"],
        "{ev:?}"
    );
    assert!(ev.iter().all(|e| e.cameo == "071" && e.plover == "AID"));
    assert!(ev.iter().all(|e| tgt(&d, e) == "UKR|Ukraine"));
}

#[test]
fn passive_swaps_source_and_target() {
    let mut d = doc("The convoy of Ukraine was attacked by Russia on Monday.");
    entity(&mut d, &["Ukraine"], EntityType::Loc, Some("UKR"), None);
    entity(&mut d, &["Russia"], EntityType::Loc, Some("RUS"), None);
    timex(&mut d, "on Monday", "2025-12-01");
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(src(&d, &ev[0]), "RUS|Russia");
    assert_eq!(tgt(&d, &ev[0]), "UKR|Ukraine");
    assert_eq!(ev[0].root(), "19");
    assert_eq!(ev[0].timex, Some(0));
}

#[test]
fn drone_strike_casualties_and_location() {
    let mut d = doc(
        "Russian drones killed two civilians and critically wounded two more in Ukraine’s Dnipropetrovsk region overnight.",
    );
    entity(&mut d, &["Russian"], EntityType::Misc, Some("RUS"), None);
    let ukr = entity(&mut d, &["Ukraine"], EntityType::Loc, Some("UKR"), None);
    let dn = entity(&mut d, &["Dnipropetrovsk region"], EntityType::Loc, None, None);
    place(&mut d, ukr, "PCLI");
    place(&mut d, dn, "ADM1");
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    let e = &ev[0];
    assert_eq!(e.cameo, "195");
    assert_eq!(e.plover, "ASSAULT");
    assert_eq!(e.killed, Some(2));
    assert_eq!(e.wounded, Some(2));
    assert_eq!(e.victims.as_deref(), Some("civilians"));
    assert_eq!(e.location, Some(dn));
    assert_eq!(e.location_precision, Some("region"));
    assert_eq!(e.location_basis, Some("clause"));
    assert_eq!(src(&d, e), "RUSMIL|Russian");
}

#[test]
fn near_a_town_is_near_town_precision() {
    let mut d = doc("Two soldiers were killed in shelling near Pisky.");
    let pisky = entity(&mut d, &["Pisky"], EntityType::Loc, None, None);
    place(&mut d, pisky, "PPL");
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].location, Some(pisky));
    assert_eq!(ev[0].location_precision, Some("near town"));
}

#[test]
fn the_dateline_locates_events_the_text_does_not() {
    let mut d = doc("DONETSK, Dec 3 - Nobody spoke.\nAt least 12 people were killed in shelling overnight.");
    let dn = entity(&mut d, &["DONETSK"], EntityType::Loc, None, None);
    place(&mut d, dn, "PPLA");
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].location, Some(dn));
    assert_eq!(ev[0].location_basis, Some("dateline"));
    assert_eq!(ev[0].location_precision, Some("town"));
}

#[test]
fn dates_come_from_the_clause_else_the_publication_day() {
    let mut d = doc("Russia attacked Ukraine on Monday. Russia attacked Ukraine.");
    entity(&mut d, &["Russia"], EntityType::Loc, Some("RUS"), None);
    entity(&mut d, &["Ukraine"], EntityType::Loc, Some("UKR"), None);
    timex(&mut d, "on Monday", "2025-12-01");
    let ev = run(&mut d);
    assert!(!ev.is_empty(), "{ev:?}");
    assert_eq!(ev[0].date_basis, Some(DateBasis::Expression));
    // The second report merges into the first or stands alone with the publication day.
    if let Some(second) = ev.get(1) {
        assert_eq!(second.date_basis, Some(DateBasis::Publication));
    }
    // Without a publication date nothing is guessed.
    let mut d = Document::new("t", "Russia attacked Ukraine.", None);
    tokenize(&mut d);
    entity(&mut d, &["Russia"], EntityType::Loc, Some("RUS"), None);
    entity(&mut d, &["Ukraine"], EntityType::Loc, Some("UKR"), None);
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].date_basis, None);
}

#[test]
fn now_is_the_publication_day_and_vague_past_is_no_date() {
    let mut d = doc("Russia has now attacked Ukraine. Russia recently attacked Ukraine.");
    entity(&mut d, &["Russia"], EntityType::Loc, Some("RUS"), None);
    entity(&mut d, &["Ukraine"], EntityType::Loc, Some("UKR"), None);
    timex(&mut d, "now", "PRESENT_REF");
    timex(&mut d, "recently", "PAST_REF");
    let ev = run(&mut d);
    let now = ev.iter().find(|e| e.sentence == 0).expect("first report");
    assert_eq!(now.modality, Modality::Asserted, "{ev:?}");
    assert_eq!(now.date_basis, Some(DateBasis::Publication));
    if let Some(past) = ev.iter().find(|e| e.sentence == 1) {
        assert_eq!(past.date_basis, None);
    }
}

#[test]
fn future_events_take_no_publication_date() {
    let mut d = doc("Russia will attack Ukraine.");
    entity(&mut d, &["Russia"], EntityType::Loc, Some("RUS"), None);
    entity(&mut d, &["Ukraine"], EntityType::Loc, Some("UKR"), None);
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].modality, Modality::Future);
    assert_eq!(ev[0].date_basis, None);
}

#[test]
fn violent_event_without_actor_is_kept_and_counts_before_verb() {
    let mut d = doc("At least 12 people were killed in shelling overnight.");
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].killed, Some(12));
    assert_eq!(ev[0].cameo, "194");
    assert!(ev[0].source.is_none());
}

#[test]
fn nonviolent_event_needs_an_actor() {
    let mut d = doc("Analysts rejected the plan. Officials met on Tuesday.");
    assert!(run(&mut d).is_empty());
}

#[test]
fn modality_cues() {
    let cases = [
        (
            "Peskov insisted it was not correct to claim Putin had rejected the American plan.",
            Modality::Denied,
        ),
        ("Putin did not attack Zelensky.", Modality::Negated),
        ("Putin never attacked Zelensky.", Modality::Negated),
        ("Putin reportedly met Zelensky.", Modality::Claimed),
        ("Putin could meet Zelensky.", Modality::Hypothetical),
        ("Putin will meet Zelensky.", Modality::Future),
        ("Putin is due to meet Zelensky.", Modality::Future),
        ("Putin met Zelensky in 2022.", Modality::Historical),
        ("Putin met Zelensky, Peskov said.", Modality::Reported),
        ("Putin met Zelensky.", Modality::Asserted),
    ];
    for (text, want) in cases {
        let mut d = doc(text);
        entity(&mut d, &["Putin"], EntityType::Per, Some("RUS"), Some("GOV"));
        entity(&mut d, &["Zelensky"], EntityType::Per, Some("UKR"), Some("GOV"));
        entity(&mut d, &["Peskov"], EntityType::Per, Some("RUS"), Some("GOV"));
        timex(&mut d, "2022", "2022");
        let ev = run(&mut d);
        let e = ev.first().unwrap_or_else(|| panic!("{text}: {ev:?}"));
        assert_eq!(e.modality, want, "{text}");
    }
}

#[test]
fn refusing_to_cooperate_is_a_reject() {
    for text in ["Putin did not meet Zelensky.", "Putin refused to meet Zelensky."] {
        let mut d = doc(text);
        entity(&mut d, &["Putin"], EntityType::Per, Some("RUS"), Some("GOV"));
        entity(&mut d, &["Zelensky"], EntityType::Per, Some("UKR"), Some("GOV"));
        let ev = run(&mut d);
        assert_eq!(ev.len(), 1, "{text}: {ev:?}");
        assert_eq!(ev[0].cameo, "125", "{text}");
        assert_eq!(ev[0].modality, Modality::Asserted, "{text}");
        assert_eq!(tgt(&d, &ev[0]), "UKRGOV|Zelensky");
    }
}

#[test]
fn suspension_and_background_clauses() {
    let mut d = doc("Japan suspended economic aid to Serbia, where 28 people have been killed in riots.");
    entity(&mut d, &["Japan"], EntityType::Loc, Some("JPN"), None);
    entity(&mut d, &["Serbia"], EntityType::Loc, Some("SRB"), None);
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].cameo, "1621");
    assert_eq!(ev[0].plover, "SANCTION");
    assert_eq!(tgt(&d, &ev[0]), "SRB|Serbia");
}

#[test]
fn one_violent_event_per_sentence_with_unknown_attacker() {
    let mut d = doc("A roadside bombing near Samarra killed one US soldier and wounded two others.");
    entity(&mut d, &["US"], EntityType::Loc, Some("USA"), None);
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].killed, Some(1));
    assert_eq!(ev[0].wounded, Some(2));
    assert_eq!(ev[0].victims.as_deref(), Some("soldier"));
}

#[test]
fn must_clause_is_a_demand_and_conditional_announcement_a_threat() {
    let mut d = doc("Russia said on Tuesday that Sudan must return a captured helicopter.");
    entity(&mut d, &["Russia"], EntityType::Loc, Some("RUS"), None);
    entity(&mut d, &["Sudan"], EntityType::Loc, Some("SDN"), None);
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].root(), "10");
    assert_eq!(src(&d, &ev[0]), "RUS|Russia");
    assert_eq!(tgt(&d, &ev[0]), "SDN|Sudan");

    let mut d = doc("Nigeria will withdraw its troops from Chad unless Chad holds elections.");
    entity(&mut d, &["Nigeria"], EntityType::Loc, Some("NGA"), None);
    entity(&mut d, &["Chad"], EntityType::Loc, Some("TCD"), None);
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].plover, "THREATEN");
    assert_eq!(ev[0].modality, Modality::Asserted);
}

#[test]
fn quote_span_makes_reported() {
    let mut d = doc("Sybiha said: “Russia attacked Kharkiv again.”");
    entity(&mut d, &["Sybiha"], EntityType::Per, Some("UKR"), Some("GOV"));
    entity(&mut d, &["Russia"], EntityType::Loc, Some("RUS"), None);
    let b = d.text().find("Russia").unwrap_or(0);
    let e = d.text().find(" again").unwrap_or(0);
    d.quotes.push(chronicle_core::Quote {
        fragments: Vec::new(),
        span: d.span_of_bytes(b, e),
        kind: chronicle_core::QuoteKind::Direct,
        speaker: Some(EntityId(0)),
        speaker_span: None,
        cue: None,
    });
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].modality, Modality::Reported);
    assert_eq!(src(&d, &ev[0]), "RUS|Russia");
}

#[test]
fn talks_between_two_actors() {
    let mut d = doc("After five hours of talks between Putin and US envoys, nothing changed.");
    entity(&mut d, &["Putin"], EntityType::Per, Some("RUS"), Some("GOV"));
    entity(&mut d, &["US envoys"], EntityType::Org, Some("USA"), Some("GOV"));
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].root(), "04");
    assert_eq!(src(&d, &ev[0]), "RUSGOV|Putin");
    assert_eq!(tgt(&d, &ev[0]), "USAGOV|US envoys");
}

#[test]
fn petrarch_fallback_codes_inflected_verbs() {
    // "arrested" is in the hand lexicon; "condemned" too; use a verb only PETRARCH knows.
    let mut d = doc("France evacuated its diplomats from Mali.");
    entity(&mut d, &["France"], EntityType::Loc, Some("FRA"), None);
    entity(&mut d, &["Mali"], EntityType::Loc, Some("MLI"), None);
    let ev = run(&mut d);
    for e in &ev {
        assert!(cameo_info(&e.cameo).is_some());
        assert!(!e.plover.is_empty());
    }
    // Nouns and base forms are not coded from the broad table: "a plan" is no event.
    let mut d = doc("France has a plan for Mali.");
    entity(&mut d, &["France"], EntityType::Loc, Some("FRA"), None);
    entity(&mut d, &["Mali"], EntityType::Loc, Some("MLI"), None);
    assert!(run(&mut d).is_empty());
}

#[test]
fn a_list_of_thousands_of_counts_does_not_overflow_the_sum() {
    // Found by the pipeline fuzz target: coordinated counts ("N soldiers, M soldiers and
    // ... were killed") were summed with `+`, which overflows u32 past 4,295 terms of
    // 999999 (a panic with overflow checks, a wrapped count without).
    let text = format!(
        "Officials said {}999999 soldiers were killed in shelling.",
        "999999 soldiers, ".repeat(4400)
    );
    let mut d = doc(&text);
    let ev = run(&mut d);
    assert_eq!(
        ev.len(),
        1,
        "{:?}",
        ev.iter().map(|e| &e.cameo).collect::<Vec<_>>()
    );
    assert_eq!(ev[0].killed, Some(u32::MAX));
}

#[test]
fn refused_to_elaborate_is_not_an_event_and_no_panics_on_odd_text() {
    let mut d = doc("However, he refused to elaborate.");
    entity(&mut d, &["he"], EntityType::Per, Some("RUS"), Some("GOV"));
    assert!(run(&mut d).is_empty());
    for t in ["", ".", "killed", "“”", "12 killed 5 wounded at least"] {
        let mut d = doc(t);
        let _ = run(&mut d);
    }
    // Missing layers: nothing to do, no panic.
    let mut d = Document::new("x", "Russia attacked Ukraine.", None);
    assert!(run(&mut d).is_empty());
}

#[test]
fn seed_article_sanity() {
    let path = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seed/peace-talks.txt"
    ));
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipping: {} missing", path.display());
        return;
    };
    let mut d = doc(&text);
    entity(
        &mut d,
        &["Vladimir Putin", "Putin"],
        EntityType::Per,
        Some("RUS"),
        Some("GOV"),
    );
    entity(
        &mut d,
        &["Donald Trump", "Mr Trump"],
        EntityType::Per,
        Some("USA"),
        Some("GOV"),
    );
    entity(
        &mut d,
        &["Yvette Cooper"],
        EntityType::Per,
        Some("GBR"),
        Some("GOV"),
    );
    let dn = entity(&mut d, &["Dnipropetrovsk region"], EntityType::Loc, None, None);
    place(&mut d, dn, "ADM1");
    let ev = run(&mut d);
    let reject = ev
        .iter()
        .find(|e| e.root() == "12" && src(&d, e).starts_with("RUSGOV"));
    assert!(reject.is_some_and(|e| e.modality == Modality::Claimed), "{ev:#?}");
    assert!(ev
        .iter()
        .any(|e| e.root() == "11" && src(&d, e).starts_with("GBRGOV") && tgt(&d, e).starts_with("RUSGOV")));
    let kill = ev
        .iter()
        .find(|e| matches!(e.root(), "18" | "19") && e.killed == Some(2));
    assert!(kill.is_some_and(|e| e.location == Some(dn)), "{ev:#?}");
}

#[test]
fn firing_at_someone_is_force_firing_someone_is_not() {
    let mut d = doc("Rebel forces fired mortars at army positions near the village.");
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].root(), "19");
    let mut d = doc("The army positions came under fire from small arms overnight.");
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].root(), "19");
    let mut d = doc("The company fired its chief executive on Monday.");
    assert!(run(&mut d).iter().all(|e| e.root() != "19"));
}

#[test]
fn ages_are_not_counts_and_coordinated_counts_add_up() {
    let mut d = doc("On 14 October 2020, a 53-year-old civilian was killed in shelling.");
    let ev = run(&mut d);
    assert_eq!(ev.iter().filter_map(|e| e.killed).max(), Some(1), "{ev:?}");
    let mut d = doc("One government soldier and three rebels were killed in shelling.");
    let ev = run(&mut d);
    assert_eq!(ev.iter().filter_map(|e| e.killed).max(), Some(4), "{ev:?}");
    let mut d = doc("The young boy died in shelling overnight.");
    let ev = run(&mut d);
    assert_eq!(ev.iter().filter_map(|e| e.killed).max(), Some(1), "{ev:?}");
}

#[test]
fn acled_split_notes_give_each_record_its_share() {
    assert_eq!(
        acled_split("Two rebels were killed during the day [4 fatalities split across 22 events]."),
        Some((Some(4), 22))
    );
    assert_eq!(
        acled_split("One rebel was killed [Fatalities split among 7 events]."),
        Some((None, 7))
    );
    assert_eq!(acled_split("The talks split over the plan."), None);
    let mut d = doc("Rebels shelled army positions. Three soldiers were killed in shelling [3 fatalities split among 19 events].");
    let ev = run(&mut d);
    assert_eq!(ev.iter().filter_map(|e| e.killed).max(), Some(0), "{ev:?}");
    let mut d = doc("Rebels shelled army positions. Three soldiers were killed in shelling.");
    let ev = run(&mut d);
    assert_eq!(ev.iter().filter_map(|e| e.killed).max(), Some(3), "{ev:?}");
}

#[test]
fn a_threat_participle_is_its_own_event_and_a_kept_state_is_none() {
    let mut d = doc("Putin had accused European nations of sabotage, warning that Moscow would be ready for war with Europe if provoked.");
    entity(&mut d, &["Putin"], EntityType::Per, Some("RUSGOV"), None);
    entity(&mut d, &["European"], EntityType::Misc, Some("EUR"), None);
    entity(&mut d, &["Europe"], EntityType::Loc, Some("EUR"), None);
    let ev = run(&mut d);
    assert!(ev.iter().any(|e| e.root() == "11"), "{ev:?}");
    assert!(ev.iter().any(|e| e.root() == "13"), "{ev:?}");
    assert!(
        ev.iter().all(|e| !matches!(e.root(), "18" | "19" | "20")),
        "{ev:?}"
    );
    let mut d = doc("This mainly serves to keep Washington occupied while Russian forces advance.");
    entity(&mut d, &["Washington"], EntityType::Loc, Some("USAGOV"), None);
    assert!(run(&mut d).iter().all(|e| e.root() != "19"));
}

#[test]
fn damage_is_force_only_with_a_weapon_and_casualties_stay_in_their_clause() {
    let mut d = doc("Russian drones killed two civilians, while debris from intercepted Ukrainian drones sparked a fire at a Russian oil depot.");
    entity(&mut d, &["Russian"], EntityType::Misc, Some("RUS"), None);
    entity(&mut d, &["Ukrainian"], EntityType::Misc, Some("UKR"), None);
    let ev = run(&mut d);
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert!(ev.iter().all(|e| e.cameo == "195"), "{ev:?}");
    assert_eq!(ev[0].killed, Some(2));
    assert_eq!(ev[1].killed, None, "the fire has no dead of its own");
    let mut d = doc("The row damaged relations and sparked a fire of criticism in parliament.");
    assert!(run(&mut d).iter().all(|e| e.root() != "19"));
}

#[test]
fn a_country_actor_takes_the_sector_of_its_agent_noun() {
    let mut d = doc("A French minister threatened to impose import restrictions against German goods.");
    entity(&mut d, &["French"], EntityType::Misc, Some("FRA"), None);
    entity(&mut d, &["German"], EntityType::Misc, Some("DEU"), None);
    let ev = run(&mut d);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(src(&d, &ev[0]), "FRAGOV|French");
    let mut d = doc("Opposition groups in Zimbabwe demanded that the president resign.");
    entity(&mut d, &["Zimbabwe"], EntityType::Loc, Some("ZWE"), None);
    let ev = run(&mut d);
    assert!(ev.iter().any(|e| src(&d, e) == "ZWEOPP|Zimbabwe"), "{ev:?}");
    // A verb after the country is no agent noun: the code stays the country's.
    let mut d = doc("Russia struck rebel positions overnight.");
    entity(&mut d, &["Russia"], EntityType::Loc, Some("RUS"), None);
    let ev = run(&mut d);
    assert!(ev.iter().all(|e| src(&d, e) == "RUS|Russia"), "{ev:?}");
}

#[test]
fn yielding_blocking_and_acceding_are_coded_by_what_they_act_on() {
    let code = |text: &str| -> Vec<String> {
        let mut d = doc(text);
        entity(&mut d, &["Serbia"], EntityType::Loc, Some("SRB"), None);
        run(&mut d).into_iter().map(|e| e.cameo).collect()
    };
    assert_eq!(code("Serbia lifted a night curfew in the province."), ["0813"]);
    assert_eq!(code("Serbia eased economic sanctions on its neighbour."), ["085"]);
    assert!(code("Serbia lifted the trophy.").is_empty());
    assert_eq!(code("Serbia blocked the main road to the border."), ["144"]);
    assert_eq!(code("Serbia accepted the demands of the rebels."), ["083"]);
    assert_eq!(code("Serbia mounted an offensive in the south."), ["190"]);
    assert_eq!(
        code("Serbia granted political asylum to the dissidents."),
        ["075"]
    );
    assert!(code("Serbia granted the licence to a bank.").is_empty());
}

#[test]
fn precision_rules_drop_market_news_and_name_words() {
    let mut d = doc("Colorocs Corp signed an agreement with Sharp Corp to build copiers.");
    entity(&mut d, &["Colorocs Corp"], EntityType::Org, None, Some("BUS"));
    entity(&mut d, &["Sharp Corp"], EntityType::Org, None, Some("BUS"));
    assert!(run(&mut d).is_empty(), "firms among themselves are market news");
    let mut d = doc("A French industrial gas group decided to back the takeover bid by a Swedish group.");
    entity(&mut d, &["French"], EntityType::Misc, Some("FRA"), None);
    entity(&mut d, &["Swedish"], EntityType::Misc, Some("SWE"), None);
    assert!(run(&mut d).is_empty(), "a country's firms are firms");
    let mut d = doc("A Russian rebel group attacked Ukrainian positions near the border.");
    entity(&mut d, &["Russian"], EntityType::Misc, Some("RUS"), None);
    entity(&mut d, &["Ukrainian"], EntityType::Misc, Some("UKR"), None);
    let ev = run(&mut d);
    assert!(
        ev.iter()
            .any(|e| e.root() == "19" && src(&d, e).starts_with("RUSREB")),
        "{ev:?}"
    );
    let mut d = doc("Argentina is pressing for a margin over the London Interbank Offered Rate.");
    entity(&mut d, &["Argentina"], EntityType::Loc, Some("ARG"), None);
    assert!(
        run(&mut d).iter().all(|e| !e.cameo.starts_with("03")),
        "Offered is part of a name"
    );
    let mut d = doc("Botswana barred imports from Zimbabwe, threatening the dairy industry.");
    entity(&mut d, &["Botswana"], EntityType::Loc, Some("BWA"), None);
    entity(&mut d, &["Zimbabwe"], EntityType::Loc, Some("ZWE"), None);
    assert!(
        run(&mut d).iter().all(|e| !e.cameo.starts_with("13")),
        "no threat against an industry"
    );
}

#[test]
fn repeated_reports_of_one_event_merge_into_one_with_all_mentions() {
    let mut d = parsed("Russian drones attacked Kharkiv overnight, killing three civilians. The attack on Kharkiv killed three people, officials said. Russia also attacked Odesa.");
    entity(
        &mut d,
        &["Russian", "Russia"],
        EntityType::Misc,
        Some("RUS"),
        None,
    );
    let kh = entity(&mut d, &["Kharkiv"], EntityType::Loc, None, None);
    let od = entity(&mut d, &["Odesa"], EntityType::Loc, None, None);
    place(&mut d, kh, "PPLA");
    place(&mut d, od, "PPLA");
    let ev = run(&mut d);
    let violent: Vec<_> = ev.iter().filter(|e| e.root() == "19").collect();
    assert_eq!(violent.len(), 2, "Kharkiv once, Odesa once: {ev:?}");
    let kharkiv = violent
        .iter()
        .find(|e| e.location == Some(kh))
        .expect("Kharkiv event");
    assert_eq!(kharkiv.mentions.len(), 1, "{kharkiv:?}");
    assert_eq!(kharkiv.killed, Some(3));
    assert!(violent
        .iter()
        .any(|e| e.location == Some(od) && e.mentions.is_empty()));
}

#[test]
fn events_carry_plover_contexts() {
    let mut d = doc("Serbia agreed to let refugees return under the new treaty with Croatia.");
    entity(&mut d, &["Serbia"], EntityType::Loc, Some("SRB"), None);
    entity(&mut d, &["Croatia"], EntityType::Loc, Some("HRV"), None);
    let ev = run(&mut d);
    assert!(!ev.is_empty(), "{ev:?}");
    assert!(ev[0].contexts.contains(&"refugee"), "{:?}", ev[0].contexts);
    assert!(ev[0].contexts.contains(&"diplomatic"), "{:?}", ev[0].contexts);
    let mut d = doc("At least 12 people were killed in shelling overnight.");
    let ev = run(&mut d);
    assert_eq!(ev[0].contexts.first(), Some(&"military"), "force is military");
}

#[test]
fn a_broad_pattern_reads_the_object_not_a_clause_after_it() {
    let mut d = doc("Hungary will support a Security Council resolution that aims to tighten sanctions.");
    entity(&mut d, &["Hungary"], EntityType::Loc, Some("HUN"), None);
    entity(
        &mut d,
        &["Security Council"],
        EntityType::Org,
        Some("IGO"),
        Some("GOV"),
    );
    let ev = run(&mut d);
    assert!(
        ev.iter().all(|e| !e.cameo.starts_with("13")),
        "support is no threat: {ev:?}"
    );
}

#[test]
fn force_with_nobody_on_either_side_is_not_reported() {
    // A metaphor: no actor does it, no actor suffers it, nobody is hurt.
    let mut d = doc("The striker fought off a late challenge and beat the goalkeeper.");
    assert!(
        run(&mut d)
            .iter()
            .all(|e| !matches!(e.root(), "18" | "19" | "20")),
        "{:?}",
        d.events
    );
    // A casualty report stands without a named actor.
    let mut d = doc("Three people were killed in an explosion near the market.");
    assert!(run(&mut d).iter().any(|e| e.killed == Some(3)), "{:?}", d.events);
}

/// A document through the real text and syntax stages (the committed model), for the rules
/// that read the parse.
fn parsed(text: &str) -> Document {
    let mut d = Document::new("t", text, NaiveDate::from_ymd_opt(2025, 12, 3));
    chronicle_text::split(&mut d);
    chronicle_syntax::SyntaxStage::builtin()
        .expect("the built-in syntax model loads")
        .run(&mut d);
    d
}

/// The largest killed and wounded counts over a sentence's events.
fn counts(text: &str) -> (Option<u32>, Option<u32>) {
    let mut d = parsed(text);
    let ev = run(&mut d);
    (
        ev.iter().filter_map(|e| e.killed).max(),
        ev.iter().filter_map(|e| e.wounded).max(),
    )
}

#[test]
fn the_parse_gives_the_count_a_kill_verb_governs() {
    // The object of "kills" is a bare number: no victim noun follows it.
    assert_eq!(counts("The attack killed six on Monday.").0, Some(6));
    // Coordinated victims: the count modifying the first conjunct.
    assert_eq!(
        counts("19 civilians and troops were killed in shelling overnight.").0,
        Some(19)
    );
    // A headline's singular victim: one.
    assert_eq!(
        counts("Ukrainian soldier killed in shelling near Donetsk.").0,
        Some(1)
    );
}

#[test]
fn killed_and_wounded_stay_apart() {
    assert_eq!(
        counts("Russian drones killed two civilians and critically wounded two more in the region."),
        (Some(2), Some(2))
    );
    assert_eq!(
        counts("Three soldiers were killed, 15 wounded in shelling in the east."),
        (Some(3), Some(15))
    );
}

#[test]
fn ages_and_dates_are_not_counts() {
    assert_eq!(
        counts("A 12-year-old boy was killed in shelling near the market.").0,
        Some(1)
    );
    let mut d = parsed("On 14 October 2020, a civilian was killed in shelling.");
    timex(&mut d, "14 October 2020", "2020-10-14");
    let ev = run(&mut d);
    assert_eq!(ev.iter().filter_map(|e| e.killed).max(), Some(1), "{ev:?}");
}

#[test]
fn conservative_counts_as_acled_codes_them() {
    // The lower bound of a range, ACLED's figure for a vague count.
    assert_eq!(
        counts("10 to 15 civilians were killed in shelling overnight.").0,
        Some(10)
    );
    assert_eq!(
        counts("Dozens of civilians were killed in shelling overnight.").0,
        Some(12)
    );
}

#[test]
fn a_death_toll_is_a_count_of_the_dead() {
    assert_eq!(counts("The death toll from the shelling rose to 12.").0, Some(12));
}

#[test]
fn the_victims_give_a_country_target_its_sector() {
    let mut d = parsed("Russian drones killed two civilians in Ukraine.");
    entity(&mut d, &["Russian"], EntityType::Misc, Some("RUS"), None);
    entity(&mut d, &["Ukraine"], EntityType::Loc, Some("UKR"), None);
    let ev = run(&mut d);
    assert!(ev.iter().any(|e| tgt(&d, e) == "UKRCVL|Ukraine"), "{ev:?}");
    let mut d = parsed("Rebels killed two police officers in Ukraine.");
    entity(&mut d, &["Ukraine"], EntityType::Loc, Some("UKR"), None);
    let ev = run(&mut d);
    assert!(ev.iter().any(|e| tgt(&d, e) == "UKRCOP|Ukraine"), "{ev:?}");
}

/// (source code, target code, CAMEO root) of each event.
fn triples(d: &Document, ev: &[Event]) -> Vec<(String, String, String)> {
    let code =
        |p: &Option<chronicle_core::Participant>| p.as_ref().and_then(|p| p.code.clone()).unwrap_or_default();
    let _ = d;
    ev.iter()
        .map(|e| {
            (
                code(&e.source),
                code(&e.target),
                e.cameo.get(..2).unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn coordinated_targets_and_sources_are_one_event_each() {
    let mut d = parsed("Pakistan threatened to break off diplomatic relations with Congo and Costa Rica.");
    entity(&mut d, &["Pakistan"], EntityType::Loc, Some("PAK"), None);
    entity(&mut d, &["Congo"], EntityType::Loc, Some("COG"), None);
    entity(&mut d, &["Costa Rica"], EntityType::Loc, Some("CRI"), None);
    let ev = run(&mut d);
    let t = triples(&d, &ev);
    assert!(
        t.iter().any(|x| x.1 == "COG") && t.iter().any(|x| x.1 == "CRI"),
        "{t:?}"
    );
    let mut d = parsed("The foreign ministers of France and Germany condemned Syria on Monday.");
    entity(&mut d, &["France"], EntityType::Loc, Some("FRA"), None);
    entity(&mut d, &["Germany"], EntityType::Loc, Some("DEU"), None);
    entity(&mut d, &["Syria"], EntityType::Loc, Some("SYR"), None);
    let ev = run(&mut d);
    let t = triples(&d, &ev);
    assert!(
        t.iter().any(|x| x.0.starts_with("FRA") && x.1 == "SYR")
            && t.iter().any(|x| x.0.starts_with("DEU") && x.1 == "SYR"),
        "{t:?}"
    );
}

#[test]
fn an_unnamed_actor_by_role_is_a_source_of_last_resort() {
    let mut d = parsed("Rebels fired mortars at army positions near Kismayo.");
    entity(&mut d, &["Kismayo"], EntityType::Loc, Some("SOM"), None);
    let ev = run(&mut d);
    assert!(
        triples(&d, &ev).iter().any(|x| x.0 == "---REB"),
        "{:?}",
        triples(&d, &ev)
    );
    // A named actor beats the role noun.
    let mut d = parsed("Israeli soldiers raided a village near Nablus.");
    entity(&mut d, &["Israeli"], EntityType::Misc, Some("ISR"), None);
    let ev = run(&mut d);
    assert!(
        triples(&d, &ev).iter().all(|x| !x.0.starts_with("---")),
        "{:?}",
        triples(&d, &ev)
    );
}

#[test]
fn regular_inflections_of_table_verbs_are_found_through_the_lemma() {
    let mut d = parsed("Zambia extradited the suspect to Britain on Sunday.");
    entity(&mut d, &["Zambia"], EntityType::Loc, Some("ZMB"), None);
    entity(&mut d, &["Britain"], EntityType::Loc, Some("GBR"), None);
    let ev = run(&mut d);
    assert!(
        triples(&d, &ev).iter().any(|x| x.0 == "ZMB" && x.1 == "GBR"),
        "{:?}",
        triples(&d, &ev)
    );
    // ... but not verbs of reporting, nor a stated clause, nor force from the broad table.
    let mut d =
        parsed("Trump insisted the Kremlin talks had been positive. The actor has died aged 85 in France.");
    entity(&mut d, &["Trump"], EntityType::Per, Some("USA"), Some("GOV"));
    entity(&mut d, &["Kremlin"], EntityType::Org, Some("RUS"), Some("GOV"));
    entity(&mut d, &["France"], EntityType::Loc, Some("FRA"), None);
    let ev = run(&mut d);
    assert!(ev.is_empty(), "{:?}", triples(&d, &ev));
}

#[test]
fn an_event_noun_is_done_by_its_agent_after_by() {
    let mut d = parsed("Artillery shelling by government forces killed three civilians in Aleppo.");
    let ev = run(&mut d);
    assert!(
        triples(&d, &ev).iter().any(|x| x.0 == "---MIL" && x.2 == "19"),
        "{:?}",
        triples(&d, &ev)
    );
}

#[test]
fn a_request_addresses_the_subject_of_what_is_requested() {
    let mut d = parsed("Palestinian officials demanded Friday that the United States match the support.");
    entity(&mut d, &["Palestinian"], EntityType::Misc, Some("PSE"), None);
    entity(&mut d, &["United States"], EntityType::Loc, Some("USA"), None);
    let ev = run(&mut d);
    assert!(
        triples(&d, &ev).iter().any(|x| x.1 == "USA" && x.2 == "10"),
        "{:?}",
        triples(&d, &ev)
    );
}

#[test]
fn a_report_frames_the_event_it_governs() {
    let mut d = parsed("Ukraine said Russian troops shelled Kharkiv on Monday.");
    entity(&mut d, &["Ukraine"], EntityType::Loc, Some("UKR"), None);
    entity(&mut d, &["Russian"], EntityType::Misc, Some("RUS"), None);
    entity(&mut d, &["Kharkiv"], EntityType::Loc, Some("UKR"), None);
    let ev = run(&mut d);
    let shelling = ev.iter().find(|e| e.root() == "19").expect("the shelling");
    assert_eq!(shelling.modality, Modality::Reported, "{ev:?}");
    assert!(shelling
        .source
        .as_ref()
        .and_then(|p| p.code.as_deref())
        .is_some_and(|c| c.starts_with("RUS")));
    let reporter = shelling.reporter.as_ref().and_then(|p| p.code.as_deref());
    assert_eq!(reporter, Some("UKR"), "Ukraine reports it, not does it: {ev:?}");
    // "Y attacked Z, X said": the speech verb after the clause frames it too.
    let mut d = parsed("Russian troops attacked Kharkiv overnight, Ukraine said.");
    entity(&mut d, &["Ukraine"], EntityType::Loc, Some("UKR"), None);
    entity(&mut d, &["Russian"], EntityType::Misc, Some("RUS"), None);
    entity(&mut d, &["Kharkiv"], EntityType::Loc, Some("UKR"), None);
    let ev = run(&mut d);
    let shelling = ev.iter().find(|e| e.root() == "19").expect("the shelling");
    let reporter = shelling.reporter.as_ref().and_then(|p| p.code.as_deref());
    assert_eq!(reporter, Some("UKR"), "{ev:?}");
    let mut d = parsed("Moscow denied that its troops shelled Kharkiv.");
    entity(&mut d, &["Moscow"], EntityType::Loc, Some("RUS"), Some("GOV"));
    entity(&mut d, &["Kharkiv"], EntityType::Loc, Some("UKR"), None);
    let ev = run(&mut d);
    assert!(ev.iter().all(|e| e.modality == Modality::Denied), "{ev:?}");
}
