//! Where an event happened: resolved place mentions, their precision (ACLED's geo
//! precision), the clause / sentence / paragraph search and the article's dateline.

use crate::arguments::clause_start;
use crate::sentence::{Sent, Trig};
use chronicle_core::{Document, EntityId, EntityType, Span};

pub(crate) fn feature_rank(f: &str) -> u8 {
    if f.starts_with("PPL") {
        3
    } else if f.starts_with("ADM") {
        2
    } else if f.starts_with("PCL") {
        0
    } else {
        1
    }
}

/// A resolved LOC mention: its span, its place's specificity rank, its entity.
pub(crate) type Loc = (Span, u8, EntityId);

/// All resolved LOC mentions in text order (built once per document).
pub(crate) fn place_mentions(doc: &Document) -> Vec<Loc> {
    let mut locs: Vec<Loc> = Vec::new();
    for p in &doc.places {
        let Some(ent) = doc.entity(p.entity) else { continue };
        if ent.kind != EntityType::Loc {
            continue;
        }
        for m in &ent.mentions {
            locs.push((m.span, feature_rank(&p.feature), p.entity));
        }
    }
    locs.sort_by_key(|(sp, _, _)| sp.start);
    locs
}

/// Where an event is placed: the entity, its precision (ACLED's geo_precision: `town`,
/// `near town`, `region`, `country`) and where it was found (`clause`, `sentence`,
/// `paragraph`, `dateline`).
pub(crate) type Located = (EntityId, &'static str, &'static str);

/// The precision of a place mention at `sp` of rank `rank` (see [`feature_rank`]).
pub(crate) fn precision(s: &Sent, sp: Span, rank: u8) -> &'static str {
    match rank {
        3 => {
            let t = s.toks.partition_point(|t| t.span.end <= sp.start);
            let near = |k: usize| matches!(s.w(k), "near" | "outside" | "around" | "nearby" | "outskirts");
            let of_near = t > 1 && s.w(t - 1) == "of" && near(t - 2);
            if (t > 0 && near(t - 1)) || of_near || (t > 1 && s.w(t - 1) == "the" && near(t - 2)) {
                "near town"
            } else {
                "town"
            }
        }
        0 => "country",
        _ => "region",
    }
}

/// Where the event happened: the nearest place in the trigger's clause (a place after
/// "in/at/near" first), then the sentence, then the paragraph, then the article's dateline
/// ("KYIV, Dec 3 (Reuters) -").
pub(crate) fn location(doc: &Document, locs: &[Loc], s: &Sent, trig: &Trig) -> Option<Located> {
    let tpos = s.toks.get(trig.t0).map(|t| t.span)?;
    // Nearest place in the range; a country directly followed by a more specific place
    // ("Ukraine's Dnipropetrovsk region") yields to it.
    // A place after "in/at/near" is where things happen; other mentions may be actors.
    let locative = |sp: Span| -> bool {
        let t = s.toks.partition_point(|t| t.span.end <= sp.start);
        let prep = |k: usize| matches!(s.w(k), "in" | "at" | "near" | "outside" | "inside");
        // "in Miami", "in the Kremlin"
        (t > 0 && prep(t - 1)) || (t > 1 && s.w(t - 1) == "the" && prep(t - 2))
    };
    // Precision first: a place counts as the event's location when it follows a locative
    // preposition ("in Miami"), or, within the trigger's own clause only, when it is a
    // sub-national place used bare ("Kiev protest"). A bare country ("UK Foreign
    // Secretary", "US-led efforts", "the Netherlands were committing") names an actor, not
    // where the event happened, so it never locates an event by itself.
    let pick_with = |range: Span, allow_bare: bool| -> Option<(EntityId, &'static str)> {
        let mut best: Option<(bool, u32, usize)> = None;
        let k0 = locs.partition_point(|(sp, _, _)| sp.start < range.start);
        for (k, (sp, rank, _)) in locs.iter().enumerate().skip(k0) {
            if sp.start >= range.end {
                break;
            }
            if range.contains(*sp) {
                let d = sp.gap(tpos);
                let l = locative(*sp);
                // A bare capital or seat of government ("Kremlin spokesman", "Kyiv said")
                // is an actor; only a bare non-actor region or town may locate.
                let actor = doc.entity(locs[k].2).is_some_and(|e| e.actor.is_some());
                if !(l || allow_bare && *rank >= 2 && !actor) {
                    continue;
                }
                if best.is_none_or(|(bl, bd, _)| (l && !bl) || (l == bl && d < bd)) {
                    best = Some((l, d, k));
                }
            }
        }
        let best = best.map(|(_, d, k)| (d, k));
        let (_, k) = best?;
        let (sp, rank, id) = *locs.get(k)?;
        match locs.get(k + 1) {
            Some((nsp, nrank, nid))
                if *nrank > rank && nsp.start.saturating_sub(sp.end) <= 3 && range.contains(*nsp) =>
            {
                Some((*nid, precision(s, *nsp, *nrank)))
            }
            _ => Some((id, precision(s, sp, rank))),
        }
    };
    // The trigger's clause first ("..., while X happened in Y" must not place the first
    // clause in Y), then the sentence, then the paragraph.
    let c0 = clause_start(s, trig.t0);
    let c1 = (trig.t1..s.toks.len())
        .find(|&k| matches!(s.w(k), ";" | "while" | "whereas" | "but"))
        .unwrap_or(s.toks.len());
    let clause = match (s.toks.get(c0), s.toks.get(c1.saturating_sub(1))) {
        (Some(a), Some(b)) => Span::new(a.span.start, b.span.end),
        _ => s.span,
    };
    let tag = |basis: &'static str| move |(id, p): (EntityId, &'static str)| (id, p, basis);
    pick_with(clause, true)
        .map(tag("clause"))
        .or_else(|| pick_with(s.span, false).map(tag("sentence")))
        .or_else(|| {
            doc.paragraphs
                .get(s.paragraph as usize)
                .and_then(|p| pick_with(*p, false))
                .map(tag("paragraph"))
        })
        .or_else(|| dateline(doc, locs))
}

/// The place of the article's dateline: a sub-national place that opens the first or second
/// paragraph and is followed by a comma, a dash or a bracket ("KYIV, Dec 3 (Reuters) -",
/// "DONETSK (AP) -"). Wire copy states where it was filed, which is where it reports from.
pub(crate) fn dateline(doc: &Document, locs: &[Loc]) -> Option<Located> {
    for p in doc.paragraphs.iter().take(2) {
        let k = locs.partition_point(|(sp, _, _)| sp.start < p.start);
        let Some(&(sp, rank, id)) = locs.get(k) else {
            continue;
        };
        let lead = doc.slice(Span::new(p.start, sp.start)).trim();
        let after = doc.slice(Span::new(sp.end, (sp.end + 3).min(p.end)));
        let follows = after
            .trim_start()
            .starts_with([',', '-', '(', '\u{2013}', '\u{2014}']);
        if lead.is_empty() && follows && rank >= 2 && sp.end < p.end {
            let precision = if rank == 3 { "town" } else { "region" };
            return Some((id, precision, "dateline"));
        }
    }
    None
}
