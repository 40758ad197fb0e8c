//! Watchlists and the live feed against a real SQLite file and a real server on a local
//! port: `/api/watchlists` lists what the watch ledger holds, `/api/events?after=N` only
//! what was stored after report N, and `/api/live` sends an `update` on connect and
//! another when an article is stored, and ends when its client goes away.

mod common;

use common::talks as record;

use std::time::{Duration, Instant};

use chronicle_store::{now_rfc3339, Channel, Store, WatchLedger, Watchlist};
use serde_json::Value;

fn get(port: u16, path: &str) -> (u16, Value) {
    common::get_json(("127.0.0.1", port), path)
}

#[test]
fn watchlists_are_listed_with_their_deliveries_and_after_keeps_only_newer_events() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("w.db");
    let mut store = Store::open(&db).expect("store");
    store.put_all([&record("a")]).expect("put");
    let before = store.last_event_id().expect("last");
    assert!(before > 0);
    let russia = store
        .add_watchlist(&Watchlist {
            name: "russia".into(),
            filter: [("actor".to_string(), "RUS".to_string())].into(),
            jsonl: Some("russia.jsonl".into()),
            webhook: Some("http://127.0.0.1:9/hook".into()),
            created: now_rfc3339(),
            ..Default::default()
        })
        .expect("add");
    assert_eq!(russia.cursor, before, "a watchlist starts at the newest event");
    // A filter that does not read (CAMEO 99) is listed with the reason, not a failure.
    store
        .add_watchlist(&Watchlist {
            name: "broken".into(),
            filter: [("cameo".to_string(), "99".to_string())].into(),
            created: now_rfc3339(),
            ..Default::default()
        })
        .expect("add");
    store.put_all([&record("b"), &record("c")]).expect("put");
    let last = store.last_event_id().expect("last");
    assert!(last > before);
    // Two deliveries queued to the JSONL file, one of them done; one to the webhook.
    let now = now_rfc3339();
    let rows = [
        (
            Channel::Jsonl,
            "b".to_string(),
            "v1".to_string(),
            last - 1,
            "{}".to_string(),
        ),
        (
            Channel::Jsonl,
            "c".to_string(),
            "v1".to_string(),
            last,
            "{}".to_string(),
        ),
        (
            Channel::Webhook,
            "c".to_string(),
            "v1".to_string(),
            last,
            "{}".to_string(),
        ),
    ];
    assert_eq!(
        store
            .queue_deliveries("russia", &rows, last, &now)
            .expect("queue"),
        3
    );
    let due = store.due_deliveries(&now, 10).expect("due");
    store.finish_delivery(due[0].id, Ok(()), &now).expect("done");
    store
        .finish_delivery(
            due[2].id,
            Err(("HTTP 500".into(), "2999-01-01T00:00:00Z".into())),
            &now,
        )
        .expect("failed");
    drop(store);

    let (_rt, port) = common::serve(db.to_string_lossy(), &Default::default());
    let (st, v) = get(port, "/api/watchlists");
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["last_event_id"], last);
    assert_eq!(v["count"], 2);
    let lists = v["watchlists"].as_array().expect("list");
    let names: Vec<&str> = lists.iter().filter_map(|w| w["name"].as_str()).collect();
    assert_eq!(names, ["broken", "russia"], "by name");
    let r = &lists[1];
    assert_eq!(r["filter"], serde_json::json!({"actor": "RUS"}));
    assert_eq!(r["jsonl"], "russia.jsonl");
    assert_eq!(r["webhook"], "http://127.0.0.1:9/hook");
    assert_eq!(r["cursor"], last, "queueing moved the cursor");
    assert!(r["created"].as_str().is_some_and(|c| c.ends_with('Z')));
    assert!(r["filter_error"].is_null());
    let channel = |c: &str| {
        r["deliveries"]
            .as_array()
            .and_then(|d| d.iter().find(|x| x["channel"] == c))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let jsonl = channel("jsonl");
    assert_eq!(
        (jsonl["delivered"].as_u64(), jsonl["pending"].as_u64()),
        (Some(1), Some(1)),
        "{jsonl}"
    );
    let hook = channel("webhook");
    assert_eq!(
        (hook["pending"].as_u64(), hook["failing"].as_u64()),
        (Some(1), Some(1)),
        "{hook}"
    );
    assert_eq!(hook["last_error"], "HTTP 500");
    let broken = &lists[0];
    assert!(
        broken["filter_error"]
            .as_str()
            .is_some_and(|e| e.contains("cameo")),
        "{broken}"
    );
    assert_eq!(broken["deliveries"], serde_json::json!([]));

    // `after`: only the events stored after report N, with the watchlist's own filter too.
    let (st, all) = get(port, "/api/events?limit=1000");
    assert_eq!(st, 200);
    assert_eq!(all["count"], 3);
    let (_, newer) = get(port, &format!("/api/events?actor=RUS&after={before}"));
    assert_eq!(newer["count"], 2, "{newer}");
    let ids: Vec<&str> = newer["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            assert!(e["global_id"].as_i64().is_some_and(|g| g > before), "{e}");
            e["article_id"].as_str().unwrap_or("")
        })
        .collect();
    assert_eq!(ids, ["b", "c"]);
    let (_, none) = get(port, &format!("/api/events?after={last}"));
    assert_eq!(none["count"], 0);
    let (st, bad) = get(port, "/api/events?after=-1");
    assert_eq!(st, 400, "{bad}");
    assert_eq!(bad["parameter"], "after");

    let (_, spec) = get(port, "/openapi.json");
    for p in ["/api/watchlists", "/api/live"] {
        assert!(spec["paths"][p]["get"].is_object(), "{p} is described");
    }
    assert!(
        spec["paths"]["/api/live"]["get"]["responses"]["200"]["content"]["text/event-stream"].is_object()
    );
}

#[test]
fn the_live_feed_sends_an_update_on_connect_and_when_an_article_is_stored_and_ends_with_its_client() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("live.db");
    let mut store = Store::open(&db).expect("store");
    store.put_all([&record("a")]).expect("put");
    let first = store.last_event_id().expect("last");
    drop(store);
    let opts = chronicle_server::Options {
        live_poll: Duration::from_millis(100),
        ..Default::default()
    };
    let (_rt, port) = common::serve(db.to_string_lossy(), &opts);
    assert_eq!(chronicle_server::live_streams(), 0);

    let mut s = common::open_live(port);
    let mut seen = String::new();
    let got = common::sse_updates(&mut s, &mut seen, 1, Instant::now() + Duration::from_secs(20));
    let head = seen.split("\r\n\r\n").next().unwrap_or("").to_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{seen}");
    assert!(head.contains("content-type: text/event-stream"), "{head}");
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");
    assert_eq!(got.len(), 1, "an update on connect: {seen}");
    assert_eq!(got[0]["last_event_id"], first);
    assert_eq!(
        (got[0]["articles"].as_u64(), got[0]["events"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(chronicle_server::live_streams(), 1);

    // Nothing new: no second update over a few polls.
    let quiet = common::sse_updates(&mut s, &mut seen, 2, Instant::now() + Duration::from_millis(600));
    assert_eq!(quiet.len(), 1, "no update while nothing changes: {seen}");

    let mut store = Store::open(&db).expect("store");
    store.put_all([&record("b")]).expect("put");
    let second = store.last_event_id().expect("last");
    drop(store);
    assert!(second > first);
    let got = common::sse_updates(&mut s, &mut seen, 2, Instant::now() + Duration::from_secs(20));
    assert_eq!(got.len(), 2, "an update after the article is stored: {seen}");
    assert_eq!(got[1]["last_event_id"], second);
    assert_eq!(
        (got[1]["articles"].as_u64(), got[1]["events"].as_u64()),
        (Some(2), Some(2))
    );

    // The client goes away: the stream is dropped with its connection.
    drop(s);
    let deadline = Instant::now() + Duration::from_secs(20);
    while chronicle_server::live_streams() > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        chronicle_server::live_streams(),
        0,
        "the stream ended with its client"
    );
    // The server goes on serving.
    let (st, _) = get(port, "/api/stats");
    assert_eq!(st, 200);
}
