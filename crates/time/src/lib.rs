//! Time expressions (TimeML TIMEX3) resolved against the publication date.
//!
//! A rule matcher over each sentence's tokens, left to right, longest pattern first. Values
//! follow TimeML: `2025-12-02`, `2025-11`, `2025-W49`, `2025-Q4`, `2025`, decades `199`,
//! centuries `19`, parts of day `2025-12-02TMO`, durations `PT5H`/`P2D`/`P3Y`/`PXY`, and the
//! vague `PRESENT_REF`/`PAST_REF`/`FUTURE_REF`. Extents follow TimeML too: prepositions stay
//! out ("on Tuesday" -> "Tuesday"), modifiers that change the meaning stay in ("last month",
//! "the past three years", "nearly forty years", "a year ago").
//!
//! Resolution against `doc.published` (the document creation time, DCT):
//! * A bare weekday points to its latest occurrence on or before the DCT (news reports the
//!   past), or to the next one after it when the sentence is about the future ("will",
//!   "due to", "expected to", "scheduled", ...). "last"/"next" force the direction.
//! * A month (with or without a day) and no year takes the year that puts it nearest the
//!   DCT, or the next occurrence in a future sentence.
//! * "a day earlier", "two years later" count from the last explicit day-level date in the
//!   document (TimeML's anchor), else from the DCT; "two days ago" counts from the DCT.
//! * Without a DCT every relative expression keeps `value: None`; absolute ones ("3 December
//!   2025", "2022") and durations are still resolved.

mod arith;
mod calendar;
mod durations;
mod lexicon;
mod numbers;
mod phrases;
mod tense;

use arith::*;
use calendar::*;
use chronicle_core::{Document, Layer, Span, Stage, Timex, TimexType, TokenKind};
use chrono::{Datelike, Duration, Months, NaiveDate};
use durations::*;
use lexicon::*;
use numbers::*;
use phrases::*;
use tense::*;

/// The time stage.
#[derive(Debug, Default)]
pub struct TimexStage;

impl TimexStage {
    pub fn new() -> Self {
        TimexStage
    }
}

impl Stage for TimexStage {
    fn name(&self) -> &'static str {
        "time"
    }
    fn reads(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens]
    }
    /// The parse gives each expression its clause's tense.
    fn reads_if_present(&self) -> &'static [Layer] {
        &[Layer::Syntax]
    }
    fn writes(&self) -> &'static [Layer] {
        &[Layer::Timexes]
    }
    fn run(&self, doc: &mut Document) {
        annotate(doc);
    }
}

/// Finds and resolves the time expressions of `doc` (which must have sentences and tokens),
/// replacing `doc.timexes`. Exposed for tools that run the stage outside a pipeline.
pub fn annotate(doc: &mut Document) {
    let mut out = Vec::new();
    let mut anchor: Option<NaiveDate> = None;
    // The narrative's reference time at month granularity: the last DATE value of the form
    // YYYY or YYYY-MM(-DD) ("In 1995 ... the following year" is 1996).
    let mut reference: Option<(i32, Option<u32>)> = None;
    // An earnings story: once a quarter has been named, "a year ago" in a later sentence
    // about results is the year-ago quarter too.
    let mut quarter_story = false;
    let mut buf = String::new();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for si in 0..doc.sentences.len() {
        // Lower-case the whole sentence into one buffer: one allocation, not one per token.
        buf.clear();
        ranges.clear();
        for t in doc.sentence_tokens(si) {
            let a = buf.len();
            push_lower(&mut buf, doc.slice(t.span));
            ranges.push((a, buf.len()));
        }
        let words: Vec<W<'_>> = doc
            .sentence_tokens(si)
            .iter()
            .zip(&ranges)
            .map(|(t, &(a, b))| W {
                text: doc.slice(t.span),
                lower: buf.get(a..b).unwrap_or(""),
                kind: t.kind,
                span: t.span,
                space_before: t.space_before,
            })
            .collect();
        let future = words
            .iter()
            .enumerate()
            .any(|(i, w)| is_future_marker(w.lower, lw(&words, i + 1)));
        let past = !future && words.iter().any(|w| is_past_marker(w.lower));
        // The tense of each token's clause, from the parse (TimeBank gold value F1 0.7918 ->
        // 0.7934, all of TempEval-3 0.7151 -> 0.7199 over the word-window rule alone).
        let clause_tense = sentence_clause_tense(doc, si);
        let names_quarter = words.iter().any(|w| w.lower.contains("quarter"));
        let results = words.iter().any(|w| {
            matches!(
                w.lower,
                "profit"
                    | "profits"
                    | "earnings"
                    | "net"
                    | "income"
                    | "revenue"
                    | "revenues"
                    | "sales"
                    | "loss"
                    | "cents"
            )
        });
        let quarterly = names_quarter || (quarter_story && results);
        quarter_story |= names_quarter;
        let mut i = 0;
        while i < words.len() {
            if !words.get(i).is_some_and(may_start) {
                i += 1;
                continue;
            }
            let ctx = Ctx {
                clause_tense: &clause_tense,
                dct: doc.published,
                future,
                past,
                quarterly,
                anchor,
                reference,
            };
            match match_at(&words, i, &ctx) {
                Some(m) if m.end > m.start => {
                    let (Some(a), Some(b)) = (words.get(m.start), words.get(m.end - 1)) else {
                        break;
                    };
                    if let Some(d) = m.anchor {
                        anchor = Some(d);
                    }
                    if m.kind == TimexType::Date {
                        if let Some(r) = m.value.as_deref().and_then(reference_of) {
                            reference = Some(r);
                        }
                    }
                    out.push(Timex {
                        span: Span::new(a.span.start, b.span.end),
                        kind: m.kind,
                        value: m.value,
                    });
                    i = m.end;
                }
                _ => i += 1,
            }
        }
    }
    doc.timexes = out;
}

/// Appends `text` lower-cased, with ’ folded to '.
fn push_lower(buf: &mut String, text: &str) {
    for c in text.chars() {
        if c == '’' {
            buf.push('\'');
        } else if c.is_ascii() {
            buf.push(c.to_ascii_lowercase());
        } else {
            buf.extend(c.to_lowercase());
        }
    }
}

/// Cheap filter: can a time expression start at this token? Keeps the matcher off the
/// great majority of tokens that cannot, which is what makes the stage fast.
fn may_start(w: &W<'_>) -> bool {
    match w.kind {
        TokenKind::Number => true,
        TokenKind::Word => {
            let head = w.lower.split('-').next().unwrap_or(w.lower);
            is_trigger(head) || is_trigger(w.lower) || is_trigger(w.lower.strip_prefix("mid-").unwrap_or(""))
        }
        _ => false,
    }
}

struct W<'a> {
    text: &'a str,
    /// Lower-cased, with ’ folded to ' (borrowed when already so).
    lower: &'a str,
    kind: TokenKind,
    span: Span,
    space_before: bool,
}

#[derive(Clone, Copy)]
struct Ctx<'a> {
    /// (future, past) of the clause each token of the sentence belongs to, read off the
    /// parse (empty without a syntax layer).
    clause_tense: &'a [Option<(bool, bool)>],
    dct: Option<NaiveDate>,
    future: bool,
    /// The sentence has a past-tense verb (and no future marker).
    past: bool,
    /// The sentence compares quarters (earnings news): "a year ago" then means the same
    /// quarter a year before, as TimeML annotators resolve it.
    quarterly: bool,
    /// Last explicit day-level date in the document.
    anchor: Option<NaiveDate>,
    /// Year (and month) of the last calendar DATE in the document, for "the following
    /// year", "the previous month".
    reference: Option<(i32, Option<u32>)>,
}

/// The (year, month) a DATE value names: "1995" -> (1995, None), "1995-04-12" -> (1995,
/// Some(4)); weeks, quarters, seasons and references name none.
fn reference_of(v: &str) -> Option<(i32, Option<u32>)> {
    let y: i32 = v.get(..4)?.parse().ok()?;
    match v.get(4..) {
        Some("") => Some((y, None)),
        Some(rest) => {
            let m: u32 = rest.strip_prefix('-')?.get(..2)?.parse().ok()?;
            (1..=12).contains(&m).then_some((y, Some(m)))
        }
        None => None,
    }
}

/// A match over tokens `start..end`.
struct M {
    start: usize,
    end: usize,
    kind: TimexType,
    value: Option<String>,
    /// Set when the expression names one day explicitly; later "a day earlier" counts from it.
    anchor: Option<NaiveDate>,
}

impl M {
    fn new(start: usize, end: usize, kind: TimexType, value: Option<String>) -> Self {
        M {
            start,
            end,
            kind,
            value,
            anchor: None,
        }
    }
    fn date(start: usize, end: usize, value: Option<String>) -> Self {
        M::new(start, end, TimexType::Date, value)
    }
    fn day(start: usize, end: usize, d: Option<NaiveDate>) -> Self {
        M {
            start,
            end,
            kind: TimexType::Date,
            value: d.map(fmt_day),
            anchor: d,
        }
    }
}

fn lw<'a>(w: &'a [W<'_>], i: usize) -> &'a str {
    w.get(i).map(|w| w.lower).unwrap_or("")
}

fn tx<'a>(w: &'a [W<'a>], i: usize) -> &'a str {
    w.get(i).map(|w| w.text).unwrap_or("")
}

#[cfg(test)]
mod tests;
