//! The time-expression resolver (`chronicle_time::annotate`) on arbitrary text (lossy
//! UTF-8), split into sentences and tokens by `chronicle_text::split` first, with a
//! publication date taken from the first two bytes (none, the ends of years 1-9999, or a
//! day within 45 years of 2025-12-03).
//!
//! Checks: timexes are non-empty code point spans inside one sentence, in order; a value
//! is printable ASCII, and one that names a day, month, week or quarter names a real one;
//! the same checks on the same text without a publication date. (Undated and dated values
//! may differ even for "a year earlier": it counts from the last day-level date, and
//! "today" is one only when the publication day is known.)
#![no_main]

use chronicle_core::Document;
use chronicle_fuzz::{check_document, check_timex_value, date_from, take};
use libfuzzer_sys::fuzz_target;

fn run(text: &str, published: Option<chrono::NaiveDate>) -> Document {
    let mut d = Document::new("t", text, published);
    chronicle_text::split(&mut d);
    chronicle_time::annotate(&mut d);
    d
}

fuzz_target!(|data: &[u8]| {
    let (head, rest) = take::<2>(data);
    let text = String::from_utf8_lossy(rest);
    let published = date_from(head);
    let d = run(&text, published);
    check_document(&d);
    for t in &d.timexes {
        let s = d.sentence_at(t.span.start).map(|i| d.sentences[i].span);
        assert!(
            s.is_some_and(|s| s.contains(t.span)),
            "timex {:?} not inside one sentence",
            t.span
        );
        if let Some(v) = &t.value {
            check_timex_value(v);
        }
    }
    // The same text without a publication date: relative expressions stay unresolved,
    // and nothing else may break.
    if published.is_some() {
        let undated = run(&text, None);
        check_document(&undated);
        for v in undated.timexes.iter().filter_map(|t| t.value.as_ref()) {
            check_timex_value(v);
        }
    }
});
