//! The default pipeline, assembled in reading order:
//! text -> syntax -> time -> entities -> places -> quotes -> events.
//!
//! [`Engine`] is what the CLI, the store's ingest and the evaluation harness share, so an
//! article is processed the same way whichever door it came in by.

pub mod language;
pub mod parse;

pub use parse::{sentence_parse, ParsedToken, SyntaxPass};

use chronicle_core::{Document, Pipeline, PipelineError, Severity, Stage};
use chronicle_record::{parse_published, InputArticle, Record};

/// Why the default pipeline could not be built: a stage's resources failed to load, or
/// the stage order is inconsistent (a programming error the tests catch).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error(transparent)]
    Syntax(#[from] chronicle_syntax::SyntaxError),
}

/// The stages of the default pipeline, in order; fails when a stage's resources (the
/// syntax model) cannot be loaded.
pub fn default_stages() -> Result<Vec<Box<dyn Stage>>, EngineError> {
    Ok(vec![
        Box::new(chronicle_text::TextStage::new()),
        Box::new(chronicle_syntax::SyntaxStage::builtin()?),
        Box::new(chronicle_time::TimexStage::new()),
        Box::new(entity_stage()),
        Box::new(chronicle_geo::PlaceStage::new()),
        Box::new(chronicle_quotes::QuoteStage::new()),
        Box::new(chronicle_events::EventStage::new()),
    ])
}

/// The entities stage with the statistical tagger as its name finder, or the rule finder
/// when the builtin model is unusable (it was trained with other features), so the
/// pipeline still runs, only less accurately.
pub fn entity_stage() -> chronicle_entities::EntityStage {
    if chronicle_ner::NerModel::builtin().is_some() {
        chronicle_entities::EntityStage::with_provider(Box::new(chronicle_ner::NerProvider))
    } else {
        chronicle_entities::EntityStage::new()
    }
}

/// How long the compiled-in tables took to load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadTimes {
    pub ner_model: std::time::Duration,
    pub attribution_model: std::time::Duration,
    pub gazetteer: std::time::Duration,
    /// Wall time of [`warm_up`], all three together.
    pub wall: std::time::Duration,
}

/// Loads the NER and attribution models and the gazetteer now (they otherwise load on first
/// use), so start-up cost is paid, and can be measured, in one place. One after the other:
/// loading them on two threads was slower here (they contend for memory bandwidth and the
/// allocator). Idempotent: a second call finds them loaded.
pub fn warm_up() -> LoadTimes {
    use std::time::Instant;
    let t0 = Instant::now();
    let _ = chronicle_ner::NerModel::builtin();
    let ner_model = t0.elapsed();
    let t = Instant::now();
    let _ = chronicle_quotes::AttributionModel::builtin();
    let attribution_model = t.elapsed();
    let t = Instant::now();
    let _ = chronicle_gazetteer::Gazetteer::global();
    let gazetteer = t.elapsed();
    LoadTimes {
        ner_model,
        attribution_model,
        gazetteer,
        wall: t0.elapsed(),
    }
}

/// Starts loading the tables that are needed only for some articles (the gazetteer's
/// village tier, about 0.1 s) on a background thread, so a long run does not pay for them
/// in the middle of its first articles and a short one does not wait for them at all. An
/// article that needs them before they are ready waits for the load in progress.
pub fn warm_up_in_background() {
    std::thread::spawn(|| chronicle_gazetteer::Gazetteer::global().load_villages());
}

/// The article's text: its own, else the text extracted from its HTML (filling title,
/// date, URL, author and language from the page when the input lacks them).
fn resolve_text(article: &mut InputArticle) -> String {
    match (&article.text, &article.html) {
        (Some(t), _) => t.clone(),
        (None, Some(h)) => {
            let ex = chronicle_html::extract(h);
            if article.title.is_none() {
                article.title = ex.title;
            }
            if article.published.is_none() {
                if let Some(p) = ex.published {
                    article.published = parse_published(&p);
                    article.published_raw = Some(p);
                }
            }
            if article.url.is_none() {
                article.url = ex.canonical_url;
            }
            // The page's byline and language travel under `meta`, unless the input
            // already said.
            for (k, v) in [("author", ex.author), ("language", ex.language)] {
                if let Some(v) = v {
                    article.meta.entry(k).or_insert(serde_json::Value::String(v));
                }
            }
            ex.text
        }
        (None, None) => String::new(),
    }
}

/// A validated pipeline plus the input handling around it (HTML extraction, dates).
pub struct Engine {
    pipeline: Pipeline,
}

impl Engine {
    /// Builds the default pipeline; fails when a stage's resources cannot be loaded or
    /// the stage order is inconsistent (reported rather than panicking).
    pub fn new() -> Result<Self, EngineError> {
        Ok(Engine {
            pipeline: Pipeline::new(default_stages()?)?,
        })
    }

    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// Resolves the article's text (extracting HTML when no text is given), fills title and
    /// date from the page when the input lacks them, and runs every stage.
    pub fn document(&self, article: &mut InputArticle) -> Document {
        let text = resolve_text(article);
        // A crawl's fetch day anchors relative dates when the page states no publication
        // date (the record keeps `published` null and says so under `meta.fetched`).
        let anchor = article.published.or(article.fetched);
        let mut doc = Document::new(article.id.clone(), text, anchor);
        doc.language = language::identify(doc.text()).map(str::to_string);
        match doc.language.as_deref() {
            Some(lang) if !language::SUPPORTED.contains(&lang) => {
                doc.skipped = Some(format!("language {lang}"));
                doc.diagnose(
                    "language",
                    Severity::Warning,
                    format!("identified as {lang}; only English is extracted, so no layers"),
                    None,
                );
            }
            _ => self.pipeline.run(&mut doc),
        }
        doc
    }

    /// The whole trip: input article to public record.
    pub fn process(&self, mut article: InputArticle) -> (Document, Record) {
        let doc = self.document(&mut article);
        let rec = Record::from_document(&doc, &article);
        (doc, rec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_core::Layer;

    #[test]
    fn default_pipeline_is_well_ordered_and_complete() {
        let e = Engine::new().expect("default stage order must validate");
        let layers = e.pipeline().layers();
        for l in [
            Layer::Paragraphs,
            Layer::Sentences,
            Layer::Tokens,
            Layer::Syntax,
            Layer::Timexes,
            Layer::Entities,
            Layer::Places,
            Layer::Quotes,
            Layer::Events,
        ] {
            assert!(layers.contains(&l), "no stage writes {l}");
        }
    }

    #[test]
    fn never_fails_on_odd_text() {
        let e = Engine::new().unwrap();
        for t in [
            "",
            " ",
            "\u{0}\u{feff}",
            "“",
            "”unbalanced“ «",
            "a\r\n\r\nb",
            &"x ".repeat(10_000),
        ] {
            let (doc, rec) = e.process(InputArticle::from_text("t", t.to_string(), None));
            assert_eq!(rec.text, doc.text());
            for s in &rec.sentences {
                assert!(s[0] <= s[1] && s[1] <= doc.char_len());
            }
        }
    }
}
