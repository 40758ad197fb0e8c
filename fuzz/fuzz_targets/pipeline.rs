//! The whole pipeline (`chronicle_pipeline::Engine::process`: HTML extraction when the
//! article has no text, then text, time, entities, places, quotes, events) on arbitrary
//! bytes as an article's text (lossy UTF-8) or, by the first byte's low bit, as its HTML;
//! bytes 1-2 give the publication date.
//!
//! Checks every invariant of ARCHITECTURE.md that a single document can show: spans are
//! code point ranges inside the text on char boundaries, layers ordered, cross-references
//! in range, events never dated or placed without a basis (and never dated from the
//! publication day unless asserted, reported or claimed), the record's text and spans
//! equal the document's, and its JSON line reads back.
#![no_main]

use chronicle_fuzz::{check_document, check_record, date_from, take};
use chronicle_pipeline::Engine;
use chronicle_record::InputArticle;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static ENGINE: OnceLock<Engine> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let engine = ENGINE.get_or_init(|| Engine::new().expect("the default stage order validates"));
    let (head, rest) = take::<3>(data);
    let body = String::from_utf8_lossy(rest).into_owned();
    let published = date_from([head[1], head[2]]);
    let mut a = InputArticle::from_text("fuzz", String::new(), published);
    if head[0] & 1 == 0 {
        a.text = Some(body);
    } else {
        a.text = None;
        a.html = Some(body);
    }
    let (doc, rec) = engine.process(a);
    check_document(&doc);
    check_record(&doc, &rec);
});
