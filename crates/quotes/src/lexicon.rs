//! Word lists for cue and speaker detection, built once per process.
//!
//! The cue table is a hand-written core (verbs every style guide lists) plus words learned
//! from PolNeAR train by `scripts/learn-cues.py` (`data/cues.tsv`: how often a word heads an
//! annotated cue versus how often it occurs at all). Learned words are admitted only when that
//! ratio says they are usually reporting verbs, so "called" gets in and "has" never does.

use std::collections::HashSet as StdHashSet;
use std::sync::OnceLock;

type HashSet<T> = StdHashSet<T, chronicle_core::words::FnvBuild>;

/// Reporting verbs and verb forms that introduce speech in news text.
const CORE_CUES: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "tell",
    "telling",
    "added",
    "adds",
    "adding",
    "insisted",
    "insists",
    "insisting",
    "warned",
    "warns",
    "warning",
    "urged",
    "urges",
    "urging",
    "noted",
    "noting",
    "stressed",
    "stresses",
    "stressing",
    "admitted",
    "admits",
    "admitting",
    "confirmed",
    "confirms",
    "confirming",
    "announced",
    "announces",
    "announcing",
    "claimed",
    "claiming",
    "argued",
    "argues",
    "arguing",
    "explained",
    "explains",
    "explaining",
    "wrote",
    "writes",
    "writing",
    "asked",
    "replied",
    "declared",
    "declaring",
    "revealed",
    "reveals",
    "acknowledged",
    "acknowledges",
    "suggested",
    "reported",
    "tweeted",
    "stated",
    "warn",
    "insist",
    "argue",
    "claim",
    "deny",
    "admit",
    "explain",
    "confirm",
    "responded",
    "responds",
    "demanded",
    "accused",
    "accuses",
    "accusing",
    "denied",
    "denies",
    "alleged",
    "alleges",
    "predicted",
    "promised",
    "vowed",
    "pledged",
    "recalled",
    "remarked",
    "observed",
    "countered",
    "conceded",
    "emphasised",
    "emphasized",
    "underlined",
    "reiterated",
    "maintained",
    "contended",
    "complained",
    "cautioned",
    "assured",
    "boasted",
    "quipped",
    "lamented",
    "estimated",
];

/// Adverbs and fragments that the learning script can mistake for cue heads.
const NOT_CUES: &[&str] = &[
    "previously",
    "repeatedly",
    "widely",
    "publicly",
    "reportedly",
    "re",
    "ve",
    "known",
    "ll",
    "later",
    "recently",
    "once",
    "again",
    "never",
    "already",
    "just",
    "still",
    "even",
    "often",
    "really",
];

/// Verbs whose addressee comes before the reported content ("told reporters that ...").
const TELL_VERBS: &[&str] = &[
    "told", "tells", "tell", "telling", "urged", "urges", "urging", "asked", "asks", "asking", "warned",
    "warns", "warning", "assured", "assuring", "reminded", "informed", "accused", "accuses", "accusing",
    "urge", "ask",
];

/// Words skipped between a speaker and its cue ("Putin has also said").
const AUX: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "later",
    "then",
    "previously",
    "repeatedly",
    "again",
    "once",
    "publicly",
    "reportedly",
    "recently",
    "further",
    "simply",
    "would",
    "will",
    "could",
    "may",
    "might",
    "did",
    "does",
    "do",
    "privately",
    "initially",
    "earlier",
    "first",
    "last",
    "subsequently",
    "quickly",
    "flatly",
    "bluntly",
    "angrily",
    "frequently",
    "often",
    "since",
    "been",
    "had",
    "just",
    "even",
    "still",
    "is",
    "was",
    "were",
    "are",
    "be",
    "never",
    "not",
];

/// Pronouns that can stand as speakers.
const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i", "you", "who", "which"];

/// Words that cannot head (or sit inside) a speaker noun phrase.
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as",
    "that", "this", "these", "those", "there", "here", "what", "when", "where", "while", "because", "if",
    "than", "then", "so", "not", "no", "is", "was", "were", "are", "be", "been", "has", "have", "had",
    "will", "would", "can", "could", "should", "may", "might", "must", "do", "does", "did", "it", "its",
    "his", "her", "their", "our", "my", "your", "him", "them", "us", "me", "also", "about", "into", "over",
    "after", "before", "since", "until", "which", "who", "whom", "whose", "all", "any", "some", "such",
    "only", "just", "more", "most", "very", "too", "how", "why", "however", "yet", "both", "either",
    "neither", "whether", "though", "although", "against", "between", "under", "up", "out", "off", "down",
];

/// Determiners and quantifiers that may open an unnamed source ("a source", "two officials").
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "another", "some", "many", "several", "two", "three", "few", "most", "other", "one",
    "both", "senior", "top", "western", "european", "local", "my", "his", "her", "their", "our", "your",
    "its",
];

/// Sentence openers that are not part of a subject ("However, he said").
const OPENERS: &[&str] = &[
    "but",
    "and",
    "however",
    "so",
    "yet",
    "then",
    "meanwhile",
    "still",
    "speaking",
    "now",
    "also",
    "in",
    "on",
    "at",
    "after",
    "before",
    "earlier",
    "later",
    "without",
    "with",
    "while",
    "although",
    "though",
    "when",
    "as",
    "since",
    "for",
    "during",
    "last",
    "this",
    "today",
    "yesterday",
    "instead",
    "indeed",
];

/// Time words that may sit between a cue and its content ("insisted on Wednesday it was").
const TIME_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "week",
    "month",
    "year",
    "night",
    "morning",
    "evening",
    "afternoon",
    "weekend",
    "today",
    "tuesday's",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "sept",
    "jan",
    "feb",
    "aug",
    "oct",
    "nov",
    "dec",
    "tonight",
    "yesterday",
];

/// Nouns that carry a report when owned by a speaker ("Peskov's statement that ...").
const CUE_NOUNS: &[&str] = &[
    "statement",
    "claim",
    "claims",
    "assertion",
    "remarks",
    "comments",
    "comment",
    "warning",
    "announcement",
    "insistence",
    "argument",
    "suggestion",
    "allegation",
    "admission",
    "contention",
    "view",
    "belief",
];

/// The learned table, committed as counts only.
const LEARNED: &str = include_str!("../data/cues.tsv");

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
}

impl Lexicon {
    pub(crate) fn get() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(Lexicon::build)
    }

    fn build() -> Lexicon {
        let not: HashSet<&str> = NOT_CUES.iter().copied().collect();
        let mut cues: HashSet<&'static str> = CORE_CUES.iter().copied().collect();
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
        let set = |v: &[&'static str]| v.iter().copied().collect::<HashSet<&'static str>>();
        for w in CORE_CUES {
            score.insert(w, 6);
        }
        let mut lex = Lexicon {
            cues,
            strong,
            score,
            core: set(CORE_CUES),
            tell: set(TELL_VERBS),
            aux: set(AUX),
            pronouns: set(PRONOUNS),
            function: set(FUNCTION_WORDS),
            determiners: set(DETERMINERS),
            openers: set(OPENERS),
            time: set(TIME_WORDS),
            cue_nouns: set(CUE_NOUNS),
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
