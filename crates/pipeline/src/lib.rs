//! The default pipeline, assembled in reading order:
//! text -> syntax -> time -> entities -> places -> quotes -> events.
//!
//! [`Engine`] is what the CLI, the store's ingest and the evaluation harness share, so an
//! article is processed the same way whichever door it came in by.

pub mod language;
pub mod parse;

pub use parse::{sentence_parse, ParsedToken, SyntaxPass};

use chronicle_core::{Document, Pipeline, PipelineError, Severity, Stage};
use chronicle_entities::{ActorFileError, Lexicon};
use chronicle_record::{parse_published, InputArticle, Record};
use std::path::PathBuf;
use std::sync::Arc;

/// What an [`Engine`] is built with beyond the compiled-in data.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// The user's actor lists, read in order on top of the built-in table: our
    /// tab-separated table or PETRARCH/TABARI actor dictionaries.
    pub actor_files: Vec<PathBuf>,
    /// The user's PETRARCH verb dictionaries (PETRARCH-1/TABARI or PETRARCH-2 syntax):
    /// when given, they alone code events (no built-in table, no hand lexicon).
    pub verb_files: Vec<PathBuf>,
}

/// Why an engine could not be built: the user's resources, or (a programming error) the
/// stage order.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Actors(#[from] ActorFileError),
    /// A verb dictionary could not be read (every `file:line: problem`).
    #[error(transparent)]
    Verbs(#[from] chronicle_events::VerbFileError),
    #[error("internal pipeline error: {0}")]
    Pipeline(#[from] PipelineError),
    /// The syntax model could not be loaded.
    #[error(transparent)]
    Syntax(#[from] chronicle_syntax::SyntaxError),
}

/// The loaded resources the stages are built with, checked before any document is read.
/// Cheap to clone (shared tables), so one load can build several engines.
#[derive(Debug, Clone)]
pub struct Resources {
    lexicon: Arc<Lexicon>,
    verbs: Option<Arc<chronicle_events::VerbDictionary>>,
}

impl Resources {
    /// The compiled-in tables only.
    pub fn builtin() -> Self {
        Resources {
            lexicon: Lexicon::builtin(),
            verbs: None,
        }
    }

    /// Reads every file `options` names; any problem in them is an error listing all of
    /// them.
    pub fn load(options: &EngineOptions) -> Result<Self, EngineError> {
        let lexicon = if options.actor_files.is_empty() {
            Lexicon::builtin()
        } else {
            Arc::new(Lexicon::with_actor_files(&options.actor_files)?)
        };
        let verbs = if options.verb_files.is_empty() {
            None
        } else {
            Some(Arc::new(chronicle_events::VerbDictionary::load(
                &options.verb_files,
            )?))
        };
        Ok(Resources { lexicon, verbs })
    }

    /// The user's verb dictionary, if one was given.
    pub fn verbs(&self) -> Option<&Arc<chronicle_events::VerbDictionary>> {
        self.verbs.as_ref()
    }

    /// The entities' word and actor tables.
    pub fn lexicon(&self) -> &Arc<Lexicon> {
        &self.lexicon
    }

    /// Entries of the user's PETRARCH dictionaries left out because they could not be
    /// converted (`file:line: problem`), for the caller to report once.
    pub fn skipped(&self) -> &[String] {
        self.lexicon.skipped()
    }
}

/// The stages of the default pipeline, in order, with the built-in tables.
pub fn default_stages() -> Result<Vec<Box<dyn Stage>>, EngineError> {
    stages(&Resources::builtin())
}

/// The stages of the default pipeline, in order, built with `resources`; fails when a
/// stage's model (the syntax model) cannot be loaded.
pub fn stages(resources: &Resources) -> Result<Vec<Box<dyn Stage>>, EngineError> {
    Ok(vec![
        Box::new(chronicle_text::TextStage::new()),
        Box::new(chronicle_syntax::SyntaxStage::builtin()?),
        Box::new(chronicle_time::TimexStage::new()),
        Box::new(entity_stage_with(Arc::clone(&resources.lexicon))),
        Box::new(chronicle_geo::PlaceStage::new()),
        Box::new(chronicle_quotes::QuoteStage::new()),
        Box::new(match &resources.verbs {
            Some(v) => chronicle_events::EventStage::with_verbs(Arc::clone(v)),
            None => chronicle_events::EventStage::new(),
        }),
    ])
}

/// The entities stage with the statistical tagger as its name finder, or the rule finder
/// when the builtin model is unusable (it was trained with other features), so the
/// pipeline still runs, only less accurately.
pub fn entity_stage() -> chronicle_entities::EntityStage {
    entity_stage_with(Lexicon::builtin())
}

/// [`entity_stage`] coding actors with `lexicon`.
pub fn entity_stage_with(lexicon: Arc<Lexicon>) -> chronicle_entities::EntityStage {
    if chronicle_ner::NerModel::builtin().is_some() {
        chronicle_entities::EntityStage::with_provider_and_lexicon(
            Box::new(chronicle_ner::NerProvider),
            lexicon,
        )
    } else {
        chronicle_entities::EntityStage::with_lexicon(lexicon)
    }
}

/// How long the compiled-in tables took to load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadTimes {
    pub ner_model: std::time::Duration,
    pub attribution_model: std::time::Duration,
    pub gazetteer: std::time::Duration,
    /// The tagger, lemmatiser and parser (`chronicle_syntax::SyntaxModel::builtin`).
    pub syntax_model: std::time::Duration,
    /// Wall time of [`warm_up`], all four together.
    pub wall: std::time::Duration,
}

/// Loads the NER, attribution and syntax models and the gazetteer now (they otherwise load on first
/// use), so start-up cost is paid, and can be measured, in one place. The gazetteer (the
/// largest, about 110 ms) loads on a second thread while the models load on this one: since
/// the syntax model joined, that halves the wall time (about 220 ms to 120 ms on two cores);
/// each figure in [`LoadTimes`] is then measured from the start of the call, the gazetteer's
/// on its own thread. Idempotent: a second call finds them loaded.
pub fn warm_up() -> LoadTimes {
    use std::time::Instant;
    let t0 = Instant::now();
    let gazetteer = std::thread::spawn(move || {
        let _ = chronicle_gazetteer::Gazetteer::global();
        t0.elapsed()
    });
    let _ = chronicle_ner::NerModel::builtin();
    let ner_model = t0.elapsed();
    let t = Instant::now();
    let _ = chronicle_quotes::AttributionModel::builtin();
    let attribution_model = t.elapsed();
    let t = Instant::now();
    let _ = chronicle_syntax::SyntaxModel::builtin();
    let syntax_model = t.elapsed();
    let gazetteer = gazetteer.join().unwrap_or_else(|_| {
        let t = Instant::now();
        let _ = chronicle_gazetteer::Gazetteer::global();
        t.elapsed()
    });
    LoadTimes {
        ner_model,
        attribution_model,
        gazetteer,
        syntax_model,
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

    /// Builds the default pipeline with the user's resources: a bad actors file fails
    /// here, before any document, with every problem in it.
    pub fn with_options(options: &EngineOptions) -> Result<Self, EngineError> {
        Self::with_resources(&Resources::load(options)?)
    }

    /// Builds the default pipeline with resources already loaded.
    pub fn with_resources(resources: &Resources) -> Result<Self, EngineError> {
        Ok(Engine {
            pipeline: Pipeline::new(stages(resources)?)?,
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

    #[test]
    fn a_missing_actors_file_fails_the_engine_not_a_document() {
        let missing =
            std::env::temp_dir().join(format!("chronicle-no-such-actors-{}.tsv", std::process::id()));
        let options = EngineOptions {
            actor_files: vec![missing.clone()],
            ..EngineOptions::default()
        };
        match Engine::with_options(&options) {
            Err(EngineError::Actors(e)) => {
                assert_eq!(e.files, vec![missing]);
                assert!(e.problems[0].contains("cannot read"), "{:?}", e.problems);
            }
            Err(e) => panic!("wrong error: {e}"),
            Ok(_) => panic!("an engine was built with a missing actors file"),
        }
        // No files: the built-in engine.
        assert!(Engine::with_options(&EngineOptions::default()).is_ok());
    }
}
