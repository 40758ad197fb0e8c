//! A plain HTTP/1.1 client over TCP for the API tests: one request per connection, the
//! answer as status, lower-cased head and body, so tests see exactly what went over the wire.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Sends one request (`headers` are extra header lines, each ending in `\r\n`); (status,
/// lower-cased head, body). A refused large body may close the connection before all of it
/// is sent; what came back is still returned.
pub fn request(
    addr: impl ToSocketAddrs,
    method: &str,
    path: &str,
    headers: &str,
    body: &[u8],
) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n{headers}\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).expect("send");
    let _ = s.write_all(body);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let buf = String::from_utf8_lossy(&buf).into_owned();
    let status = buf
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, body) = buf.split_once("\r\n\r\n").unwrap_or((&buf, ""));
    (status, head.to_lowercase(), body.to_string())
}

/// GET `path`; (status, JSON body or null).
#[allow(dead_code)] // not every test file asks for JSON
pub fn get_json(addr: impl ToSocketAddrs, path: &str) -> (u16, Value) {
    let (status, _, body) = request(addr, "GET", path, "", b"");
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// Opens `GET /api/live` on `port` (a server-sent event stream that never ends by itself):
/// the socket, set to give up a read after 200 ms so [`sse_updates`] can keep to a deadline.
#[allow(dead_code)] // not every test file opens the live feed
pub fn open_live(port: u16) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    s.write_all(b"GET /api/live HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
        .expect("send");
    s
}

/// Reads an SSE response off `s` (appending what it reads to `seen`) until it holds `n`
/// `update` events or `deadline` passes; their data, parsed. The body comes chunked; each
/// event is one chunk, so its `data:` line arrives whole between the chunk-size lines.
#[allow(dead_code)]
pub fn sse_updates(s: &mut TcpStream, seen: &mut String, n: usize, deadline: Instant) -> Vec<Value> {
    let parse = |text: &str| -> Vec<Value> {
        let mut out = Vec::new();
        let mut in_update = false;
        for line in text.lines() {
            if line == "event: update" {
                in_update = true;
            } else if let (true, Some(data)) = (in_update, line.strip_prefix("data: ")) {
                out.extend(serde_json::from_str::<Value>(data).ok());
                in_update = false;
            }
        }
        out
    };
    let mut buf = [0u8; 4096];
    loop {
        let found = parse(seen);
        if found.len() >= n || Instant::now() >= deadline {
            return found;
        }
        match s.read(&mut buf) {
            Ok(0) => return found,
            Ok(k) => seen.push_str(&String::from_utf8_lossy(&buf[..k])),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("reading the stream: {e}"),
        }
    }
}

/// Serves the store at `db` (a file path or a PostgreSQL URL) with `opts` on a free port of
/// 127.0.0.1: the runtime serving it (the server stops when the caller drops it) and the
/// port.
#[allow(dead_code)] // not every test file serves a store this way
pub fn serve(db: impl Into<String>, opts: &chronicle_server::Options) -> (tokio::runtime::Runtime, u16) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let app = chronicle_server::router_with(db.into(), opts);
    rt.spawn(async move { axum::serve(listener, app).await });
    (rt, port)
}

/// One stored article of the API tests: Putin rejects the plan (an asserted REJECT event
/// placed in Moscow, 2025-12-02) and Peskov says "No" (a direct quote).
#[allow(dead_code)] // not every test file stores it
pub fn talks(id: &str) -> chronicle_record::Record {
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
                    "target": {"entity": null, "code": "USAGOV", "text": "the plan", "span": [15, 23]},
                    "sentence": [0, 24], "trigger": [6, 14], "modality": "asserted",
                    "date": "2025-12-02", "date_text": null,
                    "location": {"entity": "e1", "name": "Moscow", "country": "RUS", "admin1": "Moskva",
                                 "lat": 55.75, "lon": 37.62, "precision": "town", "basis": "clause"},
                    "killed": null, "wounded": null, "victims": null}],
        "timexes": [], "diagnostics": []
    });
    serde_json::from_value(j).expect("test record matches the contract types")
}
