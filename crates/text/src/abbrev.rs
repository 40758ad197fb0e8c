//! The static abbreviation table behind sentence splitting and period attachment.
//!
//! A period after one of these words belongs to the word ("Gen.", "Inc."), so it is not a
//! sentence end by itself. Whether the abbreviation may still *close* a sentence depends on
//! its class: a title ("Mr.", "Lt.") is always followed by a name, while a company suffix
//! ("Inc.") or a state ("Calif.") often ends a sentence.

use std::collections::HashMap;
use std::sync::OnceLock;

/// How an abbreviation behaves at a potential sentence end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbrevClass {
    /// Titles and months: always followed by more of the same sentence ("Gen. Smith", "Jan. 5").
    NeverFinal,
    /// May end a sentence ("... based in the U.S. The company ...", "Apple Inc. The").
    MayEndSentence,
}

/// Constraint on where an entry applies, to keep common words ("no", "mass") from matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Any case.
    Any,
    /// The word must start with a capital letter ("Mass.", "Mar.").
    Capital,
    /// The next non-space character must be a digit ("No. 10", "Nos. 3 and 4").
    Digit,
}

/// Lowercase abbreviation (without its period), class, constraint.
static TABLE: &[(&str, AbbrevClass, Need)] = {
    use AbbrevClass::{MayEndSentence as F, NeverFinal as N};
    use Need::{Any as A, Capital as C, Digit as D};
    &[
        // Titles and ranks.
        ("mr", N, A),
        ("mrs", N, A),
        ("ms", N, C),
        ("messrs", N, A),
        ("mme", N, C),
        ("mlle", N, C),
        ("dr", N, C),
        ("prof", N, C),
        ("gen", N, C),
        ("gens", N, C),
        ("lt", N, C),
        ("col", N, C),
        ("maj", N, C),
        ("capt", N, C),
        ("cmdr", N, C),
        ("cdr", N, C),
        ("adm", N, C),
        ("brig", N, C),
        ("sgt", N, C),
        ("cpl", N, C),
        ("pvt", N, C),
        ("gov", N, C),
        ("sen", N, C),
        ("sens", N, C),
        ("rep", N, C),
        ("reps", N, C),
        ("rev", N, C),
        ("fr", N, C),
        ("msgr", N, C),
        ("hon", N, C),
        ("pres", N, C),
        ("supt", N, C),
        ("insp", N, C),
        ("det", N, C),
        ("atty", N, C),
        ("st", N, C),
        ("ste", N, C),
        ("mt", N, C),
        ("ft", N, C),
        ("sr", F, C),
        ("jr", F, C),
        // Months (AP style) and the rare abbreviated weekdays.
        ("jan", N, C),
        ("feb", N, C),
        ("mar", N, C),
        ("apr", N, C),
        ("jun", N, C),
        ("jul", N, C),
        ("aug", N, C),
        ("sep", N, C),
        ("sept", N, C),
        ("oct", N, C),
        ("nov", N, C),
        ("dec", N, C),
        ("tues", N, C),
        ("thurs", N, C),
        // Company and organisation suffixes.
        ("inc", F, A),
        ("corp", F, A),
        ("ltd", F, A),
        ("co", F, C),
        ("cos", F, C),
        ("bros", F, C),
        ("plc", F, A),
        ("llc", F, A),
        ("assn", F, C),
        ("dept", F, A),
        ("govt", F, A),
        ("univ", F, C),
        // Reference words.
        ("no", N, D),
        ("nos", N, D),
        ("vol", N, A),
        ("pp", N, A),
        ("fig", N, A),
        ("art", N, D),
        ("para", N, D),
        ("ch", N, D),
        // Latin and general.
        ("etc", F, A),
        ("vs", N, A),
        ("al", F, A),
        ("approx", N, A),
        ("cf", N, A),
        ("viz", N, A),
        ("ca", N, D),
        ("est", N, D),
        // Street words.
        ("ave", F, C),
        ("blvd", F, C),
        ("rd", F, C),
        ("hwy", F, C),
        // US states (AP style).
        ("ala", F, C),
        ("ariz", F, C),
        ("ark", F, C),
        ("calif", F, C),
        ("colo", F, C),
        ("conn", F, C),
        ("del", F, C),
        ("fla", F, C),
        ("ga", F, C),
        ("ill", F, C),
        ("ind", F, C),
        ("kan", F, C),
        ("kans", F, C),
        ("ky", F, C),
        ("la", F, C),
        ("md", F, C),
        ("mass", F, C),
        ("mich", F, C),
        ("minn", F, C),
        ("miss", F, C),
        ("mo", F, C),
        ("mont", F, C),
        ("neb", F, C),
        ("nev", F, C),
        ("okla", F, C),
        ("ore", F, C),
        ("pa", F, C),
        ("tenn", F, C),
        ("tex", F, C),
        ("vt", F, C),
        ("va", F, C),
        ("wash", F, C),
        ("wis", F, C),
        ("wyo", F, C),
    ]
};

fn table() -> &'static HashMap<&'static str, (AbbrevClass, Need)> {
    static MAP: OnceLock<HashMap<&'static str, (AbbrevClass, Need)>> = OnceLock::new();
    MAP.get_or_init(|| TABLE.iter().map(|&(w, c, n)| (w, (c, n))).collect())
}

/// Looks `word` (without its period) up in the table. `next_is_digit` tells whether the
/// next non-space character after the period is a digit ("No. 10").
pub(crate) fn lookup(word: &str, next_is_digit: bool) -> Option<AbbrevClass> {
    if word.len() > 8 || !word.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 8];
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    let lower = std::str::from_utf8(lower).ok()?;
    let &(class, need) = table().get(lower)?;
    let ok = match need {
        Need::Any => true,
        Need::Capital => word.as_bytes().first().is_some_and(|b| b.is_ascii_uppercase()),
        Need::Digit => next_is_digit,
    };
    ok.then_some(class)
}

/// True for a dotted acronym of single letters ("U.S.", "U.N.", "p.m.", "e.g.").
pub(crate) fn is_dotted_acronym(word: &str) -> bool {
    let w = word.strip_suffix('.').unwrap_or(word);
    let mut parts = 0;
    for seg in w.split('.') {
        let mut cs = seg.chars();
        match (cs.next(), cs.next()) {
            (Some(c), None) if c.is_alphabetic() => parts += 1,
            _ => return false,
        }
    }
    parts >= 2
}

/// Whether `word` (with or without its trailing period) is an abbreviation that the
/// sentence splitter treats as such: a table entry ("Gen", "Inc.", "Calif.") or a dotted
/// acronym ("U.S."). Exposed so that later stages (entities, quotes) can tell "Gen." from a
/// sentence-final word the same way the splitter did. Entries that only apply before a
/// number ("No. 10") answer true here as well.
pub fn is_abbreviation(word: &str) -> bool {
    let w = word.strip_suffix('.').unwrap_or(word);
    is_dotted_acronym(w) || lookup(w, true).is_some()
}

/// Capitalised words that typically open a news sentence. After an abbreviation that may
/// end a sentence ("U.S.", "Inc."), a following word from this list is taken as the start of
/// a new sentence; any other capitalised word (a name) is not.
pub(crate) fn is_sentence_starter(word: &str) -> bool {
    static STARTERS: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    STARTERS
        .get_or_init(|| {
            [
                "The",
                "A",
                "An",
                "He",
                "She",
                "It",
                "They",
                "We",
                "I",
                "You",
                "This",
                "That",
                "These",
                "Those",
                "There",
                "Their",
                "His",
                "Her",
                "Its",
                "Our",
                "My",
                "But",
                "And",
                "Or",
                "So",
                "Yet",
                "In",
                "On",
                "At",
                "As",
                "By",
                "For",
                "From",
                "With",
                "Without",
                "Under",
                "Over",
                "If",
                "When",
                "While",
                "Where",
                "Whether",
                "After",
                "Before",
                "Since",
                "Until",
                "During",
                "Although",
                "Though",
                "Because",
                "However",
                "Meanwhile",
                "Moreover",
                "Also",
                "Still",
                "Now",
                "Then",
                "Today",
                "Yesterday",
                "Last",
                "Earlier",
                "Later",
                "According",
                "Some",
                "Many",
                "Most",
                "Several",
                "Such",
                "What",
                "Why",
                "How",
                "Who",
                "Which",
                "Officials",
                "One",
                "Two",
                "Three",
                "No",
                "Not",
                "Both",
                "Each",
                "Other",
                "Another",
                "Mr",
                "Mrs",
                "Ms",
                "Dr",
                "Shares",
                "Analysts",
            ]
            .into_iter()
            .collect()
        })
        .contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lookups_respect_constraints() {
        assert_eq!(lookup("Gen", false), Some(AbbrevClass::NeverFinal));
        assert_eq!(lookup("Inc", false), Some(AbbrevClass::MayEndSentence));
        assert_eq!(lookup("No", false), None);
        assert_eq!(lookup("No", true), Some(AbbrevClass::NeverFinal));
        assert_eq!(lookup("mass", false), None);
        assert_eq!(lookup("Mass", false), Some(AbbrevClass::MayEndSentence));
        assert_eq!(lookup("Trump", false), None);
        assert_eq!(lookup("Überlänge", false), None);
    }

    #[test]
    fn public_predicate() {
        assert!(is_abbreviation("U.S."));
        assert!(is_abbreviation("U.N"));
        assert!(is_abbreviation("p.m."));
        assert!(is_abbreviation("Lt."));
        assert!(is_abbreviation("Corp"));
        assert!(!is_abbreviation("Trump."));
        assert!(!is_abbreviation("US"));
        assert!(!is_abbreviation("."));
        assert!(!is_abbreviation(""));
    }
}
