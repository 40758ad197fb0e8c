//! The syntax stage: tags, lemmatises and parses every sentence of the document's token
//! layer, so later stages read one parse instead of guessing structure from windows.

use crate::{Scratch, SyntaxError, SyntaxModel};
use chronicle_core::{Deprel, Document, Feats, Layer, Stage, TokenKind, TokenSyntax, Upos, Xpos};
use std::cell::RefCell;
use std::sync::Arc;

/// The model a stage runs: the compiled-in one (loaded once per process) or one the
/// caller loaded from a file.
enum ModelRef {
    Builtin(&'static SyntaxModel),
    Owned(Arc<SyntaxModel>),
}

impl std::ops::Deref for ModelRef {
    type Target = SyntaxModel;
    fn deref(&self) -> &SyntaxModel {
        match self {
            ModelRef::Builtin(m) => m,
            ModelRef::Owned(m) => m,
        }
    }
}

/// Per tag id of the model: the typed tags, resolved once at construction.
struct TagInfo {
    upos: Upos,
    xpos: Xpos,
}

/// Writes [`Layer::Syntax`]: per token UPOS, XPOS, lemma, features, head and relation.
pub struct SyntaxStage {
    model: ModelRef,
    tags: Vec<TagInfo>,
    rels: Vec<Deprel>,
}

thread_local! {
    static SCRATCH: RefCell<(Scratch, Vec<String>)> = RefCell::new((Scratch::default(), Vec::new()));
}

impl SyntaxStage {
    /// The stage over the committed UD English-EWT model; fails when that model cannot be
    /// read (a build made with another feature version), never later on a document.
    pub fn builtin() -> Result<Self, SyntaxError> {
        Self::build(ModelRef::Builtin(SyntaxModel::builtin()?))
    }

    /// The stage over a model the caller loaded (`chronicle train tagger|parser` output).
    pub fn with_model(model: Arc<SyntaxModel>) -> Result<Self, SyntaxError> {
        Self::build(ModelRef::Owned(model))
    }

    fn build(model: ModelRef) -> Result<Self, SyntaxError> {
        let n_tags = model.tagger.tags().upos.len();
        let mut tags = Vec::with_capacity(n_tags);
        for id in 0..n_tags {
            let Some((upos, xpos)) = model.tag(id as u16) else {
                return Err(SyntaxError::Format(format!("tag {id} missing")));
            };
            let x =
                Xpos::new(xpos).ok_or_else(|| SyntaxError::Format(format!("XPOS tag `{xpos}` too long")))?;
            tags.push(TagInfo { upos, xpos: x });
        }
        let rels = model
            .parser
            .labels()
            .names
            .iter()
            .map(|l| Deprel::parse(l))
            .collect();
        Ok(SyntaxStage { model, tags, rels })
    }

    /// The model this stage runs.
    pub fn model(&self) -> &SyntaxModel {
        &self.model
    }
}

/// Writes into `buf` the form the model sees: curly quotation marks and apostrophes as
/// the straight ones the treebank mostly writes.
fn model_form(doc: &Document, i: usize, buf: &mut String) {
    buf.clear();
    let Some(t) = doc.tokens.get(i) else {
        return;
    };
    if let TokenKind::Quote(_) = t.kind {
        buf.push(if t.double_quote { '"' } else { '\'' });
        return;
    }
    buf.extend(doc.slice(t.span).chars().map(|c| match c {
        '\u{2019}' | '\u{2018}' => '\'',
        c => c,
    }));
}

impl Stage for SyntaxStage {
    fn name(&self) -> &'static str {
        "syntax"
    }
    fn reads(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens]
    }
    fn writes(&self) -> &'static [Layer] {
        &[Layer::Syntax]
    }
    fn run(&self, doc: &mut Document) {
        doc.clear_syntax();
        let n = doc.tokens.len();
        let mut out: Vec<(TokenSyntax, String)> = Vec::with_capacity(n);
        SCRATCH.with(|cell| {
            let (sc, bufs) = &mut *cell.borrow_mut();
            let mut next = 0usize;
            for s in &doc.sentences {
                let (a, b) = (s.tokens.0 as usize, (s.tokens.1 as usize).min(n));
                if a < next || a >= b {
                    continue;
                }
                // Tokens no sentence covers (none from the text stage) get a bare entry.
                while next < a {
                    out.push((placeholder(), String::new()));
                    next += 1;
                }
                if bufs.len() < b - a {
                    bufs.resize(b - a, String::new());
                }
                let mut words: Vec<&str> = Vec::with_capacity(b - a);
                for (k, buf) in bufs.iter_mut().take(b - a).enumerate() {
                    model_form(doc, a + k, buf);
                }
                words.extend(bufs.iter().take(b - a).map(String::as_str));
                self.model.tag_parse(&words, sc);
                for (k, w) in words.iter().enumerate() {
                    let tag_id = sc.tags.get(k).copied().unwrap_or(0);
                    let tag = self.tags.get(tag_id as usize);
                    let rel = sc
                        .labels
                        .get(k)
                        .and_then(|&l| self.rels.get(l as usize))
                        .copied()
                        .unwrap_or(Deprel::Dep);
                    let head = match sc.heads.get(k) {
                        Some(&0) | None => None,
                        Some(&h) => Some((a + h as usize - 1) as u32),
                    };
                    let Some(tag) = tag else {
                        out.push((placeholder(), String::new()));
                        continue;
                    };
                    let feats = Feats::parse(self.model.feats(w, tag_id));
                    out.push((
                        TokenSyntax::new(tag.upos, tag.xpos, feats, head, rel),
                        self.model.lemma(w, tag_id),
                    ));
                }
                next = b;
            }
        });
        while out.len() < n {
            out.push((placeholder(), String::new()));
        }
        for (ts, lemma) in out {
            doc.push_syntax(ts, &lemma);
        }
    }
}

fn placeholder() -> TokenSyntax {
    TokenSyntax::new(Upos::X, Xpos::default(), Feats::default(), None, Deprel::Dep)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Document {
        let mut doc = Document::new("t", text, None);
        // A tiny tokenizer for the test: words and the final period.
        let mut toks = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    toks.push(chronicle_core::Token::new(
                        chronicle_core::Span::new(s as u32, i as u32),
                        TokenKind::Word,
                        true,
                        false,
                    ));
                    start = None;
                }
                _ => {}
            }
            if c == '.' {
                toks.push(chronicle_core::Token::new(
                    chronicle_core::Span::new(i as u32, i as u32 + 1),
                    TokenKind::Punct,
                    false,
                    false,
                ));
            }
        }
        let n = toks.len() as u32;
        doc.sentences.push(chronicle_core::Sentence {
            span: chronicle_core::Span::new(0, text.len() as u32),
            paragraph: 0,
            tokens: (0, n),
        });
        doc.tokens = toks;
        doc.index_tokens();
        let stage = SyntaxStage::builtin().expect("builtin model loads");
        stage.run(&mut doc);
        doc
    }

    #[test]
    fn parses_a_passive_into_the_layer() {
        let doc = parsed("The convoy was attacked by separatist forces.");
        assert_eq!(doc.syntax.len(), doc.tokens.len());
        let idx = |w: &str| {
            doc.tokens
                .iter()
                .position(|t| doc.token_text(t) == w)
                .expect("word present")
        };
        let verb = idx("attacked");
        let convoy = idx("convoy");
        assert_eq!(doc.syntax[verb].upos, Upos::Verb);
        assert_eq!(doc.lemma(verb), "attack");
        assert_eq!(doc.syntax[verb].head, None, "the verb is the root");
        assert_eq!(doc.syntax[convoy].head, Some(verb as u32));
        assert_eq!(doc.syntax[convoy].rel, Deprel::NsubjPass);
        assert!(doc.syntax[verb].feats.passive || doc.syntax[verb].xpos.is_past());
        let forces = idx("forces");
        assert_eq!(doc.syntax[forces].rel.universal(), Deprel::Obl);
    }
}
