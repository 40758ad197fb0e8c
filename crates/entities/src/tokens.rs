//! A thin view of the document's token layer tuned for name finding: a possessive "’s"
//! still glued to a word is split off; lower-case forms and shapes come from the layer.

use chronicle_core::{Document, Shape, Span, TokenKind};

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok<'a> {
    /// Token text without a trailing possessive "’s".
    pub text: &'a str,
    /// Lower-case `text` (the token layer's form, curly apostrophes straight).
    pub lower: &'a str,
    /// Span of `text`.
    pub span: Span,
    pub kind: TokenKind,
    /// Capitalisation of `text`.
    pub shape: Shape,
    /// The token ends in, or is followed by, a possessive "’s".
    pub possessive: bool,
    /// The token is a standalone possessive marker ("’s", "'s").
    pub poss_marker: bool,
}

impl Tok<'_> {
    pub fn is_word(&self) -> bool {
        matches!(self.kind, TokenKind::Word)
    }

    /// Starts with an upper-case letter.
    pub fn is_cap(&self) -> bool {
        self.is_word() && self.shape.starts_upper()
    }

    /// Every letter is upper case (and there is at least one).
    pub fn is_all_caps(&self) -> bool {
        self.shape.all_caps()
    }
}

fn is_poss(s: &str) -> bool {
    matches!(s, "'s" | "’s" | "'S" | "’S")
}

/// Builds the view over all tokens, aligned index for index with `doc.tokens`.
pub(crate) fn build(doc: &Document) -> Vec<Tok<'_>> {
    let mut out: Vec<Tok<'_>> = Vec::with_capacity(doc.tokens.len());
    for (i, t) in doc.tokens.iter().enumerate() {
        let text = doc.slice(t.span);
        let mut tok = Tok {
            text,
            lower: doc.lower(i),
            span: t.span,
            kind: t.kind,
            shape: t.shape,
            possessive: false,
            poss_marker: false,
        };
        if is_poss(text) && !t.space_before {
            tok.poss_marker = true;
        } else if matches!(t.kind, TokenKind::Quote(_)) && matches!(text, "'" | "’") {
            // "’" + "s" split by the tokenizer.
            if let Some(n) = doc.tokens.get(i + 1) {
                if !n.space_before && !t.space_before && doc.slice(n.span) == "s" {
                    tok.poss_marker = true;
                }
            }
        } else if t.kind == TokenKind::Word && text.chars().count() > 2 {
            if let Some(stem) = text.strip_suffix("’s").or_else(|| text.strip_suffix("'s")) {
                tok.text = stem;
                tok.lower = tok.lower.strip_suffix("'s").unwrap_or(tok.lower);
                tok.shape = Shape::of(stem);
                tok.span = Span::new(t.span.start, t.span.end.saturating_sub(2));
                tok.possessive = true;
            }
        }
        if tok.poss_marker {
            if let Some(prev) = out.last_mut() {
                prev.possessive = true;
            }
        }
        // The "s" after a split "’" is part of the marker.
        if text == "s" && !t.space_before && out.last().is_some_and(|p| p.poss_marker) {
            tok.poss_marker = true;
        }
        out.push(tok);
    }
    out
}

/// Sentence token ranges; the whole text is one sentence when the layer is empty.
pub(crate) fn sentence_ranges(doc: &Document) -> Vec<(usize, usize)> {
    let n = doc.tokens.len();
    if doc.sentences.is_empty() {
        return if n == 0 { Vec::new() } else { vec![(0, n)] };
    }
    doc.sentences
        .iter()
        .map(|s| ((s.tokens.0 as usize).min(n), (s.tokens.1 as usize).min(n)))
        .filter(|(a, b)| a < b)
        .collect()
}

/// True for an all-caps headline (most words upper case).
pub(crate) fn is_headline(toks: &[Tok<'_>]) -> bool {
    let mut words = 0;
    let mut caps = 0;
    for t in toks
        .iter()
        .filter(|t| t.is_word() && t.text.chars().any(char::is_alphabetic))
    {
        words += 1;
        if t.is_all_caps() {
            caps += 1;
        }
    }
    words >= 2 && caps * 5 >= words * 4
}

/// "LEICESTERSHIRE" -> "Leicestershire", for looking headline words up in case-true tables.
pub(crate) fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut first = true;
    for c in s.chars() {
        if first {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        first = !c.is_alphabetic();
    }
    out
}

/// Lower-cased text, borrowed when it has no upper-case letters (the common case).
pub(crate) fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(char::is_uppercase) {
        std::borrow::Cow::Owned(s.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}
