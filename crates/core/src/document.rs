use crate::layers::*;
use crate::pipeline::Layer;
use crate::span::Span;
use crate::syntax::TokenSyntax;
use chrono::NaiveDate;

/// One article and everything the stages have learned about it.
///
/// The text never changes once the document is built: every layer points into it with
/// code point [`Span`]s, so provenance (which sentence said this?) is always one slice away.
#[derive(Debug, Clone)]
pub struct Document {
    /// Caller's identifier, carried through to the record unchanged.
    pub id: String,
    /// The cleaned article text all spans index into.
    text: String,
    /// Anchor for relative dates ("on Tuesday"); `None` leaves them unresolved, never guessed.
    pub published: Option<NaiveDate>,
    /// Byte offset of each code point, plus one trailing entry for `text.len()`.
    /// Empty when the text is pure ASCII (then bytes == code points).
    char_bytes: Vec<u32>,
    /// Number of code points in `text`.
    char_len: u32,

    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    /// Each token's lower-case form (curly apostrophes made straight), concatenated;
    /// `lower_idx[i]` is token i's byte range. Set by [`Document::index_tokens`].
    lower: String,
    lower_idx: Vec<(u32, u32)>,
    /// Per token (index for index with `tokens`) its part of speech, lemma, features,
    /// head and relation; empty until the syntax stage has run.
    pub syntax: Vec<TokenSyntax>,
    /// The lemmas [`TokenSyntax`] points into.
    lemmas: String,
    pub timexes: Vec<Timex>,
    pub entities: Vec<Entity>,
    pub places: Vec<Place>,
    pub quotes: Vec<Quote>,
    pub events: Vec<Event>,

    /// What the stages noticed but could not act on; the pipeline never fails on text.
    pub diagnostics: Vec<Diagnostic>,
    /// The text's language (ISO 639-1, "es") when it was identified reliably; `None` for
    /// short or mixed texts, which are processed as English.
    pub language: Option<String>,
    /// Why the stages did not run on this text ("language es"), if they did not: the
    /// article is still reported, with its text and no layers.
    pub skipped: Option<String>,
    /// Layers already produced (set by [`crate::Pipeline::run`]).
    pub(crate) done: Vec<Layer>,
}

/// Something a stage wants a person to know about this document (not an error: the
/// pipeline still returns every layer it could build).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub stage: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
}

impl Document {
    /// Builds a document over `text`. Only newlines `\r\n` / `\r` are normalised to `\n`
    /// (before any offset exists), so paragraph logic sees one line-break form.
    pub fn new(id: impl Into<String>, text: impl Into<String>, published: Option<NaiveDate>) -> Self {
        let mut text: String = text.into();
        if text.contains('\r') {
            text = text.replace("\r\n", "\n").replace('\r', "\n");
        }
        let (char_bytes, char_len) = if text.is_ascii() {
            (Vec::new(), text.len() as u32)
        } else {
            let mut v: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
            let n = v.len() as u32;
            v.push(text.len() as u32);
            (v, n)
        };
        Document {
            id: id.into(),
            text,
            published,
            char_bytes,
            char_len,
            paragraphs: Vec::new(),
            sentences: Vec::new(),
            tokens: Vec::new(),
            lower: String::new(),
            lower_idx: Vec::new(),
            syntax: Vec::new(),
            lemmas: String::new(),
            timexes: Vec::new(),
            entities: Vec::new(),
            places: Vec::new(),
            quotes: Vec::new(),
            events: Vec::new(),
            diagnostics: Vec::new(),
            language: None,
            skipped: None,
            done: Vec::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Length of the text in code points.
    pub fn char_len(&self) -> u32 {
        self.char_len
    }

    /// Byte offset of code point `c` (clamped to the end of the text).
    pub fn char_to_byte(&self, c: u32) -> usize {
        if self.char_bytes.is_empty() {
            (c as usize).min(self.text.len())
        } else {
            self.char_bytes[(c as usize).min(self.char_bytes.len() - 1)] as usize
        }
    }

    /// Code point index of byte offset `b`; a byte inside a multi-byte character maps to
    /// that character.
    pub fn byte_to_char(&self, b: usize) -> u32 {
        if self.char_bytes.is_empty() {
            return b.min(self.text.len()) as u32;
        }
        match self.char_bytes.binary_search(&(b as u32)) {
            Ok(i) => i as u32,
            Err(i) => i.saturating_sub(1) as u32,
        }
    }

    /// Byte range of a span, for slicing `text()`.
    pub fn byte_range(&self, span: Span) -> std::ops::Range<usize> {
        let s = self.char_to_byte(span.start);
        let e = self.char_to_byte(span.end).max(s);
        s..e
    }

    /// The text a span covers (empty for an out-of-range span, never a panic).
    pub fn slice(&self, span: Span) -> &str {
        let r = self.byte_range(span);
        self.text.get(r).unwrap_or("")
    }

    /// Span of a byte range, for stages that matched on bytes.
    pub fn span_of_bytes(&self, start: usize, end: usize) -> Span {
        Span::new(self.byte_to_char(start), self.byte_to_char(end))
    }

    /// Index of the sentence containing code point `pos`, if sentences exist.
    pub fn sentence_at(&self, pos: u32) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= pos);
        (i < self.sentences.len() && self.sentences[i].span.start <= pos).then_some(i)
    }

    /// Tokens of sentence `i` (empty if out of range).
    pub fn sentence_tokens(&self, i: usize) -> &[Token] {
        match self.sentences.get(i) {
            Some(s) => self
                .tokens
                .get(s.tokens.0 as usize..s.tokens.1 as usize)
                .unwrap_or(&[]),
            None => &[],
        }
    }

    /// Fills the fields of the token layer that derive from the tokens and sentences
    /// (each token's sentence, shape and lower-case form), so no stage recomputes them.
    /// The text stage calls it; so must anyone who builds `tokens` by hand.
    pub fn index_tokens(&mut self) {
        for t in &mut self.tokens {
            t.sentence = NO_SENTENCE;
        }
        for (si, s) in self.sentences.iter().enumerate() {
            let end = (s.tokens.1 as usize).min(self.tokens.len());
            for t in self.tokens.get_mut(s.tokens.0 as usize..end).unwrap_or(&mut []) {
                t.sentence = si as u32;
            }
        }
        let mut lower = String::with_capacity(self.text.len());
        let mut idx = Vec::with_capacity(self.tokens.len());
        let mut tokens = std::mem::take(&mut self.tokens);
        for t in &mut tokens {
            let r = self.slice(t.span);
            t.shape = Shape::of(r);
            let s = lower.len() as u32;
            if r.is_ascii() {
                lower.push_str(r);
                if let Some(tail) = lower.get_mut(s as usize..) {
                    tail.make_ascii_lowercase();
                }
            } else {
                for c in r.chars() {
                    match c {
                        '\u{2019}' | '\u{2018}' => lower.push('\''),
                        c => lower.extend(c.to_lowercase()),
                    }
                }
            }
            idx.push((s, lower.len() as u32));
        }
        self.tokens = tokens;
        self.lower = lower;
        self.lower_idx = idx;
    }

    /// Token `i`'s lower-case form (curly apostrophes straight: "kremlin's"); empty for
    /// an index out of range or before [`Document::index_tokens`].
    pub fn lower(&self, i: usize) -> &str {
        match self.lower_idx.get(i) {
            Some(&(a, b)) => self.lower.get(a as usize..b as usize).unwrap_or(""),
            None => "",
        }
    }

    /// Index of the paragraph holding token `i` (that of its sentence; a token outside
    /// every sentence takes the paragraph of the last sentence before it).
    pub fn token_paragraph(&self, i: usize) -> u32 {
        let Some(t) = self.tokens.get(i) else { return 0 };
        if let Some(s) = self.sentences.get(t.sentence as usize) {
            return s.paragraph;
        }
        let before = self.sentences.partition_point(|s| (s.tokens.1 as usize) <= i);
        before
            .checked_sub(1)
            .and_then(|k| self.sentences.get(k))
            .map_or(0, |s| s.paragraph)
    }

    /// Appends the next token's syntax (the syntax stage writes tokens in order).
    pub fn push_syntax(&mut self, mut ts: TokenSyntax, lemma: &str) {
        let s = self.lemmas.len() as u32;
        self.lemmas.push_str(lemma);
        ts.lemma = (s, self.lemmas.len() as u32);
        self.syntax.push(ts);
    }

    /// Clears the syntax layer (before a stage writes it anew).
    pub fn clear_syntax(&mut self) {
        self.syntax.clear();
        self.lemmas.clear();
    }

    /// Token `i`'s lemma ("say" for "said"); empty without a syntax layer.
    pub fn lemma(&self, i: usize) -> &str {
        match self.syntax.get(i) {
            Some(ts) => self
                .lemmas
                .get(ts.lemma.0 as usize..ts.lemma.1 as usize)
                .unwrap_or(""),
            None => "",
        }
    }

    /// Text of token `t`.
    pub fn token_text(&self, t: &Token) -> &str {
        self.slice(t.span)
    }

    /// Entity by id (ids are dense indices, see [`EntityId`]).
    pub fn entity(&self, id: EntityId) -> Option<&Entity> {
        self.entities.get(id.0 as usize)
    }

    /// Place resolved for an entity, if any.
    pub fn place_of(&self, id: EntityId) -> Option<&Place> {
        self.places.iter().find(|p| p.entity == id)
    }

    pub fn diagnose(
        &mut self,
        stage: &'static str,
        severity: Severity,
        message: impl Into<String>,
        span: Option<Span>,
    ) {
        self.diagnostics.push(Diagnostic {
            stage,
            severity,
            message: message.into(),
            span,
        });
    }

    /// Layers produced so far.
    pub fn layers_done(&self) -> &[Layer] {
        &self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_code_points() {
        let d = Document::new("t", "Donald Trump’s “shocking” plan — ok", None);
        let s = d.text().find("shocking").unwrap();
        let span = d.span_of_bytes(s, s + "shocking".len());
        assert_eq!(d.slice(span), "shocking");
        // Python: "Donald Trump’s “shocking”".index("shocking") == 16
        assert_eq!(span.start, 16);
        assert_eq!(d.char_len() as usize, d.text().chars().count());
    }

    #[test]
    fn ascii_fast_path_and_clamping() {
        let d = Document::new("t", "abc\r\ndef", None);
        assert_eq!(d.text(), "abc\ndef");
        assert_eq!(d.slice(Span::new(4, 7)), "def");
        assert_eq!(d.slice(Span::new(5, 100)), "ef");
        assert_eq!(d.slice(Span::new(50, 100)), "");
    }
}
