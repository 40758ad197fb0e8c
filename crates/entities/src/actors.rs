//! Actor coding: country + sector (CAMEO style) and the title of each mention, read from
//! the words around it.
//!
//! Where the country comes from, strongest first:
//! 1. the title context before a person: a demonym ("Estonian Foreign Minister"), a country
//!    or alias, possessive or not ("UK Foreign Secretary", "Ukraine's lead negotiator,"),
//!    an IGO acronym ("NATO Secretary-General") or an institutional metonym ("Kremlin
//!    spokesman", which also stays in the title);
//! 2. a possessive country directly before a name ("Finland's Elina Valtonen");
//! 3. an apposition after the name (", the Russian foreign minister,", ", CEO of ...");
//! 4. the curated actor table (`data/actors.tsv` + the user's actor files): dated
//!    roles of leaders picked by the publication date (see `data/README.md`), IGOs, metonyms;
//! 5. for a titled person with no country yet: the nearest place/metonym mention in the same
//!    sentence that is not already the country of another person's title, preceding
//!    mentions first ("talks in the Kremlin ..., presidential adviser Yuri Ushakov" -> RUS).
//!
//! Countries are actors with no sector; capitals (GeoNames `PPLC`) stand for their
//! government (sector `GOV`), because news uses "Moscow"/"Kyiv" as the subject of
//! government acts far more often than for the city.

use crate::lexicon::{lexicon, Lexicon, TitleKind};
use crate::tokens::Tok;
use crate::Candidate;
use chronicle_core::{Actor, Document, EntityType, Span};
use chronicle_gazetteer::Gazetteer;

/// What the context says about one mention.
#[derive(Debug, Clone, Default)]
pub(crate) struct MentionInfo {
    pub title: Option<String>,
    pub country: Option<String>,
    pub sector: Option<String>,
    /// The title came from the text (not the curated table).
    pub titled: bool,
    /// Token index of the country cue consumed by this mention's title, if any.
    pub cue_token: Option<usize>,
    /// The title was plural ("US envoys A and B"): it extends to coordinated names.
    pub plural_title: bool,
    /// An honorific ("Mr") or office preceded the name.
    pub person_marker: bool,
    /// The title says the office is no longer held ("former President"): no sector.
    pub former: bool,
}

/// Country (and sector, for metonyms) a single word or name stands for.
pub(crate) fn country_cue(lex: &Lexicon, name: &str) -> Option<(String, Option<&'static str>)> {
    if let Some(c) = lex.actors.get(name) {
        if c.class != "person" {
            let sector = if c.class == "metonym" { c.sector } else { None };
            return Some((c.country.to_string(), sector));
        }
    }
    let g = Gazetteer::global();
    if let Some(c) = g.country_by_demonym(name) {
        return Some((c.iso3.clone(), None));
    }
    g.country_by_name(name).map(|c| (c.iso3.clone(), None))
}

fn is_metonym(lex: &Lexicon, name: &str) -> bool {
    lex.actors.get(name).is_some_and(|c| c.class == "metonym")
}

/// Longest title-table phrase (any kind) that ends at token `j` inclusive and starts at or
/// after `lo`: (start, kind, sector).
fn title_ending_at(
    lex: &Lexicon,
    toks: &[Tok<'_>],
    lo: usize,
    j: usize,
) -> Option<(usize, TitleKind, Option<&'static str>)> {
    let mut best = None;
    for n in 1..=lex.max_title_words {
        if n > j + 1 || j + 1 - n < lo {
            break;
        }
        let s = j + 1 - n;
        let words: Option<Vec<String>> = toks[s..=j]
            .iter()
            .map(|t| t.is_word().then(|| t.lower.to_string()))
            .collect();
        let Some(words) = words else { break };
        if let Some(e) = lex.titles.get(words.join(" ").as_str()) {
            best = Some((s, e.kind, e.sector));
        }
    }
    best
}

/// Multi-token cue (e.g. "White House") ending at `j`: (start, country, sector).
fn cue_ending_at(
    lex: &Lexicon,
    toks: &[Tok<'_>],
    lo: usize,
    j: usize,
) -> Option<(usize, String, Option<&'static str>)> {
    for n in (1..=3).rev() {
        if n > j + 1 || j + 1 - n < lo {
            continue;
        }
        let s = j + 1 - n;
        if !toks[s..=j].iter().all(|t| t.is_cap()) {
            continue;
        }
        let name = crate::rules::joined(toks, s, j + 1);
        if let Some((c, sec)) = country_cue(lex, &name) {
            return Some((s, c, sec));
        }
    }
    None
}

/// "envoys" -> "envoy" when the singular is a known title (a plural title before one name).
fn singular(lex: &Lexicon, title: &str) -> String {
    if let Some(stem) = title.strip_suffix('s') {
        let last = stem.rsplit(' ').next().unwrap_or(stem).to_lowercase();
        if lex.titles.contains_key(last.as_str()) {
            return stem.to_string();
        }
    }
    title.to_string()
}

/// Capital city name -> ISO3, from the gazetteer's countries.
fn capitals() -> &'static crate::lexicon::HashMap<String, String> {
    static C: std::sync::OnceLock<crate::lexicon::HashMap<String, String>> = std::sync::OnceLock::new();
    C.get_or_init(|| {
        let g = Gazetteer::global();
        let mut m = crate::lexicon::HashMap::default();
        for c in g.countries() {
            if let Some(p) = g.capital_of(&c.iso3) {
                m.insert(p.name.clone(), c.iso3.clone());
            }
            if let Some(cap) = &c.capital {
                m.insert(cap.clone(), c.iso3.clone());
            }
        }
        m
    })
}

/// Codes a person mention from its title context (steps 1-3 of the module doc).
pub(crate) fn code_person(
    lex: &Lexicon,
    doc: &Document,
    toks: &[Tok<'_>],
    a: usize,
    b: usize,
    c: &Candidate,
) -> MentionInfo {
    let mut info = MentionInfo::default();
    let (s, e) = (c.tokens.0 as usize, c.tokens.1 as usize);
    // 1. Title before the name, optionally followed by a comma.
    if s > a {
        let mut j = s - 1;
        if toks[j].text == "," && j > a {
            j -= 1;
        }
        if let Some((mut ts, kind, mut sector)) = title_ending_at(lex, toks, a, j) {
            info.person_marker = true;
            if kind != TitleKind::Honorific {
                // Absorb modifiers and metonyms in front ("deputy", "Kremlin").
                while ts > a {
                    let p = &toks[ts - 1];
                    let low = p.lower;
                    if lex.titles.get(low).is_some_and(|t| t.kind == TitleKind::Modifier) {
                        if matches!(low, "former" | "ex" | "late") {
                            info.former = true;
                        }
                        ts -= 1;
                        continue;
                    }
                    if let Some((ms, mc, msec)) = cue_ending_at(lex, toks, a, ts - 1) {
                        if is_metonym(lex, &crate::rules::joined(toks, ms, ts)) {
                            info.country = Some(mc);
                            sector = sector.or(msec);
                            info.cue_token = Some(ms);
                            ts = ms;
                            continue;
                        }
                    }
                    break;
                }
                let raw = doc.slice(Span::new(toks[ts].span.start, toks[j].span.end));
                let one = singular(lex, raw);
                info.plural_title = one.len() < raw.len();
                info.title = Some(one);
                info.titled = true;
                info.sector = if info.former {
                    None
                } else {
                    sector.map(str::to_string)
                };
                // Country cue before the title.
                if info.country.is_none() && ts > a {
                    let mut k = ts - 1;
                    if toks[k].poss_marker && k > a {
                        k -= 1;
                        if toks[k].text == "s" && k > a {
                            k -= 1;
                        }
                    }
                    if let Some((cs, cc, _)) = cue_ending_at(lex, toks, a, k) {
                        info.country = Some(cc);
                        info.cue_token = Some(cs);
                    }
                }
            }
        } else {
            // 2. "Finland's Elina Valtonen".
            let mut k = j;
            if toks[k].poss_marker && k > a {
                k -= 1;
                if toks[k].text == "s" && toks[k].poss_marker && k > a {
                    k -= 1;
                }
            }
            if toks[k].possessive {
                if let Some((cs, cc, csec)) = cue_ending_at(lex, toks, a, k) {
                    info.country = Some(cc);
                    info.sector = csec.map(str::to_string);
                    info.cue_token = Some(cs);
                }
            }
        }
    }
    // 3. Apposition: ", [the|a] [cue] [modifiers] office [of [the] ...]".
    if !info.titled && e + 1 < b && toks[e].text == "," {
        let mut k = e + 1;
        if matches!(toks[k].text, "the" | "a" | "an") {
            k += 1;
        }
        let mut country = None;
        if k < b {
            if let Some((c, _)) = country_cue(lex, toks[k].text) {
                country = Some(c);
                k += 1;
            }
        }
        let start = k;
        let mut best = None;
        for j in k..b.min(k + 5) {
            if !toks[j].is_word() {
                break;
            }
            if let Some((ts, kind, sec)) = title_ending_at(lex, toks, start, j) {
                if kind == TitleKind::Office {
                    best = Some((ts, j, sec));
                }
            }
        }
        let best = best.and_then(|(mut ts, te, sec)| {
            while ts > start
                && lex
                    .titles
                    .get(toks[ts - 1].lower)
                    .is_some_and(|t| t.kind == TitleKind::Modifier)
            {
                ts -= 1;
            }
            let before_name = toks.get(te + 1).is_some_and(|t| t.is_cap() && te + 1 < b);
            (ts == start && !before_name).then_some((ts, te, sec))
        });
        if let Some((ts, te, sec)) = best {
            info.title = Some(
                doc.slice(Span::new(toks[ts].span.start, toks[te].span.end))
                    .to_string(),
            );
            info.titled = true;
            info.country = country;
            info.sector = sec.map(str::to_string);
            // "CEO of the Hope For Ukraine think tank": the organisation's kind wins.
            if te + 1 < b && toks[te + 1].text == "of" {
                let mut x = te + 2;
                while x < b && !matches!(toks[x].text, "," | "." | ";") && x < te + 12 {
                    let low = toks[x].lower;
                    let two = toks.get(x + 1).map(|n| format!("{low} {}", n.lower));
                    if let Some(sec) = two
                        .as_deref()
                        .and_then(|t| lex.roles.get(t))
                        .or_else(|| lex.roles.get(low))
                    {
                        info.sector = Some((*sec).to_string());
                    }
                    x += 1;
                }
            }
        }
    }
    info
}

/// Actor of a non-person name (places, demonyms, organisations).
pub(crate) fn code_other(
    lex: &Lexicon,
    kind: EntityType,
    name: &str,
    toks: &[Tok<'_>],
    s: usize,
    e: usize,
) -> Option<Actor> {
    if let Some(c) = lex.actors.get(name) {
        if c.class != "person" {
            return Some(Actor {
                country: Some(c.country.to_string()),
                sector: c.sector.map(str::to_string),
            });
        }
    }
    let g = Gazetteer::global();
    match kind {
        EntityType::Loc | EntityType::Misc => {
            if let Some(c) = g.country_by_name(name) {
                return Some(Actor {
                    country: Some(c.iso3.clone()),
                    sector: None,
                });
            }
            if let Some(c) = g.country_by_demonym(name) {
                return Some(Actor {
                    country: Some(c.iso3.clone()),
                    sector: None,
                });
            }
            if kind != EntityType::Loc {
                return None;
            }
            if let Some(iso) = capitals().get(name) {
                return Some(Actor {
                    country: Some(iso.clone()),
                    sector: Some("GOV".to_string()),
                });
            }
            let p = g.places(name).first()?;
            (p.feature == "PPLC").then(|| Actor {
                country: p.country.clone(),
                sector: Some("GOV".to_string()),
            })
        }
        EntityType::Org => {
            let sector = toks
                .get(e.checked_sub(1)?)
                .and_then(|t| lex.org_words.get(t.text).copied().flatten());
            let mut country = None;
            if let Some(t) = toks.get(s) {
                if e - s >= 2 {
                    country = country_cue(lex, t.text).map(|c| c.0);
                }
            }
            if country.is_none() && e >= s + 3 && toks.get(e - 2).is_some_and(|t| t.text == "of") {
                country = toks
                    .get(e - 1)
                    .and_then(|t| country_cue(lex, t.text))
                    .map(|c| c.0);
            }
            (country.is_some() || sector.is_some()).then(|| Actor {
                country,
                sector: sector.map(str::to_string),
            })
        }
        EntityType::Per => None,
    }
}

/// CAMEO sector a role or group noun implies ("troops" -> MIL, "spokesman" -> GOV).
/// Reads the built-in role and title tables (user actor files do not change them).
pub fn sector_of_role(word: &str) -> Option<&'static str> {
    let lex = lexicon();
    let low = word.to_lowercase();
    let one = |w: &str| -> Option<&'static str> {
        if let Some(s) = lex.roles.get(w) {
            return Some(s);
        }
        lex.titles
            .get(w)
            .and_then(|t| t.sector)
            .or_else(|| lex.agents.get(w).copied())
    };
    // A plural the tables list only in the singular ("leaders", "negotiators").
    one(&low).or_else(|| {
        let stem = low
            .strip_suffix('s')
            .filter(|s| s.len() > 3 && !s.ends_with('s'))?;
        one(stem)
    })
}
