//! Shared helpers of the fuzz targets: deriving inputs from the fuzzer's bytes, and the
//! invariants of ARCHITECTURE.md checked on what the library returns (a violation panics,
//! which libFuzzer reports as a crash with the input saved under `fuzz/artifacts/`).

use chronicle_core::{DateBasis, Document, Modality, Span};
use chronicle_record::Record;
use chrono::NaiveDate;

/// A publication date from two bytes: `None` for 0, else a day between 0001-01-01 and
/// 9999-12-31 (the years `parse_published` can read), with the ends and today-ish dates
/// more likely than their share.
pub fn date_from(b: [u8; 2]) -> Option<NaiveDate> {
    let v = u16::from_le_bytes(b);
    let first = NaiveDate::from_ymd_opt(1, 1, 1)?;
    let last = NaiveDate::from_ymd_opt(9999, 12, 31)?;
    match v {
        0 => None,
        1 => Some(first),
        2 => Some(last),
        3..=0x7fff => NaiveDate::from_ymd_opt(2025, 12, 3)?
            .checked_add_signed(chrono::Duration::days(i64::from(v) - 0x4000)),
        _ => {
            let span = (last - first).num_days();
            let d = i64::from(v - 0x8000) * span / 0x7fff;
            first.checked_add_signed(chrono::Duration::days(d))
        }
    }
}

/// Splits off the first `N` bytes (zero-padded when the input is shorter).
pub fn take<const N: usize>(data: &[u8]) -> ([u8; N], &[u8]) {
    let mut head = [0u8; N];
    let n = data.len().min(N);
    head[..n].copy_from_slice(&data[..n]);
    (head, &data[n..])
}

/// Byte offset of every code point of `text`, plus `text.len()`: our own mapping, to check
/// the document's against.
fn char_starts(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    v.push(text.len());
    v
}

struct Checker<'a> {
    doc: &'a Document,
    starts: Vec<usize>,
}

impl Checker<'_> {
    /// A span is a half-open range of code points inside the text, and slicing the text with
    /// it (through the document) gives the same string as counting code points ourselves.
    fn span(&self, what: &str, s: Span) {
        let n = self.doc.char_len();
        assert!(
            s.start <= s.end && s.end <= n,
            "{what}: span {s:?} outside the text of {n} code points"
        );
        let (a, b) = (self.starts[s.start as usize], self.starts[s.end as usize]);
        assert_eq!(self.doc.byte_range(s), a..b, "{what}: byte range of {s:?}");
        assert!(
            self.doc.text().get(a..b).is_some(),
            "{what}: {s:?} not on char boundaries"
        );
    }

    fn nonempty(&self, what: &str, s: Span) {
        self.span(what, s);
        assert!(s.start < s.end, "{what}: empty span {s:?}");
    }

    fn pair(&self, what: &str, p: [u32; 2]) {
        self.span(what, Span::new(p[0], p[1]));
    }
}

/// Sorted and non-overlapping.
fn ordered(what: &str, spans: impl IntoIterator<Item = Span>) {
    let mut prev: Option<Span> = None;
    for s in spans {
        if let Some(p) = prev {
            assert!(
                p.end <= s.start,
                "{what}: {p:?} then {s:?} overlap or are out of order"
            );
        }
        prev = Some(s);
    }
}

/// The invariants every processed document must hold, whatever the text: spans in code
/// points inside the text, layers ordered, cross-references by index in range, and no
/// event dated or placed without its basis.
pub fn check_document(doc: &Document) {
    let c = Checker {
        doc,
        starts: char_starts(doc.text()),
    };
    assert_eq!(c.starts.len() - 1, doc.char_len() as usize, "char_len");
    assert!(
        !doc.text().contains('\r'),
        "\\r left in the text after construction"
    );

    for p in &doc.paragraphs {
        c.nonempty("paragraph", *p);
    }
    ordered("paragraphs", doc.paragraphs.iter().copied());
    for s in &doc.sentences {
        c.nonempty("sentence", s.span);
        let para = doc.paragraphs.get(s.paragraph as usize);
        assert!(
            para.is_some_and(|p| p.contains(s.span)),
            "sentence {:?} not inside its paragraph {}",
            s.span,
            s.paragraph
        );
        let (a, b) = s.tokens;
        assert!(
            a <= b && b as usize <= doc.tokens.len(),
            "sentence token range {a}..{b}"
        );
        for t in &doc.tokens[a as usize..b as usize] {
            assert!(
                s.span.contains(t.span),
                "token {:?} outside its sentence {:?}",
                t.span,
                s.span
            );
        }
    }
    ordered("sentences", doc.sentences.iter().map(|s| s.span));
    for t in &doc.tokens {
        c.nonempty("token", t.span);
    }
    ordered("tokens", doc.tokens.iter().map(|t| t.span));
    for t in &doc.timexes {
        c.nonempty("timex", t.span);
    }
    ordered("timexes", doc.timexes.iter().map(|t| t.span));

    let n_ent = doc.entities.len();
    for (i, e) in doc.entities.iter().enumerate() {
        assert_eq!(e.id.0 as usize, i, "entity ids are dense indices");
        for m in &e.mentions {
            c.nonempty("mention", m.span);
        }
        assert!(
            e.mentions.windows(2).all(|w| w[0].span.start <= w[1].span.start),
            "mentions of {} not sorted by start",
            e.name
        );
    }
    for p in &doc.places {
        assert!((p.entity.0 as usize) < n_ent, "place of a missing entity");
        assert!(
            p.lat.is_finite() && p.lon.is_finite() && p.lat.abs() <= 90.0 && p.lon.abs() <= 180.0,
            "place {} at ({}, {})",
            p.name,
            p.lat,
            p.lon
        );
    }
    for q in &doc.quotes {
        c.span("quote", q.span);
        if let Some(id) = q.speaker {
            assert!((id.0 as usize) < n_ent, "quote speaker is a missing entity");
        }
        if let Some(s) = q.speaker_span {
            c.span("speaker span", s);
        }
        if let Some(s) = q.cue {
            c.span("cue", s);
        }
        for f in &q.fragments {
            c.span("quote fragment", *f);
            assert!(
                q.span.contains(*f),
                "fragment {f:?} outside its quote {:?}",
                q.span
            );
        }
    }
    for ev in &doc.events {
        let sentence = doc.sentences.get(ev.sentence as usize);
        assert!(sentence.is_some(), "event in missing sentence {}", ev.sentence);
        c.span("trigger", ev.trigger);
        for p in ev.source.iter().chain(ev.target.iter()) {
            c.span("participant", p.span);
            if let Some(id) = p.entity {
                assert!((id.0 as usize) < n_ent, "participant is a missing entity");
            }
        }
        for (si, s) in &ev.mentions {
            assert!(
                (*si as usize) < doc.sentences.len(),
                "event mention in missing sentence"
            );
            c.span("event mention", *s);
        }
        if let Some(t) = ev.timex {
            assert!((t as usize) < doc.timexes.len(), "event timex {t} missing");
        }
        if ev.date_basis == Some(DateBasis::Expression) {
            assert!(ev.timex.is_some(), "dated by expression without one");
        }
        if matches!(
            ev.modality,
            Modality::Future
                | Modality::Hypothetical
                | Modality::Negated
                | Modality::Denied
                | Modality::Historical
        ) {
            assert_ne!(
                ev.date_basis,
                Some(DateBasis::Publication),
                "{} event dated from the publication day",
                ev.modality.as_str()
            );
        }
        if let Some(id) = ev.location {
            assert!((id.0 as usize) < n_ent, "event location is a missing entity");
            assert!(
                ev.location_basis.is_some() && ev.location_precision.is_some(),
                "event placed without basis or precision"
            );
        }
        assert!((1..=4).contains(&ev.quad), "quad class {}", ev.quad);
        assert!(
            ev.goldstein.is_finite() && ev.goldstein.abs() <= 10.0,
            "goldstein {}",
            ev.goldstein
        );
        assert!(
            !ev.cameo.is_empty() && ev.cameo.bytes().all(|b| b.is_ascii_digit()),
            "CAMEO code {:?}",
            ev.cameo
        );
    }
    for d in &doc.diagnostics {
        if let Some(s) = d.span {
            c.span("diagnostic", s);
        }
    }
}

/// The record says what the document says: the same text, every span pair inside it, and
/// its JSON line is the record (never the error object).
pub fn check_record(doc: &Document, rec: &Record) {
    let c = Checker {
        doc,
        starts: char_starts(doc.text()),
    };
    assert_eq!(rec.text, doc.text(), "record text differs from the document's");
    for p in rec.sentences.iter().chain(&rec.paragraphs) {
        c.pair("record sentence/paragraph", *p);
    }
    for e in &rec.entities {
        for p in e.mentions.iter().chain(&e.coref) {
            c.pair("record mention", *p);
        }
    }
    for q in &rec.quotes {
        c.pair("record quote", [q.start, q.end]);
        for p in q.speaker_span.iter().chain(&q.cue_span).chain(&q.fragments) {
            c.pair("record quote part", *p);
        }
    }
    for ev in &rec.events {
        c.pair("record event sentence", ev.sentence);
        c.pair("record trigger", ev.trigger);
        for p in ev.evidence.iter() {
            c.pair("record evidence", *p);
        }
        if let Some(l) = &ev.location {
            assert!(
                l.basis.is_some() && l.precision.is_some(),
                "record location without basis"
            );
        }
        if ev.date.is_some() {
            assert!(ev.date_basis.is_some(), "record date without basis");
        }
    }
    for t in &rec.timexes {
        c.pair("record timex", [t.start, t.end]);
    }
    let line = rec.to_json_line();
    let back: Record = match serde_json::from_str(&line) {
        Ok(r) => r,
        Err(e) => panic!("record JSON line does not read back: {e}: {line}"),
    };
    assert_eq!(back.text, rec.text, "record JSON text");
    assert_eq!(back.events.len(), rec.events.len(), "record JSON events");
}

/// A TimeML value has the shape its type promises and names a real calendar day, month,
/// week or quarter when it names one.
pub fn check_timex_value(v: &str) {
    assert!(
        !v.is_empty() && v.bytes().all(|b| b.is_ascii_graphic()),
        "timex value {v:?}"
    );
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if digits(0..4) && b.get(4) == Some(&b'-') {
        let year: i32 = v[..4].parse().unwrap_or(0);
        if digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10) {
            assert!(
                NaiveDate::from_ymd_opt(year, v[5..7].parse().unwrap_or(0), v[8..10].parse().unwrap_or(0))
                    .is_some(),
                "timex value {v:?} is not a calendar day"
            );
        } else if digits(5..7) && b.len() == 7 {
            let m: u32 = v[5..7].parse().unwrap_or(0);
            assert!((1..=12).contains(&m), "timex value {v:?}: month {m}");
        } else if b.get(5) == Some(&b'W') && digits(6..8) {
            let w: u32 = v[6..8].parse().unwrap_or(0);
            assert!((1..=53).contains(&w), "timex value {v:?}: week {w}");
        } else if b.get(5) == Some(&b'Q') && b.len() == 7 {
            assert!((b'1'..=b'4').contains(&b[6]), "timex value {v:?}: quarter");
        }
    }
}
