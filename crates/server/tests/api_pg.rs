//! The API over PostgreSQL answers as over SQLite: the seed and the sample corpus stored in
//! both, every endpoint asked the same questions of each, the answers compared (without the
//! GDELT numbers, which are each store's own). Needs `CHRONICLE_TEST_PG`
//! (`scripts/pg-test-server.sh start`; CI starts one); without it the test says so and
//! passes, unless `CHRONICLE_REQUIRE_PG=1`.

mod common;

use chronicle_pgstore::PgStore;
use chronicle_store::RecordStore;
use chronicle_store::{Prepared, Store, WatchLedger};
use serde_json::Value;

const FIXTURES: [&str; 2] = [
    include_str!("../../cli/fixtures/seed-peace-talks.jsonl"),
    include_str!("../../cli/fixtures/sample-corpus.jsonl"),
];

fn get(port: u16, path: &str) -> (u16, Value) {
    common::get_json(("127.0.0.1", port), path)
}

/// `v` without the store-specific numbers.
fn strip(mut v: Value) -> Value {
    match &mut v {
        Value::Object(o) => {
            o.remove("global_id");
            o.remove("event_global_id");
            // When each store took the article in (the two are filled a moment apart, so the
            // second may differ): only its form must agree, `YYYY-MM-DDTHH:MM:SSZ`.
            if let Some(Value::String(t)) = o.get_mut("ingested") {
                let b = t.as_bytes();
                if b.len() == 20 && b.get(10) == Some(&b'T') && b.get(19) == Some(&b'Z') {
                    *t = "<ingested>".into();
                }
            }
            for x in o.values_mut() {
                *x = strip(x.take());
            }
        }
        Value::Array(a) => {
            for x in a.iter_mut() {
                *x = strip(x.take());
            }
        }
        _ => {}
    }
    v
}

#[test]
fn every_endpoint_answers_the_same_on_postgres_and_sqlite() {
    let Some(url) = chronicle_pgstore::testing::fresh_database("api") else {
        return;
    };

    let engine = chronicle_pipeline::Engine::new().expect("engine");
    let records: Vec<Prepared> = FIXTURES
        .iter()
        .flat_map(|f| f.lines())
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            let a = chronicle_record::InputArticle::from_json_line(l, &format!("line {i}"))
                .expect("fixture line");
            Prepared::new(engine.process(a).1).expect("serialises")
        })
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("c.db");
    Store::open(&file)
        .expect("sqlite")
        .put_prepared(&records)
        .expect("put");
    PgStore::connect(&url)
        .expect("pg")
        .put_prepared(&records)
        .expect("put");

    // One watchlist in each, made the same.
    let watchlist = chronicle_store::Watchlist {
        name: "russia".into(),
        filter: [("actor".to_string(), "RUS".to_string())].into(),
        jsonl: Some("russia.jsonl".into()),
        created: "2025-12-03T00:00:00Z".into(),
        ..Default::default()
    };
    WatchLedger::add_watchlist(&mut Store::open(&file).expect("sqlite"), &watchlist).expect("add");
    WatchLedger::add_watchlist(&mut PgStore::connect(&url).expect("pg"), &watchlist).expect("add");

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut ports = Vec::new();
    for db in [file.to_string_lossy().into_owned(), url.clone()] {
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        ports.push(listener.local_addr().expect("addr").port());
        let app = chronicle_server::router(db);
        rt.spawn(async move { axum::serve(listener, app).await });
    }
    let (lite, pg) = (ports[0], ports[1]);
    for path in [
        "/api/stats",
        "/api/events?limit=1000",
        "/api/events?actor=RUS&limit=20&offset=3",
        "/api/events?clustered=true&limit=1000",
        "/api/events?cameo=19&place=UKR",
        "/api/quotes?limit=1000",
        "/api/quotes?speaker=spokes",
        "/api/actors?limit=100",
        "/api/actors?name=Putin",
        "/api/articles?limit=100",
        "/api/articles/seed-peace-talks",
        "/api/articles/seed-peace-talks/sentences/1/parse",
        "/api/articles/seed-peace-talks/sentences/3/parse",
        "/api/network?limit=200",
        "/api/places?limit=200",
        "/api/places?actor=RUS",
    ] {
        let (a_status, a) = get(lite, path);
        let (b_status, b) = get(pg, path);
        assert_eq!((a_status, b_status), (200, 200), "{path}: {a} / {b}");
        assert_eq!(strip(a), strip(b), "{path}");
    }
    // The watch ledger: the same watchlist in both lists alike (the report numbers, each
    // store's own, left out), and the live feed's first update counts alike.
    let (a_status, a) = get(lite, "/api/watchlists");
    let (b_status, b) = get(pg, "/api/watchlists");
    assert_eq!((a_status, b_status), (200, 200), "{a} / {b}");
    let numbers_out = |mut v: Value| {
        v["last_event_id"] = Value::Null;
        for w in v["watchlists"].as_array_mut().into_iter().flatten() {
            w["cursor"] = Value::Null;
        }
        v
    };
    assert_eq!(a["count"], 1, "{a}");
    assert_eq!(numbers_out(a), numbers_out(b));
    let first = |port: u16| {
        let mut s = common::open_live(port);
        let mut seen = String::new();
        let got = common::sse_updates(
            &mut s,
            &mut seen,
            1,
            std::time::Instant::now() + std::time::Duration::from_secs(20),
        );
        assert_eq!(got.len(), 1, "{seen}");
        (got[0]["articles"].clone(), got[0]["events"].clone())
    };
    assert_eq!(first(lite), first(pg));
    // Full text: each backend's own query language and ranking; the same articles match a word.
    let ids = |port: u16| {
        let (_, v) = get(port, "/api/articles?q=Kremlin");
        let mut ids: Vec<String> = v["articles"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x["id"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        ids
    };
    let found = ids(lite);
    assert!(found.contains(&"seed-peace-talks".to_string()), "{found:?}");
    assert_eq!(found, ids(pg));
}
