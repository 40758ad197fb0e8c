//! The edge between Chronicle's typed [`chronicle_core::Document`] and the public JSON record
//! format of `CONTRACT.md` (schema 1). Input lines become [`InputArticle`]s; processed
//! documents become [`Record`]s. Field names here are a public promise: add, never rename.

mod input;
mod output;

pub use input::{parse_published, InputArticle, InputError};
pub use output::{
    ActorOut, EntityOut, EventOut, GeoOut, LocationOut, ParticipantOut, PloverOut, QuoteOut, Record,
    TimexOut, SCHEMA,
};
