//! Reading articles from files, directories, globs and stdin: the JSONL/JSON/text/HTML
//! formats of `CONTRACT.md`, gzipped JSONL, WARC archives ([`warc`]) and RSS/Atom feeds
//! ([`feed`]). Every reader streams: memory stays bounded by the largest single record,
//! whatever the size of the input.
//!
//! **Nothing is dropped silently**: every input that cannot become an article is handed to
//! the caller as a [`Rejection`] naming the file and line (or record, or entry), and the run
//! goes on; records skipped on purpose (a WARC `request`, a PNG) are counted in a note.

pub mod charset;
pub mod feed;
pub mod warc;

use chronicle_record::InputArticle;
use chrono::NaiveDate;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// An HTML page larger than this is rejected rather than parsed: news pages are well under
/// a few MB, and a 100 MB "page" is a dump or an attack.
pub const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// An input that could not become an article, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// `file:line`, or just `file` for whole-file problems.
    pub origin: String,
    pub reason: String,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.origin, self.reason)
    }
}

pub enum Item {
    Article(Box<InputArticle>),
    /// One JSONL line, read but not yet parsed: parsing is left to whoever processes it
    /// (on a worker thread, so a single reader is not the bottleneck). [`Item::parse`] turns
    /// it into an article or a rejection.
    Line {
        origin: String,
        text: String,
    },
    Rejected(Rejection),
    /// Not an error, but worth telling the user (e.g. files skipped in a directory).
    Note(String),
}

impl Item {
    /// Parses a [`Item::Line`] (other items are returned as they are).
    pub fn parse(self) -> Item {
        let Item::Line { origin, text } = self else {
            return self;
        };
        let reason = match InputArticle::from_json_line(&text, &origin) {
            Ok(a) if too_big(&a) => format!(
                "text or html larger than the {} MB limit for one article",
                MAX_PAGE_BYTES >> 20
            ),
            Ok(mut a) => {
                for w in &mut a.warnings {
                    *w = format!("{origin}: {w}");
                }
                return Item::Article(Box::new(a));
            }
            Err(e) => e.to_string(),
        };
        Item::Rejected(Rejection { origin, reason })
    }
}

/// Options that apply to plain files (which carry no metadata of their own).
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    pub published: Option<NaiveDate>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Jsonl,
    /// Gzipped JSONL (`.jsonl.gz`), streamed.
    JsonlGz,
    Json,
    Text,
    Html,
    Warc,
    WarcGz,
    Feed,
}

/// A gzipped single document (`page.html.gz`, `note.txt.gz`, `a.json.gz`, `x.gz`): the
/// name it has once gunzipped. JSONL and WARC archives are streamed by their own readers.
fn gzipped_whole(name: &str) -> Option<&str> {
    let low = name.to_ascii_lowercase();
    if matches!(kind_of(Path::new(name)), Some(Kind::JsonlGz | Kind::WarcGz)) {
        return None;
    }
    low.ends_with(".gz").then(|| &name[..name.len() - 3])
}

/// Gunzips one document, at most [`MAX_PAGE_BYTES`] + 1 bytes of it (enough to know it is
/// too big: a small archive cannot inflate into gigabytes in memory).
fn gunzip(r: impl Read, name: &str, f: &mut dyn FnMut(Item)) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    let dec = flate2::read::MultiGzDecoder::new(r);
    match dec.take(MAX_PAGE_BYTES as u64 + 1).read_to_end(&mut bytes) {
        Ok(_) => Some(bytes),
        Err(e) => {
            reject(f, name, format!("not a readable gzip file: {e}"));
            None
        }
    }
}

fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".warc.gz") {
        return Some(Kind::WarcGz);
    }
    if name.ends_with(".jsonl.gz") || name.ends_with(".ndjson.gz") {
        return Some(Kind::JsonlGz);
    }
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" => Some(Kind::Jsonl),
        "json" => Some(Kind::Json),
        "txt" | "text" => Some(Kind::Text),
        "html" | "htm" | "xhtml" => Some(Kind::Html),
        "warc" => Some(Kind::Warc),
        "rss" | "atom" | "xml" => Some(Kind::Feed),
        _ => None,
    }
}

/// True when `p` is a pattern for us to expand (the shell did not: it was quoted, or the
/// shell has no globbing) rather than a file name.
fn is_glob(p: &str) -> bool {
    p.contains(['*', '?', '[']) && !Path::new(p).exists()
}

/// Streams every input of `paths` (`-` is stdin as JSONL; no paths also means stdin).
pub fn read_inputs(paths: &[String], opts: &InputOptions, f: &mut dyn FnMut(Item)) {
    if paths.is_empty() {
        read_jsonl(BufReader::new(std::io::stdin().lock()), "<stdin>", f);
        return;
    }
    for p in paths {
        if p == "-" {
            read_jsonl(BufReader::new(std::io::stdin().lock()), "<stdin>", f);
            continue;
        }
        if is_glob(p) {
            let matches: Vec<PathBuf> = match glob::glob(p) {
                Ok(paths) => paths.filter_map(Result::ok).filter(|m| m.is_file()).collect(),
                Err(e) => {
                    reject(f, p.as_str(), format!("not a valid pattern: {e}"));
                    continue;
                }
            };
            if matches.is_empty() {
                reject(f, p.as_str(), "pattern matches no file");
            }
            for m in matches {
                let k = kind_of(&m);
                read_file(&m, k, opts, f);
            }
            continue;
        }
        let path = PathBuf::from(p);
        if path.is_dir() {
            read_dir(&path, opts, f);
        } else {
            read_file(&path, kind_of(&path), opts, f);
        }
    }
}

fn read_dir(dir: &Path, opts: &InputOptions, f: &mut dyn FnMut(Item)) {
    let mut files = Vec::new();
    let mut skipped = 0usize;
    collect(dir, &mut files, &mut skipped, f);
    files.sort();
    if skipped > 0 {
        f(Item::Note(format!(
            "{}: skipped {skipped} file(s) that are not .jsonl/.json/.txt/.html/.warc/.rss/.atom/.xml",
            dir.display()
        )));
    }
    for p in files {
        let k = kind_of(&p);
        read_file(&p, k, opts, f);
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>, skipped: &mut usize, f: &mut dyn FnMut(Item)) {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            f(Item::Rejected(Rejection {
                origin: dir.display().to_string(),
                reason: e.to_string(),
            }));
            return;
        }
    };
    for entry in rd.flatten() {
        let p = entry.path();
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            collect(&p, out, skipped, f);
        } else if kind_of(&p).is_some() {
            out.push(p);
        } else {
            *skipped += 1;
        }
    }
}

pub(crate) fn reject(f: &mut dyn FnMut(Item), origin: impl Into<String>, reason: impl Into<String>) {
    f(Item::Rejected(Rejection {
        origin: origin.into(),
        reason: reason.into(),
    }));
}

fn read_file(path: &Path, kind: Option<Kind>, opts: &InputOptions, f: &mut dyn FnMut(Item)) {
    let name = path.display().to_string();
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return reject(f, name, e.to_string()),
    };
    if let Some(inner) = gzipped_whole(&name) {
        if let Some(bytes) = gunzip(BufReader::new(file), &name, f) {
            read_whole(bytes, &name, kind_of(Path::new(inner)), opts, f);
        }
        return;
    }
    match kind {
        Some(Kind::Warc) => return warc::read_warc(file, &name, false, f),
        Some(Kind::WarcGz) => return warc::read_warc(file, &name, true, f),
        Some(Kind::JsonlGz) => {
            let dec = flate2::read::MultiGzDecoder::new(BufReader::new(file));
            return read_jsonl(BufReader::new(dec), &name, f);
        }
        _ => {}
    }
    if kind == Some(Kind::Jsonl) {
        // Stream: JSONL archives can be larger than memory.
        let mut head = [0u8; 1];
        match file.read(&mut head) {
            Ok(0) => return reject(f, name, "empty file"),
            Ok(_) => {}
            Err(e) => return reject(f, name, e.to_string()),
        }
        let chained = std::io::Cursor::new(head.to_vec()).chain(file);
        return read_jsonl(BufReader::new(chained), &name, f);
    }
    let mut bytes = Vec::new();
    // One byte over the limit is enough to know.
    if let Err(e) = file.take(MAX_PAGE_BYTES as u64 + 1).read_to_end(&mut bytes) {
        return reject(f, name, e.to_string());
    }
    read_whole(bytes, &name, kind, opts, f);
}

/// Reads one file's content already in memory, exactly as [`read_inputs`] reads a file
/// called `name`: its extension picks the format (`.jsonl`, `.jsonl.gz`, `.json`, `.txt`,
/// `.html`, `.warc`, `.warc.gz`, `.rss`/`.atom`/`.xml`, any single document gzipped as
/// `.html.gz`, `.txt.gz`, ...), else the content is sniffed.
/// For callers that hold the bytes (and for the fuzz targets).
pub fn read_bytes(bytes: &[u8], name: &str, opts: &InputOptions, f: &mut dyn FnMut(Item)) {
    if let Some(inner) = gzipped_whole(name) {
        if let Some(bytes) = gunzip(bytes, name, f) {
            read_whole(bytes, name, kind_of(Path::new(inner)), opts, f);
        }
        return;
    }
    let kind = kind_of(Path::new(name));
    match kind {
        Some(Kind::Warc) => warc::read_warc(bytes, name, false, f),
        Some(Kind::WarcGz) => warc::read_warc(bytes, name, true, f),
        Some(Kind::JsonlGz) => {
            let dec = flate2::read::MultiGzDecoder::new(bytes);
            read_jsonl(BufReader::new(dec), name, f)
        }
        Some(Kind::Jsonl) if bytes.is_empty() => reject(f, name, "empty file"),
        Some(Kind::Jsonl) => read_jsonl(bytes, name, f),
        _ => read_whole(bytes.to_vec(), name, kind, opts, f),
    }
}

/// A file read whole (every format but the streamed JSONL and WARC).
fn read_whole(bytes: Vec<u8>, name: &str, kind: Option<Kind>, opts: &InputOptions, f: &mut dyn FnMut(Item)) {
    if bytes.len() > MAX_PAGE_BYTES {
        return reject(
            f,
            name,
            format!(
                "larger than the {} MB limit for one page or document",
                MAX_PAGE_BYTES >> 20
            ),
        );
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return reject(f, name, "empty file");
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return reject(f, name, "binary file (NUL bytes), not text");
    }
    let kind = kind.unwrap_or_else(|| sniff(&bytes));
    if kind == Kind::Jsonl {
        return read_jsonl(BufReader::new(&bytes[..]), name, f);
    }
    if kind == Kind::Feed {
        return feed::read_feed(&bytes, name, f);
    }
    if kind == Kind::Html {
        // Pages come in every encoding; the page says which (or we guess as browsers do).
        let page = charset::decode_page(&bytes, None);
        let mut a = InputArticle::from_text(name, String::new(), opts.published);
        a.text = None;
        a.html = Some(page.text);
        if page.encoding != "UTF-8" {
            a.meta.insert("encoding".into(), page.encoding.into());
        }
        return f(Item::Article(Box::new(a)));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            return reject(f, format!("{name}:{line}"), format!("invalid UTF-8 at byte {at}"));
        }
    };
    match kind {
        Kind::Text => {
            let mut a = InputArticle::from_text(name, text, opts.published);
            a.source = None;
            f(Item::Article(Box::new(a)));
        }
        Kind::Json => read_json_document(&text, name, opts, f),
        _ => {}
    }
}

/// A `.json` file: one article object, or an array of them.
fn read_json_document(text: &str, name: &str, opts: &InputOptions, f: &mut dyn FnMut(Item)) {
    let v: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return reject(f, format!("{name}:{}", e.line()), format!("not valid JSON: {e}")),
    };
    let items = match v {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    for (i, item) in items.into_iter().enumerate() {
        let origin = format!("{name}[{i}]");
        match InputArticle::from_value(item, &origin) {
            Ok(mut a) => {
                if a.published.is_none() {
                    a.published = opts.published;
                }
                for w in &mut a.warnings {
                    *w = format!("{origin}: {w}");
                }
                f(Item::Article(Box::new(a)))
            }
            Err(e) => reject(f, origin, e.to_string()),
        }
    }
}

fn sniff(bytes: &[u8]) -> Kind {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
    let head: Vec<u8> = bytes
        .iter()
        .skip(start)
        .take(256)
        .map(u8::to_ascii_lowercase)
        .collect();
    match head.first() {
        Some(b'{') => Kind::Jsonl,
        Some(b'[') => Kind::Json,
        Some(b'<') if head.starts_with(b"<rss") || head.windows(5).take(200).any(|w| w == b"<feed") => {
            Kind::Feed
        }
        Some(b'<') if head.starts_with(b"<?xml") && head.windows(4).any(|w| w == b"<rss") => Kind::Feed,
        Some(b'<') => Kind::Html,
        _ => Kind::Text,
    }
}

fn too_big(a: &InputArticle) -> bool {
    a.text.as_ref().is_some_and(|t| t.len() > MAX_PAGE_BYTES)
        || a.html.as_ref().is_some_and(|h| h.len() > MAX_PAGE_BYTES)
}

/// JSONL: one article per line; blank lines are allowed and ignored.
pub fn read_jsonl(mut r: impl BufRead, name: &str, f: &mut dyn FnMut(Item)) {
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    let mut seen = 0usize;
    loop {
        buf.clear();
        match r.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                reject(f, format!("{name}:{}", line_no + 1), e.to_string());
                break;
            }
        }
        line_no += 1;
        let origin = format!("{name}:{line_no}");
        let line = match std::str::from_utf8(&buf) {
            Ok(l) => l,
            Err(e) => {
                reject(
                    f,
                    origin,
                    format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
                );
                continue;
            }
        };
        // A byte-order mark (Windows tools write one) belongs to the file, not the record.
        let line = if line_no == 1 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        seen += 1;
        if line.contains('\0') {
            reject(f, origin, "binary data (NUL bytes), not JSON");
            continue;
        }
        f(Item::Line {
            origin,
            text: line.to_string(),
        });
    }
    if seen == 0 && line_no == 0 && name != "<stdin>" {
        reject(f, name, "empty file");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(paths: &[String], opts: &InputOptions) -> (Vec<InputArticle>, Vec<Rejection>) {
        let (mut a, mut r) = (Vec::new(), Vec::new());
        read_inputs(paths, opts, &mut |i| match i.parse() {
            Item::Article(x) => a.push(*x),
            Item::Rejected(x) => r.push(x),
            Item::Note(_) | Item::Line { .. } => {}
        });
        (a, r)
    }

    #[test]
    fn bad_lines_are_reported_with_file_and_line_and_the_rest_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.jsonl");
        let mut bytes = b"{\"id\":\"a\",\"text\":\"One.\"}\n\n{broken\n{\"id\":\"b\"}\n".to_vec();
        bytes.extend_from_slice(b"{\"text\":\"\xff\xfe\"}\n{\"id\":\"c\",\"text\":\"Two.\"}");
        std::fs::write(&p, bytes).unwrap();
        let (a, r) = run(&[p.display().to_string()], &InputOptions::default());
        assert_eq!(
            a.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            vec!["a", "c"]
        );
        let origins: Vec<String> = r
            .iter()
            .map(|r| r.origin.rsplit(':').next().unwrap().to_string())
            .collect();
        assert_eq!(origins, vec!["3", "4", "5"]);
        assert!(r[1].reason.contains("neither `text` nor `html`"));
        assert!(r[2].reason.contains("UTF-8"));
    }

    #[test]
    fn oversized_pages_are_rejected_not_parsed() {
        let dir = tempfile::tempdir().unwrap();
        let big = "x".repeat(MAX_PAGE_BYTES + 1);
        let p = dir.path().join("big.jsonl");
        std::fs::write(
            &p,
            format!("{{\"id\":\"a\",\"html\":\"<p>{big}</p>\"}}\n{{\"id\":\"b\",\"text\":\"ok\"}}\n"),
        )
        .unwrap();
        let (a, r) = run(&[p.display().to_string()], &InputOptions::default());
        assert_eq!(a.len(), 1);
        assert!(
            r[0].origin.ends_with(":1") && r[0].reason.contains("limit"),
            "{r:?}"
        );
        let h = dir.path().join("big.html");
        std::fs::write(&h, format!("<p>{big}</p>")).unwrap();
        let (a, r) = run(&[h.display().to_string()], &InputOptions::default());
        assert!(a.is_empty());
        assert!(r[0].reason.contains("limit"), "{r:?}");
    }

    #[test]
    fn bytes_in_memory_read_as_the_file_would_be() {
        let dir = tempfile::tempdir().unwrap();
        let files: [(&str, &[u8]); 6] = [
            ("a.jsonl", b"{\"id\":\"a\",\"text\":\"One.\"}\n{broken\n"),
            ("b.html", b"<meta charset=windows-1251><p>\xca\xe8\xe5\xe2</p>"),
            ("c.txt", b"Putin spoke."),
            ("d.json", b"[{\"text\":\"x\"},{\"id\":1}]"),
            ("e", b"{\"text\":\"sniffed\"}"),
            ("f.jsonl", b""),
        ];
        for (name, bytes) in files {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            let path = p.display().to_string();
            let mut from_bytes = (Vec::new(), Vec::new());
            read_bytes(bytes, &path, &InputOptions::default(), &mut |i| match i.parse() {
                Item::Article(x) => from_bytes.0.push(*x),
                Item::Rejected(x) => from_bytes.1.push(x),
                Item::Note(_) | Item::Line { .. } => {}
            });
            let from_file = run(&[path], &InputOptions::default());
            assert_eq!(from_bytes, from_file, "{name}");
        }
    }

    #[test]
    fn plain_files_directories_empty_and_binary() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Putin spoke.").unwrap();
        std::fs::write(dir.path().join("b.html"), "<p>Hello</p>").unwrap();
        std::fs::write(dir.path().join("c.txt"), "").unwrap();
        std::fs::write(dir.path().join("d.txt"), b"\x00\x01\x02binary").unwrap();
        std::fs::write(dir.path().join("e.png"), b"png").unwrap();
        let opts = InputOptions {
            published: NaiveDate::from_ymd_opt(2025, 12, 3),
        };
        let (a, r) = run(&[dir.path().display().to_string()], &opts);
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].text.as_deref(), Some("Putin spoke."));
        assert_eq!(a[0].published, NaiveDate::from_ymd_opt(2025, 12, 3));
        assert_eq!(a[1].html.as_deref(), Some("<p>Hello</p>"));
        assert_eq!(r.len(), 2);
        assert!(r[0].reason.contains("empty"));
        assert!(r[1].reason.contains("binary"));
        let (_, r) = run(&["/no/such/file.jsonl".to_string()], &opts);
        assert_eq!(r.len(), 1);
        assert!(r[0].origin.contains("/no/such/file.jsonl"));
    }
}
