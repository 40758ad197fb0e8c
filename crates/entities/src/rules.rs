//! The rule-and-lexicon candidate provider: capitalised-name runs, title stripping,
//! gazetteer hits and a small naive-Bayes type classifier learned from CoNLL-2003 counts.

use crate::lexicon::{Lexicon, TitleKind, TYPES};
use crate::tokens::{self, title_case, Tok};
use crate::{Candidate, CandidateProvider};
use chronicle_core::{Document, EntityType, MentionKind, Span, TokenKind};
use chronicle_gazetteer::Gazetteer;
use std::sync::Arc;

/// Finds names with rules and learned word statistics; the default provider.
/// Known actor names count as names, so it holds the tables the stage codes with.
#[derive(Debug, Clone)]
pub struct RuleProvider {
    lex: Arc<Lexicon>,
}

impl Default for RuleProvider {
    fn default() -> Self {
        Self::with_lexicon(Lexicon::builtin())
    }
}

impl RuleProvider {
    /// The provider reading `lex` (the built-in tables plus any user actor files).
    pub fn with_lexicon(lex: Arc<Lexicon>) -> Self {
        RuleProvider { lex }
    }
}

impl CandidateProvider for RuleProvider {
    fn candidates(&self, doc: &Document) -> Vec<Candidate> {
        let toks = tokens::build(doc);
        let mut out = Vec::new();
        for (a, b) in tokens::sentence_ranges(doc) {
            sentence(&self.lex, &toks, a, b, &mut out);
        }
        out
    }
}

/// Common nouns that, right after a name, make it an organisation ("the Wagner group").
const ORG_NOUNS: &[&str] = &[
    "group",
    "company",
    "firm",
    "party",
    "agency",
    "organisation",
    "organization",
    "charity",
    "ngo",
    "movement",
    "newspaper",
    "network",
    "alliance",
    "militia",
    "bank",
    "corporation",
    "foundation",
    "institute",
    "union",
    "committee",
    "council",
    "broadcaster",
    "airline",
    "consortium",
];

/// Endings of ordinary words; an unknown capitalised word with one of these at the start
/// of a sentence ("Eyewitnesses", "Flamboyant") is not taken for a name.
const COMMON_SUFFIXES: &[&str] = &[
    "ly", "ness", "ment", "ments", "ity", "ous", "ive", "ful", "less", "ism", "ation", "ations", "esses",
    "ant", "ances", "ences", "ists", "ings",
];

/// Lower-case words that may sit inside a name between two capitalised words.
const JOINERS: &[&str] = &[
    "of", "for", "and", "in", "&", "de", "van", "von", "der", "den", "la", "le", "du", "del", "bin", "al",
    "da", "di",
];

/// Lower-cased words from `i` on (stops at the first non-word), at most `n`.
fn lower_words(toks: &[Tok<'_>], i: usize, end: usize, n: usize) -> Vec<String> {
    toks.get(i..end.min(i + n))
        .unwrap_or(&[])
        .iter()
        .take_while(|t| t.is_word())
        .map(|t| t.lower.to_string())
        .collect()
}

/// Longest title phrase starting at `i` (office or honorific): (length, kind).
pub(crate) fn title_at(lex: &Lexicon, toks: &[Tok<'_>], i: usize, end: usize) -> Option<(usize, TitleKind)> {
    let first = toks.get(i)?;
    if !first.is_word() || !lex.title_first.contains(tokens::lower(first.text).as_ref()) {
        return None;
    }
    let words = lower_words(toks, i, end, lex.max_title_words);
    for n in (1..=words.len()).rev() {
        let phrase = words.get(..n)?.join(" ");
        if let Some(e) = lex.titles.get(phrase.as_str()) {
            if e.kind != TitleKind::Modifier {
                return Some((n, e.kind));
            }
        }
    }
    None
}

/// A word of a hyphenated token with a lower-case tail ("US-led"): the prefix, if it names
/// a country or people.
fn hyphen_prefix(text: &str) -> Option<&str> {
    let (head, tail) = text.split_once('-')?;
    (tail.chars().next().is_some_and(char::is_lowercase)
        && head.chars().next().is_some_and(char::is_uppercase))
    .then_some(head)
}

fn starts_sentence(toks: &[Tok<'_>], a: usize, i: usize) -> bool {
    let mut j = i;
    while j > a {
        j -= 1;
        let t = &toks[j];
        match t.kind {
            TokenKind::Word | TokenKind::Number => return false,
            TokenKind::Quote(_) => return true,
            TokenKind::Punct => {
                if matches!(t.text, ":" | "(" | "-" | "—" | "–" | "[") {
                    return true;
                }
            }
        }
    }
    true
}

/// Is this capitalised token part of a name?
fn nameish(lex: &Lexicon, t: &Tok<'_>, initial: bool, headline: bool) -> bool {
    if !t.is_word() {
        return false;
    }
    if headline {
        if !t.is_all_caps() && !t.is_cap() {
            return false;
        }
    } else if !t.is_cap() {
        return false;
    }
    if hyphen_prefix(t.text).is_some() || t.text.chars().count() == 1 {
        return false;
    }
    if lex.actors.contains_key(t.text) {
        return true;
    }
    let tc;
    let form = if headline && t.is_all_caps() && !lex.tokens.contains_key(t.text) {
        tc = title_case(t.text);
        tc.as_str()
    } else {
        t.text
    };
    match lex.entity_ratio(form) {
        Some((r, n)) if n >= 2 => {
            if initial || headline {
                r >= 0.5
            } else {
                r >= 0.3
            }
        }
        Some((r, _)) if r > 0.0 && !(initial || headline) => true,
        _ => {
            if initial && !headline && COMMON_SUFFIXES.iter().any(|x| t.text.ends_with(x)) {
                return false;
            }
            if initial || headline {
                let lower = t.lower;
                !lex.is_common_lower(lower) && (form.chars().count() > 1 || !headline)
            } else {
                true
            }
        }
    }
}

fn sentence(lex: &Lexicon, toks: &[Tok<'_>], a: usize, b: usize, out: &mut Vec<Candidate>) {
    let Some(sent) = toks.get(a..b) else { return };
    let headline = tokens::is_headline(sent);
    // Active titles: a title phrase directly followed by a capitalised word.
    let mut title_of = vec![None::<TitleKind>; b - a];
    let mut after_title = vec![None::<(TitleKind, bool)>; b - a];
    let mut i = a;
    while i < b {
        if let Some((n, kind)) = title_at(lex, toks, i, b) {
            let next = i + n;
            if next < b
                && toks[next].is_cap()
                && title_at(lex, toks, next, b).is_none()
                && !lex.org_words.contains_key(toks[next].text)
            {
                for k in i..next {
                    title_of[k - a] = Some(kind);
                }
                after_title[next - a] = Some((kind, toks[i].is_cap()));
                i = next;
                continue;
            }
        }
        i += 1;
    }
    let flags: Vec<bool> = (a..b)
        .map(|i| {
            title_of[i - a].is_none()
                && toks[i].is_word()
                && nameish(lex, &toks[i], starts_sentence(toks, a, i), headline)
        })
        .collect();
    let is_name = |i: usize| -> bool { flags.get(i - a).copied().unwrap_or(false) };
    let mut i = a;
    while i < b {
        let t = &toks[i];
        if t.is_word() && title_of[i - a].is_none() {
            if let Some(head) = hyphen_prefix(t.text) {
                let g = Gazetteer::global();
                let demonym = g.country_by_demonym(head).is_some()
                    || lex.actors.get(head).is_some_and(|c| c.class == "demonym");
                let country = g.country_by_name(head).is_some()
                    || lex.actors.get(head).is_some_and(|c| c.class == "alias");
                if demonym || country {
                    let span = Span::new(t.span.start, t.span.start + head.chars().count() as u32);
                    let (kind, mk) = if demonym {
                        (EntityType::Misc, MentionKind::Demonym)
                    } else {
                        (EntityType::Loc, MentionKind::Name)
                    };
                    out.push(Candidate {
                        span,
                        tokens: (i as u32, i as u32 + 1),
                        kind,
                        mention: mk,
                        confidence: 0.8,
                    });
                }
                i += 1;
                continue;
            }
        }
        if !is_name(i) {
            i += 1;
            continue;
        }
        // Optional weak leading word ("Foreign Ministry"), only mid-sentence.
        let mut start = i;
        if i > a && title_of[i - 1 - a].is_none() && toks[i - 1].is_cap() && !starts_sentence(toks, a, i - 1)
        {
            let prev = &toks[i - 1];
            if lex.entity_ratio(prev.text).is_some_and(|(r, _)| r >= 0.15)
                && !prev.possessive
                && !is_name(i - 1)
            {
                start = i - 1;
            }
        }
        let mut end = i + 1;
        while end < b && !toks[end - 1].possessive {
            if is_name(end) && !standalone_pair(lex, &toks[end - 1], &toks[end]) {
                end += 1;
                continue;
            }
            if is_name(end) {
                break;
            }
            let n = &toks[end];
            let inner = (n.is_word() && JOINERS.contains(&n.text))
                || (!headline && n.is_cap() && n.text.chars().count() <= 4 && title_of[end - a].is_none());
            if inner && !n.possessive && end + 1 < b && is_name(end + 1) {
                end += 2;
                continue;
            }
            break;
        }
        emit(lex, toks, a, b, start, end, after_title[start - a], headline, out);
        i = end.max(i + 1);
    }
}

/// Two adjacent words that each name a country/IGO/people on their own ("Ukraine NATO
/// membership") are two names, not one.
fn standalone_pair(lex: &Lexicon, x: &Tok<'_>, y: &Tok<'_>) -> bool {
    let g = Gazetteer::global();
    let strong = |t: &Tok<'_>| {
        g.country_by_name(t.text).is_some()
            || g.country_by_demonym(t.text).is_some()
            || lex.actors.get(t.text).is_some_and(|c| c.class != "person")
    };
    strong(x) && strong(y)
}

/// Classifies toks[s..e] and pushes one or more candidates (splitting at joiners when the
/// whole does not read as an organisation).
#[allow(clippy::too_many_arguments)]
fn emit(
    lex: &Lexicon,
    toks: &[Tok<'_>],
    a: usize,
    b: usize,
    s: usize,
    e: usize,
    after_title: Option<(TitleKind, bool)>,
    headline: bool,
    out: &mut Vec<Candidate>,
) {
    let (kind, mk, conf) = classify(lex, toks, a, b, s, e, after_title, headline);
    let joiner = (s + 1..e.saturating_sub(1)).find(|&k| {
        let t = &toks[k];
        !t.is_cap() && JOINERS.contains(&t.text)
    });
    if let Some(k) = joiner {
        let left_per = || classify(lex, toks, a, b, s, k, after_title, headline).0 == EntityType::Per;
        let keep = match toks[k].text {
            "&" => kind == EntityType::Org,
            // "Bank and Trust Company", not "Qwest and MCI".
            "and" => {
                kind == EntityType::Org
                    && lex.org_words.contains_key(toks[e - 1].text)
                    && !lex.org_words.contains_key(toks[k - 1].text)
            }
            // "Organisation for Security and Co-operation in Europe", not "Reuters in London".
            "in" => kind == EntityType::Org && toks[s..k].iter().any(|t| lex.org_words.contains_key(t.text)),
            // "Jesper Parnevik of Sweden" is a person and a place.
            "of" | "for" => kind != EntityType::Per && !left_per(),
            _ => true,
        };
        if !keep {
            emit(lex, toks, a, b, s, k, after_title, headline, out);
            emit(lex, toks, a, b, k + 1, e, None, headline, out);
            return;
        }
    }
    let span = Span::new(toks[s].span.start, toks[e - 1].span.end);
    out.push(Candidate {
        span,
        tokens: (s as u32, e as u32),
        kind,
        mention: mk,
        confidence: conf,
    });
}

/// The name as one string with single spaces (for table lookups).
pub(crate) fn joined(toks: &[Tok<'_>], s: usize, e: usize) -> String {
    let mut out = String::new();
    for (k, t) in toks.get(s..e).unwrap_or(&[]).iter().enumerate() {
        if k > 0 && t.span.start > toks[s + k - 1].span.end {
            out.push(' ');
        }
        out.push_str(t.text);
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn classify(
    lex: &Lexicon,
    toks: &[Tok<'_>],
    a: usize,
    b: usize,
    s: usize,
    e: usize,
    after_title: Option<(TitleKind, bool)>,
    headline: bool,
) -> (EntityType, MentionKind, f32) {
    let name = joined(toks, s, e);
    let g = Gazetteer::global();
    if let Some(c) = lex.actors.get(name.as_str()) {
        let mk = if c.class == "demonym" {
            MentionKind::Demonym
        } else {
            MentionKind::Name
        };
        return (c.kind, mk, 0.95);
    }
    // A capitalised title or an honorific makes a person; a lower-case office ("economy
    // minister Heizo Takenaka", but also "the official Xinhua agency") only leans that way.
    let mut per_bonus = 0.0;
    match after_title {
        Some((TitleKind::Honorific, _)) | Some((_, true)) => {
            return (EntityType::Per, MentionKind::Name, 0.9)
        }
        Some(_) => per_bonus = 4.0,
        None => {}
    }
    if e - s == 1 && g.country_by_demonym(&name).is_some() {
        return (EntityType::Misc, MentionKind::Demonym, 0.9);
    }
    if e - s >= 2 && lex.org_words.contains_key(toks[e - 1].text) {
        return (EntityType::Org, MentionKind::Name, 0.85);
    }
    if g.country_by_name(&name).is_some() {
        return (EntityType::Loc, MentionKind::Name, 0.9);
    }
    if let Some(n) = toks.get(e).filter(|_| e < b) {
        let low = tokens::lower(n.text);
        let two = toks
            .get(e + 1)
            .filter(|_| e + 1 < b)
            .map(|t| format!("{low} {}", t.text));
        if ORG_NOUNS.contains(&low.as_ref()) || two.as_deref() == Some("think tank") {
            return (EntityType::Org, MentionKind::Name, 0.8);
        }
    }
    let mut score = lex.log_prior();
    let mut buf = String::with_capacity(32);
    let mut add = |prefix: &str, v: &str| {
        buf.clear();
        buf.push_str(prefix);
        buf.push_str(v);
        if let Some(lp) = lex.feature_logp(&buf) {
            for (s, l) in score.iter_mut().zip(lp) {
                *s += l;
            }
        }
    };
    for t in &toks[s..e] {
        add("w=", t.text);
        if headline && t.is_all_caps() && !lex.tokens.contains_key(t.text) {
            add("w=", &title_case(t.text));
        }
    }
    if !headline {
        add("f=", toks[s].text);
        add("l=", toks[e - 1].text);
    }
    let prev = if s > a {
        if toks[s - 1].poss_marker {
            "'s".into()
        } else {
            tokens::lower(toks[s - 1].text)
        }
    } else {
        "<s>".into()
    };
    add("p=", &prev);
    let next = if toks[e - 1].possessive {
        "'s".into()
    } else if e < b {
        tokens::lower(toks[e].text)
    } else {
        "</s>".into()
    };
    add("n=", &next);
    let last = tokens::lower(toks[e - 1].text);
    let cut = last.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
    add("s=", last.get(cut..).unwrap_or(""));
    add("k=", ["", "1", "2", "3", "4"][(e - s).min(4)]);
    let acronym = e - s == 1 && toks[s].is_all_caps() && !headline;
    if !acronym && g.is_place_name(&name) {
        // Names the learned table barely knows are decided by the gazetteer.
        let known: u32 = toks[s..e]
            .iter()
            .filter_map(|t| lex.token_counts(t.text))
            .map(|c| c[1..].iter().sum::<u32>())
            .sum();
        score[2] += if known < 3 { 6.0 } else { 2.5 };
    }
    score[0] += per_bonus;
    if lex.female.contains(toks[s].text) && e - s >= 2 {
        score[0] += 3.0;
    }
    let best = (0..4).max_by(|&x, &y| score[x].total_cmp(&score[y])).unwrap_or(0);
    let z: f64 = score.iter().map(|v| (v - score[best]).exp()).sum();
    let kind = TYPES[best];
    let mk = if kind == EntityType::Misc && e - s == 1 && lex.actors.contains_key(name.as_str()) {
        MentionKind::Demonym
    } else {
        MentionKind::Name
    };
    (kind, mk, (1.0 / z) as f32)
}
