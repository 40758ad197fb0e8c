//! A plain HTTP/1.1 client over TCP for the API tests: one request per connection, the
//! answer as status, lower-cased head and body, so tests see exactly what went over the wire.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

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
