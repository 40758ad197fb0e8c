//! Page metadata (title, publication date) read from the token stream.
//!
//! Why separate from body extraction: dates live in `<head>` meta tags, JSON-LD scripts and
//! `<time>` elements that readability-style extraction throws away, and a single linear scan
//! finds them all regardless of which body extractor runs.

use crate::lex::{attr, Lexer, Tok};

/// Metadata found in one pass.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageMeta {
    /// `<title>` text, entities decoded, whitespace collapsed.
    pub title_tag: Option<String>,
    /// `og:title` / `twitter:title` / `headline` meta.
    pub meta_title: Option<String>,
    /// First `<h1>` text.
    pub h1: Option<String>,
    /// Publication date normalised to ISO 8601 where it could be.
    pub published: Option<String>,
    /// `author` / `article:author` meta, else a `rel="author"` link's text.
    pub author: Option<String>,
    /// `<html lang>`, else `content-language` / `og:locale` meta (as written: "en-GB").
    pub language: Option<String>,
    /// `<link rel="canonical">`, else `og:url`.
    pub canonical_url: Option<String>,
}

/// Meta names/properties/itemprops that carry a publication date, best first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "article_date_original",
    "pub_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "article:modified_time",
    "datemodified",
];

const META_TITLE_KEYS: &[&str] = &["og:title", "twitter:title", "headline"];

/// Decodes entities and collapses whitespace runs into single spaces.
pub(crate) fn clean_inline(raw: &str) -> String {
    let decoded = html_escape::decode_html_entities(raw);
    let mut out = String::with_capacity(decoded.len());
    for w in decoded.split(|c: char| c.is_whitespace()) {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Scans the whole page once.
pub fn scan(html: &str) -> PageMeta {
    let mut m = PageMeta::default();
    let mut best_date: Option<(usize, String)> = None; // (rank, value)
    let mut meta_title: Option<(usize, String)> = None;
    let offer = |slot: &mut Option<(usize, String)>, rank: usize, v: String| {
        if v.is_empty() {
            return;
        }
        if slot.as_ref().is_none_or(|(r, _)| rank < *r) {
            *slot = Some((rank, v));
        }
    };
    let mut canonical: Option<String> = None;
    let mut og_url: Option<String> = None;
    let mut meta_lang: Option<String> = None;
    let mut in_h1: Option<String> = None;
    let mut in_time: Option<bool> = None; // Some(pubdate-ish) while inside <time> without datetime
    let mut time_text = String::new();
    for tok in Lexer::new(html) {
        match tok {
            Tok::Start { name, attrs } => {
                if name.eq_ignore_ascii_case("html") && m.language.is_none() {
                    m.language = attr(attrs, "lang").map(clean_inline).filter(|l| !l.is_empty());
                } else if name.eq_ignore_ascii_case("link") {
                    let rel = attr(attrs, "rel").unwrap_or("");
                    if rel.eq_ignore_ascii_case("canonical") && canonical.is_none() {
                        canonical = attr(attrs, "href").map(clean_inline).filter(|h| !h.is_empty());
                    }
                }
                if name.eq_ignore_ascii_case("meta") {
                    let key = attr(attrs, "property")
                        .or_else(|| attr(attrs, "name"))
                        .or_else(|| attr(attrs, "itemprop"))
                        .or_else(|| attr(attrs, "http-equiv"))
                        .unwrap_or("");
                    let content = attr(attrs, "content")
                        .or_else(|| attr(attrs, "datetime"))
                        .unwrap_or("");
                    let key_is = |k: &str| key.trim().eq_ignore_ascii_case(k);
                    if (key_is("author") || key_is("article:author") || key_is("byl")) && m.author.is_none() {
                        let a = clean_inline(content);
                        // "article:author" is often a profile URL, not a name.
                        if !a.is_empty() && !a.starts_with("http") {
                            m.author =
                                Some(a.trim_start_matches("By ").trim_start_matches("by ").to_string());
                        }
                    } else if (key_is("content-language") || key_is("og:locale") || key_is("language"))
                        && meta_lang.is_none()
                    {
                        meta_lang = Some(clean_inline(content)).filter(|l| !l.is_empty());
                    } else if key_is("og:url") && og_url.is_none() {
                        og_url = Some(clean_inline(content)).filter(|u| !u.is_empty());
                    }
                    if let Some(rank) = DATE_KEYS.iter().position(|k| k.eq_ignore_ascii_case(key.trim())) {
                        if let Some(d) = normalize_date(&clean_inline(content)) {
                            offer(&mut best_date, rank + 1, d);
                        }
                    } else if let Some(rank) = META_TITLE_KEYS
                        .iter()
                        .position(|k| k.eq_ignore_ascii_case(key.trim()))
                    {
                        offer(&mut meta_title, rank, clean_inline(content));
                    }
                } else if name.eq_ignore_ascii_case("time") {
                    let pubish = attr(attrs, "pubdate").is_some()
                        || attr(attrs, "itemprop").is_some_and(|v| v.eq_ignore_ascii_case("datepublished"));
                    let rank = if pubish { 3 } else { DATE_KEYS.len() + 2 };
                    match attr(attrs, "datetime").and_then(|d| normalize_date(&clean_inline(d))) {
                        Some(d) => offer(&mut best_date, rank, d),
                        None => {
                            in_time = Some(pubish);
                            time_text.clear();
                        }
                    }
                } else if name.eq_ignore_ascii_case("h1") && m.h1.is_none() {
                    in_h1 = Some(String::new());
                } else if let Some(h) = in_h1.as_mut() {
                    if name.eq_ignore_ascii_case("br") {
                        h.push(' ');
                    }
                }
            }
            Tok::End { name } => {
                if name.eq_ignore_ascii_case("h1") {
                    if let Some(h) = in_h1.take() {
                        let t = clean_inline(&h);
                        if !t.is_empty() {
                            m.h1 = Some(t);
                        }
                    }
                } else if name.eq_ignore_ascii_case("time") {
                    if let Some(pubish) = in_time.take() {
                        if let Some(d) = normalize_date(&clean_inline(&time_text)) {
                            let rank = if pubish { 3 } else { DATE_KEYS.len() + 3 };
                            offer(&mut best_date, rank, d);
                        }
                    }
                }
            }
            Tok::Text(t) => {
                if let Some(h) = in_h1.as_mut() {
                    if h.len() < 2000 {
                        h.push_str(t);
                    }
                }
                if in_time.is_some() && time_text.len() < 200 {
                    time_text.push_str(t);
                }
            }
            Tok::Raw { name, text } => {
                if name.eq_ignore_ascii_case("title") && m.title_tag.is_none() {
                    let t = clean_inline(text);
                    if !t.is_empty() {
                        m.title_tag = Some(t);
                    }
                } else if name.eq_ignore_ascii_case("script") && text.contains("datePublished") {
                    if let Some(d) = json_ld_date(text) {
                        offer(&mut best_date, 0, d);
                    }
                }
            }
        }
    }
    m.published = best_date.map(|(_, d)| d);
    m.canonical_url = canonical.or(og_url);
    if m.language.is_none() {
        m.language = meta_lang;
    }
    m.meta_title = meta_title.map(|(_, t)| t);
    m
}

/// Pulls `"datePublished": "..."` out of a JSON-LD script without a full JSON parse, so a
/// broken script (common in the wild) still yields its date.
fn json_ld_date(script: &str) -> Option<String> {
    let mut rest = script;
    while let Some(p) = rest.find("\"datePublished\"") {
        rest = rest.get(p + "\"datePublished\"".len()..)?;
        let after = rest.trim_start().strip_prefix(':')?.trim_start();
        if let Some(v) = after.strip_prefix('"') {
            let end = v.find('"')?;
            if let Some(d) = normalize_date(v.get(..end)?) {
                return Some(d);
            }
        }
    }
    None
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Accepts ISO-8601-like strings as they are (trimmed) and turns common English forms
/// ("Dec 3, 2025", "3 December 2025", RFC 2822) into `YYYY-MM-DD`. Anything else is
/// rejected, so callers never get a string that later stages cannot parse.
pub(crate) fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    if digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10) {
        let end = s.find(|c: char| c.is_whitespace()).unwrap_or(s.len()).min(40);
        return s.get(..end).map(str::to_string);
    }
    // ISO basic format: 20180619T055000+0900.
    if digits(0..8) && b.get(8) == Some(&b'T') && digits(9..15) {
        let (d, t) = (s.get(..8)?, s.get(9..15)?);
        let tz = s.get(15..).unwrap_or("");
        let tz = match tz.as_bytes() {
            [sign @ (b'+' | b'-'), ..] if tz.len() == 5 && tz.bytes().skip(1).all(|c| c.is_ascii_digit()) => {
                format!("{}{}:{}", *sign as char, tz.get(1..3)?, tz.get(3..5)?)
            }
            _ => tz.chars().take(6).collect(),
        };
        return Some(format!(
            "{}-{}-{}T{}:{}:{}{tz}",
            d.get(..4)?,
            d.get(4..6)?,
            d.get(6..8)?,
            t.get(..2)?,
            t.get(2..4)?,
            t.get(4..6)?
        ));
    }
    if digits(0..4) && b.get(4) == Some(&b'/') && digits(5..7) && b.get(7) == Some(&b'/') && digits(8..10) {
        return Some(format!("{}-{}-{}", s.get(0..4)?, s.get(5..7)?, s.get(8..10)?));
    }
    // Word forms.
    let mut year = None;
    let mut month = None;
    let mut day = None;
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
    {
        let lw = w.to_ascii_lowercase();
        if w.len() == 4 && w.bytes().all(|c| c.is_ascii_digit()) {
            let y: u32 = w.parse().ok()?;
            if (1900..=2100).contains(&y) && year.is_none() {
                year = Some(y);
            }
        } else if (1..=2).contains(&w.len()) && w.bytes().all(|c| c.is_ascii_digit()) {
            let d: u32 = w.parse().ok()?;
            if (1..=31).contains(&d) && day.is_none() {
                day = Some(d);
            }
        } else if lw.len() >= 3 && month.is_none() {
            if let Some(i) = MONTHS.iter().position(|m| lw.starts_with(m)) {
                month = Some(i + 1);
            }
        }
    }
    match (year, month, day) {
        (Some(y), Some(m), Some(d)) => Some(format!("{y:04}-{m:02}-{d:02}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_normalised() {
        assert_eq!(
            normalize_date(" 2025-12-03T10:00:00Z ").as_deref(),
            Some("2025-12-03T10:00:00Z")
        );
        assert_eq!(normalize_date("Dec. 3, 2025").as_deref(), Some("2025-12-03"));
        assert_eq!(
            normalize_date("Wed, 03 Dec 2025 10:00:00 GMT").as_deref(),
            Some("2025-12-03")
        );
        assert_eq!(normalize_date("yesterday"), None);
        assert_eq!(
            normalize_date("20180619T055000+0900").as_deref(),
            Some("2018-06-19T05:50:00+09:00")
        );
    }

    #[test]
    fn date_priority_meta_over_time() {
        let html = r#"<html><head><meta property="article:published_time" content="2024-01-02T03:04:05Z">
            </head><body><time datetime="2023-05-05">x</time></body></html>"#;
        assert_eq!(scan(html).published.as_deref(), Some("2024-01-02T03:04:05Z"));
    }

    #[test]
    fn json_ld_and_time_fallbacks() {
        let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished" : "2022-07-08T09:00:00+02:00"}</script>"#;
        assert_eq!(scan(ld).published.as_deref(), Some("2022-07-08T09:00:00+02:00"));
        let t = r#"<p>Posted <time datetime="2021-03-04">March 4</time></p>"#;
        assert_eq!(scan(t).published.as_deref(), Some("2021-03-04"));
        let t2 = r#"<p>Posted <time pubdate>March 4, 2021</time></p>"#;
        assert_eq!(scan(t2).published.as_deref(), Some("2021-03-04"));
    }

    #[test]
    fn titles() {
        let m = scan(
            "<title>A &amp; B | Site</title><meta property='og:title' content='A &amp; B'><h1>A <br>B</h1>",
        );
        assert_eq!(m.title_tag.as_deref(), Some("A & B | Site"));
        assert_eq!(m.meta_title.as_deref(), Some("A & B"));
        assert_eq!(m.h1.as_deref(), Some("A B"));
    }
}
