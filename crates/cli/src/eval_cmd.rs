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
    // PETRARCH's unit tests are written against its small test dictionaries: like
    // PETRARCH's own runner, use them when they lie beside the gold file and the user gave
    // no resources of their own (explicit --verbs/--actors win).
    let own = if res.is_none() {
        unit_test_dictionaries(gold)
    } else {
        Vec::new()
    };
    let loaded;
    let res = if own.is_empty() {
        res
    } else {
        let verb_files: Vec<_> = own
            .iter()
            .filter(|p| p.ends_with("PETR.Validate.verbs.txt"))
            .cloned()
            .collect();
        let actor_files: Vec<_> = own
            .iter()
            .filter(|p| p.ends_with("PETR.Validate.actors.txt"))
            .cloned()
            .collect();
        loaded = Resources::load(&chronicle_pipeline::EngineOptions {
            actor_files,
            verb_files,
        })
        .map_err(|e| crate::UsageError(format!("{}: {e}", gold.display())))?;
        Some(&loaded)
    };
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
    let mut figures = figures;
    if !own.is_empty() {
        if let Some(m) = figures.as_object_mut() {
            m.insert(
                "dictionaries".into(),
                serde_json::json!(own.iter().map(|p| p.display().to_string()).collect::<Vec<_>>()),
            );
        }
    }
    writeln!(std::io::stdout(), "{}", serde_json::to_string_pretty(&figures)?)?;
    Ok(ExitCode::SUCCESS)
}

/// The PETRARCH test dictionaries (`petrarch2-dictionaries/PETR.Validate.{verbs,actors}.txt`
/// beside the gold file) when the gold file's records come from PETRARCH's unit tests
/// (`PETR.UnitTest.records.xml`); empty otherwise.
fn unit_test_dictionaries(gold: &Path) -> Vec<std::path::PathBuf> {
    let first = std::fs::File::open(gold).ok().and_then(|f| {
        use std::io::BufRead;
        std::io::BufReader::new(f).lines().next().and_then(|l| l.ok())
    });
    let from_suite = first
        .and_then(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .and_then(|v| v.get("source_file").and_then(|s| s.as_str()).map(str::to_string))
        .is_some_and(|s| s == "PETR.UnitTest.records.xml");
    if !from_suite {
        return Vec::new();
    }
    let dir = gold
        .parent()
        .unwrap_or(Path::new("."))
        .join("petrarch2-dictionaries");
    ["PETR.Validate.verbs.txt", "PETR.Validate.actors.txt"]
        .iter()
        .map(|f| dir.join(f))
        .filter(|p| p.is_file())
        .collect()
}
