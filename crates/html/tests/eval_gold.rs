//! Token-level P/R/F1 of extracted bodies against the dev gold (bag of lowercased word
//! tokens, as in the trafilatura/readability article-extraction benchmark). Skips when
//! ../shared is absent. Run with `-- --nocapture` to see the figures.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

use chronicle_html::{extract_with, Method};

/// Word tokens; scripts written without spaces (CJK, Thai, Myanmar...) count per character,
/// so those pages are not scored as one giant token.
fn tokens(s: &str) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    let mut cur = String::new();
    let nospace = |c: char| matches!(c as u32, 0x0E00..=0x0EFF | 0x1000..=0x109F | 0x3040..=0x30FF | 0x3400..=0x9FFF | 0xF900..=0xFAFF);
    for c in s.chars() {
        if nospace(c) {
            if !cur.is_empty() {
                *m.entry(std::mem::take(&mut cur)).or_insert(0) += 1;
            }
            *m.entry(c.to_string()).or_insert(0) += 1;
        } else if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            *m.entry(std::mem::take(&mut cur)).or_insert(0) += 1;
        }
    }
    if !cur.is_empty() {
        *m.entry(cur).or_insert(0) += 1;
    }
    m
}

fn overlap(a: &HashMap<String, usize>, b: &HashMap<String, usize>) -> (usize, usize, usize) {
    let common = a
        .iter()
        .map(|(k, v)| (*v).min(b.get(k).copied().unwrap_or(0)))
        .sum();
    (common, a.values().sum(), b.values().sum())
}

fn read_gz(path: &Path) -> Option<String> {
    let raw = std::fs::read(path).ok()?;
    let mut out = Vec::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .ok()?;
    } else {
        out = raw;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

struct Page {
    id: String,
    html: String,
    text: String,
    published: Option<String>,
    title: Option<String>,
}

fn load(set_dir: &Path, file: &str) -> Vec<Page> {
    let Ok(jsonl) = std::fs::read_to_string(set_dir.join(file)) else {
        return Vec::new();
    };
    let mut pages = Vec::new();
    for line in jsonl.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let rel = v
            .get("source_html_path")
            .or_else(|| v.get("html_path"))
            .and_then(|p| p.as_str());
        let Some(html) = rel.and_then(|r| read_gz(&set_dir.join(r))) else {
            continue;
        };
        pages.push(Page {
            id: v.get("id").and_then(|x| x.as_str()).unwrap_or("").to_string(),
            html,
            text: v.get("text").and_then(|x| x.as_str()).unwrap_or("").to_string(),
            published: v.get("published").and_then(|x| x.as_str()).map(str::to_string),
            title: v.get("title").and_then(|x| x.as_str()).map(str::to_string),
        });
    }
    pages
}

fn score(name: &str, pages: &[Page], method: Method) {
    let (mut f_sum, mut p_sum, mut r_sum) = (0.0, 0.0, 0.0);
    let (mut common, mut npred, mut ngold) = (0usize, 0usize, 0usize);
    let (mut date_ok, mut date_gold) = (0, 0);
    let (mut title_ok, mut title_gold) = (0, 0);
    let mut bytes = 0usize;
    let mut worst: Vec<(f64, &str)> = Vec::new();
    let t0 = Instant::now();
    let mut slow: Vec<(f64, &str, usize)> = Vec::new();
    let outs: Vec<_> = pages
        .iter()
        .map(|p| {
            let t = Instant::now();
            let ex = extract_with(&p.html, method);
            slow.push((t.elapsed().as_secs_f64(), &p.id, p.html.len()));
            ex
        })
        .collect();
    let secs = t0.elapsed().as_secs_f64();
    slow.sort_by(|a, b| b.0.total_cmp(&a.0));
    let s: Vec<String> = slow
        .iter()
        .take(3)
        .map(|(t, id, n)| format!("{id} {:.0}ms/{:.1}MB", t * 1e3, *n as f64 / 1e6))
        .collect();
    eprintln!("    slowest: {}", s.join(", "));
    for (p, ex) in pages.iter().zip(&outs) {
        bytes += p.html.len();
        let (c, a, b) = overlap(&tokens(&ex.text), &tokens(&p.text));
        let prec = if a == 0 { 0.0 } else { c as f64 / a as f64 };
        let rec = if b == 0 { 0.0 } else { c as f64 / b as f64 };
        let f = if prec + rec == 0.0 {
            0.0
        } else {
            2.0 * prec * rec / (prec + rec)
        };
        f_sum += f;
        p_sum += prec;
        r_sum += rec;
        common += c;
        npred += a;
        ngold += b;
        worst.push((f, &p.id));
        // Set CHRONICLE_HTML_DUMP=<dir> to write each extraction for inspection.
        if let Ok(dir) = std::env::var("CHRONICLE_HTML_DUMP") {
            let _ = std::fs::write(Path::new(&dir).join(format!("{}.{method:?}.txt", p.id)), &ex.text);
        }
        if let Some(g) = p.title.as_deref().filter(|t| !t.trim().is_empty()) {
            title_gold += 1;
            let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            if ex.title.as_deref().is_some_and(|t| norm(t) == norm(g)) {
                title_ok += 1;
            }
        }
        if let Some(g) = &p.published {
            date_gold += 1;
            if ex
                .published
                .as_deref()
                .is_some_and(|d| d.get(..10) == g.get(..10))
            {
                date_ok += 1;
            } else {
                eprintln!("    date miss {}: got {:?} want {g}", p.id, ex.published);
            }
        }
    }
    let n = pages.len().max(1) as f64;
    let mp = common as f64 / npred.max(1) as f64;
    let mr = common as f64 / ngold.max(1) as f64;
    worst.sort_by(|a, b| a.0.total_cmp(&b.0));
    eprintln!(
        "{name:12} {method:?}: n={} macro P={:.3} R={:.3} F1={:.3} | micro P={mp:.3} R={mr:.3} F1={:.3} | \
         date {date_ok}/{date_gold} | title {title_ok}/{title_gold} | {:.1} MB in {secs:.2}s = {:.1} MB/s",
        pages.len(),
        p_sum / n,
        r_sum / n,
        f_sum / n,
        2.0 * mp * mr / (mp + mr).max(1e-9),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs.max(1e-9),
    );
    let w: Vec<String> = worst
        .iter()
        .take(6)
        .map(|(f, id)| format!("{id}={f:.2}"))
        .collect();
    eprintln!("    worst: {}", w.join(" "));
}

#[test]
fn token_f1_on_dev_gold() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/eval/html"));
    if !root.exists() {
        eprintln!("skipping: {} not present", root.display());
        return;
    }
    let sets = [
        (
            "readability",
            load(&root.join("readability"), "readability_test_pages.jsonl"),
        ),
        (
            "newspaper4k",
            load(&root.join("newspaper4k"), "newspaper4k_test_pages.jsonl"),
        ),
    ];
    for (name, pages) in &sets {
        assert!(!pages.is_empty(), "no pages loaded for {name}");
        for m in [Method::Readability, Method::Density] {
            score(name, pages, m);
        }
    }
}

#[test]
fn ten_megabyte_page() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/eval/html"));
    if !root.exists() {
        eprintln!("skipping: {} not present", root.display());
        return;
    }
    // All newspaper4k pages glued together: ~11 MB of real-world markup in one document.
    let pages = load(&root.join("newspaper4k"), "newspaper4k_test_pages.jsonl");
    let big: String = pages.iter().map(|p| p.html.as_str()).collect();
    assert!(big.len() > 5_000_000, "only {} bytes", big.len());
    for m in [Method::Readability, Method::Density] {
        let t0 = Instant::now();
        let ex = extract_with(&big, m);
        let secs = t0.elapsed().as_secs_f64();
        eprintln!(
            "one {:.1} MB page, {m:?}: {secs:.2}s = {:.1} MB/s, {} chars out",
            big.len() as f64 / 1e6,
            big.len() as f64 / 1e6 / secs.max(1e-9),
            ex.text.len()
        );
        assert!(!ex.text.is_empty());
    }
}
