//! The closed word lists the events stage consults (speech verbs, victim nouns, words
//! that end a clause...), read from `data/word-lists.tsv` so each word has one home and
//! the lists can be reviewed without reading Rust.

use chronicle_core::words::FnvBuild;
use std::collections::HashMap;
use std::sync::OnceLock;

const WORD_LISTS_TSV: &str = include_str!("../data/word-lists.tsv");

/// One list of `data/word-lists.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum List {
    /// Forms of "be" (passives, copulas)
    Be,
    /// Words skipped between an auxiliary and its verb
    AuxSkip,
    /// Modals and "to": what follows is not (yet) done
    ModalOrTo,
    /// Speech verbs: a clause they govern is reported
    Speech,
    /// Words that end a subject's reach back from its verb
    Barrier,
    /// Words opening a relative or temporal clause attached to an earlier event
    Subordinate,
    /// Sentence-initial subordinators (the sentence's first clause is background)
    Subordinator,
    /// Words the broad PETRARCH table must never code: auxiliaries and light verbs
    PetrStop,
    /// Head nouns that make a country-named actor a firm ("its Dutch parent")
    BusinessHead,
    /// Verbs of declaring (a statement, not an act)
    Declare,
    /// Nouns of people who are killed or wounded (casualty counts)
    VictimNoun,
    /// Words of killing
    KillWord,
    /// Words of wounding
    WoundWord,
    /// Singular person nouns: "the young boy died" counts one
    SingularVictim,
    /// Vague counts and the figure ACLED codes for them ("dozens" 12): third column
    VagueCount,
    /// Nouns whose stated number is a death count ("death toll rose to 12", "12 bodies")
    DeathCount,
    /// Lemmas of verbs that report what their clausal complement says ("X said Y attacked
    /// Z": Y's attack, reported by X)
    ReportVerb,
    /// Lemmas of verbs that deny what their complement says ("X denied its troops shelled")
    DenyVerb,
}

impl List {
    pub(crate) const ALL: [List; 18] = [
        List::Be,
        List::AuxSkip,
        List::ModalOrTo,
        List::Speech,
        List::Barrier,
        List::Subordinate,
        List::Subordinator,
        List::PetrStop,
        List::BusinessHead,
        List::Declare,
        List::VictimNoun,
        List::KillWord,
        List::WoundWord,
        List::SingularVictim,
        List::VagueCount,
        List::DeathCount,
        List::ReportVerb,
        List::DenyVerb,
    ];

    /// The list's name in the data file.
    pub(crate) fn key(self) -> &'static str {
        match self {
            List::Be => "be",
            List::AuxSkip => "aux-skip",
            List::ModalOrTo => "modal-or-to",
            List::Speech => "speech",
            List::Barrier => "barrier",
            List::Subordinate => "subordinate",
            List::Subordinator => "subordinator",
            List::PetrStop => "petr-stop",
            List::BusinessHead => "business-head",
            List::Declare => "declare",
            List::VictimNoun => "victim-noun",
            List::KillWord => "kill-word",
            List::WoundWord => "wound-word",
            List::SingularVictim => "singular-victim",
            List::VagueCount => "vague-count",
            List::DeathCount => "death-count",
            List::ReportVerb => "report-verb",
            List::DenyVerb => "deny-verb",
        }
    }

    /// Whether `word` (lower case) is on the list.
    pub(crate) fn has(self, word: &str) -> bool {
        tables().get(&self).is_some_and(|s| s.contains_key(word))
    }

    /// The value a row gives its word in a third column ("vague-count  dozens  12"), if any.
    pub(crate) fn value(self, word: &str) -> Option<&'static str> {
        tables().get(&self).and_then(|s| s.get(word)).copied().flatten()
    }
}

/// Per list, its words and each word's optional third-column value.
type Tables = HashMap<List, HashMap<&'static str, Option<&'static str>, FnvBuild>>;

/// The lists, parsed once. The file is compiled in and every row is checked by a test,
/// so a row naming no list can only be a programming error; it is skipped, not fatal.
fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| parse(WORD_LISTS_TSV).0)
}

/// The lists and the 1-based line numbers of rows that name no list.
fn parse(src: &'static str) -> (Tables, Vec<usize>) {
    let mut t: Tables = HashMap::new();
    let mut bad = Vec::new();
    for (no, line) in src.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let list = line
            .split_once('\t')
            .and_then(|(k, w)| List::ALL.iter().find(|l| l.key() == k).map(|l| (*l, w)));
        match list {
            Some((l, w)) => {
                let (w, v) = match w.split_once('\t') {
                    Some((w, v)) => (w, Some(v)),
                    None => (w, None),
                };
                t.entry(l).or_default().insert(w, v);
            }
            None => bad.push(no + 1),
        }
    }
    (t, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_names_a_list_and_every_list_has_words() {
        let (t, bad) = parse(WORD_LISTS_TSV);
        assert!(bad.is_empty(), "rows naming no list at lines {bad:?}");
        for l in List::ALL {
            assert!(t.get(&l).is_some_and(|s| !s.is_empty()), "{} is empty", l.key());
        }
        assert!(List::Speech.has("said") && !List::Speech.has("attacked"));
        // A value list gives every word a number.
        for (w, v) in t.get(&List::VagueCount).into_iter().flatten() {
            assert!(
                v.and_then(|v| v.parse::<u32>().ok()).is_some(),
                "vague-count {w} has no number"
            );
        }
    }
}
