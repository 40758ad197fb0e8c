//! Casualties: the killed and wounded counts and the victim noun a violent event reports,
//! and ACLED's split of one day's deaths over several records.

use crate::arguments::clause_start;
use crate::sentence::Sent;
use crate::words::List;
use chronicle_core::{Deprel, Participant};

/// ACLED notes that share one day's deaths among several records say so ("[4 fatalities
/// split across 22 events]", "[Fatalities split among 16 events]"); each record's own count
/// is then its share, rounded down as ACLED assigns whole deaths: (stated total, parts).
pub(crate) fn acled_split(text: &str) -> Option<(Option<u32>, u32)> {
    let at = text.find(" split ")?;
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')' | '.'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let after = words(text.get(at..)?.get(..80.min(text.len() - at))?);
    let (Some(prep), Some(n), Some(ev)) = (after.get(1), after.get(2), after.get(3)) else {
        return None;
    };
    if !matches!(prep.as_str(), "across" | "among" | "over" | "between") || !ev.starts_with("event") {
        return None;
    }
    let parts = number_word(n).filter(|&p| p > 1)?;
    let lo = text.get(..at)?.char_indices().rev().nth(40).map_or(0, |(i, _)| i);
    let before = words(text.get(lo..at)?);
    let total = before
        .windows(2)
        .rev()
        .find(|w| w[1].starts_with("fatalit"))
        .and_then(|w| number_word(&w[0]));
    Some((total, parts))
}

/// A count written as a word ("two") or in digits ("1,200").
pub(crate) fn number_word(w: &str) -> Option<u32> {
    chronicle_core::words::number_word(w).or_else(|| {
        let digits: String = w.chars().filter(|c| *c != ',').collect();
        digits.parse().ok().filter(|n: &u32| *n < 1_000_000)
    })
}

/// Whether the number at `k` is an age ("a 53-year-old civilian", "aged 5 years old"),
/// not a count.
fn is_age(s: &Sent, k: usize) -> bool {
    let next = s.w(k + 1);
    next.starts_with("-year")
        || next.starts_with("year-")
        || (next == "-" && s.w(k + 2).starts_with("year"))
        || (matches!(next, "year" | "years") && s.w(k + 2).starts_with("old"))
        || s.w(k.wrapping_sub(1)) == "aged"
}

/// A count (and victim noun) that ends just before token `end` ("three rebels", "One
/// Ukrainian Government soldier", "the young boy"): searched leftwards at most six tokens.
fn count_before(s: &Sent, end: usize, lo: usize) -> Option<(usize, u32, Option<String>)> {
    for k in (lo..end).rev() {
        let x = s.w(k);
        // Another kill or wound word ends the reach: "Three soldiers killed, 15 wounded"
        // counts 15 wounded, not 18.
        if (matches!(x, "." | ";" | "and" | ",") && k + 1 < end)
            || List::KillWord.has(x)
            || List::WoundWord.has(x)
        {
            break;
        }
        if let Some(c) = number_word(x).filter(|_| !is_age(s, k)) {
            let vict = (k + 1..end)
                .map(|q| s.w(q))
                .find(|q| List::VictimNoun.has(q))
                .map(str::to_string);
            let article = matches!(x, "a" | "an" | "one");
            if article && vict.is_none() {
                continue;
            }
            return (vict.is_some() || k + 1 == end).then_some((k, c, vict));
        }
        if matches!(x, "the" | "this" | "that") {
            // "the young boy died": a determiner and a singular person noun count one.
            let vict = (k + 1..end).map(|q| s.w(q)).find(|q| List::SingularVictim.has(q));
            return vict.map(|v| (k, 1, Some(v.to_string())));
        }
    }
    None
}

/// One clause's casualty counts: the clause's start token, killed, wounded, and the victim
/// noun ("civilians", "police officers").
#[derive(Debug, Clone, Default)]
pub(crate) struct ClauseCasualties {
    clause: usize,
    killed: Option<u32>,
    wounded: Option<u32>,
    victims: Option<String>,
}

/// What a violent event reports of its casualties.
#[derive(Debug, Clone, Default)]
pub(crate) struct Casualties {
    pub(crate) killed: Option<u32>,
    pub(crate) wounded: Option<u32>,
    pub(crate) victims: Option<String>,
}

/// The counts of each clause that reports casualties, in sentence order: a violent event
/// takes those of its own clause, so "drones killed two civilians, while debris sparked a
/// fire at a depot" gives the fire no dead. Read off the parse where the sentence has one
/// (the victim is what the kill or wound word governs, its count the number modifying it);
/// a kill word the parse gives no count, and a sentence without a parse, fall back to
/// token windows.
pub(crate) fn casualties(s: &Sent) -> Vec<ClauseCasualties> {
    let mut out: Vec<ClauseCasualties> = Vec::new();
    let tree = Tree::of(s);
    for i in 0..s.toks.len() {
        let w = s.w(i);
        let toll = List::DeathCount.has(w);
        let is_k = toll || List::KillWord.has(w);
        let is_w = List::WoundWord.has(w);
        if !is_k && !is_w {
            continue;
        }
        let parsed = tree.as_ref().and_then(|t| t.read(i));
        let found = match parsed {
            Some(f) => Some(f),
            None if toll => None,
            None => window(s, i).map(|(count, victims)| Found { count, victims }),
        };
        let Some(f) = found else { continue };
        let clause = clause_start(s, i);
        let at = match out.iter().position(|c| c.clause == clause) {
            Some(p) => p,
            None => {
                out.push(ClauseCasualties {
                    clause,
                    ..Default::default()
                });
                out.len() - 1
            }
        };
        let Some(c) = out.get_mut(at) else { continue };
        let slot = if is_k { &mut c.killed } else { &mut c.wounded };
        *slot = Some(slot.map_or(f.count, |k| k.max(f.count)));
        if c.victims.is_none() {
            c.victims = f.victims;
        }
    }
    out
}

/// One kill or wound word's reading: the count and the victim noun.
struct Found {
    count: u32,
    victims: Option<String>,
}

/// The sentence's dependency tree, in sentence token indices.
struct Tree<'s, 'a> {
    s: &'s Sent<'a>,
    heads: Vec<Option<usize>>,
    rels: Vec<Deprel>,
}

impl<'s, 'a> Tree<'s, 'a> {
    /// The tree, when the syntax layer covers the sentence.
    fn of(s: &'s Sent<'a>) -> Option<Self> {
        let syn = s.doc.syntax.get(s.base..s.base + s.toks.len())?;
        let n = s.toks.len();
        let heads = syn
            .iter()
            .map(|t| {
                t.head
                    .and_then(|h| (h as usize).checked_sub(s.base))
                    .filter(|&h| h < n)
            })
            .collect();
        let rels = syn.iter().map(|t| t.rel).collect();
        Some(Tree { s, heads, rels })
    }

    fn rel(&self, i: usize) -> Deprel {
        self.rels.get(i).copied().unwrap_or(Deprel::Dep)
    }

    fn head(&self, i: usize) -> Option<usize> {
        self.heads.get(i).copied().flatten()
    }

    fn kids(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.heads
            .iter()
            .enumerate()
            .filter(move |(_, h)| **h == Some(i))
            .map(|(k, _)| k)
    }

    fn kids_with(&self, i: usize, rel: Deprel) -> Vec<usize> {
        self.kids(i).filter(|&k| self.rel(k) == rel).collect()
    }

    /// The casualties kill or wound word `i` reports, read from what it governs.
    fn read(&self, i: usize) -> Option<Found> {
        let s = self.s;
        // "death toll rose to 12", "the toll hit 6": the number the toll's verb reaches.
        if s.w(i) == "toll" {
            let verb = self.head(i)?;
            let n = self
                .kids(verb)
                .filter(|&k| matches!(self.rel(k).universal(), Deprel::Obl | Deprel::Obj | Deprel::Xcomp))
                .find_map(|k| self.number(k))?;
            return Some(Found {
                count: n,
                victims: None,
            });
        }
        let objs = self.kids_with(i, Deprel::Obj);
        let pass = self.kids_with(i, Deprel::NsubjPass);
        let subj = self.kids_with(i, Deprel::Nsubj);
        let relative = |v: &[usize]| v.iter().all(|&k| matches!(s.w(k), "who" | "that" | "which"));
        // An object is the victim even where the tagger took the verb for a passive
        // participle ("Rebels killed six", parsed as a reduced relative).
        let mut victims: Vec<usize> = if !objs.is_empty() {
            objs
        } else if !pass.is_empty() && !relative(&pass) {
            pass
        } else if matches!(self.rel(i), Deprel::Acl | Deprel::AclRelcl) {
            // "servicemen killed in shelling", "soldiers who were killed"
            self.head(i).into_iter().collect()
        } else if !subj.is_empty() && !relative(&subj) {
            // "one was wounded", "two civilians died", headlines' "Four soldiers killed"
            subj
        } else {
            Vec::new()
        };
        // Nouns of death counted directly: "12 deaths", "the bodies of 12 soldiers".
        if victims.is_empty() && (List::DeathCount.has(s.w(i)) || s.w(i) == "deaths") {
            victims = self.kids_with(i, Deprel::Nmod);
        }
        let mut total: Option<u32> = None;
        let mut noun: Option<usize> = None;
        for v in victims {
            for m in std::iter::once(v).chain(self.kids_with(v, Deprel::Conj)) {
                if let Some((c, nn)) = self.victim_count(m) {
                    total = Some(total.map_or(c, |t| t.saturating_add(c)));
                    noun = noun.or(nn);
                }
            }
        }
        // A number the parse hangs on the word itself: "12 dead", "67 killed", "12 deaths".
        if total.is_none() {
            total = self
                .kids_with(i, Deprel::Nummod)
                .into_iter()
                .find_map(|k| self.number(k));
        }
        let count = total?;
        // "police officers": where only the modifier names the body, it is kept with the noun.
        let victims = noun.map(|k| {
            let body = self
                .kids(k)
                .filter(|&c| c < k && self.rel(c) == Deprel::Compound)
                .find(|&c| chronicle_entities::sector_of_role(s.w(c)).is_some());
            match body {
                Some(c) if chronicle_entities::sector_of_role(s.w(k)).is_none() => {
                    format!("{} {}", s.w(c), s.w(k))
                }
                _ => s.w(k).to_string(),
            }
        });
        Some(Found { count, victims })
    }

    /// The count victim phrase `v` stands for, and its person noun if it names one: a number
    /// ("killed 13", "one was wounded"), a vague count ("dozens" 12, ACLED's figure), the number
    /// modifying the noun ("two civilians"), or one for a singular person noun ("a soldier",
    /// headlines' "Ukrainian soldier killed").
    fn victim_count(&self, v: usize) -> Option<(u32, Option<usize>)> {
        let s = self.s;
        let person = |k: usize| List::VictimNoun.has(s.w(k)) || List::SingularVictim.has(s.w(k));
        let of_noun = || self.kids_with(v, Deprel::Nmod).into_iter().find(|&k| person(k));
        if !matches!(s.w(v), "a" | "an") {
            if let Some(n) = self.number(v) {
                return Some((n, of_noun()));
            }
        }
        if let Some(n) = List::VagueCount.value(s.w(v)).and_then(|x| x.parse().ok()) {
            return Some((n, of_noun()));
        }
        let noun = person(v).then_some(v);
        let counts: Vec<u32> = self
            .kids_with(v, Deprel::Nummod)
            .into_iter()
            .filter(|&k| !matches!(s.w(k), "a" | "an"))
            .filter_map(|k| {
                self.number(k)
                    .or_else(|| List::VagueCount.value(s.w(k)).and_then(|x| x.parse().ok()))
            })
            .collect();
        if let Some(n) = counts.iter().min() {
            return Some((*n, noun));
        }
        let singular = List::SingularVictim.has(s.w(v))
            && s.doc
                .syntax
                .get(s.base + v)
                .is_some_and(|t| t.feats.number != Some(chronicle_core::Number::Plur));
        singular.then_some((1, noun))
    }

    /// The count number token `k` gives, if it is one: not an age ("a 53-year-old"), a date or
    /// time, or a percentage; the lower bound of a range ("10 to 15", "30-35") as ACLED codes
    /// the lowest reported figure.
    fn number(&self, k: usize) -> Option<u32> {
        let s = self.s;
        let n = number_word(s.w(k))?;
        if is_age(s, k) || in_timex(s, k) || matches!(s.w(k + 1), "%" | "percent" | "per") {
            return None;
        }
        if self
            .head(k)
            .is_some_and(|h| s.w(h).starts_with("year") || matches!(s.w(h), "old" | "aged"))
        {
            return None;
        }
        let lower = |j: usize| number_word(s.w(j)).filter(|_| !is_age(s, j));
        let mut low = n;
        if matches!(s.w(k + 1), "to" | "-" | "or" | "\u{2013}") {
            if let Some(m) = lower(k + 2) {
                low = low.min(m);
            }
        }
        if k >= 2 && matches!(s.w(k - 1), "to" | "-" | "or" | "\u{2013}") {
            if let Some(m) = lower(k - 2) {
                low = low.min(m);
            }
        }
        Some(low)
    }
}

/// Whether token `k` lies in a date or time expression ("On 14 October 2020").
fn in_timex(s: &Sent, k: usize) -> bool {
    let Some(t) = s.toks.get(k) else { return false };
    let tx = &s.doc.timexes;
    let i = tx.partition_point(|x| x.span.end <= t.span.start);
    tx.get(i)
        .is_some_and(|x| x.span.start <= t.span.start && t.span.end <= x.span.end)
}

/// The token-window reading of kill or wound word `i`: a count after it ("killed [at least]
/// two [more] civilians") or before it ("12 people were killed", "at least 12 dead"), counts
/// coordinated before that one summed ("one soldier and three rebels were killed": 4); the
/// victim noun is kept when it is a known person noun.
fn window(s: &Sent, i: usize) -> Option<(u32, Option<String>)> {
    let n = s.toks.len();
    let mut found: Option<(u32, Option<String>)> = None;
    // After: "killed [at least] two [more] [Ukrainian] civilians"
    let mut j = i + 1;
    if s.w(j) == "at" && matches!(s.w(j + 1), "least" | "most") {
        j += 2;
    }
    if let Some(c) = number_word(s.w(j)).filter(|_| !is_age(s, j)) {
        let mut vict = None;
        for k in j + 1..(j + 4).min(n) {
            if List::VictimNoun.has(s.w(k)) {
                vict = Some(s.w(k).to_string());
                break;
            }
        }
        let nxt = s.w(j + 1);
        let article = matches!(s.w(j), "a" | "an");
        if vict.is_some() || (!article && matches!(nxt, "more" | "others" | "and" | ",")) {
            found = Some((c, vict));
        }
    }
    // Before: "N [adj] people [were|have been] killed", "at least 12 dead", and any
    // counts coordinated before that one ("One soldier and three rebels were killed").
    if found.is_none() {
        let mut end = i;
        while end > 0
            && matches!(
                s.w(end - 1),
                "were" | "was" | "been" | "have" | "has" | "had" | "are" | "is" | "reportedly" | "also"
            )
        {
            end -= 1;
        }
        if let Some((k, c, v)) = count_before(s, end, i.saturating_sub(8)) {
            let mut total = c;
            let mut at = k;
            // "N1 X and N2 Y", "N1 X, N2 Y and N3 Z"
            while at > 0 && matches!(s.w(at - 1), "and" | ",") {
                // After "and" a bare count will do ("1 Ukrainian and 2 NAF soldiers"); after
                // a comma it needs its victim noun ("On 14 October 2020, a civilian").
                let and = s.w(at - 1) == "and";
                match count_before(s, at - 1, (at - 1).saturating_sub(6))
                    .filter(|(_, c2, v2)| v2.is_some() || (and && *c2 < 1000))
                {
                    Some((k2, c2, _)) => {
                        // Each count is under a million, but a list of thousands of
                        // them must not overflow.
                        total = total.saturating_add(c2);
                        at = k2;
                    }
                    None => break,
                }
            }
            found = Some((total, v));
        }
    }
    found
}

/// The casualties a violent event triggered in `clause` reports: its own clause's, and for
/// the sentence's first violent event also those of clauses no violent trigger speaks for
/// ("The attack, which killed 12 people, ...").
pub(crate) fn casualties_for(
    all: &[ClauseCasualties],
    clause: usize,
    first_violent: bool,
    violent_clauses: &[usize],
) -> Casualties {
    let mut out = Casualties::default();
    for c in all {
        let mine = c.clause == clause || (first_violent && !violent_clauses.contains(&c.clause));
        if !mine {
            continue;
        }
        if let Some(k) = c.killed {
            out.killed = Some(out.killed.map_or(k, |x| x.max(k)));
        }
        if let Some(w) = c.wounded {
            out.wounded = Some(out.wounded.map_or(w, |x| x.max(w)));
        }
        if out.victims.is_none() {
            out.victims.clone_from(&c.victims);
        }
    }
    out
}

/// The target with the victims' sector added when it is coded by country alone: drones that
/// "killed two civilians in Ukraine" target UKRCVL, as CAMEO codes a country's civilians.
pub(crate) fn with_victim_sector(target: Option<Participant>, victims: Option<&str>) -> Option<Participant> {
    let mut t = target?;
    // The victim noun's sector, or its modifier's ("police officers" COP).
    let sector = victims.and_then(|v| {
        let mut words = v.split(' ').rev();
        words.find_map(chronicle_entities::sector_of_role)
    });
    if let (Some(code), Some(sector)) = (t.code.as_mut(), sector) {
        if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
            code.push_str(sector);
        }
    }
    Some(t)
}
