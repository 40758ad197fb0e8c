//! Syntax for Chronicle: a part-of-speech tagger (UPOS + Penn XPOS), a lemmatiser with
//! morphological features, and a labelled dependency parser for English, learned from
//! Universal Dependencies (UD English-EWT) with averaged perceptrons, in pure Rust.
//!
//! - [`SyntaxModel::builtin`] loads the committed model once; [`SyntaxModel::analyse`]
//!   takes a sentence as words and returns per word [`Upos`], XPOS, lemma, features, head
//!   (0 = root) and relation.
//! - [`conllu`] reads and writes CoNLL-U; [`eval`] scores with the CoNLL 2018 definitions.
//! - [`train::train`] learns a model from CoNLL-U (deterministic for a given seed).

pub mod clusters;
pub mod conllu;
pub mod eval;
pub mod train;

mod bin;
mod hash;
mod lemma;
mod model;
mod parser;
mod perceptron;
mod stage;
mod tagger;
mod upos;
mod words;

pub use model::{Analysis, Scratch, SyntaxModel, FEATURE_VERSION};
pub use stage::SyntaxStage;
pub use upos::{UnknownUpos, Upos};
pub use words::Clusters;

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum SyntaxError {
    /// The model bytes are not a valid model file.
    #[error("syntax model: {0}")]
    Format(String),
    /// The model was trained with another feature extraction and must be retrained.
    #[error("syntax model was trained with feature version {found}, this build uses {expected}; retrain it")]
    FeatureVersion { found: u32, expected: u32 },
    /// The committed model failed to load (message of the original error).
    #[error("built-in syntax model: {0}")]
    Builtin(String),
    /// Malformed CoNLL-U (line 0 = whole-sentence problem).
    #[error("CoNLL-U line {line}: {msg}")]
    Conllu { line: usize, msg: String },
    /// A UPOS column that is not one of the 17 tags.
    #[error(transparent)]
    Upos(#[from] UnknownUpos),
    /// Gold and predicted data do not line up, or training data lacks annotation.
    #[error("mismatch: {0}")]
    Mismatch(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}
