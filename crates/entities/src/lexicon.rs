//! Word tables, parsed once from the data files compiled into the binary.
//!
//! `ner-tokens.tsv` and `ner-features.tsv` are learned from CoNLL-2003 train by
//! `scripts/learn-name-lists.py` (counts only); the other files are small curated lists.

use chronicle_core::EntityType;
use std::collections::{HashMap as StdHashMap, HashSet as StdHashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// FxHash: the tables are keyed by short words from our own data files, so a fast
/// non-cryptographic hash is safe and several times cheaper than SipHash per lookup.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
}

pub(crate) type HashMap<K, V> = StdHashMap<K, V, BuildHasherDefault<Fx>>;
pub(crate) type HashSet<K> = StdHashSet<K, BuildHasherDefault<Fx>>;

/// Index of a type in the learned count arrays.
pub(crate) const TYPES: [EntityType; 4] = [
    EntityType::Per,
    EntityType::Org,
    EntityType::Loc,
    EntityType::Misc,
];

/// How a title-table phrase behaves in front of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TitleKind {
    /// "Mr", "Dr": marks a person, not kept as the title.
    Honorific,
    /// "Foreign Minister": kept as the entity's title; may carry a sector.
    Office,
    /// "deputy", "presidential": kept only in front of an office.
    Modifier,
}

#[derive(Debug, Clone)]
pub(crate) struct TitleEntry {
    pub sector: Option<&'static str>,
    pub kind: TitleKind,
}

/// A curated actor row (`data/actors.tsv`).
#[derive(Debug, Clone)]
pub(crate) struct CuratedActor {
    pub kind: EntityType,
    pub country: &'static str,
    pub sector: Option<&'static str>,
    /// `person`, `igo`, `metonym`, `alias`, `demonym`.
    pub class: &'static str,
}

pub(crate) struct Lexicon {
    /// Exact token form -> counts [O, PER, ORG, LOC, MISC].
    pub tokens: HashMap<&'static str, [u32; 5]>,
    /// Naive-Bayes feature -> counts [PER, ORG, LOC, MISC].
    /// Feature -> log P(feature | type), smoothed, computed once at load.
    pub features: HashMap<&'static str, [f64; 4]>,
    /// Total feature count per type (for the priors).
    pub feature_totals: [f64; 4],
    /// Lowercased title phrase (words joined by one space) -> entry.
    pub titles: HashMap<&'static str, TitleEntry>,
    pub max_title_words: usize,
    /// First words of office/honorific phrases, for a cheap pre-check.
    pub title_first: HashSet<&'static str>,
    pub roles: HashMap<&'static str, &'static str>,
    pub org_words: HashMap<&'static str, Option<&'static str>>,
    /// Full name -> curated actor; surnames of curated persons map too (`person` class only).
    pub actors: HashMap<&'static str, CuratedActor>,
    pub surnames: HashMap<&'static str, &'static str>,
    pub female: HashSet<&'static str>,
    /// Ordinary lower-case words learned from news corpora (`data/common-lower.txt`).
    pub common: HashSet<&'static str>,
}

fn rows(data: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    data.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

fn opt(s: &'static str) -> Option<&'static str> {
    (s != "-" && !s.is_empty()).then_some(s)
}

fn parse_type(s: &str) -> EntityType {
    match s {
        "PER" => EntityType::Per,
        "ORG" => EntityType::Org,
        "LOC" => EntityType::Loc,
        _ => EntityType::Misc,
    }
}

pub(crate) fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(build)
}

fn build() -> Lexicon {
    let mut tokens = HashMap::default();
    for r in rows(include_str!("../data/ner-tokens.tsv")) {
        if let [w, rest @ ..] = r.as_slice() {
            let mut c = [0u32; 5];
            for (i, v) in rest.iter().take(5).enumerate() {
                c[i] = v.parse().unwrap_or(0);
            }
            tokens.insert(*w, c);
        }
    }
    let mut features = HashMap::default();
    let mut feature_totals = [0f64; 4];
    for r in rows(include_str!("../data/ner-features.tsv")) {
        if let [w, rest @ ..] = r.as_slice() {
            let mut c = [0u32; 4];
            for (i, v) in rest.iter().take(4).enumerate() {
                c[i] = v.parse().unwrap_or(0);
                feature_totals[i] += c[i] as f64;
            }
            features.insert(*w, c);
        }
    }
    let feature_vocab = features.len().max(1) as f64;
    let features: HashMap<&'static str, [f64; 4]> = features
        .into_iter()
        .map(|(k, c): (&'static str, [u32; 4])| {
            let mut lp = [0f64; 4];
            for ((o, n), tot) in lp.iter_mut().zip(c).zip(feature_totals) {
                *o = ((n as f64 + 0.1) / (tot + 0.1 * feature_vocab)).ln();
            }
            (k, lp)
        })
        .collect();
    let mut titles = HashMap::default();
    let mut max_title_words = 1;
    let mut title_first = HashSet::default();
    for r in rows(include_str!("../data/titles.tsv")) {
        if let [p, s, k, ..] = r.as_slice() {
            let kind = match *k {
                "honorific" => TitleKind::Honorific,
                "modifier" => TitleKind::Modifier,
                _ => TitleKind::Office,
            };
            max_title_words = max_title_words.max(p.split(' ').count());
            if kind != TitleKind::Modifier {
                title_first.extend(p.split(' ').next());
            }
            titles.insert(*p, TitleEntry { sector: opt(s), kind });
        }
    }
    let mut roles = HashMap::default();
    for r in rows(include_str!("../data/roles.tsv")) {
        if let [w, s, ..] = r.as_slice() {
            roles.insert(*w, *s);
        }
    }
    let mut org_words = HashMap::default();
    for r in rows(include_str!("../data/orgwords.tsv")) {
        if let [w, s, ..] = r.as_slice() {
            org_words.entry(*w).or_insert(opt(s));
        }
    }
    let mut actors = HashMap::default();
    let mut surnames = HashMap::default();
    for r in rows(include_str!("../data/actors.tsv")) {
        if let [name, t, c, s, class, ..] = r.as_slice() {
            let kind = parse_type(t);
            actors.insert(
                *name,
                CuratedActor {
                    kind,
                    country: c,
                    sector: opt(s),
                    class,
                },
            );
            if *class == "person" {
                // Very short surnames ("Un" of Kim Jong Un) would match too much.
                if let Some(last) = name.rsplit(' ').next().filter(|l| l.len() > 2) {
                    surnames.entry(last).or_insert(*name);
                }
            }
        }
    }
    let mut female: HashSet<&'static str> = include_str!("../data/female-names.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.split_whitespace())
        .collect();
    for r in rows(include_str!("../data/given-names.tsv")) {
        if let [name, f, m, ..] = r.as_slice() {
            if f.parse::<u32>().unwrap_or(0) > m.parse::<u32>().unwrap_or(0) {
                female.insert(name);
            }
        }
    }
    let common = include_str!("../data/common-lower.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect();
    Lexicon {
        common,
        tokens,
        features,
        feature_totals,
        titles,
        max_title_words,
        title_first,
        roles,
        org_words,
        actors,
        surnames,
        female,
    }
}

impl Lexicon {
    /// Counts for a token form; all-caps forms fall back to their title-case spelling.
    pub fn token_counts(&self, w: &str) -> Option<[u32; 5]> {
        self.tokens.get(w).copied()
    }

    /// Share of the form's occurrences that were inside an entity (None when unseen).
    pub fn entity_ratio(&self, w: &str) -> Option<(f64, u32)> {
        let c = self.token_counts(w)?;
        let ent: u32 = c[1..].iter().sum();
        let tot = ent + c[0];
        (tot > 0).then(|| (ent as f64 / tot as f64, tot))
    }

    /// True when the lowercase form is a known ordinary word.
    pub fn is_common_lower(&self, lower: &str) -> bool {
        self.tokens.get(lower).is_some_and(|c| c[0] >= 2) || self.common.contains(lower)
    }

    /// Log-likelihood contribution of one feature for each type (None when unseen).
    pub fn feature_logp(&self, f: &str) -> Option<[f64; 4]> {
        self.features.get(f).copied()
    }

    /// Log prior of each type from the learned totals.
    pub fn log_prior(&self) -> [f64; 4] {
        let t: f64 = self.feature_totals.iter().sum::<f64>().max(1.0);
        self.feature_totals.map(|n| (n.max(1.0) / t).ln())
    }
}
