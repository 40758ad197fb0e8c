//! What a fetched source lists: the article links of a feed (with the entry's full content
//! when the feed carries it) or of a sitemap, or the child sitemaps of a sitemap index.
//! Links are made canonical here, so one article reached through two feeds, or with
//! tracking parameters, is one link.

use chronicle_storeapi::Link;
use quick_xml::events::Event;

/// Below this many characters of text (tags left out), a feed entry's content is a teaser
/// and the page is fetched; at or above it, the content is the article.
pub const FULL_CONTENT_CHARS: usize = 1500;

/// What a source answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// Article links (from a feed or a `urlset` sitemap).
    Links(Vec<Link>),
    /// A sitemap index: the sitemaps it lists.
    Sitemaps(Vec<String>),
}

/// Reads a fetched source (`base`: its final URL, for relative links).
pub fn read_listing(bytes: &[u8], base: &str) -> Result<Listing, String> {
    match sitemap_root(bytes) {
        Some(SitemapKind::UrlSet) => Ok(Listing::Links(read_sitemap_urls(bytes, base)?)),
        Some(SitemapKind::Index) => Ok(Listing::Sitemaps(read_sitemap_locs(bytes, base)?)),
        None => read_feed_links(bytes, base).map(Listing::Links),
    }
}

enum SitemapKind {
    UrlSet,
    Index,
}

/// The root element, when it is a sitemap's.
fn sitemap_root(bytes: &[u8]) -> Option<SitemapKind> {
    let mut r = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    for _ in 0..64 {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                return match e.local_name().as_ref() {
                    "urlset" => Some(SitemapKind::UrlSet),
                    "sitemapindex" => Some(SitemapKind::Index),
                    _ => None,
                };
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
        buf.clear();
    }
    None
}

fn read_feed_links(bytes: &[u8], base: &str) -> Result<Vec<Link>, String> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| format!("not a readable feed or sitemap: {e}"))?;
    let mut out = Vec::new();
    for e in feed.entries {
        // The article page: the entry's alternate link, else its first, else an id that
        // is a URL (RSS guids often are).
        let href = e
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or_else(|| e.links.first())
            .map(|l| l.href.clone())
            .or_else(|| e.id.starts_with("http").then(|| e.id.clone()));
        let Some(url) = href.and_then(|h| canonical_url(&h, base)) else {
            continue;
        };
        let content = e
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .filter(|b| text_chars(b) >= FULL_CONTENT_CHARS);
        out.push(Link {
            url,
            source: String::new(),
            title: e.title.as_ref().map(|t| t.content.trim().to_string()),
            published: e.published.map(|d| d.to_rfc3339()),
            updated: e.updated.map(|d| d.to_rfc3339()),
            content,
            attempts: 0,
        });
    }
    Ok(out)
}

/// Characters outside tags, roughly: enough to tell a teaser from an article.
fn text_chars(html: &str) -> usize {
    let mut inside = false;
    let mut n = 0;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            _ if !inside => n += 1,
            _ => {}
        }
    }
    n
}

/// Walks a sitemap, calling `f(element, its text)` at the end of every element, with the
/// text of its character data, entity references and CDATA put together.
fn walk_sitemap(bytes: &[u8], f: &mut dyn FnMut(&str, &str)) -> Result<(), String> {
    let mut r = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut text = String::new();
    loop {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(_)) => text.clear(),
            Ok(Event::Text(t)) => text.push_str(&t.xml10_content()),
            Ok(Event::CData(t)) => text.push_str(&t.into_inner()),
            Ok(Event::GeneralRef(g)) => {
                let name = g.into_inner();
                let c = match name.as_ref() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    n => n
                        .strip_prefix("#x")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .or_else(|| n.strip_prefix('#').and_then(|d| d.parse().ok()))
                        .and_then(char::from_u32),
                };
                if let Some(c) = c {
                    text.push(c);
                }
            }
            Ok(Event::End(e)) => {
                f(e.local_name().as_ref(), text.trim());
                text.clear();
            }
            Ok(Event::Eof) => return Ok(()),
            Err(e) => return Err(format!("malformed sitemap at byte {}: {e}", r.buffer_position())),
            _ => {}
        }
        buf.clear();
    }
}

/// A `urlset`: each `<url>`'s `<loc>`, with its `<lastmod>` as the update time and a
/// Google News `<news:publication_date>` and `<news:title>` where given.
fn read_sitemap_urls(bytes: &[u8], base: &str) -> Result<Vec<Link>, String> {
    let mut out = Vec::new();
    let mut cur = Link::default();
    walk_sitemap(bytes, &mut |name, text| match name {
        "loc" => cur.url = text.to_string(),
        "lastmod" => cur.updated = Some(text.to_string()),
        "publication_date" => cur.published = Some(text.to_string()),
        "title" => cur.title = Some(text.to_string()),
        "url" => {
            let mut l = std::mem::take(&mut cur);
            if let Some(u) = canonical_url(&l.url, base) {
                l.url = u;
                out.push(l);
            }
        }
        _ => {}
    })?;
    Ok(out)
}

/// A `sitemapindex`: each `<sitemap>`'s `<loc>`.
fn read_sitemap_locs(bytes: &[u8], base: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut loc: Option<String> = None;
    walk_sitemap(bytes, &mut |name, text| match name {
        "loc" => loc = Some(text.to_string()),
        "sitemap" => {
            if let Some(u) = loc.take().and_then(|l| canonical_url(&l, base)) {
                out.push(u);
            }
        }
        _ => {}
    })?;
    Ok(out)
}

/// Query parameters that say where a reader came from, not which article: dropped so one
/// article is one link.
const TRACKING: [&str; 6] = ["fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid"];

/// `href` resolved against `base`, as an http(s) URL without its fragment or tracking
/// parameters (`utm_*` and [`TRACKING`]); `None` for other schemes or unreadable text.
pub fn canonical_url(href: &str, base: &str) -> Option<String> {
    let base = url::Url::parse(base).ok();
    let mut u = match &base {
        Some(b) => b.join(href.trim()).ok()?,
        None => url::Url::parse(href.trim()).ok()?,
    };
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
        return None;
    }
    u.set_fragment(None);
    if u.query().is_some() {
        let kept: Vec<(String, String)> = u
            .query_pairs()
            .filter(|(k, _)| !k.starts_with("utm_") && !TRACKING.contains(&k.as_ref()))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            u.set_query(None);
        } else {
            u.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    Some(u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_urls_drop_fragments_and_tracking_and_resolve_relative_links() {
        let base = "https://news.example/rss/world.xml";
        assert_eq!(
            canonical_url("/a/1?utm_source=x&id=3#top", base).as_deref(),
            Some("https://news.example/a/1?id=3")
        );
        assert_eq!(
            canonical_url("https://news.example/a/1?fbclid=9", base).as_deref(),
            Some("https://news.example/a/1")
        );
        assert_eq!(canonical_url("mailto:x@y", base), None);
    }

    #[test]
    fn rss_links_with_teasers_and_full_content() {
        let long = "word ".repeat(400);
        let xml = format!(
            r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
            <item><title>One</title><link>https://n.example/1?utm_medium=rss</link><description>teaser</description></item>
            <item><title>Two</title><link>https://n.example/2</link><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>{long}</p>]]></content:encoded></item>
            </channel></rss>"#
        );
        let Listing::Links(links) = read_listing(xml.as_bytes(), "https://n.example/rss").expect("feed")
        else {
            panic!("links expected");
        };
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].url, "https://n.example/1");
        assert_eq!(links[0].content, None, "a teaser is not the article");
        assert!(links[1].content.as_deref().is_some_and(|c| c.contains("word")));
    }

    #[test]
    fn json_feed_links() {
        let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "J",
            "items": [{"id": "1", "url": "https://j.example/1#x", "title": "One", "content_text": "t",
                       "date_published": "2025-12-03T10:00:00Z"}]}"#;
        let Listing::Links(links) =
            read_listing(json.as_bytes(), "https://j.example/feed.json").expect("feed")
        else {
            panic!("links expected");
        };
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].url, "https://j.example/1");
        assert_eq!(links[0].published.as_deref(), Some("2025-12-03T10:00:00+00:00"));
    }

    #[test]
    fn sitemaps_and_sitemap_indexes() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://s.example/a?x=1&amp;y=2</loc><lastmod>2026-12-01T10:00:00Z</lastmod>
    <news:news><news:publication_date>2026-12-01</news:publication_date><news:title>Talks resume</news:title></news:news></url>
  <url><loc>/b</loc></url>
</urlset>"#;
        let Listing::Links(links) =
            read_listing(xml.as_bytes(), "https://s.example/sitemap.xml").expect("sitemap")
        else {
            panic!("links expected");
        };
        assert_eq!(links[0].url, "https://s.example/a?x=1&y=2");
        assert_eq!(links[0].updated.as_deref(), Some("2026-12-01T10:00:00Z"));
        assert_eq!(links[0].published.as_deref(), Some("2026-12-01"));
        assert_eq!(links[0].title.as_deref(), Some("Talks resume"));
        assert_eq!(links[1].url, "https://s.example/b");
        let idx = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://s.example/s1.xml</loc></sitemap></sitemapindex>"#;
        assert_eq!(
            read_listing(idx.as_bytes(), "https://s.example/").expect("index"),
            Listing::Sitemaps(vec!["https://s.example/s1.xml".into()])
        );
        assert!(read_listing(b"<html><body>no</body></html>", "https://s.example/").is_err());
    }
}
