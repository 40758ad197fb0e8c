//! The HTML path as ingest runs it: arbitrary bytes decoded by `charset::decode_page` (BOM,
//! a declared charset from the first bytes of the input, `<meta charset>`, else UTF-8 or
//! windows-1252), then `chronicle_html::extract` (Readability with its fallback) and the
//! streaming `Method::Density` extractor, and the page's metadata scan.
//!
//! Checks: decoding never fails and names a real encoding; the text is paragraphs joined
//! by exactly one blank line, none empty, no leading or trailing whitespace; title and
//! author are single trimmed lines.
#![no_main]

use chronicle_html::{extract, extract_with, Method};
use chronicle_ingest::charset::decode_page;
use libfuzzer_sys::fuzz_target;

const DECLARED: [Option<&str>; 6] = [
    None,
    None,
    Some("utf-8"),
    Some("windows-1251"),
    Some("shift_jis"),
    Some("utf-16le"),
];

fn check_text(what: &str, text: &str) {
    assert_eq!(text.trim(), text, "{what}: text not trimmed");
    if text.is_empty() {
        return;
    }
    for p in text.split("\n\n") {
        assert!(!p.trim().is_empty(), "{what}: empty paragraph in {text:?}");
    }
}

fn check_line(what: &str, s: &Option<String>) {
    if let Some(s) = s {
        assert!(!s.contains('\n'), "{what} {s:?} spans lines");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let declared = DECLARED[usize::from(sel) % DECLARED.len()];
    let page = decode_page(bytes, declared);
    assert!(encoding_rs::Encoding::for_label(page.encoding.as_bytes()).is_some());
    let html = page.text.as_str();
    for (what, ex) in [
        ("readability", extract(html)),
        ("density", extract_with(html, Method::Density)),
    ] {
        check_text(what, &ex.text);
        check_line("title", &ex.title);
        check_line("author", &ex.author);
    }
});
