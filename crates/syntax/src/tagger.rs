//! Part-of-speech tagger: greedy left-to-right averaged perceptron over one combined
//! class per (XPOS, UPOS) pair seen in training (so both tags come from one decision and
//! always agree), with a tag dictionary for frequent unambiguous words.
//!
//! Features follow Collins (2002) and Honnibal's "A good POS tagger in about 200 lines":
//! the word, its lowercase form, prefixes and suffixes, shape, neighbouring words and the
//! two previous tags, plus distributional word clusters when the model has them.

use crate::bin::{Reader, Writer};
use crate::conllu::Sentence;
use crate::hash::{finish, mix, BuildId};
use crate::perceptron::{Scores, TrainWeights, Weights};
use crate::upos::Upos;
use crate::words::{Clusters, WordInfo};
use crate::SyntaxError;
use std::collections::HashMap;

/// Stand-in for the tag before the first word.
const START: u64 = 0xFFFF_0001;
/// Stand-in for attributes beyond either end of the sentence.
const PAD: u64 = 0xFFFF_0002;

/// The tag classes: each an (XPOS, UPOS) pair.
#[derive(Clone, Debug, Default)]
pub struct TagSet {
    pub xpos: Vec<String>,
    pub upos: Vec<Upos>,
    index: HashMap<(String, Upos), u16>,
}

impl TagSet {
    /// Every (XPOS, UPOS) pair in `sents`, sorted (so class ids are deterministic).
    pub fn from_sentences(sents: &[Sentence]) -> Result<Self, SyntaxError> {
        let mut pairs: Vec<(String, Upos)> = Vec::new();
        for s in sents {
            for w in &s.words {
                let u: Upos = w.upos.parse()?;
                pairs.push((w.xpos.clone(), u));
            }
        }
        pairs.sort();
        pairs.dedup();
        Self::from_pairs(pairs)
    }

    fn from_pairs(pairs: Vec<(String, Upos)>) -> Result<Self, SyntaxError> {
        if pairs.len() > crate::perceptron::MAX_CLASSES {
            return Err(SyntaxError::Format("more than 254 tag classes".into()));
        }
        let mut t = TagSet::default();
        for (i, (x, u)) in pairs.into_iter().enumerate() {
            t.index.insert((x.clone(), u), i as u16);
            t.xpos.push(x);
            t.upos.push(u);
        }
        Ok(t)
    }

    pub fn len(&self) -> usize {
        self.xpos.len()
    }

    /// Class of a gold word (None when the pair was never seen in training).
    pub fn class_of(&self, xpos: &str, upos: &str) -> Option<u16> {
        let u: Upos = upos.parse().ok()?;
        self.index.get(&(xpos.to_string(), u)).copied()
    }

    fn write(&self, w: &mut Writer) {
        w.u32(self.len() as u32);
        for (x, u) in self.xpos.iter().zip(&self.upos) {
            w.str(x);
            w.str(u.as_str());
        }
    }

    fn read(r: &mut Reader) -> Result<Self, SyntaxError> {
        let n = r.u32()? as usize;
        if n > crate::perceptron::MAX_CLASSES {
            return Err(SyntaxError::Format("tag count out of range".into()));
        }
        let mut pairs = Vec::with_capacity(n);
        for _ in 0..n {
            let x = r.str()?.to_string();
            let u: Upos = r.str()?.parse()?;
            pairs.push((x, u));
        }
        Self::from_pairs(pairs)
    }
}

#[inline]
fn f1(t: u64, a: u64) -> u64 {
    finish(mix(mix(t, a), 0x51))
}
#[inline]
fn f2(t: u64, a: u64, b: u64) -> u64 {
    finish(mix(mix(mix(t, a), b), 0x52))
}
#[inline]
fn f3(t: u64, a: u64, b: u64, c: u64) -> u64 {
    finish(mix(mix(mix(mix(t, a), b), c), 0x53))
}

/// Feature hashes for word `i` given the two previous predicted tags.
pub(crate) fn features(w: &[WordInfo], i: usize, p1: u64, p2: u64, out: &mut Vec<u64>) {
    out.clear();
    let at = |j: isize| -> Option<&WordInfo> {
        if j < 0 {
            None
        } else {
            w.get(j as usize)
        }
    };
    let i_ = i as isize;
    let c = &w[i];
    let (m1l, m1s, m1sh, m1c) =
        at(i_ - 1).map_or((PAD, PAD, PAD, PAD), |x| (x.lower, x.suf[2], x.shape, x.cluster));
    let m2l = at(i_ - 2).map_or(PAD, |x| x.lower);
    let (n1l, n1s, n1sh, n1c) =
        at(i_ + 1).map_or((PAD, PAD, PAD, PAD), |x| (x.lower, x.suf[2], x.shape, x.cluster));
    let m1c2 = at(i_ - 1).map_or(PAD, |x| x.cluster2);
    let n1c2 = at(i_ + 1).map_or(PAD, |x| x.cluster2);
    let n2l = at(i_ + 2).map_or(PAD, |x| x.lower);
    out.extend_from_slice(&[
        f1(0, 0),
        f1(1, c.lower),
        f1(2, c.form),
        f1(3, c.suf[0]),
        f1(4, c.suf[1]),
        f1(5, c.suf[2]),
        f1(6, c.suf[3]),
        f1(7, c.pre[0]),
        f1(8, c.pre[1]),
        f1(9, c.pre[2]),
        f1(10, c.shape),
        f1(11, c.flags),
        f1(12, p1),
        f2(13, p2, p1),
        f2(14, p1, c.lower),
        f1(15, m1l),
        f1(16, m1s),
        f1(17, m2l),
        f1(18, n1l),
        f1(19, n1s),
        f1(20, n2l),
        f1(21, n1sh),
        f2(22, m1l, c.lower),
        f2(23, c.lower, n1l),
        f1(24, c.cluster),
        f1(25, m1c),
        f1(26, n1c),
        f2(27, p1, c.suf[2]),
        f1(28, m1sh),
        f2(29, c.cluster, n1c),
        f1(30, c.cluster2),
        f2(31, m1c2, c.cluster2),
        f2(32, c.cluster2, n1c2),
        f2(33, p1, c.cluster),
        f2(34, m1s, c.suf[2]),
        f2(35, c.suf[2], n1l),
        f3(36, p2, p1, c.suf[1]),
    ]);
}

/// The trained tagger.
pub struct Tagger {
    pub(crate) tags: TagSet,
    /// Case-sensitive form hash to class, for frequent unambiguous words.
    tagdict: HashMap<u64, u16, BuildId>,
    weights: Weights,
}

/// Reusable buffers for tagging (avoid allocation per sentence).
pub struct TagScratch {
    feats: Vec<u64>,
    scores: Box<Scores>,
}

impl Default for TagScratch {
    fn default() -> Self {
        TagScratch {
            feats: Vec::with_capacity(64),
            scores: Box::new([0; 256]),
        }
    }
}

impl Tagger {
    /// The tag classes.
    pub fn tags(&self) -> &TagSet {
        &self.tags
    }

    /// Number of features with weights.
    pub fn n_features(&self) -> usize {
        self.weights.n_features()
    }

    /// The same tagger without weights smaller than `min_abs` (quantised units).
    pub fn pruned(&self, min_abs: i16) -> Tagger {
        Tagger {
            tags: self.tags.clone(),
            tagdict: self.tagdict.clone(),
            weights: self.weights.prune(min_abs),
        }
    }

    /// Tags a sentence; writes one class id per word to `out`.
    pub fn tag_into(&self, w: &[WordInfo], out: &mut Vec<u16>, sc: &mut TagScratch) {
        out.clear();
        let n = self.tags.len();
        let (mut p1, mut p2) = (START, START);
        for i in 0..w.len() {
            let t = match self.tagdict.get(&w[i].form) {
                Some(&t) => t,
                None => {
                    features(w, i, p1, p2, &mut sc.feats);
                    sc.scores.iter_mut().for_each(|s| *s = 0);
                    self.weights.score(&sc.feats, &mut sc.scores);
                    argmax_i32(&sc.scores[..n]) as u16
                }
            };
            out.push(t);
            p2 = p1;
            p1 = u64::from(t);
        }
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        self.tags.write(w);
        let mut td: Vec<(u64, u16)> = self.tagdict.iter().map(|(k, v)| (*k, *v)).collect();
        td.sort_unstable();
        w.u32(td.len() as u32);
        for (k, v) in td {
            w.u64(k);
            w.u16(v);
        }
        self.weights.write(w);
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Self, SyntaxError> {
        let tags = TagSet::read(r)?;
        let n = r.u32()? as usize;
        if n.saturating_mul(10) > r.remaining() {
            return Err(SyntaxError::Format("tag dictionary larger than the file".into()));
        }
        let mut tagdict = HashMap::with_capacity_and_hasher(n, BuildId::default());
        for _ in 0..n {
            let k = r.u64()?;
            let v = r.u16()?;
            if v as usize >= tags.len() {
                return Err(SyntaxError::Format("tag dictionary class out of range".into()));
            }
            tagdict.insert(k, v);
        }
        let weights = Weights::read(r)?;
        if weights.n_classes() != tags.len() {
            return Err(SyntaxError::Format("tagger weights and tag set disagree".into()));
        }
        Ok(Tagger {
            tags,
            tagdict,
            weights,
        })
    }
}

/// Index of the largest score (first on ties).
pub(crate) fn argmax_i32(s: &[i32]) -> usize {
    let mut best = 0;
    for (i, &v) in s.iter().enumerate() {
        if v > s[best] {
            best = i;
        }
    }
    best
}

fn argmax_f32(s: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in s.iter().enumerate() {
        if v > s[best] {
            best = i;
        }
    }
    best
}

/// xorshift64*: a tiny deterministic generator for shuffling.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// A training sentence prepared for the tagger: word attributes and gold classes.
pub(crate) struct TagExample {
    pub infos: Vec<WordInfo>,
    pub gold: Vec<Option<u16>>,
}

pub(crate) fn prepare(s: &Sentence, tags: &TagSet, clusters: &Clusters) -> TagExample {
    TagExample {
        infos: s.words.iter().map(|w| WordInfo::new(&w.form, clusters)).collect(),
        gold: s.words.iter().map(|w| tags.class_of(&w.xpos, &w.upos)).collect(),
    }
}

fn build_tagdict(train: &[TagExample]) -> HashMap<u64, u16, BuildId> {
    let mut counts: HashMap<u64, HashMap<u16, u32>> = HashMap::new();
    for ex in train {
        for (w, g) in ex.infos.iter().zip(&ex.gold) {
            if let Some(g) = g {
                *counts.entry(w.form).or_default().entry(*g).or_default() += 1;
            }
        }
    }
    let mut td = HashMap::default();
    for (k, m) in counts {
        let total: u32 = m.values().sum();
        let (best, bn) = m
            .iter()
            .map(|(t, n)| (*t, *n))
            .max_by_key(|&(t, n)| (n, std::cmp::Reverse(t)))
            .unwrap_or((0, 0));
        if total >= 20 && f64::from(bn) / f64::from(total) >= 0.99 {
            td.insert(k, best);
        }
    }
    td
}

/// Tagging accuracy of `tagger` over examples (share of words whose class is right).
pub(crate) fn accuracy(tagger: &Tagger, exs: &[TagExample]) -> f64 {
    let mut sc = TagScratch::default();
    let mut out = Vec::new();
    let (mut ok, mut n) = (0usize, 0usize);
    for ex in exs {
        tagger.tag_into(&ex.infos, &mut out, &mut sc);
        for (p, g) in out.iter().zip(&ex.gold) {
            n += 1;
            if Some(*p) == *g {
                ok += 1;
            }
        }
    }
    ok as f64 / n.max(1) as f64
}

/// Trains a tagger for `epochs` passes (shuffled with `seed`); when `dev` is given, keeps
/// the epoch with the best dev accuracy.
pub(crate) fn train(
    tags: &TagSet,
    train: &[TagExample],
    dev: Option<&[TagExample]>,
    epochs: usize,
    seed: u64,
    log: &mut dyn FnMut(String),
) -> Tagger {
    let tagdict = build_tagdict(train);
    let n = tags.len();
    let mut tw = TrainWeights::new(n);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = Rng(seed | 1);
    let mut feats = Vec::new();
    let mut scores = vec![0f32; n];
    let mut best: Option<(f64, Tagger)> = None;
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let (mut ok, mut tot) = (0usize, 0usize);
        for &si in &order {
            let ex = &train[si];
            let (mut p1, mut p2) = (START, START);
            for i in 0..ex.infos.len() {
                let guess = if let Some(&t) = tagdict.get(&ex.infos[i].form) {
                    t as usize
                } else {
                    features(&ex.infos, i, p1, p2, &mut feats);
                    tw.score(&feats, &mut scores);
                    let g = argmax_f32(&scores);
                    if let Some(gold) = ex.gold[i] {
                        tw.update(&feats, gold as usize, g);
                    }
                    tw.tick();
                    g
                };
                tot += 1;
                if ex.gold[i] == Some(guess as u16) {
                    ok += 1;
                }
                p2 = p1;
                p1 = guess as u64;
            }
        }
        let tagger = Tagger {
            tags: tags.clone(),
            tagdict: tagdict.clone(),
            weights: tw.finish(),
        };
        let train_acc = ok as f64 / tot.max(1) as f64;
        match dev {
            Some(d) => {
                let acc = accuracy(&tagger, d);
                log(format!(
                    "tagger epoch {}: train {:.4} dev {:.4} ({} features)",
                    epoch + 1,
                    train_acc,
                    acc,
                    tagger.n_features()
                ));
                if best.as_ref().is_none_or(|(b, _)| acc > *b) {
                    best = Some((acc, tagger));
                }
            }
            None => best = Some((train_acc, tagger)),
        }
    }
    match best {
        Some((_, t)) => t,
        None => Tagger {
            tags: tags.clone(),
            tagdict,
            weights: tw.finish(),
        },
    }
}
