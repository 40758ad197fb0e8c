//! Chronicle's shared vocabulary: one [`Document`] that carries the cleaned article text and
//! a typed layer per stage (paragraphs, sentences, tokens, entities, places, time expressions,
//! quotes, events), plus the [`Stage`] trait and the [`Pipeline`] that checks stage order.
//!
//! Every span in every layer is a [`Span`] of **Unicode code point** offsets into
//! [`Document::text`], half-open, because that is what the public record carries and what
//! Python's `text[start:end]` slices. Stages that scan bytes convert once through
//! [`Document::byte_to_char`] / [`Document::char_to_byte`].
//!
//! This crate knows nothing of JSON, files or HTTP; those live at the edge (record, cli).

mod document;
mod layers;
mod pipeline;
mod span;
mod syntax;
mod upos;
pub mod words;

pub use document::{Diagnostic, Document, Severity};
pub use layers::*;
pub use pipeline::{Layer, Pipeline, PipelineError, Stage};
pub use span::Span;
pub use syntax::{Deprel, Feats, Mood, Number, Tense, TokenSyntax, VerbForm, Xpos};
pub use upos::{UnknownUpos, Upos};

/// Re-exported so every stage agrees on one date type.
pub use chrono::NaiveDate;
