//! CAMEO/PLOVER event coding over the earlier layers.
//!
//! A rule coder in the PETRARCH tradition, but over tokens and entity mentions instead of a
//! constituency parse, so it runs at tokenizer speed:
//!
//! 1. **Triggers**: the hand lexicon (`lexicon.rs`: lemma-based verb / noun phrases with
//!    object-noun refinements, e.g. reject + plan -> 127) first, then the PETRARCH-2 verb
//!    dictionary (derived tables `data/verbs.tsv` + `data/patterns.tsv`), which codes only
//!    verb-like forms (-ed, or after to/modal/aux) and never CAMEO root 01 (statements).
//!    One event per verb phrase, as PETRARCH: an infinitival complement ("agreed to provide
//!    aid"), a participial adjunct (", killing 12") or an event in a later relative/temporal
//!    clause ("..., where 28 were killed") is not coded again.
//! 2. **Dyad**: source = the actor mention heading the trigger's clause (nearest actor
//!    mention to the left, after a fronted subordinate clause; for a coordinated verb, "X
//!    accused Y and demanded", the clause's subject); compound subjects ("Canada, Germany and
//!    Poland") give one event per actor. Target = first actor mention after the trigger up to
//!    the clause end (aid codes prefer the "to/for X" recipient, noun triggers need a
//!    preposition: "talks with X", "between X and Y"); passives ("was attacked by X") swap.
//!    An event needs an actor-coded side, except violent roots 18-20 from the hand lexicon
//!    (unknown attackers are common and the fact still matters).
//! 3. **Modality**, by precedence (first that applies wins):
//!    denied > negated > claimed > hypothetical > future > historical > reported > asserted.
//!    Denied/negated are the strongest statements about the event's truth; claimed is the
//!    article's own hedge; hypothetical and future say it has not happened; historical says
//!    it is background; reported only says who vouches for it. Two CAMEO conventions change
//!    the code rather than only the modality: a refused or negated cooperative act ("refused
//!    to meet", "will not accept") is a REJECT (12x), and announced cooperation or force ("will
//!    provide aid", "will attack") is intent (03x) or a threat (138).
//! 4. **Anchors**: nearest DATE/TIME timex in the sentence; the nearest resolved place in the
//!    trigger's clause (after "in/at/near" first, a country yielding to the region it
//!    introduces), else the sentence, else the paragraph; for violent events, killed /
//!    wounded counts and a short victim noun read off the parse (`casualties.rs`).

mod arguments;
mod cameo;
mod casualties;
pub mod confidence;
mod contexts;
mod dating;
mod dictionary;
mod lexicon;
mod location;
mod merge;
mod modality;
mod reported;
mod sentence;
mod tables;
pub mod topic;
mod triggers;
mod words;

pub use dictionary::{VerbDictionary, VerbFileError};
pub use tables::{cameo_info, CameoInfo};

use chronicle_clauses::ClauseWords;
use chronicle_core::{Document, Layer, Stage};
use dating::date_events;
use sentence::code_document;

/// The events stage: writes [`Document::events`] from sentences, tokens, the parse,
/// timexes, entities, places and quotes.
#[derive(Debug)]
pub struct EventStage {
    clause_words: ClauseWords,
    verbs: Verbs,
    confidence: confidence::Confidence,
}

/// The verb table a stage codes with, given at construction.
#[derive(Debug, Clone)]
pub(crate) enum Verbs {
    /// The compiled-in PETRARCH-2 table, after the hand lexicon.
    Builtin(std::sync::Arc<tables::PetrTables>),
    /// The user's dictionary: it alone codes (no hand lexicon, no built-in table).
    User(std::sync::Arc<VerbDictionary>),
}

impl Default for EventStage {
    fn default() -> Self {
        Self::new()
    }
}

impl EventStage {
    /// The stage with the built-in clause words (negators, modal auxiliaries) and verb
    /// tables. They are compiled in and checked by tests, so they cannot fail at run time.
    pub fn new() -> Self {
        EventStage {
            clause_words: ClauseWords::builtin().unwrap_or_default(),
            verbs: Verbs::Builtin(tables::PetrTables::builtin()),
            confidence: confidence::Confidence::builtin().unwrap_or_default(),
        }
    }

    /// The stage coding with the user's verb dictionary (`--verbs`) instead of the
    /// built-in tables and hand lexicon: a user dictionary means "code with my dictionary".
    pub fn with_verbs(verbs: std::sync::Arc<VerbDictionary>) -> Self {
        EventStage {
            clause_words: ClauseWords::builtin().unwrap_or_default(),
            verbs: Verbs::User(verbs),
            confidence: confidence::Confidence::builtin().unwrap_or_default(),
        }
    }

    /// The stage with another confidence scorer (topic model, force cues); a table that
    /// cannot be read fails in [`confidence::Confidence::new`], before any document.
    pub fn with_confidence(mut self, confidence: confidence::Confidence) -> Self {
        self.confidence = confidence;
        self
    }
}

impl Stage for EventStage {
    fn name(&self) -> &'static str {
        "events"
    }
    fn reads(&self) -> &'static [Layer] {
        &[
            Layer::Sentences,
            Layer::Tokens,
            Layer::Syntax,
            Layer::Timexes,
            Layer::Entities,
            Layer::Places,
            Layer::Quotes,
        ]
    }
    fn writes(&self) -> &'static [Layer] {
        &[Layer::Events]
    }
    fn run(&self, doc: &mut Document) {
        let mut events = code_document(doc, &self.clause_words, &self.verbs);
        date_events(doc, &mut events);
        self.confidence.finish(doc, &self.clause_words, &mut events);
        doc.events = events;
    }
}

#[cfg(test)]
mod tests;
