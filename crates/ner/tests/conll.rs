//! Scores the committed model on CoNLL-2003 valid (skips when ../shared is absent) and
//! checks the provider end to end on a hand-built document.

use chronicle_core::{Document, EntityType, MentionKind, Sentence, Span, Token, TokenKind};
use chronicle_entities::CandidateProvider;
use chronicle_ner::{evaluate, NerModel, NerProvider, Tag};
use std::path::Path;
use std::time::Instant;

const VALID: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/eval/ner/conll2003-valid.jsonl"
);

#[test]
fn builtin_model_loads() {
    let t = Instant::now();
    let m = NerModel::builtin().expect("crates/ner/data/ner.model must be a valid model");
    eprintln!("builtin model: {} features, loaded in {:?}", m.len(), t.elapsed());
    assert!(m.len() > 1000);
    let back = NerModel::from_bytes(&m.to_bytes()).expect("round trip");
    assert_eq!(back.len(), m.len());
}

#[test]
fn builtin_scores_on_conll_valid() {
    if !Path::new(VALID).exists() {
        eprintln!("skipping: {VALID} not present");
        return;
    }
    let Some(m) = NerModel::builtin() else {
        panic!("no builtin model");
    };
    let sc = evaluate(m, Path::new(VALID)).expect("valid set readable");
    eprint!("CoNLL-2003 valid (conlleval micro):\n{}", sc.report());
    assert!(sc.overall.f1() > 0.88, "F1 regressed: {:.4}", sc.overall.f1());
}

#[test]
fn builtin_tags_obvious_names() {
    let Some(m) = NerModel::builtin() else {
        panic!("no builtin model");
    };
    let words = [
        "German",
        "Chancellor",
        "Helmut",
        "Kohl",
        "met",
        "officials",
        "of",
        "the",
        "European",
        "Union",
        "in",
        "Paris",
        "on",
        "Monday",
        ".",
    ];
    let t = m.tag(&words);
    assert_eq!(t.len(), words.len());
    assert_eq!(t[0], Tag::BMisc);
    assert_eq!((t[2], t[3]), (Tag::BPer, Tag::IPer));
    assert_eq!(t[11], Tag::BLoc);
    assert_eq!(t[4], Tag::O);
}

/// A document built by hand: whitespace tokens, one sentence per line.
fn doc_of(text: &str) -> Document {
    let mut d = Document::new("t", text, None);
    let mut char_pos = 0u32;
    let mut line_start_tok = 0u32;
    let mut line_start = 0u32;
    for line in text.split('\n') {
        let mut off = char_pos;
        for w in line.split(' ') {
            let n = w.chars().count() as u32;
            if n > 0 {
                d.tokens.push(Token::new(
                    Span::new(off, off + n),
                    if w.chars().all(char::is_alphabetic) {
                        TokenKind::Word
                    } else {
                        TokenKind::Punct
                    },
                    true,
                    false,
                ));
            }
            off += n + 1;
        }
        let end = char_pos + line.chars().count() as u32;
        d.sentences.push(Sentence {
            span: Span::new(line_start, end),
            paragraph: 0,
            tokens: (line_start_tok, d.tokens.len() as u32),
        });
        line_start_tok = d.tokens.len() as u32;
        char_pos = end + 1;
        line_start = char_pos;
    }
    d.index_tokens();
    d
}

#[test]
fn provider_yields_spans_that_slice_to_names() {
    let d = doc_of(
        "Russian President Vladimir Putin spoke with Ukrainian officials in Kyiv .\nPutin said the talks in Geneva would continue .",
    );
    let c = NerProvider.candidates(&d);
    let found: Vec<(&str, EntityType, MentionKind)> =
        c.iter().map(|c| (d.slice(c.span), c.kind, c.mention)).collect();
    eprintln!("{found:?}");
    assert!(found.contains(&("Vladimir Putin", EntityType::Per, MentionKind::Name)));
    assert!(found.contains(&("Russian", EntityType::Misc, MentionKind::Demonym)));
    assert!(found.iter().any(|f| f.0 == "Geneva" && f.1 == EntityType::Loc));
    for x in &c {
        assert!(x.tokens.0 < x.tokens.1 && x.tokens.1 as usize <= d.tokens.len());
        assert!((0.0..=1.0).contains(&x.confidence));
        let first = d.tokens[x.tokens.0 as usize].span.start;
        assert_eq!(first, x.span.start);
    }
    // An empty document and a document of punctuation give nothing and do not panic.
    assert!(NerProvider.candidates(&Document::new("e", "", None)).is_empty());
    let p = doc_of(". , ; !");
    assert!(NerProvider.candidates(&p).is_empty());
}

#[test]
fn throughput_report() {
    let Some(m) = NerModel::builtin() else {
        panic!("no builtin model");
    };
    let base = [
        "The",
        "U.S.",
        "State",
        "Department",
        "said",
        "on",
        "Tuesday",
        "that",
        "Secretary",
        "Antony",
        "Blinken",
        "would",
        "travel",
        "to",
        "Brussels",
        "for",
        "talks",
        "with",
        "NATO",
        "allies",
        ".",
    ];
    let sents: Vec<Vec<&str>> = (0..2000).map(|i| base[..(8 + i % 14)].to_vec()).collect();
    let n: usize = sents.iter().map(Vec::len).sum();
    let t = Instant::now();
    let mut ents = 0;
    for s in &sents {
        ents += m.tag(s).iter().filter(|t| **t != Tag::O).count();
    }
    let secs = t.elapsed().as_secs_f64();
    eprintln!(
        "tagged {n} tokens in {secs:.3}s = {:.0} tokens/s ({ents} entity tokens)",
        n as f64 / secs
    );
    assert!(ents > 0);
}
