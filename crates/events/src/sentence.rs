//! The per-sentence coder: the sentence view ([`Sent`]) with its mentions and triggers,
//! the document loop ([`code_document`]) and the sentence body ([`code_sentence`]) that turns
//! triggers into events.

use crate::arguments::{
    between_pair, clause_start, conjuncts, located_target, must_demands, nominal_agent, parsed_roles,
    passive_agent, phrase_mention, role_mentions, role_source, sentence_mentions, sources, target,
    target_conjuncts, ROLE_ID_BASE,
};
use crate::cameo::CameoCode;
use crate::casualties::{acled_split, casualties, casualties_for, with_victim_sector, Casualties};
use crate::contexts::{contexts, participant, political};
use crate::dating::nearest_timex;
use crate::dictionary;
use crate::lexicon::Kind;
use crate::location::{location, place_mentions, Loc, Located};
use crate::merge::merge_mentions;
use crate::modality::{future_code, is_before_month, is_future, modality, reject_code, threat_code};
use crate::reported::{report_frame, Frame};
use crate::tables;
use crate::triggers::{find_triggers, is_complement, prev_is_be};
use crate::words::List;
use crate::Verbs;
use chronicle_clauses::{sentence_predicates, ClauseWords, Predicate};
use chronicle_core::{Document, EntityId, EntityType, Event, Modality, Participant, Span, Token, TokenKind};

/// An entity mention inside the current sentence, located by token indices.
#[derive(Debug, Clone)]
pub(crate) struct Men {
    /// Token range `[t0, t1)` relative to the sentence.
    pub(crate) t0: usize,
    pub(crate) t1: usize,
    pub(crate) span: Span,
    pub(crate) entity: EntityId,
    pub(crate) code: Option<String>,
    pub(crate) etype: EntityType,
}

impl Men {
    /// An unnamed actor given by a role noun (see [`role_mentions`]): a doer, never a
    /// target (whom "troops were sent to" is not "troops").
    pub(crate) fn is_role(&self) -> bool {
        self.entity.0 >= ROLE_ID_BASE
    }
}

/// A trigger found in a sentence.
#[derive(Debug, Clone)]
pub(crate) struct Trig {
    pub(crate) t0: usize,
    pub(crate) t1: usize,
    pub(crate) code: &'static str,
    pub(crate) kind: Kind,
    pub(crate) passive: bool,
    /// Found through the broad PETRARCH table rather than the hand lexicon.
    pub(crate) broad: bool,
    /// An -ing form (participle or gerund).
    pub(crate) ing: bool,
}

impl Trig {
    /// The trigger's code as a codebook entry (`None` for a code the codebook lacks).
    pub(crate) fn cameo(&self) -> Option<CameoCode> {
        CameoCode::new(self.code)
    }
}

pub(crate) fn is_word(t: &Token) -> bool {
    matches!(t.kind, TokenKind::Word)
}

/// Everything the coder needs per sentence: a borrowed view of the document's token
/// layer (indices relative to the sentence) plus the sentence's mentions.
pub(crate) struct Sent<'a> {
    pub(crate) idx: usize,
    pub(crate) span: Span,
    pub(crate) paragraph: u32,
    pub(crate) toks: &'a [Token],
    /// Document index of `toks[0]`.
    pub(crate) base: usize,
    pub(crate) doc: &'a Document,
    pub(crate) men: Vec<Men>,
    /// The sentence's clauses from the parse (empty without a syntax layer), read on
    /// first use: most sentences have no verb trigger and never need them.
    pub(crate) preds: std::cell::OnceCell<Vec<Predicate>>,
    pub(crate) words: &'a ClauseWords,
    /// The built-in PETRARCH-2 tables (the stage's; unused when a user dictionary codes).
    pub(crate) petr: &'a tables::PetrTables,
}

impl Sent<'_> {
    /// Lower-case form of sentence token `i` ("" past the end).
    pub(crate) fn w(&self, i: usize) -> &str {
        if i < self.toks.len() {
            self.doc.lower(self.base + i)
        } else {
            ""
        }
    }
    /// Sentence token `i` starts with an upper-case letter (names, titles).
    pub(crate) fn cap(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.shape.starts_upper())
    }
    /// The tagger's Penn tag of sentence token `i` ("" without a syntax layer).
    pub(crate) fn xpos(&self, i: usize) -> &str {
        if i < self.toks.len() {
            self.doc
                .syntax
                .get(self.base + i)
                .map(|t| t.xpos.as_str())
                .unwrap_or("")
        } else {
            ""
        }
    }
    pub(crate) fn is_punct(&self, i: usize, p: &str) -> bool {
        self.toks.get(i).is_some_and(|t| !is_word(t)) && self.w(i) == p
    }
}

/// Codes all events of a document (the stage body, separated for tests).
pub(crate) fn code_document(doc: &Document, words: &ClauseWords, verbs: &Verbs) -> Vec<Event> {
    let mut out = Vec::new();
    if doc.sentences.is_empty() || doc.tokens.is_empty() {
        return out;
    }
    // All mentions of all entities, sorted by start: one pass per sentence via partition_point.
    let mut all: Vec<(Span, EntityId)> = Vec::new();
    for e in &doc.entities {
        for m in &e.mentions {
            all.push((m.span, e.id));
        }
    }
    all.sort_by_key(|(s, _)| (s.start, s.end));
    let locs = place_mentions(doc);
    let petr = match verbs {
        Verbs::Builtin(t) => t.as_ref(),
        Verbs::User(_) => tables::PetrTables::empty(),
    };
    for (si, s) in doc.sentences.iter().enumerate() {
        let toks = doc.sentence_tokens(si);
        if toks.is_empty() {
            continue;
        }
        let mut men = sentence_mentions(doc, &all, s.span, toks);
        role_mentions(doc, s.tokens.0 as usize, toks, &mut men);
        let sent = Sent {
            idx: si,
            span: s.span,
            paragraph: s.paragraph,
            toks,
            base: s.tokens.0 as usize,
            doc,
            men,
            preds: std::cell::OnceCell::new(),
            words,
            petr,
        };
        match verbs {
            Verbs::Builtin(_) => code_sentence(doc, &locs, &sent, &mut out),
            Verbs::User(d) => dictionary::code_sentence(doc, &locs, &sent, d, &mut out),
        }
    }
    if matches!(verbs, Verbs::User(_)) {
        // The user's dictionary codes each sentence as PETRARCH does: no merging of reports.
        return out;
    }
    if let Some((total, parts)) = acled_split(doc.text()) {
        for e in &mut out {
            if let Some(k) = e.killed {
                e.killed = Some(total.unwrap_or(k) / parts);
            }
        }
    }
    let mut out = merge_mentions(doc, out);
    // An event with no coded participant on either side is not reported as a fact: with
    // nobody doing it and nobody it is done to, a "force" verb is almost always a metaphor
    // ("break records", "fought off a challenger"). Casualty reports stay: "three people
    // were killed" is an event before anyone is named; so do sentences naming an unnamed
    // actor by its role ("rebel forces fired mortars at army positions"), which PETRARCH
    // codes as ---REB. BBC corpus, force (CAMEO 18-20) events per article: sport 0.35 ->
    // 0.13, entertainment 0.28 -> 0.07, tech 0.20 -> 0.05; PLOVER dev dyad F1 0.2559 ->
    // 0.2563 (0.2576 with no exemption for armed roles).
    out.retain(|e| {
        e.source.is_some()
            || e.target.is_some()
            || e.killed.is_some()
            || e.wounded.is_some()
            || names_a_role(doc, e.sentence as usize)
    });
    out
}

/// Whether a sentence names an armed actor by its role or agent noun ("rebels", "troops",
/// "police", "gunmen"): CAMEO's armed sectors.
pub(crate) fn names_a_role(doc: &Document, sentence: usize) -> bool {
    let Some(s) = doc.sentences.get(sentence) else {
        return false;
    };
    (s.tokens.0 as usize..s.tokens.1 as usize).any(|i| {
        doc.tokens.get(i).is_some_and(|t| t.is_word())
            && chronicle_entities::sector_of_role(doc.lower(i))
                .is_some_and(|s| matches!(s, "MIL" | "REB" | "INS" | "COP" | "SPY" | "UAF" | "SEP" | "CRM"))
    })
}

pub(crate) fn code_sentence(doc: &Document, locs: &[Loc], s: &Sent, out: &mut Vec<Event>) {
    let mut triggers = find_triggers(s);
    let musts = must_demands(s);
    if !musts.is_empty() {
        // The verb governed by "must" is the content of the demand, not an event.
        triggers.retain(|t| !musts.iter().any(|&(m, _, _)| t.t0 > m && t.t0 <= m + 3));
        for &(m, _, _) in &musts {
            let t = Trig {
                t0: m,
                t1: m + 1,
                code: "100",
                kind: Kind::Verb,
                passive: false,
                broad: false,
                ing: false,
            };
            let at = triggers.partition_point(|x| x.t0 < m);
            triggers.insert(at, t);
        }
    }
    if triggers.is_empty() {
        return;
    }
    let casualties = casualties(s);
    let violent_clauses: Vec<usize> = triggers
        .iter()
        .filter(|t| t.cameo().is_some_and(CameoCode::is_violent))
        .map(|t| clause_start(s, t.t0))
        .collect();
    let mut first_violent = true;
    let mut prev_source: Option<(usize, Vec<usize>)> = None;
    let first_out = out.len();
    // Which triggers coded an event. A trigger that coded nothing shadows nothing: with
    // inflected verbs found through their lemma, "Ukraine reports 1 KIA amid 36 enemy
    // attacks" has a "reports" trigger that codes no event and must not make "attacks"
    // background (conflict dev, records with a violent event: kind 0.3241 -> 0.3332).
    let mut coded_trig = vec![false; triggers.len()];
    for (ti, trig) in triggers.iter().enumerate() {
        if is_complement(s, triggers.get(..ti).unwrap_or(&[]), trig) {
            continue;
        }
        // An event noun that is the object of the verb just coded ("eased economic
        // sanctions", "launched a drone attack") is that verb's event, not a second one.
        if !trig.passive
            && ti > 0
            && coded_trig.get(ti - 1).copied().unwrap_or(false)
            && triggers.get(ti - 1).is_some_and(|p| {
                p.kind == Kind::Verb
                    && trig.t0 <= p.t1 + 3
                    && (p.t1..trig.t0).all(|k| {
                        !matches!(
                            s.w(k),
                            "," | "and" | "to" | "that" | "but" | "or" | "which" | "who" | "after" | "before"
                        )
                    })
            })
        {
            continue;
        }
        // A participial adjunct ("..., killing 12", "demonstrated, calling for") elaborates
        // the event already coded in the sentence; PETRARCH and the PLOVER GSR code one event.
        // A threat is its own act, though ("accused Europe ..., warning that Moscow would be
        // ready for war").
        let threat_clause =
            trig.cameo().is_some_and(|c| c.root() == 13) && matches!(s.w(trig.t1), "that" | "to");
        if ti > 0 && trig.ing && !prev_is_be(s, trig.t0) && !threat_clause {
            continue;
        }
        // Background in a relative or temporal clause after the main event ("Serbia lifted
        // a curfew in Montenegro, where 28 people have been killed") is not a new event.
        let first_coded = coded_trig.iter().position(|&c| c).and_then(|k| triggers.get(k));
        if let Some(first) = first_coded {
            if (first.t1..trig.t0).any(|k| List::Subordinate.has(s.w(k))) {
                continue;
            }
        }
        let clause = clause_start(s, trig.t0);
        let inherited = prev_source
            .as_ref()
            .filter(|(c, _)| *c == clause)
            .map(|(_, v)| v.as_slice());
        let must = musts
            .iter()
            .find(|&&(m, _, _)| m == trig.t0)
            .map(|&(_, x, y)| (x, y));
        let (srcs, tgt): (Vec<Option<usize>>, Option<usize>) = if let Some((x, y)) = must {
            (vec![Some(x)], Some(y))
        } else if let Some((a, b)) = (trig.kind == Kind::Noun).then(|| between_pair(s, trig)).flatten() {
            (vec![Some(a)], Some(b))
        } else if let Some(a) = (trig.kind == Kind::Noun || s.xpos(trig.t0).starts_with("NN"))
            .then(|| nominal_agent(s, trig))
            .flatten()
        {
            // "artillery shelling by government forces", "the attack by Houthi rebels on a
            // Saudi facility": the noun's agent after "by" does it.
            (vec![Some(a)], target(s, trig, &[a]))
        } else if trig.passive {
            // The parse's passive agent and subject were measured and lost narrowly to the
            // window rules (PLOVER dev dyad F1 0.2646 -> 0.2642), so passives keep them.
            let subj = sources(s, trig, None);
            (vec![passive_agent(s, trig)], subj.last().copied())
        } else {
            // The subject comes from the parse when it names an actor (PLOVER dev dyad F1
            // 0.2567 -> 0.2576 alone); the target from the window rule first, the parse's
            // object or oblique when that finds none (0.2681 together; the parse's target
            // first was worse, 0.2282, with a parser of LAS 81).
            let parsed = parsed_roles(s, trig);
            let src = match parsed.as_ref() {
                Some((p, _)) if !p.is_empty() => p.clone(),
                _ => sources(s, trig, inherited),
            };
            let tgt = target(s, trig, &src)
                .or_else(|| parsed.and_then(|r| r.1))
                .or_else(|| located_target(s, trig, &src));
            let srcs: Vec<Option<usize>> = if src.is_empty() {
                vec![None]
            } else {
                src.iter().map(|&i| Some(i)).collect()
            };
            (srcs, tgt)
        };
        let mut srcs = srcs;
        if srcs.iter().all(Option::is_none) && !trig.passive {
            if let Some(r) = role_source(s, trig) {
                srcs = vec![Some(r)];
            }
        }
        // The parse's conjuncts of a source are sources too ("Libyan leader Muammar
        // Gaddafi and Bulgarian President Todor Zhivkov signed").
        if !trig.passive {
            let known: Vec<usize> = srcs.iter().flatten().copied().collect();
            for &k in &known {
                for c in conjuncts(s, k, &known, false) {
                    if !srcs.contains(&Some(c)) {
                        srcs.push(Some(c));
                    }
                }
            }
        }
        let real: Vec<usize> = srcs.iter().flatten().copied().collect();
        if !trig.passive && !real.is_empty() {
            prev_source = Some((clause, real.clone()));
        }
        // Coordinated targets ("visit Mauritania and Senegal", "defended Iraq and Libya")
        // are one event each, as PETRARCH codes them.
        let tgts: Vec<Option<usize>> = match tgt {
            Some(t) => {
                let mut v = vec![Some(t)];
                v.extend(target_conjuncts(s, t, &real).into_iter().map(Some));
                v
            }
            None => vec![None],
        };
        let mut modality = modality(doc, s, trig, true);
        // The report framing the clause, read off the parse: "X said Y attacked Z" is Y's
        // attack reported by X, "X denied its troops shelled the town" a denied one.
        let frame = (trig.kind == Kind::Verb)
            .then(|| {
                let preds = s.preds.get_or_init(|| sentence_predicates(s.doc, s.idx, s.words));
                report_frame(doc, preds, (s.base + trig.t0) as u32)
            })
            .flatten();
        match frame.as_ref().map(|f| f.0) {
            Some(Frame::Denied) if modality != Modality::Negated => modality = Modality::Denied,
            Some(Frame::Reported) if modality == Modality::Asserted => modality = Modality::Reported,
            _ => {}
        }
        // Who reports it: the actor named by the frame's subject ("Ukraine said ...").
        let reporter = frame
            .as_ref()
            .and_then(|(_, phrases)| phrases.iter().find_map(|ph| phrase_mention(s, ph)))
            .and_then(|i| participant(s, i));
        let mut code = trig.code;
        // Refusing or failing to cooperate is itself a coded event: REJECT (CAMEO 12), as
        // PETRARCH and PLOVER code "refused to meet", "will not accept".
        if modality == Modality::Negated {
            if let Some(r) = reject_code(code) {
                code = r;
                modality = self::modality(doc, s, trig, false);
            }
        }
        let timex = nearest_timex(doc, s, trig);
        let mut modality = if modality == Modality::Asserted || modality == Modality::Reported {
            match timex
                .and_then(|t| doc.timexes.get(t as usize))
                .and_then(|t| t.value.as_deref())
            {
                Some(v) if is_before_month(v, doc.published) => Modality::Historical,
                Some(v) if modality == Modality::Asserted && is_future(v, doc.published) => Modality::Future,
                _ => modality,
            }
        } else {
            modality
        };
        // "will withdraw ... unless Y": a conditional announcement is a threat (CAMEO 13),
        // and the threat itself was made.
        let conditional =
            (0..s.toks.len()).any(|k| s.w(k) == "unless") || (trig.t1..s.toks.len()).any(|k| s.w(k) == "if");
        let announced =
            (trig.t0.saturating_sub(4)..trig.t0).any(|k| matches!(s.w(k), "will" | "would" | "'ll"));
        if conditional && announced && !matches!(code.get(..2), Some("13" | "03" | "02" | "10")) {
            code = threat_code(code);
            modality = if (0..s.toks.len()).any(|k| List::Speech.has(s.w(k))) {
                Modality::Reported
            } else {
                Modality::Asserted
            };
        }
        let code = if modality == Modality::Future {
            future_code(code)
        } else {
            code
        };
        let Some(cameo) = CameoCode::new(code) else {
            continue;
        };
        let violent = cameo.is_violent();
        let location: Option<Located> = location(doc, locs, s, trig);
        // The sentence's topics, once per trigger (not once per source actor).
        let topics = contexts(s, cameo);
        for (src, tgt) in srcs.iter().flat_map(|&a| tgts.iter().map(move |&b| (a, b))) {
            let tgt_p = tgt.and_then(|i| participant(s, i));
            let src_p = src.and_then(|i| participant(s, i));
            let coded = src_p.as_ref().is_some_and(|p| p.code.is_some())
                || tgt_p.as_ref().is_some_and(|p| p.code.is_some());
            let one_sided = matches!(cameo.root(), 14 | 9);
            if trig.kind == Kind::Noun
                && !violent
                && !(one_sided && src_p.is_some())
                && (src_p.is_none() || tgt_p.is_none())
            {
                continue;
            }
            // A located protest is news even when nobody is named ("thousands rallied in
            // Kyiv"), as a violent event is.
            let protest = cameo.root() == 14 && location.is_some();
            if !coded && (!(violent || protest) || trig.broad) {
                continue;
            }
            // Precision first: a verb known only from the broad PETRARCH table ("establish",
            // "force", "pays") codes a political event only between two coded actors, and
            // firms among themselves ("Colorocs signed an agreement with Sharp") are market
            // news, not political events.
            let has_code = |p: &Option<Participant>| p.as_ref().is_some_and(|p| p.code.is_some());
            if !violent && trig.broad && !(has_code(&src_p) && has_code(&tgt_p)) {
                continue;
            }
            if !violent && !protest && !political(&src_p) && !political(&tgt_p) {
                continue;
            }
            if src_p.is_some() && src_p.as_ref().map(|p| p.entity) == tgt_p.as_ref().map(|p| p.entity) {
                continue;
            }
            // One violent event per sentence and attacker: later triggers only sharpen the code.
            if violent {
                // An unknown attacker on either side is taken to be the same one ("a roadside
                // bombing ... killed one soldier").
                let same = out.get_mut(first_out..).unwrap_or(&mut []).iter_mut().find(|e| {
                    let (a, b) = (
                        e.source.as_ref().map(|p| p.entity),
                        src_p.as_ref().map(|p| p.entity),
                    );
                    CameoCode::new(&e.cameo).is_some_and(CameoCode::is_violent)
                        && (a == b || a.is_none() || b.is_none())
                });
                if let Some(e) = same {
                    if (e.cameo == "190" || e.cameo == "180") && code != "190" {
                        set_code(e, code);
                    }
                    if e.source.is_none() {
                        e.source = src_p.clone();
                    }
                    if e.target.is_none() {
                        e.target = with_victim_sector(tgt_p.clone(), e.victims.as_deref());
                    }
                    if let Some(c) = coded_trig.get_mut(ti) {
                        *c = true;
                    }
                    continue;
                }
            }
            let trigger = Span::new(
                s.toks.get(trig.t0).map(|t| t.span.start).unwrap_or(s.span.start),
                s.toks
                    .get(trig.t1.saturating_sub(1))
                    .map(|t| t.span.end)
                    .unwrap_or(s.span.start),
            );
            let cas = if violent {
                casualties_for(&casualties, clause, first_violent, &violent_clauses)
            } else {
                Casualties::default()
            };
            if let Some(c) = coded_trig.get_mut(ti) {
                *c = true;
            }
            let target = with_victim_sector(tgt_p.clone(), cas.victims.as_deref());
            let Casualties {
                killed,
                wounded,
                victims,
                ..
            } = cas;
            out.push(Event {
                cameo: cameo.as_str().to_string(),
                quad: cameo.quad(),
                goldstein: cameo.goldstein(),
                plover: cameo.plover().to_string(),
                plover_mode: cameo.plover_mode().map(str::to_string),
                // An actor reporting its own act ("X noted ... and called for Y") is its
                // source; the reporter names someone else.
                reporter: reporter.clone().filter(|r| {
                    src_p
                        .as_ref()
                        .is_none_or(|p| p.entity.is_none() || p.entity != r.entity)
                }),
                source: src_p,
                target,
                sentence: s.idx as u32,
                trigger,
                modality,
                timex,
                date_basis: None,
                location: location.map(|l| l.0),
                location_precision: location.map(|l| l.1),
                location_basis: location.map(|l| l.2),
                killed,
                wounded,
                victims,
                contexts: topics.clone(),
                mentions: Vec::new(),
                confidence: 1.0,
            });
        }
        if violent {
            first_violent = false;
        }
    }
}

pub(crate) fn set_code(e: &mut Event, code: &str) {
    if let Some(info) = CameoCode::new(code).map(CameoCode::info) {
        e.cameo = info.code.to_string();
        e.quad = info.quad;
        e.goldstein = info.goldstein;
        e.plover = info.plover.to_string();
        e.plover_mode = info.plover_mode.map(str::to_string);
    }
}
