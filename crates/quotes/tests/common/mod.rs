//! A tiny tokenizer and sentence splitter so the quote tests do not depend on the quality of
//! chronicle-text: paragraphs are lines, sentences end at . ! ? before a capital or a quote.
#![allow(dead_code)]

use chronicle_core::{
    Document, Entity, EntityId, EntityType, Mention, MentionKind, QuoteMark, Sentence, Span, Token, TokenKind,
};

fn mark(c: char) -> Option<(QuoteMark, bool)> {
    Some(match c {
        '“' | '«' | '„' => (QuoteMark::Open, true),
        '”' | '»' => (QuoteMark::Close, true),
        '"' => (QuoteMark::Ambiguous, true),
        '‘' | '‚' | '‹' => (QuoteMark::Open, false),
        '’' | '›' => (QuoteMark::Close, false),
        '\'' => (QuoteMark::Ambiguous, false),
        _ => return None,
    })
}

const ABBR: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sen", "rep", "gov", "gen", "sept", "jan", "feb", "aug", "oct",
    "nov", "dec", "lt", "col", "prof",
];

/// Builds paragraphs, sentences and tokens the way chronicle-text is specified to.
pub fn annotate(doc: &mut Document) {
    let text = doc.text().to_string();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut paragraphs = Vec::new();
    let mut tokens: Vec<Token> = Vec::new();
    let mut sentences = Vec::new();
    let mut i = 0;
    let n = chars.len();
    while i < n {
        // one line = one paragraph
        let line_start = i;
        while i < n && chars[i].1 != '\n' {
            i += 1;
        }
        let line_end = i;
        i += 1;
        let seg = &chars[line_start..line_end];
        if seg.iter().all(|(_, c)| c.is_whitespace()) {
            continue;
        }
        let pi = paragraphs.len() as u32;
        let first_tok = tokens.len();
        let mut j = 0;
        let mut space = true;
        while j < seg.len() {
            let c = seg[j].1;
            let pos = (line_start + j) as u32;
            if c.is_whitespace() {
                space = true;
                j += 1;
                continue;
            }
            if c.is_alphanumeric() {
                let _st = j;
                j += 1;
                while j < seg.len() {
                    let d = seg[j].1;
                    let inner = matches!(d, '\'' | '’' | '-' | '.')
                        && j + 1 < seg.len()
                        && seg[j + 1].1.is_alphanumeric()
                        && seg[j - 1].1.is_alphanumeric();
                    if d.is_alphanumeric() || inner {
                        j += 1;
                    } else {
                        break;
                    }
                }
                let kind = if c.is_ascii_digit() {
                    TokenKind::Number
                } else {
                    TokenKind::Word
                };
                tokens.push(Token::new(
                    Span::new(pos, (line_start + j) as u32),
                    kind,
                    space,
                    false,
                ));
                space = false;
                continue;
            }
            let (kind, dq) = match mark(c) {
                Some((mut m, dq)) => {
                    let next_space = j + 1 >= seg.len() || seg[j + 1].1.is_whitespace();
                    if m == QuoteMark::Ambiguous {
                        m = if space && !next_space {
                            QuoteMark::Open
                        } else if !space {
                            QuoteMark::Close
                        } else {
                            QuoteMark::Ambiguous
                        };
                    }
                    (TokenKind::Quote(m), dq)
                }
                None => (TokenKind::Punct, false),
            };
            tokens.push(Token::new(Span::new(pos, pos + 1), kind, space, dq));
            space = false;
            j += 1;
        }
        let last_tok = tokens.len();
        paragraphs.push(Span::new(line_start as u32, line_end as u32));
        // sentences
        let mut s0 = first_tok;
        let mut k = first_tok;
        while k < last_tok {
            let t = tokens[k];
            let ch = &text[doc.byte_range(t.span)];
            let end_punct = t.kind == TokenKind::Punct && matches!(ch, "." | "!" | "?");
            if end_punct {
                let prev = if k > first_tok {
                    text[doc.byte_range(tokens[k - 1].span)].to_lowercase()
                } else {
                    String::new()
                };
                let abbr = ch == "." && (ABBR.contains(&prev.as_str()) || prev.chars().count() == 1);
                let mut e = k + 1;
                while e < last_tok
                    && matches!(
                        tokens[e].kind,
                        TokenKind::Quote(QuoteMark::Close | QuoteMark::Ambiguous)
                    )
                    && !tokens[e].space_before
                {
                    e += 1;
                }
                let next_ok = e >= last_tok || {
                    let nt = tokens[e];
                    let c0 = text[doc.byte_range(nt.span)].chars().next().unwrap_or(' ');
                    nt.space_before
                        && (c0.is_uppercase()
                            || matches!(nt.kind, TokenKind::Quote(_))
                            || c0.is_ascii_digit())
                };
                if !abbr && next_ok {
                    push_sentence(&mut sentences, &tokens, s0, e, pi);
                    s0 = e;
                    k = e;
                    continue;
                }
            }
            k += 1;
        }
        if s0 < last_tok {
            push_sentence(&mut sentences, &tokens, s0, last_tok, pi);
        }
    }
    doc.paragraphs = paragraphs;
    doc.tokens = tokens;
    doc.sentences = sentences;
    doc.index_tokens();
}

fn push_sentence(out: &mut Vec<Sentence>, toks: &[Token], a: usize, b: usize, p: u32) {
    out.push(Sentence {
        span: Span::new(toks[a].span.start, toks[b - 1].span.end),
        paragraph: p,
        tokens: (a as u32, b as u32),
    });
}

/// Adds a PER entity whose mentions are the given (needle, occurrence, kind) triples.
pub fn add_entity(doc: &mut Document, name: &str, mentions: &[(&str, usize, MentionKind)]) -> EntityId {
    let id = EntityId(doc.entities.len() as u32);
    let mut ms = Vec::new();
    for &(needle, nth, kind) in mentions {
        if let Some(span) = find(doc, needle, nth) {
            ms.push(Mention { span, kind });
        }
    }
    ms.sort_by_key(|m| m.span.start);
    doc.entities.push(Entity {
        id,
        name: name.into(),
        kind: EntityType::Per,
        actor: None,
        title: None,
        mentions: ms,
    });
    id
}

/// Span of the `nth` occurrence of `needle` in the text.
pub fn find(doc: &Document, needle: &str, nth: usize) -> Option<Span> {
    let (b, _) = doc.text().match_indices(needle).nth(nth)?;
    Some(doc.span_of_bytes(b, b + needle.len()))
}

/// Document with layers built by [`annotate`].
pub fn doc(text: &str) -> Document {
    let mut d = Document::new("t", text, None);
    annotate(&mut d);
    d
}
