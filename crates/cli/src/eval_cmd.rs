//! `chronicle eval TASK --gold FILE`: the pipeline as an extractor for the scorers of
//! `chronicle-eval`, printing one JSON object of figures.

use anyhow::Result;
use chronicle_eval::{EvalOptions, GoldArticle, Task};
use chronicle_pipeline::Resources;
use chronicle_record::{parse_published, InputArticle};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Scores the pipeline, built with the user's resources (`--actors`), on `gold`.
pub fn run(
    res: Option<&Resources>,
    task: &str,
    gold: &Path,
    limit: Option<usize>,
    by_document: bool,
) -> Result<ExitCode> {
    let task: Task = task
        .parse()
        .map_err(|e: chronicle_eval::EvalError| crate::UsageError(e.to_string()))?;
    let engine = crate::build_engine(res)?;
    let mut ex = |g: &GoldArticle| {
        let published = g.published.as_deref().and_then(parse_published);
        let mut a = InputArticle::from_text(g.id.clone(), g.text.clone(), published);
        a.published_raw = g.published.clone();
        let (_, rec) = engine.process(a);
        serde_json::to_value(&rec).unwrap_or(serde_json::Value::Null)
    };
    let mut html = |h: &str| chronicle_html::extract(h).text;
    let figures = chronicle_eval::run(
        task,
        gold,
        &mut ex,
        &mut html,
        &EvalOptions {
            limit,
            ner_by_document: by_document,
        },
    )
    .map_err(|e| crate::UsageError(e.to_string()))?;
    writeln!(std::io::stdout(), "{}", serde_json::to_string_pretty(&figures)?)?;
    Ok(ExitCode::SUCCESS)
}
