//! A forgiving, allocation-light HTML tokenizer.
//!
//! Why hand-written: metadata scanning and the fast density extractor only need a flat
//! stream of tags and text, and a linear byte scan that never builds a tree cannot overflow
//! the stack on absurd nesting and runs at hundreds of MB/s. It follows the HTML5 rules
//! loosely (raw-text elements, comments, bogus comments) and treats anything it does not
//! understand as text, so garbage input degrades into text rather than an error.

/// One token of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    /// `<name attrs>`; `attrs` is the raw attribute source, to be read with [`attr`].
    Start { name: &'a str, attrs: &'a str },
    /// `</name>`.
    End { name: &'a str },
    /// Character data between tags, entities still encoded.
    Text(&'a str),
    /// Content of a raw-text element (`script`, `style`, ...), given right after its start tag.
    Raw { name: &'a str, text: &'a str },
}

/// Elements whose content is not markup.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "textarea",
    "title",
    "plaintext",
];

pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    pending_raw: Option<&'a str>,
    tok_start: usize,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Lexer {
            src,
            pos: 0,
            pending_raw: None,
            tok_start: 0,
        }
    }

    /// Byte range in the source of the token last returned by `next`, so callers can copy
    /// markup through unchanged.
    pub(crate) fn last_span(&self) -> (usize, usize) {
        (self.tok_start, self.pos)
    }
}

fn is_name_byte(b: u8) -> bool {
    !(b.is_ascii_whitespace() || b == b'/' || b == b'>')
}

/// Finds the `>` that closes a tag starting at `from`, honouring quoted attribute values
/// like html5ever does (an unterminated value swallows the rest of the page). One forward
/// scan, so hostile input stays linear.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    let mut last_non_ws = 0u8;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            // Only an attribute value right after `=` opens a quote.
            None if (b == b'"' || b == b'\'') && last_non_ws == b'=' => quote = Some(b),
            None if b == b'>' => return Some(i),
            None => {}
        }
        if !b.is_ascii_whitespace() {
            last_non_ws = b;
        }
    }
    None
}

fn memchr_from(bytes: &[u8], needle: u8, from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == needle)
        .map(|p| p + from)
}

/// Case-insensitive search for `</name` starting at `from`.
fn find_close(bytes: &[u8], name: &str, from: usize) -> Option<usize> {
    let nb = name.as_bytes();
    let mut i = from;
    while let Some(lt) = memchr_from(bytes, b'<', i) {
        if bytes.get(lt + 1) == Some(&b'/') {
            if let Some(cand) = bytes.get(lt + 2..lt + 2 + nb.len()) {
                if cand.eq_ignore_ascii_case(nb) {
                    let after = bytes.get(lt + 2 + nb.len()).copied();
                    if after.is_none_or(|b| !b.is_ascii_alphanumeric()) {
                        return Some(lt);
                    }
                }
            }
        }
        i = lt + 1;
    }
    None
}

/// Slices at byte offsets, stepping back to char boundaries instead of panicking.
fn sub(src: &str, a: usize, b: usize) -> &str {
    let mut a = a.min(src.len());
    let mut b = b.min(src.len());
    while a > 0 && !src.is_char_boundary(a) {
        a -= 1;
    }
    while b > a && !src.is_char_boundary(b) {
        b -= 1;
    }
    src.get(a..b).unwrap_or("")
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Tok<'a>;

    fn next(&mut self) -> Option<Tok<'a>> {
        let src = self.src;
        let bytes = src.as_bytes();
        if let Some(name) = self.pending_raw.take() {
            let start = self.pos;
            self.tok_start = start;
            let end = if name.eq_ignore_ascii_case("plaintext") {
                None
            } else {
                find_close(bytes, name, start)
            };
            let end = end.unwrap_or(bytes.len());
            self.pos = end;
            return Some(Tok::Raw {
                name,
                text: sub(src, start, end),
            });
        }
        loop {
            let start = self.pos;
            self.tok_start = start;
            if start >= bytes.len() {
                return None;
            }
            if bytes[start] != b'<' {
                let end = memchr_from(bytes, b'<', start + 1).unwrap_or(bytes.len());
                self.pos = end;
                return Some(Tok::Text(sub(src, start, end)));
            }
            let next = bytes.get(start + 1).copied();
            match next {
                Some(b'!') => {
                    if bytes.get(start + 2..start + 4) == Some(b"--") {
                        let end = find_bytes(bytes, b"-->", start + 4).map_or(bytes.len(), |e| e + 3);
                        self.pos = end;
                    } else {
                        // Doctype, CDATA or bogus comment.
                        self.pos = memchr_from(bytes, b'>', start).map_or(bytes.len(), |e| e + 1);
                    }
                    continue;
                }
                Some(b'?') => {
                    self.pos = memchr_from(bytes, b'>', start).map_or(bytes.len(), |e| e + 1);
                    continue;
                }
                Some(b'/') => {
                    let nstart = start + 2;
                    if !bytes.get(nstart).is_some_and(|b| b.is_ascii_alphabetic()) {
                        // `</>` or `</ 3`: a bogus comment in HTML5.
                        self.pos = memchr_from(bytes, b'>', start).map_or(bytes.len(), |e| e + 1);
                        continue;
                    }
                    let mut nend = nstart;
                    while nend < bytes.len() && is_name_byte(bytes[nend]) {
                        nend += 1;
                    }
                    self.pos = memchr_from(bytes, b'>', nend).map_or(bytes.len(), |e| e + 1);
                    return Some(Tok::End {
                        name: sub(src, nstart, nend),
                    });
                }
                Some(b) if b.is_ascii_alphabetic() => {
                    let nstart = start + 1;
                    let mut nend = nstart;
                    while nend < bytes.len() && is_name_byte(bytes[nend]) {
                        nend += 1;
                    }
                    let name = sub(src, nstart, nend);
                    let close = tag_end(bytes, nend).unwrap_or(bytes.len());
                    let attrs = sub(src, nend, close);
                    self.pos = (close + 1).min(bytes.len());
                    if let Some(raw) = RAW_TEXT.iter().find(|r| r.eq_ignore_ascii_case(name)) {
                        if !attrs.trim_end().ends_with('/') || *raw == "script" {
                            self.pending_raw = Some(name);
                        }
                    }
                    return Some(Tok::Start { name, attrs });
                }
                _ => {
                    // A lone `<` is text.
                    let end = memchr_from(bytes, b'<', start + 1).unwrap_or(bytes.len());
                    self.pos = end;
                    return Some(Tok::Text(sub(src, start, end)));
                }
            }
        }
    }
}

fn find_bytes(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    while let Some(p) = memchr_from(hay, first, i) {
        if hay.get(p..p + needle.len()) == Some(needle) {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

/// Value of attribute `key` (ASCII case-insensitive) in raw attribute source, undecoded.
pub(crate) fn attr<'a>(attrs: &'a str, key: &str) -> Option<&'a str> {
    let b = attrs.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let ns = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        let name = sub(attrs, ns, i);
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = "";
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let vs = i + 1;
                    let ve = memchr_from(b, q, vs).unwrap_or(b.len());
                    value = sub(attrs, vs, ve);
                    i = ve + 1;
                }
                Some(_) => {
                    let vs = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = sub(attrs, vs, i);
                }
                None => {}
            }
        }
        if name.eq_ignore_ascii_case(key) {
            return Some(value);
        }
        if ns == i {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_attrs() {
        let toks: Vec<Tok> =
            Lexer::new("<p class=\"a>b\" id=x>Hi<!-- c --></P><script>if (a<b) x()</script>t").collect();
        assert_eq!(
            toks[0],
            Tok::Start {
                name: "p",
                attrs: " class=\"a>b\" id=x"
            }
        );
        assert_eq!(attr(" class=\"a>b\" id=x", "ID"), Some("x"));
        assert_eq!(attr(" class=\"a>b\" id=x", "class"), Some("a>b"));
        assert_eq!(toks[1], Tok::Text("Hi"));
        assert_eq!(toks[2], Tok::End { name: "P" });
        assert_eq!(
            toks[4],
            Tok::Raw {
                name: "script",
                text: "if (a<b) x()"
            }
        );
        assert_eq!(toks[6], Tok::Text("t"));
    }

    #[test]
    fn spans_cover_tokens() {
        let src = "<b>x</b><!--c--><style>s</style>";
        let mut lx = Lexer::new(src);
        let mut spans = Vec::new();
        while lx.next().is_some() {
            let (a, b) = lx.last_span();
            spans.push(&src[a..b]);
        }
        assert_eq!(spans, ["<b>", "x", "</b>", "<style>", "s", "</style>"]);
    }
}
