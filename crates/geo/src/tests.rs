use super::*;
use chronicle_core::{Entity, EntityId, Mention};

/// Builds a document whose LOC entities are the given names, found in the text.
fn doc_with(text: &str, locs: &[&str]) -> Document {
    let mut d = Document::new("t", text, None);
    for (i, name) in locs.iter().enumerate() {
        let b = text.find(name).expect("name in text");
        let span = d.span_of_bytes(b, b + name.len());
        assert_eq!(d.slice(span), *name);
        d.entities.push(Entity {
            id: EntityId(i as u32),
            name: name.to_string(),
            kind: EntityType::Loc,
            actor: None,
            title: None,
            mentions: vec![Mention {
                span,
                kind: MentionKind::Name,
            }],
        });
    }
    d
}

fn place(d: &Document, i: u32) -> &Place {
    d.place_of(EntityId(i)).expect("resolved")
}

#[test]
fn kiev_resolves_to_the_ukrainian_capital() {
    let mut d = doc_with("Talks in Kiev stalled.", &["Kiev"]);
    PlaceStage::new().run(&mut d);
    let p = place(&d, 0);
    assert_eq!(p.name, "Kyiv");
    assert_eq!(p.country.as_deref(), Some("UKR"));
    assert_eq!(p.feature, "PPLC");
    assert!(p.geonameid.is_some());
}

#[test]
fn georgia_alone_is_the_country_but_with_us_places_the_state() {
    let mut d = doc_with("Georgia and Russia clashed.", &["Georgia", "Russia"]);
    PlaceStage::new().run(&mut d);
    assert_eq!(place(&d, 0).country.as_deref(), Some("GEO"));
    assert_eq!(place(&d, 0).feature, "PCLI");

    let mut d = doc_with(
        "Atlanta, Georgia, and Savannah voted; Florida too.",
        &["Atlanta", "Georgia", "Savannah", "Florida"],
    );
    PlaceStage::new().run(&mut d);
    let g = place(&d, 1);
    assert_eq!(g.country.as_deref(), Some("USA"));
    assert_eq!(g.feature, "ADM1");
    assert_eq!(place(&d, 2).admin1.as_deref(), Some("Georgia"));
}

#[test]
fn suffixes_and_admin1_context() {
    let mut d = doc_with(
        "Shelling in the Donetsk region and Tambov Oblast.",
        &["Donetsk region", "Tambov Oblast"],
    );
    PlaceStage::new().run(&mut d);
    assert_eq!(place(&d, 0).feature, "ADM1");
    assert_eq!(place(&d, 0).country.as_deref(), Some("UKR"));
    assert_eq!(place(&d, 0).name, "Donetsk Oblast");
    assert_eq!(place(&d, 1).country.as_deref(), Some("RUS"));
}

#[test]
fn country_context_picks_the_local_namesake() {
    // Alone, "Alexandria" is the Egyptian city; next to Louisiana places it is the US one.
    let mut d = doc_with("Alexandria grew.", &["Alexandria"]);
    PlaceStage::new().run(&mut d);
    assert_eq!(place(&d, 0).country.as_deref(), Some("EGY"));
    let mut d = doc_with(
        "Alexandria, La., near Lafayette and Baton Rouge.",
        &["Alexandria", "La.", "Lafayette", "Baton Rouge"],
    );
    PlaceStage::new().run(&mut d);
    assert_eq!(place(&d, 0).country.as_deref(), Some("USA"));
    assert_eq!(place(&d, 0).admin1.as_deref(), Some("Louisiana"));
}

#[test]
fn unknown_names_and_other_types_are_skipped() {
    let mut d = doc_with("Zzyzxqua met Kyiv.", &["Zzyzxqua", "Kyiv"]);
    d.entities.push(Entity {
        id: EntityId(2),
        name: "Paris".into(),
        kind: EntityType::Per,
        actor: None,
        title: None,
        mentions: vec![],
    });
    PlaceStage::new().run(&mut d);
    assert!(d.place_of(EntityId(0)).is_none());
    assert!(d.place_of(EntityId(1)).is_some());
    assert!(d.place_of(EntityId(2)).is_none());
}

#[test]
fn shouting_and_possessives() {
    let mut d = doc_with("UKRAINE and Russia's border.", &["UKRAINE", "Russia's"]);
    PlaceStage::new().run(&mut d);
    assert_eq!(place(&d, 0).country.as_deref(), Some("UKR"));
    assert_eq!(place(&d, 1).country.as_deref(), Some("RUS"));
}

#[test]
fn haversine_is_sane() {
    // Kyiv - Moscow is about 755 km.
    let d = haversine_km(50.45, 30.52, 55.75, 37.62);
    assert!((d - 755.0).abs() < 15.0, "{d}");
}

/// Toponym resolution on the LGL + GeoVirus gold, assuming gold spans: each gold name is
/// resolved with the doc's other gold names as context; a hit is within 161 km of gold.
#[test]
fn resolution_accuracy_on_gold() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/eval/geo/geoparsing-lgl-geovirus.jsonl"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipping: {path} not found");
        return;
    };
    let gaz = Gazetteer::global();
    // GEO_WEIGHTS="country,admin1,near,near_km,hint,rounds" sweeps the weights.
    let mut w = Weights::default();
    if let Ok(spec) = std::env::var("GEO_WEIGHTS") {
        let v: Vec<f64> = spec.split(',').filter_map(|x| x.trim().parse().ok()).collect();
        if let [c, a, n, km, h, r] = v[..] {
            w = Weights {
                country: c as f32,
                admin1: a as f32,
                near: n as f32,
                near_km: km,
                hint: h as f32,
                rounds: r as usize,
                ..w
            };
        }
    }
    let (mut total, mut hit, mut unresolved) = (0usize, 0usize, 0usize);
    let mut by_corpus: HashMap<String, (usize, usize)> = HashMap::new();
    let verbose = std::env::var("GEO_EVAL_VERBOSE").is_ok();
    let t = std::time::Instant::now();
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let corpus = v["corpus"].as_str().unwrap_or("?").to_string();
        let Some(tops) = v["toponyms"].as_array() else {
            continue;
        };
        let mut names: Vec<String> = Vec::new();
        let mut weights: Vec<f32> = Vec::new();
        for t in tops {
            if let Some(n) = t["name"].as_str() {
                match names.iter().position(|x| x == n) {
                    Some(i) => weights[i] += 1.0,
                    None => {
                        names.push(n.to_string());
                        weights.push(1.0);
                    }
                }
            }
        }
        let queries: Vec<Query> = names
            .iter()
            .zip(&weights)
            .map(|(n, w)| Query {
                forms: vec![n.clone()],
                weight: *w,
                within: None,
            })
            .collect();
        let res = resolve_with(gaz, &queries, &Hints::default(), &w);
        for t in tops {
            let (Some(n), Some(lat), Some(lon)) = (t["name"].as_str(), t["lat"].as_f64(), t["lon"].as_f64())
            else {
                continue;
            };
            total += 1;
            let e = by_corpus.entry(corpus.clone()).or_default();
            e.0 += 1;
            let r = names
                .iter()
                .position(|x| x == n)
                .and_then(|i| res.get(i).copied().flatten());
            match r {
                Some(p) if haversine_km(p.lat, p.lon, lat, lon) <= 161.0 => {
                    hit += 1;
                    e.1 += 1;
                }
                Some(p) => {
                    if verbose {
                        eprintln!(
                            "MISS {corpus} {n:?} -> {} {:?} {:?} {} ({:.0} km); gold {:?} {:?} {:?}",
                            p.name,
                            p.country,
                            p.admin1,
                            p.feature,
                            haversine_km(p.lat, p.lon, lat, lon),
                            t["resolved_name"].as_str(),
                            t["country"].as_str(),
                            t["fcode"].as_str()
                        );
                    }
                }
                None => {
                    unresolved += 1;
                    if verbose {
                        eprintln!(
                            "NONE {corpus} {n:?} gold {:?} {:?}",
                            t["fcode"].as_str(),
                            t["country"].as_str()
                        );
                    }
                }
            }
        }
    }
    let acc = hit as f64 / total.max(1) as f64;
    eprintln!(
        "geo resolution (gold spans, {w:?}): {hit}/{total} = {:.1}% within 161 km; unresolved {unresolved}; {:?}; {:.0} ms",
        acc * 100.0,
        by_corpus,
        t.elapsed().as_secs_f64() * 1000.0
    );
    assert!(acc > 0.5, "resolution accuracy collapsed: {acc}");
}

#[test]
fn a_small_town_gives_way_to_an_organisation_of_its_name() {
    // Beside "Harvard University", a bare "Harvard" is the university's short name, not
    // Harvard, Illinois (9,000 people), even in a story with other places of that country.
    let text = "Harvard University said students at Harvard and in Chicago, Illinois, marched.";
    let mut d = doc_with(text, &["Harvard", "Chicago", "Illinois"]);
    let at = text.rfind("Harvard").expect("bare mention");
    d.entities[0].mentions[0].span = d.span_of_bytes(at, at + 7);
    let org = |id: u32, name: &str| Entity {
        id: EntityId(id),
        name: name.into(),
        kind: EntityType::Org,
        actor: Some(chronicle_core::Actor {
            country: None,
            sector: name.ends_with("University").then(|| "EDU".to_string()),
        }),
        title: None,
        mentions: vec![],
    };
    d.entities.push(org(3, "Harvard University"));
    PlaceStage::new().run(&mut d);
    assert!(d.place_of(EntityId(0)).is_none(), "{:?}", d.places);
    assert_eq!(place(&d, 1).admin1.as_deref(), Some("Illinois"));
    // Without the organisation the town keeps its place.
    let mut d = doc_with(text, &["Harvard", "Chicago", "Illinois"]);
    PlaceStage::new().run(&mut d);
    assert_eq!(place(&d, 0).admin1.as_deref(), Some("Illinois"));
    // A large place keeps its place beside an organisation named after it.
    let text = "Kyiv City Council met in Kyiv.";
    let mut d = doc_with(text, &["Kyiv"]);
    let at = text.rfind("Kyiv").expect("bare mention");
    d.entities[0].mentions[0].span = d.span_of_bytes(at, at + 4);
    d.entities.push(org(1, "Kyiv City Council"));
    PlaceStage::new().run(&mut d);
    assert_eq!(place(&d, 0).country.as_deref(), Some("UKR"));
}

#[test]
fn a_place_said_to_lie_in_another_is_read_inside_it() {
    // A town of this name in Zaporizhzhia Oblast answers first; the text puts it in the
    // Donetsk region, where the village tier (KATOTTG) has several.
    let mut d = doc_with(
        "Rebels fired on positions near Vodyane in the Donetsk region.",
        &["Vodyane", "Donetsk"],
    );
    PlaceStage::new().run(&mut d);
    assert_eq!(place(&d, 0).admin1.as_deref(), Some("Donetsk Oblast"));
    // Without the containment the first answer stands.
    let mut d = doc_with("Rebels fired on positions near Vodyane.", &["Vodyane"]);
    PlaceStage::new().run(&mut d);
    assert_eq!(place(&d, 0).admin1.as_deref(), Some("Zaporizhzhia Oblast"));
    // "A, B region" is containment; a list "A, B and C" is not.
    let mut d = doc_with(
        "Rebels shelled Novotroitske, Donetsk Oblast.",
        &["Novotroitske", "Donetsk"],
    );
    PlaceStage::new().run(&mut d);
    assert_eq!(place(&d, 0).admin1.as_deref(), Some("Donetsk Oblast"));
    let d = doc_with("Kyiv, Moscow and Paris", &["Kyiv", "Moscow", "Paris"]);
    let mut q: Vec<Query> = ["Kyiv", "Moscow", "Paris"]
        .iter()
        .map(|n| Query::new(*n))
        .collect();
    let owners: Vec<EntityId> = (0..3).map(EntityId).collect();
    containment(&d, &owners, &mut q);
    assert!(q.iter().all(|q| q.within.is_none()), "{q:?}");
}

#[test]
fn organisations_named_after_their_place_take_it_and_ordinary_words_do_not() {
    let text = "The Ohio Supreme Court, the University of California and the Federal Reserve met.";
    let mut d = Document::new("t", text, None);
    for (i, name) in [
        "Ohio Supreme Court",
        "University of California",
        "Federal Reserve",
    ]
    .iter()
    .enumerate()
    {
        let b = text.find(name).expect("name in text");
        let span = d.span_of_bytes(b, b + name.len());
        d.entities.push(Entity {
            id: EntityId(i as u32),
            name: name.to_string(),
            kind: EntityType::Org,
            actor: None,
            title: None,
            mentions: vec![Mention {
                span,
                kind: MentionKind::Name,
            }],
        });
    }
    PlaceStage::new().run(&mut d);
    assert_eq!(place(&d, 0).name, "Ohio");
    assert_eq!(place(&d, 0).feature, "ADM1");
    assert_eq!(place(&d, 1).name, "California");
    // "Federal" is a town in Argentina, and an ordinary word.
    assert!(d.place_of(EntityId(2)).is_none());
}
