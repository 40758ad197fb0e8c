//! Bytes of a web page to text, in the encoding the page is in.
//!
//! Order of evidence, as browsers use it: a byte-order mark, then the charset the server
//! declared (HTTP `Content-Type`), then a `<meta charset>` / `http-equiv` declaration in the
//! first bytes of the page; a page declaring nothing is UTF-8 when it decodes as UTF-8, else
//! windows-1252 (what browsers assume for undeclared Western pages). Decoding never fails:
//! bytes the encoding cannot map become U+FFFD, and how many is reported.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// A decoded page and how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding's WHATWG name ("UTF-8", "windows-1251").
    pub encoding: &'static str,
    /// Bytes that did not decode and became U+FFFD.
    pub had_errors: bool,
}

/// How far into the page a `<meta charset>` is looked for (the HTML standard says 1024
/// bytes; real pages put long `<head>`s first).
const SNIFF_BYTES: usize = 4096;

/// Decodes `bytes` using `declared` (an HTTP charset label) when it names a known encoding.
pub fn decode_page(bytes: &[u8], declared: Option<&str>) -> Decoded {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return decode(enc, bytes.get(bom..).unwrap_or(&[]));
    }
    let enc = declared
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .or_else(|| meta_charset(bytes).and_then(|l| Encoding::for_label(l.as_bytes())));
    match enc {
        // A page that says UTF-16 in ASCII is not UTF-16 (the standard's rule).
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => decode(UTF_8, bytes),
        Some(e) => decode(e, bytes),
        None if std::str::from_utf8(bytes).is_ok() => decode(UTF_8, bytes),
        None => decode(WINDOWS_1252, bytes),
    }
}

fn decode(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        had_errors,
    }
}

/// The charset label of a `<meta charset="...">` or `<meta http-equiv="Content-Type"
/// content="text/html; charset=...">` near the top of the page.
pub fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = bytes.get(..bytes.len().min(SNIFF_BYTES)).unwrap_or(bytes);
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = find(lower.get(from..)?, b"charset") {
        let at = from + i + b"charset".len();
        from = at;
        let rest = lower.get(at..)?;
        let rest = skip_space(rest);
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = skip_space(rest);
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|&b| {
                matches!(
                    b,
                    b'"' | b'\'' | b';' | b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n'
                )
            })
            .unwrap_or(rest.len());
        let label = std::str::from_utf8(rest.get(..end)?).ok()?;
        if !label.is_empty() {
            return Some(label.to_string());
        }
    }
    None
}

/// The `charset` parameter of a `Content-Type` header value.
pub fn header_charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']))
    })
}

fn skip_space(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    s.get(n..).unwrap_or(&[])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_and_meta_charsets_decode_cyrillic_and_latin1() {
        // "Київ" in windows-1251, declared in a meta tag.
        let mut page = b"<html><head><meta charset=\"windows-1251\"></head><body>".to_vec();
        page.extend_from_slice(&[0xCA, 0xE8, 0xBF, 0xE2]);
        let d = decode_page(&page, None);
        assert_eq!(d.encoding, "windows-1251");
        assert!(d.text.contains("Київ"), "{}", d.text);
        // latin-1 through http-equiv.
        let mut page =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"><p>caf".to_vec();
        page.push(0xE9);
        let d = decode_page(&page, None);
        assert!(d.text.ends_with("café"), "{}", d.text);
        // The server's header wins over the page.
        let d = decode_page(&[0xCA, 0xE8, 0xBF, 0xE2], Some("windows-1251"));
        assert_eq!(d.text, "Київ");
    }

    #[test]
    fn undeclared_pages_are_utf8_else_windows_1252() {
        assert_eq!(decode_page("Zürich".as_bytes(), None).encoding, "UTF-8");
        let d = decode_page(&[b'Z', 0xFC, b'r', b'i', b'c', b'h'], None);
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, "Zürich");
        assert_eq!(header_charset("text/html; charset=\"KOI8-R\""), Some("KOI8-R"));
        assert_eq!(header_charset("text/html"), None);
    }
}
