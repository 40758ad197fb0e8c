//! Reported events read off the parse. "X said Y attacked Z" is Y's attack on Z, reported
//! by X, not an act of X; "X denied its troops shelled the town" is a denied attack. The
//! frame is the verb governing the event's clause through clausal complements, a speech
//! verb in parataxis ("Y attacked Z, X said"), or an "according to X" oblique.

use chronicle_clauses::{Phrase, Predicate};
use chronicle_core::{Deprel, Document};

use crate::words::List;

/// How a report frames the event in its clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Frame {
    /// Someone says it happened (modality `reported`).
    Reported,
    /// Someone says it did not (modality `denied`).
    Denied,
}

/// The report framing the clause of `verb` (a document token index): its frame and the
/// phrases naming who reports it (empty when the parse names nobody: "it was said").
/// `None` when the article itself tells the event.
pub(crate) fn report_frame(doc: &Document, preds: &[Predicate], verb: u32) -> Option<(Frame, Vec<Phrase>)> {
    let find = |v: u32| preds.iter().find(|p| p.verb == v);
    let lemma_in = |t: u32, l: List| {
        let i = t as usize;
        l.has(doc.lemma(i)) || l.has(doc.lower(i))
    };
    let subject = |v: u32| -> Vec<Phrase> { find(v).map(|p| p.subject.clone()).unwrap_or_default() };
    let sentence = doc.tokens.get(verb as usize)?.sentence as usize;
    let (a, b) = doc
        .sentences
        .get(sentence)
        .map(|s| (s.tokens.0 as usize, s.tokens.1 as usize))?;
    let children = |v: u32| {
        (a..b.min(doc.syntax.len())).filter(move |&k| doc.syntax.get(k).is_some_and(|t| t.head == Some(v)))
    };
    let mut cur = verb;
    for _ in 0..4 {
        // "Y attacked Z, X said": the speech verb hangs from the event in parataxis.
        for k in children(cur) {
            let rel = doc.syntax.get(k).map(|t| t.rel.universal());
            if rel == Some(Deprel::Parataxis) && lemma_in(k as u32, List::ReportVerb) {
                return Some((Frame::Reported, subject(k as u32)));
            }
            // "according to X": X reports.
            if rel == Some(Deprel::Obl) && children(k as u32).any(|c| doc.lower(c) == "according") {
                let k = k as u32;
                return Some((
                    Frame::Reported,
                    vec![Phrase {
                        head: k,
                        first: k,
                        last: k,
                    }],
                ));
            }
        }
        let Some(p) = find(cur) else { break };
        let Some((g, rel)) = p.governor else { break };
        match rel.universal() {
            Deprel::Ccomp => {
                if lemma_in(g, List::DenyVerb) {
                    return Some((Frame::Denied, subject(g)));
                }
                if lemma_in(g, List::ReportVerb) {
                    return Some((Frame::Reported, subject(g)));
                }
                cur = g;
            }
            // "said it would continue to attack", "said Y attacked and killed Z"; but a
            // verb coordinated with the report itself ("noted X and called for Y") is not
            // reported.
            Deprel::Xcomp | Deprel::Conj if !lemma_in(g, List::ReportVerb) => cur = g,
            _ => break,
        }
    }
    None
}
