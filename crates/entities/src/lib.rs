//! Named entities, actor codes and in-document coreference.
//!
//! The stage is split so that a statistical model can replace the name finder later
//! without touching actor coding or coreference:
//! 1. a [`CandidateProvider`] proposes name spans with a CoNLL type (the default
//!    [`RuleProvider`] uses capitalisation, titles, the gazetteer and word statistics
//!    learned from CoNLL-2003 train);
//! 2. actor coding reads titles, demonyms, possessive countries, metonyms and appositions
//!    around each name (see [`actors`] for the order of evidence);
//! 3. coreference clusters repeats and partial names ("Putin" -> "Vladimir Putin"), then
//!    resolves nominals ("the Russian leader") and personal pronouns to person entities.

mod actors;
mod coref;
mod lexicon;
pub mod petrarch;
mod rules;
mod tokens;

pub use actors::sector_of_role;
pub use lexicon::{ActorFileError, Lexicon};
pub use rules::RuleProvider;

use chronicle_core::{Document, EntityId, EntityType, Layer, MentionKind, Span, Stage};
use std::sync::Arc;

/// A proposed name: what any name finder (rules now, a model later) must deliver.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Code point span of the name itself (no title, no possessive "’s").
    pub span: Span,
    /// `[first, last)` indices into `doc.tokens` covering the span; actor coding reads
    /// the words around these.
    pub tokens: (u32, u32),
    pub kind: EntityType,
    /// `Name` or `Demonym`.
    pub mention: MentionKind,
    /// 0..1; used to vote on the type of a coreference cluster.
    pub confidence: f32,
}

/// Source of candidate spans + types, so a learned tagger can slot in ahead of the rules.
pub trait CandidateProvider: Send + Sync {
    /// Candidates in any order; overlaps are resolved by the stage (longest first).
    fn candidates(&self, doc: &Document) -> Vec<Candidate>;
}

/// The entities stage: names, actor codes, coreference.
pub struct EntityStage {
    provider: Box<dyn CandidateProvider>,
    /// The tables actors are coded with, fixed at construction.
    lexicon: Arc<Lexicon>,
}

impl std::fmt::Debug for EntityStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntityStage").finish_non_exhaustive()
    }
}

impl Default for EntityStage {
    fn default() -> Self {
        Self::new()
    }
}

impl EntityStage {
    /// The rule-based stage with the built-in tables.
    pub fn new() -> Self {
        Self::with_lexicon(Lexicon::builtin())
    }

    /// The rule-based stage coding with `lexicon` (e.g. the built-in tables plus the user's
    /// actor files, see [`Lexicon::with_actor_files`]).
    pub fn with_lexicon(lexicon: Arc<Lexicon>) -> Self {
        EntityStage {
            provider: Box::new(RuleProvider::with_lexicon(Arc::clone(&lexicon))),
            lexicon,
        }
    }

    /// A stage whose names come from another provider (e.g. a statistical tagger), coding
    /// actors with the built-in tables.
    pub fn with_provider(provider: Box<dyn CandidateProvider>) -> Self {
        Self::with_provider_and_lexicon(provider, Lexicon::builtin())
    }

    /// A stage whose names come from `provider`, coding actors with `lexicon`.
    pub fn with_provider_and_lexicon(provider: Box<dyn CandidateProvider>, lexicon: Arc<Lexicon>) -> Self {
        EntityStage { provider, lexicon }
    }
}

impl Stage for EntityStage {
    fn name(&self) -> &'static str {
        "entities"
    }
    fn reads(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens, Layer::Timexes]
    }
    /// The NER provider's features read the parse.
    fn reads_if_present(&self) -> &'static [Layer] {
        &[Layer::Syntax]
    }
    fn writes(&self) -> &'static [Layer] {
        &[Layer::Entities]
    }
    fn run(&self, doc: &mut Document) {
        doc.entities.clear();
        if doc.tokens.is_empty() {
            if !doc.text().trim().is_empty() {
                doc.diagnose(
                    "entities",
                    chronicle_core::Severity::Warning,
                    "no tokens: entities skipped",
                    None,
                );
            }
            return;
        }
        let n = doc.tokens.len() as u32;
        let timex_spans = covering_spans(doc.timexes.iter().map(|t| t.span));
        let mut cands: Vec<Candidate> = self
            .provider
            .candidates(doc)
            .into_iter()
            .filter(|c| !c.span.is_empty() && c.tokens.0 < c.tokens.1 && c.tokens.1 <= n)
            .filter(|c| !inside_timex(&timex_spans, c.span))
            .filter(|c| !coref::is_pronoun(doc.slice(c.span)))
            .collect();
        cands.sort_by(|x, y| x.span.start.cmp(&y.span.start).then(y.span.end.cmp(&x.span.end)));
        let mut kept: Vec<Candidate> = Vec::with_capacity(cands.len());
        for c in cands {
            if kept.last().is_some_and(|k| k.span.overlaps(c.span)) {
                continue;
            }
            kept.push(c);
        }
        doc.entities = coref::resolve(&self.lexicon, doc, &kept);
    }
}

/// Timex starts in order with the largest end reached so far, so "is this candidate inside
/// some timex" is one binary search instead of a scan per candidate (quadratic on long
/// documents): a span is inside one iff the furthest end among timexes starting at or
/// before it reaches its end.
fn covering_spans(spans: impl Iterator<Item = Span>) -> Vec<(u32, u32)> {
    let mut v: Vec<Span> = spans.filter(|s| !s.is_empty()).collect();
    v.sort_unstable();
    let mut reach = 0;
    v.into_iter()
        .map(|s| {
            reach = reach.max(s.end);
            (s.start, reach)
        })
        .collect()
}

fn inside_timex(starts_reach: &[(u32, u32)], span: Span) -> bool {
    let i = starts_reach.partition_point(|&(start, _)| start <= span.start);
    i > 0 && starts_reach[i - 1].1 >= span.end
}

/// The entity one of whose mentions covers `span` (the tightest such mention), or else the
/// one whose mention overlaps it most; lets quotes/events map a speaker or argument span.
pub fn entity_at(doc: &Document, span: Span) -> Option<EntityId> {
    let mut best: Option<(bool, u32, EntityId)> = None;
    for e in &doc.entities {
        for m in &e.mentions {
            let covers = m.span.contains(span);
            let score = if covers {
                u32::MAX - m.span.len()
            } else {
                m.span.overlap_len(span)
            };
            if score == 0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((bc, bs, _)) => (covers, score) > (bc, bs),
            };
            if better {
                best = Some((covers, score, e.id));
            }
        }
    }
    best.map(|b| b.2)
}
