//! Dates: the nearest date/time expression of the trigger's sentence, and each event's
//! [`DateBasis`](chronicle_core::DateBasis).

use crate::sentence::{Sent, Trig};
use chronicle_core::{DateBasis, Document, Event, Modality};

/// Sets each event's [`DateBasis`]: its clause's resolved expression first; else, for a
/// report of something that happened (asserted, reported or claimed), the publication day.
/// "Now" (`PRESENT_REF`) is the publication day too. An expression the resolver could not
/// anchor, or a vague one ("recently": `PAST_REF`), leaves the event undated rather than
/// guessed, and so does a future, hypothetical, negated, denied or background event.
pub(crate) fn date_events(doc: &Document, events: &mut [Event]) {
    for e in events {
        let stated = e.timex.and_then(|t| doc.timexes.get(t as usize));
        let reportable = doc.published.is_some()
            && matches!(
                e.modality,
                Modality::Asserted | Modality::Reported | Modality::Claimed
            );
        let value = stated.and_then(|t| t.value.as_deref());
        e.date_basis = match (stated, value) {
            // A calendar value ("2025-12-02", "2025-W49", "2025-11").
            (Some(_), Some(v)) if v.starts_with(|c: char| c.is_ascii_digit()) => Some(DateBasis::Expression),
            // "now", "currently": the day of the report.
            (Some(_), Some("PRESENT_REF")) if reportable => Some(DateBasis::Publication),
            (Some(_), _) => None,
            (None, _) if reportable => Some(DateBasis::Publication),
            (None, _) => None,
        };
    }
}

pub(crate) fn nearest_timex(doc: &Document, s: &Sent, trig: &Trig) -> Option<u32> {
    let tpos = s.toks.get(trig.t0).map(|t| t.span)?;
    let i0 = doc.timexes.partition_point(|t| t.span.start < s.span.start);
    let mut best: Option<(u32, u32)> = None;
    for (k, t) in doc.timexes.iter().enumerate().skip(i0) {
        if t.span.start >= s.span.end {
            break;
        }
        if !matches!(
            t.kind,
            chronicle_core::TimexType::Date | chronicle_core::TimexType::Time
        ) {
            continue;
        }
        let d = t.span.gap(tpos);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k as u32));
        }
    }
    best.map(|(_, k)| k)
}
