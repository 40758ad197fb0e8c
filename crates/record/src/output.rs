use crate::input::InputArticle;
use chronicle_core::{DateBasis, Document, EntityId, MentionKind, Participant, Span};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Version of the record format; bumped only when a field changes meaning or disappears.
pub const SCHEMA: u32 = 1;

/// One article's records, exactly as `CONTRACT.md` shows. Every field is always present
/// (null or empty when unknown) so consumers never need to probe for keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub schema: u32,
    pub id: String,
    pub published: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub meta: Map<String, Value>,
    pub text: String,
    pub sentences: Vec<[u32; 2]>,
    pub paragraphs: Vec<[u32; 2]>,
    pub entities: Vec<EntityOut>,
    pub quotes: Vec<QuoteOut>,
    pub events: Vec<EventOut>,
    pub timexes: Vec<TimexOut>,
    /// Notes from the stages (not errors): what they saw but could not use.
    pub diagnostics: Vec<String>,
    /// The article's language, ISO 639-1 ("en", "es"), when identified reliably; null for
    /// texts too short or mixed to tell (processed as English).
    #[serde(default)]
    pub language: Option<String>,
    /// Why no layer was extracted ("language es": only English is processed), else null.
    /// Such an article is still a record, with its text, so nothing is dropped silently.
    #[serde(default)]
    pub skipped: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorOut {
    pub country: Option<String>,
    pub sector: Option<String>,
    pub code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeoOut {
    pub name: String,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub feature: String,
    pub geonameid: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityOut {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub actor: Option<ActorOut>,
    pub title: Option<String>,
    pub geo: Option<GeoOut>,
    /// Where the entity is named (proper names and demonyms).
    pub mentions: Vec<[u32; 2]>,
    /// Where it is referred to without its name, found by coreference ("he", "the Russian
    /// leader"). Kept apart from `mentions` so name-level consumers (NER scorers, name
    /// indexes) see names only.
    #[serde(default)]
    pub coref: Vec<[u32; 2]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteOut {
    pub id: String,
    pub start: u32,
    pub end: u32,
    pub content: String,
    pub kind: String,
    pub speaker: Option<String>,
    pub speaker_text: Option<String>,
    /// Where the speaker is named for this quote (may be a pronoun resolved to `speaker`).
    pub speaker_span: Option<[u32; 2]>,
    pub cue: Option<String>,
    pub cue_span: Option<[u32; 2]>,
    /// The quoted pieces inside `[start, end)`: one for most quotes, several when the
    /// attribution interrupts the quote ("“A,” said X. “B.”"), as PolNeAR's content fragments.
    #[serde(default)]
    pub fragments: Vec<[u32; 2]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PloverOut {
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: Option<String>,
    /// PLOVER contexts ("military", "economic", ...), possibly none.
    #[serde(default)]
    pub context: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantOut {
    pub entity: Option<String>,
    pub code: Option<String>,
    pub text: String,
    pub span: [u32; 2],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationOut {
    pub entity: String,
    pub name: String,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// ACLED's geo_precision in words: `town`, `near town`, `region`, `country`.
    #[serde(default)]
    pub precision: Option<String>,
    /// Where the place was found: `clause`, `sentence`, `paragraph`, `dateline`.
    #[serde(default)]
    pub basis: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventOut {
    pub id: String,
    pub cameo: String,
    pub root: String,
    pub quad: u8,
    pub goldstein: f32,
    pub plover: PloverOut,
    pub source: Option<ParticipantOut>,
    pub target: Option<ParticipantOut>,
    pub sentence: [u32; 2],
    pub trigger: [u32; 2],
    pub modality: String,
    pub date: Option<String>,
    pub date_text: Option<String>,
    /// `expression` (the clause states it: `date_text`), `publication` (a report of
    /// something that happened, dated to the article's day), or null (undated).
    #[serde(default)]
    pub date_basis: Option<String>,
    pub location: Option<LocationOut>,
    pub killed: Option<u32>,
    pub wounded: Option<u32>,
    pub victims: Option<String>,
    /// Sentence spans of every mention of the event, the first included: the evidence an
    /// analyst reads (one event, many mentions).
    #[serde(default)]
    pub evidence: Vec<[u32; 2]>,
    /// How far to trust the event, 0-1 (participants' kinds, literal force cues, article
    /// topic, modality, parse); null only in records written before it was computed.
    #[serde(default)]
    pub confidence: Option<f32>,
    /// Who reported the event when its modality is `reported` or `claimed` (the subject
    /// of the speech verb: "Kyiv said Russia attacked Odesa" is Russia -> Odesa reported
    /// by Kyiv), shaped as `source`/`target`; null when the article itself asserts it,
    /// and in records written before reporters were kept.
    #[serde(default)]
    pub reporter: Option<ParticipantOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimexOut {
    pub start: u32,
    pub end: u32,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: Option<String>,
}

fn pair(s: Span) -> [u32; 2] {
    [s.start, s.end]
}

fn eid(id: EntityId) -> String {
    format!("e{}", id.0 + 1)
}

impl Record {
    /// Builds the public record of a processed document. `input` supplies the pass-through
    /// fields (title, url, source, meta); the text is the document's cleaned text.
    pub fn from_document(doc: &Document, input: &InputArticle) -> Record {
        let entities = doc
            .entities
            .iter()
            .map(|e| EntityOut {
                id: eid(e.id),
                name: e.name.clone(),
                kind: e.kind.as_str().to_string(),
                actor: e.actor.as_ref().map(|a| ActorOut {
                    country: a.country.clone(),
                    sector: a.sector.clone(),
                    code: a.code(),
                }),
                title: e.title.clone(),
                geo: doc.place_of(e.id).map(|p| GeoOut {
                    name: p.name.clone(),
                    country: p.country.clone(),
                    admin1: p.admin1.clone(),
                    lat: p.lat,
                    lon: p.lon,
                    feature: p.feature.clone(),
                    geonameid: p.geonameid,
                }),
                mentions: e
                    .mentions
                    .iter()
                    .filter(|m| matches!(m.kind, MentionKind::Name | MentionKind::Demonym))
                    .map(|m| pair(m.span))
                    .collect(),
                coref: e
                    .mentions
                    .iter()
                    .filter(|m| matches!(m.kind, MentionKind::Nominal | MentionKind::Pronoun))
                    .map(|m| pair(m.span))
                    .collect(),
            })
            .collect();
        let quotes = doc
            .quotes
            .iter()
            .enumerate()
            .map(|(i, q)| QuoteOut {
                id: format!("q{}", i + 1),
                start: q.span.start,
                end: q.span.end,
                content: doc.slice(q.span).to_string(),
                kind: q.kind.as_str().to_string(),
                speaker: q.speaker.map(eid),
                speaker_text: q
                    .speaker
                    .and_then(|id| doc.entity(id))
                    .map(|e| e.name.clone())
                    .or_else(|| q.speaker_span.map(|s| doc.slice(s).to_string())),
                speaker_span: q.speaker_span.map(pair),
                cue: q.cue.map(|s| doc.slice(s).to_string()),
                cue_span: q.cue.map(pair),
                fragments: q.pieces().iter().map(|s| pair(*s)).collect(),
            })
            .collect();
        // A participant named by a pronoun ("He said ...") reads as the entity the pronoun
        // resolves to; `span` still points at the pronoun in the text.
        let participant = |p: &Participant| ParticipantOut {
            entity: p.entity.map(eid),
            code: p.code.clone(),
            text: p
                .entity
                .and_then(|id| doc.entity(id))
                .filter(|e| {
                    e.mentions
                        .iter()
                        .any(|m| m.kind == MentionKind::Pronoun && m.span == p.span)
                })
                .map(|e| e.name.clone())
                .unwrap_or_else(|| doc.slice(p.span).to_string()),
            span: pair(p.span),
        };
        let events = doc
            .events
            .iter()
            .enumerate()
            .map(|(i, ev)| {
                let timex = ev.timex.and_then(|t| doc.timexes.get(t as usize));
                EventOut {
                    id: format!("v{}", i + 1),
                    cameo: ev.cameo.clone(),
                    root: ev.root().to_string(),
                    quad: ev.quad,
                    goldstein: ev.goldstein,
                    plover: PloverOut {
                        kind: ev.plover.clone(),
                        mode: ev.plover_mode.clone(),
                        context: ev.contexts.iter().map(|c| (*c).to_string()).collect(),
                    },
                    source: ev.source.as_ref().map(participant),
                    target: ev.target.as_ref().map(participant),
                    sentence: doc
                        .sentences
                        .get(ev.sentence as usize)
                        .map(|s| pair(s.span))
                        .unwrap_or([0, 0]),
                    trigger: pair(ev.trigger),
                    modality: ev.modality.as_str().to_string(),
                    date: match ev.date_basis {
                        Some(DateBasis::Expression) => timex.and_then(|t| t.value.clone()),
                        Some(DateBasis::Publication) => {
                            doc.published.map(|d| d.format("%Y-%m-%d").to_string())
                        }
                        None => None,
                    },
                    date_text: timex.map(|t| doc.slice(t.span).to_string()),
                    date_basis: ev.date_basis.map(|b| b.as_str().to_string()),
                    location: ev.location.and_then(|id| {
                        doc.place_of(id).map(|p| LocationOut {
                            entity: eid(id),
                            name: p.name.clone(),
                            country: p.country.clone(),
                            admin1: p.admin1.clone(),
                            lat: p.lat,
                            lon: p.lon,
                            precision: ev.location_precision.map(str::to_string),
                            basis: ev.location_basis.map(str::to_string),
                        })
                    }),
                    killed: ev.killed,
                    wounded: ev.wounded,
                    victims: ev.victims.clone(),
                    evidence: std::iter::once(ev.sentence)
                        .chain(ev.mentions.iter().map(|m| m.0))
                        .filter_map(|i| doc.sentences.get(i as usize).map(|s| pair(s.span)))
                        .collect(),
                    confidence: Some(ev.confidence),
                    reporter: ev.reporter.as_ref().map(participant),
                }
            })
            .collect();
        let timexes = doc
            .timexes
            .iter()
            .map(|t| TimexOut {
                start: t.span.start,
                end: t.span.end,
                text: doc.slice(t.span).to_string(),
                kind: t.kind.as_str().to_string(),
                value: t.value.clone(),
            })
            .collect();
        Record {
            schema: SCHEMA,
            id: input.id.clone(),
            published: input
                .published
                .map(|d| d.to_string())
                .or_else(|| input.published_raw.clone()),
            title: input.title.clone(),
            url: input.url.clone(),
            source: input.source.clone(),
            meta: input.meta.clone(),
            text: doc.text().to_string(),
            sentences: doc.sentences.iter().map(|s| pair(s.span)).collect(),
            paragraphs: doc.paragraphs.iter().map(|&p| pair(p)).collect(),
            entities,
            quotes,
            events,
            timexes,
            diagnostics: doc
                .diagnostics
                .iter()
                .map(|d| match d.span {
                    Some(s) => format!("{}: {} at [{}, {})", d.stage, d.message, s.start, s.end),
                    None => format!("{}: {}", d.stage, d.message),
                })
                .collect(),
            language: doc.language.clone(),
            skipped: doc.skipped.clone(),
        }
    }

    /// The record as one JSON line.
    pub fn to_json_line(&self) -> String {
        // Serialising plain structs of strings and numbers cannot fail; fall back to an
        // explicit error object rather than panicking if it ever did.
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(
                "{{\"schema\":1,\"id\":{:?},\"error\":{:?}}}",
                self.id,
                e.to_string()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_core::{Actor, Entity, EntityType, Event, Mention, Modality, Sentence};

    /// "Kyiv said Russia attacked Odesa.": the event Russia -> Odesa, reported by Kyiv,
    /// built by hand (the events stage decides reporters; this checks the record keeps one).
    fn reported_attack(reporter: bool) -> Document {
        let text = "Kyiv said Russia attacked Odesa.";
        let mut doc = Document::new("r1", text, None);
        doc.sentences.push(Sentence {
            span: Span::new(0, 32),
            paragraph: 0,
            tokens: (0, 0),
        });
        let entity = |id: u32, name: &str, start: u32, country: &str, sector: Option<&str>| Entity {
            id: EntityId(id),
            name: name.to_string(),
            kind: EntityType::Loc,
            actor: Some(Actor {
                country: Some(country.to_string()),
                sector: sector.map(str::to_string),
            }),
            title: None,
            mentions: vec![Mention {
                span: Span::new(start, start + name.chars().count() as u32),
                kind: MentionKind::Name,
            }],
        };
        doc.entities = vec![
            entity(0, "Kyiv", 0, "UKR", Some("GOV")),
            entity(1, "Russia", 10, "RUS", None),
            entity(2, "Odesa", 26, "UKR", None),
        ];
        let part = |id: u32, code: &str, span: Span| Participant {
            entity: Some(EntityId(id)),
            code: Some(code.to_string()),
            span,
        };
        doc.events.push(Event {
            cameo: "190".into(),
            quad: 4,
            goldstein: -10.0,
            plover: "ASSAULT".into(),
            plover_mode: None,
            source: Some(part(1, "RUS", Span::new(10, 16))),
            target: Some(part(2, "UKR", Span::new(26, 31))),
            sentence: 0,
            trigger: Span::new(17, 25),
            modality: if reporter {
                Modality::Reported
            } else {
                Modality::Asserted
            },
            timex: None,
            date_basis: None,
            location: None,
            location_precision: None,
            location_basis: None,
            killed: None,
            wounded: None,
            victims: None,
            contexts: Vec::new(),
            mentions: Vec::new(),
            confidence: 0.8,
            reporter: reporter.then(|| part(0, "UKRGOV", Span::new(0, 4))),
        });
        doc
    }

    #[test]
    fn a_reporter_is_written_like_a_participant_and_read_back() {
        let input = InputArticle::from_text("r1", "Kyiv said Russia attacked Odesa.".into(), None);
        let rec = Record::from_document(&reported_attack(true), &input);
        let line = rec.to_json_line();
        let v: Value = serde_json::from_str(&line).expect("the record is JSON");
        let ev = &v["events"][0];
        assert_eq!(
            ev["reporter"],
            serde_json::json!({"entity": "e1", "code": "UKRGOV", "text": "Kyiv", "span": [0, 4]})
        );
        // The dyad is the reported event's own, not the reporter's.
        assert_eq!(ev["source"]["code"], "RUS");
        assert_eq!(ev["target"]["code"], "UKR");
        assert_eq!(ev["modality"], "reported");
        let back: Record = serde_json::from_str(&line).expect("the record reads back");
        assert_eq!(back, rec);
    }

    #[test]
    fn an_asserted_event_has_a_null_reporter_and_old_records_read() {
        let input = InputArticle::from_text("r1", "Kyiv said Russia attacked Odesa.".into(), None);
        let rec = Record::from_document(&reported_attack(false), &input);
        let mut v: Value = serde_json::to_value(&rec).expect("serialises");
        let ev = v["events"][0].as_object_mut().expect("an event object");
        // Present and null: consumers never probe for keys.
        assert_eq!(ev.get("reporter"), Some(&Value::Null));
        // A record written before reporters were kept (no key at all) still reads.
        ev.remove("reporter");
        let old: Record = serde_json::from_value(v).expect("an old record reads");
        assert_eq!(old.events[0].reporter, None);
    }
}
