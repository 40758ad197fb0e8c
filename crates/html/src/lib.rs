//! Raw HTML page -> article title, body text and publication date.
//!
//! Why two extractors: the default is [`dom_smoothie`], a maintained port of Mozilla
//! Readability (html5ever parser underneath), which is the best at telling article from
//! boilerplate. [`Method::Density`] is a one-pass streaming scorer over a hand-written
//! tokenizer: several times faster and immune to pathological trees, used as the fallback
//! whenever Readability fails or returns nothing, and available for bulk work.
//!
//! Nothing here panics on input: Readability runs under `catch_unwind` as a last line of
//! defence, absurdly nested pages skip the DOM path, and all our own scanning is
//! bounds-checked.

mod density;
mod lex;
mod meta;

pub use meta::{scan as scan_meta, PageMeta};

/// What we pull out of a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Readability's title when the DOM path succeeds, else `og:title`, `<title>` or the first
    /// `<h1>`: the headline later stages show next to the record.
    pub title: Option<String>,
    /// Main article text, paragraphs separated by a blank line.
    pub text: String,
    /// Publication date as found in the page (ISO 8601), if any.
    pub published: Option<String>,
    /// The byline: Readability's, else the `author` meta.
    pub author: Option<String>,
    /// The page's declared language ("en", "en-GB"), if any.
    pub language: Option<String>,
    /// The page's canonical URL (`<link rel="canonical">`, else `og:url`).
    pub canonical_url: Option<String>,
}

/// Which body extractor to run; exposed so evaluation and bulk jobs can choose the
/// quality/speed trade-off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Method {
    /// Mozilla Readability port (`dom_smoothie`), falling back to `Density` on failure.
    #[default]
    Readability,
    /// Streaming text-density scorer: faster, slightly less precise.
    Density,
}

/// Extracts the article from a page. Never fails: a page with no body gives empty text.
pub fn extract(html: &str) -> Extracted {
    extract_with(html, Method::Readability)
}

/// Nesting deeper than this (counted cheaply on the raw bytes) sends the page to the
/// streaming extractor, because DOM-based scoring walks ancestor chains per node and such
/// pages are garbage or hostile anyway.
const MAX_DOM_DEPTH: usize = 512;

/// Extracts with an explicit [`Method`].
pub fn extract_with(html: &str, method: Method) -> Extracted {
    let meta = meta::scan(html);
    let mut title = meta
        .meta_title
        .clone()
        .or_else(|| meta.title_tag.clone())
        .or_else(|| meta.h1.clone());
    let mut author = meta.author.clone();
    let text = match method {
        Method::Readability if rough_depth(html) <= MAX_DOM_DEPTH => match readability(html) {
            Some(r) if !r.body.is_empty() => {
                if !r.title.trim().is_empty() {
                    title = Some(meta::clean_inline(&r.title));
                }
                if let Some(b) = r.byline.map(|b| meta::clean_inline(&b)).filter(|b| !b.is_empty()) {
                    author = Some(b);
                }
                r.body
            }
            _ => density::extract_text(html),
        },
        _ => density::extract_text(html),
    };
    Extracted {
        title,
        text,
        published: meta.published,
        author,
        language: meta.language,
        canonical_url: meta.canonical_url,
    }
}

/// What Readability gives us.
struct ReadabilityOut {
    title: String,
    byline: Option<String>,
    body: String,
}

/// Runs dom_smoothie; `None` when it errors, finds nothing or panics.
fn readability(html: &str) -> Option<ReadabilityOut> {
    use dom_smoothie::{Config, Readability, TextMode};
    let slim = strip_noise(html);
    let run = || {
        let cfg = Config {
            text_mode: TextMode::Formatted,
            ..Default::default()
        };
        let mut r = Readability::new(slim.as_str(), None, Some(cfg)).ok()?;
        let article = r.parse().ok()?;
        Some(ReadabilityOut {
            title: article.title,
            byline: article.byline,
            body: paragraphs(&article.text_content),
        })
    };
    std::panic::catch_unwind(run).ok().flatten()
}

/// Copies the page without comments and without the bodies of `<script>` (JSON-LD kept,
/// Readability reads it for metadata) and `<style>`: on news pages these are often more than
/// half the bytes, and dropping them before the DOM parse roughly doubles throughput
/// without changing what Readability sees as text.
///
/// The tags of embedded players (`<iframe>` with its content, `<embed>`, `<object>`; an
/// object's fallback content stays) go too: in text mode Readability keeps nothing of them,
/// and dom_smoothie 0.19 panics on some (its video-URL test slices attribute values at a
/// byte offset that can fall inside a character, `src="€x~youtube.com"`), which would cost
/// the page its Readability extraction.
fn strip_noise(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut lx = lex::Lexer::new(html);
    let mut keep_script = false;
    let embed = |name: &str| {
        ["iframe", "embed", "object"]
            .iter()
            .any(|e| e.eq_ignore_ascii_case(name))
    };
    while let Some(tok) = lx.next() {
        let (a, b) = lx.last_span();
        match tok {
            lex::Tok::Start { name, .. } | lex::Tok::End { name } | lex::Tok::Raw { name, .. }
                if embed(name) =>
            {
                continue;
            }
            lex::Tok::Start { name, attrs } if name.eq_ignore_ascii_case("script") => {
                keep_script =
                    lex::attr(attrs, "type").is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"));
            }
            lex::Tok::Raw { name, .. }
                if name.eq_ignore_ascii_case("style")
                    || (name.eq_ignore_ascii_case("script") && !keep_script) =>
            {
                continue;
            }
            _ => {}
        }
        out.push_str(html.get(a..b).unwrap_or(""));
    }
    out
}

/// Normalises extracted text: every non-empty line becomes a paragraph with collapsed
/// whitespace, paragraphs joined by a blank line (the contract's paragraph separator).
fn paragraphs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut first = true;
        // BOMs and zero-width spaces survive `split_whitespace` but carry nothing.
        let words =
            line.split(|c: char| c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}' | '\u{2060}'));
        for w in words.filter(|w| !w.is_empty()) {
            if first {
                if !out.is_empty() {
                    out.push_str("\n\n");
                }
                first = false;
            } else {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    out
}

/// Upper bound on element nesting: counts start tags minus end tags, ignoring void
/// elements; cheap and linear, good enough to spot pathological pages.
fn rough_depth(html: &str) -> usize {
    let mut depth: isize = 0;
    let mut max: isize = 0;
    for tok in lex::Lexer::new(html) {
        match tok {
            lex::Tok::Start { name, attrs } => {
                let void = [
                    "br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "param",
                    "source", "track", "wbr", "p", "li",
                ]
                .iter()
                .any(|v| v.eq_ignore_ascii_case(name));
                if !void && !attrs.ends_with('/') {
                    depth += 1;
                    max = max.max(depth);
                }
            }
            lex::Tok::End { .. } => depth = (depth - 1).max(0),
            _ => {}
        }
    }
    usize::try_from(max).unwrap_or(0)
}

#[cfg(test)]
mod tests;
