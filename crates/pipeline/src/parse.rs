//! The token and syntax layers alone: the text stage then the syntax stage, for the
//! places that show a parse rather than extract a record (`chronicle parse`, `chronicle
//! show --deps`, the web UI's dependency arcs).
//!
//! Both stages are deterministic, so re-running them on a stored record's text gives the
//! parse the record was extracted with; [`SyntaxPass::document_with_sentences`] also
//! forces the record's own sentence boundaries, so a store written by an older build
//! (another segmenter) still lines up sentence for sentence.

use crate::EngineError;
use chronicle_core::{Document, Feats, Mood, Number, Pipeline, Sentence, Tense, VerbForm};
use chronicle_record::InputArticle;

/// The text and syntax stages, validated as a pipeline of their own.
pub struct SyntaxPass {
    pipeline: Pipeline,
}

/// One token of a parsed sentence, in the form every reader of a parse wants (CoNLL-U,
/// the terminal, JSON): text, offsets, tags, lemma and a head within the sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedToken {
    /// The token as written in the article.
    pub text: String,
    /// Code point offsets into the article text, `[start, end)`.
    pub start: u32,
    pub end: u32,
    /// UD UPOS (`"NOUN"`).
    pub upos: &'static str,
    /// Penn tag (`"NNS"`), empty when the model gave none.
    pub xpos: String,
    /// Empty when the model gave none.
    pub lemma: String,
    /// The typed features in CoNLL-U form (`Number=Plur`), empty for none.
    pub feats: String,
    /// 1-based index of the head within the sentence, 0 for the root.
    pub head: u32,
    /// The relation to the head (`"nsubj:pass"`, `"root"` for the root).
    pub rel: &'static str,
    /// No whitespace between this token and the next one (CoNLL-U `SpaceAfter=No`).
    pub no_space_after: bool,
}

impl SyntaxPass {
    /// The two stages over the built-in syntax model; fails when the model cannot load.
    pub fn new() -> Result<Self, EngineError> {
        Ok(SyntaxPass {
            pipeline: Pipeline::new(vec![
                Box::new(chronicle_text::TextStage::new()),
                Box::new(chronicle_syntax::SyntaxStage::builtin()?),
            ])?,
        })
    }

    /// Tokens, sentences and syntax of `text`, segmented by the text stage.
    pub fn document(&self, id: &str, text: &str) -> Document {
        let mut doc = Document::new(id, text, None);
        self.pipeline.run(&mut doc);
        doc
    }

    /// Resolves an input article's text as [`crate::Engine`] does (HTML extracted when
    /// no text is given) and parses it.
    pub fn article(&self, article: &mut InputArticle) -> Document {
        let text = crate::resolve_text(article);
        self.document(&article.id, &text)
    }

    /// Parses `text` with the sentence boundaries `sentences` (code point spans, as a
    /// record stores them). When the text stage finds the same boundaries (the usual
    /// case) its sentences are kept; otherwise each given span becomes a sentence of the
    /// tokens inside it, so sentence `n` of the result is always sentence `n` given.
    pub fn document_with_sentences(&self, id: &str, text: &str, sentences: &[[u32; 2]]) -> Document {
        let mut doc = Document::new(id, text, None);
        self.pipeline.run_range(&mut doc, 0..1);
        let same = doc.sentences.len() == sentences.len()
            && doc
                .sentences
                .iter()
                .zip(sentences)
                .all(|(s, g)| [s.span.start, s.span.end] == *g);
        if !same {
            let mut out = Vec::with_capacity(sentences.len());
            for &[a, b] in sentences {
                let first = doc.tokens.partition_point(|t| t.span.start < a);
                let last = doc.tokens.partition_point(|t| t.span.end <= b).max(first);
                let paragraph = doc.paragraphs.iter().position(|p| p.end > a).unwrap_or(0) as u32;
                out.push(Sentence {
                    span: chronicle_core::Span::new(a, b),
                    paragraph,
                    tokens: (first as u32, last as u32),
                });
            }
            doc.sentences = out;
            doc.index_tokens();
        }
        self.pipeline.run_range(&mut doc, 1..2);
        doc
    }

    /// The parse of sentence `n` (0-based) of `sentences` alone, as
    /// [`SyntaxPass::document_with_sentences`] would give it (the stage parses sentence by
    /// sentence) without tagging and parsing the rest of the article: what one request
    /// for one sentence of a long article should cost. `None` when there is no sentence
    /// `n`.
    pub fn sentence(
        &self,
        id: &str,
        text: &str,
        sentences: &[[u32; 2]],
        n: usize,
    ) -> Option<Vec<ParsedToken>> {
        let &[a, b] = sentences.get(n)?;
        let mut doc = Document::new(id, text, None);
        self.pipeline.run_range(&mut doc, 0..1);
        let first = doc.tokens.partition_point(|t| t.span.start < a);
        let last = doc.tokens.partition_point(|t| t.span.end <= b).max(first);
        let paragraph = doc.paragraphs.iter().position(|p| p.end > a).unwrap_or(0) as u32;
        doc.sentences = vec![Sentence {
            span: chronicle_core::Span::new(a, b),
            paragraph,
            tokens: (first as u32, last as u32),
        }];
        doc.index_tokens();
        self.pipeline.run_range(&mut doc, 1..2);
        Some(sentence_parse(&doc, 0))
    }
}

/// The parse of sentence `n` (0-based) of a document the syntax stage ran on; empty
/// when there is no such sentence.
pub fn sentence_parse(doc: &Document, n: usize) -> Vec<ParsedToken> {
    let Some(s) = doc.sentences.get(n) else {
        return Vec::new();
    };
    let (a, b) = (s.tokens.0 as usize, (s.tokens.1 as usize).min(doc.tokens.len()));
    let mut out = Vec::with_capacity(b.saturating_sub(a));
    for i in a..b {
        let t = &doc.tokens[i];
        let syn = doc.syntax.get(i);
        // A head outside the sentence cannot be written within it: the token hangs from
        // the root (the stage parses sentence by sentence, so this does not happen).
        let head = syn
            .and_then(|x| x.head)
            .map(|h| h as usize)
            .filter(|h| (a..b).contains(h))
            .map_or(0, |h| (h - a + 1) as u32);
        let rel = match syn {
            Some(_) if head == 0 => "root",
            Some(x) => x.rel.as_str(),
            None => "dep",
        };
        let next_touches = doc.tokens.get(i + 1).is_some_and(|n| !n.space_before);
        out.push(ParsedToken {
            text: doc.token_text(t).to_string(),
            start: t.span.start,
            end: t.span.end,
            upos: syn.map_or("X", |x| x.upos.as_str()),
            xpos: syn.map(|x| x.xpos.to_string()).unwrap_or_default(),
            lemma: if syn.is_some() {
                doc.lemma(i).to_string()
            } else {
                String::new()
            },
            feats: syn.map(|x| feats_conllu(&x.feats)).unwrap_or_default(),
            head,
            rel,
            no_space_after: next_touches,
        });
    }
    out
}

/// The typed features as a CoNLL-U FEATS value, in UD's canonical (alphabetical) order;
/// empty for none.
pub fn feats_conllu(f: &Feats) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(m) = f.mood {
        let v = match m {
            Mood::Ind => "Ind",
            Mood::Imp => "Imp",
            Mood::Sub => "Sub",
            Mood::Cnd => "Cnd",
        };
        parts.push(format!("Mood={v}"));
    }
    if let Some(n) = f.number {
        parts.push(format!(
            "Number={}",
            if n == Number::Sing { "Sing" } else { "Plur" }
        ));
    }
    if let Some(p) = f.person {
        parts.push(format!("Person={p}"));
    }
    if f.negative {
        parts.push("Polarity=Neg".into());
    }
    if let Some(t) = f.tense {
        let v = match t {
            Tense::Past => "Past",
            Tense::Pres => "Pres",
            Tense::Fut => "Fut",
        };
        parts.push(format!("Tense={v}"));
    }
    if let Some(v) = f.verb_form {
        let v = match v {
            VerbForm::Fin => "Fin",
            VerbForm::Inf => "Inf",
            VerbForm::Part => "Part",
            VerbForm::Ger => "Ger",
        };
        parts.push(format!("VerbForm={v}"));
    }
    if f.passive {
        parts.push("Voice=Pass".into());
    }
    parts.join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_stay_in_the_sentence_and_each_has_one_root() {
        let p = SyntaxPass::new().expect("model loads");
        let doc = p.document(
            "t",
            "The convoy was shelled by separatist forces. Kyiv said nothing.",
        );
        assert_eq!(doc.sentences.len(), 2);
        for n in 0..doc.sentences.len() {
            let toks = sentence_parse(&doc, n);
            assert!(!toks.is_empty());
            assert_eq!(toks.iter().filter(|t| t.head == 0).count(), 1, "{toks:?}");
            assert!(toks.iter().all(|t| t.head as usize <= toks.len()));
            for t in &toks {
                assert_eq!(doc.slice(chronicle_core::Span::new(t.start, t.end)), t.text);
            }
        }
        assert!(sentence_parse(&doc, 2).is_empty());
        // One sentence alone parses as it does within the whole document.
        let spans: Vec<[u32; 2]> = doc.sentences.iter().map(|s| [s.span.start, s.span.end]).collect();
        for n in 0..spans.len() {
            assert_eq!(
                p.sentence("t", doc.text(), &spans, n),
                Some(sentence_parse(&doc, n))
            );
        }
        assert_eq!(p.sentence("t", doc.text(), &spans, 2), None);
    }

    #[test]
    fn given_boundaries_win() {
        let p = SyntaxPass::new().expect("model loads");
        let text = "Troops left. Talks resumed.";
        let natural = p.document("t", text);
        let spans: Vec<[u32; 2]> = natural
            .sentences
            .iter()
            .map(|s| [s.span.start, s.span.end])
            .collect();
        let same = p.document_with_sentences("t", text, &spans);
        assert_eq!(same.sentences, natural.sentences);
        assert_eq!(same.syntax, natural.syntax);
        // One sentence over the whole text: both clauses parse as one tree.
        let one = p.document_with_sentences("t", text, &[[0, text.chars().count() as u32]]);
        assert_eq!(one.sentences.len(), 1);
        let toks = sentence_parse(&one, 0);
        assert_eq!(toks.len(), natural.tokens.len());
        assert_eq!(toks.iter().filter(|t| t.head == 0).count(), 1);
    }

    #[test]
    fn feats_in_canonical_order() {
        let f = Feats::parse("VerbForm=Fin|Tense=Past|Mood=Ind|Voice=Pass|Person=3|Number=Sing");
        assert_eq!(
            feats_conllu(&f),
            "Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin|Voice=Pass"
        );
        assert_eq!(feats_conllu(&Feats::default()), "");
    }
}
