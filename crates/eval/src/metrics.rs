//! Counters and matchers shared by the scorers.

use std::collections::HashMap;
use std::hash::Hash;

use serde_json::{json, Value};

use crate::round4;

/// Match counts for precision / recall / F1. `tp` counts one-to-one matches, so the same number
/// is the numerator of both precision (over `pred`) and recall (over `gold`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prf {
    /// Matched pairs.
    pub tp: usize,
    /// Predicted items.
    pub pred: usize,
    /// Gold items.
    pub gold: usize,
}

impl Prf {
    /// Adds another document's counts.
    pub fn add(&mut self, other: Prf) {
        self.tp += other.tp;
        self.pred += other.pred;
        self.gold += other.gold;
    }

    /// tp / pred, 0 when nothing was predicted (conlleval's convention).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.pred)
    }

    /// tp / gold, 0 when there is no gold item.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.gold)
    }

    /// Harmonic mean of precision and recall, 0 when both are 0.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }

    /// `{"tp","pred","gold","precision","recall","f1"}`.
    pub fn to_json(&self) -> Value {
        json!({
            "tp": self.tp, "pred": self.pred, "gold": self.gold,
            "precision": round4(self.precision()), "recall": round4(self.recall()), "f1": round4(self.f1()),
        })
    }
}

/// Correct / total counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Accuracy {
    /// Items judged correct.
    pub correct: usize,
    /// Items judged.
    pub total: usize,
}

impl Accuracy {
    /// Counts one judged item.
    pub fn push(&mut self, ok: bool) {
        self.total += 1;
        if ok {
            self.correct += 1;
        }
    }

    /// correct / total, 0 when nothing was judged.
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct, self.total)
    }

    /// `{"correct","total","accuracy"}`.
    pub fn to_json(&self) -> Value {
        json!({"correct": self.correct, "total": self.total, "accuracy": round4(self.accuracy())})
    }
}

pub(crate) fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Multiset comparison: tp = sum over keys of min(pred count, gold count).
pub(crate) fn multiset_prf<K: Eq + Hash>(pred: &[K], gold: &[K]) -> Prf {
    let mut counts: HashMap<&K, (usize, usize)> = HashMap::new();
    for k in pred {
        counts.entry(k).or_default().0 += 1;
    }
    for k in gold {
        counts.entry(k).or_default().1 += 1;
    }
    let tp = counts.values().map(|&(p, g)| p.min(g)).sum();
    Prf {
        tp,
        pred: pred.len(),
        gold: gold.len(),
    }
}

/// Length of the intersection of two half-open spans.
pub(crate) fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// One-to-one greedy matching of predicted to gold spans: every (pred, gold) pair that `accept`s
/// is a candidate, candidates are taken by decreasing overlap (ties: earlier gold, earlier pred),
/// and each span is used at most once. Returns (pred index, gold index) pairs.
pub fn greedy_match(
    pred: &[(usize, usize)],
    gold: &[(usize, usize)],
    accept: impl Fn((usize, usize), (usize, usize)) -> bool,
) -> Vec<(usize, usize)> {
    // Spans are sorted views so the candidate scan is near-linear for document-sized inputs.
    let mut gold_order: Vec<usize> = (0..gold.len()).collect();
    gold_order.sort_by_key(|&g| gold.get(g).map(|s| s.0));
    let mut cands: Vec<(usize, usize, usize)> = Vec::new();
    for (pi, &p) in pred.iter().enumerate() {
        // Gold spans starting at or after the predicted end cannot overlap it.
        let upto = gold_order.partition_point(|&g| gold.get(g).is_some_and(|s| s.0 < p.1.max(p.0 + 1)));
        for &gi in gold_order.iter().take(upto) {
            let Some(&g) = gold.get(gi) else { continue };
            if accept(p, g) {
                cands.push((overlap(p, g), gi, pi));
            }
        }
    }
    cands.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used_p = vec![false; pred.len()];
    let mut used_g = vec![false; gold.len()];
    let mut out = Vec::new();
    for (_, gi, pi) in cands {
        let (Some(up), Some(ug)) = (used_p.get(pi), used_g.get(gi)) else {
            continue;
        };
        if *up || *ug {
            continue;
        }
        if let Some(x) = used_p.get_mut(pi) {
            *x = true;
        }
        if let Some(x) = used_g.get_mut(gi) {
            *x = true;
        }
        out.push((pi, gi));
    }
    out
}

/// The quotes / time criterion: overlap of at least half of the longer span.
pub fn half_overlap(a: (usize, usize), b: (usize, usize)) -> bool {
    let longer = (a.1.saturating_sub(a.0)).max(b.1.saturating_sub(b.0));
    let ov = overlap(a, b);
    ov > 0 && 2 * ov >= longer
}

/// Any overlap at all (geo recognition, time "relaxed" extent).
pub(crate) fn any_overlap(a: (usize, usize), b: (usize, usize)) -> bool {
    overlap(a, b) > 0
}

/// Great-circle distance in km.
pub(crate) fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let r = 6371.0088_f64;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * r * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prf_values() {
        let p = Prf {
            tp: 2,
            pred: 4,
            gold: 2,
        };
        assert!((p.precision() - 0.5).abs() < 1e-9);
        assert!((p.recall() - 1.0).abs() < 1e-9);
        assert!((p.f1() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(Prf::default().f1(), 0.0);
    }

    #[test]
    fn multiset_counts_duplicates() {
        let p = multiset_prf(&["a", "a", "b"], &["a", "c"]);
        assert_eq!(
            p,
            Prf {
                tp: 1,
                pred: 3,
                gold: 2
            }
        );
    }

    #[test]
    fn greedy_is_one_to_one() {
        // Two predictions overlap the same gold span; only the larger overlap wins.
        let m = greedy_match(&[(0, 10), (5, 12)], &[(0, 12)], any_overlap);
        assert_eq!(m, vec![(0, 0)]);
        assert!(half_overlap((0, 10), (5, 12)));
        assert!(!half_overlap((0, 10), (8, 20)));
        assert!(!half_overlap((0, 0), (0, 0)));
    }

    #[test]
    fn haversine_known_distance() {
        // Kyiv to Kharkiv is about 410 km.
        let d = haversine_km(50.45, 30.52, 49.99, 36.23);
        assert!((d - 410.0).abs() < 15.0, "{d}");
    }
}
