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

mod lexicon;

use chronicle_core::{Document, Layer, Span, Stage, Timex, TimexType, TokenKind};
use chrono::{Datelike, Duration, Months, NaiveDate};
use lexicon::*;

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

// ---------------------------------------------------------------------------------------
// Formatting and date arithmetic

fn fmt_day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn fmt_month(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

fn fmt_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn quarter_of(d: NaiveDate) -> u32 {
    (d.month() - 1) / 3 + 1
}

/// The last completed quarter, what financial news means by "the quarter".
fn latest_quarter(d: NaiveDate) -> String {
    let prev = add_months(d, -3).unwrap_or(d);
    format!("{:04}-Q{}", prev.year(), quarter_of(prev))
}

/// "year-earlier", "the year-ago quarter": a year before the DCT (or its latest quarter).
fn year_ago(d: NaiveDate, quarter: bool) -> Option<String> {
    if quarter {
        let prev = add_months(d, -15)?;
        Some(format!("{:04}-Q{}", prev.year(), quarter_of(prev)))
    } else {
        Some(format!("{:04}", d.year() - 1))
    }
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    d.checked_add_signed(Duration::try_days(n)?)
}

fn add_months(d: NaiveDate, n: i32) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_months(Months::new(n.unsigned_abs()))
    } else {
        d.checked_sub_months(Months::new(n.unsigned_abs()))
    }
}

/// Shifts `d` by `n` units and writes the result at that unit's granularity.
fn shift(d: NaiveDate, unit: Unit, n: i64) -> Option<(String, Option<NaiveDate>)> {
    let n32 = i32::try_from(n).ok()?;
    Some(match unit {
        Unit::Second | Unit::Minute | Unit::Hour => (fmt_day(d), None),
        Unit::Day => {
            let r = add_days(d, n)?;
            (fmt_day(r), Some(r))
        }
        Unit::Week => (fmt_week(add_days(d, n * 7)?), None),
        Unit::Month => {
            let r = add_months(d, n32)?;
            (fmt_month(r.year(), r.month()), None)
        }
        Unit::Quarter => {
            let r = add_months(d, n32.checked_mul(3)?)?;
            (format!("{:04}-Q{}", r.year(), quarter_of(r)), None)
        }
        Unit::Year => (format!("{:04}", d.year().checked_add(n32)?), None),
        Unit::Decade => (
            format!(
                "{:03}",
                (d.year().checked_add(n32.checked_mul(10)?)?).div_euclid(10)
            ),
            None,
        ),
        Unit::Century => (
            format!(
                "{:02}",
                (d.year().checked_add(n32.checked_mul(100)?)?).div_euclid(100)
            ),
            None,
        ),
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    /// Latest occurrence on or before the DCT.
    Past,
    /// Latest occurrence strictly before the DCT ("last Friday").
    StrictPast,
    /// Next occurrence after the DCT.
    Future,
    /// Same ISO week ("this Friday").
    ThisWeek,
}

/// Which way a bare weekday points. The verb next to it decides first ("said Friday", "met
/// on Tuesday" look back; "will meet on Thursday", "due to meet ... Thursday" look ahead);
/// otherwise the sentence's tense does (news convention: past -> the last such day).
fn weekday_dir(w: &[W<'_>], at: usize, ctx: &Ctx) -> Dir {
    // The parse's clause tense, where it marks one, before any word window.
    if let Some(Some((fut, past))) = ctx.clause_tense.get(at) {
        if *fut {
            return Dir::Future;
        }
        if *past {
            return Dir::Past;
        }
    }
    let mut k = at;
    let mut seen = 0;
    while k > 0 && seen < 3 {
        k -= 1;
        let x = lw(w, k);
        if matches!(x, "on" | "late" | "early" | "since" | "by" | "until" | ",") {
            continue;
        }
        seen += 1;
        if matches!(x, "said" | "told" | "announced" | "reported") || is_past_marker(x) {
            return Dir::Past;
        }
        if is_future_marker(x, lw(w, k + 1)) {
            return Dir::Future;
        }
    }
    if local_tense(w, at, at + 1, ctx).0 {
        Dir::Future
    } else {
        Dir::Past
    }
}

/// (future, past) for an expression at tokens `[start, end)`: the nearest tense marker
/// within a few words either side speaks for its clause ("In September, it announced
/// plans to ..." is past though "plans to" looks ahead), else the sentence's tense.
fn local_tense(w: &[W<'_>], start: usize, end: usize, ctx: &Ctx) -> (bool, bool) {
    if let Some(Some(t)) = ctx.clause_tense.get(start) {
        if t.0 || t.1 {
            return *t;
        }
    }
    for d in 1..=LOCAL_TENSE_WORDS {
        let before = start.checked_sub(d);
        let after = end.checked_add(d - 1);
        for k in [before, after].into_iter().flatten() {
            let (x, next) = (lw(w, k), lw(w, k + 1));
            if matches!(x, ";" | ":" | "(" | ")") {
                continue;
            }
            if is_future_marker(x, next) {
                return (true, false);
            }
            if is_past_marker(x) || matches!(x, "said" | "told" | "announced" | "reported") {
                return (false, true);
            }
        }
    }
    (ctx.future, ctx.past)
}

/// For each token of sentence `si`, the (future, past) of the clause it belongs to: the
/// nearest clause head above it in the parse whose tense is marked (a finite verb or an
/// auxiliary or copula); future with a "will"/"shall" auxiliary, past when it or an
/// auxiliary is past tense or a perfect ("has fallen since April"). A non-finite verb
/// ("to close Monday", "arriving Tuesday") has no tense of its own and takes its
/// governor's, except that a to-infinitive under a present-tense governor or a bare
/// participle looks ahead: "is scheduled to close Monday" and "the talks, set to resume
/// Monday" are next Monday, "had been due to expire Friday" last Friday.
fn sentence_clause_tense(doc: &Document, si: usize) -> Vec<Option<(bool, bool)>> {
    use chronicle_core::{Deprel, Tense, Upos, VerbForm};
    let Some(sent) = doc.sentences.get(si) else {
        return Vec::new();
    };
    let (a, b) = (
        sent.tokens.0 as usize,
        (sent.tokens.1 as usize).min(doc.syntax.len()),
    );
    if a >= b {
        return Vec::new();
    }
    // Each clause head's dependents that mark tense, gathered in one pass.
    let mut aux: Vec<Vec<usize>> = vec![Vec::new(); b - a];
    let mut to_mark = vec![false; b - a];
    for k in a..b {
        let Some(t) = doc.syntax.get(k) else { continue };
        let Some(h) = t.head.map(|h| h as usize).filter(|h| (a..b).contains(h)) else {
            continue;
        };
        match t.rel.universal() {
            Deprel::Aux | Deprel::Cop => aux[h - a].push(k),
            Deprel::Mark if doc.lower(k) == "to" => to_mark[h - a] = true,
            _ => {}
        }
    }
    // (future, past) of a clause head, or None when nothing on it marks tense.
    let tense_of = |v: usize| -> Option<(bool, bool)> {
        let t = doc.syntax.get(v)?;
        let finite = t.feats.verb_form == Some(VerbForm::Fin);
        let mut marked = finite;
        let mut fut = false;
        let mut past = finite && t.feats.tense == Some(Tense::Past);
        for &k in aux.get(v - a).map_or(&[][..], |x| &x[..]) {
            let Some(x) = doc.syntax.get(k) else { continue };
            if x.feats.verb_form == Some(VerbForm::Fin) || doc.lemma(k) == "will" {
                marked = true;
            }
            match doc.lemma(k) {
                "will" | "shall" => fut = true,
                "have" => past = true,
                _ if x.feats.tense == Some(Tense::Past)
                    && doc.lower(k) != "would"
                    && doc.lower(k) != "could" =>
                {
                    past = true
                }
                _ => {}
            }
        }
        marked.then_some((fut, past && !fut))
    };
    let is_head = |k: usize| {
        doc.syntax.get(k).is_some_and(|t| {
            matches!(t.upos, Upos::Verb)
                || (t.upos == Upos::Aux && t.head.is_none())
                || aux.get(k - a).is_some_and(|x| !x.is_empty())
        })
    };
    (a..b)
        .map(|k| {
            let mut cur = k;
            let mut infinitive = false;
            let mut seen_head = false;
            for _ in 0..12 {
                let t = doc.syntax.get(cur)?;
                if is_head(cur) {
                    if let Some((fut, past)) = tense_of(cur) {
                        if infinitive && !fut && !past {
                            return Some((true, false));
                        }
                        return Some((fut, past));
                    }
                    // A to-infinitive under a reduced participle ("the talks, set to
                    // resume Monday") looks ahead.
                    if infinitive {
                        return Some((true, false));
                    }
                    // A non-finite head: remember a to-infinitive, and go on to its
                    // governor only through the relations that share its time.
                    infinitive |= to_mark.get(cur - a).copied().unwrap_or(false);
                    seen_head = true;
                    if !matches!(
                        t.rel.universal(),
                        Deprel::Xcomp | Deprel::Advcl | Deprel::Acl | Deprel::Ccomp | Deprel::Conj
                    ) {
                        return Some((false, false));
                    }
                }
                cur = match t.head {
                    Some(h) if (a..b).contains(&(h as usize)) => h as usize,
                    _ => return seen_head.then_some((false, false)),
                };
            }
            None
        })
        .collect()
}

/// How far [`local_tense`] looks for the clause's verb.
const LOCAL_TENSE_WORDS: usize = 4;

fn resolve_weekday(dct: NaiveDate, wd: u32, dir: Dir) -> Option<NaiveDate> {
    let cur = i64::from(dct.weekday().num_days_from_monday());
    let wd = i64::from(wd);
    let back = (cur - wd).rem_euclid(7);
    match dir {
        Dir::Past => add_days(dct, -back),
        Dir::StrictPast => add_days(dct, -if back == 0 { 7 } else { back }),
        Dir::Future => {
            let fwd = (wd - cur).rem_euclid(7);
            add_days(dct, if fwd == 0 { 7 } else { fwd })
        }
        Dir::ThisWeek => add_days(dct, wd - cur),
    }
}

/// Year for a month (and day) given without one: the next occurrence when the sentence looks
/// ahead, the last one when it is in the past tense, else the nearest.
fn infer_year(dct: NaiveDate, month: u32, day: Option<u32>, future: bool, past: bool) -> i32 {
    let y = dct.year();
    let here = (dct.month(), day.map(|_| dct.day()).unwrap_or(0));
    let key = (month, day.unwrap_or(0));
    if future {
        return if key < here { y + 1 } else { y };
    }
    // Months apart, signed: positive = later in the year than the DCT.
    let diff = month as i32 - dct.month() as i32;
    // In a past-tense sentence a month well ahead of the DCT is last year's, one shortly
    // ahead ("Nov. 6" in late October) still this year's; otherwise take the nearest.
    if past {
        if diff > 2 {
            y - 1
        } else {
            y
        }
    } else if diff > 6 {
        y - 1
    } else if diff < -6 {
        y + 1
    } else {
        y
    }
}

// ---------------------------------------------------------------------------------------
// Numbers

/// Parses a digit token ("12", "1,200"); rejects decimals and anything else.
fn int_token(w: &W<'_>) -> Option<u32> {
    if w.kind != TokenKind::Number {
        return None;
    }
    let mut n: u32 = 0;
    for c in w.text.chars() {
        match c {
            '0'..='9' => n = n.checked_mul(10)?.checked_add(c.to_digit(10)?)?,
            ',' => {}
            _ => return None,
        }
    }
    Some(n)
}

/// A word number possibly hyphenated ("twenty-four").
fn word_number(s: &str) -> Option<u32> {
    if let Some(n) = number_word(s) {
        return Some(n);
    }
    let (a, b) = s.split_once('-')?;
    let (a, b) = (number_word(a)?, number_word(b)?);
    (a >= 20 && a % 10 == 0 && b < 10).then_some(a + b)
}

/// A quantity at `i`: `Some(n)` or `None` for vague ones ("several"), and the index after it.
fn quantity(w: &[W<'_>], i: usize) -> Option<(Option<u32>, usize)> {
    let a = lw(w, i);
    if let Some(n) = w.get(i).and_then(int_token) {
        return Some((Some(n), i + 1));
    }
    if a == "a" && lw(w, i + 1) == "couple" && lw(w, i + 2) == "of" {
        return Some((Some(2), i + 3));
    }
    if a == "a" && lw(w, i + 1) == "few" {
        return Some((None, i + 2));
    }
    if is_vague_quantity(a) {
        return Some((None, i + 1));
    }
    let n = word_number(a)?;
    let mut j = i + 1;
    let mut total = n;
    // "twenty four", "a hundred", "one hundred twenty".
    if n >= 20 && n % 10 == 0 && n < 100 {
        if let Some(k) = number_word(lw(w, j)).filter(|&k| (1..10).contains(&k) && lw(w, j) != "a") {
            total += k;
            j += 1;
        }
    }
    if lw(w, j) == "hundred" && total < 10 {
        total *= 100;
        j += 1;
    }
    Some((Some(total), j))
}

// ---------------------------------------------------------------------------------------
// Matching

fn match_at(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let a = lw(w, i);
    let b = lw(w, i + 1);
    if let Some(n) = approximator(a, b) {
        if let Some(m) = duration(w, i + n, ctx) {
            return Some(M { start: i, ..m });
        }
        if a != "some" && a != "over" && a != "under" {
            return None;
        }
    }
    if a == "the" && b == "year" {
        if let Some(m) = spoken_year(w, i + 2) {
            return Some(M { start: i, ..m });
        }
    }
    if a == "the" {
        return the_phrase(w, i, ctx);
    }
    if let Some(m) = spoken_year(w, i) {
        return Some(m);
    }
    if matches!(a, "early" | "late" | "mid" | "earlier" | "later") {
        let j = if b == "in" { i + 2 } else { i + 1 };
        if let Some(m) = core(w, j, ctx) {
            if m.kind != TimexType::Duration && m.start == j {
                return Some(M { start: i, ..m });
            }
        }
    }
    core(w, i, ctx)
}

/// A year said in words, as broadcast transcripts write it: "nineteen ninety-six",
/// "nineteen seventy", "two thousand" (after "the year"), "two thousand and one".
fn spoken_year(w: &[W<'_>], i: usize) -> Option<M> {
    let a = lw(w, i);
    let b = lw(w, i + 1);
    if a == "two" && b == "thousand" {
        // Only after "the year": "two thousand people" is a count.
        if !(i >= 1 && lw(w, i - 1) == "year") {
            return None;
        }
        let (j, unit) = match (lw(w, i + 2), lw(w, i + 3)) {
            ("and", u) => (i + 4, spoken_two_digits(u)),
            (u, _) => (i + 3, spoken_two_digits(u)),
        };
        return Some(match unit {
            Some(u) if u < 100 => M::date(i, j, Some(format!("{:04}", 2000 + u))),
            _ => M::date(i, i + 2, Some("2000".into())),
        });
    }
    let century = match a {
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        _ => return None,
    };
    let n = spoken_two_digits(b).filter(|n| (10..100).contains(n))?;
    Some(M::date(i, i + 2, Some(format!("{:04}", century * 100 + n))))
}

/// "ninety-six" -> 96, "seventy" -> 70, "twelve" -> 12.
fn spoken_two_digits(s: &str) -> Option<u32> {
    match s.split_once('-') {
        Some((tens, unit)) => {
            let (t, u) = (number_word(tens)?, number_word(unit)?);
            ((20..=90).contains(&t) && t % 10 == 0 && (1..=9).contains(&u)).then_some(t + u)
        }
        None => number_word(s).filter(|&n| (1..100).contains(&n) && !matches!(s, "a" | "an" | "dozen")),
    }
}

/// Phrases that start with "the".
fn the_phrase(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let b = lw(w, i + 1);
    match b {
        "past" | "last" | "next" | "coming" | "previous" | "following" | "first" | "final" | "latest" => {
            if let Some((q, j)) = quantity(w, i + 2) {
                if let Some(u) = unit(lw(w, j)) {
                    return Some(M::new(i, j + 1, TimexType::Duration, Some(u.duration(q))));
                }
            }
            if let Some(u) = unit(lw(w, i + 2)) {
                if b == "first" || b == "final" || b == "latest" {
                    if u == Unit::Quarter && b != "latest" {
                        return None;
                    }
                    if b == "latest" && u == Unit::Quarter {
                        return Some(M::date(i, i + 3, ctx.dct.map(latest_quarter)));
                    }
                }
                // "the last week", "the previous year": the unit before (after) the DCT, as
                // TimeML annotates them (TE3: "the last week" on 2013-03-22 -> 2013-W11).
                let step = match b {
                    "past" | "last" | "previous" => -1,
                    "next" | "coming" | "following" => 1,
                    _ => 0,
                };
                let singular = !lw(w, i + 2).ends_with('s');
                // "the following year", "the previous month" count from the narrative's
                // reference time when the story has named one (TimeML's anchor), not from
                // the DCT.
                if matches!(b, "following" | "previous") && singular {
                    let r = ctx.reference;
                    let v = match (u, r) {
                        (Unit::Year, Some((y, _))) => Some(format!("{:04}", y + step as i32)),
                        (Unit::Month, Some((y, Some(m)))) => {
                            let k = y * 12 + m as i32 - 1 + step as i32;
                            Some(fmt_month(k.div_euclid(12), k.rem_euclid(12) as u32 + 1))
                        }
                        _ => None,
                    };
                    if let Some(v) = v {
                        return Some(M::date(i, i + 3, Some(v)));
                    }
                }
                if step != 0 && singular && !matches!(u, Unit::Hour | Unit::Minute | Unit::Second) {
                    let v = ctx.dct.and_then(|d| shift(d, u, step)).map(|(v, _)| v);
                    return Some(M::date(i, i + 3, v));
                }
                return Some(M::new(i, i + 3, TimexType::Duration, Some(u.duration(Some(1)))));
            }
            if b == "past" {
                return Some(M::date(i, i + 2, Some("PAST_REF".into())));
            }
            None
        }
        "future" => Some(M::date(i, i + 2, Some("FUTURE_REF".into()))),
        "end" | "beginning" | "start" | "middle" if lw(w, i + 2) == "of" => {
            // "the end of the year": the DCT's year (month, week).
            if lw(w, i + 3) == "the" {
                let uw = lw(w, i + 4);
                let u = unit(uw).filter(|u| matches!(u, Unit::Week | Unit::Month | Unit::Year))?;
                if uw.ends_with('s') {
                    return None;
                }
                let v = ctx.dct.and_then(|d| shift(d, u, 0)).map(|(v, _)| v);
                return Some(M::date(i, i + 5, v));
            }
            let m = core(w, i + 3, ctx)?;
            (m.start == i + 3 && m.kind != TimexType::Duration).then_some(M { start: i, ..m })
        }
        "weekend" => {
            let v = ctx.dct.and_then(|d| {
                let wd = d.weekday().num_days_from_monday();
                let back = if ctx.future || wd >= 5 { 0 } else { -7 };
                add_days(d, back).map(|d| format!("{}-WE", fmt_week(d)))
            });
            Some(M::date(i, i + 2, v))
        }
        "quarter" => Some(M::date(i, i + 2, ctx.dct.map(latest_quarter))),
        "current" => {
            let j = if lw(w, i + 2) == "fiscal" { i + 3 } else { i + 2 };
            let u = unit(lw(w, j)).filter(|_| !lw(w, j).ends_with('s'))?;
            let v = ctx.dct.and_then(|d| shift(d, u, 0)).map(|(v, _)| v);
            Some(M::date(i, j + 1, v))
        }
        "year-earlier" | "year-ago" | "comparable" => {
            let j = if b == "comparable" && matches!(lw(w, i + 2), "year-earlier" | "year-ago") {
                i + 3
            } else {
                i + 2
            };
            match lw(w, j) {
                "quarter" | "period" => Some(M::date(i, j + 1, ctx.dct.and_then(|d| year_ago(d, true)))),
                _ => None,
            }
        }
        _ => {
            // "the 1990s", "the late 1970s", "the third quarter", "the nine months".
            let j = if matches!(b, "early" | "late" | "mid") {
                i + 2
            } else {
                i + 1
            };
            if let Some(m) = decade(w, j) {
                return Some(M { start: i, ..m });
            }
            if let Some(m) = quarter(w, i + 1, ctx) {
                return Some(M { start: i, ..m });
            }
            if let Some((q, k)) = quantity(w, i + 1) {
                if q.is_some_and(|n| n < 1000) && lw(w, i + 1) != "a" && lw(w, k) != "second" {
                    if let Some(u) = unit(lw(w, k)) {
                        return Some(M::new(i, k + 1, TimexType::Duration, Some(u.duration(q))));
                    }
                }
            }
            None
        }
    }
}

/// Everything that does not start with a modifier.
fn core(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let word = w.get(i)?;
    let a: &str = word.lower;
    let dct = ctx.dct;
    match a {
        "today" => return Some(M::day(i, i + 1, dct)),
        "yesterday" => return Some(M::day(i, i + 1, dct.and_then(|d| add_days(d, -1)))),
        "tomorrow" => return Some(M::day(i, i + 1, dct.and_then(|d| add_days(d, 1)))),
        "tonight" => {
            return Some(M::new(
                i,
                i + 1,
                TimexType::Time,
                dct.map(|d| format!("{}TNI", fmt_day(d))),
            ))
        }
        "overnight" => {
            let v = dct
                .and_then(|d| add_days(d, -1))
                .map(|d| format!("{}TNI", fmt_day(d)));
            return Some(M::new(i, i + 1, TimexType::Time, v));
        }
        // TimeBank tags these deictic adverbs; "previously", "soon", the adjectives "recent"
        // and "current" and the frequency adverbs ("daily") are left out: on the dev gold
        // they gave as many false hits as hits, and they carry no date for an event.
        "now" | "currently" | "nowadays" => return Some(M::date(i, i + 1, Some("PRESENT_REF".into()))),
        "these" if lw(w, i + 1) == "days" => return Some(M::date(i, i + 2, Some("PRESENT_REF".into()))),
        "recently" | "lately" => return Some(M::date(i, i + 1, Some("PAST_REF".into()))),
        "recent" => {
            if let Some(u) = unit(lw(w, i + 1)) {
                // TimeML: "recent months" is a vague DURATION (PXM), not a date.
                if lw(w, i + 1).ends_with('s') && u != Unit::Quarter {
                    return Some(M::new(i, i + 2, TimexType::Duration, Some(u.duration(None))));
                }
            }
            return None;
        }
        "year-earlier" | "year-ago" => {
            let (end, q) = match lw(w, i + 1) {
                "quarter" | "period" => (i + 2, true),
                _ => (i + 1, false),
            };
            return Some(M::date(
                i,
                end,
                ctx.dct.and_then(|d| year_ago(d, q || ctx.quarterly)),
            ));
        }
        "future" if matches!(lw(w, i.wrapping_sub(1)), "in" | "near") => {
            return Some(M::date(i, i + 1, Some("FUTURE_REF".into())))
        }
        "this" | "last" | "next" | "past" | "coming" | "previous" => {
            if let Some(m) = relative(w, i, ctx) {
                return Some(m);
            }
        }
        "every" | "each" => {
            let b = lw(w, i + 1);
            if let Some(wd) = weekday(tx(w, i + 1)) {
                return Some(M::new(
                    i,
                    i + 2,
                    TimexType::Set,
                    Some(format!("XXXX-WXX-{}", wd + 1)),
                ));
            }
            if let Some(mo) = month(tx(w, i + 1)) {
                return Some(M::new(i, i + 2, TimexType::Set, Some(format!("XXXX-{mo:02}"))));
            }
            if let Some(u) = unit(b) {
                return Some(M::new(i, i + 2, TimexType::Set, Some(u.duration(Some(1)))));
            }
            return None;
        }
        _ => {}
    }
    if word.text == "Christmas" && lw(w, i + 1) != "tree" {
        return Some(finish_month(w, i, i + 1, 12, Some(25), None, ctx));
    }
    // "Tuesdays", "Tuesday nights": a weekly SET.
    if let Some(wd) = word.text.strip_suffix('s').and_then(weekday) {
        return Some(M::new(
            i,
            i + 1,
            TimexType::Set,
            Some(format!("XXXX-WXX-{}", wd + 1)),
        ));
    }
    if let Some(wd) = weekday(word.text) {
        if let Some(p) = lw(w, i + 1).strip_suffix('s').and_then(part_of_day) {
            return Some(M::new(
                i,
                i + 2,
                TimexType::Set,
                Some(format!("XXXX-WXX-{}T{p}", wd + 1)),
            ));
        }
        // "Saturday, April 25", "Friday Oct. 13": the explicit date decides, and the
        // expression is the whole phrase.
        let j = if lw(w, i + 1) == "," { i + 2 } else { i + 1 };
        if let Some(m) = month_phrase(w, j, ctx).filter(|m| m.anchor.is_some()) {
            return Some(M { start: i, ..m });
        }
        return Some(weekday_phrase(w, i, i + 1, wd, weekday_dir(w, i, ctx), ctx));
    }
    if let Some(m) = clock_time(w, i, ctx) {
        return Some(m);
    }
    if let Some(m) = month_phrase(w, i, ctx) {
        return Some(m);
    }
    if let Some(m) = numeric_date(w, i) {
        return Some(m);
    }
    if let Some(m) = decade(w, i) {
        return Some(m);
    }
    if let Some(m) = year(w, i) {
        return Some(m);
    }
    if let Some(m) = quarter(w, i, ctx) {
        return Some(m);
    }
    if let Some(m) = century(w, i) {
        return Some(m);
    }
    duration(w, i, ctx)
}

/// A weekday at token `at` (phrase starting at `start`), with an optional part of day.
fn weekday_phrase(w: &[W<'_>], start: usize, at: usize, wd: u32, dir: Dir, ctx: &Ctx) -> M {
    let d = ctx.dct.and_then(|d| resolve_weekday(d, wd, dir));
    if let Some(p) = part_of_day(lw(w, at)) {
        return M {
            start,
            end: at + 1,
            kind: TimexType::Time,
            value: d.map(|d| format!("{}T{p}", fmt_day(d))),
            anchor: d,
        };
    }
    M::day(start, at, d)
}

/// "this/last/next/past/coming/previous" + week, month, year, weekday, month name...
fn relative(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let a = lw(w, i);
    let b = lw(w, i + 1);
    let dct = ctx.dct;
    // "this past spring", "this past Friday": the latest one, as "past" alone reads.
    if a == "this" && b == "past" {
        let m = relative(w, i + 1, ctx)?;
        return Some(M { start: i, ..m });
    }
    let step: i64 = match a {
        "this" => 0,
        "last" | "past" | "previous" => -1,
        _ => 1,
    };
    // "last three years", "next two weeks", "past few days": durations.
    if a != "this" {
        if let Some((q, j)) = quantity(w, i + 1) {
            if lw(w, i + 1) != "a" {
                if let Some(u) = unit(lw(w, j)) {
                    return Some(M::new(i, j + 1, TimexType::Duration, Some(u.duration(q))));
                }
            }
        }
    }
    if let Some(u) = unit(b) {
        if b.ends_with('s') {
            return None;
        }
        let v = dct.and_then(|d| shift(d, u, step)).map(|(v, _)| v);
        let v = match u {
            Unit::Day => return None,
            Unit::Hour | Unit::Minute | Unit::Second => return None,
            _ => v,
        };
        return Some(M::date(i, i + 2, v));
    }
    if b == "weekend" {
        let v = dct
            .and_then(|d| add_days(d, step * 7))
            .map(|d| format!("{}-WE", fmt_week(d)));
        return Some(M::date(i, i + 2, v));
    }
    if let Some(p) = part_of_day(b) {
        let d = match (a, p) {
            ("this", _) => dct,
            ("last", "NI") => dct.and_then(|d| add_days(d, -1)),
            _ => return None,
        };
        return Some(M::new(
            i,
            i + 2,
            TimexType::Time,
            d.map(|d| format!("{}T{p}", fmt_day(d))),
        ));
    }
    if let Some(wd) = weekday(tx(w, i + 1)) {
        let dir = match a {
            "this" => Dir::ThisWeek,
            "last" | "past" | "previous" => Dir::StrictPast,
            _ => Dir::Future,
        };
        return Some(weekday_phrase(w, i, i + 2, wd, dir, ctx));
    }
    if let Some(mo) = month(tx(w, i + 1)) {
        let v = dct.map(|d| {
            let y = match a {
                "this" => d.year(),
                // "last April" said in October is this year's; said in May, last year's.
                "last" | "past" | "previous" => {
                    if mo + 1 < d.month() {
                        d.year()
                    } else {
                        d.year() - 1
                    }
                }
                _ => {
                    if mo > d.month() {
                        d.year()
                    } else {
                        d.year() + 1
                    }
                }
            };
            fmt_month(y, mo)
        });
        return Some(M::date(i, i + 2, v));
    }
    if let Some(s) = season(b) {
        let v = dct.map(|d| {
            let start_month = match s {
                "SP" => 3,
                "SU" => 6,
                "FA" => 9,
                _ => 12,
            };
            let y = match step {
                0 => d.year(),
                // "past spring" said in October is this year's.
                -1 if a == "past" && d.month() >= start_month + 3 => d.year(),
                -1 => d.year() - 1,
                _ if d.month() < start_month => d.year(),
                _ => d.year() + 1,
            };
            format!("{y:04}-{s}")
        });
        return Some(M::date(i, i + 2, v));
    }
    None
}

/// Clock times: "3 p.m.", "10:30 am", "15:00 GMT", "noon", with an adjacent day word.
fn clock_time(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let word = w.get(i)?;
    let (mut h, mut min, mut j) = if word.lower == "noon" || word.lower == "midday" {
        (12u32, 0u32, i + 1)
    } else if word.lower == "midnight" {
        (24, 0, i + 1)
    } else if word.kind == TokenKind::Number {
        let (hs, ms) = match word.text.split_once(':') {
            Some((h, m)) => (h, Some(m)),
            None => (word.text, None),
        };
        let h: u32 = hs.parse().ok()?;
        let m: u32 = match ms {
            Some(m) if m.len() == 2 => m.parse().ok()?,
            Some(_) => return None,
            None => 0,
        };
        if h > 24 || m > 59 {
            return None;
        }
        (h, m, i + 1)
    } else {
        return None;
    };
    let is_num = word.kind == TokenKind::Number;
    let mer = lw(w, j).trim_end_matches('.').replace('.', "");
    let has_mer = matches!(mer.as_str(), "am" | "pm");
    if has_mer {
        if h == 0 || h > 12 {
            return None;
        }
        if mer == "pm" && h < 12 {
            h += 12;
        } else if mer == "am" && h == 12 {
            h = 0;
        }
        j += 1;
    }
    let tz = matches!(
        tx(w, j),
        "GMT" | "UTC" | "EST" | "EDT" | "ET" | "CET" | "CEST" | "BST" | "PST" | "PDT"
    );
    if is_num && !has_mer {
        let colon = word.text.contains(':');
        let prev = lw(w, i.wrapping_sub(1));
        if !(colon
            && (tz
                || matches!(
                    prev,
                    "at" | "by" | "until" | "from" | "around" | "before" | "after"
                )))
        {
            return None;
        }
    }
    if tz {
        j += 1;
    }
    if lw(w, j) == "local" && lw(w, j + 1) == "time" {
        j += 2;
    }
    if min > 59 {
        min = 0;
    }
    // An adjacent day: "10 p.m. Wednesday", "noon Thursday", "3 p.m. today".
    let mut day = ctx.dct;
    let nx = lw(w, j);
    if let Some(wd) = weekday(tx(w, j)) {
        day = ctx
            .dct
            .and_then(|d| resolve_weekday(d, wd, weekday_dir(w, j, ctx)));
        j += 1;
    } else if nx == "today" || nx == "tonight" {
        j += 1;
    } else if nx == "yesterday" {
        day = ctx.dct.and_then(|d| add_days(d, -1));
        j += 1;
    } else if nx == "tomorrow" {
        day = ctx.dct.and_then(|d| add_days(d, 1));
        j += 1;
    } else {
        // "5 p.m. EST Nov. 9", "5 p.m. EST, Nov. 6": a calendar day right after the time.
        let k = if nx == "," { j + 1 } else { j };
        if month(tx(w, k)).is_some() {
            if let Some(m) = month_phrase(w, k, ctx) {
                let d = m
                    .value
                    .as_deref()
                    .filter(|v| v.len() == 10)
                    .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok());
                if let Some(d) = d {
                    day = Some(d);
                    j = m.end;
                }
            }
        }
    }
    let v = day.map(|d| format!("{}T{h:02}:{min:02}", fmt_day(d)));
    Some(M::new(i, j, TimexType::Time, v))
}

fn day_number(w: &W<'_>) -> Option<u32> {
    if w.kind != TokenKind::Number {
        return None;
    }
    let digits: String = w.text.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = w.text.get(digits.len()..)?;
    if !matches!(rest, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year_number(w: &W<'_>) -> Option<i32> {
    if w.kind != TokenKind::Number || w.text.len() != 4 || !w.text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = w.text.parse().ok()?;
    (1000..=2199).contains(&y).then_some(y)
}

fn date_value(y: i32, m: u32, d: Option<u32>) -> (Option<String>, Option<NaiveDate>) {
    match d {
        Some(d) => match NaiveDate::from_ymd_opt(y, m, d) {
            Some(nd) => (Some(fmt_day(nd)), Some(nd)),
            None => (None, None),
        },
        None => (Some(fmt_month(y, m)), None),
    }
}

/// "December 3", "Dec. 3, 2025", "3 December 2025", "December 2025", "June last year", "March".
fn month_phrase(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let word = w.get(i)?;
    // Day first: "3 December [2025]".
    if let Some(d) = day_number(word) {
        let mo = month(tx(w, i + 1))?;
        let mut j = i + 2;
        let y = w.get(j).and_then(year_number);
        if y.is_some() {
            j += 1;
        }
        return Some(finish_month(w, i, j, mo, Some(d), y, ctx));
    }
    let mo = match word.text.strip_prefix("mid-") {
        Some(rest) => month(rest)?,
        None => month(word.text)?,
    };
    let next = w.get(i + 1);
    // Day after the month: "December 3", "Dec. 3, 2025".
    if let Some(d) = next.and_then(day_number) {
        let mut j = i + 2;
        let mut y = None;
        if lw(w, j) == "," {
            if let Some(yy) = w.get(j + 1).and_then(year_number) {
                y = Some(yy);
                j += 2;
            }
        } else if let Some(yy) = w.get(j).and_then(year_number) {
            y = Some(yy);
            j += 1;
        }
        return Some(finish_month(w, i, j, mo, Some(d), y, ctx));
    }
    if let Some(y) = next.and_then(year_number) {
        return Some(finish_month(w, i, i + 2, mo, None, Some(y), ctx));
    }
    if lw(w, i + 1) == "," {
        if let Some(y) = w.get(i + 2).and_then(year_number) {
            return Some(finish_month(w, i, i + 3, mo, None, Some(y), ctx));
        }
    }
    // "May" and "March" double as verbs/names: only after a time preposition.
    let prev = lw(w, i.wrapping_sub(1));
    if matches!(
        word.text,
        "May" | "March" | "Mar" | "Jan" | "Dec" | "Sept" | "Aug"
    ) && !matches!(
        prev,
        "in" | "since"
            | "by"
            | "until"
            | "till"
            | "from"
            | "of"
            | "during"
            | "through"
            | "early"
            | "late"
            | "mid"
            | "before"
            | "after"
            | "last"
            | "next"
            | "this"
            | "to"
            | "between"
            | "and"
    ) {
        return None;
    }
    // "June last year", "January this year".
    if matches!(lw(w, i + 1), "last" | "this" | "next") && lw(w, i + 2) == "year" {
        let v = ctx.dct.map(|d| {
            let y = match lw(w, i + 1) {
                "last" => d.year() - 1,
                "next" => d.year() + 1,
                _ => d.year(),
            };
            fmt_month(y, mo)
        });
        return Some(M::date(i, i + 3, v));
    }
    Some(finish_month(w, i, i + 1, mo, None, None, ctx))
}

fn finish_month(
    w: &[W<'_>],
    start: usize,
    end: usize,
    mo: u32,
    d: Option<u32>,
    y: Option<i32>,
    ctx: &Ctx,
) -> M {
    let y = y.or_else(|| {
        let (future, past) = local_tense(w, start, end, ctx);
        ctx.dct.map(|dct| infer_year(dct, mo, d, future, past))
    });
    let (value, anchor) = match y {
        Some(y) => date_value(y, mo, d),
        None => (None, None),
    };
    M {
        start,
        end,
        kind: TimexType::Date,
        value,
        anchor,
    }
}

/// "2025-12-03", "12/03/2025" (US order unless the first field exceeds 12), "03.12.2025".
fn numeric_date(w: &[W<'_>], i: usize) -> Option<M> {
    let a = w.get(i)?;
    if a.kind != TokenKind::Number {
        return None;
    }
    // Dotted European form lands in one Number token.
    if a.text.matches('.').count() == 2 {
        let mut p = a.text.split('.');
        let (d, m, y) = (p.next()?.parse().ok()?, p.next()?.parse().ok()?, p.next()?);
        if y.len() != 4 {
            return None;
        }
        let nd = NaiveDate::from_ymd_opt(y.parse().ok()?, m, d)?;
        return Some(M::day(i, i + 1, Some(nd)));
    }
    let glued = |k: usize| w.get(k).is_some_and(|t| !t.space_before);
    let sep = lw(w, i + 1);
    if !(sep == "-" || sep == "/")
        || !glued(i + 1)
        || !glued(i + 2)
        || lw(w, i + 3) != sep
        || !glued(i + 3)
        || !glued(i + 4)
    {
        return None;
    }
    let (b, c) = (w.get(i + 2)?, w.get(i + 4)?);
    let num = |t: &W<'_>| -> Option<u32> { (t.kind == TokenKind::Number).then(|| t.text.parse().ok())? };
    let (x, y, z) = (num(a)?, num(b)?, num(c)?);
    let nd = if a.text.len() == 4 {
        NaiveDate::from_ymd_opt(x as i32, y, z)?
    } else if c.text.len() == 4 {
        if x > 12 {
            NaiveDate::from_ymd_opt(z as i32, y, x)?
        } else {
            NaiveDate::from_ymd_opt(z as i32, x, y)?
        }
    } else {
        return None;
    };
    Some(M::day(i, i + 5, Some(nd)))
}

/// "1990s" (-> "199"), "mid-1990s".
fn decade(w: &[W<'_>], i: usize) -> Option<M> {
    let t = w.get(i)?;
    let s = t.lower.strip_prefix("mid-").unwrap_or(t.lower);
    let digits = s.strip_suffix('s')?;
    if digits.len() != 4 || !digits.ends_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(M::date(i, i + 1, Some(digits.get(..3)?.to_string())))
}

/// A four-digit year in a year-like position ("in 2022", "2022,", "fiscal 1989", "mid-1996").
fn year(w: &[W<'_>], i: usize) -> Option<M> {
    let t = w.get(i)?;
    if let Some(rest) = t.lower.strip_prefix("mid-") {
        if rest.len() == 4 && rest.bytes().all(|b| b.is_ascii_digit()) {
            return Some(M::date(i, i + 1, Some(rest.to_string())));
        }
    }
    if t.lower == "fiscal" {
        let y = w.get(i + 1).and_then(year_number)?;
        return Some(M::date(i, i + 2, Some(format!("{y:04}"))));
    }
    let y = year_number(t)?;
    let prev = lw(w, i.wrapping_sub(1));
    let next = w.get(i + 1);
    let prev_ok = matches!(
        prev,
        "in" | "since"
            | "of"
            | "by"
            | "until"
            | "till"
            | "from"
            | "before"
            | "after"
            | "during"
            | "to"
            | "through"
            | "early"
            | "late"
            | "mid"
            | "and"
            | "year"
            | "between"
            | "for"
            | "around"
            | "spring"
            | "summer"
            | "autumn"
            | "fall"
            | "winter"
            | "end"
            | "start"
    );
    let next_ok = match next {
        None => true,
        Some(n) => {
            (n.kind == TokenKind::Punct && !matches!(n.text, "%" | "$" | "-" | "/"))
                || matches!(n.lower, "and" | "to" | "or" | "when" | "as" | "through")
        }
    };
    // A year used as a modifier: "its 1990 invasion", "the 2000 Olympics", "1990 BellSouth".
    let det = matches!(
        prev,
        "the" | "its" | "his" | "her" | "their" | "our" | "'s" | "this" | "that"
    );
    let next_cap =
        next.is_some_and(|n| n.kind == TokenKind::Word && n.text.starts_with(|c: char| c.is_uppercase()));
    let modifier = (1900..=2099).contains(&y) && ((det && y % 100 != 0) || next_cap);
    let (lo, hi) = if prev_ok { (1000, 2199) } else { (1900, 2100) };
    ((prev_ok || next_ok || modifier) && (lo..=hi).contains(&y))
        .then(|| M::date(i, i + 1, Some(format!("{y:04}"))))
}

/// "third quarter", "third-quarter", "the fourth quarter of 1984", "fiscal first quarter".
fn quarter(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let mut j = i;
    if lw(w, j) == "fiscal" {
        j += 1;
    }
    let lead_year = w.get(j).and_then(year_number);
    if lead_year.is_some() {
        j += 1;
    }
    let a = lw(w, j);
    let (q, end) = if let Some((o, rest)) = a.split_once('-') {
        if rest != "quarter" {
            return None;
        }
        (ordinal(o)?, j + 1)
    } else {
        let q = ordinal(a)?;
        if lw(w, j + 1) == "fiscal" {
            j += 1;
        }
        if lw(w, j + 1) != "quarter" {
            return None;
        }
        (q, j + 2)
    };
    if !(1..=4).contains(&q) {
        return None;
    }
    let mut end = end;
    let mut y = lead_year;
    if lw(w, end) == "of" {
        if let Some(yy) = w.get(end + 1).and_then(year_number) {
            y = Some(yy);
            end += 2;
        }
    }
    let y = y.or_else(|| {
        ctx.dct.map(|d| {
            if q > quarter_of(d) && !ctx.future {
                d.year() - 1
            } else {
                d.year()
            }
        })
    });
    Some(M::date(i, end, y.map(|y| format!("{y:04}-Q{q}"))))
}

/// "20th century" -> "19".
fn century(w: &[W<'_>], i: usize) -> Option<M> {
    let o = ordinal(lw(w, i))?;
    if lw(w, i + 1) != "century" || o == 0 {
        return None;
    }
    Some(M::date(i, i + 2, Some(format!("{:02}", o - 1))))
}

/// "five hours", "two-year", "a day earlier", "three years ago", "8-month-old".
fn duration(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    // One hyphenated token: "five-year", "10-hour", "8-month-old", "twenty-four-hour".
    let t = w.get(i)?;
    if t.kind == TokenKind::Word && t.lower.contains('-') {
        let parts: Vec<&str> = t.lower.split('-').collect();
        let (n, rest) = match parts.as_slice() {
            [a, b, rest @ ..] if word_number(&format!("{a}-{b}")).is_some() && !rest.is_empty() => {
                (word_number(&format!("{a}-{b}")), rest)
            }
            [a, rest @ ..] => (a.parse::<u32>().ok().or_else(|| word_number(a)), rest),
            [] => return None,
        };
        let n = n?;
        let u = unit(rest.first()?)?;
        if !(rest.len() == 1 || (rest.len() == 2 && matches!(rest.get(1), Some(&"old") | Some(&"long")))) {
            return None;
        }
        if u == Unit::Quarter {
            return None;
        }
        return Some(M::new(i, i + 1, TimexType::Duration, Some(u.duration(Some(n)))));
    }
    // "30-year", "52-week", "27-year-old": digits, a glued hyphen, a glued unit word.
    if t.kind == TokenKind::Number && lw(w, i + 1) == "-" {
        let glued = |k: usize| w.get(k).is_some_and(|x| !x.space_before);
        let n = int_token(t)?;
        let uw = lw(w, i + 2);
        let (head, tail) = uw.split_once('-').unwrap_or((uw, ""));
        if glued(i + 1) && glued(i + 2) && matches!(tail, "" | "old" | "long") {
            if let Some(u) = unit(head).filter(|&u| u != Unit::Quarter && !head.ends_with('s')) {
                return Some(M::new(i, i + 3, TimexType::Duration, Some(u.duration(Some(n)))));
            }
        }
        return None;
    }
    let (q, j) = quantity(w, i)?;
    // A year is not a count ("the 1988 quarter"), nor is the ordinal "second" a unit.
    if q.is_some_and(|n| n >= 1000) && w.get(i).and_then(year_number).is_some() {
        return None;
    }
    if lw(w, j) == "second" && matches!(lw(w, j + 1), "quarter" | "half") {
        return None;
    }
    // "2 1/2 years", "two and a half years": the half sits between the count and the unit.
    let mut half = false;
    let mut j = j;
    if matches!(lw(w, j), "1/2" | "½") {
        half = true;
        j += 1;
    } else if lw(w, j) == "1" && lw(w, j + 1) == "/" && lw(w, j + 2) == "2" {
        half = true;
        j += 3;
    } else if (lw(w, j), lw(w, j + 1), lw(w, j + 2)) == ("and", "a", "half") && q.is_some() {
        half = unit(lw(w, j + 3)).is_some();
        if half {
            j += 3;
        }
    }
    // Digit quantities adjacent to the unit only ("5 years"); "a"/"an" need a singular unit.
    let uw = lw(w, j);
    let u = unit(uw)?;
    if matches!(lw(w, i), "a" | "an") && uw.ends_with('s') && uw != "hours" {
        return None;
    }
    // "a second round" is an ordinal, not one second.
    if uw == "second" && !matches!(lw(w, j + 1), "" | "." | "," | "or" | "and" | "later" | "earlier") {
        return None;
    }
    if u == Unit::Quarter && q.is_none() {
        return None;
    }
    // "a year and a half".
    if !half && (lw(w, j + 1), lw(w, j + 2), lw(w, j + 3)) == ("and", "a", "half") {
        if let Some(v) = q.and_then(|n| and_a_half(u, n)) {
            return Some(M::new(i, j + 4, TimexType::Duration, Some(v)));
        }
    }
    if half {
        let v = q.and_then(|n| and_a_half(u, n));
        return v.map(|v| M::new(i, j + 1, TimexType::Duration, Some(v)));
    }
    let mut end = j + 1;
    if lw(w, end) == "more" {
        end += 1;
    }
    match lw(w, end) {
        "ago" if ctx.quarterly && u == Unit::Year && q == Some(1) => {
            return Some(M::date(i, end + 1, ctx.dct.and_then(|d| year_ago(d, true))));
        }
        "ago" => {
            let v = match q {
                Some(n) => ctx.dct.and_then(|d| shift(d, u, -i64::from(n))).map(|(v, _)| v),
                None => Some("PAST_REF".into()),
            };
            return Some(M::date(i, end + 1, v));
        }
        "earlier" | "later" | "before" | "after" if q.is_some() => {
            // Only when the phrase ends there ("a day earlier,"), not "two days after the vote".
            let after = w.get(end + 1);
            let ends = match after {
                None => true,
                Some(n) => n.kind != TokenKind::Word || matches!(n.lower, "and" | "but" | "when"),
            };
            if ends {
                let n = i64::from(q.unwrap_or(1));
                let sign = if matches!(lw(w, end), "earlier" | "before") {
                    -1
                } else {
                    1
                };
                if ctx.quarterly && u == Unit::Year && n == 1 && sign < 0 {
                    let v = ctx.dct.and_then(|d| year_ago(d, true));
                    return Some(M::date(i, end + 1, v));
                }
                let base = ctx.anchor.or(ctx.dct);
                let r = base.and_then(|d| shift(d, u, sign * n));
                return Some(M {
                    start: i,
                    end: end + 1,
                    kind: TimexType::Date,
                    value: r.as_ref().map(|(v, _)| v.clone()),
                    anchor: None,
                });
            }
        }
        _ => {}
    }
    // "a year" after a price or count is a rate: "$5 a year".
    if matches!(lw(w, i), "a" | "per") && i > 0 {
        let prev = w.get(i - 1);
        if prev.is_some_and(|p| {
            p.kind == TokenKind::Number
                || matches!(p.lower, "times" | "once" | "twice" | "million" | "billion")
        }) {
            return Some(M::new(i, j + 1, TimexType::Set, Some(u.duration(Some(1)))));
        }
    }
    Some(M::new(i, j + 1, TimexType::Duration, Some(u.duration(q))))
}

#[cfg(test)]
mod tests;
