//! Place entities resolved to the gazetteer: each `LOC` entity gets the gazetteer entry its
//! name most plausibly means *in this document*.
//!
//! Toponyms are ambiguous ("Georgia", "Alexandria", "Odessa"), and the article itself is the
//! best disambiguator: places in one story cluster in one country, one region, one area. So
//! resolution starts from a context-free prior (countries over regions over cities, bigger
//! over smaller, canonical spellings over alternates) and then re-scores every candidate
//! against how much belief the *other* place names of the document put on the same country,
//! the same first-level region, or places nearby (see [`resolve_with`]). Three rounds settle
//! almost all documents; the cost grows with the number of distinct place names and their
//! candidates (both capped), never with the length of the text.

use chronicle_core::{Document, EntityType, Layer, MentionKind, Place, Severity, Stage};
use chronicle_gazetteer::{Gazetteer, PlaceEntry, PlaceKind};
use std::collections::HashMap;

/// The places stage.
#[derive(Debug, Default)]
pub struct PlaceStage;

impl PlaceStage {
    pub fn new() -> Self {
        PlaceStage
    }
}

impl Stage for PlaceStage {
    fn name(&self) -> &'static str {
        "places"
    }
    fn reads(&self) -> &'static [Layer] {
        &[Layer::Entities]
    }
    fn writes(&self) -> &'static [Layer] {
        &[Layer::Places]
    }
    fn run(&self, doc: &mut Document) {
        let gaz = Gazetteer::global();
        let mut queries: Vec<Query> = Vec::new();
        let mut owners = Vec::new();
        let mut hints = Hints::default();
        for e in &doc.entities {
            if e.kind == EntityType::Loc {
                // "the West", "the East": geopolitical blocs, not the Cameroonian region.
                if COMPASS.contains(&e.name.as_str()) {
                    continue;
                }
                // Every distinct proper-name surface form is a fallback spelling ("Kiev" when
                // the canonical name is a longer phrase the gazetteer lacks).
                let mut forms = match LANDMARKS.iter().find(|(l, _)| *l == e.name) {
                    // A seat of government stands for its city ("talks in the Kremlin").
                    Some((_, city)) => vec![city.to_string()],
                    None => vec![e.name.clone()],
                };
                for m in &e.mentions {
                    if m.kind == MentionKind::Name {
                        let s = doc.slice(m.span).to_string();
                        // "Dnipropetrovsk region": the word after the name says it is the
                        // region, not the city of the same name; try that form first.
                        let after = doc.slice(chronicle_core::Span::new(m.span.end, m.span.end + 14));
                        let suffix = REGION_SUFFIXES
                            .iter()
                            .find(|suf| {
                                after.starts_with(**suf)
                                    && !after[suf.len()..].starts_with(|c: char| c.is_alphanumeric())
                            })
                            .copied()
                            .or_else(|| listed_after_regions(doc, m.span).then_some(" region"));
                        if let Some(suf) = suffix {
                            let with = format!("{s}{suf}");
                            if !forms.contains(&with) {
                                forms.insert(0, with);
                            }
                        }
                        if !s.is_empty() && !forms.contains(&s) {
                            forms.push(s);
                        }
                    }
                }
                queries.push(Query {
                    forms,
                    weight: e.mentions.len().max(1) as f32,
                    within: None,
                });
                owners.push(e.id);
            } else if let Some(c) = e.actor.as_ref().and_then(|a| a.country.as_deref()) {
                // A Russian official or a Ukrainian ministry hints at the country.
                if gaz.country(c).is_some() {
                    *hints.countries.entry(c.to_string()).or_default() += 1.0;
                }
            } else if let Some(c) = gaz.country_by_demonym(&e.name) {
                *hints.countries.entry(c.iso3.clone()).or_default() += 1.0;
            }
        }
        containment(doc, &owners, &mut queries);
        // Organisations named after their place ("Ohio Supreme Court", "University of
        // California"): the place is resolved with the others and becomes the
        // organisation's `geo` (LGL and GeoWebNews annotate such embedded toponyms).
        let first_org = queries.len();
        for e in &doc.entities {
            if e.kind != EntityType::Org {
                continue;
            }
            if let Some(name) = embedded_place(gaz, &e.name, doc) {
                queries.push(Query {
                    forms: vec![name],
                    weight: 0.5,
                    within: None,
                });
                owners.push(e.id);
            }
        }
        if queries.len() > MAX_CONTEXT {
            let msg = format!(
                "{} place names; only the first {MAX_CONTEXT} resolved",
                queries.len()
            );
            doc.diagnose("places", Severity::Info, msg, None);
        }
        let resolved = resolve(gaz, &queries, &hints);
        // The document's organisations, and whether each is a university or college (EDU
        // sector, from its head word): "Harvard" beside "Harvard University", or tagged an
        // organisation elsewhere in the text, is the organisation's short name, not the small
        // town of that name (Harvard, Illinois). A town's police or council ("Dalton Police
        // Department") is named after the town and leaves it in place.
        let orgs: Vec<(&str, bool)> = doc
            .entities
            .iter()
            .filter(|e| e.kind == EntityType::Org)
            .map(|e| {
                let edu = e.actor.as_ref().and_then(|a| a.sector.as_deref()) == Some("EDU");
                (e.name.as_str(), edu)
            })
            .collect();
        let mut places = Vec::new();
        for (k, (id, r)) in owners.into_iter().zip(resolved).enumerate() {
            // An organisation's own place (queries from `first_org` on) is never its short name.
            let org_short_name = |p: &PlaceEntry| {
                let name = doc.entity(id).map_or("", |e| e.name.as_str());
                is_small_town(p)
                    && !name.is_empty()
                    && orgs.iter().any(|&(o, edu)| {
                        o.strip_prefix(name)
                            .is_some_and(|rest| rest.is_empty() || (edu && rest.starts_with(' ')))
                    })
            };
            if let Some(p) = r.filter(|p| k >= first_org || !org_short_name(p)) {
                places.push(place_at(id, p));
            }
        }
        // A demonym names its country ("Russian troops", "Israelis"): LGL and GeoWebNews
        // annotate it as a toponym (GeoWebNews: type Demonym), so the entity gets the
        // country as its place. It stays MISC (an actor, not a location), and events are
        // never placed at it (they read LOC entities only).
        for e in doc.entities.iter().filter(|e| e.kind == EntityType::Misc) {
            if let Some(c) = demonym_countries(gaz, &e.name).first() {
                places.push(place_at(e.id, c.entry));
            }
        }
        doc.places = places;
    }
}

/// The document layer's record of `entity` resolved to `p`.
fn place_at(entity: chronicle_core::EntityId, p: &PlaceEntry) -> Place {
    Place {
        entity,
        name: p.name.clone(),
        country: p.country.clone(),
        admin1: p.admin1.clone(),
        lat: p.lat,
        lon: p.lon,
        feature: p.feature.clone(),
        geonameid: p.geonameid,
    }
}

/// The country a demonym names ("Russian", "Israelis"), as gazetteer candidates of country
/// kind (empty when the word is no demonym).
fn demonym_countries<'g>(gaz: &'g Gazetteer, word: &str) -> Vec<chronicle_gazetteer::Candidate<'g>> {
    gaz.country_by_demonym(word).map_or_else(Vec::new, |c| {
        gaz.candidates(&c.name)
            .filter(|x| x.entry.kind == PlaceKind::Country)
            .collect()
    })
}

/// The place an organisation's name starts with ("Ohio Supreme Court", "Guernsey County
/// Administration Building": the longest leading run of up to three capitalised words the
/// gazetteer knows by its own name) or ends with after "of" ("University of California",
/// "Bank of England"). Towns below [`SMALL_TOWN`] people (one-word names below
/// [`EMBEDDED_ONE_WORD_TOWN`]) only when the document also names them as a place, so that a
/// body called after a word ("Federal Reserve", "Apple") is not put in a town of that name.
fn embedded_place(gaz: &Gazetteer, org: &str, doc: &Document) -> Option<String> {
    let known = |name: &str| -> bool {
        let Some(c) = gaz.candidates(name).find(|c| !c.alternate) else {
            return false;
        };
        if doc
            .entities
            .iter()
            .any(|e| e.kind == EntityType::Loc && e.name == name)
        {
            return true;
        }
        // A one-word town name is often an ordinary word too ("Federal", Argentina).
        let min = if name.contains(' ') {
            SMALL_TOWN
        } else {
            EMBEDDED_ONE_WORD_TOWN
        };
        c.entry.kind != PlaceKind::City || c.entry.population >= min || c.entry.feature.starts_with("PPLA")
    };
    let capitalised =
        |w: &str| w.starts_with(|c: char| c.is_uppercase()) && w.chars().any(char::is_lowercase);
    let words: Vec<&str> = org.split(' ').collect();
    if words.len() >= 2 {
        for k in (1..words.len().min(4)).rev() {
            let head = words.get(..k)?;
            if head.iter().all(|w| capitalised(w)) && head.first() != Some(&"The") {
                let name = head.join(" ");
                if known(&name) {
                    return Some(name);
                }
            }
        }
    }
    let (_, tail) = org.rsplit_once(" of ")?;
    let tail = tail.strip_prefix("the ").unwrap_or(tail);
    let n = tail.split(' ').count();
    (n <= 3 && tail.split(' ').all(capitalised) && known(tail)).then(|| tail.to_string())
}

/// Sets [`Query::within`] where the text places one name inside another: "A in [the] B",
/// "A (A') in B region", or "A, B" when B is followed by a region word ("Bila Tserkva, Kiev
/// Region") or ends the clause ("Athens, Georgia."). `owners[i]` is query `i`'s entity.
fn containment(doc: &Document, owners: &[chronicle_core::EntityId], queries: &mut [Query]) {
    // Where each place-name mention starts -> its query.
    let mut starts: Vec<(u32, usize)> = Vec::new();
    for (qi, id) in owners.iter().enumerate() {
        if let Some(e) = doc.entity(*id) {
            for m in e.mentions.iter().filter(|m| m.kind == MentionKind::Name) {
                starts.push((m.span.start, qi));
            }
        }
    }
    starts.sort_unstable();
    let query_at = |pos: u32| -> Option<usize> {
        let k = starts.partition_point(|&(p, _)| p < pos);
        starts.get(k).filter(|&&(p, _)| p == pos).map(|&(_, q)| q)
    };
    for (qi, id) in owners.iter().enumerate() {
        let Some(e) = doc.entity(*id) else { continue };
        for m in e.mentions.iter().filter(|m| m.kind == MentionKind::Name) {
            let after = doc.slice(chronicle_core::Span::new(m.span.end, m.span.end + 48));
            let mut rest = after;
            let mut skipped = 0usize;
            // An alternative name in brackets: "Sverdlovsk (Dovzhansk) in ...".
            if let Some(r) = rest.strip_prefix(" (") {
                if let Some(close) = r.find(')') {
                    skipped += 2 + close + 1;
                    rest = r.get(close + 1..).unwrap_or("");
                }
            }
            let (lead, comma) = if let Some(r) = rest.strip_prefix(" in the ") {
                (rest.len() - r.len(), false)
            } else if let Some(r) = rest.strip_prefix(" in ") {
                (rest.len() - r.len(), false)
            } else if let Some(r) = rest.strip_prefix(", ") {
                (rest.len() - r.len(), true)
            } else {
                continue;
            };
            let offset = (skipped + lead) as u32;
            let at = m.span.end
                + after
                    .get(..skipped + lead)
                    .map_or(offset, |x| x.chars().count() as u32);
            let Some(outer) = query_at(at).filter(|&o| o != qi) else {
                continue;
            };
            if comma {
                // The outer name must end the phrase or be a region: "A, B region" / "A, B.".
                let ok = owners
                    .get(outer)
                    .and_then(|oid| doc.entity(*oid))
                    .is_some_and(|oe| {
                        oe.mentions.iter().any(|om| {
                            om.span.start == at && {
                                let tail =
                                    doc.slice(chronicle_core::Span::new(om.span.end, om.span.end + 14));
                                REGION_SUFFIXES.iter().any(|suf| tail.starts_with(suf))
                                    || tail.is_empty()
                                    || tail.starts_with(['.', ',', ';', ')', '\n'])
                            }
                        })
                    });
                if !ok {
                    continue;
                }
            }
            if let Some(q) = queries.get_mut(qi) {
                q.within.get_or_insert(outer);
            }
            break;
        }
    }
}

/// True when the mention at `span` is in a list that a plural region noun introduces: "the
/// four regions—Luhansk, Donetsk, Zaporizhzhia, and Kherson" names the oblasts, not their
/// capitals. Only names, commas, dashes, colons and "and" may stand between.
fn listed_after_regions(doc: &Document, span: chronicle_core::Span) -> bool {
    let before = doc.slice(chronicle_core::Span::new(
        span.start.saturating_sub(120),
        span.start,
    ));
    let Some((head, at)) = [
        "regions",
        "provinces",
        "oblasts",
        "Regions",
        "Provinces",
        "Oblasts",
    ]
    .iter()
    .filter_map(|h| before.rfind(h).map(|i| (h, i)))
    .max_by_key(|(_, i)| *i) else {
        return false;
    };
    let Some(between) = before.get(at + head.len()..) else {
        return false;
    };
    let mut words = between
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '-' | '\u{2013}' | '\u{2014}'))
        .filter(|w| !w.is_empty());
    // Something must separate the noun from the list ("regions—", "regions:", "regions,").
    let opens = between.starts_with([',', ':', '-', '\u{2013}', '\u{2014}'])
        || between
            .trim_start()
            .starts_with([':', '-', '\u{2013}', '\u{2014}']);
    opens && words.all(|w| w == "and" || w.starts_with(|c: char| c.is_uppercase()))
}

/// One place name to resolve: its spellings (best first) and how often the document uses
/// it (a place named five times shapes the context more than one named once).
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub forms: Vec<String>,
    pub weight: f32,
    /// The query this place is said to lie in ("Sverdlovsk (Dovzhansk) in Luhansk region",
    /// "Bila Tserkva, Kiev Region"): its candidates inside that place's candidates gain
    /// [`Weights::within`] in proportion to the belief in them.
    pub within: Option<usize>,
}

impl Query {
    pub fn new(name: impl Into<String>) -> Self {
        Query {
            forms: vec![name.into()],
            weight: 1.0,
            within: None,
        }
    }
}

/// Document evidence that is not itself a place name: countries of actors and demonyms.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// ISO alpha-3 -> weight.
    pub countries: HashMap<String, f32>,
}

/// How much each kind of document evidence is worth, in units of the prior (natural log of
/// population, so +0.69 doubles the odds). Public so evaluations can sweep them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Other names of the document lie in the candidate's country.
    pub country: f32,
    /// Other names lie in the candidate's first-level region.
    pub admin1: f32,
    /// Other names lie within [`Weights::near_km`] of the candidate.
    pub near: f32,
    pub near_km: f64,
    /// Actors or demonyms of the document belong to the candidate's country.
    pub hint: f32,
    /// A suffix such as "Oblast" or "city" names the kind; candidates of that kind gain this.
    pub kind_suffix: f32,
    /// The text puts the place inside another ([`Query::within`]).
    pub within: f32,
    /// Rounds of re-scoring against the others' beliefs.
    pub rounds: usize,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            country: 4.0,
            admin1: 3.5,
            near: 2.5,
            near_km: 150.0,
            hint: 1.5,
            kind_suffix: 6.0,
            within: 6.0,
            rounds: 3,
        }
    }
}

/// Candidates kept per name (most plausible first); bounds the work per document.
const MAX_CANDIDATES: usize = 24;
/// Candidates per name that vote in the pairwise proximity pass.
const MAX_NEAR_CANDIDATES: usize = 6;
/// Distinct place names resolved per document (later ones stay unresolved, with a
/// diagnostic); bounds the pairwise proximity pass.
pub const MAX_CONTEXT: usize = 128;

struct Cand<'g> {
    entry: &'g PlaceEntry,
    base: f32,
}

/// Resolves each query to its most plausible gazetteer entry given all the others.
pub fn resolve<'g>(gaz: &'g Gazetteer, queries: &[Query], hints: &Hints) -> Vec<Option<&'g PlaceEntry>> {
    resolve_with(gaz, queries, hints, &Weights::default())
}

/// [`resolve`] with explicit weights.
///
/// Each name holds a belief over its candidates (a softmax of its scores; on the prior alone
/// that is proportional to population). Every round, each candidate is re-scored by how much
/// belief the *other* names put on places in its country, its region and its neighbourhood.
/// Soft beliefs matter: "Gainesville" and "Hall County" each have several namesakes, and only
/// by counting all of them does the Georgia pair find each other.
pub fn resolve_with<'g>(
    gaz: &'g Gazetteer,
    queries: &[Query],
    hints: &Hints,
    w: &Weights,
) -> Vec<Option<&'g PlaceEntry>> {
    let cands: Vec<Vec<Cand<'g>>> = queries
        .iter()
        .enumerate()
        .map(|(i, q)| {
            if i < MAX_CONTEXT {
                candidates(gaz, q, w)
            } else {
                Vec::new()
            }
        })
        .collect();
    let weight = |i: usize| queries.get(i).map_or(1.0, |q| q.weight.max(0.0)).min(4.0);
    let mut scores: Vec<Vec<f32>> = cands
        .iter()
        .map(|cs| {
            cs.iter()
                .map(|c| c.base + hint_bonus(c.entry, hints, w))
                .collect()
        })
        .collect();
    let near = neighbours(&cands, w.near_km);
    for _ in 0..w.rounds {
        let beliefs: Vec<Vec<f32>> = scores.iter().map(|s| softmax(s)).collect();
        // Totals of belief per country and per (country, admin1), over all names.
        let mut countries: HashMap<&str, f32> = HashMap::new();
        let mut admin1s: HashMap<(&str, &str), f32> = HashMap::new();
        for (i, (cs, b)) in cands.iter().zip(&beliefs).enumerate() {
            for (c, p) in cs.iter().zip(b) {
                add_votes(&mut countries, &mut admin1s, c.entry, p * weight(i));
            }
        }
        let mut next = scores.clone();
        for (i, cs) in cands.iter().enumerate() {
            let (Some(b), Some(out)) = (beliefs.get(i), next.get_mut(i)) else {
                continue;
            };
            if cs.len() < 2 {
                continue;
            }
            // This name's own votes, removed so it cannot support itself.
            let mut own_c: HashMap<&str, f32> = HashMap::new();
            let mut own_a: HashMap<(&str, &str), f32> = HashMap::new();
            for (c, p) in cs.iter().zip(b) {
                add_votes(&mut own_c, &mut own_a, c.entry, p * weight(i));
            }
            for (k, c) in cs.iter().enumerate() {
                let e = c.entry;
                let mut s = c.base + hint_bonus(e, hints, w);
                if let Some(cc) = e.country.as_deref() {
                    let n = countries.get(cc).copied().unwrap_or(0.0) - own_c.get(cc).copied().unwrap_or(0.0);
                    s += w.country * saturate(n);
                    if let (Some(a), true) = (e.admin1.as_deref(), e.kind != PlaceKind::Country) {
                        let key = (cc, a);
                        let m = admin1s.get(&key).copied().unwrap_or(0.0)
                            - own_a.get(&key).copied().unwrap_or(0.0);
                        s += w.admin1 * saturate(m);
                    }
                }
                if let Some(list) = near.get(i).and_then(|n| n.get(k)) {
                    s += w.near * saturate(near_support(list, &beliefs, &weight));
                }
                if let Some(j) = queries.get(i).and_then(|q| q.within) {
                    let inside: f32 = cands
                        .get(j)
                        .zip(beliefs.get(j))
                        .map(|(outer, bj)| {
                            outer
                                .iter()
                                .zip(bj)
                                .filter(|(o, _)| contains(o.entry, e))
                                .map(|(_, p)| *p)
                                .sum()
                        })
                        .unwrap_or(0.0);
                    s += w.within * inside;
                }
                if let Some(slot) = out.get_mut(k) {
                    *slot = s;
                }
            }
        }
        scores = next;
    }
    cands
        .iter()
        .zip(&scores)
        .map(|(cs, s)| {
            let best = s
                .iter()
                .enumerate()
                .fold(None, |acc: Option<(usize, f32)>, (i, &v)| match acc {
                    Some((_, bv)) if bv >= v => acc,
                    _ => Some((i, v)),
                });
            best.and_then(|(i, _)| cs.get(i)).map(|c| c.entry)
        })
        .collect()
}

/// Most any one kind of evidence can count for, in multiples of its weight: ten Idaho towns
/// must not turn a "Moscow" in a Kremlin story into Moscow, Idaho.
const SATURATION: f32 = 2.0;

/// Evidence grows with the number of supporting names but with diminishing returns.
fn saturate(x: f32) -> f32 {
    if x <= 0.01 {
        0.0
    } else {
        ((1.0 + x).ln() / std::f32::consts::LN_2).min(SATURATION)
    }
}

fn softmax(s: &[f32]) -> Vec<f32> {
    let max = s.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = s.iter().map(|v| (v - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter()
        .map(|e| if sum > 0.0 { e / sum } else { 0.0 })
        .collect()
}

fn add_votes<'g>(
    countries: &mut HashMap<&'g str, f32>,
    admin1s: &mut HashMap<(&'g str, &'g str), f32>,
    e: &'g PlaceEntry,
    p: f32,
) {
    // Continents and seas say nothing about the country; countries do not vote for their
    // own regions.
    let Some(c) = e.country.as_deref() else { return };
    *countries.entry(c).or_default() += p;
    if e.kind != PlaceKind::Country {
        if let Some(a) = e.admin1.as_deref() {
            *admin1s.entry((c, a)).or_default() += p;
        }
    }
}

/// Whether `outer` contains `inner`: the same country, and for a region or city the same
/// first-level region.
fn contains(outer: &PlaceEntry, inner: &PlaceEntry) -> bool {
    if std::ptr::eq(outer, inner) || outer.country.is_none() || outer.country != inner.country {
        return false;
    }
    let same_admin1 = outer.admin1.is_some() && outer.admin1 == inner.admin1;
    match outer.kind {
        PlaceKind::Country => inner.kind != PlaceKind::Country,
        PlaceKind::Admin1 => same_admin1 && inner.kind != PlaceKind::Admin1,
        PlaceKind::City => same_admin1 && inner.kind == PlaceKind::City,
        PlaceKind::Region => false,
    }
}

/// Belief mass of other names' local candidates within `km` of `e`.
/// For each name `i` and each of its first [`MAX_NEAR_CANDIDATES`] local candidates `k`: the
/// other names' candidates `(j, k')` within `km`. Coordinates never change between rounds,
/// so the pairwise distances are computed once per document.
fn neighbours(cands: &[Vec<Cand<'_>>], km: f64) -> Vec<Vec<Vec<(u32, u32)>>> {
    // 1 degree of latitude is about 111 km: a cheap filter before the trigonometry.
    let max_dlat = km / 111.0 + 0.1;
    let pts: Vec<(u32, u32, f64, f64)> = cands
        .iter()
        .enumerate()
        .flat_map(|(j, cs)| {
            cs.iter()
                .take(MAX_NEAR_CANDIDATES)
                .enumerate()
                .filter_map(move |(k, c)| {
                    let o = c.entry;
                    (is_local(o) || o.kind == PlaceKind::Admin1).then_some((j as u32, k as u32, o.lat, o.lon))
                })
        })
        .collect();
    cands
        .iter()
        .enumerate()
        .map(|(i, cs)| {
            cs.iter()
                .take(MAX_NEAR_CANDIDATES)
                .map(|c| {
                    let e = c.entry;
                    if !is_local(e) {
                        return Vec::new();
                    }
                    pts.iter()
                        .filter(|&&(j, _, lat, lon)| {
                            j as usize != i
                                && (lat - e.lat).abs() < max_dlat
                                && haversine_km(e.lat, e.lon, lat, lon) < km
                        })
                        .map(|&(j, k, _, _)| (j, k))
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// Belief mass of other names on places near candidate (`i`, `k`): for each other name, its
/// most believed nearby candidate counts.
fn near_support(near: &[(u32, u32)], beliefs: &[Vec<f32>], weight: &dyn Fn(usize) -> f32) -> f32 {
    let mut total = 0.0;
    let mut cur: Option<u32> = None;
    let mut best = 0.0f32;
    // `near` is grouped by name (built in candidate order), so one pass suffices.
    for &(j, k) in near {
        if cur != Some(j) {
            if let Some(c) = cur {
                total += best * weight(c as usize);
            }
            cur = Some(j);
            best = 0.0;
        }
        let p = beliefs
            .get(j as usize)
            .and_then(|b| b.get(k as usize))
            .copied()
            .unwrap_or(0.0);
        best = best.max(p);
    }
    if let Some(c) = cur {
        total += best * weight(c as usize);
    }
    total
}

fn hint_bonus(e: &PlaceEntry, hints: &Hints, w: &Weights) -> f32 {
    match e.country.as_deref().and_then(|c| hints.countries.get(c)) {
        Some(&x) if x > 0.0 && e.kind != PlaceKind::Country => w.hint,
        _ => 0.0,
    }
}

/// Towns below this many people give way to an organisation of the same name in the
/// document (see `PlaceStage::run`): a university or firm named after a small town is
/// written far more often than the town. Larger places keep their place ("Kyiv" beside
/// "Kyiv City Council").
pub const SMALL_TOWN: u64 = 15_000;

/// Smallest town a one-word organisation prefix may name unaided (see `embedded_place`).
const EMBEDDED_ONE_WORD_TOWN: u64 = 100_000;

fn is_small_town(e: &PlaceEntry) -> bool {
    e.kind == PlaceKind::City
        && e.population < SMALL_TOWN
        && !e.feature.starts_with("PPLA")
        && e.feature != "PPLC"
}

/// Towns and counties: places small enough that neighbours in the text are neighbours on
/// the ground.
fn is_local(e: &PlaceEntry) -> bool {
    e.kind == PlaceKind::City || e.feature == "ADM2"
}

/// Great-circle distance in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

/// Bare compass names: in news they are blocs or directions far more often than places.
const COMPASS: &[&str] = &["West", "East", "North", "South", "the West", "the East"];

/// Seats of power named for the government that sits there, resolved to their city.
const LANDMARKS: &[(&str, &str)] = &[
    ("Kremlin", "Moscow"),
    ("White House", "Washington"),
    ("Pentagon", "Washington"),
    ("Capitol Hill", "Washington"),
    ("Downing Street", "London"),
    ("Whitehall", "London"),
    ("Elysee", "Paris"),
    ("Élysée", "Paris"),
    ("Elysee Palace", "Paris"),
    ("Zhongnanhai", "Beijing"),
    ("Bankova", "Kyiv"),
];

/// Words after a name that say what kind of place it is.
const REGION_SUFFIXES: &[&str] = &[
    " Oblast",
    " oblast",
    " Region",
    " region",
    " Province",
    " province",
    " State",
    " state",
    " Governorate",
    " governorate",
    " Krai",
    " krai",
    " Prefecture",
    " prefecture",
];
/// An airport stands for the town it is named after ("Donetsk Airport").
const CITY_SUFFIXES: &[&str] = &[
    " City",
    " city",
    " town",
    " Town",
    " International Airport",
    " Airport",
    " airport",
];

/// Gazetteer candidates for a query (see [`first_candidates`]). A place the text puts
/// inside another ([`Query::within`]) also takes the village tier's namesakes: "Vodyane in
/// the Donetsk region" is a Donetsk village even though a town of that name elsewhere
/// answers first.
fn candidates<'g>(gaz: &'g Gazetteer, q: &Query, w: &Weights) -> Vec<Cand<'g>> {
    let mut out = first_candidates(gaz, q, w);
    if q.within.is_some() && !out.is_empty() {
        for form in &q.forms {
            let v = scored(gaz.villages(strip_decorations(form)).into_iter(), None, w);
            for c in v {
                if out.len() >= 2 * MAX_CANDIDATES {
                    break;
                }
                if !out.iter().any(|o| std::ptr::eq(o.entry, c.entry)) {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// Gazetteer candidates for a query, trying its spellings and then their simplifications.
fn first_candidates<'g>(gaz: &'g Gazetteer, q: &Query, w: &Weights) -> Vec<Cand<'g>> {
    for form in &q.forms {
        let form = form.trim();
        let mut variants: Vec<(String, Option<PlaceKind>)> = vec![(form.to_string(), None)];
        let stripped = strip_decorations(form);
        if stripped != form {
            variants.push((stripped.to_string(), None));
        }
        for (suffixes, kind) in [
            (REGION_SUFFIXES, PlaceKind::Admin1),
            (CITY_SUFFIXES, PlaceKind::City),
        ] {
            for suf in suffixes {
                if let Some(base) = stripped.strip_suffix(suf) {
                    if !base.is_empty() {
                        variants.push((base.to_string(), Some(kind)));
                    }
                }
            }
        }
        if is_shouting(stripped) {
            variants.push((title_case(stripped), None));
        }
        for (v, kind) in &variants {
            let out = scored(gaz.candidates(v), *kind, w);
            if !out.is_empty() {
                return out;
            }
        }
    }
    // A demonym tagged as a place ("Russian forces" -> Russia) stands for its country.
    for form in &q.forms {
        let out: Vec<Cand<'g>> = demonym_countries(gaz, strip_decorations(form))
            .into_iter()
            .map(|c| Cand {
                entry: c.entry,
                base: c.prior,
            })
            .collect();
        if !out.is_empty() {
            return out;
        }
    }
    // East Slavic names in the other transliteration ("Zaporozhye", "Lugansk", "Gorlovka"):
    // the gazetteer keeps only a few alternates per place.
    for form in &q.forms {
        let base = strip_decorations(form);
        let mut tries = vec![(base, None)];
        for suf in REGION_SUFFIXES {
            if let Some(b) = base.strip_suffix(suf) {
                tries.push((b, Some(PlaceKind::Admin1)));
            }
        }
        for (v, kind) in tries {
            let out = scored(gaz.transliterated(v).into_iter(), kind, w);
            if !out.is_empty() {
                return out;
            }
        }
    }
    // Last, the villages and small towns of the second tier ("Pisky", "Vodiane"): only a
    // name no bigger place answers to reaches them.
    for form in &q.forms {
        let base = strip_decorations(form);
        let mut tries = vec![base];
        tries.extend(
            CITY_SUFFIXES
                .iter()
                .chain(VILLAGE_SUFFIXES)
                .filter_map(|s| base.strip_suffix(s)),
        );
        for v in tries.into_iter().filter(|v| !v.is_empty()) {
            let out = scored(gaz.villages(v).into_iter(), None, w);
            if !out.is_empty() {
                return out;
            }
        }
    }
    Vec::new()
}

const VILLAGE_SUFFIXES: &[&str] = &[" village", " settlement"];

/// The first [`MAX_CANDIDATES`] gazetteer candidates of one spelling, each with its prior
/// plus the kind bonus when the spelling's suffix ("... region", "... city") said what kind
/// of place it is and the candidate is of that kind.
fn scored<'g>(
    cands: impl Iterator<Item = chronicle_gazetteer::Candidate<'g>>,
    kind: Option<PlaceKind>,
    w: &Weights,
) -> Vec<Cand<'g>> {
    cands
        .take(MAX_CANDIDATES)
        .map(|c| {
            let fits = match kind {
                Some(PlaceKind::Admin1) => matches!(c.entry.kind, PlaceKind::Admin1 | PlaceKind::Region),
                Some(k) => c.entry.kind == k,
                None => false,
            };
            Cand {
                entry: c.entry,
                base: c.prior + if fits { w.kind_suffix } else { 0.0 },
            }
        })
        .collect()
}

/// Drops a leading article and a trailing possessive: "the Donbas's" -> "Donbas".
fn strip_decorations(s: &str) -> &str {
    let mut s = s.trim();
    for art in ["the ", "The "] {
        if let Some(r) = s.strip_prefix(art) {
            s = r;
        }
    }
    for pos in ["'s", "’s", "'", "’"] {
        if let Some(r) = s.strip_suffix(pos) {
            s = r;
        }
    }
    s.trim()
}

/// All letters upper case and more than one of them ("UKRAINE", headlines).
fn is_shouting(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).count() > 2 && !s.chars().any(|c| c.is_lowercase())
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for ch in s.chars() {
        if ch.is_alphabetic() {
            if start {
                out.push(ch);
            } else {
                out.extend(ch.to_lowercase());
            }
            start = false;
        } else {
            out.push(ch);
            start = ch == ' ' || ch == '-';
        }
    }
    out
}

#[cfg(test)]
mod tests;
