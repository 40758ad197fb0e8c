//! The event's participants: sentence and role-noun mentions, the source (subject group,
//! parsed subject, coordinated predicates) and the target (object, recipient, conjuncts,
//! passive agent, "between X and Y"), and "X said Y must" demands.

use crate::contexts::modifier_like;
use crate::lexicon::Kind;
use crate::sentence::{is_word, Men, Sent, Trig};
use crate::words::List;
use chronicle_clauses::{sentence_predicates, Phrase, Via};
use chronicle_core::{Deprel, Document, EntityId, EntityType, Span, Token};

pub(crate) fn sentence_mentions(
    doc: &Document,
    all: &[(Span, EntityId)],
    sspan: Span,
    toks: &[Token],
) -> Vec<Men> {
    let mut v = Vec::new();
    let i0 = all.partition_point(|(s, _)| s.start < sspan.start);
    for (span, id) in all.get(i0..).unwrap_or(&[]) {
        if span.start >= sspan.end {
            break;
        }
        if span.end > sspan.end {
            continue;
        }
        let t0 = toks.partition_point(|t| t.span.end <= span.start);
        let t1 = toks.partition_point(|t| t.span.start < span.end);
        if t0 >= t1 {
            continue;
        }
        let Some(ent) = doc.entity(*id) else { continue };
        let code = ent.actor.as_ref().and_then(|a| a.code());
        v.push(Men {
            t0,
            t1,
            span: *span,
            entity: *id,
            code,
            etype: ent.kind,
        });
    }
    v
}

/// Start of the trigger's clause (token index): after the last barrier before it, and after
/// a fronted subordinate clause ("After talks with X, Y rejected ...").
pub(crate) fn clause_start(s: &Sent, t: usize) -> usize {
    let mut start = 0;
    if List::Subordinator.has(s.w(0)) {
        if let Some(c) = (1..t).find(|&k| s.is_punct(k, ",")) {
            start = c + 1;
        }
    }
    for k in (start..t).rev() {
        let w = s.w(k);
        if matches!(w, ";" | ":") || List::Barrier.has(w) {
            return k + 1;
        }
    }
    start
}

/// True when the trigger continues a coordinated predicate ("... and demanded", ", warning").
pub(crate) fn coordinated(s: &Sent, t: usize) -> bool {
    let mut j = t;
    while j > 0 {
        j -= 1;
        let w = s.w(j);
        if w == "and" || w == "," {
            return true;
        }
        if !(w.ends_with("ly") || List::AuxSkip.has(w)) {
            return false;
        }
    }
    false
}

/// Actor mentions usable as participants: entities with an actor code.
/// Entity ids at and above this one name no entity: they mark the unnamed actors a role
/// noun gives ("rebels", "Iraqi Kurds", "students throughout Indonesia").
pub(crate) const ROLE_ID_BASE: u32 = 0xF000_0000;

/// Unnamed actors named by a role noun heading a noun phrase ("rebels", "university
/// students"), coded as PETRARCH codes an actor it only knows by its agent noun: `---`
/// and the noun's sector (`---REB`, `---EDU`). A role noun with a coded name beneath it
/// ("rebels in the Ivory Coast") or right after one ("Israeli soldiers") is left to that
/// name's mention, which takes the noun's sector (see [`agent_sector`]).
pub(crate) fn role_mentions(doc: &Document, base: usize, toks: &[Token], men: &mut Vec<Men>) {
    let mut add = Vec::new();
    // The tokens with a coded name beneath them (up to eight heads up): one walk per
    // name token, so the cost stays linear in the sentence.
    let mut named_under: Vec<usize> = Vec::new();
    for m in men.iter().filter(|m| m.code.is_some()) {
        for x in m.t0..m.t1 {
            let mut h = doc.syntax.get(base + x).and_then(|t| t.head);
            for _ in 0..8 {
                let Some(hh) = h else { break };
                named_under.push(hh as usize);
                h = doc.syntax.get(hh as usize).and_then(|t| t.head);
            }
        }
    }
    named_under.sort_unstable();
    named_under.dedup();
    for (k, tok) in toks.iter().enumerate() {
        let d = base + k;
        let Some(syn) = doc.syntax.get(d) else { return };
        if !is_word(tok) || !matches!(syn.xpos.as_str(), "NN" | "NNS") {
            continue;
        }
        let Some(sec) = chronicle_entities::sector_of_role(doc.lower(d)) else {
            continue;
        };
        if men.iter().any(|m| m.t0 <= k && k < m.t1) {
            continue;
        }
        // Right after a name, past modifiers: that name's mention carries the sector.
        let mut j = k;
        while j > 0 && modifier_like(doc.lower(base + j - 1)) && !men.iter().any(|m| m.t1 == j) {
            j -= 1;
        }
        if men.iter().any(|m| m.t1 == j && m.code.is_some()) {
            continue;
        }
        // A noun modifying another ("opposition groups") is not the actor's head.
        if matches!(syn.rel, Deprel::Compound | Deprel::Amod) {
            continue;
        }
        // A name anywhere under the noun ("rebels in the Ivory Coast", "European Community
        // foreign ministers") is coded through that name's mention.
        let under = named_under.binary_search(&d).is_ok();
        if under || men.iter().any(|m| m.code.is_some() && m.t1 <= k && k - m.t1 < 3) {
            continue;
        }
        let country = chronicle_core::UNKNOWN_COUNTRY;
        add.push(Men {
            t0: k,
            t1: k + 1,
            span: tok.span,
            entity: EntityId(ROLE_ID_BASE.saturating_add(d as u32)),
            code: Some(format!("{country}{sec}")),
            etype: EntityType::Misc,
        });
    }
    if !add.is_empty() {
        men.extend(add);
        men.sort_by_key(|m| (m.t0, m.t1));
    }
}

pub(crate) fn actor_mentions<'a>(s: &'a Sent) -> impl Iterator<Item = (usize, &'a Men)> {
    s.men
        .iter()
        .enumerate()
        .filter(|(_, m)| m.code.is_some() && !m.is_role())
}

/// The unnamed actor doing a verb trigger when no named one does: the role noun heading
/// its parsed subject, else the nearest role noun before it in its clause ("rebels
/// fired", PETRARCH's `---REB`).
pub(crate) fn role_source(s: &Sent, trig: &Trig) -> Option<usize> {
    let roles = || s.men.iter().enumerate().filter(|(_, m)| m.is_role());
    let v = (s.base + trig.t0) as u32;
    if let Some(p) = s.preds.get().and_then(|ps| ps.iter().find(|p| p.verb == v)) {
        let parsed = p.subject.iter().find_map(|ph| {
            let k = (ph.head as usize).checked_sub(s.base)?;
            roles().find(|(_, m)| m.t0 <= k && k < m.t1).map(|(i, _)| i)
        });
        if parsed.is_some() {
            return parsed;
        }
    }
    let cs = clause_start(s, trig.t0);
    roles()
        .rfind(|(_, m)| m.t0 >= cs && m.t1 <= trig.t0)
        .map(|(i, _)| i)
}

/// Source candidates (indices into `s.men`): the subject group and its conjuncts.
/// Whether tokens `a..b` sit inside an aside closed before `end` ("A leaked US proposal
/// —widely criticised for tilting towards Moscow— had offered ...", "(...)"): a name there
/// is not the subject of the verb after it.
pub(crate) fn aside(s: &Sent, from: usize, a: usize, b: usize, end: usize) -> bool {
    let dash = |k: usize| matches!(s.w(k), "—" | "–" | "--");
    let opened_dash = (from..a).filter(|&k| dash(k)).count() % 2 == 1;
    let closed_dash = (b..end).any(dash);
    let opened_paren = (from..a)
        .rev()
        .find(|&k| matches!(s.w(k), "(" | ")"))
        .is_some_and(|k| s.w(k) == "(");
    let closed_paren = (b..end).any(|k| s.w(k) == ")");
    (opened_dash && closed_dash) || (opened_paren && closed_paren)
}

/// The actor mention (index into `s.men`) a parsed phrase names: the one holding its
/// head, else one holding a name-like modifier of the head ("Ukraine's negotiator",
/// "Russian forces", "the US proposal"), the nearest first. A name further down (inside a
/// relative clause or a prepositional phrase of the modifier) is not the actor.
pub(crate) fn phrase_mention(s: &Sent, ph: &Phrase) -> Option<usize> {
    let holding = |tok: usize| -> Option<usize> {
        let k = tok.checked_sub(s.base)?;
        actor_mentions(s)
            .find(|(_, m)| m.t0 <= k && k < m.t1)
            .map(|(i, _)| i)
    };
    let head = ph.head as usize;
    if let Some(i) = holding(head) {
        return Some(i);
    }
    let mut mods: Vec<usize> = (ph.first as usize..=ph.last as usize)
        .filter(|&k| {
            s.doc.syntax.get(k).is_some_and(|t| {
                t.head == Some(ph.head)
                    && matches!(
                        t.rel,
                        Deprel::Compound | Deprel::Amod | Deprel::NmodPoss | Deprel::Flat | Deprel::Nmod
                    )
            })
        })
        .collect();
    mods.sort_by_key(|&k| k.abs_diff(head));
    mods.into_iter().find_map(holding)
}

/// Source mentions and target mention of a verb trigger read off the parse: the logical
/// subject (a passive's agent), and the logical object or else the first oblique naming an
/// actor. `None` when the trigger is not a parsed verb.
pub(crate) fn parsed_roles(s: &Sent, trig: &Trig) -> Option<(Vec<usize>, Option<usize>)> {
    if trig.kind != Kind::Verb {
        return None;
    }
    let v = (s.base + trig.t0) as u32;
    let preds = s.preds.get_or_init(|| sentence_predicates(s.doc, s.idx, s.words));
    let p = preds.iter().find(|p| p.verb == v)?;
    // Force and protest done "in X" are done to X as the coders of GDELT and PLOVER
    // read them; a meeting or statement "in Brussels" is not addressed to Belgium.
    let located_target = trig
        .cameo()
        .is_some_and(|c| matches!(c.root(), 14 | 15 | 17..=20));
    // A subject handed on by verb coordination or a modified noun is left to the window
    // rules: with this parser they scored the same or lower on PLOVER dev (coordination
    // 0.2583 -> 0.2555) and a wrongly attached conjunct takes the wrong clause's subject.
    let via_ok = matches!(
        p.subject_via,
        Some(Via::Own | Via::ObjectControl | Via::SubjectControl)
    );
    let mut src: Vec<usize> = if via_ok {
        p.subject.iter().filter_map(|ph| phrase_mention(s, ph)).collect()
    } else {
        Vec::new()
    };
    src.dedup();
    let tgt = p
        .object
        .iter()
        .chain(p.indirect.iter())
        .chain(
            p.obliques
                .iter()
                .filter(|(m, _)| located_target || s.words.is_participant_marker(s.doc, *m))
                .map(|(_, ph)| ph),
        )
        .filter_map(|ph| phrase_mention(s, ph))
        .find(|m| !src.contains(m) && !s.men.get(*m).is_some_and(Men::is_role));
    let holding = |tok: usize| -> Option<usize> {
        let k = tok.checked_sub(s.base)?;
        actor_mentions(s)
            .find(|(_, m)| m.t0 <= k && k < m.t1)
            .map(|(i, _)| i)
            .filter(|i| !src.contains(i) && !s.men.get(*i).is_some_and(Men::is_role))
    };
    // "demanded that the United States match ...", "urged that X": a request addresses
    // the subject of what is requested.
    let tgt = tgt.or_else(|| {
        if !trig.cameo().is_some_and(|c| matches!(c.root(), 2 | 10)) {
            return None;
        }
        p.complements.iter().find_map(|&c| {
            preds
                .iter()
                .find(|q| q.verb == c)
                .and_then(|q| q.subject.iter().find_map(|ph| holding(ph.head as usize)))
        })
    });
    Some((src, tgt))
}

pub(crate) fn sources(s: &Sent, trig: &Trig, prev_source: Option<&[usize]>) -> Vec<usize> {
    let cs = clause_start(s, trig.t0);
    if coordinated(s, trig.t0) {
        if let Some(p) = prev_source {
            if !p.is_empty() {
                return p.to_vec();
            }
        }
        // The clause's first actor group heads a coordinated predicate.
        let first = actor_mentions(s).find(|(_, m)| m.t0 >= cs && m.t1 <= trig.t0);
        if let Some((fi, _)) = first {
            return vec![group_head(s, fi, trig.t0)];
        }
        return Vec::new();
    }
    let Some((hi, _)) = actor_mentions(s)
        .filter(|(_, m)| m.t0 >= cs && m.t1 <= trig.t0 && !aside(s, cs, m.t0, m.t1, trig.t0))
        .last()
    else {
        return Vec::new();
    };
    // Compound: walk left over ", and the" separators.
    let mut out = vec![hi];
    let mut cur = hi;
    while let Some(cm) = s.men.get(cur) {
        let prev = actor_mentions(s)
            .filter(|(_, m)| m.t1 <= cm.t0 && m.t0 >= cs)
            .last();
        let Some((pi, pm)) = prev else { break };
        let between: Vec<&str> = (pm.t1..cm.t0).map(|k| s.w(k)).collect();
        let sep = between.iter().any(|w| *w == "," || *w == "and" || *w == "or")
            && between
                .iter()
                .all(|w| matches!(*w, "," | "and" | "or" | "the" | "&"));
        if !sep || pm.entity == cm.entity {
            break;
        }
        out.push(pi);
        cur = pi;
    }
    out.reverse();
    out
}

/// From the first mention of a group ("UK" "Foreign Secretary" "Yvette Cooper"), the last
/// mention reached through capitalised words and possessives only: the group's head.
pub(crate) fn group_head(s: &Sent, first: usize, limit: usize) -> usize {
    let mut head = first;
    let mut cur_end = s.men.get(first).map(|m| m.t1).unwrap_or(0);
    for (i, m) in actor_mentions(s) {
        if i <= first || m.t0 < cur_end || m.t1 > limit {
            continue;
        }
        let glue = (cur_end..m.t0).all(|k| {
            let raw = s.toks.get(k).map(|_| s.w(k)).unwrap_or("");
            let cap = s.toks.get(k).is_some_and(is_word) && s.cap(k);
            cap || raw == "'s" || raw == "'"
        });
        if !glue {
            break;
        }
        head = i;
        cur_end = m.t1;
    }
    head
}

/// Target: the first actor mention after the trigger in its clause, skipping the subject of a
/// "that"-clause and the source itself.
pub(crate) fn target(s: &Sent, trig: &Trig, src: &[usize]) -> Option<usize> {
    let aid = trig.code.starts_with("07") || trig.code.starts_with("033");
    if aid {
        // Aid goes "to X" / "for X": prefer the recipient over a modifier in the object.
        if let Some(i) = target_where(s, trig, src, true) {
            return Some(i);
        }
    }
    target_where(s, trig, src, false)
}

pub(crate) fn target_where(s: &Sent, trig: &Trig, src: &[usize], recipient: bool) -> Option<usize> {
    // "warned that X would ...": X is the clause subject, not the target; but "demanded /
    // urged that X do ..." addresses X.
    let request = trig.cameo().is_some_and(|c| matches!(c.root(), 2 | 10));
    let mut skip_subject = s.w(trig.t1) == "that" && !request;
    let src_ents: Vec<EntityId> = src
        .iter()
        .filter_map(|&i| s.men.get(i).map(|m| m.entity))
        .collect();
    for (i, m) in actor_mentions(s) {
        if m.t0 < trig.t1 || m.is_role() {
            continue;
        }
        if m.t0 > trig.t1 + 14 {
            break;
        }
        // The object ends at a comma (", officials said") or a later clause ("that", "who").
        let blocked = (trig.t1..m.t0).any(|k| {
            let w = s.w(k);
            matches!(
                w,
                "." | ";" | "," | "while" | "but" | "whereas" | "which" | "who" | "whom" | "whose"
            ) || (w == "that" && k != trig.t1)
        });
        if blocked {
            break;
        }
        // A noun trigger takes its target only through a preposition ("talks with X").
        if trig.kind == Kind::Noun
            && !(m.t0.saturating_sub(2)..m.t0)
                .any(|k| matches!(s.w(k), "with" | "between" | "to" | "against" | "on"))
        {
            continue;
        }
        if src_ents.contains(&m.entity) {
            continue;
        }
        // "ministers meeting in Brussels": a place after a locative preposition is where
        // the event happens, not whom it is aimed at.
        if m.t0 > 0 && matches!(s.w(m.t0 - 1), "in" | "at" | "near" | "inside" | "outside") {
            continue;
        }
        if skip_subject {
            skip_subject = false;
            continue;
        }
        if recipient && !(m.t0.saturating_sub(2)..m.t0).any(|k| matches!(s.w(k), "to" | "for")) {
            continue;
        }
        return Some(i);
    }
    None
}

/// Mentions coordinated with target mention `t`: the parse's conjuncts of a word in it,
/// and the list it heads ("Iran, Libya, North Korea and Cuba"), leaving out the sources.
pub(crate) fn target_conjuncts(s: &Sent, t: usize, src: &[usize]) -> Vec<usize> {
    conjuncts(s, t, src, true)
}

/// Mentions the parse coordinates with mention `t` (and, with `list`, the mentions listed
/// after it), other than those of `skip_men`.
pub(crate) fn conjuncts(s: &Sent, t: usize, src: &[usize], list: bool) -> Vec<usize> {
    let Some(tm) = s.men.get(t) else { return Vec::new() };
    let skip: Vec<EntityId> = src
        .iter()
        .chain(std::iter::once(&t))
        .filter_map(|&i| s.men.get(i).map(|m| m.entity))
        .collect();
    let mut out: Vec<usize> = Vec::new();
    let push = |i: usize, out: &mut Vec<usize>| {
        if let Some(m) = s.men.get(i).filter(|m| !(list && m.is_role())) {
            if !skip.contains(&m.entity)
                && !out
                    .iter()
                    .any(|&o| s.men.get(o).map(|x| x.entity) == Some(m.entity))
            {
                out.push(i);
            }
        }
    };
    // The list after the target, glued by commas and "and"/"or" only.
    let mut cur_end = tm.t1;
    for (i, m) in actor_mentions(s).filter(|_| list) {
        if m.t0 < cur_end {
            continue;
        }
        let glue: Vec<&str> = (cur_end..m.t0).map(|k| s.w(k)).collect();
        let ok = !glue.is_empty()
            && glue.iter().any(|w| matches!(*w, "," | "and" | "or"))
            && glue.iter().all(|w| matches!(*w, "," | "and" | "or" | "the"));
        if !ok {
            break;
        }
        push(i, &mut out);
        cur_end = m.t1;
    }
    // The parse's conjuncts of the target's words.
    let (a, b) = (s.base + tm.t0, s.base + tm.t1);
    for k in s.base..s.base + s.toks.len() {
        let Some(t) = s.doc.syntax.get(k) else { break };
        if t.rel == Deprel::Conj && t.head.is_some_and(|h| (a..b).contains(&(h as usize))) {
            let r = k - s.base;
            if let Some((i, _)) = actor_mentions(s).find(|(_, m)| m.t0 <= r && r < m.t1) {
                push(i, &mut out);
            }
        }
    }
    out
}

/// "between X and Y" after a noun trigger ("talks between Putin and US envoys").
pub(crate) fn between_pair(s: &Sent, trig: &Trig) -> Option<(usize, usize)> {
    let b = (trig.t1..(trig.t1 + 8).min(s.toks.len())).find(|&k| s.w(k) == "between")?;
    let mut it = actor_mentions(s).filter(|(_, m)| m.t0 > b);
    let (a, am) = it.next()?;
    let (c, cm) = it.find(|(_, m)| m.entity != am.entity)?;
    let and_between = (am.t1..cm.t0).any(|k| s.w(k) == "and");
    and_between.then_some((a, c))
}

/// The country an act is aimed at when it names no one else: the first country named
/// "in X" after the trigger in its clause ("food aid to refugees in Liberia", "rejected a
/// call to deploy peacekeepers in East Timor"), as the PLOVER coders read it. Meetings and
/// statements made somewhere (CAMEO 01-05) are not aimed at their venue.
pub(crate) fn located_target(s: &Sent, trig: &Trig, src: &[usize]) -> Option<usize> {
    if trig.cameo().is_none_or(|c| c.root() <= 5) {
        return None;
    }
    let src_ents: Vec<EntityId> = src
        .iter()
        .filter_map(|&i| s.men.get(i).map(|m| m.entity))
        .collect();
    actor_mentions(s)
        .filter(|(_, m)| m.t0 > trig.t1 && m.t0 <= trig.t1 + 14 && m.t0 > 0)
        .filter(|(_, m)| {
            matches!(s.w(m.t0 - 1), "in" | "inside") && m.code.as_deref().is_some_and(|c| c.len() == 3)
        })
        .find(|(_, m)| !src_ents.contains(&m.entity) && !(trig.t1..m.t0).any(|k| matches!(s.w(k), "." | ";")))
        .map(|(i, _)| i)
}

/// The agent of an event noun: a mention, named or by role, right after "by" following
/// it ("shelling by government forces").
pub(crate) fn nominal_agent(s: &Sent, trig: &Trig) -> Option<usize> {
    if s.w(trig.t1) != "by" {
        return None;
    }
    let by = trig.t1;
    s.men
        .iter()
        .enumerate()
        .filter(|(_, m)| m.code.is_some() && m.t0 > by && m.t0 <= by + 3)
        .find(|(_, m)| (by + 1..m.t0).all(|k| s.toks.get(k).is_some_and(is_word)))
        .map(|(i, _)| i)
}

/// The passive agent: the first actor mention after "by" following the trigger.
pub(crate) fn passive_agent(s: &Sent, trig: &Trig) -> Option<usize> {
    let by = (trig.t1..(trig.t1 + 6).min(s.toks.len())).find(|&k| s.w(k) == "by")?;
    actor_mentions(s)
        .find(|(_, m)| m.t0 == by + 1 || m.t0 == by + 2)
        .map(|(i, _)| i)
}

/// "X said that Y must V": X demands of Y (CAMEO 10). Returns the "must" token index with
/// the speaker and addressee mentions; the verb after "must" is not an event of its own.
pub(crate) fn must_demands(s: &Sent) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for m in 1..s.toks.len() {
        if s.w(m) != "must" {
            continue;
        }
        let Some((yi, ym)) =
            actor_mentions(s).find(|(_, x)| x.t1 == m || (x.t1 + 1 == m && s.w(m - 1) == "also"))
        else {
            continue;
        };
        let speech = (0..ym.t0)
            .rev()
            .find(|&k| List::Speech.has(s.w(k)) || List::Declare.has(s.w(k)));
        let Some(sp) = speech else { continue };
        let speaker = actor_mentions(s)
            .filter(|(_, x)| x.t1 <= sp && x.entity != ym.entity)
            .last();
        if let Some((xi, _)) = speaker {
            out.push((m, xi, yi));
        }
    }
    out
}
