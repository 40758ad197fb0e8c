//! `chronicle serve --write-token`: articles posted to `/api/articles` go through the real
//! pipeline into the real store and are served at once; without the token, or from a
//! server started without one, nothing is written.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_chronicle");
const SEED: &str = include_str!("../fixtures/seed-peace-talks.jsonl");

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `chronicle serve` on a free port; the server and its `host:port`.
fn serve(db: &std::path::Path, token: Option<&str>) -> (Server, String) {
    let mut cmd = Command::new(BIN);
    cmd.arg("serve").arg("--db").arg(db).args(["--port", "0"]);
    cmd.env_remove("CHRONICLE_WRITE_TOKEN");
    if let Some(t) = token {
        cmd.env("CHRONICLE_WRITE_TOKEN", t);
    }
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let stderr = child.stderr.take().expect("piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
                if let Some(tx) = tx.take() {
                    let _ = tx.send((
                        url.trim_start_matches("http://")
                            .trim_end_matches('/')
                            .to_string(),
                        line.clone(),
                    ));
                }
            }
        }
    });
    let (addr, line) = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the server prints its URL");
    let mode = if token.is_some() {
        "write token"
    } else {
        "read-only"
    };
    assert!(line.contains(mode), "{line}");
    (Server(child), addr)
}

fn request(addr: &str, method: &str, path: &str, headers: &str, body: &str) -> (u16, serde_json::Value) {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{headers}\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut buf = String::new();
    s.read_to_string(&mut buf).expect("read");
    let status = buf
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = buf.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (
        status,
        serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
    )
}

#[test]
fn posted_articles_are_extracted_stored_and_served() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("w.db");
    let out = Command::new(BIN)
        .args(["ingest", "--quiet", "--db"])
        .arg(&db)
        .arg("-")
        .stdin(Stdio::null())
        .output()
        .expect("ingest runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // Read-only: the same request is refused.
    {
        let (_server, addr) = serve(&db, None);
        let (st, v) = request(
            &addr,
            "POST",
            "/api/articles",
            "Authorization: Bearer 0123456789abcdef\r\n",
            SEED.trim(),
        );
        assert_eq!(st, 403, "{v}");
    }

    let token = "test-token-0123456789";
    let (_server, addr) = serve(&db, Some(token));
    let (st, v) = request(&addr, "POST", "/api/articles", "", SEED.trim());
    assert_eq!(st, 401, "{v}");
    let (st, v) = request(&addr, "GET", "/api/stats", "", "");
    assert_eq!((st, v["articles"].as_u64()), (200, Some(0)), "{v}");

    // An array: the seed and a broken record; the seed is stored, the other reported.
    let seed: serde_json::Value = serde_json::from_str(SEED.trim()).expect("seed JSON");
    let body = serde_json::json!([seed, {"title": "no id and no text"}]).to_string();
    let auth = format!("Authorization: Bearer {token}\r\n");
    let (st, v) = request(&addr, "POST", "/api/articles", &auth, &body);
    assert_eq!(st, 200, "{v}");
    let id = seed["id"].as_str().expect("seed id");
    assert_eq!(v["stored"], serde_json::json!([id]), "{v}");
    assert_eq!(v["rejected"][0]["record"], "record 2", "{v}");
    assert!(
        v["rejected"][0]["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{v}"
    );

    // Served at once, extracted by the real pipeline.
    let (st, rec) = request(&addr, "GET", &format!("/api/articles/{id}"), "", "");
    assert_eq!(st, 200, "{rec}");
    assert!(rec["events"].as_array().is_some_and(|e| !e.is_empty()), "{rec}");
    assert!(rec["quotes"].as_array().is_some_and(|q| !q.is_empty()), "{rec}");

    // Nothing valid at all: a 400 that says why.
    let (st, v) = request(&addr, "POST", "/api/articles", &auth, "{not json");
    assert_eq!(st, 400, "{v}");
    assert!(
        v["rejected"][0]["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{v}"
    );
}
