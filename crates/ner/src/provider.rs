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

impl NerProvider {
    /// Candidates from an explicit model (the trait method uses the builtin one).
    pub fn candidates_with(model: &NerModel, doc: &Document) -> Vec<Candidate> {
        let gaz = Gazetteer::global();
        let mut out = Vec::new();
        let mut sents: Vec<(usize, &[chronicle_core::Token], Vec<&str>)> = Vec::new();
        for sent in &doc.sentences {
            let (t0, t1) = (sent.tokens.0 as usize, sent.tokens.1 as usize);
            let Some(toks) = doc.tokens.get(t0..t1) else {
                continue;
            };
            if toks.is_empty() {
                continue;
            }
            sents.push((t0, toks, toks.iter().map(|t| doc.token_text(t)).collect()));
        }
        let refs: Vec<&[&str]> = sents.iter().map(|s| s.2.as_slice()).collect();
        let tagged = model.tag_document(&refs);
        for ((t0, toks, words), scored) in sents.iter().zip(tagged) {
            let t0 = *t0;
            let mut tags: Vec<Tag> = scored.iter().map(|t| t.tag).collect();
            crate::repair_bio(&mut tags);
            for (s, e, kind) in chunks(&tags) {
                let (Some(first), Some(last)) = (toks.get(s), toks.get(e.saturating_sub(1))) else {
                    continue;
                };
                let span = Span::new(first.span.start, last.span.end);
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
                let demonym = kind == EntityType::Misc
                    && e == s + 1
                    && words.get(s).is_some_and(|w| gaz.country_by_demonym(w).is_some());
                out.push(Candidate {
                    span,
                    tokens: ((t0 + s) as u32, (t0 + e) as u32),
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

impl CandidateProvider for NerProvider {
    fn candidates(&self, doc: &Document) -> Vec<Candidate> {
        match NerModel::builtin() {
            Some(m) => Self::candidates_with(m, doc),
            None => Vec::new(),
        }
    }
}
