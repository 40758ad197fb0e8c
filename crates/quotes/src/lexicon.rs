//! Word lists for cue and speaker detection, built once per process.
//!
//! The cue table is a hand-written core (verbs every style guide lists) plus words learned
//! from PolNeAR train by `scripts/learn-cues.py` (`data/cues.tsv`: how often a word heads an
//! annotated cue versus how often it occurs at all). Learned words are admitted only when that
//! ratio says they are usually reporting verbs, so "called" gets in and "has" never does.

use std::collections::HashSet as StdHashSet;
use std::sync::OnceLock;

type HashSet<T> = StdHashSet<T, chronicle_core::words::FnvBuild>;

/// The learned table, committed as counts only.
const LEARNED: &str = include_str!("../data/cues.tsv");

/// The hand-kept word lists (`data/words.tsv`: `LIST<TAB>word` lines).
const WORDS: &str = include_str!("../data/words.tsv");

/// The words of one list of [`WORDS`].
fn list(name: &str) -> impl Iterator<Item = &'static str> + '_ {
    WORDS.lines().filter_map(move |l| {
        let (n, w) = l.split_once('\t')?;
        (n == name && !l.starts_with('#')).then_some(w)
    })
}

/// A word that is a cue in under a quarter of its uses gets a cue score (and makes the
/// attribution tagger read its sentence) only when PolNeAR train has it as a cue this often
/// ("believe", "support", "wants", "show"): rarer weak cues cost the tagger a pass over
/// most sentences for no gain (dev overlap F1 63.0 at 32, 62.8 when every word seen twice
/// counts, 62.5 with none; the quote stage's time grows by half with every word).
const MIN_WEAK_CUE_USES: u32 = 32;

/// A learned word joins the cue table when at least this many annotated cues use it ...
const MIN_CUE_COUNT: u32 = 4;
/// ... and it is a cue in at least this share of its occurrences.
const MIN_CUE_RATIO: f64 = 0.3;
/// Learned cues this reliable (and this frequent) need no "that" to report.
const STRONG_CUE_RATIO: f64 = 0.3;
const STRONG_CUE_COUNT: u32 = 5;

/// Everything the lexicon knows of one word, looked up once per token (the rules ask a
/// token's classes many times; one hash lookup instead of one per question).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct WordClass {
    bits: u16,
    /// How strongly the word signals a report, 0 (never seen as a cue) to 6 (a hand-listed
    /// reporting verb): the learned cue ratio in steps, for the attribution tagger.
    pub(crate) score: u8,
}

const CUE: u16 = 1;
const STRONG: u16 = 1 << 1;
const CORE: u16 = 1 << 2;
const TELL: u16 = 1 << 3;
const AUX_W: u16 = 1 << 4;
const PRONOUN: u16 = 1 << 5;
const FUNCTION: u16 = 1 << 6;
const DETERMINER: u16 = 1 << 7;
const OPENER: u16 = 1 << 8;
const TIME: u16 = 1 << 9;
const CUE_NOUN: u16 = 1 << 10;

impl WordClass {
    pub(crate) fn cue(self) -> bool {
        self.bits & CUE != 0
    }
    pub(crate) fn strong(self) -> bool {
        self.bits & STRONG != 0
    }
    pub(crate) fn core(self) -> bool {
        self.bits & CORE != 0
    }
    pub(crate) fn tell(self) -> bool {
        self.bits & TELL != 0
    }
    pub(crate) fn aux(self) -> bool {
        self.bits & AUX_W != 0
    }
    pub(crate) fn pronoun(self) -> bool {
        self.bits & PRONOUN != 0
    }
    pub(crate) fn function(self) -> bool {
        self.bits & FUNCTION != 0
    }
    pub(crate) fn determiner(self) -> bool {
        self.bits & DETERMINER != 0
    }
    pub(crate) fn opener(self) -> bool {
        self.bits & OPENER != 0
    }
    pub(crate) fn time(self) -> bool {
        self.bits & TIME != 0
    }
    pub(crate) fn cue_noun(self) -> bool {
        self.bits & CUE_NOUN != 0
    }
}

pub(crate) struct Lexicon {
    /// The union of the tables below, per word.
    classes: std::collections::HashMap<&'static str, WordClass, chronicle_core::words::FnvBuild>,
    cues: HashSet<&'static str>,
    /// Learned cues that head an annotated cue in at least [`STRONG_CUE_RATIO`] of their
    /// uses: they report whatever complement follows ("vowed to", "wants", "praised").
    strong: HashSet<&'static str>,
    /// [`WordClass::score`] of every word that has one.
    score: std::collections::HashMap<&'static str, u8, chronicle_core::words::FnvBuild>,
    core: HashSet<&'static str>,
    tell: HashSet<&'static str>,
    aux: HashSet<&'static str>,
    pronouns: HashSet<&'static str>,
    function: HashSet<&'static str>,
    determiners: HashSet<&'static str>,
    openers: HashSet<&'static str>,
    time: HashSet<&'static str>,
    cue_nouns: HashSet<&'static str>,
    title_abbrs: HashSet<&'static str>,
    source_nouns: HashSet<&'static str>,
}

impl Lexicon {
    pub(crate) fn get() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(Lexicon::build)
    }

    fn build() -> Lexicon {
        let not: HashSet<&str> = list("not-cue").collect();
        let mut cues: HashSet<&'static str> = list("core-cue").collect();
        let mut strong: HashSet<&'static str> = HashSet::default();
        let mut score: std::collections::HashMap<&'static str, u8, chronicle_core::words::FnvBuild> =
            std::collections::HashMap::default();
        for line in LEARNED.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut f = line.split('\t');
            let (Some(w), Some(n), Some(t)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let (Ok(n), Ok(t)) = (n.trim().parse::<u32>(), t.trim().parse::<u32>()) else {
                continue;
            };
            if t > 0 && n >= 2 {
                let r = n as f32 / t as f32;
                if r >= 0.25 || n >= MIN_WEAK_CUE_USES {
                    score.insert(w, 1 + (r * 4.0).min(4.0) as u8);
                }
            }
            if n >= MIN_CUE_COUNT && t > 0 && f64::from(n) / f64::from(t) >= MIN_CUE_RATIO && !not.contains(w)
            {
                cues.insert(w);
                if n >= STRONG_CUE_COUNT && f64::from(n) / f64::from(t) >= STRONG_CUE_RATIO {
                    strong.insert(w);
                }
            }
        }
        let set = |name: &str| list(name).collect::<HashSet<&'static str>>();
        for w in list("core-cue") {
            score.insert(w, 6);
        }
        let mut lex = Lexicon {
            cues,
            strong,
            score,
            core: set("core-cue"),
            tell: set("tell-verb"),
            aux: set("aux"),
            pronouns: set("pronoun"),
            function: set("function"),
            determiners: set("determiner"),
            openers: set("opener"),
            time: set("time"),
            cue_nouns: set("cue-noun"),
            title_abbrs: set("title-abbr"),
            source_nouns: set("source-noun"),
            classes: Default::default(),
        };
        let mut classes: std::collections::HashMap<&'static str, WordClass, chronicle_core::words::FnvBuild> =
            Default::default();
        let tables: [(&HashSet<&'static str>, u16); 11] = [
            (&lex.cues, CUE),
            (&lex.strong, STRONG),
            (&lex.core, CORE),
            (&lex.tell, TELL),
            (&lex.aux, AUX_W),
            (&lex.pronouns, PRONOUN),
            (&lex.function, FUNCTION),
            (&lex.determiners, DETERMINER),
            (&lex.openers, OPENER),
            (&lex.time, TIME),
            (&lex.cue_nouns, CUE_NOUN),
        ];
        for (set, bit) in tables {
            for &w in set {
                classes.entry(w).or_default().bits |= bit;
            }
        }
        for (&w, &sc) in &lex.score {
            classes.entry(w).or_default().score = sc;
        }
        lex.classes = classes;
        lex
    }

    /// The classes of a (lower-cased) word.
    pub(crate) fn classify(&self, w: &str) -> WordClass {
        self.classes.get(w).copied().unwrap_or_default()
    }

    /// Abbreviated titles that sit before a name with a period ("Sen. Graham").
    pub(crate) fn is_title_abbr(&self, w: &str) -> bool {
        self.title_abbrs.contains(w)
    }

    /// Person and body nouns that can head an unnamed source ("a senior official").
    pub(crate) fn is_source_noun(&self, w: &str) -> bool {
        self.source_nouns.contains(w)
    }

    pub(crate) fn is_cue(&self, w: &str) -> bool {
        self.cues.contains(w)
    }
    pub(crate) fn is_function(&self, w: &str) -> bool {
        self.function.contains(w)
    }
    pub(crate) fn is_time(&self, w: &str) -> bool {
        self.time.contains(w)
    }
    pub(crate) fn cue_list(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.cues.iter().copied().collect();
        v.sort_unstable();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTS: &[&str] = &[
        "core-cue",
        "not-cue",
        "tell-verb",
        "aux",
        "pronoun",
        "function",
        "determiner",
        "opener",
        "time",
        "cue-noun",
        "title-abbr",
        "source-noun",
    ];

    #[test]
    fn every_word_line_names_a_known_list_and_no_list_is_empty() {
        for (i, l) in WORDS.lines().enumerate() {
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let (n, w) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("words.tsv:{}: no tab", i + 1));
            assert!(LISTS.contains(&n), "words.tsv:{}: unknown list {n:?}", i + 1);
            assert!(
                !w.is_empty() && w == w.trim(),
                "words.tsv:{}: bad word {w:?}",
                i + 1
            );
        }
        for name in LISTS {
            assert!(list(name).next().is_some(), "list {name} is empty");
        }
        assert!(Lexicon::get().is_cue("said"));
    }
}
