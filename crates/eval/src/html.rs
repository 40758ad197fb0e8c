//! Article-body extraction on the Readability and newspaper4k test pages.
//!
//! Each gold record names its raw page (`source_html_path` or `html_path`, relative to the JSONL
//! file's folder, gzipped when it ends in `.gz`; an inline `html` field is used when present)
//! and the expected body `text`. The metric is the article-extraction benchmark's bag-of-tokens
//! comparison: lowercased word tokens (runs of alphanumerics and `_`, like Python's `\w+`),
//! tp = sum over tokens of min(count in extracted, count in expected). Per page P = tp / extracted
//! tokens, R = tp / expected tokens (an empty side scores 1 when the other is empty too, else 0).
//! `macro` averages the per-page figures; `micro` sums the counts over all pages.
//! Pages are decoded as UTF-8 (invalid bytes replaced).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::metrics::Prf;
use crate::record::str_of;
use crate::{round4, EvalError, EvalOptions, GoldSet, HtmlExtractor};

/// Lowercased word tokens with their counts.
pub(crate) fn token_bag(text: &str) -> HashMap<String, usize> {
    let mut bag = HashMap::new();
    for w in text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
    {
        *bag.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    bag
}

/// Bag-of-tokens counts of `extracted` against `expected`.
pub(crate) fn bag_prf(extracted: &str, expected: &str) -> Prf {
    let p = token_bag(extracted);
    let g = token_bag(expected);
    let tp = p
        .iter()
        .map(|(w, n)| (*n).min(g.get(w).copied().unwrap_or(0)))
        .sum();
    Prf {
        tp,
        pred: p.values().sum(),
        gold: g.values().sum(),
    }
}

fn page_scores(c: &Prf) -> (f64, f64, f64) {
    let p = if c.pred == 0 {
        f64::from(u8::from(c.gold == 0))
    } else {
        c.precision()
    };
    let r = if c.gold == 0 {
        f64::from(u8::from(c.pred == 0))
    } else {
        c.recall()
    };
    let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    (p, r, f)
}

#[derive(Default)]
struct Counters {
    pages: usize,
    micro: Prf,
    sum: (f64, f64, f64),
    worst: Vec<(f64, String)>,
}

impl Counters {
    fn push(&mut self, id: &str, c: Prf) {
        let (p, r, f) = page_scores(&c);
        self.pages += 1;
        self.micro.add(c);
        self.sum.0 += p;
        self.sum.1 += r;
        self.sum.2 += f;
        self.worst.push((f, id.to_string()));
    }

    fn to_json(&self) -> Value {
        let n = self.pages.max(1) as f64;
        let mut worst = self.worst.clone();
        worst.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        worst.truncate(5);
        json!({
            "pages": self.pages,
            "macro": {"precision": round4(self.sum.0 / n), "recall": round4(self.sum.1 / n), "f1": round4(self.sum.2 / n)},
            "micro": self.micro.to_json(),
            "worst": worst.iter().map(|(f, id)| json!({"id": id, "f1": round4(*f)})).collect::<Vec<_>>(),
        })
    }
}

/// The JSONL files to score: the file itself, or those in the folder and one level below.
fn gold_files(path: &Path) -> Result<Vec<PathBuf>, EvalError> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let io = |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path).map_err(io)?.flatten() {
        let p = entry.path();
        if p.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&p) {
                out.extend(rd.flatten().map(|e| e.path()).filter(|q| is_jsonl(q)));
            }
        } else if is_jsonl(&p) {
            out.push(p);
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(EvalError::NotAGoldFile(path.to_path_buf()));
    }
    Ok(out)
}

fn is_jsonl(p: &Path) -> bool {
    p.is_file() && p.extension().is_some_and(|e| e == "jsonl")
}

fn load_html(rec: &Value, base: &Path) -> Option<String> {
    if let Some(h) = str_of(rec, "html") {
        return Some(h.to_string());
    }
    let rel = str_of(rec, "source_html_path").or_else(|| str_of(rec, "html_path"))?;
    let path = base.join(rel);
    let raw = std::fs::read(&path).ok()?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .ok()?;
        out
    } else {
        raw
    };
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

pub(crate) fn score(
    gold: &Path,
    ex: &mut dyn HtmlExtractor,
    opts: &EvalOptions,
) -> Result<Map<String, Value>, EvalError> {
    let files = gold_files(gold)?;
    let mut all = Counters::default();
    let mut per_file = Map::new();
    let mut records = 0;
    let mut gold_errors = 0;
    let mut missing = 0;
    for file in &files {
        let remaining = opts.limit.map(|n| n.saturating_sub(records));
        if remaining == Some(0) {
            break;
        }
        let set = GoldSet::read(file, remaining)?;
        gold_errors += set.errors;
        records += set.records.len();
        let base = file.parent().unwrap_or(Path::new("."));
        let mut sub = Counters::default();
        for (line, rec) in &set.records {
            let id = str_of(rec, "id")
                .map(str::to_string)
                .unwrap_or_else(|| format!("line-{line}"));
            let (Some(expected), Some(html)) = (str_of(rec, "text"), load_html(rec, base)) else {
                missing += 1;
                continue;
            };
            let extracted = ex.extract_html(&html);
            let c = bag_prf(&extracted, expected);
            all.push(&id, c);
            sub.push(&id, c);
        }
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        per_file.insert(name, sub.to_json());
    }
    let mut m = Map::new();
    if let Value::Object(o) = all.to_json() {
        m.extend(o);
    }
    m.insert("per_file".into(), Value::Object(per_file));
    m.insert("missing_html".into(), json!(missing));
    m.insert("records".into(), json!(records));
    m.insert("gold_errors".into(), json!(gold_errors));
    Ok(m)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::testutil::*;
    use crate::{run, GoldArticle, Task};

    /// Two pages: one inline, one gzipped on disk in a subfolder.
    fn gold() -> PathBuf {
        let dir = temp_dir("html");
        std::fs::create_dir_all(dir.join("raw")).unwrap();
        let page2 = "<html><body><nav>Menu</nav><p>Kyiv talks resume today.</p></body></html>";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(page2.as_bytes()).unwrap();
        std::fs::write(dir.join("raw/p2.html.gz"), gz.finish().unwrap()).unwrap();
        let lines = [
            json!({"id": "p1", "html": "<p>Peace plan rejected, peace sought.</p>", "text": "Peace plan rejected, peace sought."}),
            json!({"id": "p2", "source_html_path": "raw/p2.html.gz", "text": "Kyiv talks resume today."}),
            json!({"id": "p3", "html_path": "raw/missing.html", "text": "Nothing"}),
        ];
        let path = dir.join("pages.jsonl");
        std::fs::write(
            &path,
            lines.iter().map(Value::to_string).collect::<Vec<_>>().join("\n"),
        )
        .unwrap();
        path
    }

    /// Strips tags, drops <nav> blocks.
    fn strip(html: &str) -> String {
        let html = match (html.find("<nav>"), html.find("</nav>")) {
            (Some(a), Some(b)) => format!("{}{}", &html[..a], &html[b + 6..]),
            _ => html.to_string(),
        };
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    out.push(' ');
                }
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    fn ex() -> impl FnMut(&GoldArticle) -> Value {
        |_: &GoldArticle| json!({})
    }

    #[test]
    fn perfect_extractor() {
        let mut h = strip;
        let out = run(Task::Html, &gold(), &mut ex(), &mut h, &EvalOptions::default()).unwrap();
        assert!(approx(f(&out, &["macro", "f1"]), 1.0), "{out}");
        assert!(approx(f(&out, &["micro", "f1"]), 1.0));
        assert_eq!(out["pages"], 2);
        assert_eq!(out["missing_html"], 1);
        assert_eq!(out["records"], 3);
    }

    #[test]
    fn empty_extractor() {
        let out = run(
            Task::Html,
            &gold(),
            &mut ex(),
            &mut no_html,
            &EvalOptions::default(),
        )
        .unwrap();
        assert!(approx(f(&out, &["micro", "recall"]), 0.0));
        assert!(approx(f(&out, &["macro", "f1"]), 0.0));
    }

    #[test]
    fn partial_extractor_and_folder() {
        // Keeping the nav adds "menu": page 2 P = 4/5, R = 1, F1 = 8/9; page 1 perfect.
        // micro: tp 9, pred 10, gold 9.
        let mut h = |html: &str| strip(&html.replace("<nav>", "<x>").replace("</nav>", "</x>"));
        let path = gold();
        let dir = path.parent().unwrap().to_path_buf();
        let out = run(Task::Html, &dir, &mut ex(), &mut h, &EvalOptions::default()).unwrap();
        assert!(approx(f(&out, &["macro", "precision"]), 0.9), "{out}");
        assert!(approx(f(&out, &["macro", "f1"]), (1.0 + 8.0 / 9.0) / 2.0));
        assert!(approx(f(&out, &["micro", "precision"]), 0.9));
        assert!(approx(f(&out, &["per_file", "pages", "micro", "recall"]), 1.0));
        assert_eq!(out["worst"][0]["id"], "p2");
    }

    #[test]
    fn bag_counts() {
        let c = bag_prf("the The cat_1 Ünïcode", "the cat_1 ünïcode dog");
        assert_eq!(
            c,
            Prf {
                tp: 3,
                pred: 4,
                gold: 4
            }
        );
    }

    #[test]
    fn smoke_real_gold() {
        let Some(path) = shared("html") else { return };
        let mut h = |html: &str| html.to_string();
        let out = run(
            Task::Html,
            &path,
            &mut ex(),
            &mut h,
            &EvalOptions {
                limit: Some(30),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(out["missing_html"], 0, "{out}");
        assert_eq!(out["records"], 30);
        assert!(f(&out, &["micro", "recall"]) > 0.5);
    }
}
