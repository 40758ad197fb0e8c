//! One event, many mentions: repeated reports of an event merged into its first record.

use crate::cameo::CameoCode;
use chronicle_core::{Document, EntityId, Event, Modality, Participant};

/// One event, many mentions: a later event with the same root, modality and participants
/// (an unknown side of a violent event matches any), on a compatible date and place, is a
/// repeated report of an earlier one; it becomes a further mention of it (GDELT's best
/// known failure is the opposite: one kidnapping, hundreds of records). Gaps are filled
/// from the later mention; counts keep the most conservative figure, as ACLED does.
pub(crate) fn merge_mentions(doc: &Document, events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    for e in events {
        if let Some(m) = out.iter_mut().find(|m| same_event(doc, m, &e)) {
            m.mentions.push((e.sentence, e.trigger));
            m.timex = m.timex.or(e.timex);
            if m.location.is_none() && e.location.is_some() {
                m.location = e.location;
                m.location_precision = e.location_precision;
                m.location_basis = e.location_basis;
            }
            if m.source.is_none() {
                m.source = e.source;
            }
            if m.target.is_none() {
                m.target = e.target;
            }
            let low = |a: Option<u32>, b: Option<u32>| match (a, b) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
            m.killed = low(m.killed, e.killed);
            m.wounded = low(m.wounded, e.wounded);
            if m.victims.is_none() {
                m.victims = e.victims;
            }
            continue;
        }
        out.push(e);
    }
    out
}

pub(crate) fn same_event(doc: &Document, a: &Event, b: &Event) -> bool {
    let root = |e: &Event| CameoCode::new(&e.cameo).map(CameoCode::root);
    // Stated, attributed and hedged reports all say it happened; a denial, a plan or a
    // hypothesis is another claim about it and stays apart.
    let occurred = |m: Modality| matches!(m, Modality::Asserted | Modality::Reported | Modality::Claimed);
    let modality_fits = a.modality == b.modality || occurred(a.modality) && occurred(b.modality);
    if a.sentence == b.sentence || root(a) != root(b) || !modality_fits {
        return false;
    }
    let violent = CameoCode::new(&a.cameo).is_some_and(CameoCode::is_violent);
    let ent = |p: &Option<Participant>| p.as_ref().and_then(|p| p.entity);
    let fits = |x: Option<EntityId>, y: Option<EntityId>| x == y || (violent && (x.is_none() || y.is_none()));
    let value = |t: Option<u32>| {
        t.and_then(|t| doc.timexes.get(t as usize))
            .and_then(|t| t.value.clone())
    };
    let (da, db) = (value(a.timex), value(b.timex));
    let dates = da.is_none() || db.is_none() || da == db;
    let places = a.location.is_none() || b.location.is_none() || a.location == b.location;
    fits(ent(&a.source), ent(&b.source)) && fits(ent(&a.target), ent(&b.target)) && dates && places
}
