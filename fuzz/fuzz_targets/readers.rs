//! Every reader of `chronicle_ingest` through `read_bytes`, the in-memory twin of reading
//! a file: the first byte picks the file name (its extension picks the format: JSONL,
//! gzipped JSONL, JSON, text, HTML with its charset, WARC, gzipped WARC, RSS/Atom, or none,
//! so the content is sniffed); for the gzipped formats, bit 4 of that byte says whether to
//! gzip the rest here (so the fuzzer mutates what is inside: WARC records one gzip member
//! each, as Common Crawl writes them) or to pass the bytes as they are (corrupt and
//! truncated gzip).
//!
//! Checks: articles have text or html within the size limit and an id; every rejection
//! names this file; a WARC file's closing note accounts for every record (pages read +
//! records skipped + records rejected = records); a feed's note counts its articles.
#![no_main]

use chronicle_ingest::{read_bytes, InputOptions, Item, MAX_PAGE_BYTES};
use libfuzzer_sys::fuzz_target;
use std::io::Write;

const NAMES: [&str; 9] = [
    "in.jsonl",
    "in.jsonl.gz",
    "in.json",
    "in.txt",
    "in.html",
    "in.warc",
    "in.warc.gz",
    "in.xml",
    "in",
];

fn gzip(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in parts {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let _ = e.write_all(p);
        out.extend(e.finish().unwrap_or_default());
    }
    out
}

/// Splits a WARC file before each line that starts a record.
fn records(data: &[u8]) -> Vec<&[u8]> {
    let mut starts = vec![0];
    for i in 1..data.len() {
        if data[i - 1] == b'\n' && data[i..].starts_with(b"WARC/") {
            starts.push(i);
        }
    }
    starts.push(data.len());
    starts.windows(2).map(|w| &data[w[0]..w[1]]).collect()
}

/// The numbers of "N WARC record(s), P HTML page(s) read, skipped: a x, b y".
fn warc_note(n: &str) -> (u64, u64, u64) {
    let num = |s: &str| s.trim().split(' ').next().and_then(|x| x.parse::<u64>().ok());
    let rest = n.split_once(": ").map_or("", |x| x.1);
    let (counts, skipped) = rest.split_once(", skipped: ").unwrap_or((rest, ""));
    let (recs, pages) = counts.split_once(", ").unwrap_or((counts, ""));
    let skipped: u64 = skipped.split(", ").filter_map(num).sum();
    (
        num(recs).unwrap_or_else(|| panic!("note {n:?}")),
        num(pages).unwrap_or_else(|| panic!("note {n:?}")),
        skipped,
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(sel & 0x0f) % NAMES.len()];
    let compress = sel & 0x10 != 0;
    let bytes = match name {
        "in.jsonl.gz" if compress => gzip(&[rest]),
        "in.warc.gz" if compress => gzip(&records(rest)),
        _ => rest.to_vec(),
    };
    let opts = InputOptions {
        published: chrono::NaiveDate::from_ymd_opt(2025, 12, 3),
    };
    let (mut articles, mut rejected, mut record_rejections) = (0u64, 0u64, 0u64);
    let mut notes = Vec::new();
    read_bytes(&bytes, name, &opts, &mut |item| match item.parse() {
        Item::Article(a) => {
            articles += 1;
            assert!(
                a.text.is_some() || a.html.is_some(),
                "article without text or html"
            );
            assert!(!a.id.is_empty(), "article without id");
            let size = a.text.as_ref().map_or(0, String::len) + a.html.as_ref().map_or(0, String::len);
            // Decoding a legacy charset can grow a page up to 3x.
            assert!(size <= 3 * MAX_PAGE_BYTES + 3, "article of {size} bytes");
        }
        Item::Rejected(r) => {
            rejected += 1;
            assert!(r.origin.starts_with(name), "rejection {r} does not name the file");
            assert!(!r.reason.is_empty(), "rejection without a reason");
            // Rejections of a record that was counted (read errors before a record's
            // version line are not: nothing of that record was read).
            if r.origin.contains(": record ") && !r.reason.starts_with("cannot read:") {
                record_rejections += 1;
            }
        }
        Item::Note(n) => notes.push(n),
        Item::Line { .. } => panic!("parse left a line"),
    });
    let _ = rejected;
    if name.starts_with("in.warc") {
        assert_eq!(notes.len(), 1, "one closing note per WARC file: {notes:?}");
        let (records, pages, skipped) = warc_note(&notes[0]);
        assert_eq!(pages, articles, "pages in the note vs articles: {notes:?}");
        assert_eq!(
            pages + skipped + record_rejections,
            records,
            "every WARC record is read, skipped or rejected: {notes:?}, {record_rejections} rejected"
        );
    }
    if let Some(n) = notes.iter().find(|n| n.contains("feed entr")) {
        let read: u64 = n
            .rsplit(": ")
            .next()
            .and_then(|s| s.split(' ').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("note {n:?}"));
        assert_eq!(read, articles, "feed note vs articles");
    }
});
