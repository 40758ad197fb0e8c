//! The server's limits and defaults, against a real SQLite file and the real accept loop
//! (`serve_with`) on a local port, spoken to over plain TCP: read-only by default, writes
//! only with the token, CORS off unless an origin is named, request and page limits, a
//! query past its time limit interrupted and answered 503, slow clients cut off, and no
//! internal detail in any answer.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use chronicle_record::Record;
use chronicle_server::{ArticleWriter, Options, WriteAccess, Written};
use chronicle_store::Store;
use common::request;
use serde_json::Value;

fn record(id: &str, actor: &str) -> Record {
    let j = serde_json::json!({
        "schema": 1, "id": id, "published": "2025-12-03", "title": "Talks fail", "url": null, "source": "s",
        "meta": {}, "text": "Putin rejected the plan.",
        "sentences": [[0, 24]], "paragraphs": [[0, 24]], "entities": [], "quotes": [],
        "events": [{"id": "v1", "cameo": "120", "root": "12", "quad": 3, "goldstein": -4.0,
                    "plover": {"type": "REJECT", "mode": null},
                    "source": {"entity": null, "code": "RUSGOV", "text": actor, "span": [0, 5]},
                    "target": {"entity": null, "code": "USAGOV", "text": "the plan", "span": [15, 23]},
                    "sentence": [0, 24], "trigger": [6, 14], "modality": "asserted",
                    "date": "2025-12-02", "date_text": null, "location": null,
                    "killed": null, "wounded": null, "victims": null}],
        "timexes": [], "diagnostics": []
    });
    serde_json::from_value(j).expect("test record matches the contract types")
}

/// Starts `serve_with` on a free port on a thread of its own; its address.
fn start(db: &std::path::Path, opts: Options) -> SocketAddr {
    let (tx, rx) = mpsc::channel();
    let db = db.to_string_lossy().into_owned();
    std::thread::spawn(move || {
        let addr = SocketAddr::from(([127, 0, 0, 1], 0));
        let _ = chronicle_server::serve_blocking(db, addr, opts, move |bound| {
            let _ = tx.send(bound);
        });
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the server binds")
}

fn get(addr: SocketAddr, path: &str) -> (u16, Value) {
    common::get_json(addr, path)
}

fn error_of(v: &Value) -> &str {
    v["error"].as_str().unwrap_or("")
}

#[test]
fn read_only_by_default_with_limits_and_no_cors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("h.db");
    let mut store = Store::open(&db).expect("store");
    store
        .put_all([&record("a", "Putin"), &record("b", "Putin")])
        .expect("put");
    drop(store);
    let addr = start(&db, Options::default());

    // Writes are refused without a token configured, whatever the client sends.
    let art = br#"{"id": "x", "text": "Putin rejected the plan."}"#;
    let (st, _, body) = request(
        addr,
        "POST",
        "/api/articles",
        "Authorization: Bearer anything-at-all-x\r\n",
        art,
    );
    assert_eq!(st, 403, "{body}");
    assert!(body.contains("read-only"), "{body}");
    assert_eq!(get(addr, "/api/stats").1["articles"], 2, "nothing was written");

    // Every answer carries the hardening headers; no CORS header for any origin.
    let (st, head, _) = request(addr, "GET", "/api/stats", "Origin: https://evil.example\r\n", b"");
    assert_eq!(st, 200);
    for h in [
        "x-content-type-options: nosniff",
        "x-frame-options: deny",
        "referrer-policy: no-referrer",
    ] {
        assert!(head.contains(h), "{h} missing in {head}");
    }
    assert!(!head.contains("access-control-allow-origin"), "{head}");
    let (st, head, _) = request(
        addr,
        "OPTIONS",
        "/api/events",
        "Origin: https://evil.example\r\nAccess-Control-Request-Method: GET\r\n",
        b"",
    );
    assert!(
        !head.contains("access-control-allow-origin"),
        "preflight {st}: {head}"
    );

    // Pages: limits are capped, offsets bounded, absurd numbers are 400s (never a panic).
    let (st, v) = get(addr, "/api/events?limit=18446744073709551615");
    assert_eq!(
        (st, v["limit"].as_u64()),
        (200, Some(chronicle_server::MAX_LIMIT)),
        "{v}"
    );
    for q in [
        "/api/events?offset=18446744073709551615",
        "/api/quotes?offset=99999999999",
        "/api/network?offset=10000001",
    ] {
        let (st, v) = get(addr, q);
        assert_eq!(st, 400, "{q}: {v}");
        assert!(error_of(&v).contains("offset"), "{q}: {v}");
    }
    let (st, v) = get(addr, "/api/quotes?offset=10000000&limit=1000");
    assert_eq!((st, v["count"].as_u64()), (200, Some(0)), "{v}");
    let (st, v) = get(addr, "/api/events?limit=99999999999999999999999");
    assert_eq!(st, 400, "{v}");

    // An over-long request target is refused with a JSON 414.
    let long = format!(
        "/api/events?actor={}",
        "x".repeat(chronicle_server::MAX_URI_BYTES)
    );
    let (st, v) = get(addr, &long);
    assert_eq!(st, 414, "{v}");
    assert!(error_of(&v).contains("bytes"), "{v}");

    // SQL metacharacters are data: the filters are parameters, the store is intact.
    for q in [
        "/api/events?actor=%27%3B%20DROP%20TABLE%20events%3B%20--",
        "/api/quotes?speaker=%25%27%20OR%201%3D1%20--",
        "/api/actors?name=%22)%20UNION%20SELECT%20*%20FROM%20articles--",
        "/api/articles/%27%20OR%20%271%27%3D%271",
    ] {
        let (st, v) = get(addr, q);
        assert!(st == 200 || st == 404, "{q}: {st} {v}");
        assert!(v["count"].as_u64().unwrap_or(0) == 0, "{q}: {v}");
    }
    assert_eq!(
        get(addr, "/api/stats").1["events"],
        2,
        "the events table is intact"
    );

    // A client that never finishes its headers is cut off (not held forever).
    let mut slow = TcpStream::connect(addr).expect("connect");
    slow.write_all(b"GET /api/stats HTTP/1.1\r\nHost: x\r\n")
        .expect("send");
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let began = Instant::now();
    let mut buf = Vec::new();
    let _ = slow.read_to_end(&mut buf);
    assert!(
        began.elapsed() < Duration::from_secs(25),
        "a slow client held its connection for {:?}",
        began.elapsed()
    );
}

/// Stores bodies it is sent, so the test sees what got through.
struct Recorder(Mutex<Vec<Vec<u8>>>);

impl ArticleWriter for Recorder {
    fn write(&self, body: &[u8]) -> Result<Written, String> {
        self.0.lock().map_err(|e| e.to_string())?.push(body.to_vec());
        Ok(Written {
            stored: vec!["x".into()],
            rejected: Vec::new(),
        })
    }
}

#[test]
fn writes_need_the_token_and_cors_only_for_named_origins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("w.db");
    Store::open(&db).expect("store");
    let recorder = Arc::new(Recorder(Mutex::new(Vec::new())));
    let token = "0123456789abcdef0123";
    let addr = start(
        &db,
        Options {
            write: Some(WriteAccess {
                token: token.into(),
                writer: recorder.clone(),
            }),
            cors_origins: vec!["https://notebook.example".into()],
            ..Default::default()
        },
    );
    let art = br#"{"id": "x", "text": "t"}"#;
    for auth in [
        "",
        "Authorization: Bearer wrong\r\n",
        "Authorization: Bearer 0123456789abcdef012\r\n",
        "Authorization: Basic MDEyMw==\r\n",
    ] {
        let (st, head, body) = request(addr, "POST", "/api/articles", auth, art);
        assert_eq!(st, 401, "{auth:?}: {body}");
        assert!(head.contains("www-authenticate: bearer"), "{head}");
    }
    assert!(
        recorder.0.lock().map(|v| v.is_empty()).unwrap_or(false),
        "nothing reached the writer"
    );
    // Without the token the answer comes before the body is read: a client announcing a
    // gigabyte and sending none of it is refused at once, not waited for.
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    s.write_all(b"POST /api/articles HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n")
        .expect("send");
    let mut head = [0u8; 12];
    s.read_exact(&mut head).expect("an answer without the body");
    assert_eq!(&head, b"HTTP/1.1 401", "{}", String::from_utf8_lossy(&head));
    let auth = format!("Authorization: Bearer {token}\r\n");
    let (st, _, body) = request(addr, "POST", "/api/articles", &auth, art);
    assert_eq!(st, 200, "{body}");
    assert_eq!(recorder.0.lock().map(|v| v.len()).unwrap_or(0), 1);
    // A body over the limit is refused before the writer sees it.
    let big = vec![b' '; chronicle_server::MAX_BODY_BYTES + 1];
    let (st, _, body) = request(addr, "POST", "/api/articles", &auth, &big);
    assert_eq!(st, 413, "{body}");
    assert_eq!(recorder.0.lock().map(|v| v.len()).unwrap_or(0), 1);

    // CORS: the named origin is allowed, another is not.
    let (_, head, _) = request(
        addr,
        "GET",
        "/api/stats",
        "Origin: https://notebook.example\r\n",
        b"",
    );
    assert!(
        head.contains("access-control-allow-origin: https://notebook.example"),
        "{head}"
    );
    let (_, head, _) = request(addr, "GET", "/api/stats", "Origin: https://evil.example\r\n", b"");
    assert!(!head.contains("access-control-allow-origin"), "{head}");
}

#[test]
fn a_query_past_its_time_limit_is_interrupted_and_answered_503() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.db");
    let mut store = Store::open(&db).expect("store");
    // Enough events that a substring filter scans for far longer than the limit.
    let records: Vec<Record> = (0..40_000)
        .map(|i| record(&format!("r{i}"), &format!("Actor {i}")))
        .collect();
    store.put_all(records.iter()).expect("put");
    drop(store);
    let addr = start(
        &db,
        Options {
            query_timeout: Duration::from_micros(200),
            ..Default::default()
        },
    );
    let (st, v) = get(addr, "/api/events?actor=nobody-at-all&limit=10");
    assert_eq!(st, 503, "{v}");
    assert!(error_of(&v).contains("limit"), "{v}");
    // The interrupted connection is not reused broken: the server goes on answering.
    let (st, v) = get(addr, "/api/events?actor=nobody-at-all&limit=10");
    assert_eq!(st, 503, "{v}");
    let (st, v) = get(addr, "/api/nothing");
    assert_eq!(st, 404, "{v}");
}
