//! The API against a real SQLite file and a real server on a local port, spoken to over a
//! plain TCP socket.

use std::io::{Read, Write};
use std::net::TcpStream;

use chronicle_record::Record;
use chronicle_store::Store;
use serde_json::Value;

fn record(id: &str) -> Record {
    let j = serde_json::json!({
        "schema": 1, "id": id, "published": "2025-12-03", "title": "Talks fail", "url": null, "source": "s",
        "meta": {}, "text": "Putin rejected the plan. “No,” Peskov said.",
        "sentences": [[0, 24], [25, 43]], "paragraphs": [[0, 43]],
        "entities": [],
        "quotes": [{"id": "q1", "start": 26, "end": 28, "content": "No", "kind": "direct", "speaker": null,
                    "speaker_text": "Dmitry Peskov", "cue": "said", "cue_span": [38, 42]}],
        "events": [{"id": "v1", "cameo": "120", "root": "12", "quad": 3, "goldstein": -4.0,
                    "plover": {"type": "REJECT", "mode": null},
                    "source": {"entity": null, "code": "RUSGOV", "text": "Putin", "span": [0, 5]},
                    "target": null, "sentence": [0, 24], "trigger": [6, 14], "modality": "asserted",
                    "date": "2025-12-02", "date_text": null, "location": null,
                    "killed": null, "wounded": null, "victims": null}],
        "timexes": [], "diagnostics": []
    });
    serde_json::from_value(j).expect("test record matches the contract types")
}

/// GET `path`; (status, JSON body).
fn get(port: u16, path: &str) -> (u16, Value) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut buf = String::new();
    s.read_to_string(&mut buf).expect("read");
    let status: u16 = buf
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = buf.split_once("\r\n\r\n").map(|x| x.1).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[test]
fn the_api_answers_filters_pages_and_errors_in_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let mut store = Store::open(&db).expect("store");
    store
        .put_all([&record("a"), &record("b"), &record("c")])
        .expect("put");
    drop(store);

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let app = chronicle_server::router(db.clone());
    rt.spawn(async move { axum::serve(listener, app).await });

    let (st, stats) = get(port, "/api/stats");
    assert_eq!(st, 200);
    assert_eq!(stats["articles"], 3);

    let (st, ev) = get(port, "/api/events?actor=RUS&limit=2&offset=1");
    assert_eq!(st, 200, "{ev}");
    assert_eq!(ev["count"], 2);
    assert_eq!(ev["events"][0]["article_id"], "b");
    assert_eq!(ev["events"][0]["sentence"], "Putin rejected the plan.");
    let (_, none) = get(port, "/api/events?cameo=19");
    assert_eq!(none["count"], 0);

    let (_, q) = get(port, "/api/quotes?speaker=Peskov&limit=1&offset=2");
    assert_eq!(q["count"], 1);
    assert_eq!(q["quotes"][0]["article_id"], "c");

    let (_, found) = get(port, "/api/articles?q=Peskov");
    assert_eq!(found["count"], 3);
    assert!(found["articles"][0]["snippet"]
        .as_str()
        .is_some_and(|s| s.contains("[Peskov]")));

    let (st, rec) = get(port, "/api/articles/b");
    assert_eq!(st, 200);
    assert_eq!(rec["id"], "b");
    assert_eq!(rec["quotes"][0]["speaker_text"], "Dmitry Peskov");

    let (st, err) = get(port, "/api/articles/zzz");
    assert_eq!(st, 404);
    assert!(err["error"].as_str().is_some_and(|e| e.contains("zzz")));
    let (st, err) = get(port, "/api/articles?q=AND%20AND");
    assert_eq!(st, 400);
    assert!(err["error"].as_str().is_some_and(|e| e.contains("fts5")));
    let (st, _) = get(port, "/nope");
    assert_eq!(st, 404);

    let (st, spec) = get(port, "/openapi.json");
    assert_eq!(st, 200);
    assert_eq!(spec["openapi"], "3.0.3");
    for p in [
        "/api/events",
        "/api/quotes",
        "/api/actors",
        "/api/articles",
        "/api/articles/{id}",
    ] {
        assert!(spec["paths"][p].is_object(), "{p} is described");
    }
}
