//! Paragraphs, sentences and tokens: the layers every later stage indexes into.
//!
//! One linear pass over the text's code points (decoded once, so a token's code point
//! offset is simply its index; no per-token byte/char conversion):
//!
//! * **Paragraphs** are lines: each run of non-blank text between line breaks, trimmed.
//!   Hard-wrapped wire copy (Reuters-style ~70-column lines) is recognised and its lines
//!   are joined, so a paragraph there ends at a blank or indented line instead.
//! * **Tokens**: `Word` (letters and digits, inner apostrophes and hyphens, dotted acronyms
//!   "U.S.", and known abbreviations with their period "Gen.", "Inc."), `Number` (digits with
//!   `,` `.` `:` separators, plus ordinal/decade suffixes "3rd", "1990s"), `Quote` for every
//!   quotation-mark style, `Punct` otherwise. Clitics split spaCy-style: "Trump’s" ->
//!   "Trump" + "’s", "doesn’t" -> "does" + "n’t" ('s, 're, 've, 'll, 'd, 'm, n't, with either
//!   apostrophe), both parts `Word`. A plural-possessive apostrophe ("allies’ support") is
//!   `Punct`, not a quote mark, unless a single quotation is open in the paragraph.
//! * **Sentences** never cross a paragraph. "." ends a sentence unless the next word is
//!   lower-case; "?"/"!" likewise; an abbreviation or ellipsis ends one only when the
//!   abbreviation may close a sentence ("U.S.", "Inc.", not "Gen.") and the next word is a
//!   typical sentence opener ("The", "He", ...). Closing quotes and brackets after the end
//!   mark belong to the sentence.

mod abbrev;

pub use abbrev::{is_abbreviation, AbbrevClass};

use abbrev::{is_dotted_acronym, is_sentence_starter, lookup};
use chronicle_core::{Document, Layer, QuoteMark, Sentence, Span, Stage, Token, TokenKind};

/// The text stage: writes paragraphs, sentences and tokens.
#[derive(Debug, Default)]
pub struct TextStage;

impl TextStage {
    pub fn new() -> Self {
        TextStage
    }
}

impl Stage for TextStage {
    fn name(&self) -> &'static str {
        "text"
    }
    fn reads(&self) -> &'static [Layer] {
        &[Layer::Text]
    }
    fn writes(&self) -> &'static [Layer] {
        &[Layer::Paragraphs, Layer::Sentences, Layer::Tokens]
    }
    fn run(&self, doc: &mut Document) {
        split(doc);
    }
}

/// The three layers of one text, as [`analyse`] returns them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
}

/// Fills `doc.paragraphs`, `doc.sentences` and `doc.tokens` (replacing what was there).
/// Exposed for callers that want the text layers without building a [`chronicle_core::Pipeline`]
/// (tests of later stages, the bench).
pub fn split(doc: &mut Document) {
    let a = analyse(doc.text());
    doc.paragraphs = a.paragraphs;
    doc.sentences = a.sentences;
    doc.tokens = a.tokens;
    doc.index_tokens();
}

/// Runs the whole analysis over a string. Spans are code point offsets into `text`.
pub fn analyse(text: &str) -> Analysis {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Analysis::default();
    let paragraphs = paragraphs(&chars);
    out.tokens.reserve(chars.len() / 5);
    let mut toks: Vec<Tok> = Vec::new();
    for (pi, &(ps, pe)) in paragraphs.iter().enumerate() {
        out.paragraphs.push(Span::new(ps as u32, pe as u32));
        toks.clear();
        tokenize(&chars, ps, pe, &mut toks);
        sentences(&chars, &toks, pi as u32, &mut out);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Paragraphs

/// Lines as `(start, end)` code point ranges (without the '\n').
fn lines(chars: &[char]) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut s = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            v.push((s, i));
            s = i + 1;
        }
    }
    v.push((s, chars.len()));
    v
}

fn trim(chars: &[char], mut s: usize, mut e: usize) -> Option<(usize, usize)> {
    while s < e && chars.get(s).is_some_and(|c| c.is_whitespace()) {
        s += 1;
    }
    while e > s && chars.get(e - 1).is_some_and(|c| c.is_whitespace()) {
        e -= 1;
    }
    (s < e).then_some((s, e))
}

/// Returns the line width when the text looks hard-wrapped (wire copy at ~70 columns): no
/// line wider than 90 code points, and most lines that run on into a non-indented next line
/// end without sentence punctuation. Then a single line break is just a space.
fn hard_wrapped(chars: &[char], lines: &[(usize, usize)]) -> Option<usize> {
    let max = lines
        .iter()
        .filter_map(|&(s, e)| trim(chars, s, e).map(|(_, te)| te - s))
        .max()
        .unwrap_or(0);
    // Lines that run on without punctuation and also fill most of the width: a list of
    // short headlines or place names ("Vodiane\nPisky") runs on too, but is not wrapped.
    let (mut runs, mut open, mut full) = (0usize, 0usize, 0usize);
    for (k, &(s, e)) in lines.iter().enumerate() {
        let Some((_, te)) = trim(chars, s, e) else {
            continue;
        };
        let Some(&(ns, ne)) = lines.get(k + 1) else {
            continue;
        };
        let Some((nts, _)) = trim(chars, ns, ne) else {
            continue;
        };
        if nts > ns {
            continue;
        }
        runs += 1;
        let last = chars.get(te - 1).copied().unwrap_or('.');
        if !matches!(last, '.' | '!' | '?' | '"' | '”' | ':' | ';' | '’' | '\'' | ')') {
            open += 1;
            if (te - s) * 4 >= max * 3 {
                full += 1;
            }
        }
    }
    ((40..=90).contains(&max) && runs >= 2 && open * 2 >= runs && full * 3 >= open * 2).then_some(max)
}

fn paragraphs(chars: &[char]) -> Vec<(usize, usize)> {
    let lines = lines(chars);
    let mut out = Vec::new();
    match hard_wrapped(chars, &lines) {
        None => {
            for &(s, e) in &lines {
                if let Some(p) = trim(chars, s, e) {
                    out.push(p);
                }
            }
        }
        Some(width) => {
            // Join lines; break at blank lines, indented lines, and short lines that end a
            // sentence (the last line of a wrapped paragraph).
            let mut cur: Option<(usize, usize)> = None;
            for (k, &(s, e)) in lines.iter().enumerate() {
                let Some((ts, te)) = trim(chars, s, e) else {
                    if let Some(p) = cur.take() {
                        out.push(p);
                    }
                    continue;
                };
                let indented = ts > s && k > 0;
                if indented {
                    if let Some(p) = cur.take() {
                        out.push(p);
                    }
                }
                cur = Some(match cur {
                    Some((ps, _)) => (ps, te),
                    None => (ts, te),
                });
                let last = chars.get(te - 1).copied().unwrap_or(' ');
                let short = (te - s) * 4 < width * 3;
                if short && matches!(last, '.' | '!' | '?' | '"' | '”' | ':') {
                    if let Some(p) = cur.take() {
                        out.push(p);
                    }
                }
            }
            if let Some(p) = cur.take() {
                out.push(p);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Tokens

/// What a token means for sentence splitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Term {
    None,
    /// A lone ".".
    Period,
    /// "?" or "!".
    Bang,
    /// "..." or "…".
    Ellipsis,
    /// A word carrying a period that may end a sentence ("U.S.", "Inc.", an initial).
    AbbrevFinal,
    /// ")", "]", "}" or a closing quotation mark.
    Closer,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    kind: TokenKind,
    space_before: bool,
    double_quote: bool,
    term: Term,
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Letters, digits and combining marks (so "é" written as e + U+0301 stays in its word).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c) || c == '\u{200d}'
}

fn at(chars: &[char], i: usize) -> Option<char> {
    chars.get(i).copied()
}

/// Length of a clitic starting at the apostrophe at `i` when the word ends right after it
/// ("’s", "'re", "'ll" ...); `None` otherwise.
fn clitic_len(chars: &[char], i: usize, end: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < end && chars.get(j).is_some_and(|c| c.is_alphabetic()) {
        j += 1;
    }
    if j < end && chars.get(j).is_some_and(|&c| is_word_char(c)) {
        return None;
    }
    let n = j - i - 1;
    let suf: Vec<char> = chars
        .get(i + 1..j)?
        .iter()
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let ok = matches!(
        suf.as_slice(),
        ['s'] | ['r', 'e'] | ['v', 'e'] | ['l', 'l'] | ['d'] | ['m']
    );
    ok.then_some(n + 1)
}

/// Scans a word starting at `i`; returns its end and, for a clitic, the clitic's end.
fn scan_word(chars: &[char], i: usize, end: usize) -> (usize, Option<usize>) {
    let mut j = i;
    let mut seg_start = i;
    loop {
        while j < end && chars.get(j).is_some_and(|&c| is_word_char(c)) {
            j += 1;
        }
        let (Some(c), Some(nx)) = (at(chars, j), at(chars, j + 1)) else {
            break;
        };
        if j + 1 >= end {
            break;
        }
        if is_apostrophe(c) && nx.is_alphabetic() {
            // "n't": the clitic takes the word's final n.
            let nt = j >= i + 2
                && at(chars, j - 1).is_some_and(|p| p == 'n' || p == 'N')
                && nx.eq_ignore_ascii_case(&'t')
                && !at(chars, j + 2).is_some_and(|c| j + 2 < end && is_word_char(c));
            if nt {
                return (j - 1, Some(j + 2));
            }
            if let Some(n) = clitic_len(chars, j, end) {
                return (j, Some(j + n));
            }
            j += 1;
            seg_start = j;
            continue;
        }
        if is_hyphen(c) && is_word_char(nx) {
            j += 1;
            seg_start = j;
            continue;
        }
        if c == '.' && nx.is_alphabetic() {
            let single = j == seg_start + 1;
            let nx2 = at(chars, j + 2).filter(|_| j + 2 < end);
            // "U.S", "p.m": single letters separated by periods.
            if single && !nx2.is_some_and(is_word_char) {
                j += 1;
                seg_start = j;
                continue;
            }
            // "bbc.co.uk", "Amazon.com": a period glued to a lower-case continuation.
            if nx.is_lowercase() && j - seg_start >= 2 {
                j += 1;
                seg_start = j;
                continue;
            }
        }
        break;
    }
    (j, None)
}

/// Next non-space character from `i` (inside the paragraph).
fn next_non_space(chars: &[char], i: usize, end: usize) -> Option<char> {
    chars.get(i..end)?.iter().copied().find(|c| !c.is_whitespace())
}

/// Decides whether the '.' at `j` (right after the word `i..j`) belongs to the word, and how
/// the word then behaves at a sentence end.
fn attach_period(chars: &[char], i: usize, j: usize, end: usize) -> Option<Term> {
    if at(chars, j) != Some('.') || j >= end {
        return None;
    }
    // "..." is an ellipsis, not an abbreviation period.
    if at(chars, j + 1) == Some('.') {
        return None;
    }
    let word: String = chars.get(i..j)?.iter().collect();
    if word.contains('.') {
        return is_dotted_acronym(&word).then_some(Term::AbbrevFinal);
    }
    let next = next_non_space(chars, j + 1, end);
    // An initial ("George W. Bush", "J. R. R. Tolkien") before a capitalised word.
    let mut wc = word.chars();
    if let (Some(c), None) = (wc.next(), wc.next()) {
        if c.is_uppercase() && next.is_some_and(|n| n.is_uppercase()) {
            return Some(Term::AbbrevFinal);
        }
        return None;
    }
    match lookup(&word, next.is_some_and(|c| c.is_ascii_digit()))? {
        AbbrevClass::NeverFinal => Some(Term::None),
        AbbrevClass::MayEndSentence => Some(Term::AbbrevFinal),
    }
}

fn scan_number(chars: &[char], i: usize, end: usize) -> usize {
    let digit = |k: usize| k < end && chars.get(k).is_some_and(|c| c.is_ascii_digit());
    let mut j = i;
    while digit(j) {
        j += 1;
    }
    while matches!(at(chars, j), Some(',' | '.' | ':')) && digit(j + 1) {
        j += 1;
        while digit(j) {
            j += 1;
        }
    }
    // Ordinal and decade suffixes: "3rd", "21st", "1990s".
    let mut k = j;
    while k < end && chars.get(k).is_some_and(|c| c.is_ascii_alphabetic()) {
        k += 1;
    }
    if k > j {
        let suf: String = chars
            .get(j..k)
            .unwrap_or(&[])
            .iter()
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let boundary = !at(chars, k).is_some_and(|c| k < end && is_word_char(c));
        if boundary && matches!(suf.as_str(), "s" | "st" | "nd" | "rd" | "th") {
            return k;
        }
    }
    j
}

fn opens_context(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '“' | '‘' | '«' | '„' | '/')
        }
    }
}

fn closes_context(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => c.is_whitespace() || !(is_word_char(c) || matches!(c, '“' | '‘' | '«' | '„' | '(' | '[')),
    }
}

/// Tokenises the paragraph `ps..pe`, pushing into `toks`.
fn tokenize(chars: &[char], ps: usize, pe: usize, toks: &mut Vec<Tok>) {
    let mut i = ps;
    let mut space = true;
    let mut single_open = 0u32;
    while i < pe {
        let Some(ch) = at(chars, i) else { break };
        if ch.is_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        let start = i;
        let tok = |end: usize, kind: TokenKind, dq: bool, term: Term, space: bool| Tok {
            start,
            end,
            kind,
            space_before: space,
            double_quote: dq,
            term,
        };
        if is_word_char(ch) && !ch.is_ascii_digit() {
            let (we, clitic) = scan_word(chars, i, pe);
            let we = we.max(i + 1);
            match clitic {
                Some(ce) => {
                    if we > i {
                        toks.push(tok(we, TokenKind::Word, false, Term::None, space));
                    }
                    toks.push(Tok {
                        start: we,
                        end: ce,
                        kind: TokenKind::Word,
                        space_before: false,
                        double_quote: false,
                        term: Term::None,
                    });
                    i = ce;
                }
                None => match attach_period(chars, i, we, pe) {
                    Some(term) => {
                        toks.push(tok(we + 1, TokenKind::Word, false, term, space));
                        i = we + 1;
                    }
                    None => {
                        toks.push(tok(we, TokenKind::Word, false, Term::None, space));
                        i = we;
                    }
                },
            }
        } else if ch.is_ascii_digit() {
            let ne = scan_number(chars, i, pe).max(i + 1);
            toks.push(tok(ne, TokenKind::Number, false, Term::None, space));
            i = ne;
        } else {
            let prev = if i > ps { at(chars, i - 1) } else { None };
            let next = if i + 1 < pe { at(chars, i + 1) } else { None };
            let (kind, dq, term, len) = match ch {
                '“' | '«' | '„' => (TokenKind::Quote(QuoteMark::Open), true, Term::None, 1),
                '”' | '»' => (TokenKind::Quote(QuoteMark::Close), true, Term::Closer, 1),
                '‘' | '‚' | '‹' => {
                    single_open += 1;
                    (TokenKind::Quote(QuoteMark::Open), false, Term::None, 1)
                }
                '’' | '›' | '\'' => {
                    let possessive = is_apostrophe(ch)
                        && single_open == 0
                        && prev.is_some_and(|p| p == 's' || p == 'S')
                        && !next.is_some_and(is_word_char);
                    if possessive {
                        (TokenKind::Punct, false, Term::None, 1)
                    } else {
                        let mark = if ch == '\'' {
                            straight_direction(prev, next)
                        } else {
                            QuoteMark::Close
                        };
                        match mark {
                            QuoteMark::Open => single_open += 1,
                            QuoteMark::Close => single_open = single_open.saturating_sub(1),
                            QuoteMark::Ambiguous => {}
                        }
                        let term = if mark == QuoteMark::Open {
                            Term::None
                        } else {
                            Term::Closer
                        };
                        (TokenKind::Quote(mark), false, term, 1)
                    }
                }
                '"' => {
                    let mark = straight_direction(prev, next);
                    let term = if mark == QuoteMark::Open {
                        Term::None
                    } else {
                        Term::Closer
                    };
                    (TokenKind::Quote(mark), true, term, 1)
                }
                '.' => {
                    let mut k = i;
                    while k < pe && at(chars, k) == Some('.') {
                        k += 1;
                    }
                    let n = k - i;
                    (
                        TokenKind::Punct,
                        false,
                        if n >= 2 { Term::Ellipsis } else { Term::Period },
                        n,
                    )
                }
                '…' => (TokenKind::Punct, false, Term::Ellipsis, 1),
                '?' | '!' | '‽' => (TokenKind::Punct, false, Term::Bang, 1),
                ')' | ']' | '}' => (TokenKind::Punct, false, Term::Closer, 1),
                _ => (TokenKind::Punct, false, Term::None, 1),
            };
            toks.push(tok(i + len, kind, dq, term, space));
            i += len;
        }
        space = false;
    }
}

/// Direction of a straight quote from the characters around it.
fn straight_direction(prev: Option<char>, next: Option<char>) -> QuoteMark {
    let open = opens_context(prev);
    let close = closes_context(next);
    match (open, close) {
        (true, false) => QuoteMark::Open,
        (false, true) => QuoteMark::Close,
        _ => QuoteMark::Ambiguous,
    }
}

// ---------------------------------------------------------------------------------------
// Sentences

fn first_char(chars: &[char], t: &Tok) -> Option<char> {
    at(chars, t.start)
}

fn word_is_starter(chars: &[char], t: &Tok) -> bool {
    if t.kind != TokenKind::Word || t.end - t.start > 12 {
        return false;
    }
    let w: String = chars.get(t.start..t.end).unwrap_or(&[]).iter().collect();
    is_sentence_starter(&w)
}

/// Splits one paragraph's tokens into sentences and appends tokens and sentences to `out`.
fn sentences(chars: &[char], toks: &[Tok], paragraph: u32, out: &mut Analysis) {
    let base = out.tokens.len();
    out.tokens.extend(toks.iter().map(|t| {
        Token::new(
            Span::new(t.start as u32, t.end as u32),
            t.kind,
            t.space_before,
            t.double_quote,
        )
    }));
    let m = toks.len();
    let mut s0 = 0usize;
    let mut k = 0usize;
    while k < m {
        let Some(t) = toks.get(k) else { break };
        if !matches!(
            t.term,
            Term::Period | Term::Bang | Term::Ellipsis | Term::AbbrevFinal
        ) {
            k += 1;
            continue;
        }
        // Absorb glued end marks ("?!", "?..."), then closers ('."', '.)').
        let mut strongest = t.term;
        let mut e = k + 1;
        while let Some(n) = toks.get(e) {
            if n.space_before || !matches!(n.term, Term::Period | Term::Bang | Term::Ellipsis) {
                break;
            }
            if matches!(n.term, Term::Period | Term::Bang) {
                strongest = n.term;
            }
            e += 1;
        }
        while let Some(n) = toks.get(e) {
            if n.term == Term::Closer && !n.space_before {
                e += 1;
            } else {
                break;
            }
        }
        let Some(next) = toks.get(e) else {
            break;
        };
        let nc = first_char(chars, next);
        let split = match strongest {
            Term::Period | Term::Bang => {
                !(nc.is_some_and(|c| c.is_lowercase()) || matches!(nc, Some(',' | ';' | ':' | '%')))
            }
            _ => word_is_starter(chars, next),
        };
        if split {
            push_sentence(chars, toks, s0, e, base, paragraph, out);
            s0 = e;
        }
        k = e.max(k + 1);
    }
    if s0 < m {
        push_sentence(chars, toks, s0, m, base, paragraph, out);
    }
}

/// The most tokens one sentence may hold. Scraped pages bring "sentences" of thousands of
/// words (tables, lists, menus without full stops); every later stage looks at a sentence
/// as a whole, so a run longer than this is cut into windows of at most this many tokens,
/// which keeps the whole pipeline linear in the length of the text. Real news sentences
/// stay below it (by a rough count the longest in the NER, quote and PLOVER dev sets have
/// 109, 174 and 52 tokens), and no dev figure of any stage changed when it came in.
pub const MAX_SENTENCE_TOKENS: usize = 256;

/// Appends tokens `a..b` as one sentence, or as several of at most
/// [`MAX_SENTENCE_TOKENS`] when the run is longer: each cut falls after the last comma,
/// semicolon, colon or dash in the second half of the window, else at the window's end.
fn push_sentence(
    chars: &[char],
    toks: &[Tok],
    a: usize,
    b: usize,
    base: usize,
    paragraph: u32,
    out: &mut Analysis,
) {
    let clause_mark = |t: &Tok| {
        t.end - t.start == 1
            && matches!(
                chars.get(t.start),
                Some(',' | ';' | ':' | '\u{2013}' | '\u{2014}')
            )
    };
    let mut a = a;
    while b - a > MAX_SENTENCE_TOKENS {
        let end = a + MAX_SENTENCE_TOKENS;
        let cut = (a + MAX_SENTENCE_TOKENS / 2..end)
            .rev()
            .find(|&k| toks.get(k).is_some_and(clause_mark))
            .map_or(end, |k| k + 1);
        push_window(toks, a, cut, base, paragraph, out);
        a = cut;
    }
    push_window(toks, a, b, base, paragraph, out);
}

fn push_window(toks: &[Tok], a: usize, b: usize, base: usize, paragraph: u32, out: &mut Analysis) {
    let (Some(first), Some(last)) = (toks.get(a), toks.get(b.saturating_sub(1))) else {
        return;
    };
    out.sentences.push(Sentence {
        span: Span::new(first.start as u32, last.end as u32),
        paragraph,
        tokens: ((base + a) as u32, (base + b) as u32),
    });
}

#[cfg(test)]
mod tests;
