//! RSS and Atom feeds (also RSS 1.0 and JSON Feed), through `feed-rs`: each entry becomes
//! an article from its content (else its summary), with its link, title, author and
//! publication date. A feed that does not parse is reported with the parser's reason and
//! position; an entry with neither content nor summary is reported by its number.

use chronicle_record::InputArticle;

use crate::{reject, Item};

/// Reads one feed document.
pub fn read_feed(bytes: &[u8], name: &str, f: &mut dyn FnMut(Item)) {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(feed) => feed,
        Err(e) => return reject(f, name, format!("not a readable RSS/Atom feed: {e}")),
    };
    let source = feed
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    let mut read = 0usize;
    for (i, e) in feed.entries.into_iter().enumerate() {
        let origin = format!("{name}: entry {}", i + 1);
        let body = e
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .filter(|b| !b.trim().is_empty())
            .or_else(|| {
                e.summary
                    .as_ref()
                    .map(|s| s.content.clone())
                    .filter(|s| !s.trim().is_empty())
            });
        let Some(body) = body else {
            reject(f, origin, "entry has neither content nor summary");
            continue;
        };
        let link = e.links.first().map(|l| l.href.clone());
        let date = e.published.or(e.updated);
        let mut a = InputArticle {
            id: if e.id.is_empty() {
                link.clone().unwrap_or_else(|| origin.clone())
            } else {
                e.id.clone()
            },
            title: e.title.as_ref().map(|t| t.content.trim().to_string()),
            url: link,
            source: source.clone(),
            published: date.map(|d| d.date_naive()),
            published_raw: date.map(|d| d.to_rfc3339()),
            ..Default::default()
        };
        // Entry bodies are HTML fragments more often than not.
        if body.contains('<') {
            a.html = Some(body);
        } else {
            a.text = Some(body);
        }
        if let Some(p) = e.authors.first() {
            a.meta.insert("author".into(), p.name.clone().into());
        }
        a.meta.insert("feed_entry".into(), origin.into());
        read += 1;
        f(Item::Article(Box::new(a)));
    }
    f(Item::Note(format!(
        "{name}: {read} feed entr{} read",
        if read == 1 { "y" } else { "ies" }
    )));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(xml: &str) -> (Vec<InputArticle>, Vec<String>) {
        let (mut a, mut r) = (Vec::new(), Vec::new());
        read_feed(xml.as_bytes(), "f.xml", &mut |i| match i {
            Item::Article(x) => a.push(*x),
            Item::Rejected(x) => r.push(x.to_string()),
            Item::Note(_) | Item::Line { .. } => {}
        });
        (a, r)
    }

    #[test]
    fn rss_items_become_articles() {
        let (a, r) = run(
            r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
            <item><title>Talks end</title><link>https://ex.org/1</link><guid>g1</guid>
            <pubDate>Tue, 02 Dec 2025 18:00:00 GMT</pubDate>
            <description>&lt;p&gt;Envoys met in Moscow on Tuesday.&lt;/p&gt;</description></item>
            <item><title>Empty</title><guid>g2</guid></item>
            </channel></rss>"#,
        );
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].id, "g1");
        assert_eq!(a[0].url.as_deref(), Some("https://ex.org/1"));
        assert_eq!(a[0].published, chrono::NaiveDate::from_ymd_opt(2025, 12, 2));
        assert_eq!(a[0].source.as_deref(), Some("Wire"));
        assert!(a[0].html.as_deref().is_some_and(|h| h.contains("Moscow")));
        assert_eq!(r.len(), 1);
        assert!(r[0].contains("entry 2"), "{r:?}");
    }

    #[test]
    fn atom_entries_and_broken_xml() {
        let (a, _) = run(r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
            <entry><id>urn:1</id><title>T</title><updated>2025-12-03T10:00:00Z</updated>
            <content type="text">Kyiv said on Wednesday.</content></entry></feed>"#);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].text.as_deref(), Some("Kyiv said on Wednesday."));
        assert_eq!(a[0].published, chrono::NaiveDate::from_ymd_opt(2025, 12, 3));
        let (a, r) = run("<rss><channel><item><title>unclosed");
        assert!(a.is_empty());
        assert_eq!(r.len(), 1);
        assert!(r[0].contains("f.xml"), "{r:?}");
    }
}
