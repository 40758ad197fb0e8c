//! Trigger finding: the hand lexicon, then the PETRARCH-2 verb table, with the word-window
//! and parse tests that decide whether a table word is used as a verb here.

use crate::cameo::CameoCode;
use crate::casualties::number_word;
use crate::lexicon;
use crate::lexicon::{Form, Kind};
use crate::sentence::{is_word, Sent, Trig};
use crate::tables;
use crate::tables::cameo_info;
use crate::words::List;
use chronicle_core::{Deprel, EntityType};

/// Finds triggers left to right; a token belongs to at most one trigger.
pub(crate) fn find_triggers(s: &Sent) -> Vec<Trig> {
    let lex = lexicon::lexicon();
    let verbs = &s.petr.verbs;
    let n = s.toks.len();
    let mut out = Vec::new();
    let headline = title_case(s);
    let mut i = 0;
    while i < n {
        let Some(tok) = s.toks.get(i) else { break };
        if !is_word(tok)
            || s.men
                .iter()
                .any(|m| m.t0 <= i && i < m.t1 && m.etype != EntityType::Misc)
        {
            i += 1;
            continue;
        }
        let w = s.w(i);
        let mut found: Option<Trig> = None;
        // A capitalised word inside a sentence is part of a name ("London Interbank Offered
        // Rate"), not a verb, unless the sentence is a headline in title case.
        if i > 0 && s.cap(i) && !headline {
            i += 1;
            continue;
        }
        if let Some(cands) = lex.by_first.get(w) {
            for &(ei, form) in cands {
                let Some(e) = lex.entries.get(ei) else { continue };
                let len = e.words.len();
                let rest_ok = (1..len).all(|k| {
                    let x = s.w(i + k);
                    e.words
                        .get(k)
                        .is_some_and(|want| x == *want || x.strip_suffix('s') == Some(want))
                });
                if !rest_ok {
                    continue;
                }
                // A verb entry met in its bare base form is only taken after to/modal/aux,
                // or when it is also a noun event ("talks", "attack") in this lexicon.
                if e.kind == Kind::Verb && form == Form::Base && !verb_context(s, i) && !tagged_verb(s, i) {
                    continue;
                }
                // A gerund after a preposition or determiner names an act, not a clause:
                // "a proposal for signing", "the killing of".
                if e.kind == Kind::Verb
                    && form == Form::Ing
                    && (after_determiner(s, i) || after_preposition(s, i))
                {
                    continue;
                }
                // "refused to meet": the refusal is coded on the complement (see reject_code).
                if e.family == lexicon::Family::Refuse && s.w(i + len) == "to" {
                    continue;
                }
                if e.kind == Kind::Verb
                    && form == Form::Past
                    && (after_determiner(s, i) || object_complement(s, i))
                {
                    continue;
                }
                // "refused to elaborate": the refusal is modality of the next verb, not an event.
                let obj = object_window(s, i + len);
                let Some(code) = lexicon::refine(e, &obj) else {
                    continue;
                };
                if e.family == lexicon::Family::Damage && violent_refine(s, i, "190") == "190" {
                    continue;
                }
                let code = violent_refine(s, i, code);
                // "positions came under fire from ... by NAF rebels": the subject is hit.
                let undergoes = e.words.get(1) == Some(&"under");
                found = Some(Trig {
                    t0: i,
                    t1: i + len,
                    code,
                    kind: e.kind,
                    passive: undergoes || is_passive(s, i, form) || parsed_passive(s, i),
                    broad: false,
                    ing: form == Form::Ing,
                });
                break;
            }
        }
        if found.is_none() {
            // The table lists base forms (and irregular ones): a regular inflection is
            // found through the tagger's lemma of a verb ("arrived", "extradited").
            let by_lemma = || {
                let lemma = s.doc.lemma(s.base + i);
                let verb = s.xpos(i).starts_with("VB");
                // The lemmatiser's suffix rules sometimes drop a silent "e" ("extradited"
                // -> "extradit"): the table's base form is tried with it too.
                (verb && lemma.chars().all(|c| c.is_ascii_lowercase()))
                    .then(|| {
                        verbs
                            .get(lemma)
                            .or_else(|| verbs.get(format!("{lemma}e").as_str()))
                    })
                    .flatten()
                    // Force comes from the hand lexicon, which knows its literal readings:
                    // the broad table's "die" or "dominate" blocks code 190 for "has died
                    // aged 62" and "an industry dominated by major labels".
                    .filter(|pv| {
                        !pv.code
                            .and_then(CameoCode::new)
                            .is_some_and(CameoCode::is_violent)
                    })
                    // A verb stating a clause ("insisted the talks had been positive",
                    // "confirmed allies would continue") or one of reporting ("insiders
                    // revealed his rationale") reports; its content is coded on its own.
                    .filter(|_| !states_clause(s, i) && !List::ReportVerb.has(lemma))
            };
            if let Some(pv) = verbs.get(w).or_else(by_lemma) {
                let form = form_of(w);
                let verbish =
                    form == Form::Past || form == Form::Ing && prev_is_be(s, i) || verb_context(s, i);
                if verbish
                    && !after_determiner(s, i)
                    && (form != Form::Past || !object_complement(s, i))
                    && !List::PetrStop.has(w)
                    && !matches!(pv.block, "refuse" | "say" | "deny")
                {
                    let obj = object_window(s, i + 1);
                    let code = petrarch_pattern(s.petr, pv.block, &obj).or(pv.code);
                    if let Some(code) = code.filter(|c| !c.starts_with("01") && !c.starts_with("00")) {
                        if cameo_info(code).is_some_and(|c| !c.plover.is_empty()) {
                            let code = violent_refine(s, i, code);
                            found = Some(Trig {
                                t0: i,
                                t1: i + 1,
                                code,
                                kind: Kind::Verb,
                                passive: is_passive(s, i, form) || parsed_passive(s, i),
                                broad: true,
                                ing: form == Form::Ing,
                            });
                        }
                    }
                }
            }
        }
        match found {
            Some(t) => {
                i = t.t1.max(i + 1);
                out.push(t);
            }
            None => i += 1,
        }
    }
    out
}

/// A present-tense verb the tagger recognises ("The Palestinians reject"): the window
/// test [`verb_context`] only knows verbs after to/modals or a name.
pub(crate) fn tagged_verb(s: &Sent, i: usize) -> bool {
    matches!(s.xpos(i), "VBP" | "VB")
}

/// Whether most words of the sentence are capitalised (a headline: "Putin Rejects Plan").
pub(crate) fn title_case(s: &Sent) -> bool {
    let words: Vec<bool> = (0..s.toks.len())
        .filter(|&k| s.toks.get(k).is_some_and(is_word) && s.w(k).len() > 3)
        .map(|k| s.cap(k))
        .collect();
    words.len() >= 3 && words.iter().filter(|&&c| c).count() * 3 >= words.len() * 2
}

/// Surface form class of a PETRARCH table word (irregular pasts read as base: the hand
/// lexicon lists the irregular verbs that matter).
pub(crate) fn form_of(w: &str) -> Form {
    if w.ends_with("ed") {
        Form::Past
    } else if w.ends_with("ing") {
        Form::Ing
    } else if w.ends_with('s') && !w.ends_with("ss") {
        Form::S
    } else {
        Form::Base
    }
}

/// A participle that describes the object of "keep"/"leave" ("to keep Washington occupied",
/// "left the town surrounded"): a state, not an act.
pub(crate) fn object_complement(s: &Sent, i: usize) -> bool {
    (i.saturating_sub(4)..i).any(|k| {
        matches!(
            s.w(k),
            "keep" | "keeps" | "kept" | "keeping" | "leave" | "leaves" | "left" | "leaving"
        ) && (k + 1..i).all(|x| !matches!(s.w(x), "," | "." | ";" | "and" | "to" | "that"))
    })
}

/// A participle used as an adjective ("Trump's proposed plan", "the attacked convoy").
pub(crate) fn after_determiner(s: &Sent, i: usize) -> bool {
    let mut j = i;
    while j > 0 {
        j -= 1;
        let w = s.w(j);
        if w.ends_with("ly") || lexicon_number(w) {
            continue;
        }
        return matches!(
            w,
            "'s" | "the" | "a" | "an" | "its" | "his" | "her" | "their" | "our" | "this" | "these" | "those"
        );
    }
    false
}

pub(crate) fn after_preposition(s: &Sent, i: usize) -> bool {
    i > 0
        && matches!(
            s.w(i - 1),
            "for"
                | "of"
                | "in"
                | "on"
                | "by"
                | "with"
                | "without"
                | "about"
                | "against"
                | "from"
                | "into"
                | "at"
        )
}

pub(crate) fn lexicon_number(w: &str) -> bool {
    number_word(w).is_some() && !matches!(w, "a" | "an")
}

/// A trigger in the infinitival complement of an earlier one ("agreed to provide aid",
/// "promised to continue"): the governing verb carries the event, as in PETRARCH.
pub(crate) fn is_complement(s: &Sent, prev: &[Trig], t: &Trig) -> bool {
    let Some(to) = (t.t0.saturating_sub(2)..t.t0).rev().find(|&k| s.w(k) == "to") else {
        return false;
    };
    prev.iter().any(|p| p.t1 <= to && to - p.t1 <= 4)
}

/// A form of "be" before `i`, adverbs allowed between ("were jointly committing").
pub(crate) fn prev_is_be(s: &Sent, i: usize) -> bool {
    let mut j = i;
    while j > 0 {
        j -= 1;
        let w = s.w(j);
        if List::Be.has(w) {
            return true;
        }
        if !w.ends_with("ly") {
            return false;
        }
    }
    false
}

/// True when the word at `i` sits where a verb must (after to/modal/negation, possibly with
/// an adverb between), or after an actor mention (present tense: "Russia attacks").
pub(crate) fn verb_context(s: &Sent, i: usize) -> bool {
    let mut j = i;
    while j > 0 {
        j -= 1;
        let w = s.w(j);
        if List::ModalOrTo.has(w) || w.ends_with("n't") {
            return true;
        }
        if !(w.ends_with("ly") || List::AuxSkip.has(w)) {
            return s.men.iter().any(|m| m.t1 == j + 1) && s.w(i).ends_with('s');
        }
    }
    false
}

/// Passive voice: a participle after a form of "be" (adverbs may sit between).
pub(crate) fn is_passive(s: &Sent, i: usize, form: Form) -> bool {
    if form != Form::Past {
        return false;
    }
    let mut j = i;
    for _ in 0..3 {
        if j == 0 {
            return false;
        }
        j -= 1;
        let w = s.w(j);
        if List::Be.has(w) {
            return true;
        }
        if !w.ends_with("ly") {
            return false;
        }
    }
    false
}

/// The parse gives the verb at `i` a clausal complement: what is said, believed or found.
fn states_clause(s: &Sent, i: usize) -> bool {
    let d = (s.base + i) as u32;
    (s.base..s.base + s.toks.len()).any(|k| {
        s.doc
            .syntax
            .get(k)
            .is_some_and(|t| t.head == Some(d) && t.rel == Deprel::Ccomp)
    })
}

/// Passive voice read off the parse: a past participle with a passive auxiliary or
/// subject, or one modifying a noun ("a proposal — widely criticised in Europe —": the
/// proposal is criticised, not criticising).
pub(crate) fn parsed_passive(s: &Sent, i: usize) -> bool {
    let d = s.base + i;
    let Some(t) = s.doc.syntax.get(d) else {
        return false;
    };
    if t.xpos.as_str() != "VBN" {
        return false;
    }
    // A reduced relative set off by punctuation: the tagger takes a bare "official today
    // praised" for one too often.
    let mut j = i;
    while j > 0 && s.w(j - 1).ends_with("ly") {
        j -= 1;
    }
    let set_off = j > 0 && s.toks.get(j - 1).is_some_and(|t| !is_word(t));
    (t.rel == Deprel::Acl && set_off)
        || (s.base..s.base + s.toks.len()).any(|k| {
            s.doc.syntax.get(k).is_some_and(|c| {
                c.head == Some(d as u32) && matches!(c.rel, Deprel::AuxPass | Deprel::NsubjPass)
            })
        })
}

/// Lower-cased words after the trigger up to the clause end (at most 10).
pub(crate) fn object_window<'a>(s: &'a Sent, from: usize) -> Vec<&'a str> {
    let mut v = Vec::new();
    for k in from..s.toks.len().min(from + 10) {
        let w = s.w(k);
        if matches!(w, "." | ";" | ":" | "!" | "?") || (w == "," && v.len() > 3) {
            break;
        }
        v.push(w);
    }
    v
}

/// A PETRARCH post-verb pattern for this verb block, matched on the object window.
pub(crate) fn petrarch_pattern(petr: &tables::PetrTables, block: &str, obj: &[&str]) -> Option<&'static str> {
    let pats = petr.patterns.get(block)?;
    // The object ends where a relative or infinitive clause starts ("support a resolution
    // that aims to tighten sanctions": the pattern is read on "resolution", not "sanctions").
    let end = obj
        .iter()
        .skip(1)
        .position(|w| matches!(*w, "that" | "which" | "who" | "whose" | "to"))
        .map_or(obj.len(), |p| p + 1);
    let obj = obj.get(..end).unwrap_or(obj);
    // The earliest object word that heads a pattern wins (its preposition, if any, must
    // come before it in the window).
    for (k, w) in obj.iter().enumerate() {
        let hit = pats
            .get(w)
            .or_else(|| w.strip_suffix('s').and_then(|x| pats.get(x)));
        let Some(list) = hit else { continue };
        let before = obj.get(..k).unwrap_or(&[]);
        if let Some(p) = list.iter().find(|p| p.prep.is_none_or(|pr| before.contains(&pr))) {
            return Some(p.code);
        }
    }
    None
}

/// Generic violence (180/190) made specific by the weapon words around the trigger.
pub(crate) fn violent_refine(s: &Sent, i: usize, code: &'static str) -> &'static str {
    if code != "190" && code != "180" {
        return code;
    }
    let lo = i.saturating_sub(5);
    let hi = (i + 8).min(s.toks.len());
    let mut out = code;
    for k in lo..hi {
        let w = s.w(k);
        let w = w.strip_suffix('s').unwrap_or(w);
        match w {
            "drone" | "missile" | "airstrike" | "warplane" | "aircraft" | "bomber" | "jet" | "helicopter" => {
                return "195"
            }
            "shelling" | "shell" | "artillery" | "tank" | "rocket" | "mortar" | "howitzer" => out = "194",
            "gunmen" | "gunman" | "gunfire" | "rifle" | "sniper" if out == code => out = "193",
            _ => {}
        }
    }
    out
}
