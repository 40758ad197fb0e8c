//! WARC archives (ISO 28500; Common Crawl News style: one gzip member per record, or plain),
//! read as a stream, record by record, in constant memory beyond the record at hand.
//!
//! Why our own reader: the format is a header block and a length-prefixed body, and what
//! matters here is what the crates do not give: a wrong `Content-Length`, a truncated gzip
//! member or an oversized record reported with the record's number while the rest of the
//! archive is still read. Each HTML response (or `resource`) becomes an article with its
//! URL and fetch date; every other record is skipped and counted by why.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};

use chronicle_record::{parse_published, InputArticle};

use crate::{charset, reject, Item};

/// A record body larger than this is skipped (and reported), never held in memory.
pub const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;

/// Counts for the summary note at the end of a file.
#[derive(Default)]
struct Counts {
    records: u64,
    pages: u64,
    skipped: BTreeMap<String, u64>,
}

impl Counts {
    fn skip(&mut self, why: impl Into<String>) {
        *self.skipped.entry(why.into()).or_default() += 1;
    }
}

/// Reads a WARC stream. `gzipped`: the file is a series of gzip members (`.warc.gz`).
pub fn read_warc(r: impl Read, name: &str, gzipped: bool, f: &mut dyn FnMut(Item)) {
    let mut counts = Counts::default();
    if gzipped {
        let mut src = BufReader::with_capacity(1 << 16, r);
        let mut member = 0u64;
        loop {
            match src.fill_buf() {
                Ok([]) => break,
                Ok(_) => {}
                Err(e) => {
                    reject(f, format!("{name}: gzip member {}", member + 1), e.to_string());
                    break;
                }
            }
            member += 1;
            // A bufread decoder consumes exactly its member, so the next one starts where
            // this one ended; the records inside are read as a stream.
            let dec = flate2::bufread::GzDecoder::new(src);
            let mut inner = BufReader::with_capacity(1 << 16, dec);
            let ok = read_records(&mut inner, name, &mut counts, f);
            let dec = inner.into_inner();
            src = dec.into_inner();
            if !ok {
                break;
            }
        }
    } else {
        let mut inner = BufReader::with_capacity(1 << 16, r);
        read_records(&mut inner, name, &mut counts, f);
    }
    let skipped: Vec<String> = counts.skipped.iter().map(|(k, v)| format!("{v} {k}")).collect();
    f(Item::Note(format!(
        "{name}: {} WARC record(s), {} HTML page(s) read{}",
        counts.records,
        counts.pages,
        if skipped.is_empty() {
            String::new()
        } else {
            format!(", skipped: {}", skipped.join(", "))
        }
    )));
}

/// Reads records until the stream ends. Returns false when the stream is broken beyond
/// recovery (a read error: truncated or corrupt gzip), so the caller stops.
fn read_records(r: &mut impl BufRead, name: &str, counts: &mut Counts, f: &mut dyn FnMut(Item)) -> bool {
    let mut line = Vec::new();
    loop {
        // The version line, after the blank lines that end the previous record.
        line.clear();
        match r.read_until(b'\n', &mut line) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) => {
                reject(
                    f,
                    format!("{name}: record {}", counts.records + 1),
                    format!("cannot read: {e}"),
                );
                return false;
            }
        }
        let l = trim_eol(&line);
        if l.is_empty() {
            continue;
        }
        counts.records += 1;
        let no = counts.records;
        let origin = format!("{name}: record {no}");
        if !l.starts_with(b"WARC/") {
            reject(
                f,
                &origin,
                format!(
                    "expected a WARC/1.x version line, found {:?} (a wrong Content-Length before it?); skipping to the next record",
                    String::from_utf8_lossy(l.get(..l.len().min(40)).unwrap_or(l))
                ),
            );
            if !resync(r) {
                return true;
            }
            continue;
        }
        let headers = match read_headers(r) {
            Ok(h) => h,
            Err(e) => {
                reject(f, &origin, format!("cannot read the record header: {e}"));
                return false;
            }
        };
        let get = |k: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.as_str())
        };
        let Some(len) = get("Content-Length").and_then(|v| v.trim().parse::<u64>().ok()) else {
            reject(f, &origin, "no valid Content-Length; skipping to the next record");
            if !resync(r) {
                return true;
            }
            continue;
        };
        let kind = get("WARC-Type").unwrap_or("").to_ascii_lowercase();
        if len > MAX_RECORD_BYTES {
            reject(
                f,
                &origin,
                format!("record of {len} bytes exceeds the {MAX_RECORD_BYTES}-byte limit; skipped"),
            );
            if std::io::copy(&mut r.take(len), &mut std::io::sink()).is_err() {
                return false;
            }
            continue;
        }
        let mut body = Vec::with_capacity(len.min(1 << 20) as usize);
        match r.take(len).read_to_end(&mut body) {
            Ok(n) if (n as u64) < len => {
                reject(
                    f,
                    &origin,
                    format!("truncated: Content-Length {len}, only {n} bytes left"),
                );
                return false;
            }
            Ok(_) => {}
            Err(e) => {
                reject(f, &origin, format!("truncated or corrupt: {e}"));
                return false;
            }
        }
        match kind.as_str() {
            "response" | "resource" => {}
            "" => {
                counts.skip("without WARC-Type");
                continue;
            }
            other => {
                counts.skip(token(other).unwrap_or("unreadable WARC-Type"));
                continue;
            }
        }
        let record_type = get("Content-Type").unwrap_or("").to_ascii_lowercase();
        let (content_type, payload) = if kind == "response" && record_type.starts_with("application/http") {
            match http_payload(&body) {
                Ok(p) => p,
                Err(why) => {
                    counts.skip(why);
                    continue;
                }
            }
        } else {
            (record_type.clone(), body)
        };
        if !(content_type.contains("html") || content_type.is_empty() && looks_like_html(&payload)) {
            counts.skip("non-HTML");
            continue;
        }
        if payload.iter().take(8192).any(|&b| b == 0) {
            reject(f, &origin, "binary data (NUL bytes) in an HTML record; skipped");
            continue;
        }
        let page = charset::decode_page(&payload, charset::header_charset(&content_type));
        // An empty header is no header: an article needs an id, and an empty URL is none.
        let url = get("WARC-Target-URI")
            .map(|u| u.trim().trim_matches(['<', '>']).trim().to_string())
            .filter(|u| !u.is_empty());
        let date = get("WARC-Date").map(str::trim).map(str::to_string);
        let id = get("WARC-Record-ID")
            .map(|v| {
                v.trim()
                    .trim_matches(['<', '>'])
                    .trim_start_matches("urn:uuid:")
                    .trim()
                    .to_string()
            })
            .filter(|id| !id.is_empty())
            .or_else(|| url.clone())
            .unwrap_or_else(|| format!("{name}#{no}"));
        let mut a = InputArticle {
            id,
            html: Some(page.text),
            url,
            fetched: date.as_deref().and_then(parse_published),
            ..Default::default()
        };
        if let Some(d) = date {
            a.meta.insert("fetched".into(), d.into());
        }
        a.meta.insert("warc".into(), format!("{name}#{no}").into());
        if page.had_errors {
            a.meta.insert("encoding_errors".into(), page.encoding.into());
        }
        counts.pages += 1;
        f(Item::Article(Box::new(a)));
    }
}

/// A header value as the closing note may name it ("3 metadata", "1 br-encoded body"): a
/// short token, as the standard's values are; `None` for anything else, so that a garbage
/// value neither floods the note nor makes its counts ambiguous.
fn token(value: &str) -> Option<&str> {
    let ok = !value.is_empty()
        && value.len() <= 40
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/' | b'+'));
    ok.then_some(value)
}

/// Skips to the next line that starts a record ("WARC/"), leaving it unread. False at the
/// end of the stream.
fn resync(r: &mut impl BufRead) -> bool {
    loop {
        let buf = match r.fill_buf() {
            Ok([]) | Err(_) => return false,
            Ok(b) => b,
        };
        // Look for "\nWARC/" (or a buffer that starts with it after a newline).
        if let Some(i) = buf.windows(6).position(|w| w == b"\nWARC/") {
            r.consume(i + 1);
            return true;
        }
        let keep = buf.len().saturating_sub(5).max(1);
        r.consume(keep);
    }
}

fn trim_eol(l: &[u8]) -> &[u8] {
    let mut l = l;
    while let [rest @ .., b'\n' | b'\r'] = l {
        l = rest;
    }
    l
}

/// Header lines up to the blank line, as (name, value).
fn read_headers(r: &mut impl BufRead) -> std::io::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line)? == 0 {
            return Ok(out);
        }
        let l = trim_eol(&line);
        if l.is_empty() {
            return Ok(out);
        }
        let s = String::from_utf8_lossy(l);
        match s.split_once(':') {
            Some((k, v)) => out.push((k.trim().to_string(), v.trim().to_string())),
            // A folded continuation line belongs to the previous header.
            None => {
                if let Some(last) = out.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(s.trim());
                }
            }
        }
        if out.len() > 512 {
            return Ok(out);
        }
    }
}

/// The HTTP response inside a `response` record: its content type and decoded body, or why
/// it is skipped.
fn http_payload(body: &[u8]) -> Result<(String, Vec<u8>), String> {
    let split = body
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| body.windows(2).position(|w| w == b"\n\n").map(|i| (i, i + 2)))
        .ok_or("HTTP response without a header end")?;
    let head = String::from_utf8_lossy(body.get(..split.0).unwrap_or(&[])).into_owned();
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("");
    let code: u16 = status
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    if !(200..300).contains(&code) {
        return Err(format!("HTTP {code}"));
    }
    let mut content_type = String::new();
    let mut encoding = String::new();
    let mut chunked = false;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            let (k, v) = (k.trim(), v.trim());
            if k.eq_ignore_ascii_case("content-type") {
                content_type = v.to_ascii_lowercase();
            } else if k.eq_ignore_ascii_case("content-encoding") {
                encoding = v.to_ascii_lowercase();
            } else if k.eq_ignore_ascii_case("transfer-encoding") {
                chunked = v.to_ascii_lowercase().contains("chunked");
            }
        }
    }
    let raw = body.get(split.1..).unwrap_or(&[]);
    let raw = if chunked {
        dechunk(raw).unwrap_or_else(|| raw.to_vec())
    } else {
        raw.to_vec()
    };
    let payload = match encoding.as_str() {
        "" | "identity" => raw,
        "gzip" | "x-gzip" => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&raw[..])
                .take(MAX_RECORD_BYTES)
                .read_to_end(&mut out)
                .map_err(|_| "corrupt gzip body".to_string())?;
            out
        }
        "deflate" => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(&raw[..])
                .take(MAX_RECORD_BYTES)
                .read_to_end(&mut out)
                .map_err(|_| "corrupt deflate body".to_string())?;
            out
        }
        other => {
            return Err(
                token(other).map_or("body in an unreadable Content-Encoding".into(), |t| {
                    format!("{t}-encoded body")
                }),
            )
        }
    };
    Ok((content_type, payload))
}

/// Undoes HTTP chunked transfer coding; `None` when the framing is broken.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n")?;
        let size_str = std::str::from_utf8(b.get(..eol)?).ok()?;
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        b = b.get(eol + 2..)?;
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size..)?;
        b = b.strip_prefix(b"\r\n").unwrap_or(b);
    }
}

fn looks_like_html(b: &[u8]) -> bool {
    let head: Vec<u8> = b.iter().take(512).map(u8::to_ascii_lowercase).collect();
    head.windows(5).any(|w| w == b"<html") || head.windows(9).any(|w| w == b"<!doctype")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(kind: &str, ct: &str, body: &[u8], uri: &str) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2024-03-05T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nWARC-Target-URI: https://example.org/{uri}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn http(ct: &str, body: &[u8]) -> Vec<u8> {
        let mut h = format!("HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\n\r\n").into_bytes();
        h.extend_from_slice(body);
        h
    }

    fn gz(b: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    }

    fn run(bytes: &[u8], gzipped: bool) -> (Vec<InputArticle>, Vec<String>, Vec<String>) {
        let (mut a, mut r, mut n) = (Vec::new(), Vec::new(), Vec::new());
        read_warc(bytes, "t.warc", gzipped, &mut |i| match i {
            Item::Article(x) => a.push(*x),
            Item::Rejected(x) => r.push(x.to_string()),
            Item::Note(x) => n.push(x),
            Item::Line { .. } => {}
        });
        (a, r, n)
    }

    fn archive() -> Vec<Vec<u8>> {
        let page = b"<html><body><p>Shelling hit Donetsk on Monday.</p></body></html>";
        vec![
            record("warcinfo", "application/warc-fields", b"software: test", "i"),
            record(
                "request",
                "application/http; msgtype=request",
                b"GET / HTTP/1.1\r\n\r\n",
                "q",
            ),
            record(
                "response",
                "application/http; msgtype=response",
                &http("text/html; charset=utf-8", page),
                "a",
            ),
            record(
                "response",
                "application/http; msgtype=response",
                &http("image/png", b"\x89PNG"),
                "p",
            ),
            record(
                "response",
                "application/http; msgtype=response",
                &http("text/html; charset=windows-1251", &[0xCA, 0xE8, 0xBF, 0xE2]),
                "b",
            ),
        ]
    }

    #[test]
    fn empty_record_id_and_target_uri_headers_are_absent_ones() {
        // Found by the readers fuzz target: `WARC-Record-ID: <>` gave an article with an
        // empty id. Empty headers now fall back to the URL, then to the record's place.
        let body = http("text/html", b"<html><p>Kyiv</p></html>");
        let rec = record("response", "application/http; msgtype=response", &body, "x")
            .iter()
            .map(|&b| b as char)
            .collect::<String>()
            .replace("<urn:uuid:x>", "<urn:uuid: >")
            .replace("https://example.org/x", "<>");
        let (a, r, _) = run(rec.as_bytes(), false);
        assert!(r.is_empty(), "{r:?}");
        assert_eq!(a.len(), 1);
        assert!(!a[0].id.is_empty() && a[0].id.contains('#'), "{:?}", a[0].id);
        assert_eq!(a[0].url, None);
    }

    #[test]
    fn html_responses_become_articles_with_url_and_fetch_date_and_the_rest_is_counted() {
        for gzipped in [false, true] {
            let bytes: Vec<u8> = if gzipped {
                archive().iter().flat_map(|r| gz(r)).collect()
            } else {
                archive().concat()
            };
            let (a, r, n) = run(&bytes, gzipped);
            assert!(r.is_empty(), "{r:?}");
            assert_eq!(a.len(), 2);
            assert_eq!(a[0].url.as_deref(), Some("https://example.org/a"));
            assert_eq!(a[0].id, "a");
            assert_eq!(a[0].fetched, chrono::NaiveDate::from_ymd_opt(2024, 3, 5));
            assert!(a[0].html.as_deref().is_some_and(|h| h.contains("Donetsk")));
            assert_eq!(a[1].html.as_deref(), Some("Київ"));
            let note = n.last().expect("a summary");
            assert!(note.contains("5 WARC record(s), 2 HTML page(s)"), "{note}");
            assert!(
                note.contains("1 non-HTML") && note.contains("1 request") && note.contains("1 warcinfo"),
                "{note}"
            );
        }
    }

    #[test]
    fn a_wrong_length_is_reported_and_the_next_record_is_still_read() {
        let recs = archive();
        let mut bad = recs[2].clone();
        // Claim 10 bytes fewer than the body has.
        let s = String::from_utf8_lossy(&bad).into_owned();
        let len: usize = s
            .split("Content-Length: ")
            .nth(1)
            .unwrap()
            .split('\r')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        bad = s
            .replacen(
                &format!("Content-Length: {len}"),
                &format!("Content-Length: {}", len - 10),
                1,
            )
            .into_bytes();
        let bytes = [recs[0].clone(), bad, recs[4].clone()].concat();
        let (a, r, _) = run(&bytes, false);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].contains("record 3") && r[0].contains("WARC/1.x"), "{r:?}");
        assert_eq!(a.last().and_then(|a| a.html.clone()).as_deref(), Some("Київ"));
    }

    #[test]
    fn garbage_header_values_are_not_echoed_into_the_note() {
        // Found by the readers fuzz target: a WARC-Type (or Content-Encoding) of arbitrary
        // bytes went into the closing note as it was, kilobytes of it, with commas and
        // digits that made the note's counts ambiguous.
        let garbage = "respon\u{fffd}se, 1 request, 7 x".repeat(100);
        let mut bytes = record(&garbage, "text/html", b"<p>x</p>", "g");
        bytes.extend(record("metadata", "application/warc-fields", b"k: v", "m"));
        let mut enc =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: \x01, 9 z\r\n\r\n".to_vec();
        enc.extend_from_slice(b"<p>x</p>");
        bytes.extend(record(
            "response",
            "application/http; msgtype=response",
            &enc,
            "e",
        ));
        let (a, r, n) = run(&bytes, false);
        assert!(a.is_empty() && r.is_empty(), "{r:?}");
        assert_eq!(
            n,
            vec![
                "t.warc: 3 WARC record(s), 0 HTML page(s) read, skipped: 1 body in an unreadable Content-Encoding, 1 metadata, 1 unreadable WARC-Type"
            ]
        );
    }

    #[test]
    fn a_truncated_gzip_member_is_reported_with_its_record() {
        let recs = archive();
        let mut bytes: Vec<u8> = recs.iter().take(3).flat_map(|r| gz(r)).collect();
        let last = gz(&recs[4]);
        bytes.extend_from_slice(&last[..last.len() / 2]);
        let (a, r, _) = run(&bytes, true);
        assert_eq!(a.len(), 1);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].contains("record 4"), "{r:?}");
    }
}
