//! Clauses read from real parses: the text stage and the committed syntax model on
//! sentences of the kinds events and quotes get wrong from token windows.

use chronicle_clauses::{sentence_predicates, AuxMood, ClauseWords, Phrase, Predicate, Via};
use chronicle_core::{Document, Stage};

fn analyse(text: &str) -> (Document, Vec<Predicate>) {
    let mut doc = Document::new("t", text, None);
    chronicle_text::split(&mut doc);
    chronicle_syntax::SyntaxStage::builtin()
        .expect("model")
        .run(&mut doc);
    let words = ClauseWords::builtin().expect("table");
    let p = sentence_predicates(&doc, 0, &words);
    (doc, p)
}

fn text(doc: &Document, p: &Phrase) -> String {
    let a = doc.tokens[p.first as usize].span.start;
    let b = doc.tokens[p.last as usize].span.end;
    doc.slice(chronicle_core::Span::new(a, b)).to_string()
}

fn heads(doc: &Document, ps: &[Phrase]) -> Vec<String> {
    ps.iter()
        .map(|p| doc.token_text(&doc.tokens[p.head as usize]).to_string())
        .collect()
}

fn verb<'a>(doc: &Document, ps: &'a [Predicate], w: &str) -> &'a Predicate {
    ps.iter()
        .find(|p| doc.token_text(&doc.tokens[p.verb as usize]) == w)
        .unwrap_or_else(|| panic!("no predicate `{w}` in {ps:?}"))
}

#[test]
fn passive_agent_is_the_doer() {
    let (doc, ps) = analyse("A convoy was attacked by separatist forces.");
    let p = verb(&doc, &ps, "attacked");
    assert!(p.passive);
    assert_eq!(heads(&doc, &p.subject), ["forces"]);
    assert_eq!(text(&doc, &p.subject[0]), "by separatist forces");
    assert_eq!(heads(&doc, &p.object), ["convoy"]);
}

#[test]
fn raising_and_object_control_hand_the_subject_on() {
    let (doc, ps) = analyse("The minister is expected to visit Kyiv.");
    let p = verb(&doc, &ps, "visit");
    assert_eq!(heads(&doc, &p.subject), ["minister"]);
    assert_eq!(p.subject_via, Some(Via::SubjectControl));
    assert_eq!(heads(&doc, &p.object), ["Kyiv"]);

    let (doc, ps) = analyse("They persuaded the rebels to release the hostages.");
    let p = verb(&doc, &ps, "release");
    assert_eq!(heads(&doc, &p.subject), ["rebels"]);
    assert_eq!(p.subject_via, Some(Via::ObjectControl));
    assert_eq!(heads(&doc, &p.object), ["hostages"]);
    let persuaded = verb(&doc, &ps, "persuaded");
    assert_eq!(heads(&doc, &persuaded.subject), ["They"]);
    assert_eq!(heads(&doc, &persuaded.object), ["rebels"]);

    // The parser calls this controller an indirect object; it still controls.
    let (doc, ps) = analyse("The EU asked Russia to withdraw its troops.");
    let p = verb(&doc, &ps, "withdraw");
    assert_eq!(heads(&doc, &p.subject), ["Russia"]);
    assert_eq!(heads(&doc, &p.object), ["troops"]);
}

#[test]
fn negation_and_mood_stay_in_their_clause() {
    let (doc, ps) = analyse("The government said it would not send troops to Mali.");
    let send = verb(&doc, &ps, "send");
    assert!(send.negated);
    assert_eq!(send.mood, Some(AuxMood::Conditional));
    assert_eq!(heads(&doc, &send.object), ["troops"]);
    let to_mali = send
        .obliques
        .iter()
        .find(|(_, p)| heads(&doc, &[*p]) == ["Mali"])
        .expect("oblique to Mali");
    assert_eq!(to_mali.0.map(|m| doc.lower(m as usize)), Some("to"));
    let said = verb(&doc, &ps, "said");
    assert!(!said.negated);
    assert!(said.complements.contains(&send.verb));
    assert_eq!(heads(&doc, &said.subject), ["government"]);
}

#[test]
fn coordinated_actors_are_one_phrase_each() {
    let (doc, ps) = analyse("France, Germany and Poland met in Warsaw on Monday.");
    let p = verb(&doc, &ps, "met");
    assert_eq!(heads(&doc, &p.subject), ["France", "Germany", "Poland"]);
    assert_eq!(text(&doc, &p.subject[1]), "Germany");
}

#[test]
fn coordinated_verbs_and_relative_clauses_share_the_doer() {
    let (doc, ps) = analyse("Rebels attacked the town and burned the market.");
    let p = verb(&doc, &ps, "burned");
    assert_eq!(heads(&doc, &p.subject), ["Rebels"]);
    assert_eq!(p.subject_via, Some(Via::Coordination));
    assert_eq!(heads(&doc, &p.object), ["market"]);

    let (doc, ps) = analyse("The rebels who attacked the town fled to the hills.");
    let p = verb(&doc, &ps, "attacked");
    assert_eq!(heads(&doc, &p.subject), ["rebels"]);
    assert_eq!(p.subject_via, Some(Via::Modified));
}
