//! A small tokenizer and sentence splitter so the entity tests do not depend on the text
//! stage's quality.
#![allow(dead_code)]

use chronicle_core::{Document, QuoteMark, Sentence, Span, Token, TokenKind};

fn quote_mark(c: char, space_before: bool) -> Option<(QuoteMark, bool)> {
    Some(match c {
        '“' | '«' | '„' => (QuoteMark::Open, true),
        '”' | '»' => (QuoteMark::Close, true),
        '‘' => (QuoteMark::Open, false),
        '’' => (QuoteMark::Close, false),
        '"' => (
            if space_before {
                QuoteMark::Open
            } else {
                QuoteMark::Close
            },
            true,
        ),
        '\'' => (
            if space_before {
                QuoteMark::Open
            } else {
                QuoteMark::Close
            },
            false,
        ),
        _ => return None,
    })
}

/// Tokens over `text` (code point spans). Possessive "’s" becomes its own token.
pub fn tokenize(text: &str) -> Vec<Token> {
    let cs: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut space = true;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        let mut dq = false;
        if c.is_alphabetic() {
            i += 1;
            while i < cs.len() {
                let d = cs[i];
                if d.is_alphanumeric() {
                    i += 1;
                } else if matches!(d, '-' | '.' | '\'' | '’') && i + 1 < cs.len() && cs[i + 1].is_alphabetic()
                {
                    // possessive 's stays separate
                    if matches!(d, '\'' | '’')
                        && matches!(cs[i + 1], 's' | 'S')
                        && (i + 2 >= cs.len() || !cs[i + 2].is_alphanumeric())
                    {
                        break;
                    }
                    i += 2;
                } else if d == '.' && i >= 2 && cs[i - 2] == '.' {
                    i += 1; // U.S.
                    break;
                } else {
                    break;
                }
            }
            kind = TokenKind::Word;
        } else if c.is_ascii_digit() {
            i += 1;
            while i < cs.len() {
                if cs[i].is_alphanumeric() {
                    i += 1;
                } else if matches!(cs[i], ',' | '.' | '-') && i + 1 < cs.len() && cs[i + 1].is_ascii_digit() {
                    i += 2;
                } else {
                    break;
                }
            }
            kind = TokenKind::Number;
        } else if matches!(c, '\'' | '’')
            && !space
            && i + 1 < cs.len()
            && matches!(cs[i + 1], 's' | 'S')
            && (i + 2 >= cs.len() || !cs[i + 2].is_alphanumeric())
        {
            i += 2;
            kind = TokenKind::Word;
        } else if let Some((m, d)) = quote_mark(c, space) {
            i += 1;
            kind = TokenKind::Quote(m);
            dq = d;
        } else {
            i += 1;
            kind = TokenKind::Punct;
        }
        out.push(Token::new(Span::new(start as u32, i as u32), kind, space, dq));
        space = false;
    }
    out
}

/// Sentences: break after . ! ? (plus closing quotes) before a capital or quote, and at newlines.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let cs: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut first = 0usize;
    let mut para = 0u32;
    for i in 0..tokens.len() {
        let t = &tokens[i];
        let s: String = cs[t.span.start as usize..t.span.end as usize].iter().collect();
        let next = tokens.get(i + 1);
        let newline_after = match next {
            Some(n) => cs[t.span.end as usize..n.span.start as usize].contains(&'\n'),
            None => true,
        };
        let end_punct = matches!(s.as_str(), "." | "!" | "?")
            && next.is_some_and(|n| {
                let c = cs[n.span.start as usize];
                c.is_uppercase() || matches!(n.kind, TokenKind::Quote(_))
            });
        let closing_quote_after_end = matches!(t.kind, TokenKind::Quote(QuoteMark::Close))
            && i > 0
            && {
                let p = &tokens[i - 1];
                let ps: String = cs[p.span.start as usize..p.span.end as usize].iter().collect();
                matches!(ps.as_str(), "." | "!" | "?")
            }
            && next.is_some_and(|n| cs[n.span.start as usize].is_uppercase());
        let before_close =
            next.is_some_and(|n| matches!(n.kind, TokenKind::Quote(QuoteMark::Close)) && !n.space_before);
        if newline_after || (end_punct && !before_close) || closing_quote_after_end {
            let span = Span::new(tokens[first].span.start, t.span.end);
            out.push(Sentence {
                span,
                paragraph: para,
                tokens: (first as u32, i as u32 + 1),
            });
            first = i + 1;
            if newline_after {
                para += 1;
            }
        }
    }
    out
}

/// A document with tokens and sentences filled by the helpers above.
pub fn doc(text: &str) -> Document {
    let mut d = Document::new("t", text, None);
    let toks = tokenize(d.text());
    d.sentences = sentences(d.text(), &toks);
    d.tokens = toks;
    d.index_tokens();
    d
}

/// Actor code of the entity named exactly `name`, if any.
pub fn actor_code(d: &Document, name: &str) -> Option<String> {
    d.entities
        .iter()
        .find(|e| e.name == name)
        .and_then(|e| e.actor.as_ref())
        .and_then(|a| a.code())
}

/// The messages of the document's warning diagnostics.
pub fn warnings(d: &Document) -> Vec<&str> {
    d.diagnostics
        .iter()
        .filter(|x| x.severity == chronicle_core::Severity::Warning)
        .map(|x| x.message.as_str())
        .collect()
}
