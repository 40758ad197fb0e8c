//! What the parse says about each word, as the tagger's context features read it.
//!
//! A name's part of speech and its role in the sentence carry over to text unlike the
//! training set, where spellings and neighbours do not: "X said" makes X a subject of a
//! speech verb whoever X is, "in X" marks X with "in". Training and tagging must see the
//! same analysis, so both come from our own tagger and parser: training runs
//! [`chronicle_syntax::SyntaxModel`] on CoNLL's words ([`of_words`]); the entity stage reads
//! the document's syntax layer, mapped onto the tagger's words ([`of_document`]).

use chronicle_core::{Deprel, Document, Upos};

/// One word's syntax, with the words it points to given as indices into its sentence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordSyntax {
    /// Universal POS plus one (0: no analysis).
    pub pos: u8,
    /// Universal relation of the word's phrase head plus one (0: none).
    pub rel: u8,
    /// The word the phrase head depends on (`None`: the root).
    pub head: Option<u32>,
    /// The phrase head's case marker ("in" of "in New York"), if it has one.
    pub marker: Option<u32>,
}

/// Word-level analysis from per-word POS, relations and heads (indices into the sentence):
/// a word inside a multiword name ("New" of "New York", a `compound` or `flat` dependent)
/// takes the relation, head and case marker of the name's head word.
pub(crate) fn from_parts(upos: &[Upos], rel: &[Deprel], head: &[Option<usize>]) -> Vec<WordSyntax> {
    let n = upos.len().min(rel.len()).min(head.len());
    let mut marker: Vec<Option<u32>> = vec![None; n];
    for j in 0..n {
        if rel.get(j).map(|r| r.universal()) == Some(Deprel::Case) {
            if let Some(Some(h)) = head.get(j) {
                if let Some(m) = marker.get_mut(*h) {
                    m.get_or_insert(j as u32);
                }
            }
        }
    }
    (0..n)
        .map(|i| {
            let mut h = i;
            for _ in 0..6 {
                let up = match (rel.get(h).map(|r| r.universal()), head.get(h)) {
                    (Some(Deprel::Compound | Deprel::Flat), Some(Some(up))) if *up < n => *up,
                    _ => break,
                };
                h = up;
            }
            WordSyntax {
                pos: upos.get(i).map_or(0, |u| *u as u8 + 1),
                rel: rel.get(h).map_or(0, |r| r.universal() as u8 + 1),
                head: head.get(h).copied().flatten().map(|x| x as u32),
                marker: marker.get(h).copied().flatten(),
            }
        })
        .collect()
}

/// Our tagger and parser's analysis of a sentence given as words (training: CoNLL's words).
pub fn of_words(model: &chronicle_syntax::SyntaxModel, words: &[&str]) -> Vec<WordSyntax> {
    let a = model.analyse(words);
    let upos: Vec<Upos> = a.iter().map(|x| x.upos).collect();
    let rel: Vec<Deprel> = a.iter().map(|x| Deprel::parse(x.deprel)).collect();
    let head: Vec<Option<usize>> = a
        .iter()
        .map(|x| (x.head as usize).checked_sub(1).filter(|&h| h < words.len()))
        .collect();
    from_parts(&upos, &rel, &head)
}

/// The document's syntax layer read per tagger word: `ranges` are each word's `[first,
/// last)` document tokens (one sentence). A word of several tokens ("US-led") is read at
/// its head token (the one whose head lies outside the word). Empty when the document has
/// no syntax layer.
pub(crate) fn of_document(doc: &Document, ranges: &[(usize, usize)]) -> Vec<WordSyntax> {
    if doc.syntax.len() != doc.tokens.len() || ranges.is_empty() {
        return Vec::new();
    }
    let (Some(&(lo, _)), Some(&(_, hi))) = (ranges.first(), ranges.last()) else {
        return Vec::new();
    };
    // Token -> word, for the tokens of this sentence.
    let mut word_of = vec![u32::MAX; hi.saturating_sub(lo)];
    for (w, &(a, b)) in ranges.iter().enumerate() {
        for t in a..b {
            if let Some(slot) = word_of.get_mut(t.wrapping_sub(lo)) {
                *slot = w as u32;
            }
        }
    }
    let word_at = |t: usize| -> Option<usize> {
        word_of
            .get(t.wrapping_sub(lo))
            .copied()
            .filter(|&w| w != u32::MAX)
            .map(|w| w as usize)
    };
    let mut upos = Vec::with_capacity(ranges.len());
    let mut rel = Vec::with_capacity(ranges.len());
    let mut head = Vec::with_capacity(ranges.len());
    for (w, &(a, b)) in ranges.iter().enumerate() {
        let inside = |t: usize| word_at(t) == Some(w);
        let rep = (a..b)
            .find(|&t| {
                doc.syntax
                    .get(t)
                    .is_some_and(|s| s.head.is_none_or(|h| !inside(h as usize)))
            })
            .unwrap_or(b.saturating_sub(1));
        let Some(s) = doc.syntax.get(rep) else {
            return Vec::new();
        };
        upos.push(s.upos);
        rel.push(s.rel);
        head.push(s.head.and_then(|h| word_at(h as usize)));
    }
    from_parts(&upos, &rel, &head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_words_take_the_role_of_the_name_head() {
        // "Officials in New York said": New -compound-> York -obl-> said, in -case-> York.
        let upos = [Upos::Noun, Upos::Adp, Upos::Propn, Upos::Propn, Upos::Verb];
        let rel = [
            Deprel::Nsubj,
            Deprel::Case,
            Deprel::Compound,
            Deprel::Obl,
            Deprel::Root,
        ];
        let head = [Some(4), Some(3), Some(3), Some(4), None];
        let s = from_parts(&upos, &rel, &head);
        let new = s.get(2).copied().unwrap_or_default();
        let york = s.get(3).copied().unwrap_or_default();
        assert_eq!(new.pos, Upos::Propn as u8 + 1);
        assert_eq!(new.rel, york.rel);
        assert_eq!(york.rel, Deprel::Obl as u8 + 1);
        assert_eq!((new.head, new.marker), (Some(4), Some(1)));
        assert_eq!(s.get(4).map(|w| w.head), Some(None));
        // Mismatched lengths give the common prefix, never a panic.
        assert_eq!(from_parts(&upos, &rel[..2], &head).len(), 2);
    }

    #[test]
    fn the_document_layer_is_read_per_tagger_word() {
        let mut d = Document::new("t", "Officials in New York said the US-led talks failed.", None);
        chronicle_text::split(&mut d);
        match chronicle_syntax::SyntaxStage::builtin() {
            Ok(s) => chronicle_core::Stage::run(&s, &mut d),
            Err(e) => panic!("the built-in syntax model must load: {e}"),
        }
        // One word per token, except "US-led" (three tokens, one word).
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut t = 0;
        while t < d.tokens.len() {
            let end = if d.token_text(&d.tokens[t]) == "US" {
                t + 3
            } else {
                t + 1
            };
            ranges.push((t, end));
            t = end;
        }
        let s = of_document(&d, &ranges);
        assert_eq!(s.len(), ranges.len());
        assert!(s.iter().all(|w| w.pos != 0), "{s:?}");
        // "York" is a proper noun whose case marker is "in" (word 1).
        let york = s.get(3).copied().unwrap_or_default();
        assert_eq!(york.pos, Upos::Propn as u8 + 1, "{s:?}");
        assert_eq!(york.marker, Some(1), "{s:?}");
        // Without a syntax layer: nothing, and the tagger runs without syntax features.
        let mut bare = Document::new("t", "Officials in New York said.", None);
        chronicle_text::split(&mut bare);
        assert!(of_document(&bare, &[(0, 1)]).is_empty());
    }
}
