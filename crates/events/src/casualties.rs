//! Casualties: the killed and wounded counts and the victim noun a violent event reports,
//! and ACLED's split of one day's deaths over several records.

use crate::words::List;
use crate::{clause_start, Sent};

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
        if matches!(x, "." | ";" | "and" | ",") && k + 1 < end {
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

/// Counts after a casualty verb ("killed two civilians") or before it ("12 people were
/// killed", "at least 12 dead"), coordinated counts summed ("one soldier and three rebels
/// were killed": 4); the victim noun is kept when it is a known person noun.
/// One clause's casualty counts: (clause start token, killed, wounded, victim noun).
type ClauseCasualties = (usize, Option<u32>, Option<u32>, Option<String>);

/// The counts of each clause that reports casualties, in sentence order: a violent event
/// takes those of its own clause, so "drones killed two civilians, while debris sparked a
/// fire at a depot" gives the fire no dead.
pub(crate) fn casualties(s: &Sent) -> Vec<ClauseCasualties> {
    let n = s.toks.len();
    let mut out: Vec<ClauseCasualties> = Vec::new();
    for i in 0..n {
        let w = s.w(i);
        let is_k = List::KillWord.has(w);
        let is_w = List::WoundWord.has(w);
        if !is_k && !is_w {
            continue;
        }
        let clause = clause_start(s, i);
        let at = match out.iter().position(|c| c.0 == clause) {
            Some(p) => p,
            None => {
                out.push((clause, None, None, None));
                out.len() - 1
            }
        };
        let Some((_, killed, wounded, victims)) = out.get_mut(at) else {
            continue;
        };
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
        if let Some((c, v)) = found {
            if is_k {
                *killed = Some(killed.map_or(c, |k| k.max(c)));
            } else {
                *wounded = Some(wounded.map_or(c, |k| k.max(c)));
            }
            if victims.is_none() {
                *victims = v;
            }
        }
    }
    out.retain(|c| c.1.is_some() || c.2.is_some());
    out
}

/// The casualties a violent event triggered in `clause` reports: its own clause's, and for
/// the sentence's first violent event also those of clauses no violent trigger speaks for
/// ("The attack, which killed 12 people, ...").
pub(crate) fn casualties_for(
    all: &[ClauseCasualties],
    clause: usize,
    first_violent: bool,
    violent_clauses: &[usize],
) -> (Option<u32>, Option<u32>, Option<String>) {
    let mut out: (Option<u32>, Option<u32>, Option<String>) = (None, None, None);
    for (c, k, w, v) in all {
        let mine = *c == clause || (first_violent && !violent_clauses.contains(c));
        if !mine {
            continue;
        }
        if let Some(k) = k {
            out.0 = Some(out.0.map_or(*k, |x| x.max(*k)));
        }
        if let Some(w) = w {
            out.1 = Some(out.1.map_or(*w, |x| x.max(*w)));
        }
        if out.2.is_none() {
            out.2.clone_from(v);
        }
    }
    out
}
