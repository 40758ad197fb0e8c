//! PLOVER contexts and participants: topical words of the sentence, whether a participant
//! is political, and the sector an agent noun gives a country mention.

use crate::arguments::ROLE_ID_BASE;
use crate::cameo::CameoCode;
use crate::sentence::{is_word, Men, Sent};
use crate::words::List;
use chronicle_core::Participant;

/// PLOVER contexts: topical words of the sentence, and the code's own domain (force is
/// military, an election boycott electoral). Keyword lists are ours, after the PLOVER
/// codebook's context names.
pub(crate) fn contexts(s: &Sent, code: CameoCode) -> Vec<&'static str> {
    const TABLE: &[(&str, &[&str])] = &[
        (
            "military",
            &[
                "military",
                "army",
                "troops",
                "soldiers",
                "forces",
                "weapons",
                "missile",
                "missiles",
                "drone",
                "drones",
                "artillery",
                "ceasefire",
                "cease-fire",
                "war",
                "shelling",
                "tanks",
                "navy",
                "defence",
                "defense",
                "offensive",
                "frontline",
                "frontlines",
                "peacekeeping",
                "peacekeepers",
            ],
        ),
        (
            "diplomatic",
            &[
                "diplomatic",
                "diplomat",
                "diplomats",
                "ambassador",
                "embassy",
                "envoy",
                "envoys",
                "ties",
                "relations",
                "summit",
                "talks",
                "negotiations",
                "negotiator",
                "foreign",
                "treaty",
                "visit",
            ],
        ),
        (
            "legal",
            &[
                "court",
                "courts",
                "judge",
                "judges",
                "law",
                "lawsuit",
                "trial",
                "prosecutor",
                "prosecutors",
                "charges",
                "charged",
                "convicted",
                "sentenced",
                "legal",
                "verdict",
                "indictment",
                "arrested",
                "arrest",
            ],
        ),
        (
            "economic",
            &[
                "economy",
                "economic",
                "trade",
                "tariff",
                "tariffs",
                "sanctions",
                "debt",
                "loan",
                "loans",
                "investment",
                "bank",
                "market",
                "markets",
                "budget",
                "imports",
                "exports",
                "embargo",
                "currency",
            ],
        ),
        (
            "political",
            &[
                "party",
                "parliament",
                "opposition",
                "coalition",
                "reform",
                "reforms",
                "political",
                "constitution",
                "referendum",
            ],
        ),
        (
            "election",
            &[
                "election",
                "elections",
                "vote",
                "voters",
                "ballot",
                "polls",
                "campaign",
                "candidate",
                "candidates",
            ],
        ),
        (
            "terrorism",
            &[
                "terrorist",
                "terrorists",
                "terrorism",
                "terror",
                "militant",
                "militants",
                "jihadist",
                "jihadists",
                "hostage",
                "hostages",
                "kidnapped",
                "suicide",
            ],
        ),
        (
            "refugee",
            &[
                "refugee",
                "refugees",
                "asylum",
                "displaced",
                "migrants",
                "migrant",
                "evacuees",
            ],
        ),
        (
            "resource",
            &[
                "oil",
                "gas",
                "water",
                "energy",
                "pipeline",
                "minerals",
                "grain",
                "fuel",
                "electricity",
                "dam",
            ],
        ),
        (
            "cbrn",
            &[
                "nuclear",
                "chemical",
                "biological",
                "radiological",
                "uranium",
                "enrichment",
            ],
        ),
        (
            "rights",
            &[
                "rights",
                "freedom",
                "freedoms",
                "torture",
                "abuses",
                "discrimination",
            ],
        ),
        (
            "cyber",
            &[
                "cyber",
                "cyberattack",
                "hackers",
                "hacking",
                "malware",
                "ransomware",
            ],
        ),
        ("humanitarian", &["humanitarian", "relief", "famine"]),
    ];
    let mut out: Vec<&'static str> = Vec::new();
    let words: Vec<&str> = (0..s.toks.len()).map(|k| s.w(k)).collect();
    for &(name, keys) in TABLE {
        if words.iter().any(|w| keys.contains(w)) {
            out.push(name);
        }
    }
    if (code.is_violent() || code.root() == 15) && !out.contains(&"military") {
        out.insert(0, "military");
    }
    out
}

/// Whether a participant is a political actor: any coded actor but a business or media
/// sector with no country ("---BUS", "---MNC"), or a firm of any country.
pub(crate) fn political(p: &Option<Participant>) -> bool {
    p.as_ref().and_then(|p| p.code.as_deref()).is_some_and(|c| {
        let countryless = c.strip_prefix(chronicle_core::UNKNOWN_COUNTRY);
        !matches!(
            countryless,
            Some("BUS" | "MNC" | "MED" | "EDU" | "HLH" | "AGR" | "LAB")
        ) && !matches!(c.get(3..6), Some("BUS" | "MNC"))
    })
}

pub(crate) fn participant(s: &Sent, i: usize) -> Option<Participant> {
    let m = s.men.get(i)?;
    // A bare country code takes the sector of the agent noun that names the actual actor
    // ("Israeli helicopters" ISRMIL, "a French minister" FRAGOV, "opposition groups in
    // Zimbabwe" ZWEOPP), as PETRARCH's agent dictionary does.
    let code = match m.code.as_deref() {
        Some(c) if c.len() == 3 => match agent_sector(s, m) {
            Some(sec) => Some(format!("{c}{sec}")),
            None => Some(c.to_string()),
        },
        other => other.map(str::to_string),
    };
    Some(Participant {
        entity: Some(m.entity).filter(|e| e.0 < ROLE_ID_BASE),
        code,
        span: m.span,
    })
}

/// Modifiers that may stand between a demonym and its agent noun ("Israeli army
/// bulldozers", "a top U.S. official", "French paper workers").
pub(crate) fn modifier_like(w: &str) -> bool {
    matches!(
        w,
        "top"
            | "senior"
            | "former"
            | "local"
            | "armed"
            | "security"
            | "riot"
            | "border"
            | "special"
            | "paper"
            | "state"
            | "army"
            | "government"
            | "opposition"
            | "traditional"
            | "ethnic"
            | "angry"
            | "young"
            | "junior"
            | "chief"
            | "leading"
            | "elite"
            | "regular"
            | "defeated"
    ) || ["al", "ic", "ary", "ian", "ese", "ish", "ist"]
        .iter()
        .any(|x| w.len() > 4 && w.ends_with(x))
}

/// The CAMEO sector of the agent noun that names an actor given by a country mention: the
/// noun right after it (past "'s" and modifiers), or before "in/of/from" + the mention.
pub(crate) fn agent_sector(s: &Sent, m: &Men) -> Option<&'static str> {
    let role = |k: usize| -> Option<&'static str> {
        let w = s.w(k);
        if !s.toks.get(k).is_some_and(is_word) || s.cap(k) && k > 0 {
            return None;
        }
        let two = format!("{w} {}", s.w(k + 1));
        chronicle_entities::sector_of_role(&two).or_else(|| chronicle_entities::sector_of_role(w))
    };
    let mut k = m.t1;
    if matches!(s.w(k), "'s" | "’s") {
        k += 1;
    }
    for _ in 0..3 {
        if let Some(sec) = role(k) {
            return Some(sec);
        }
        // "its Dutch parent", "French industrial gas group": a firm of that country (a rebel,
        // militant or rights group is none).
        let group = matches!(s.w(k), "group" | "groups");
        let other_group = group
            && k > 0
            && matches!(
                s.w(k - 1),
                "rebel"
                    | "militant"
                    | "terror"
                    | "terrorist"
                    | "armed"
                    | "separatist"
                    | "opposition"
                    | "mercenary"
                    | "paramilitary"
                    | "ethnic"
                    | "rights"
                    | "pressure"
                    | "advocacy"
                    | "hacker"
                    | "hacking"
                    | "extremist"
                    | "islamist"
                    | "jihadist"
                    | "militia"
                    | "protest"
            );
        if List::BusinessHead.has(s.w(k)) && !other_group {
            return Some("BUS");
        }
        // Step over a modifier, or over any word right before a firm's head noun ("gas" in
        // "industrial gas group").
        let before_firm = s.toks.get(k).is_some_and(is_word) && List::BusinessHead.has(s.w(k + 1));
        if !(modifier_like(s.w(k)) || before_firm) {
            break;
        }
        k += 1;
    }
    if m.t0 >= 2 && matches!(s.w(m.t0 - 1), "in" | "of" | "from") {
        for k in (m.t0.saturating_sub(4)..m.t0 - 1).rev() {
            if matches!(s.w(k), "," | "." | ";" | ":") {
                break;
            }
            if let Some(sec) = chronicle_entities::sector_of_role(s.w(k)) {
                return Some(sec);
            }
        }
    }
    None
}
