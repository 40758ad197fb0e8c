//! The sources file: one feed or sitemap URL a line, then an optional name and `#tags`.
//!
//! ```text
//! # Ukraine desk
//! https://www.pravda.com.ua/eng/rss/          Ukrainska Pravda  #ukraine #news
//! https://example.org/news-sitemap.xml        #sitemap
//! ```
//!
//! Whether a URL is a feed (RSS, Atom, JSON Feed) or a sitemap (`urlset`, `sitemapindex`)
//! is read from what it answers, not declared. A line that is not an http(s) URL is
//! reported with its line number and the others are followed.

/// One followed source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub url: String,
    /// The words after the URL that are not tags (the outlet's name, for the articles'
    /// `source` when the feed has no title).
    pub name: Option<String>,
    pub tags: Vec<String>,
    /// `file:line`, for reports.
    pub origin: String,
}

/// A line of the sources file that is not a source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct SourceLineError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// Reads a sources file's text (`file` names it in errors): the sources, each URL once,
/// and the lines that are not sources.
pub fn parse_sources(text: &str, file: &str) -> (Vec<Source>, Vec<SourceLineError>) {
    let mut out: Vec<Source> = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else { continue };
        let err = |message: String| SourceLineError {
            file: file.to_string(),
            line: i + 1,
            message,
        };
        let url = match url::Url::parse(first) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => u,
            Ok(u) => {
                errors.push(err(format!(
                    "{first:?} is a {} URL; a source is an http:// or https:// URL",
                    u.scheme()
                )));
                continue;
            }
            Err(e) => {
                errors.push(err(format!(
                    "{first:?} is not a URL ({e}); a line is `URL [name] [#tag ...]`"
                )));
                continue;
            }
        };
        let (mut name, mut tags) = (Vec::new(), Vec::new());
        for w in words {
            match w.strip_prefix('#') {
                Some(t) if !t.is_empty() => tags.push(t.to_string()),
                _ => name.push(w),
            }
        }
        let url = url.to_string();
        if let Some(prev) = out.iter().find(|s| s.url == url) {
            errors.push(err(format!(
                "{url} is listed already (at {}); followed once",
                prev.origin
            )));
            continue;
        }
        out.push(Source {
            url,
            name: (!name.is_empty()).then(|| name.join(" ")),
            tags,
            origin: format!("{file}:{}", i + 1),
        });
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_tags_comments_and_bad_lines() {
        let text = "# desk\n\nhttps://a.example/rss  Ukrainska Pravda #ukraine #news\nftp://x/y\nnot a url\nhttps://b.example/sitemap.xml\nhttps://a.example/rss again\n";
        let (sources, errors) = parse_sources(text, "feeds.txt");
        assert_eq!(sources.len(), 2);
        assert_eq!(sources[0].url, "https://a.example/rss");
        assert_eq!(sources[0].name.as_deref(), Some("Ukrainska Pravda"));
        assert_eq!(sources[0].tags, vec!["ukraine", "news"]);
        assert_eq!(sources[0].origin, "feeds.txt:3");
        assert_eq!(sources[1].name, None);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![4, 5, 7]);
        assert!(errors[0]
            .to_string()
            .starts_with("feeds.txt:4: \"ftp://x/y\" is a ftp URL"));
    }
}
