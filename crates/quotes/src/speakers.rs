//! Speaker spans resolved to entities: relative pronouns to their antecedent, a name
//! before an apposition or prepositional tail, the mention that heads the span.

use super::*;

/// The entity whose mention overlaps the speaker span most (ties: the earlier mention),
/// provided the mention is the span's head: nothing but punctuation may follow it inside
/// the span. "Kremlin insiders" and "US envoys" are unnamed typed sources, not the Kremlin
/// or the United States, so they stay unresolved.
pub(crate) fn resolve(doc: &Document, mentions: &[(Span, EntityId)], sp: Span) -> Option<EntityId> {
    // "Ushakov, who said ...": the speaker is written "who" and is Ushakov.
    if let Some(ante) = antecedent_span(doc, sp) {
        return resolve(doc, mentions, ante);
    }
    // "Mr. Morgan of the Sierra Club", "Scott Pruitt, the attorney general of Oklahoma": the
    // person before an apposition or prepositional tail speaks, not the body after it.
    head_span(doc, sp)
        .and_then(|h| resolve_whole(doc, mentions, h))
        .or_else(|| resolve_whole(doc, mentions, sp))
}

/// When `sp` is a relative pronoun subject ("who"), the span of the noun phrase it stands
/// for, read off the parse.
pub(crate) fn antecedent_span(doc: &Document, sp: Span) -> Option<Span> {
    if !matches!(doc.slice(sp).to_lowercase().as_str(), "who" | "which" | "that") {
        return None;
    }
    let k = doc.tokens.partition_point(|t| t.span.start < sp.start);
    let (a, b) = parsed::relative_antecedent(doc, k)?;
    let (x, y) = (doc.tokens.get(a)?, doc.tokens.get(b.checked_sub(1)?)?);
    Some(Span::new(x.span.start, y.span.end))
}

/// The part of a speaker span before its first apposition or prepositional tail.
pub(crate) fn head_span(doc: &Document, sp: Span) -> Option<Span> {
    let mut len = 0u32;
    for (k, word) in doc.slice(sp).split(' ').enumerate() {
        let tail =
            matches!(word, "of" | "on" | "at" | "from" | "with" | "for" | "in") || word.starts_with('(');
        if k > 0 && tail {
            return (len > 1).then(|| Span::new(sp.start, sp.start + len - 1));
        }
        let n = u32::try_from(word.chars().count()).ok()?;
        if word.len() > 1 && word.ends_with(',') {
            // "Scott Pruitt, the attorney general": the head ends before the comma.
            return Some(Span::new(sp.start, sp.start + len + n - 1));
        }
        len += n + 1;
    }
    None
}

pub(crate) fn resolve_whole(doc: &Document, mentions: &[(Span, EntityId)], sp: Span) -> Option<EntityId> {
    let lo = mentions.partition_point(|(s, _)| s.start < sp.start.saturating_sub(64));
    mentions
        .get(lo..)?
        .iter()
        .take_while(|(s, _)| s.start < sp.end)
        .filter(|(s, _)| s.overlaps(sp))
        .filter(|(s, _)| {
            s.end >= sp.end
                || !doc
                    .slice(Span::new(s.end, sp.end))
                    .chars()
                    .any(char::is_alphanumeric)
        })
        .max_by_key(|(s, _)| (s.overlap_len(sp), u32::MAX - s.start))
        .map(|&(_, id)| id)
}

/// Per sentence: whether the rules already quote a quarter of it or more (`taken`: sorted
/// quote pieces). Such sentences are not tagged by the learned model, neither in training
/// nor at run time: a report they hold is almost always the one the rules found, and
/// whatever the tagger found there would overlap a rule quote and be dropped.
pub(crate) fn covered_sentences(doc: &Document, taken: &[Span]) -> Vec<bool> {
    doc.sentences
        .iter()
        .map(|sent| {
            let sp = sent.span;
            let lo = taken.partition_point(|t| t.end <= sp.start);
            let inside: u32 = taken
                .get(lo..)
                .unwrap_or(&[])
                .iter()
                .take_while(|t| t.start < sp.end)
                .map(|t| t.end.min(sp.end).saturating_sub(t.start.max(sp.start)))
                .sum();
            4 * inside >= sp.len()
        })
        .collect()
}
