//! Word statistics learned from unlabelled news text and stored inside the model file.
//!
//! Why: the labelled data has 200k tokens, so most names at run time were never seen in
//! training. Raw news text says two useful things about any word: how often it is written
//! capitalised where case is informative (not sentence-initial) — names almost always,
//! common words rarely — and which function words typically stand next to it ("in X" for
//! places, "X said" for people), a poor man's word cluster.

use crate::features::{self, IdMap};

/// Words kept (most frequent first); bounds the file size.
const MAX_WORDS: usize = 150_000;
/// Function words used as neighbour "cluster" ids.
const N_CONTEXT: usize = 254;
const NONE: u32 = 255;

/// Per-word packed statistics, keyed by the hash of the normalised lowercase word.
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    map: IdMap<u32>,
}

/// Splits text into rough tokens: whitespace-separated, with leading/trailing punctuation
/// split off. Returns (token, sentence_initial).
fn rough_tokens(text: &str, out: &mut Vec<(String, bool)>) {
    out.clear();
    let mut initial = true;
    for chunk in text.split_whitespace() {
        let mut rest = chunk;
        let mut pre = Vec::new();
        while let Some(c) = rest.chars().next() {
            if c.is_alphanumeric() {
                break;
            }
            pre.push(c.to_string());
            rest = &rest[c.len_utf8()..];
        }
        let mut post = Vec::new();
        while let Some(c) = rest.chars().next_back() {
            if c.is_alphanumeric() || (c == '.' && rest.len() <= 4 && rest.contains('.')) {
                break;
            }
            post.push(c.to_string());
            rest = &rest[..rest.len() - c.len_utf8()];
        }
        for p in pre {
            out.push((p, false));
        }
        if !rest.is_empty() {
            out.push((rest.to_string(), initial));
            initial = false;
        }
        for p in post.into_iter().rev() {
            if matches!(p.as_str(), "." | "!" | "?" | ":") {
                initial = true;
            }
            out.push((p, false));
        }
    }
}

impl Lexicon {
    /// Learns the statistics from plain texts (articles, one string each).
    pub fn build<'a>(texts: impl Iterator<Item = &'a str>) -> Lexicon {
        let mut s = features::Scratch::default();
        // Per word: count, non-initial count, non-initial capitalised count.
        let mut counts: IdMap<[u32; 3]> = IdMap::default();
        let mut seqs: Vec<Vec<u64>> = Vec::new();
        let mut toks = Vec::new();
        for text in texts {
            for para in text.split("\n\n") {
                rough_tokens(para, &mut toks);
                let mut seq = Vec::with_capacity(toks.len());
                for (w, initial) in &toks {
                    let (h, case) = features::lower_hash_and_case(w, &mut s);
                    let e = counts.entry(h).or_insert([0; 3]);
                    e[0] += 1;
                    if !initial && case != 0 {
                        e[1] += 1;
                        if case >= 2 {
                            e[2] += 1;
                        }
                    }
                    seq.push(h);
                }
                seqs.push(seq);
            }
        }
        let mut by_freq: Vec<(u64, u32)> = counts.iter().map(|(k, v)| (*k, v[0])).collect();
        by_freq.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let context: IdMap<u32> = by_freq
            .iter()
            .take(N_CONTEXT)
            .enumerate()
            .map(|(i, (k, _))| (*k, i as u32))
            .collect();
        by_freq.retain(|x| x.1 >= 3);
        by_freq.truncate(MAX_WORDS);
        let keep: IdMap<u32> = by_freq
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (*k, i as u32))
            .collect();
        // Neighbour counts per kept word: (word index, context id) -> count, left and right.
        let mut left: IdMap<u32> = IdMap::default();
        let mut right: IdMap<u32> = IdMap::default();
        let key = |w: u32, c: u32| u64::from(w) << 8 | u64::from(c);
        for seq in &seqs {
            for (i, h) in seq.iter().enumerate() {
                let Some(&wi) = keep.get(h) else { continue };
                if let Some(c) = i
                    .checked_sub(1)
                    .and_then(|j| seq.get(j))
                    .and_then(|p| context.get(p))
                {
                    *left.entry(key(wi, *c)).or_insert(0) += 1;
                }
                if let Some(c) = seq.get(i + 1).and_then(|n| context.get(n)) {
                    *right.entry(key(wi, *c)).or_insert(0) += 1;
                }
            }
        }
        let best = |m: &IdMap<u32>| -> Vec<(u32, u32)> {
            let mut b = vec![(NONE, 0u32); by_freq.len()];
            for (k, n) in m {
                let (w, c) = ((k >> 8) as usize, (k & 0xff) as u32);
                if let Some(slot) = b.get_mut(w) {
                    if *n > slot.1 || (*n == slot.1 && c < slot.0) {
                        *slot = (c, *n);
                    }
                }
            }
            b
        };
        let (bl, br) = (best(&left), best(&right));
        let clusters = cluster(&seqs, &by_freq, &keep, &counts);
        let mut map = IdMap::default();
        for (i, (k, _)) in by_freq.iter().enumerate() {
            let Some(c) = counts.get(k) else { continue };
            let cap = if c[1] < 2 {
                0
            } else {
                let r = f64::from(c[2]) / f64::from(c[1]);
                match r {
                    r if r < 0.02 => 1,
                    r if r < 0.3 => 2,
                    r if r < 0.7 => 3,
                    r if r < 0.98 => 4,
                    _ => 5,
                }
            };
            let freq = (32 - c[0].leading_zeros()).min(15);
            let l = bl.get(i).map_or(NONE, |x| x.0);
            let r = br.get(i).map_or(NONE, |x| x.0);
            let cl = clusters.get(i).copied().unwrap_or(0);
            map.insert(*k, cap | freq << 4 | l << 8 | r << 16 | cl << 24);
        }
        Lexicon { map }
    }

    /// Packed statistics of a word hash (0 = unknown).
    pub(crate) fn get(&self, h: u64) -> u32 {
        self.map.get(&h).copied().unwrap_or(0)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Sorted entries, for serialisation.
    pub(crate) fn entries(&self) -> Vec<(u64, u32)> {
        let mut v: Vec<(u64, u32)> = self.map.iter().map(|(k, v)| (*k, *v)).collect();
        v.sort_unstable();
        v
    }

    pub(crate) fn from_entries(e: impl Iterator<Item = (u64, u32)>) -> Lexicon {
        Lexicon { map: e.collect() }
    }
}

/// Words clustered by k-means (cosine) over their left/right neighbour distributions.
const N_CLUSTERS: usize = 255;
const CLUSTER_MIN_COUNT: u32 = 5;
const CLUSTER_MAX_WORDS: usize = 60_000;
const CLUSTER_CONTEXT: usize = 600;
const KMEANS_ITERS: usize = 8;

/// Cluster id + 1 (0 = none) for each word of `by_freq`.
fn cluster(
    seqs: &[Vec<u64>],
    by_freq: &[(u64, u32)],
    keep: &IdMap<u32>,
    counts: &IdMap<[u32; 3]>,
) -> Vec<u32> {
    let _ = counts;
    let n = by_freq
        .iter()
        .take(CLUSTER_MAX_WORDS)
        .take_while(|x| x.1 >= CLUSTER_MIN_COUNT)
        .count();
    let dims = 2 * CLUSTER_CONTEXT;
    // Sparse context counts per word.
    let mut acc: IdMap<f32> = IdMap::default();
    for seq in seqs {
        for (i, h) in seq.iter().enumerate() {
            let Some(&wi) = keep.get(h) else { continue };
            if wi as usize >= n {
                continue;
            }
            let ctx = |j: Option<usize>| j.and_then(|j| seq.get(j)).and_then(|c| keep.get(c)).copied();
            if let Some(c) = ctx(i.checked_sub(1)).filter(|c| (*c as usize) < CLUSTER_CONTEXT) {
                *acc.entry(u64::from(wi) << 16 | u64::from(c)).or_insert(0.0) += 1.0;
            }
            if let Some(c) = ctx(Some(i + 1)).filter(|c| (*c as usize) < CLUSTER_CONTEXT) {
                *acc.entry(u64::from(wi) << 16 | (CLUSTER_CONTEXT as u64 + u64::from(c)))
                    .or_insert(0.0) += 1.0;
            }
        }
    }
    let mut vecs: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n];
    for (k, v) in &acc {
        if let Some(x) = vecs.get_mut((k >> 16) as usize) {
            x.push(((k & 0xffff) as u32, v.sqrt()));
        }
    }
    for v in vecs.iter_mut() {
        v.sort_by_key(|x| x.0);
        let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt().max(1e-6);
        for x in v.iter_mut() {
            x.1 /= norm;
        }
    }
    let k = N_CLUSTERS.min(n);
    if k == 0 {
        return Vec::new();
    }
    // Centroids stored dimension-major so the scoring loop runs over clusters.
    let mut cent = vec![0f32; dims * k];
    for c in 0..k {
        let seed = c * n / k;
        if let Some(v) = vecs.get(seed) {
            for (d, x) in v {
                if let Some(slot) = cent.get_mut(*d as usize * k + c) {
                    *slot = *x;
                }
            }
        }
    }
    let mut assign = vec![0usize; n];
    let mut score = vec![0f32; k];
    for _ in 0..KMEANS_ITERS {
        for (w, v) in vecs.iter().enumerate() {
            score.iter_mut().for_each(|s| *s = 0.0);
            for (d, x) in v {
                let Some(row) = cent.get(*d as usize * k..(*d as usize + 1) * k) else {
                    continue;
                };
                for (s, c) in score.iter_mut().zip(row) {
                    *s += x * c;
                }
            }
            let mut best = 0usize;
            for (c, s) in score.iter().enumerate() {
                if *s > score.get(best).copied().unwrap_or(f32::MIN) {
                    best = c;
                }
            }
            if let Some(a) = assign.get_mut(w) {
                *a = best;
            }
        }
        cent.iter_mut().for_each(|c| *c = 0.0);
        for (w, v) in vecs.iter().enumerate() {
            let c = assign.get(w).copied().unwrap_or(0);
            for (d, x) in v {
                if let Some(slot) = cent.get_mut(*d as usize * k + c) {
                    *slot += x;
                }
            }
        }
        let mut norms = vec![0f32; k];
        for d in 0..dims {
            for c in 0..k {
                let x = cent.get(d * k + c).copied().unwrap_or(0.0);
                if let Some(nm) = norms.get_mut(c) {
                    *nm += x * x;
                }
            }
        }
        for d in 0..dims {
            for c in 0..k {
                let nm = norms.get(c).copied().unwrap_or(1.0).sqrt().max(1e-6);
                if let Some(x) = cent.get_mut(d * k + c) {
                    *x /= nm;
                }
            }
        }
    }
    let mut out = vec![0u32; by_freq.len()];
    for (w, a) in assign.iter().enumerate() {
        if let Some(o) = out.get_mut(w) {
            *o = *a as u32 + 1;
        }
    }
    out
}

/// Every `*.jsonl` file one level below `dir` (e.g. `../shared/corpora/*/*.jsonl`),
/// sorted so training is reproducible; what [`crate::TrainOptions::corpora`] expects.
pub fn corpus_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let Ok(sub) = std::fs::read_dir(e.path()) else {
            continue;
        };
        for f in sub.flatten() {
            let p = f.path();
            if p.extension().is_some_and(|x| x == "jsonl") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Reads texts for [`Lexicon::build`]: JSONL with a `text` field (and `title`), or plain
/// text files (one article per file).
pub fn read_corpus(path: &std::path::Path) -> Result<Vec<String>, crate::NerError> {
    let raw = std::fs::read_to_string(path).map_err(|source| crate::NerError::Io {
        path: path.display().to_string(),
        source,
    })?;
    if path.extension().is_some_and(|e| e == "jsonl") {
        let mut out = Vec::new();
        for line in raw.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                    out.push(t.to_string());
                }
            }
        }
        Ok(out)
    } else {
        Ok(vec![raw])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rough_tokens_split_punctuation_and_mark_initials() {
        let mut v = Vec::new();
        rough_tokens("He met (Smith) in the U.S. today. Then left", &mut v);
        let words: Vec<&str> = v.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(
            words,
            ["He", "met", "(", "Smith", ")", "in", "the", "U.S.", "today", ".", "Then", "left"]
        );
        assert!(v[0].1);
        assert!(!v[3].1);
        assert!(v[10].1);
    }

    #[test]
    fn learns_capitalisation_profile() {
        let text = "the man met Smith . the man met Smith . a man saw Smith in Paris . the man in Paris";
        let lex = Lexicon::build(std::iter::repeat_n(text, 5));
        let mut s = features::Scratch::default();
        let smith = features::lower_hash_and_case("Smith", &mut s).0;
        let man = features::lower_hash_and_case("man", &mut s).0;
        assert_eq!(lex.get(smith) & 7, 5);
        assert_eq!(lex.get(man) & 7, 1);
        let paris = features::lower_hash_and_case("Paris", &mut s).0;
        assert_ne!(lex.get(paris) >> 8 & 0xff, NONE, "a left neighbour was learned");
        let back = Lexicon::from_entries(lex.entries().into_iter());
        assert_eq!(back.get(smith), lex.get(smith));
    }
}
