//! The builtin model as a name finder for the entity stage.

use crate::{chunks, NerModel, Tag};
use chronicle_core::{Document, EntityType, MentionKind, Span};
use chronicle_entities::{Candidate, CandidateProvider};
use chronicle_gazetteer::Gazetteer;

/// Proposes the spans the builtin [`NerModel`] tags, sentence by sentence. Yields nothing
/// when no builtin model is available, so a caller can chain it with the rule provider.
#[derive(Debug, Clone, Copy, Default)]
pub struct NerProvider;

/// Logistic map from a chunk's smallest token margin to a confidence, fitted to chunk
/// precision on CoNLL-2003 valid for the committed model (margin 5 -> 0.43, 16 -> 0.67,
/// 27 -> 0.85, 38 -> 0.94, 70+ -> 0.99), so the entity stage can weigh votes by how
/// often such a chunk is right. Refit after retraining if the weight scale moves much.
const MARGIN_MID: f32 = 8.0;
const MARGIN_SCALE: f32 = 11.0;

/// A sentence's model words, per word its `[first, last)` doc token indices, and the
/// parse read per word (empty without a syntax layer).
type SentenceWords<'a> = (Vec<&'a str>, Vec<(usize, usize)>, Vec<crate::WordSyntax>);

impl NerProvider {
    /// Candidates from an explicit model (the trait method uses the builtin one).
    pub fn candidates_with(model: &NerModel, doc: &Document) -> Vec<Candidate> {
        let gaz = Gazetteer::global();
        let mut out = Vec::new();
        // Per sentence: the model's words (CoNLL-style groups of doc tokens) and, for each
        // word, its `[first, last)` doc token indices.
        let mut sents: Vec<SentenceWords> = Vec::new();
        for sent in &doc.sentences {
            let (t0, t1) = (sent.tokens.0 as usize, sent.tokens.1 as usize);
            let Some(toks) = doc.tokens.get(t0..t1) else {
                continue;
            };
            if toks.is_empty() {
                continue;
            }
            let groups = conll_words(doc, toks);
            let words = groups
                .iter()
                .map(|&(a, b)| match (toks.get(a), toks.get(b.saturating_sub(1))) {
                    (Some(f), Some(l)) => doc.slice(Span::new(f.span.start, l.span.end)),
                    _ => "",
                })
                .collect();
            let ranges: Vec<(usize, usize)> = groups.into_iter().map(|(a, b)| (t0 + a, t0 + b)).collect();
            let syntax = crate::syntax::of_document(doc, &ranges);
            sents.push((words, ranges, syntax));
        }
        let refs: Vec<&[&str]> = sents.iter().map(|s| s.0.as_slice()).collect();
        let syn: Vec<&[crate::WordSyntax]> = sents.iter().map(|s| s.2.as_slice()).collect();
        let tagged = model.tag_document_with_syntax(&refs, &syn);
        for ((words, ranges, _), scored) in sents.iter().zip(tagged) {
            let mut tags: Vec<Tag> = scored.iter().map(|t| t.tag).collect();
            crate::repair_bio(&mut tags);
            for (s, e, kind) in chunks(&tags) {
                // Honorifics are not part of the name ("Mr Greenspan" is "Greenspan"), so
                // coreference can join it to "Alan Greenspan".
                let mut s = s;
                while kind == EntityType::Per && e > s + 1 && words.get(s).is_some_and(|w| is_honorific(w)) {
                    s += 1;
                }
                let (Some(&(first, _)), Some(&(_, last))) = (ranges.get(s), ranges.get(e.saturating_sub(1)))
                else {
                    continue;
                };
                let (Some(ft), Some(lt)) = (doc.tokens.get(first), doc.tokens.get(last.saturating_sub(1)))
                else {
                    continue;
                };
                let span = Span::new(ft.span.start, lt.span.end);
                if span.is_empty() {
                    continue;
                }
                let margin = scored
                    .get(s..e)
                    .unwrap_or(&[])
                    .iter()
                    .map(|t| t.margin)
                    .fold(f32::MAX, f32::min);
                let confidence = if margin >= f32::MAX {
                    1.0
                } else {
                    1.0 / (1.0 + (-(margin - MARGIN_MID) / MARGIN_SCALE).exp())
                };
                let text = doc.slice(span);
                let tokens = (first as u32, last as u32);
                // "US-led", "Kremlin-backed": one CoNLL word, but the name inside is what an
                // analyst needs (an actor, a place), so it is proposed alone.
                if let Some(c) = hyphen_prefix(text, span, tokens, gaz) {
                    out.push(c);
                    continue;
                }
                let (kind, confidence) = gazetteer_agreement(gaz, text, kind, confidence);
                let demonym = kind == EntityType::Misc
                    && e == s + 1
                    && words.get(s).is_some_and(|w| gaz.country_by_demonym(w).is_some());
                out.push(Candidate {
                    span,
                    tokens,
                    kind,
                    mention: if demonym {
                        MentionKind::Demonym
                    } else {
                        MentionKind::Name
                    },
                    confidence: confidence.clamp(0.0, 1.0),
                });
            }
        }
        out
    }
}

/// Groups a sentence's tokens into the words the model was trained on. CoNLL-2003 keeps
/// hyphenated numbers and compounds whole ("1996-08-30", "3-1", "26-year-old"), and a
/// clitic written apart ("Lord 's", from detokenised wire copy) is one word "'s"; our
/// tokenizer splits both, so touching tokens are rejoined here. Returns `[first, last)`
/// indices into `toks`.
fn conll_words(doc: &Document, toks: &[chronicle_core::Token]) -> Vec<(usize, usize)> {
    let text = |i: usize| toks.get(i).map_or("", |t| doc.token_text(t));
    let touching = |i: usize| toks.get(i).is_some_and(|t| !t.space_before);
    let is_hyphen = |s: &str| !s.is_empty() && s.chars().all(|c| matches!(c, '-' | '\u{2010}' | '\u{2011}'));
    let wordy = |s: &str| s.chars().next_back().is_some_and(char::is_alphanumeric);
    let starts_wordy = |s: &str| s.chars().next().is_some_and(char::is_alphanumeric);
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let start = i;
        let mut end = i + 1;
        let cur = text(i);
        // "'" + "s" written apart from the previous word.
        if (cur == "'" || cur == "\u{2019}")
            && touching(i + 1)
            && matches!(
                text(i + 1).to_ascii_lowercase().as_str(),
                "s" | "m" | "re" | "ve" | "ll" | "d"
            )
        {
            end = i + 2;
        }
        // word-word, number-number, hyphen runs ("--").
        loop {
            let last = text(end - 1);
            let nx = text(end);
            if end < toks.len() && touching(end) && is_hyphen(nx) && (is_hyphen(last) || wordy(last)) {
                let after = text(end + 1);
                if touching(end + 1) && starts_wordy(after) && !is_hyphen(last) {
                    end += 2;
                    continue;
                }
                if is_hyphen(last) {
                    end += 1;
                    continue;
                }
            }
            if end < toks.len() && is_hyphen(last) && touching(end) && is_hyphen(nx) {
                end += 1;
                continue;
            }
            break;
        }
        out.push((start, end));
        i = end;
    }
    out
}

/// Courtesy titles that open a person chunk.
fn is_honorific(w: &str) -> bool {
    matches!(
        w.trim_end_matches('.'),
        "Mr" | "Mrs" | "Ms" | "Mx" | "Dr" | "Messrs" | "Mme" | "Mlle" | "Herr" | "Frau"
    )
}

/// Confidence below which a gazetteer fact overrides the model's type.
const GAZ_OVERRIDE_BELOW: f32 = 0.75;
/// Prior (log population plus kind bonus, see `chronicle_gazetteer::Candidate::prior`) a
/// place needs before its name is read as the place against a weak ORG/MISC label: a city
/// of about half a million, or any first-level region of a few hundred thousand.
const GAZ_PLACE_PRIOR: f32 = 13.0;

/// Where the model and the gazetteer disagree on a country or a large place, the gazetteer
/// wins: a country's name is a location (CoNLL tags national sides and "US envoys" LOC too),
/// and a weakly typed "Luhansk" is the region, not an organisation. Returns the type and
/// confidence to use.
fn gazetteer_agreement(gaz: &Gazetteer, text: &str, kind: EntityType, confidence: f32) -> (EntityType, f32) {
    if kind == EntityType::Loc || kind == EntityType::Per {
        return (kind, confidence);
    }
    if gaz.country_by_name(text).is_some() && confidence < 0.9 {
        return (EntityType::Loc, confidence.max(0.6));
    }
    if gaz.country_by_demonym(text).is_some() {
        return (kind, confidence);
    }
    if confidence < GAZ_OVERRIDE_BELOW
        && gaz
            .candidates(text)
            .next()
            .is_some_and(|c| !c.alternate && c.prior >= GAZ_PLACE_PRIOR)
    {
        return (EntityType::Loc, confidence);
    }
    (kind, confidence)
}

/// For a one-word chunk "X-led" / "X-backed" (`text` at `span`, covering doc `tokens`)
/// whose head X is a country or its demonym, a candidate for X alone (LOC, or MISC demonym).
fn hyphen_prefix(text: &str, span: Span, tokens: (u32, u32), gaz: &Gazetteer) -> Option<Candidate> {
    let (head, rest) = text.split_once('-')?;
    if head.is_empty() || rest.is_empty() || rest.contains(' ') || !rest.starts_with(char::is_lowercase) {
        return None;
    }
    let head_span = Span::new(span.start, span.start + head.chars().count() as u32);
    let (kind, mention) = if gaz.country_by_name(head).is_some() {
        (EntityType::Loc, MentionKind::Name)
    } else if gaz.country_by_demonym(head).is_some() {
        (EntityType::Misc, MentionKind::Demonym)
    } else {
        return None;
    };
    Some(Candidate {
        span: head_span,
        tokens,
        kind,
        mention,
        confidence: 0.8,
    })
}

impl CandidateProvider for NerProvider {
    fn candidates(&self, doc: &Document) -> Vec<Candidate> {
        match NerModel::builtin() {
            Some(m) => Self::candidates_with(m, doc),
            None => Vec::new(),
        }
    }
}
