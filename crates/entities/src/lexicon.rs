//! Word tables, parsed once from the data files compiled into the binary.
//!
//! `ner-tokens.tsv` and `ner-features.tsv` are learned from CoNLL-2003 train by
//! `scripts/learn-name-lists.py` (counts only); the other files are small curated lists.

use chronicle_core::{EntityType, NaiveDate};
use std::collections::{HashMap as StdHashMap, HashSet as StdHashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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

/// One dated role of a curated person (`since` inclusive, `until` exclusive; `None` = open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tenure {
    pub country: &'static str,
    pub sector: Option<&'static str>,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Human-readable office; informational (the record's title comes from the text only).
    #[allow(dead_code)]
    pub role: &'static str,
}

impl Tenure {
    fn covers(&self, d: NaiveDate) -> bool {
        self.since.is_none_or(|s| s <= d) && self.until.is_none_or(|u| d < u)
    }
}

/// Country and sector of a curated person on `date` (see `data/README.md`):
/// the role held that day (the latest-starting one if several); out of office, the country
/// of the nearest role with no sector (a former or future office-holder is not the
/// government); with no date, the most recent role.
pub(crate) fn role_on(
    tenures: &[Tenure],
    date: Option<NaiveDate>,
) -> Option<(&'static str, Option<&'static str>)> {
    let latest = |it: &mut dyn Iterator<Item = &Tenure>| -> Option<(&'static str, Option<&'static str>)> {
        it.max_by_key(|t| (t.since.unwrap_or(NaiveDate::MIN), t.until.is_none()))
            .map(|t| (t.country, t.sector))
    };
    let Some(d) = date else {
        return latest(&mut tenures.iter());
    };
    if let Some(r) = latest(&mut tenures.iter().filter(|t| t.covers(d))) {
        return Some(r);
    }
    let past = tenures
        .iter()
        .filter(|t| t.until.is_some_and(|u| u <= d))
        .max_by_key(|t| t.until);
    let future = || tenures.iter().min_by_key(|t| t.since);
    past.or_else(future).map(|t| (t.country, None))
}

/// True when the person holds a role on `date` (always, without a date).
pub(crate) fn in_office(tenures: &[Tenure], date: Option<NaiveDate>) -> bool {
    date.is_none_or(|d| tenures.iter().any(|t| t.covers(d)))
}

const ACTOR_CLASSES: &[&str] = &["person", "person-full", "igo", "metonym", "alias", "demonym"];

#[derive(Default)]
pub(crate) struct ActorTables {
    pub actors: HashMap<&'static str, CuratedActor>,
    pub persons: HashMap<&'static str, Vec<Tenure>>,
    pub person_keys: HashMap<&'static str, &'static str>,
    pub surnames: HashMap<&'static str, Vec<&'static str>>,
}

fn is_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the first day of a year/month when coarse);
/// `Ok(None)` for `-` or empty.
fn parse_date(s: &str) -> Result<Option<NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() || s == "-" {
        return Ok(None);
    }
    let mut it = s.split('-');
    let num = |p: Option<&str>, len: usize| -> Result<Option<u32>, String> {
        match p {
            None => Ok(None),
            Some(p) if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) => Ok(p.parse().ok()),
            Some(_) => Err(format!("bad date `{s}` (want YYYY-MM-DD)")),
        }
    };
    let y = num(it.next(), 4)?.ok_or_else(|| format!("bad date `{s}`"))?;
    let m = num(it.next(), 2)?.unwrap_or(1);
    let d = num(it.next(), 2)?.unwrap_or(1);
    if it.next().is_some() {
        return Err(format!("bad date `{s}` (want YYYY-MM-DD)"));
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
        .map(Some)
        .ok_or_else(|| format!("no such date `{s}`"))
}

/// Parses one actors file into `t`. Columns: `name type country sector kind [since until
/// role]`; a person's name may list spellings separated by `|`. In a user file, the first
/// row for a person already known replaces all its built-in roles. Bad rows are skipped
/// and reported in `errors` as `label:line: problem`.
pub(crate) fn parse_actors(
    src: &'static str,
    label: &str,
    user: bool,
    t: &mut ActorTables,
    errors: &mut Vec<String>,
) {
    let mut replaced: HashSet<&'static str> = HashSet::default();
    for (no, line) in src.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut err = |msg: String| errors.push(format!("{label}:{}: {msg}", no + 1));
        let cols: Vec<&'static str> = line.split('\t').map(str::trim).collect();
        let [name, ty, country, sector, class, rest @ ..] = cols.as_slice() else {
            err("want tab-separated `name type country sector kind [since until role]`".into());
            continue;
        };
        let kind = match *ty {
            "PER" => EntityType::Per,
            "ORG" => EntityType::Org,
            "LOC" => EntityType::Loc,
            "MISC" => EntityType::Misc,
            _ => {
                err(format!("type `{ty}` is not PER, ORG, LOC or MISC"));
                continue;
            }
        };
        if name.is_empty() || name.split('|').any(|n| n.trim().is_empty()) {
            err("empty name".into());
            continue;
        }
        if !is_code(country) {
            err(format!("country `{country}` is not a 3-letter upper-case code"));
            continue;
        }
        let sector = opt(sector);
        if sector.is_some_and(|s| !is_code(s)) {
            err(format!(
                "sector `{}` is not `-` or a 3-letter upper-case code",
                cols[3]
            ));
            continue;
        }
        let Some(class) = ACTOR_CLASSES.iter().find(|c| *c == class).copied() else {
            err(format!(
                "kind `{class}` is not one of {}",
                ACTOR_CLASSES.join(", ")
            ));
            continue;
        };
        let (since, until) = match (
            parse_date(rest.first().copied().unwrap_or("")),
            parse_date(rest.get(1).copied().unwrap_or("")),
        ) {
            (Ok(s), Ok(u)) => (s, u),
            (Err(e), _) | (_, Err(e)) => {
                err(e);
                continue;
            }
        };
        if let (Some(s), Some(u)) = (since, until) {
            if s >= u {
                err(format!("since {s} is not before until {u}"));
                continue;
            }
        }
        let role = rest.get(2).copied().unwrap_or("");
        let person = class.starts_with("person");
        if !person {
            for n in name.split('|').map(str::trim) {
                t.actors.insert(
                    n,
                    CuratedActor {
                        kind,
                        country,
                        sector,
                        class,
                    },
                );
            }
            continue;
        }
        let spellings: Vec<&'static str> = name.split('|').map(str::trim).collect();
        let canon = spellings
            .iter()
            .find_map(|n| t.person_keys.get(n).copied())
            .unwrap_or(spellings[0]);
        let tenures = t.persons.entry(canon).or_default();
        if user && replaced.insert(canon) {
            tenures.clear();
        }
        tenures.push(Tenure {
            country,
            sector,
            since,
            until,
            role,
        });
        let (c0, s0) = role_on(tenures, None).unwrap_or((country, sector));
        for n in &spellings {
            t.person_keys.insert(n, canon);
            t.actors.insert(
                n,
                CuratedActor {
                    kind: EntityType::Per,
                    country: c0,
                    sector: s0,
                    class: "person",
                },
            );
            if class == "person" {
                // Very short surnames ("Un" of Kim Jong Un) would match too much.
                if let Some(last) = n.rsplit(' ').next().filter(|l| l.len() > 2 && n.contains(' ')) {
                    let v = t.surnames.entry(last).or_default();
                    if !v.contains(&canon) {
                        v.push(canon);
                    }
                }
            }
        }
    }
}

/// The word and actor tables the entities stage codes with: the compiled-in data files plus,
/// when given, the user's actor files. Built once, before any document, and shared by the
/// stages that need it (an `Arc`), so a bad user file fails the construction of the stage
/// instead of coming back on every document, and two engines in one process may code with
/// different actor lists.
#[derive(Clone)]
pub struct Lexicon {
    /// Exact token form -> counts [O, PER, ORG, LOC, MISC].
    pub(crate) tokens: HashMap<&'static str, [u32; 5]>,
    /// Naive-Bayes feature -> counts [PER, ORG, LOC, MISC].
    /// Feature -> log P(feature | type), smoothed, computed once at load.
    pub(crate) features: HashMap<&'static str, [f64; 4]>,
    /// Total feature count per type (for the priors).
    pub(crate) feature_totals: [f64; 4],
    /// Lowercased title phrase (words joined by one space) -> entry.
    pub(crate) titles: HashMap<&'static str, TitleEntry>,
    pub(crate) max_title_words: usize,
    /// First words of office/honorific phrases, for a cheap pre-check.
    pub(crate) title_first: HashSet<&'static str>,
    pub(crate) roles: HashMap<&'static str, &'static str>,
    /// PETRARCH's agent nouns (`data/agents.tsv`): breadth for [`crate::sector_of_role`]
    /// after the curated roles and titles.
    pub(crate) agents: HashMap<&'static str, &'static str>,
    pub(crate) org_words: HashMap<&'static str, Option<&'static str>>,
    /// Name -> curated actor (every spelling of a person too, coded with its most recent
    /// role, so name finding knows the word is a name).
    pub(crate) actors: HashMap<&'static str, CuratedActor>,
    /// Canonical person name -> dated roles, in file order.
    pub(crate) persons: HashMap<&'static str, Vec<Tenure>>,
    /// Entries of the user's PETRARCH dictionaries that could not be converted and were
    /// skipped, as `file:line: problem` (see [`Lexicon::skipped`]).
    pub(crate) skipped: Vec<String>,
    /// Any spelling of a curated person -> canonical name.
    pub(crate) person_keys: HashMap<&'static str, &'static str>,
    /// Last word of a multi-word spelling (`person` rows only) -> canonical names.
    pub(crate) surnames: HashMap<&'static str, Vec<&'static str>>,
    pub(crate) female: HashSet<&'static str>,
    /// Ordinary lower-case words learned from news corpora (`data/common-lower.txt`).
    pub(crate) common: HashSet<&'static str>,
}

fn rows(data: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    data.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

fn opt(s: &'static str) -> Option<&'static str> {
    (s != "-" && !s.is_empty()).then_some(s)
}

/// The built-in tables (constant: compiled into the binary), built once per process.
pub(crate) fn lexicon() -> &'static Arc<Lexicon> {
    static L: OnceLock<Arc<Lexicon>> = OnceLock::new();
    L.get_or_init(|| Arc::new(build()))
}

/// The user's actor files could not be used: every problem found in any of them, so one
/// run shows the user all there is to fix. Raised when the tables are built (engine
/// construction), never while documents are processed.
#[derive(Debug, thiserror::Error)]
#[error("{} problem(s) in actors file(s) {}:\n  {}", .problems.len(), display_paths(.files), .problems.join("\n  "))]
pub struct ActorFileError {
    /// The files with a problem, each once, in the order given.
    pub files: Vec<PathBuf>,
    /// `file:line: problem` for every bad row, or `file: cannot read: reason`.
    pub problems: Vec<String>,
}

fn display_paths(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Lexicon {
    /// The compiled-in tables alone (shared: built once per process, since they are
    /// constant).
    pub fn builtin() -> Arc<Lexicon> {
        Arc::clone(lexicon())
    }

    /// The compiled-in tables plus the user's actor files, read in order on top of them:
    /// our tab-separated table (`data/README.md`) or PETRARCH/TABARI actor dictionaries.
    /// Organisation rows override the built-in row of the same name; the first row for a
    /// known person replaces all its built-in roles. Any bad row of our table or any
    /// unreadable file is an error listing every problem. A PETRARCH dictionary is someone
    /// else's file, used as published, and the Phoenix ones have a few malformed entries
    /// among tens of thousands: those entries are skipped and listed in
    /// [`Lexicon::skipped`] for the caller to report once.
    ///
    /// The files' text is kept for the life of the process (the tables borrow from it like
    /// they borrow from the compiled-in data), so build this once per process, not per
    /// document.
    pub fn with_actor_files(paths: &[PathBuf]) -> Result<Lexicon, ActorFileError> {
        let mut lex = Lexicon::clone(lexicon());
        let mut t = ActorTables {
            actors: std::mem::take(&mut lex.actors),
            persons: std::mem::take(&mut lex.persons),
            person_keys: std::mem::take(&mut lex.person_keys),
            surnames: std::mem::take(&mut lex.surnames),
        };
        let mut files: Vec<PathBuf> = Vec::new();
        let mut problems = Vec::new();
        for path in paths {
            let before = problems.len();
            read_actor_file(path, &mut t, &mut problems, &mut lex.skipped);
            if problems.len() > before && !files.contains(path) {
                files.push(path.clone());
            }
        }
        if !problems.is_empty() {
            return Err(ActorFileError { files, problems });
        }
        lex.actors = t.actors;
        lex.persons = t.persons;
        lex.person_keys = t.person_keys;
        lex.surnames = t.surnames;
        Ok(lex)
    }

    /// The user's PETRARCH dictionary entries that could not be converted and were left
    /// out, as `file:line: problem` (empty for the built-in tables and for our own format,
    /// where any bad row is an error instead).
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("actors", &self.actors.len())
            .field("persons", &self.persons.len())
            .finish_non_exhaustive()
    }
}

/// Reads one user actors file into `t`, pushing its problems as `file:line: problem`: bad
/// rows of our table to `problems`, unconvertible PETRARCH entries to `skipped`.
fn read_actor_file(path: &Path, t: &mut ActorTables, problems: &mut Vec<String>, skipped: &mut Vec<String>) {
    let label = path.display().to_string();
    match std::fs::read_to_string(path) {
        // A PETRARCH dictionary is converted to our rows first; its problems name the
        // dictionary's own lines.
        Ok(src) if crate::petrarch::looks_like_petrarch(&src) => {
            let (rows, errors) = crate::petrarch::to_actor_rows(&src, &label);
            skipped.extend(errors);
            parse_actors(
                Box::leak(rows.into_boxed_str()),
                &format!("{label} (as converted)"),
                true,
                t,
                skipped,
            );
        }
        // Leaked: the tables hold `&'static str` like the built-in data.
        Ok(src) => parse_actors(Box::leak(src.into_boxed_str()), &label, true, t, problems),
        Err(e) => problems.push(format!("{label}: cannot read: {e}")),
    }
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
    let mut agents = HashMap::default();
    for r in rows(include_str!("../data/agents.tsv")) {
        if let [w, s, ..] = r.as_slice() {
            agents.insert(*w, *s);
        }
    }
    let mut org_words = HashMap::default();
    for r in rows(include_str!("../data/orgwords.tsv")) {
        if let [w, s, ..] = r.as_slice() {
            org_words.entry(*w).or_insert(opt(s));
        }
    }
    let mut actors = ActorTables::default();
    // The shipped table has no bad rows (`built_in_table_has_no_bad_rows`).
    let mut builtin_errors = Vec::new();
    parse_actors(
        include_str!("../data/actors.tsv"),
        "data/actors.tsv",
        false,
        &mut actors,
        &mut builtin_errors,
    );
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
        agents,
        org_words,
        actors: actors.actors,
        persons: actors.persons,
        person_keys: actors.person_keys,
        surnames: actors.surnames,
        skipped: Vec::new(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    fn role(name: &str, date: Option<NaiveDate>) -> Option<(&'static str, Option<&'static str>)> {
        let lex = lexicon();
        let canon = lex.person_keys.get(name)?;
        role_on(lex.persons.get(canon)?, date)
    }

    #[test]
    fn built_in_table_has_no_bad_rows() {
        let mut t = ActorTables::default();
        let mut errors = Vec::new();
        parse_actors(
            include_str!("../data/actors.tsv"),
            "actors.tsv",
            false,
            &mut t,
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:#?}");
        assert!(t.persons.len() > 150, "{}", t.persons.len());
    }

    #[test]
    fn publication_date_picks_the_role() {
        let gov = |c| Some((c, Some("GOV")));
        assert_eq!(role("Donald Trump", d("2018-05-01")), gov("USA"));
        assert_eq!(role("Donald Trump", d("2025-12-03")), gov("USA"));
        // Out of office: the country stays, the sector goes.
        assert_eq!(role("Donald Trump", d("2022-06-01")), Some(("USA", None)));
        assert_eq!(role("Joe Biden", d("2022-06-01")), gov("USA"));
        assert_eq!(role("Joe Biden", d("2025-01-20")), Some(("USA", None)));
        assert_eq!(role("Boris Johnson", d("2021-01-01")), gov("GBR"));
        assert_eq!(role("Boris Johnson", d("2022-09-06")), Some(("GBR", None)));
        assert_eq!(role("Mark Rutte", d("2020-01-01")), gov("NLD"));
        assert_eq!(role("Mark Rutte", d("2024-08-01")), Some(("NLD", None)));
        assert_eq!(role("Mark Rutte", d("2025-12-03")), gov("IGO"));
        assert_eq!(role("Elina Valtonen", d("2025-12-03")), gov("FIN"));
        // Before the first role: country only.
        assert_eq!(role("Elina Valtonen", d("2020-01-01")), Some(("FIN", None)));
        assert_eq!(role("Keir Starmer", d("2022-01-01")), Some(("GBR", Some("OPP"))));
        // No date: the most recent role.
        assert_eq!(role("Mark Rutte", None), gov("IGO"));
        assert_eq!(role("Joe Biden", None), gov("USA"));
        assert_eq!(role("Elon Musk", None), Some(("USA", Some("BUS"))));
        assert_eq!(role("Volodymyr Zelenskyy", d("2023-01-01")), gov("UKR"));
    }

    #[test]
    fn bad_user_rows_are_reported_with_file_and_line() {
        let src = "# comment\n\
            Ann Example\tPER\tXYZ\tGOV\tperson\t2020-01-01\t-\tminister\n\
            only two\tcolumns\n\
            Bad Type\tPRS\tUSA\tGOV\tperson\n\
            Bad Country\tPER\tusa\tGOV\tperson\n\
            Bad Date\tPER\tUSA\tGOV\tperson\t2020-13-01\n\
            Backwards\tPER\tUSA\tGOV\tperson\t2021-01-01\t2020-01-01\n\
            Bad Kind\tPER\tUSA\tGOV\tpersn\n\
            \n";
        let mut t = ActorTables::default();
        let mut errors = Vec::new();
        parse_actors(src, "/tmp/mine.tsv", true, &mut t, &mut errors);
        assert_eq!(errors.len(), 6, "{errors:#?}");
        assert!(errors[0].starts_with("/tmp/mine.tsv:3:"), "{}", errors[0]);
        assert!(errors[3].starts_with("/tmp/mine.tsv:6:") && errors[3].contains("2020-13-01"));
        assert_eq!(
            role_on(&t.persons["Ann Example"], d("2021-01-01")),
            Some(("XYZ", Some("GOV")))
        );
        assert_eq!(t.surnames.get("Example"), Some(&vec!["Ann Example"]));
    }

    #[test]
    fn user_rows_replace_built_in_roles() {
        let mut t = ActorTables::default();
        let mut errors = Vec::new();
        parse_actors(
            "Jane Roe|Roe\tPER\tGBR\tGOV\tperson\t2019-01-01\t2020-01-01\n",
            "a",
            false,
            &mut t,
            &mut errors,
        );
        parse_actors(
            "Jane Roe\tPER\tFRA\tOPP\tperson\t2019\t-\nJane Roe\tPER\tFRA\tGOV\tperson\t2024-05\t-\n",
            "b",
            true,
            &mut t,
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        let tenures = &t.persons["Jane Roe"];
        assert_eq!(tenures.len(), 2);
        assert_eq!(role_on(tenures, d("2019-06-01")), Some(("FRA", Some("OPP"))));
        assert_eq!(role_on(tenures, d("2024-05-01")), Some(("FRA", Some("GOV"))));
        assert_eq!(t.person_keys.get("Roe"), Some(&"Jane Roe"));
    }
}
