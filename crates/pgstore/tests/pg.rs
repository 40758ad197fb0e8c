//! The PostgreSQL store and queue against a real server: `CHRONICLE_TEST_PG` names one
//! (`scripts/pg-test-server.sh start` starts a throwaway one; CI does). Without it these
//! tests say so and pass, unless `CHRONICLE_REQUIRE_PG=1`.

use std::time::Duration;

use chronicle_pgstore::testing::fresh_database;
use chronicle_pgstore::{PgError, PgStore, QueueItem};
use chronicle_record::Record;
use chronicle_store::RecordStore;
use chronicle_store::{EventFilter, Prepared, Store};

fn record(id: &str, url: Option<&str>, source: &str, date: &str) -> Record {
    let j = serde_json::json!({
        "schema": 1, "id": id, "published": "2025-12-03", "title": "Strike", "url": url, "source": source,
        "meta": {}, "text": "Russia attacked Ukraine near Pisky. “No,” Peskov said.",
        "sentences": [[0, 35], [36, 54]], "paragraphs": [[0, 54]],
        "entities": [{"id": "e1", "name": "Dmitry Peskov", "type": "PER",
                      "actor": {"country": "RUS", "sector": "GOV", "code": "RUSGOV"}, "title": null,
                      "geo": null, "mentions": [[41, 47]]}],
        "quotes": [{"id": "q1", "start": 37, "end": 39, "content": "No", "kind": "direct", "speaker": "e1",
                    "speaker_text": "Dmitry Peskov", "cue": "said", "cue_span": [48, 52]}],
        "events": [{"id": "v1", "cameo": "190", "root": "19", "quad": 4, "goldstein": -10.0,
                    "plover": {"type": "ASSAULT", "mode": null},
                    "source": {"entity": null, "code": "RUSMIL", "text": "Russia", "span": [0, 6]},
                    "target": {"entity": null, "code": "UKR", "text": "Ukraine", "span": [16, 23]},
                    "sentence": [0, 35], "trigger": [7, 15], "modality": "asserted",
                    "date": date, "date_text": null, "date_basis": "publication",
                    "location": {"entity": "e9", "name": "Pisky", "country": "UKR", "admin1": "Donetsk Oblast",
                                 "lat": 48.1, "lon": 37.6, "precision": "near town", "basis": "clause"},
                    "killed": 2, "wounded": null, "victims": null, "evidence": [[0, 35], [0, 35]]}],
        "timexes": [{"start": 0, "end": 3, "text": "now", "type": "DATE", "value": "2025-12-03"}],
        "diagnostics": []
    });
    serde_json::from_value(j).expect("test record matches the contract types")
}

fn prepared(rs: &[Record]) -> Vec<Prepared> {
    rs.iter()
        .map(|r| Prepared::new(r.clone()).expect("serialises"))
        .collect()
}

#[test]
fn same_records_counts_and_clusters_as_sqlite() {
    let Some(url) = fresh_database("store") else {
        return;
    };
    let batches = [
        vec![
            record("a", Some("https://e.org/a"), "AFP", "2025-12-02"),
            record("b", None, "Reuters", "2025-12-02"),
        ],
        vec![
            record("c", None, "Reuters", "2025-12-02"),
            record("d", None, "AFP", "2025-12-03"),
        ],
        // A re-ingest of b moved to another day; a re-crawl of a under a new id.
        vec![
            record("b", None, "Reuters", "2025-12-03"),
            record("a2", Some("https://e.org/a"), "AFP", "2025-12-02"),
        ],
        // Within one batch too, a later version replaces an earlier one.
        vec![
            record("e", None, "AFP", "2025-12-04"),
            record("e", None, "AP", "2025-12-05"),
            record("f", Some("https://e.org/f"), "AFP", "2025-12-04"),
            record("f2", Some("https://e.org/f"), "AFP", "2025-12-04"),
        ],
    ];
    let mut pg = PgStore::connect(&url).expect("connects and migrates");
    let mut lite = Store::memory().expect("sqlite");
    for b in &batches {
        pg.put_prepared(&prepared(b)).expect("pg put");
        lite.put_prepared(&prepared(b)).expect("sqlite put");
    }
    assert_eq!(pg.counts().unwrap(), lite.counts().unwrap());
    let mut pg_ids = pg.ids().unwrap();
    let mut lite_ids = lite.ids().unwrap();
    pg_ids.sort();
    lite_ids.sort();
    assert_eq!(pg_ids, lite_ids);
    assert_eq!(pg_ids, ["a2", "b", "c", "d", "e", "f2"]);
    for id in &pg_ids {
        assert_eq!(pg.get(id).unwrap(), lite.get(id).unwrap(), "{id}");
    }
    // Cluster figures: the same keys and counts as the SQLite store's.
    let lite_clusters: Vec<(String, i64, i64, i64)> = {
        let mut v: Vec<_> = lite
            .events(&Default::default())
            .unwrap()
            .into_iter()
            .filter_map(|e| Some((e.cluster?, e.num_mentions, e.num_sources, e.num_articles)))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    assert_eq!(pg.clusters().unwrap(), lite_clusters);
    assert!(lite_clusters.iter().any(|c| c.3 == 2), "{lite_clusters:?}");
    // Reconnecting finds the schema in place.
    drop(pg);
    let mut again = PgStore::connect(&url).expect("reconnects");
    assert_eq!(again.counts().unwrap().articles, 6);
}

#[test]
fn claims_leases_and_a_lost_claim() {
    let Some(url) = fresh_database("queue") else {
        return;
    };
    let mut q = PgStore::connect(&url).expect("connects");
    let items: Vec<QueueItem> = (0..5)
        .map(|i| QueueItem {
            origin: format!("in.jsonl:{}", i + 1),
            line: format!(r#"{{"id":"n{i}","text":"Hi."}}"#),
            fetched: None,
        })
        .collect();
    assert_eq!(q.enqueue(&items).unwrap(), 5);
    let lease = Duration::from_millis(300);
    let a = q.claim("w1", 3, lease).unwrap();
    assert_eq!(a.iter().map(|c| c.id).collect::<Vec<_>>().len(), 3);
    let b = q.claim("w2", 10, lease).unwrap();
    assert_eq!(b.len(), 2, "claimed items are not handed out twice");
    assert!(q.claim("w3", 10, lease).unwrap().is_empty());
    // w1 dies: once its lease runs out its items go to w3.
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(q.heartbeat("w2", Duration::from_secs(30)).unwrap(), 2);
    let c = q.claim("w3", 10, lease).unwrap();
    assert_eq!(
        c.iter().map(|x| x.id).collect::<Vec<_>>(),
        a.iter().map(|x| x.id).collect::<Vec<_>>()
    );
    assert!(c.iter().all(|x| x.attempts == 2));
    // w1 comes back and tries to commit: nothing is written.
    let r = record("n0", None, "s", "2025-12-02");
    let done: Vec<(i64, Prepared)> = vec![(a[0].id, Prepared::new(r.clone()).unwrap())];
    match q.complete("w1", &done, &[]) {
        Err(PgError::ClaimLost { claimed: 1, lost: 1 }) => {}
        other => panic!("expected ClaimLost, got {other:?}"),
    }
    assert_eq!(q.counts().unwrap().articles, 0);
    // w3 finishes one and fails another; w2 finishes its two.
    q.complete(
        "w3",
        &[(c[0].id, Prepared::new(r).unwrap())],
        &[(c[1].id, "bad line".into())],
    )
    .unwrap();
    let status = q.status().unwrap();
    assert_eq!(
        (status.queued, status.running, status.done, status.failed),
        (0, 3, 1, 1)
    );
    assert_eq!(status.failures, vec![("bad line".to_string(), 1)]);
    assert_eq!(status.workers.iter().map(|w| w.1).sum::<i64>(), 3);
}

#[test]
fn event_queries_answer_as_on_sqlite() {
    let Some(url) = fresh_database("events") else {
        return;
    };
    let mut recs = Vec::new();
    for (i, (date, source)) in [
        ("2025-12-01", "AFP"),
        ("2025-12-02", "Reuters"),
        ("2025-12-02", "AFP"),
        ("2025-11", "AP"),
        ("2025-12-03", "AP"),
    ]
    .iter()
    .enumerate()
    {
        let mut r = record(&format!("r{i}"), None, source, date);
        if i == 2 {
            // A reported event: its reporter kept beside the dyad.
            let e = &mut r.events[0];
            e.modality = "reported".into();
            e.reporter = serde_json::from_value(
                serde_json::json!({"entity": "e1", "code": "RUSGOV", "text": "Dmitry Peskov", "span": [41, 47]}),
            )
            .ok();
        }
        if i == 4 {
            // Another dyad, place and type.
            let e = &mut r.events[0];
            e.cameo = "1231".into();
            e.root = "12".into();
            e.source = serde_json::from_value(
                serde_json::json!({"entity": null, "code": "USAGOV", "text": "Washington", "span": [0, 6]}),
            )
            .ok();
            if let Some(l) = e.location.as_mut() {
                l.name = "Kyiv".into();
                l.admin1 = Some("Kyiv City".into());
                l.lat = 50.45;
                l.lon = 30.52;
            }
        }
        recs.push(r);
    }
    let mut pg = PgStore::connect(&url).expect("connects");
    let mut lite = Store::memory().expect("sqlite");
    pg.put_prepared(&prepared(&recs)).expect("pg");
    lite.put_prepared(&prepared(&recs)).expect("sqlite");
    let f = EventFilter::default;
    let filters = [
        f(),
        EventFilter {
            actor: Some("RUS".into()),
            ..f()
        },
        EventFilter {
            actor: Some("USAGOV".into()),
            ..f()
        },
        EventFilter {
            actor: Some("washington".into()),
            ..f()
        },
        EventFilter {
            source: Some("USA".into()),
            target: Some("UKR".into()),
            ..f()
        },
        EventFilter {
            cameo: Some("19".into()),
            ..f()
        },
        EventFilter {
            cameo: Some("123".into()),
            ..f()
        },
        EventFilter {
            place: Some("Donetsk".into()),
            ..f()
        },
        EventFilter {
            place: Some("UKR".into()),
            ..f()
        },
        EventFilter {
            bbox: Some([30.0, 50.0, 31.0, 51.0]),
            ..f()
        },
        EventFilter {
            since: Some("2025-12-02".into()),
            until: Some("2025-12".into()),
            ..f()
        },
        EventFilter {
            clustered: true,
            ..f()
        },
        EventFilter {
            limit: Some(2),
            offset: Some(1),
            ..f()
        },
        EventFilter {
            actor: Some("UKR".into()),
            limit: Some(2),
            offset: Some(1),
            ..f()
        },
        EventFilter {
            modality: Some("asserted".into()),
            plover: Some("assault".into()),
            ..f()
        },
        EventFilter {
            min_confidence: Some(0.6),
            ..f()
        },
    ];
    // The same rows and cluster figures; the GDELT numbers and storing times are each
    // store's own (the time's shape is the same: `YYYY-MM-DDTHH:MM:SSZ`).
    let key = |mut rows: Vec<chronicle_store::EventRow>| {
        for r in &mut rows {
            r.global_id = 0;
            r.event_global_id = 0;
            let shape = |t: &str| t.len() == 20 && t.as_bytes()[10] == b'T' && t.ends_with('Z');
            assert!(r.ingested.as_deref().is_some_and(shape), "{:?}", r.ingested);
            r.ingested = None;
        }
        rows
    };
    for filter in &filters {
        let a = key(pg.events(filter).expect("pg events"));
        let b = key(lite.events(filter).expect("sqlite events"));
        assert_eq!(a, b, "{filter:?}");
    }
    assert_eq!(key(pg.events(&filters[5]).unwrap()).len(), 4);
    // The reporter reads back: in its columns, and in the whole record.
    let reporters: Vec<(String, Option<String>, Option<String>)> = pg
        .events(&f())
        .expect("pg events")
        .into_iter()
        .map(|r| (r.article_id, r.reporter_code, r.reporter_text))
        .filter(|r| r.1.is_some())
        .collect();
    assert_eq!(
        reporters,
        [(
            "r2".to_string(),
            Some("RUSGOV".to_string()),
            Some("Dmitry Peskov".to_string())
        )]
    );
    let back = pg.get("r2").expect("get").expect("stored");
    assert_eq!(back.events[0].reporter, recs[2].events[0].reporter);
    assert!(back.events[0].reporter.is_some());
}

#[test]
fn the_run_log_reads_back_as_on_sqlite_and_a_version_1_database_gains_it() {
    use chronicle_store::{RecordStore, RunLog, RunReason};
    let Some(url) = fresh_database("runs") else {
        return;
    };
    {
        // What a version-1 binary left: no run log, version 1 in the meta table.
        let mut pg = PgStore::connect(&url).expect("connects and migrates");
        let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
        c.batch_execute(
            "DROP TABLE chronicle_runs; UPDATE chronicle_meta SET value = '1' WHERE key = 'schema_version'",
        )
        .expect("downgrade");
        pg.put_prepared(&prepared(&[record("a", None, "AFP", "2025-12-02")]))
            .expect("put");
    }
    let mut pg = PgStore::connect(&url).expect("migrates from version 1");
    let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
    let v: String = c
        .query_one(
            "SELECT value FROM chronicle_meta WHERE key = 'schema_version'",
            &[],
        )
        .expect("version")
        .get(0);
    assert_eq!(v, chronicle_pgstore::SCHEMA_VERSION.to_string());
    assert_eq!(pg.counts().expect("counts").articles, 1, "articles kept");
    assert!(pg.runs(10).expect("runs").is_empty());

    let mut lite = Store::memory().expect("sqlite");
    let runs = [
        RunLog {
            command: "enqueue".into(),
            started: "2025-12-03T10:00:00Z".into(),
            finished: "2025-12-03T10:00:01Z".into(),
            inputs: "a.jsonl dir/".into(),
            articles: 40,
            rejected: 3,
            reasons: vec![
                RunReason {
                    reason: "invalid UTF-8 at byte N".into(),
                    count: 1,
                    examples: vec!["dir/x.txt".into()],
                },
                RunReason {
                    reason: "not valid JSON: EOF while parsing an object at line N column N".into(),
                    count: 2,
                    examples: vec!["a.jsonl:3".into(), "a.jsonl:9".into()],
                },
            ],
            exit_code: 1,
            ..RunLog::default()
        },
        RunLog {
            command: "ingest".into(),
            started: "2025-12-03T11:00:00Z".into(),
            finished: "2025-12-03T11:00:05Z".into(),
            inputs: "-".into(),
            articles: 7,
            ..RunLog::default()
        },
    ];
    for r in &runs {
        let a = RecordStore::add_run(&mut pg, r).expect("pg run");
        let b = RecordStore::add_run(&mut lite, r).expect("sqlite run");
        assert!(a > 0 && b > 0);
    }
    let strip = |rs: Vec<RunLog>| -> Vec<RunLog> { rs.into_iter().map(|r| RunLog { id: 0, ..r }).collect() };
    let got = strip(RecordStore::runs(&mut pg, 10).expect("pg runs"));
    assert_eq!(got, strip(lite.runs(10).expect("sqlite runs")));
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].command, "ingest", "newest first");
    assert_eq!(got[1].reasons[0].count, 2, "most frequent reason first");
    assert_eq!(pg.runs(1).expect("runs").len(), 1);
}
