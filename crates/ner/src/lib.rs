//! A statistical named-entity tagger of our own: an averaged perceptron over hashed
//! features with greedy left-to-right BIO decoding (PER, ORG, LOC, MISC).
//!
//! Why this design: the rule finder in `chronicle-entities` tops out around 85 F1 on
//! CoNLL-2003; a linear model over rich local features (word, shape, affixes, context
//! words, gazetteer hits) reaches close to 90 while tagging hundreds of thousands of tokens
//! per second on one core, with a model file of a few MB that loads in milliseconds and no
//! external runtime. Features are 64-bit hashes (see `features.rs`), weights are held
//! quantised to 8-bit integers in an open-addressing table, so tagging allocates nothing
//! per token. Document context comes in two label-free ways (how a word is cased elsewhere
//! in the article) and one learned way (the labels already given to the same word earlier
//! in the article), so consistency costs no second decoding pass. Word statistics from
//! unlabelled news (see [`Lexicon`]) help with names never seen in training.
//!
//! * [`NerModel`] loads/saves the weights and tags one sentence ([`NerModel::tag`]).
//! * [`NerProvider`] plugs the builtin model into the entity stage as a
//!   [`chronicle_entities::CandidateProvider`].
//! * [`train`] learns a model from CoNLL-style JSONL and picks the best epoch on validation.
//! * [`evaluate`] / [`Scores`] score a model with conlleval's exact-chunk micro F1.

mod eval;
mod features;
mod lexicon;
mod model;
mod provider;
mod syntax;
mod train;

pub use eval::{attach_syntax, chunks, evaluate, evaluate_sentences, read_jsonl, Prf, Scores, Sentence};
pub use lexicon::{corpus_files, read_corpus, Lexicon};
pub use model::{NerModel, TaggedToken};
pub use provider::NerProvider;
pub use syntax::{of_words as syntax_of_words, WordSyntax};
pub use train::{train, EpochReport, TrainOptions, TrainReport};

use chronicle_core::EntityType;

/// Why a model could not be loaded or trained.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    #[error("model file: {0}")]
    Format(String),
    #[error("i/o error on {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Data {
        path: String,
        line: usize,
        message: String,
    },
}

/// A BIO label. `I-X` only ever follows `B-X` or `I-X` in [`NerModel::tag`]'s output
/// (decoding repairs any other sequence), so chunking is unambiguous.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tag {
    O,
    BPer,
    IPer,
    BOrg,
    IOrg,
    BLoc,
    ILoc,
    BMisc,
    IMisc,
}

impl Tag {
    /// All labels in model-class order (the index is the weight column).
    pub const ALL: [Tag; 9] = [
        Tag::O,
        Tag::BPer,
        Tag::IPer,
        Tag::BOrg,
        Tag::IOrg,
        Tag::BLoc,
        Tag::ILoc,
        Tag::BMisc,
        Tag::IMisc,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(i: usize) -> Tag {
        Tag::ALL.get(i).copied().unwrap_or(Tag::O)
    }

    /// CoNLL spelling ("B-PER").
    pub fn as_str(self) -> &'static str {
        match self {
            Tag::O => "O",
            Tag::BPer => "B-PER",
            Tag::IPer => "I-PER",
            Tag::BOrg => "B-ORG",
            Tag::IOrg => "I-ORG",
            Tag::BLoc => "B-LOC",
            Tag::ILoc => "I-LOC",
            Tag::BMisc => "B-MISC",
            Tag::IMisc => "I-MISC",
        }
    }

    /// Parses "B-PER" / "I-LOC" / "O"; unknown labels are `None`.
    pub fn parse(s: &str) -> Option<Tag> {
        Tag::ALL.iter().copied().find(|t| t.as_str() == s)
    }

    /// Entity type of a `B-`/`I-` label.
    pub fn entity_type(self) -> Option<EntityType> {
        match self {
            Tag::O => None,
            Tag::BPer | Tag::IPer => Some(EntityType::Per),
            Tag::BOrg | Tag::IOrg => Some(EntityType::Org),
            Tag::BLoc | Tag::ILoc => Some(EntityType::Loc),
            Tag::BMisc | Tag::IMisc => Some(EntityType::Misc),
        }
    }

    pub fn is_inside(self) -> bool {
        matches!(self, Tag::IPer | Tag::IOrg | Tag::ILoc | Tag::IMisc)
    }

    /// The `B-` label of the same type (`O` stays `O`).
    pub fn begin(self) -> Tag {
        match self {
            Tag::IPer => Tag::BPer,
            Tag::IOrg => Tag::BOrg,
            Tag::ILoc => Tag::BLoc,
            Tag::IMisc => Tag::BMisc,
            t => t,
        }
    }

    /// Whether `self` may follow `prev` in strict IOB2.
    pub fn may_follow(self, prev: Option<Tag>) -> bool {
        if !self.is_inside() {
            return true;
        }
        match prev {
            Some(p) => p != Tag::O && p.entity_type() == self.entity_type(),
            None => false,
        }
    }
}

/// Rewrites any `I-X` that does not continue an `X` chunk into `B-X`, so downstream code
/// never sees a chunk without a start.
pub fn repair_bio(tags: &mut [Tag]) {
    let mut prev: Option<Tag> = None;
    for t in tags.iter_mut() {
        if !t.may_follow(prev) {
            *t = t.begin();
        }
        prev = Some(*t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for t in Tag::ALL {
            assert_eq!(Tag::parse(t.as_str()), Some(t));
            assert_eq!(Tag::from_index(t.index()), t);
        }
        assert_eq!(Tag::parse("B-XYZ"), None);
    }

    #[test]
    fn repair_never_leaves_orphan_inside() {
        let mut t = vec![
            Tag::IPer,
            Tag::IPer,
            Tag::O,
            Tag::ILoc,
            Tag::BOrg,
            Tag::IMisc,
            Tag::IMisc,
        ];
        repair_bio(&mut t);
        assert_eq!(
            t,
            vec![
                Tag::BPer,
                Tag::IPer,
                Tag::O,
                Tag::BLoc,
                Tag::BOrg,
                Tag::BMisc,
                Tag::IMisc
            ]
        );
        let mut prev = None;
        for x in &t {
            assert!(x.may_follow(prev));
            prev = Some(*x);
        }
    }
}
