//! Which language an article is in, and whether the stages can read it.
//!
//! The stages' word tables and models are English, so an article reliably identified as
//! another language is reported with its text and language but no layers (`skipped:
//! "language es"`), rather than being annotated as English: a Spanish page read as English
//! gives nonsense names and events. Identification (the `whatlang` crate: trigram profiles,
//! pure Rust) is trusted only on whole articles with at least [`MIN_LETTERS`] letters and
//! at [`MIN_CONFIDENCE`] or more, so a headline or a short English sentence is never
//! skipped: below those thresholds the text is processed as English and `language` is null.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Letters a text needs before its identified language is trusted.
pub const MIN_LETTERS: usize = 200;
/// whatlang's confidence (0..1) an identification needs to be trusted.
pub const MIN_CONFIDENCE: f64 = 0.9;
/// Only the first this many bytes are looked at (the language of an article is settled
/// long before its end, and identification stays cheap on long pages).
const SAMPLE_BYTES: usize = 8 * 1024;
/// The languages the stages read.
pub const SUPPORTED: &[&str] = &["en"];

fn iso639_1() -> &'static HashMap<&'static str, &'static str> {
    static M: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    M.get_or_init(|| {
        include_str!("../data/iso639.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .collect()
    })
}

/// The text's language as ISO 639-1 ("es") when identified reliably (see the module doc),
/// else `None`.
pub fn identify(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() || info.confidence() < MIN_CONFIDENCE {
        return None;
    }
    iso639_1().get(info.lang().code()).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Written for this test (not taken from any source).
    const SPANISH: &str = "El gobierno regional anunció el martes un nuevo plan para reparar \
        las carreteras dañadas por las lluvias del invierno. Según el consejero de obras \
        públicas, las obras empezarán en abril y durarán casi un año, aunque los alcaldes de \
        varios pueblos del norte piden que se dé prioridad a los puentes que siguen cerrados.";
    const ENGLISH: &str = "The regional government announced on Tuesday a new plan to repair \
        the roads damaged by the winter rains. According to the public works minister, the \
        work will begin in April and last almost a year, although the mayors of several \
        northern towns want priority given to the bridges that remain closed.";

    #[test]
    fn whole_paragraphs_are_identified() {
        assert_eq!(identify(SPANISH), Some("es"));
        assert_eq!(identify(ENGLISH), Some("en"));
    }

    #[test]
    fn short_texts_are_not_judged() {
        assert_eq!(identify("Putin meets Trump in Helsinki"), None);
        assert_eq!(identify("El gobierno anunció un plan"), None);
        assert_eq!(identify(""), None);
    }

    #[test]
    fn every_identifiable_language_has_a_two_letter_code() {
        for code in ["eng", "spa", "rus", "cmn", "pes", "cym"] {
            assert_eq!(iso639_1().get(code).map(|c| c.len()), Some(2), "{code}");
        }
    }
}
