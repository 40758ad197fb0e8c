//! Scorers for Chronicle's stages against the dev gold sets (`shared/eval/README.md`).
//!
//! This crate deliberately knows nothing about the pipeline crates: the caller (the CLI's
//! `chronicle eval TASK --gold FILE`) passes in an [`Extractor`] that turns a gold article into a
//! contract record (schema 1, `CONTRACT.md`) and, for the `html` task, an [`HtmlExtractor`].
//! Scoring only reads the public record shape, so the figures measure exactly what users get,
//! and the scorers can be tested with hand-written records.
//!
//! One entry point, [`run`], returns one JSON object of figures per task. Every P/R/F1 block has
//! the shape `{"tp","pred","gold","precision","recall","f1"}`; every accuracy block has the shape
//! `{"correct","total","accuracy"}`. Gold lines that fail to parse are counted in `gold_errors`
//! and skipped; records the extractor could not produce (not a JSON object) are counted in
//! `extract_errors` and scored as empty records.
//!
//! Offsets: contract records carry code point offsets into the record's own `text`. When that
//! text differs from the gold text (whitespace or quote normalisation by the text stage), spans
//! are mapped back onto the gold text by a linear character alignment ([`align`]); the number of
//! such records is reported as `text_realigned`.

mod align;
mod conflict;
mod events;
mod geo;
mod html;
mod metrics;
mod ner;
mod quotes;
mod record;
mod time;

/// The span matchers and counters of the scorers, for tools that select models by the same
/// criteria (e.g. `chronicle train quotes` choosing an epoch).
pub use metrics::{greedy_match, half_overlap};

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use serde_json::{json, Map, Value};

pub use align::{align, Alignment};
pub use metrics::{Accuracy, Prf};

/// What is fed to the pipeline for one gold record: the text (and publication date, which
/// anchors relative dates) exactly as the gold set gives it, so that offsets stay comparable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldArticle {
    /// The gold record's id (`id`, `doc_id`, or `line-N` when it has none).
    pub id: String,
    /// The text to extract from; gold offsets are code points into it.
    pub text: String,
    /// `YYYY-MM-DD` (or RFC 3339) publication date / document creation time, when the gold has one.
    pub published: Option<String>,
}

/// Produces a contract record (schema 1) for a gold article. The CLI implements it with the
/// pipeline; tests implement it with handcrafted records. A closure
/// `FnMut(&GoldArticle) -> serde_json::Value` implements it too.
pub trait Extractor {
    /// Returns the record; anything that is not a JSON object is counted as an extraction error.
    fn extract(&mut self, article: &GoldArticle) -> Value;
}

impl<F: FnMut(&GoldArticle) -> Value> Extractor for F {
    fn extract(&mut self, article: &GoldArticle) -> Value {
        self(article)
    }
}

/// Extracts the article body (plain text) from a raw HTML page, for the `html` task.
/// A closure `FnMut(&str) -> String` implements it too.
pub trait HtmlExtractor {
    /// Returns the extracted body text.
    fn extract_html(&mut self, html: &str) -> String;
}

impl<F: FnMut(&str) -> String> HtmlExtractor for F {
    fn extract_html(&mut self, html: &str) -> String {
        self(html)
    }
}

/// The evaluation tasks of `shared/eval/README.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Task {
    /// CoNLL-2003 NER, conlleval exact span + type.
    Ner,
    /// PolNeAR quotes: overlap/exact F1, speaker accuracy, cue F1.
    Quotes,
    /// PLOVER GSR and PETRARCH unit tests: per-sentence dyad multisets.
    Events,
    /// UCDP / ACLED conflict records: casualties, kind, admin1, location, date.
    Conflict,
    /// LGL / GeoVirus toponyms: recognition and resolution within 161 km.
    Geo,
    /// TempEval-3 timexes: extent F1, value and type accuracy.
    Time,
    /// Readability / newspaper4k pages: bag-of-tokens P/R/F1 of the extracted body.
    Html,
}

impl Task {
    /// All tasks, in the README's order.
    pub const ALL: [Task; 7] = [
        Task::Ner,
        Task::Quotes,
        Task::Events,
        Task::Conflict,
        Task::Geo,
        Task::Time,
        Task::Html,
    ];

    /// The task's name as typed on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Task::Ner => "ner",
            Task::Quotes => "quotes",
            Task::Events => "events",
            Task::Conflict => "conflict",
            Task::Geo => "geo",
            Task::Time => "time",
            Task::Html => "html",
        }
    }
}

impl std::fmt::Display for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Task {
    type Err = EvalError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Task::ALL
            .into_iter()
            .find(|t| t.name() == lower)
            .ok_or_else(|| EvalError::UnknownTask(s.to_string()))
    }
}

/// Options shared by all tasks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvalOptions {
    /// Score only the first N gold records (pages for `html`), for quick runs.
    pub limit: Option<usize>,
    /// NER only: extract the gold lines of one `doc` together (an article) instead of one
    /// line at a time.
    pub ner_by_document: bool,
}

/// Why an evaluation could not run at all (bad gold lines are counted, not errors).
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The task name is not one of `ner quotes events conflict geo time html`.
    #[error("unknown eval task `{0}` (expected one of: ner, quotes, events, conflict, geo, time, html)")]
    UnknownTask(String),
    /// The gold file (or folder) could not be read.
    #[error("cannot read gold {path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A folder was given where the task needs one JSONL file, or a folder held no JSONL file.
    #[error("gold path {0} is not a JSONL file this task can read")]
    NotAGoldFile(PathBuf),
}

/// Scores `task` on the gold set at `gold` and returns one JSON object of figures.
///
/// `ex` is used by every task but `html`; `html` uses only `html` (and accepts a folder: every
/// `*.jsonl` directly in it or one level below is scored, with per-file subsets). The object
/// always carries `task`, `gold`, `records`, `gold_errors` and `seconds`.
pub fn run(
    task: Task,
    gold: &Path,
    ex: &mut dyn Extractor,
    html: &mut dyn HtmlExtractor,
    opts: &EvalOptions,
) -> Result<Value, EvalError> {
    let started = Instant::now();
    let mut out = match task {
        Task::Html => html::score(gold, html, opts)?,
        _ => {
            let gold_set = GoldSet::read(gold, opts.limit)?;
            let mut scored = match task {
                Task::Ner => ner::score(&gold_set, ex, opts.ner_by_document),
                Task::Quotes => quotes::score(&gold_set, ex),
                Task::Events => events::score(&gold_set, ex),
                Task::Conflict => conflict::score(&gold_set, ex),
                Task::Geo => geo::score(&gold_set, ex),
                Task::Time => time::score(&gold_set, ex),
                Task::Html => Map::new(),
            };
            scored.insert("records".into(), json!(gold_set.records.len()));
            scored.insert("gold_errors".into(), json!(gold_set.errors));
            scored
        }
    };
    let mut head = Map::new();
    head.insert("task".into(), json!(task.name()));
    head.insert("gold".into(), json!(gold.display().to_string()));
    head.append(&mut out);
    head.insert("seconds".into(), json!(round4(started.elapsed().as_secs_f64())));
    Ok(Value::Object(head))
}

/// Parsed lines of one gold JSONL file.
pub(crate) struct GoldSet {
    /// (line number, record) for every line that parsed as a JSON object.
    pub records: Vec<(usize, Value)>,
    /// Non-blank lines that did not parse as a JSON object.
    pub errors: usize,
}

impl GoldSet {
    pub(crate) fn read(path: &Path, limit: Option<usize>) -> Result<GoldSet, EvalError> {
        if path.is_dir() {
            return Err(EvalError::NotAGoldFile(path.to_path_buf()));
        }
        let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(GoldSet::parse(&text, limit))
    }

    pub(crate) fn parse(text: &str, limit: Option<usize>) -> GoldSet {
        let mut records = Vec::new();
        let mut errors = 0;
        for (i, line) in text.lines().enumerate() {
            if limit.is_some_and(|n| records.len() >= n) {
                break;
            }
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Value>(line) {
                Ok(v) if v.is_object() => records.push((i + 1, v)),
                _ => errors += 1,
            }
        }
        GoldSet { records, errors }
    }
}

/// Builds the article fed to the extractor from a gold record's usual fields.
pub(crate) fn article_of(line: usize, rec: &Value, text: String) -> GoldArticle {
    let id = ["id", "doc_id"]
        .iter()
        .find_map(|k| match rec.get(k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
        .unwrap_or_else(|| format!("line-{line}"));
    let published = ["published", "date", "dct_value"].iter().find_map(|k| {
        rec.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    });
    GoldArticle { id, text, published }
}

/// Runs the extractor and checks the result is a record object.
pub(crate) fn extract_record(ex: &mut dyn Extractor, article: &GoldArticle, errors: &mut usize) -> Value {
    let rec = ex.extract(article);
    if rec.is_object() {
        rec
    } else {
        *errors += 1;
        json!({})
    }
}

pub(crate) fn round4(x: f64) -> f64 {
    if x.is_finite() {
        (x * 10_000.0).round() / 10_000.0
    } else {
        0.0
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static COUNTER: AtomicUsize = AtomicUsize::new(0);

    /// A fresh, unique temp dir for one test.
    pub fn temp_dir(tag: &str) -> PathBuf {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("chronicle-eval-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Writes the lines to `name` in a fresh temp dir and returns the file's path.
    pub fn gold_file(tag: &str, lines: &[String]) -> PathBuf {
        let path = temp_dir(tag).join("gold.jsonl");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path
    }

    pub fn no_html(_: &str) -> String {
        String::new()
    }

    pub fn f(v: &serde_json::Value, path: &[&str]) -> f64 {
        let mut cur = v;
        for p in path {
            cur = cur.get(p).unwrap_or_else(|| panic!("missing {p} in {v}"));
        }
        cur.as_f64()
            .unwrap_or_else(|| panic!("not a number at {path:?}: {cur}"))
    }

    pub fn approx(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-3
    }

    /// The shared eval folder when present (smoke tests skip otherwise).
    pub fn shared(rel: &str) -> Option<PathBuf> {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/eval")
            .join(rel);
        if p.exists() {
            Some(p)
        } else {
            eprintln!("skipping: {} is missing", p.display());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use testutil::*;

    #[test]
    fn task_names_round_trip() {
        for t in Task::ALL {
            assert_eq!(t.name().parse::<Task>().unwrap(), t);
        }
        assert!("NER".parse::<Task>().is_ok());
        assert!(matches!("nerd".parse::<Task>(), Err(EvalError::UnknownTask(_))));
    }

    #[test]
    fn bad_gold_lines_are_counted_not_fatal() {
        let path = gold_file(
            "badlines",
            &[
                "not json".into(),
                r#"{"tokens":["Paris"],"tags":["B-LOC"]}"#.into(),
                "".into(),
                "[1,2]".into(),
            ],
        );
        let mut ex = |_: &GoldArticle| json!({});
        let out = run(Task::Ner, &path, &mut ex, &mut no_html, &EvalOptions::default()).unwrap();
        assert_eq!(out["gold_errors"], 2);
        assert_eq!(out["records"], 1);
        assert_eq!(out["task"], "ner");
    }

    #[test]
    fn missing_gold_is_an_error() {
        let mut ex = |_: &GoldArticle| json!({});
        let r = run(
            Task::Geo,
            Path::new("/nonexistent/chronicle/gold.jsonl"),
            &mut ex,
            &mut no_html,
            &EvalOptions::default(),
        );
        assert!(matches!(r, Err(EvalError::Io { .. })));
    }

    #[test]
    fn limit_takes_first_records() {
        let line = r#"{"tokens":["Paris"],"tags":["B-LOC"]}"#.to_string();
        let path = gold_file("limit", &[line.clone(), line.clone(), line]);
        let mut n = 0;
        let mut ex = |_: &GoldArticle| {
            n += 1;
            json!({})
        };
        let out = run(
            Task::Ner,
            &path,
            &mut ex,
            &mut no_html,
            &EvalOptions {
                limit: Some(2),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(out["records"], 2);
        assert_eq!(n, 2);
    }

    #[test]
    fn non_object_record_counts_as_extract_error() {
        let path = gold_file("exerr", &[r#"{"tokens":["Paris"],"tags":["B-LOC"]}"#.into()]);
        let mut ex = |_: &GoldArticle| Value::Null;
        let out = run(Task::Ner, &path, &mut ex, &mut no_html, &EvalOptions::default()).unwrap();
        assert_eq!(out["extract_errors"], 1);
        assert!(approx(f(&out, &["recall"]), 0.0));
    }
}
