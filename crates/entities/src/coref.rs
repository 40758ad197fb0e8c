//! In-document coreference: exact repeats, partial person names, nominals ("the Russian
//! leader") and personal pronouns, then the final dense entity list.

use crate::actors::{code_other, code_person, country_cue, MentionInfo};
use crate::lexicon::HashMap;
use crate::lexicon::{in_office, role_on, Lexicon, TitleKind};
use crate::rules::{joined, title_at};
use crate::tokens::{self, Tok};
use crate::Candidate;
use chronicle_core::{Actor, Document, Entity, EntityId, EntityType, Mention, MentionKind, Span};
use chronicle_gazetteer::Gazetteer;

struct Ment {
    span: Span,
    kind: MentionKind,
    etype: EntityType,
    conf: f32,
    name: String,
    ntoks: usize,
    first_tok: usize,
    sent: usize,
    info: MentionInfo,
    /// Country guessed from the sentence (weakest evidence, titled persons only).
    fallback_country: Option<String>,
}

struct Cluster {
    ments: Vec<usize>,
    /// Pronoun/nominal mentions added after naming.
    extra: Vec<Mention>,
    etype: EntityType,
    female: bool,
    actor: Option<Actor>,
    title: Option<String>,
    name: String,
}

const PRONOUNS: &[(&str, bool)] = &[
    ("he", false),
    ("him", false),
    ("his", false),
    ("himself", false),
    ("she", true),
    ("her", true),
    ("hers", true),
    ("herself", true),
];

/// Pronouns that never name an entity themselves, gendered or not ("He", "They", "Its"):
/// a name finder's candidate that is only one of these is dropped, so a pronoun is never
/// an entity's (or an actor's) name; coreference alone links pronouns to entities.
const NON_NAMES: &[&str] = &[
    "i", "me", "my", "we", "us", "our", "you", "your", "it", "its", "they", "them", "their",
];

/// Whether `word` is a personal pronoun (see [`NON_NAMES`] and the gendered table), written
/// lower-case or capitalised: "US" and "IT" in capitals are names, not "us" and "it".
pub(crate) fn is_pronoun(word: &str) -> bool {
    let word = word.trim();
    let low = word.to_lowercase();
    let mut cap = low.clone();
    if let Some(f) = cap.get_mut(..1) {
        f.make_ascii_uppercase();
    }
    (word == low || word == cap)
        && (PRONOUNS.iter().any(|(p, _)| *p == low) || NON_NAMES.contains(&low.as_str()))
}

pub(crate) fn resolve(lex: &Lexicon, doc: &Document, cands: &[Candidate]) -> Vec<Entity> {
    let toks = tokens::build(doc);
    let ranges = tokens::sentence_ranges(doc);
    let mut sent_of = vec![0usize; toks.len()];
    for (si, &(a, b)) in ranges.iter().enumerate() {
        for s in sent_of.iter_mut().take(b).skip(a) {
            *s = si;
        }
    }
    // 1. Mentions with their local actor evidence.
    let mut ments: Vec<Ment> = Vec::with_capacity(cands.len());
    for c in cands {
        let (s, e) = (c.tokens.0 as usize, c.tokens.1 as usize);
        let sent = sent_of.get(s).copied().unwrap_or(0);
        let (a, b) = ranges.get(sent).copied().unwrap_or((0, toks.len()));
        let info = if c.kind == EntityType::Per {
            code_person(lex, doc, &toks, a, b, c)
        } else {
            MentionInfo::default()
        };
        let whole = toks
            .get(s)
            .zip(toks.get(e.wrapping_sub(1)))
            .map(|(x, y)| Span::new(x.span.start, y.span.end));
        let name = if whole == Some(c.span) {
            joined(&toks, s, e)
        } else {
            doc.slice(c.span).to_string()
        };
        let etype = if matches!(c.kind, EntityType::Per | EntityType::Org)
            && c.mention == MentionKind::Name
            && !info.person_marker
            && !info.titled
            && place_by_context(lex, &toks, (a, b), (s, e), &name)
        {
            EntityType::Loc
        } else {
            c.kind
        };
        ments.push(Ment {
            span: c.span,
            kind: c.mention,
            etype,
            conf: c.confidence,
            name,
            ntoks: e - s,
            first_tok: s,
            sent,
            info,
            fallback_country: None,
        });
    }
    // A list of places ("near Avdiivka, Marinka, Vodyane and Shyrokyne") lends its type to
    // the unfamiliar names the tagger read as persons.
    for i in 1..ments.len() {
        let (prev, cur) = ments.split_at_mut(i);
        let (p, m) = (&prev[i - 1], &mut cur[0]);
        let joined_to_prev = m.sent == p.sent
            && m.first_tok == p.first_tok + p.ntoks + 1
            && toks
                .get(m.first_tok - 1)
                .is_some_and(|t| matches!(t.text, "," | "and" | "or"));
        if joined_to_prev
            && p.etype == EntityType::Loc
            && matches!(m.etype, EntityType::Per | EntityType::Org)
            && m.kind == MentionKind::Name
            && !m.info.person_marker
            && !m.info.titled
            && is_place_name(lex, &toks, m.first_tok, m.first_tok + m.ntoks, &m.name)
        {
            m.etype = EntityType::Loc;
        }
    }
    // Coordinated names share a plural title: "US envoys Steve Witkoff and Jared Kushner".
    for i in 1..ments.len() {
        let (prev, cur) = ments.split_at_mut(i);
        let (p, m) = (&prev[i - 1], &mut cur[0]);
        if m.etype == EntityType::Per
            && !m.info.titled
            && p.etype == EntityType::Per
            && p.info.plural_title
            && m.first_tok >= 1
            && toks.get(m.first_tok - 1).is_some_and(|t| t.text == "and")
            && toks
                .get(m.first_tok - 1)
                .is_some_and(|t| t.span.start >= p.span.end)
            && m.sent == p.sent
            && m.first_tok <= p.first_tok + p.ntoks + 1
        {
            m.info.title = p.info.title.clone();
            m.info.country = p.info.country.clone();
            m.info.sector = p.info.sector.clone();
            m.info.titled = true;
        }
    }
    // Sentence fallback for titled persons with no country: the nearest place/metonym
    // before them in the sentence, else the nearest after. One sorted list per sentence and
    // a binary search per person keeps a long sentence linear.
    let consumed: crate::lexicon::HashSet<usize> = ments.iter().filter_map(|m| m.info.cue_token).collect();
    let needs_country = |m: &Ment| {
        m.info.titled
            && m.info.country.is_none()
            && matches!(m.info.sector.as_deref(), Some("GOV" | "MIL" | "COP" | "JUD"))
    };
    let mut lo = 0;
    while lo < ments.len() {
        let sent = ments[lo].sent;
        // Mentions are in text order, so one sentence's mentions are contiguous.
        let hi = lo + ments[lo..].partition_point(|m| m.sent <= sent);
        if ments[lo..hi].iter().any(needs_country) {
            let cues: Vec<(usize, String)> = ments[lo..hi]
                .iter()
                .filter(|m| matches!(m.etype, EntityType::Loc | EntityType::Org))
                .filter(|m| !consumed.contains(&m.first_tok))
                .filter_map(|m| country_cue(lex, &m.name).map(|(c, _)| (m.first_tok, c)))
                .collect();
            for m in ments[lo..hi].iter_mut() {
                if !needs_country(m) {
                    continue;
                }
                let pos = m.first_tok;
                let k = cues.partition_point(|(t, _)| *t < pos);
                let pick = k.checked_sub(1).and_then(|b| cues.get(b)).or_else(|| cues.get(k));
                m.fallback_country = pick.map(|(_, c)| c.clone());
            }
        }
        lo = hi.max(lo + 1);
    }

    // 2. Clusters: exact repeats, then partial person names.
    let mut cluster_of: Vec<usize> = vec![usize::MAX; ments.len()];
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    // "Organisation for Security and Co-operation in Europe ( OSCE )": the acronym in
    // brackets right after a multi-word name is that name.
    let mut alias: HashMap<&str, &str> = HashMap::default();
    for w in ments.windows(2) {
        let (full, short) = (&w[0], &w[1]);
        let open = toks
            .get(full.first_tok + full.ntoks)
            .is_some_and(|t| t.text == "(");
        let close = toks
            .get(short.first_tok + short.ntoks)
            .is_some_and(|t| t.text == ")");
        if open
            && close
            && short.first_tok == full.first_tok + full.ntoks + 1
            && is_acronym_of(&short.name, &full.name)
        {
            alias.insert(short.name.as_str(), full.name.as_str());
        }
    }
    let mut by_name: HashMap<&str, usize> = HashMap::default();
    for (i, m) in ments.iter().enumerate() {
        let key = alias.get(m.name.as_str()).copied().unwrap_or(m.name.as_str());
        let c = *by_name.entry(key).or_insert_with(|| {
            clusters.push(Vec::new());
            clusters.len() - 1
        });
        clusters[c].push(i);
        cluster_of[i] = c;
    }
    let vote = |cl: &[usize]| -> EntityType {
        let mut v = [0f32; 4];
        for &i in cl {
            let m = &ments[i];
            let mut w = m.conf * if m.ntoks > 1 { 1.5 } else { 1.0 };
            if m.info.person_marker {
                w += 3.0;
            }
            let k = crate::lexicon::TYPES
                .iter()
                .position(|t| *t == m.etype)
                .unwrap_or(3);
            v[k] += w;
        }
        let best = (0..4).max_by(|&x, &y| v[x].total_cmp(&v[y])).unwrap_or(0);
        crate::lexicon::TYPES[best]
    };
    // Last token of multi-token person names -> clusters.
    let mut surname: HashMap<String, Vec<usize>> = HashMap::default();
    for (ci, cl) in clusters.iter().enumerate() {
        if vote(cl) != EntityType::Per {
            continue;
        }
        if let Some(&i) = cl.iter().find(|&&i| ments[i].ntoks > 1) {
            if let Some(last) = ments[i].name.rsplit(' ').next() {
                surname.entry(last.to_string()).or_default().push(ci);
            }
            if let Some(first) = ments[i].name.split(' ').next() {
                // "Mr Trump" is already "Trump"; first names alone rarely refer back.
                let _ = first;
            }
        }
    }
    let mut merged_into: Vec<usize> = (0..clusters.len()).collect();
    for ci in 0..clusters.len() {
        let cl = &clusters[ci];
        if cl.iter().any(|&i| ments[i].ntoks > 1) {
            continue;
        }
        let Some(&first) = cl.first() else { continue };
        let m = &ments[first];
        if m.kind != MentionKind::Name || vote(cl) == EntityType::Misc {
            continue;
        }
        let Some(targets) = surname.get(&m.name) else {
            continue;
        };
        // Nearest full name before the first partial mention, else the first one after.
        let start = m.span.start;
        let first_start = |t: usize| clusters[t].first().map_or(u32::MAX, |&i| ments[i].span.start);
        let pick = targets
            .iter()
            .copied()
            .filter(|&t| t != ci && first_start(t) <= start)
            .max_by_key(|&t| first_start(t))
            .or_else(|| {
                targets
                    .iter()
                    .copied()
                    .filter(|&t| t != ci)
                    .min_by_key(|&t| first_start(t))
            });
        if let Some(t) = pick {
            merged_into[ci] = t;
        }
    }
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); clusters.len()];
    for (ci, cl) in clusters.iter().enumerate() {
        groups[merged_into[ci]].extend(cl.iter().copied());
    }
    let mut cls: Vec<Cluster> = Vec::new();
    for g in groups.into_iter().filter(|g| !g.is_empty()) {
        let mut g = g;
        g.sort_by_key(|&i| ments[i].span.start);
        let etype = vote(&g);
        let name = g
            .iter()
            .map(|&i| &ments[i])
            .filter(|m| matches!(m.kind, MentionKind::Name | MentionKind::Demonym))
            .max_by_key(|m| (m.name.chars().count(), std::cmp::Reverse(m.span.start)))
            .map(|m| m.name.clone())
            .unwrap_or_default();
        let female = g.iter().any(|&i| {
            let m = &ments[i];
            m.ntoks > 1 && m.name.split(' ').next().is_some_and(|f| lex.female.contains(f))
        });
        let (actor, title) = cluster_actor(lex, doc.published, &ments, &g, etype, &name, &toks);
        cls.push(Cluster {
            ments: g,
            extra: Vec::new(),
            etype,
            female,
            actor,
            title,
            name,
        });
    }
    for (ci, c) in cls.iter().enumerate() {
        for &i in &c.ments {
            cluster_of[i] = ci;
        }
    }

    // 3. Nominals and pronouns, one pass over each sentence's tokens. Person-name mentions
    // per sentence are merged in as the scan passes them, so "the latest compatible person"
    // is a running value (index 0 male, 1 female) and long sentences stay linear.
    let mut names_in: Vec<Vec<(u32, usize)>> = vec![Vec::new(); ranges.len().max(1)];
    for (i, m) in ments.iter().enumerate() {
        let ci = cluster_of[i];
        if cls.get(ci).is_some_and(|c| c.etype == EntityType::Per) {
            if let Some(v) = names_in.get_mut(m.sent) {
                v.push((m.span.start, ci));
            }
        }
    }
    let name_count: Vec<usize> = cls.iter().map(|c| c.ments.len()).collect();
    let first_pos: Vec<u32> = cls
        .iter()
        .map(|c| c.ments.first().map_or(u32::MAX, |&i| ments[i].span.start))
        .collect();
    let nominals = NominalIndex::new(&cls, &name_count, &first_pos);
    let female: Vec<bool> = cls.iter().map(|c| c.female).collect();
    let empty: Vec<(u32, usize)> = Vec::new();
    // First person of each gender in each sentence (names, nominals and pronouns alike).
    let mut first_of: Vec<[Option<usize>; 2]> = vec![[None; 2]; ranges.len()];
    for (si, &(a, b)) in ranges.iter().enumerate() {
        let names = names_in.get(si).unwrap_or(&empty);
        let mut next_name = 0;
        let mut last: [Option<usize>; 2] = [None; 2];
        let mut first: [Option<usize>; 2] = [None; 2];
        let see = |ci: usize, last: &mut [Option<usize>; 2], first: &mut [Option<usize>; 2]| {
            let g = usize::from(female.get(ci).copied().unwrap_or(false));
            last[g] = Some(ci);
            first[g].get_or_insert(ci);
        };
        let mut i = a;
        while i < b {
            let t = &toks[i];
            while let Some(&(p, ci)) = names.get(next_name) {
                if p >= t.span.start {
                    break;
                }
                see(ci, &mut last, &mut first);
                next_name += 1;
            }
            let low = tokens::lower(t.text);
            // Nominal: "the Russian leader".
            if low.as_ref() == "the" && i + 2 < b {
                if let Some((span, ci, next)) = nominal(lex, &toks, i, b, &nominals) {
                    cls[ci].extra.push(Mention {
                        span,
                        kind: MentionKind::Nominal,
                    });
                    see(ci, &mut last, &mut first);
                    i = next;
                    continue;
                }
            }
            if t.is_word() {
                if let Some(&(_, fem)) = PRONOUNS.iter().find(|(p, _)| *p == low.as_ref()) {
                    let g = usize::from(fem);
                    // Nearest compatible person before it in the sentence, else the first
                    // (the subject) of up to three earlier sentences.
                    let ante = last[g].or_else(|| {
                        (1..=3)
                            .filter_map(|back| si.checked_sub(back))
                            .find_map(|s| first_of.get(s).and_then(|f| f[g]))
                    });
                    if let Some(ci) = ante {
                        cls[ci].extra.push(Mention {
                            span: t.span,
                            kind: MentionKind::Pronoun,
                        });
                        see(ci, &mut last, &mut first);
                    }
                }
            }
            i += 1;
        }
        for &(_, ci) in names.get(next_name..).unwrap_or(&[]) {
            see(ci, &mut last, &mut first);
        }
        first_of[si] = first;
    }

    // 4. Dense, ordered entities.
    let mut out: Vec<Entity> = cls
        .into_iter()
        .map(|c| {
            let mut mentions: Vec<Mention> = c
                .ments
                .iter()
                .map(|&i| Mention {
                    span: ments[i].span,
                    kind: ments[i].kind,
                })
                .collect();
            mentions.extend(c.extra);
            mentions.sort_by_key(|m| (m.span.start, m.span.end));
            mentions.dedup_by_key(|m| m.span);
            Entity {
                id: EntityId(0),
                name: c.name,
                kind: c.etype,
                actor: c.actor,
                title: c.title,
                mentions,
            }
        })
        .collect();
    out.sort_by_key(|e| e.first_span().map_or(u32::MAX, |s| s.start));
    for (i, e) in out.iter_mut().enumerate() {
        e.id = EntityId(i as u32);
    }
    out
}

/// Country and sector of a curated person named `name` on `date`: an exact spelling, or a
/// bare surname of one curated person (of the one in office on `date` when several share
/// it, e.g. two Johnsons).
/// Words that put a name in a place: "near Pisky", "shelling in Shyrokyne".
const LOCATIVE: &[&str] = &[
    "near", "in", "outside", "around", "into", "towards", "toward", "from", "at", "of", "nearby",
];

/// True when a name the tagger typed PER or ORG (tokens `[s, e)` of the sentence `[a, b)`)
/// should be read as the place the gazetteer knows under it, because the sentence offers
/// no other reading: the line is only the name (a dateline, a list of headlines: "Pisky"),
/// or a locative preposition governs it ("near Pisky", "the village of Vodiane") and it is
/// not possessive. The tagger guesses on unfamiliar names; it keeps the names the training
/// corpora saw as persons or organisations more often than as places, and known persons.
fn place_by_context(
    lex: &crate::lexicon::Lexicon,
    toks: &[Tok],
    (a, b): (usize, usize),
    (s, e): (usize, usize),
    name: &str,
) -> bool {
    if e <= s || lex.person_keys.contains_key(name) || lex.actors.contains_key(name) {
        return false;
    }
    // "Laurel County", "Rapides Parish", "Tambov Oblast": a name that ends in the word for
    // an administrative division and is one in the gazetteer is that division, whatever
    // the tagger guessed (a football club, "Derby County", is no county in the tables).
    if DIVISION_WORDS.iter().any(|d| name.ends_with(d)) {
        return Gazetteer::global()
            .candidates(name)
            .any(|c| !c.alternate && c.entry.kind != chronicle_gazetteer::PlaceKind::City);
    }
    // "Donetsk Airport": an airport named after its town locates events at that town, as
    // conflict datasets code them.
    if let Some(town) = AIRPORT.iter().find_map(|a| name.strip_suffix(a)) {
        return !town.is_empty() && known_place(town);
    }
    // Nothing else on the line but a full stop: a bracket or a score beside the name is a
    // results table ("Leeds )"), where a town's name is its team.
    let bare = (a..b)
        .filter(|&i| i < s || i >= e)
        .filter_map(|i| toks.get(i))
        .all(|t| t.text == "." && t.span.start >= toks.get(e - 1).map_or(0, |l| l.span.end));
    let locative = s > a
        && toks.get(s - 1).is_some_and(|t| LOCATIVE.contains(&t.text))
        && !toks.get(e - 1).is_some_and(|t| t.possessive);
    if !bare && !locative {
        return false;
    }
    is_place_name(lex, toks, s, e, name)
}

/// True when the gazetteer knows `name` (tokens `[s, e)`) as a place, at any tier, and the
/// training corpora did not see its words as names of another kind more than as places.
fn is_place_name(lex: &crate::lexicon::Lexicon, toks: &[Tok], s: usize, e: usize, name: &str) -> bool {
    if lex.person_keys.contains_key(name) || lex.actors.contains_key(name) {
        return false;
    }
    // Seen as a name of another kind in the training corpora more than as a place.
    let seen_elsewhere = toks.get(s..e).unwrap_or(&[]).iter().any(|t| {
        lex.token_counts(t.text)
            .is_some_and(|c| c[1] + c[2] + c[4] > c[3] && c[1] + c[2] + c[4] >= 2)
    });
    if seen_elsewhere {
        return false;
    }
    known_place(name)
}

fn known_place(n: &str) -> bool {
    let g = Gazetteer::global();
    g.candidates(n).next().is_some() || !g.transliterated(n).is_empty() || !g.villages(n).is_empty()
}

/// Words that end the names of administrative divisions.
const DIVISION_WORDS: &[&str] = &[
    " County",
    " Parish",
    " Oblast",
    " Province",
    " Governorate",
    " Prefecture",
];

/// Endings of airport names ("Donetsk International Airport").
pub(crate) const AIRPORT: &[&str] = &[" International Airport", " Airport", " airport"];

pub(crate) fn curated_role(
    lex: &Lexicon,
    name: &str,
    date: Option<chronicle_core::NaiveDate>,
) -> Option<(&'static str, Option<&'static str>)> {
    let canon = match lex.person_keys.get(name) {
        Some(c) => *c,
        None if !name.contains(' ') => {
            let cands = lex.surnames.get(name)?;
            match cands.as_slice() {
                [one] => *one,
                many => {
                    let mut live = many
                        .iter()
                        .filter(|c| lex.persons.get(*c).is_some_and(|t| in_office(t, date)));
                    let first = live.next()?;
                    if live.next().is_some() {
                        return None;
                    }
                    *first
                }
            }
        }
        None => return None,
    };
    role_on(lex.persons.get(canon)?, date)
}

fn cluster_actor(
    lex: &Lexicon,
    published: Option<chronicle_core::NaiveDate>,
    ments: &[Ment],
    g: &[usize],
    etype: EntityType,
    name: &str,
    toks: &[Tok<'_>],
) -> (Option<Actor>, Option<String>) {
    if etype != EntityType::Per {
        let best = g.iter().map(|&i| &ments[i]).find(|m| m.name == name);
        let actor =
            best.and_then(|m| code_other(lex, etype, &m.name, toks, m.first_tok, m.first_tok + m.ntoks));
        return (actor, None);
    }
    let mut title = None;
    let mut country = None;
    let mut sector = None;
    for m in g.iter().map(|&i| &ments[i]) {
        if title.is_none() && m.info.titled {
            title = m.info.title.clone();
            sector = sector.or(m.info.sector.clone());
            country = country.or(m.info.country.clone());
        }
    }
    for m in g.iter().map(|&i| &ments[i]) {
        country = country.or(m.info.country.clone());
        sector = sector.or(m.info.sector.clone());
    }
    // The dated table fills what the text left open; a title in the text always wins, and
    // a "former" title keeps the list from making the person the government again.
    let former = g.iter().any(|&i| ments[i].info.former);
    if let Some((c, sec)) = curated_role(lex, name, published) {
        if country.is_none() {
            country = Some(c.to_string());
        }
        if sector.is_none() && !former && country.as_deref() == Some(c) {
            sector = sec.map(str::to_string);
        }
    }
    if country.is_none() {
        country = g.iter().find_map(|&i| ments[i].fallback_country.clone());
    }
    let actor = (country.is_some() || sector.is_some()).then_some(Actor { country, sector });
    (actor, title)
}

/// Person clusters by (country, sector) and by (country, any sector), in order of first
/// mention, each paired with the best antecedent so far (most mentions, then earliest), so
/// a nominal finds its leader with one binary search.
struct NominalIndex {
    by_key: HashMap<NominalKey, Vec<(u32, usize)>>,
}

/// (country, sector); `None` sector collects every person of the country.
type NominalKey = (String, Option<String>);

impl NominalIndex {
    fn new(cls: &[Cluster], name_count: &[usize], first_pos: &[u32]) -> Self {
        let mut by_key: HashMap<NominalKey, Vec<(u32, usize)>> = HashMap::default();
        for (ci, c) in cls.iter().enumerate() {
            if c.etype != EntityType::Per {
                continue;
            }
            let Some(country) = c.actor.as_ref().and_then(|a| a.country.clone()) else {
                continue;
            };
            let sector = c.actor.as_ref().and_then(|a| a.sector.clone());
            if sector.is_some() {
                by_key
                    .entry((country.clone(), sector))
                    .or_default()
                    .push((first_pos[ci], ci));
            }
            by_key
                .entry((country, None))
                .or_default()
                .push((first_pos[ci], ci));
        }
        let key = |ci: usize| (name_count[ci], std::cmp::Reverse(first_pos[ci]));
        for v in by_key.values_mut() {
            v.sort_unstable();
            let mut best: Option<usize> = None;
            for e in v.iter_mut() {
                if best.is_none_or(|b| key(e.1) >= key(b)) {
                    best = Some(e.1);
                }
                e.1 = best.unwrap_or(e.1);
            }
        }
        NominalIndex { by_key }
    }

    /// Best person of `country` (and `sector`, when the office has one) first named before
    /// `start`.
    fn pick(&self, country: &str, sector: Option<&str>, start: u32) -> Option<usize> {
        let v = self
            .by_key
            .get(&(country.to_string(), sector.map(str::to_string)))?;
        let k = v.partition_point(|(p, _)| *p < start);
        v.get(k.checked_sub(1)?).map(|e| e.1)
    }
}

/// "the Russian leader" at token `i` ("the"): the span, the person cluster it names, and
/// the token after it.
fn nominal(
    lex: &Lexicon,
    toks: &[Tok<'_>],
    i: usize,
    b: usize,
    index: &NominalIndex,
) -> Option<(Span, usize, usize)> {
    let mut k = i + 1;
    let cue_tok = toks.get(k)?;
    if !cue_tok.is_cap() {
        return None;
    }
    let (country, _) = country_cue(lex, cue_tok.text)?;
    k += 1;
    if cue_tok.possessive {
        // "the Kremlin's", not a nominal of a person.
        return None;
    }
    while k < b
        && lex
            .titles
            .get(toks[k].lower)
            .is_some_and(|t| t.kind == TitleKind::Modifier)
    {
        k += 1;
    }
    let (n, kind) = title_at(lex, toks, k, b)?;
    if kind != TitleKind::Office {
        return None;
    }
    let end = k + n;
    if toks.get(end).is_some_and(|t| t.is_cap()) {
        return None;
    }
    let office = toks.get(end - 1)?.lower;
    if office.ends_with('s') && office != "ambassadors" && !office.ends_with("ss") {
        // Plural ("the Russian officials") names a group, not one person.
        return None;
    }
    let sector = lex.titles.get(office).and_then(|t| t.sector);
    let start = toks.get(i)?.span.start;
    let pick = index.pick(&country, sector, start)?;
    let span = Span::new(start, toks.get(end - 1)?.span.end);
    Some((span, pick, end))
}

/// "OSCE" for "Organisation for Security and Co-operation in Europe": the acronym's letters
/// are initials of the name's capitalised words, in order (function words may be skipped).
fn is_acronym_of(short: &str, full: &str) -> bool {
    let letters: Vec<char> = short.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 || !letters.iter().all(|c| c.is_uppercase()) || !full.contains(' ') {
        return false;
    }
    let initials: Vec<char> = full
        .split([' ', '-'])
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    let mut it = initials.iter();
    letters.iter().all(|l| it.any(|i| i == l)) && initials.first() == letters.first()
}

#[cfg(test)]
mod pronoun_tests {
    #[test]
    fn pronouns_but_not_capitalised_names() {
        for p in ["He", "he", "His", "They", "it", "Its"] {
            assert!(super::is_pronoun(p), "{p}");
        }
        for n in ["US", "IT", "Putin", "Hen", "U.S."] {
            assert!(!super::is_pronoun(n), "{n}");
        }
    }
}
