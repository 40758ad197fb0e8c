//! The JSONL reader (`chronicle_ingest::read_jsonl`) and the line parser (`Item::parse`) on
//! arbitrary bytes. Checks: every non-blank line gives exactly one article or one rejection
//! naming this file and its line, in order ("nothing from input is dropped silently"); an
//! empty file is rejected; every article has text or html and gives itself back through
//! `to_json_line` (the work queue's round trip).
#![no_main]

use chronicle_ingest::{read_jsonl, Item};
use chronicle_record::InputArticle;
use libfuzzer_sys::fuzz_target;

const NAME: &str = "in.jsonl";

/// Lines that must produce an item, by our own count: every line but the blank ones (after
/// a first-line byte-order mark); a line that is not UTF-8 is never blank.
fn expected_lines(data: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut pieces: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if data.ends_with(b"\n") {
        pieces.pop();
    }
    for (i, p) in pieces.iter().enumerate() {
        let blank = match std::str::from_utf8(p) {
            Ok(s) => {
                let s = if i == 0 {
                    s.strip_prefix('\u{feff}').unwrap_or(s)
                } else {
                    s
                };
                s.trim().is_empty()
            }
            Err(_) => false,
        };
        if !blank {
            out.push(i + 1);
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let mut lines: Vec<usize> = Vec::new();
    let mut whole_file = 0usize;
    read_jsonl(data, NAME, &mut |item| {
        let origin = match &item {
            Item::Line { origin, .. } => origin.clone(),
            Item::Rejected(r) => r.origin.clone(),
            Item::Article(_) => panic!("read_jsonl hands out lines, not articles"),
            Item::Note(n) => panic!("unexpected note {n}"),
        };
        if origin == NAME {
            whole_file += 1;
        } else {
            let line = origin
                .strip_prefix("in.jsonl:")
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("origin {origin:?} names no line"));
            lines.push(line);
        }
        match item.parse() {
            Item::Article(a) => {
                assert!(
                    a.text.is_some() || a.html.is_some(),
                    "article without text or html"
                );
                assert!(!a.id.is_empty(), "article without id");
                let back = InputArticle::from_json_line(&a.to_json_line(), "elsewhere")
                    .unwrap_or_else(|e| panic!("to_json_line does not read back: {e}"));
                assert_eq!(back.id, a.id);
                assert_eq!(back.text, a.text);
                assert_eq!(back.html, a.html);
                assert_eq!(back.published, a.published);
                assert_eq!(back.published_raw, a.published_raw);
                assert_eq!(
                    (&back.title, &back.url, &back.source),
                    (&a.title, &a.url, &a.source)
                );
                assert_eq!(
                    back.meta.keys().collect::<Vec<_>>(),
                    a.meta.keys().collect::<Vec<_>>()
                );
            }
            Item::Rejected(r) => assert!(!r.reason.is_empty(), "rejection without a reason"),
            Item::Line { .. } | Item::Note(_) => panic!("parse left a line"),
        }
    });
    assert_eq!(lines, expected_lines(data), "items per line");
    assert_eq!(whole_file, usize::from(data.is_empty()), "whole-file rejections");
});
