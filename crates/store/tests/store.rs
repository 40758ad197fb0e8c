use chronicle_record::Record;
use chronicle_store::RecordStore;
use chronicle_store::{EventFilter, QuoteFilter, Store};

fn record(id: &str, date: &str) -> Record {
    let j = serde_json::json!({
        "schema": 1, "id": id, "published": "2025-12-03", "title": "t", "url": null, "source": "s",
        "meta": {}, "text": "Putin rejected the plan. “No,” Peskov said.",
        "sentences": [[0, 24], [25, 43]], "paragraphs": [[0, 43]],
        "entities": [
            {"id": "e1", "name": "Vladimir Putin", "type": "PER",
             "actor": {"country": "RUS", "sector": "GOV", "code": "RUSGOV"}, "title": "President",
             "geo": null, "mentions": [[0, 5]]},
            {"id": "e2", "name": "Dmitry Peskov", "type": "PER",
             "actor": {"country": "RUS", "sector": "GOV", "code": "RUSGOV"}, "title": null,
             "geo": null, "mentions": [[31, 37]]}
        ],
        "quotes": [{"id": "q1", "start": 26, "end": 28, "content": "No", "kind": "direct", "speaker": "e2",
                    "speaker_text": "Dmitry Peskov", "speaker_span": [31, 37], "cue": "said", "cue_span": [38, 42]}],
        "events": [{"id": "v1", "cameo": "120", "root": "12", "quad": 3, "goldstein": -4.0,
                    "plover": {"type": "REJECT", "mode": null},
                    "source": {"entity": "e1", "code": "RUSGOV", "text": "Putin", "span": [0, 5]},
                    "target": null, "sentence": [0, 24], "trigger": [6, 14], "modality": "asserted",
                    "date": date, "date_text": null, "location": null,
                    "killed": null, "wounded": null, "victims": null}],
        "timexes": [], "diagnostics": []
    });
    serde_json::from_value(j).expect("test record matches the contract types")
}

#[test]
fn roundtrip_replace_and_query_on_a_real_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.put_all([&record("a", "2025-12-02"), &record("b", "2025-11")])
            .unwrap();
        // Re-ingesting replaces, never duplicates.
        s.put(&record("a", "2025-12-02")).unwrap();
    }
    let mut s = Store::open(&path).unwrap();
    let c = s.counts().unwrap();
    assert_eq!((c.articles, c.entities, c.quotes, c.events), (2, 4, 2, 2));
    assert_eq!(s.get("a").unwrap(), Some(record("a", "2025-12-02")));
    assert_eq!(s.get("zzz").unwrap(), None);
    assert_eq!(s.ids().unwrap(), vec!["b".to_string(), "a".to_string()]);

    let ev = s
        .events(&EventFilter {
            actor: Some("RUS".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[0].sentence, "Putin rejected the plan.");
    let since = s
        .events(&EventFilter {
            since: Some("2025-12-01".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        since.iter().map(|e| e.article_id.as_str()).collect::<Vec<_>>(),
        vec!["a"]
    );
    let until = s
        .events(&EventFilter {
            until: Some("2025-11".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        until.iter().map(|e| e.article_id.as_str()).collect::<Vec<_>>(),
        vec!["b"]
    );
    let none = s
        .events(&EventFilter {
            cameo: Some("19".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(none.is_empty());

    let q = s
        .quotes(&QuoteFilter {
            speaker: Some("Peskov".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(q.len(), 2);
    assert_eq!(q[0].content, "No");
    // Actors are one row per code: "Putin" finds RUSGOV, which counts Peskov's mentions too.
    let actors = s.actors(Some("Putin"), None).unwrap();
    assert_eq!(actors.len(), 1);
    assert_eq!((actors[0].articles, actors[0].mentions), (2, 4));

    let mut n = 0;
    s.for_each_record(&mut |_| n += 1).unwrap();
    assert_eq!(n, 2);
}

#[test]
fn open_error_names_the_path() {
    let e = Store::open(std::path::Path::new("/nonexistent-dir/x/y.db"))
        .err()
        .expect("must fail");
    assert!(e.to_string().contains("/nonexistent-dir/x/y.db"), "{e}");
}

/// An event from `source` to `target` (codes) at `place` on `date`, one article each.
fn coded(
    id: &str,
    source: &str,
    target: &str,
    cameo: &str,
    place: (&str, &str, &str, f64, f64),
    date: &str,
) -> Record {
    let mut r = record(id, date);
    let e = &mut r.events[0];
    e.cameo = cameo.into();
    e.root = cameo[..2].into();
    let side = |code: &str, text: &str| {
        serde_json::from_value(
            serde_json::json!({"entity": null, "code": code, "text": text, "span": [0, 5]}),
        )
        .ok()
    };
    e.source = side(source, "Source side");
    e.target = side(target, "Target side");
    let (name, country, admin1, lat, lon) = place;
    e.location = serde_json::from_value(serde_json::json!({
        "entity": "e9", "name": name, "country": country, "admin1": admin1, "lat": lat, "lon": lon
    }))
    .ok();
    r
}

fn ids(s: &mut Store, f: EventFilter) -> Vec<String> {
    s.events(&f).unwrap().into_iter().map(|e| e.article_id).collect()
}

#[test]
fn filters_by_actor_code_dyad_cameo_place_box_and_pages_in_ingest_order() {
    const POKROVSK: (&str, &str, &str, f64, f64) = ("Pokrovsk", "UKR", "Donetsk Oblast", 48.28, 37.18);
    const MOSCOW: (&str, &str, &str, f64, f64) = ("Moscow", "RUS", "Moscow", 55.75, 37.62);
    let mut s = Store::memory().unwrap();
    s.put_all([
        &coded("a", "RUSMIL", "UKR", "190", POKROVSK, "2025-03-02"),
        &coded("b", "UKRMIL", "RUSMIL", "193", POKROVSK, "2025-03-30"),
        &coded("c", "USAGOV", "RUSGOV", "163", MOSCOW, "2025-04-01"),
        &coded("d", "RUSGOV", "USA", "120", MOSCOW, "2025-03"),
    ])
    .unwrap();
    let f = EventFilter::default;
    // Three capitals: a country, any sector, either side; six: that code exactly.
    assert_eq!(
        ids(
            &mut s,
            EventFilter {
                actor: Some("RUS".into()),
                ..f()
            }
        ),
        ["a", "b", "c", "d"]
    );
    assert_eq!(
        ids(
            &mut s,
            EventFilter {
                actor: Some("RUSMIL".into()),
                ..f()
            }
        ),
        ["a", "b"]
    );
    assert_eq!(
        ids(
            &mut s,
            EventFilter {
                actor: Some("RUSMIL".into()),
                limit: Some(1),
                offset: Some(1),
                ..f()
            }
        ),
        ["b"]
    );
    // Not capitals: a name on either side.
    assert_eq!(
        ids(
            &mut s,
            EventFilter {
                actor: Some("Target".into()),
                ..f()
            }
        )
        .len(),
        4
    );
    // A dyad, by country.
    assert_eq!(
        ids(
            &mut s,
            EventFilter {
                source: Some("USA".into()),
                target: Some("RUS".into()),
                ..f()
            }
        ),
        ["c"]
    );
    // A CAMEO root, a code prefix, with dates ("2025-03" includes a month-only date).
    assert_eq!(
        ids(
            &mut s,
            EventFilter {
                cameo: Some("19".into()),
                ..f()
            }
        ),
        ["a", "b"]
    );
    assert_eq!(
        ids(
            &mut s,
            EventFilter {
                cameo: Some("193".into()),
                ..f()
            }
        ),
        ["b"]
    );
    assert_eq!(
        ids(
            &mut s,
            EventFilter {
                since: Some("2025-03".into()),
                until: Some("2025-03".into()),
                ..f()
            }
        ),
        ["a", "b", "d"]
    );
    assert_eq!(
        ids(
            &mut s,
            EventFilter {
                until: Some("2025-03-02".into()),
                ..f()
            }
        ),
        ["a", "d"]
    );
    // Places: a country code, a region's name, a bounding box (west, south, east, north).
    assert_eq!(
        ids(
            &mut s,
            EventFilter {
                place: Some("RUS".into()),
                ..f()
            }
        ),
        ["c", "d"]
    );
    assert_eq!(
        ids(
            &mut s,
            EventFilter {
                place: Some("Donetsk".into()),
                ..f()
            }
        ),
        ["a", "b"]
    );
    assert_eq!(
        ids(
            &mut s,
            EventFilter {
                bbox: Some([36.0, 47.0, 39.0, 49.5]),
                ..f()
            }
        ),
        ["a", "b"]
    );
    assert!(ids(
        &mut s,
        EventFilter {
            bbox: Some([0.0, 0.0, 1.0, 1.0]),
            ..f()
        }
    )
    .is_empty());
    // The GDELT numbers: each report its own, and its event's (here: itself).
    let rows = s.events(&f()).unwrap();
    assert!(rows.iter().all(|e| e.event_global_id == e.global_id));
    assert_eq!(
        rows.iter().map(|e| e.source.as_deref()).collect::<Vec<_>>(),
        [Some("s"); 4]
    );
}
