//! Scoring against gold CoNLL-U (CoNLL 2018 shared-task definitions): every word counts,
//! punctuation included; multiword-token and empty-node lines are not words; LAS compares
//! the universal part of the relation (before `:`).

use crate::conllu::Sentence;
use crate::SyntaxError;

/// The universal part of a relation (`nsubj:pass` -> `nsubj`).
pub fn universal(rel: &str) -> &str {
    rel.split(':').next().unwrap_or(rel)
}

/// Correct counts over `words` scored words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    pub words: usize,
    pub upos: usize,
    pub xpos: usize,
    pub lemma: usize,
    pub feats: usize,
    pub uas: usize,
    pub las: usize,
}

impl Scores {
    fn pct(&self, n: usize) -> f64 {
        100.0 * n as f64 / self.words.max(1) as f64
    }
    pub fn upos_pct(&self) -> f64 {
        self.pct(self.upos)
    }
    pub fn xpos_pct(&self) -> f64 {
        self.pct(self.xpos)
    }
    pub fn lemma_pct(&self) -> f64 {
        self.pct(self.lemma)
    }
    pub fn feats_pct(&self) -> f64 {
        self.pct(self.feats)
    }
    pub fn uas_pct(&self) -> f64 {
        self.pct(self.uas)
    }
    pub fn las_pct(&self) -> f64 {
        self.pct(self.las)
    }
}

impl std::fmt::Display for Scores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "words {}  UPOS {:.2}  XPOS {:.2}  lemma {:.2}  feats {:.2}  UAS {:.2}  LAS {:.2}",
            self.words,
            self.upos_pct(),
            self.xpos_pct(),
            self.lemma_pct(),
            self.feats_pct(),
            self.uas_pct(),
            self.las_pct()
        )
    }
}

/// Scores predicted sentences against gold ones (same sentences and words, in order).
pub fn score(gold: &[Sentence], pred: &[Sentence]) -> Result<Scores, SyntaxError> {
    if gold.len() != pred.len() {
        return Err(SyntaxError::Mismatch(format!(
            "{} gold sentences, {} predicted",
            gold.len(),
            pred.len()
        )));
    }
    let mut s = Scores::default();
    for (i, (g, p)) in gold.iter().zip(pred).enumerate() {
        if g.words.len() != p.words.len() {
            return Err(SyntaxError::Mismatch(format!(
                "sentence {}: {} gold words, {} predicted",
                i + 1,
                g.words.len(),
                p.words.len()
            )));
        }
        for (gw, pw) in g.words.iter().zip(&p.words) {
            s.words += 1;
            s.upos += usize::from(gw.upos == pw.upos);
            s.xpos += usize::from(gw.xpos == pw.xpos);
            s.lemma += usize::from(gw.lemma == pw.lemma);
            s.feats += usize::from(gw.feats == pw.feats);
            if gw.head.is_some() && gw.head == pw.head {
                s.uas += 1;
                s.las += usize::from(universal(&gw.deprel) == universal(&pw.deprel));
            }
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu;

    #[test]
    fn las_uses_the_universal_relation() {
        let g = conllu::parse("1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_\n2\tdog\tdog\tNOUN\tNN\t_\t0\troot\t_\t_\n3\tran\trun\tVERB\tVBD\t_\t2\tacl:relcl\t_\t_\n\n").expect("gold");
        let p = conllu::parse("1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_\n2\tdog\tdog\tNOUN\tNN\t_\t0\troot\t_\t_\n3\tran\tran\tNOUN\tNN\t_\t2\tacl\t_\t_\n\n").expect("pred");
        let s = score(&g, &p).expect("scores");
        assert_eq!((s.words, s.upos, s.lemma, s.uas, s.las), (3, 2, 2, 3, 3));
    }
}
