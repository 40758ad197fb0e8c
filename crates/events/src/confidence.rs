//! How far to trust each coded event: a confidence in 0-1 from signals the coder already
//! has, added where a document's events are finished.
//!
//! Force verbs (CAMEO roots 18-20: assault, fight, mass violence) are the coder's commonest
//! false facts on ordinary news, because sport, arts and business prose borrow them
//! ("Melzer has now beaten Agassi", "Wasps fought back", "the biggest thing to hit New
//! Zealand"). Material conflict needs participants of a kind that can fight and a literal
//! reading, so the confidence adds up, from a base of [`BASE`]:
//!
//! | signal | weight | why |
//! |---|---|---|
//! | a side is armed (sector MIL, REB, INS, COP, SPY, UAF, SEP, CRM) | +0.20 per side | armed actors are who fight |
//! | a side is a state (sector GOV, or a country named as the actor) | +0.10 per side | states wage war and police |
//! | a side is missing or not an actor the dictionaries code | -0.05 per side | a person, firm or team "beating" someone is usually sport or business |
//! | the event counts killed or wounded | +0.25 | casualties are literal |
//! | the sentence names a weapon or literal violence (`data/force-cues.tsv`), a word of killing, or an armed role ("troops") | +0.15 | a literal scene |
//! | the event is placed from its own clause or sentence | +0.05 | something happened somewhere |
//! | article topic: probability that it is sport, entertainment, business or tech ([`crate::topic`]), faded for texts of under 30 known words | -0.45 x p (half that in a literal sentence) | those sections use force verbs as metaphors; a weapon or a death in the sentence outweighs the section |
//! | modality reported / historical | -0.05 | someone else vouches / background |
//! | modality claimed | -0.15 | the article itself hedges |
//! | modality future, hypothetical, negated, denied | -0.10 | not a report that it happened |
//! | the source is the verb's parsed subject (not a window guess) | +0.05 | the dyad is read off the parse |
//!
//! The sum is clamped to 0-1. Every event carries its confidence; a force event below
//! [`FORCE_FLOOR`] is not reported at all (on the BBC corpus those are metaphors, see
//! ARCHITECTURE.md), other events are kept whatever their confidence, for users to filter.

use crate::topic::{TopicError, TopicModel};
use crate::words::List;
use chronicle_clauses::{sentence_predicates, ClauseWords, Predicate, Via};
use chronicle_core::{Document, Event, Modality, Participant};
use std::collections::{HashMap, HashSet};

/// Where every event starts.
pub const BASE: f32 = 0.6;
/// A force event (CAMEO 18-20) below this is dropped.
pub const FORCE_FLOOR: f32 = 0.45;

const ARMED: f32 = 0.20;
const STATE: f32 = 0.10;
const NOT_AN_ACTOR: f32 = -0.05;
const CASUALTIES: f32 = 0.25;
const LITERAL_CUE: f32 = 0.15;
const PLACED: f32 = 0.05;
const TOPIC: f32 = -0.45;
const PARSED_SOURCE: f32 = 0.05;
/// Share of the topic weight left when the sentence reads literally.
const LITERAL_TOPIC_SHARE: f32 = 0.5;

const FORCE_CUES_TSV: &str = include_str!("../data/force-cues.tsv");

/// The confidence scorer's resources can not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfidenceError {
    #[error(transparent)]
    Topic(#[from] TopicError),
    #[error("force-cue table line {line}: {problem}")]
    Cues { line: usize, problem: String },
}

/// The scorer: the article-topic model and the literal-force cue words, read once when
/// the stage is built.
#[derive(Debug, Clone, Default)]
pub struct Confidence {
    topic: TopicModel,
    cues: HashSet<String>,
}

/// What an event's participant is, for the question "can it fight?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Armed,
    State,
    Other,
}

impl Confidence {
    /// The scorer with the built-in topic table and cue list.
    pub fn builtin() -> Result<Self, ConfidenceError> {
        Self::new(TopicModel::builtin()?, FORCE_CUES_TSV)
    }

    /// A scorer with the given topic model and a cue table in `data/force-cues.tsv`'s
    /// format (`kind <TAB> word`, kinds `weapon` and `violence`).
    pub fn new(topic: TopicModel, cues_tsv: &str) -> Result<Self, ConfidenceError> {
        let mut cues = HashSet::new();
        for (n, line) in cues_tsv.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |problem: &str| ConfidenceError::Cues {
                line: n + 1,
                problem: problem.to_string(),
            };
            let (kind, word) = line.split_once('\t').ok_or_else(|| bad("no tab"))?;
            if !matches!(kind, "weapon" | "violence") {
                return Err(bad("kind is not weapon or violence"));
            }
            if word.is_empty() || word.contains(char::is_uppercase) {
                return Err(bad("word is empty or not lower case"));
            }
            cues.insert(word.to_string());
        }
        Ok(Confidence { topic, cues })
    }

    /// The article-topic model.
    pub fn topic(&self) -> &TopicModel {
        &self.topic
    }

    /// Sets every event's confidence and drops force events below [`FORCE_FLOOR`].
    pub(crate) fn finish(&self, doc: &Document, words: &ClauseWords, events: &mut Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let against = self.topic.against_force(doc.text());
        let mut literal: HashMap<u32, bool> = HashMap::new();
        let mut preds: HashMap<u32, Vec<Predicate>> = HashMap::new();
        for e in events.iter_mut() {
            let lit = *literal
                .entry(e.sentence)
                .or_insert_with(|| self.literal_sentence(doc, e.sentence as usize));
            let mut c = BASE;
            for side in [&e.source, &e.target] {
                c += match side.as_ref().map(|p| kind(doc, p)) {
                    Some(Kind::Armed) => ARMED,
                    Some(Kind::State) => STATE,
                    Some(Kind::Other) | None => NOT_AN_ACTOR,
                };
            }
            if e.killed.is_some() || e.wounded.is_some() {
                c += CASUALTIES;
            }
            if lit {
                c += LITERAL_CUE;
            }
            if matches!(e.location_basis, Some("clause" | "sentence")) {
                c += PLACED;
            }
            // A literal scene speaks for itself whatever the section: the topic counts half.
            c += TOPIC * against * if lit { LITERAL_TOPIC_SHARE } else { 1.0 };
            c += match e.modality {
                Modality::Asserted => 0.0,
                Modality::Reported | Modality::Historical => -0.05,
                Modality::Claimed => -0.15,
                Modality::Future | Modality::Hypothetical | Modality::Negated | Modality::Denied => -0.10,
            };
            let parsed = e.source.as_ref().is_some_and(|p| {
                let clauses = preds
                    .entry(e.sentence)
                    .or_insert_with(|| sentence_predicates(doc, e.sentence as usize, words));
                parsed_subject(doc, clauses, e, p)
            });
            if parsed {
                c += PARSED_SOURCE;
            }
            // Two decimals: the figure is a graded signal, not a probability to the digit.
            e.confidence = (c.clamp(0.0, 1.0) * 100.0).round() / 100.0;
        }
        events.retain(|e| !is_force(e) || e.confidence >= FORCE_FLOOR);
    }

    /// The sentence names a weapon or literal violence, a word of killing, or an armed role.
    fn literal_sentence(&self, doc: &Document, sentence: usize) -> bool {
        let Some(s) = doc.sentences.get(sentence) else {
            return false;
        };
        (s.tokens.0 as usize..s.tokens.1 as usize).any(|i| {
            doc.tokens.get(i).is_some_and(|t| t.is_word()) && {
                let w = doc.lower(i);
                self.cues.contains(w)
                    || List::KillWord.has(w)
                    || chronicle_entities::sector_of_role(w).is_some_and(armed_sector)
            }
        })
    }
}

/// CAMEO root 18-20: material force.
fn is_force(e: &Event) -> bool {
    matches!(e.root(), "18" | "19" | "20")
}

fn armed_sector(s: &str) -> bool {
    matches!(s, "MIL" | "REB" | "INS" | "COP" | "SPY" | "UAF" | "SEP" | "CRM")
}

/// A participant's kind from its actor code (`RUSMIL`, `---REB`, `GBR`): the sector after
/// the three-letter country; a bare country is the state itself when it names a place.
fn kind(doc: &Document, p: &Participant) -> Kind {
    let Some(code) = p.code.as_deref() else {
        return Kind::Other;
    };
    let sector = code.get(3..).unwrap_or("");
    if sector.len() >= 3 && armed_sector(&sector[..3]) {
        return Kind::Armed;
    }
    if sector.starts_with("GOV") {
        return Kind::State;
    }
    let is_place = p
        .entity
        .and_then(|id| doc.entities.get(id.0 as usize))
        .is_some_and(|en| en.kind == chronicle_core::EntityType::Loc);
    if sector.is_empty() && is_place {
        Kind::State
    } else {
        Kind::Other
    }
}

/// Whether the participant is the parsed subject (its own, or by control) of the event's
/// trigger verb, rather than a guess from the words around it.
fn parsed_subject(doc: &Document, preds: &[Predicate], e: &Event, p: &Participant) -> bool {
    let starts = |k: u32| doc.tokens.get(k as usize).map(|t| t.span);
    preds.iter().any(|pr| {
        starts(pr.verb).is_some_and(|sp| sp.start >= e.trigger.start && sp.start < e.trigger.end)
            && matches!(
                pr.subject_via,
                Some(Via::Own | Via::ObjectControl | Via::SubjectControl)
            )
            && pr
                .subject
                .iter()
                .any(|ph| match (starts(ph.first), starts(ph.last)) {
                    (Some(a), Some(b)) => p.span.start < b.end && a.start < p.span.end,
                    _ => false,
                })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_scorer_loads_and_a_bad_cue_table_is_refused() {
        let c = Confidence::builtin().expect("the committed tables read");
        assert!(!c.cues.is_empty());
        assert!(c.cues.contains("mortars"));
        let topic = TopicModel::default();
        for bad in ["weapon gun\n", "toy\tgun\n", "weapon\tGun\n"] {
            match Confidence::new(topic.clone(), bad) {
                Err(ConfidenceError::Cues { line: 1, .. }) => {}
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }
}
