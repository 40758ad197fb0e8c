//! Distributional word clusters learned from unlabelled text: each frequent word is
//! described by the frequent words seen just left and right of it (square-root counts,
//! unit length), and k-means groups words with similar neighbours. Unknown or rare words
//! in the treebank then share weights with the news words they behave like. A coarse
//! level (k-means over the fine centroids) gives a second, more general id.
//!
//! Deterministic: ties and initial centroids follow frequency order.

use crate::hash;
use crate::words::Clusters;
use std::collections::HashMap;

/// Settings for [`build`].
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// Words clustered (most frequent first).
    pub vocab: usize,
    /// Context words (most frequent first) used as dimensions, per side.
    pub contexts: usize,
    pub fine: usize,
    pub coarse: usize,
    pub iterations: usize,
    /// Minimum corpus count of a clustered word.
    pub min_count: u32,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            vocab: 30_000,
            contexts: 300,
            fine: 256,
            coarse: 32,
            iterations: 10,
            min_count: 5,
        }
    }
}

/// Splits text into lowercase tokens, separating leading and trailing punctuation.
fn tokens(text: &str, out: &mut Vec<String>) {
    out.clear();
    for raw in text.split_whitespace() {
        let mut s = raw;
        let mut tail = Vec::new();
        while let Some(c) = s.chars().next().filter(|c| !c.is_alphanumeric()) {
            out.push(c.to_string());
            s = &s[c.len_utf8()..];
        }
        while let Some(c) = s.chars().next_back().filter(|c| !c.is_alphanumeric()) {
            tail.push(c.to_string());
            s = &s[..s.len() - c.len_utf8()];
        }
        if let Some(i) = s.find("n't").filter(|&i| i > 0 && i + 3 == s.len()) {
            out.push(s[..i].to_lowercase());
            out.push("n't".into());
        } else if let Some(i) = s.rfind('\'').filter(|&i| i > 0 && s.len() - i <= 3) {
            out.push(s[..i].to_lowercase());
            out.push(s[i..].to_lowercase());
        } else if !s.is_empty() {
            out.push(s.to_lowercase());
        }
        out.extend(tail.into_iter().rev());
    }
}

fn kmeans(data: &[f32], dim: usize, k: usize, iters: usize) -> (Vec<u32>, Vec<f32>) {
    let n = data.len() / dim;
    let k = k.min(n).max(1);
    // Initial centroids: words spread evenly over the frequency ranking.
    let mut cent: Vec<f32> = (0..k)
        .flat_map(|j| data[(j * n / k) * dim..(j * n / k + 1) * dim].to_vec())
        .collect();
    let mut assign = vec![0u32; n];
    for _ in 0..iters {
        for (i, a) in assign.iter_mut().enumerate() {
            let x = &data[i * dim..(i + 1) * dim];
            let mut best = (f32::MIN, 0u32);
            for j in 0..k {
                let c = &cent[j * dim..(j + 1) * dim];
                let d: f32 = x.iter().zip(c).map(|(a, b)| a * b).sum();
                if d > best.0 {
                    best = (d, j as u32);
                }
            }
            *a = best.1;
        }
        let mut sums = vec![0f32; k * dim];
        for (i, &a) in assign.iter().enumerate() {
            let a = a as usize;
            for (s, x) in sums[a * dim..(a + 1) * dim]
                .iter_mut()
                .zip(&data[i * dim..(i + 1) * dim])
            {
                *s += x;
            }
        }
        for j in 0..k {
            let s = &mut sums[j * dim..(j + 1) * dim];
            let norm = s.iter().map(|v| v * v).sum::<f32>().sqrt();
            if norm > 0.0 {
                s.iter_mut().for_each(|v| *v /= norm);
                cent[j * dim..(j + 1) * dim].copy_from_slice(s);
            }
        }
    }
    (assign, cent)
}

/// Learns clusters from texts. Fine ids are `0..fine`; the coarse id is stored above
/// them as `fine + coarse_id` in [`Clusters::coarse`].
pub fn build<'a>(texts: impl Iterator<Item = &'a str>, cfg: &ClusterConfig) -> Clusters {
    let docs: Vec<Vec<String>> = texts
        .map(|t| {
            let mut v = Vec::new();
            tokens(t, &mut v);
            v
        })
        .collect();
    let mut freq: HashMap<&str, u32> = HashMap::new();
    for d in &docs {
        for w in d {
            *freq.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, u32)> = freq.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let vocab: Vec<&str> = ranked
        .iter()
        .filter(|(_, c)| *c >= cfg.min_count)
        .take(cfg.vocab)
        .map(|(w, _)| *w)
        .collect();
    let vid: HashMap<&str, usize> = vocab.iter().enumerate().map(|(i, w)| (*w, i)).collect();
    let nctx = cfg.contexts.min(vocab.len());
    let dim = 2 * nctx;
    let mut data = vec![0f32; vocab.len() * dim];
    for d in &docs {
        for i in 0..d.len() {
            let Some(&w) = vid.get(d[i].as_str()) else {
                continue;
            };
            if i > 0 {
                if let Some(&c) = vid.get(d[i - 1].as_str()).filter(|&&c| c < nctx) {
                    data[w * dim + c] += 1.0;
                }
            }
            if let Some(&c) = d
                .get(i + 1)
                .and_then(|x| vid.get(x.as_str()))
                .filter(|&&c| c < nctx)
            {
                data[w * dim + nctx + c] += 1.0;
            }
        }
    }
    for row in data.chunks_mut(dim.max(1)) {
        row.iter_mut().for_each(|v| *v = v.sqrt());
        let norm = row.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            row.iter_mut().for_each(|v| *v /= norm);
        }
    }
    let mut out = Clusters::default();
    if vocab.is_empty() || dim == 0 {
        return out;
    }
    let (fine, cent) = kmeans(&data, dim, cfg.fine, cfg.iterations);
    let (coarse, _) = kmeans(&cent, dim, cfg.coarse, cfg.iterations);
    for (i, w) in vocab.iter().enumerate() {
        let f = fine[i];
        let c = coarse.get(f as usize).copied().unwrap_or(0);
        out.map.insert(hash::str(w), (c << 16) | f);
    }
    out
}

/// The `text` field of every JSON line in `dir/*/*.jsonl` (one folder per source), files
/// in sorted path order so clusters built from them are reproducible. Lines that are not
/// JSON objects with a string `text` are skipped.
pub fn corpus_texts(dir: &std::path::Path) -> Result<Vec<String>, crate::SyntaxError> {
    let io = |p: &std::path::Path| {
        let path = p.display().to_string();
        move |source| crate::SyntaxError::Io { path, source }
    };
    let mut files = Vec::new();
    for sub in std::fs::read_dir(dir).map_err(io(dir))? {
        let sub = sub.map_err(io(dir))?.path();
        if sub.is_dir() {
            for f in std::fs::read_dir(&sub).map_err(io(&sub))? {
                let f = f.map_err(io(&sub))?.path();
                if f.extension().is_some_and(|e| e == "jsonl") {
                    files.push(f);
                }
            }
        }
    }
    files.sort();
    let mut texts = Vec::new();
    for f in files {
        let body = std::fs::read_to_string(&f).map_err(io(&f))?;
        for line in body.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                    texts.push(t.to_string());
                }
            }
        }
    }
    Ok(texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_a_cluster() {
        let text = "the cat barked . the dog barked . a cat slept . a dog slept . \
                    yesterday he spoke . yesterday she spoke . then he left . then she left .";
        let texts = [text; 5];
        let cfg = ClusterConfig {
            vocab: 100,
            contexts: 20,
            fine: 4,
            coarse: 2,
            iterations: 10,
            min_count: 1,
        };
        let c = build(texts.iter().copied(), &cfg);
        let id = |w: &str| c.map.get(&hash::str(w)).map(|v| v & 0xFFFF);
        assert!(id("cat").is_some());
        assert_eq!(id("cat"), id("dog"));
        assert_eq!(id("he"), id("she"));
        assert_ne!(id("cat"), id("he"));
    }
}
