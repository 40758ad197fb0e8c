//! `chronicle._chronicle`: the Rust half of the Python package. It speaks JSON text and
//! plain lists to its Python half (`python/chronicle/__init__.py`), which makes dicts and
//! Arrow tables of them: the record a Python caller gets is the very line `chronicle
//! extract` prints, parsed.
//!
//! Extraction runs with the GIL released, on Rust threads (`extract_many_json`), so a
//! notebook's other threads run meanwhile and two threads really extract twice as much.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use chronicle_pipeline::Engine;
use chronicle_record::InputArticle;
use chronicle_store::{EventFilter, FilterError, Prepared, QuoteFilter, RecordStore, Store};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

/// The engine every call shares, built (models loaded) on first use.
fn engine() -> PyResult<&'static Engine> {
    static ENGINE: OnceLock<Result<Engine, String>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            chronicle_pipeline::warm_up();
            Engine::new().map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| PyRuntimeError::new_err(format!("the Chronicle engine did not load: {e}")))
}

/// One input article (a JSON object as `chronicle extract` reads a JSONL line) to its
/// record's JSON line; a line that is no article is a ValueError naming why.
fn process_line(engine: &Engine, line: &str, default_id: &str) -> Result<String, String> {
    let a = InputArticle::from_json_line(line, default_id).map_err(|e| e.to_string())?;
    if a.text.is_none() && a.html.is_none() {
        return Err("the article has neither text nor html".into());
    }
    Ok(engine.process(a).1.to_json_line())
}

#[pyfunction]
#[pyo3(signature = (article_json, default_id = "python"))]
fn extract_json(py: Python<'_>, article_json: &str, default_id: &str) -> PyResult<String> {
    let engine = engine()?;
    py.detach(|| process_line(engine, article_json, default_id))
        .map_err(PyValueError::new_err)
}

/// Extracts `lines` on `threads` Rust threads, results in input order: each the record's
/// JSON line, or the reason the input is not an article.
fn extract_parallel(
    engine: &Engine,
    lines: &[(String, String)],
    threads: usize,
) -> Vec<Result<String, String>> {
    let out: Vec<Mutex<Option<Result<String, String>>>> = lines.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads.max(1).min(lines.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((line, id)) = lines.get(i) else { break };
                let r =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process_line(engine, line, id)))
                        .unwrap_or_else(|_| Err("internal error while processing (please report)".into()));
                if let Ok(mut slot) = out[i].lock() {
                    *slot = Some(r);
                }
            });
        }
    });
    out.into_iter()
        .map(|m| {
            m.into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err("internal error: no result".into()))
        })
        .collect()
}

#[pyfunction]
#[pyo3(signature = (lines, threads = 1))]
fn extract_many_json(
    py: Python<'_>,
    lines: Vec<(String, String)>,
    threads: usize,
) -> PyResult<Vec<(Option<String>, Option<String>)>> {
    let engine = engine()?;
    let results = py.detach(|| extract_parallel(engine, &lines, threads));
    Ok(results
        .into_iter()
        .map(|r| match r {
            Ok(j) => (Some(j), None),
            Err(e) => (None, Some(e)),
        })
        .collect())
}

/// A store (a SQLite file or a postgres:// URL) seen from Python.
#[pyclass(name = "_Store")]
struct PyStore {
    inner: Mutex<Box<dyn RecordStore + Send>>,
    what: String,
}

fn store_err(what: &str, e: impl std::fmt::Display) -> PyErr {
    PyRuntimeError::new_err(format!("{what}: {e}"))
}

impl PyStore {
    fn with<T>(
        &self,
        f: impl FnOnce(&mut dyn RecordStore) -> Result<T, chronicle_store::StoreError>,
    ) -> PyResult<T> {
        let mut s = self
            .inner
            .lock()
            .map_err(|_| PyRuntimeError::new_err("the store is unusable after an earlier panic"))?;
        f(s.as_mut()).map_err(|e| store_err(&self.what, e))
    }
}

/// A filter's error as Python's `ValueError`, an unknown keyword named as one of `what`'s.
fn filter_err(what: &str, e: FilterError) -> PyErr {
    match e {
        FilterError::Unknown { name, known } => {
            PyValueError::new_err(format!("{name} is not {what}; known: {}", known.join(", ")))
        }
        e => PyValueError::new_err(e.message("")),
    }
}

fn event_filter(params: Vec<(String, String)>) -> PyResult<EventFilter> {
    EventFilter::from_params(params.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| filter_err("an event filter", e))
}

#[pymethods]
impl PyStore {
    #[new]
    fn new(db: &str) -> PyResult<Self> {
        let inner: Box<dyn RecordStore + Send> = if chronicle_pgstore::is_postgres_url(db) {
            Box::new(chronicle_pgstore::PgStore::connect(db).map_err(|e| store_err(db, e))?)
        } else {
            let path = db.strip_prefix("sqlite:").unwrap_or(db);
            Box::new(Store::open(std::path::Path::new(path)).map_err(|e| store_err(db, e))?)
        };
        Ok(PyStore {
            inner: Mutex::new(inner),
            what: db.to_string(),
        })
    }

    /// Extracts and stores articles (JSON objects as lines); returns the number stored and
    /// the (id, reason) of each input that is not an article.
    #[pyo3(signature = (lines, threads = 1))]
    fn ingest_json(
        &self,
        py: Python<'_>,
        lines: Vec<(String, String)>,
        threads: usize,
    ) -> PyResult<(usize, Vec<(String, String)>)> {
        let engine = engine()?;
        let results = py.detach(|| extract_parallel(engine, &lines, threads));
        let mut batch = Vec::new();
        let mut rejected = Vec::new();
        for (r, (_, id)) in results.into_iter().zip(&lines) {
            match r.and_then(|j| {
                let rec: chronicle_record::Record = serde_json::from_str(&j).map_err(|e| e.to_string())?;
                Prepared::new(rec).map_err(|e| e.to_string())
            }) {
                Ok(p) => batch.push(p),
                Err(e) => rejected.push((id.clone(), e)),
            }
        }
        let n = self.with(|s| s.put_prepared(&batch))?;
        Ok((n, rejected))
    }

    /// Events as `chronicle query events --format csv` gives them: its column names and
    /// each row's cells as text.
    fn events_csv(&self, params: Vec<(String, String)>) -> PyResult<(Vec<String>, Vec<Vec<String>>)> {
        let f = event_filter(params)?;
        let rows = self.with(|s| s.events(&f))?;
        let cols = chronicle_cli::export::EVENT_CSV_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .collect();
        Ok((
            cols,
            rows.iter().map(chronicle_cli::export::event_csv_record).collect(),
        ))
    }

    /// Quotes as JSON rows.
    fn quotes_json(&self, params: Vec<(String, String)>) -> PyResult<String> {
        let f = QuoteFilter::from_params(params.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(|e| filter_err("a quote filter", e))?;
        let rows = self.with(|s| s.quotes(&f))?;
        serde_json::to_string(&rows).map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// Actors as JSON rows.
    #[pyo3(signature = (name = None, limit = None))]
    fn actors_json(&self, name: Option<String>, limit: Option<u64>) -> PyResult<String> {
        let rows = self.with(|s| s.actors(name.as_deref(), limit))?;
        serde_json::to_string(&rows).map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// Articles: full-text search hits (id, title, snippet) with `q`, else the list.
    #[pyo3(signature = (q = None, limit = 20))]
    fn articles_json(&self, q: Option<String>, limit: u64) -> PyResult<String> {
        let v = match q {
            Some(q) => {
                let hits = self.with(|s| s.search(&q, limit))?;
                serde_json::Value::Array(
                    hits.into_iter()
                        .map(|(id, title, snippet)| serde_json::json!({"id": id, "title": title, "snippet": snippet}))
                        .collect(),
                )
            }
            None => serde_json::to_value(self.with(|s| s.article_list(limit, 0))?)
                .map_err(|e| PyRuntimeError::new_err(e.to_string()))?,
        };
        Ok(v.to_string())
    }

    /// Every stored record as its JSON line (what `chronicle export --format jsonl` writes).
    fn records_json(&self) -> PyResult<Vec<String>> {
        let mut out = Vec::new();
        self.with(|s| s.for_each_record(&mut |r| out.push(r.to_json_line())))?;
        Ok(out)
    }
}

/// The Rust half of `chronicle` (see the package's docstrings).
#[pymodule]
fn _chronicle(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(extract_json, m)?)?;
    m.add_function(wrap_pyfunction!(extract_many_json, m)?)?;
    m.add_class::<PyStore>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The filters' keyword arguments: the store's one definition of them (the stubs are
    // checked against these by the tests).
    m.add("EVENT_FILTERS", EventFilter::param_names())?;
    m.add("QUOTE_FILTERS", QuoteFilter::param_names())?;
    Ok(())
}
