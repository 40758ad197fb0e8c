//! Averaged perceptron: a sparse training table and a compact, quantised runtime table.
//!
//! Features are 64-bit hashes (see `hash.rs`); each keeps only the classes it ever
//! updated, so a row is a handful of `(class, weight)` pairs rather than a dense vector
//! over ~100 classes. That keeps the file small and scoring proportional to what a
//! feature knows.

use crate::bin::{Reader, Writer};
use crate::hash::BuildId;
use crate::SyntaxError;
use std::collections::HashMap;

#[derive(Clone, Copy)]
struct Entry {
    class: u16,
    w: f32,
    /// Sum of `c * delta` over updates (Daumé's trick: average = w - u / c).
    u: f64,
}

/// Weights being learned.
pub struct TrainWeights {
    n_classes: usize,
    index: HashMap<u64, u32, BuildId>,
    rows: Vec<Vec<Entry>>,
    /// Example counter (starts at 1).
    c: f64,
}

impl TrainWeights {
    pub fn new(n_classes: usize) -> Self {
        TrainWeights {
            n_classes,
            index: HashMap::default(),
            rows: Vec::new(),
            c: 1.0,
        }
    }

    /// Current (not averaged) scores of all classes, written to `scores`.
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        for f in feats {
            if let Some(&r) = self.index.get(f) {
                for e in &self.rows[r as usize] {
                    scores[e.class as usize] += e.w;
                }
            }
        }
    }

    fn bump(&mut self, f: u64, class: usize, delta: f32) {
        let next = self.rows.len() as u32;
        let r = *self.index.entry(f).or_insert(next);
        if r == next {
            self.rows.push(Vec::with_capacity(2));
        }
        let c = self.c;
        let row = &mut self.rows[r as usize];
        let class = class as u16;
        match row.iter_mut().find(|e| e.class == class) {
            Some(e) => {
                e.w += delta;
                e.u += c * f64::from(delta);
            }
            None => row.push(Entry {
                class,
                w: delta,
                u: c * f64::from(delta),
            }),
        }
    }

    /// Perceptron update: reward `truth`, penalise `guess` (no-op when equal).
    pub fn update(&mut self, feats: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        for &f in feats {
            self.bump(f, truth, 1.0);
            self.bump(f, guess, -1.0);
        }
    }

    /// Advances the example counter (call once per decision).
    pub fn tick(&mut self) {
        self.c += 1.0;
    }

    /// Averaged, quantised runtime weights. Entries that round to zero are dropped.
    pub fn finish(&self) -> Weights {
        let c = self.c;
        let mut keys: Vec<(u64, u32)> = self.index.iter().map(|(k, v)| (*k, *v)).collect();
        keys.sort_unstable();
        let mut maxabs = 0f64;
        for row in &self.rows {
            for e in row {
                maxabs = maxabs.max((f64::from(e.w) - e.u / c).abs());
            }
        }
        let scale = if maxabs > 0.0 { maxabs / 32000.0 } else { 1.0 };
        let mut out_keys = Vec::with_capacity(keys.len());
        let mut lens = Vec::with_capacity(keys.len());
        let mut entries = Vec::new();
        for (k, r) in keys {
            let mut row: Vec<(u8, i16)> = self.rows[r as usize]
                .iter()
                .filter_map(|e| {
                    let avg = f64::from(e.w) - e.u / c;
                    let q = (avg / scale).round() as i64;
                    (q != 0).then_some((e.class as u8, q.clamp(-32767, 32767) as i16))
                })
                .collect();
            if row.is_empty() {
                continue;
            }
            row.sort_unstable();
            out_keys.push(k);
            lens.push(row.len() as u8);
            entries.extend(row);
        }
        let mut w = Weights::from_parts(self.n_classes, scale as f32, out_keys, lens, entries);
        // Keep the table addressable: drop the smallest weights until it fits.
        let mut t = 2i16;
        while w.entries.len() > MAX_ENTRIES && t < 16384 {
            w = w.prune(t);
            t *= 2;
        }
        w
    }
}
/// Most weight entries a table holds (bounds the file and memory a model may claim).
pub const MAX_ENTRIES: usize = 1 << 24;

/// Scores of all classes: fixed at 256 so a `u8` class indexes it without bounds checks.
pub type Scores = [i32; 256];

/// One hash-table slot (16 bytes, four to a cache line): the key's fingerprint (0 =
/// empty) and either the whole row inline (up to [`INLINE`] `(class, weight)` pairs,
/// unused ones `(PAD_CLASS, 0)` so they can be added blindly) or, when `cls[0]` is
/// [`OVERFLOW`], where the row lives (`w[0..2]` start, `w[2]` length, `w[3]` 1 = dense).
///
/// Most features have one to four classes, so scoring one costs one memory access
/// (the slot) instead of two (slot, then row).
#[derive(Clone, Copy, Default)]
#[repr(C, align(16))]
struct Slot {
    fp: u32,
    cls: [u8; INLINE],
    w: [i16; INLINE],
}

/// Pairs stored inside a slot.
const INLINE: usize = 4;
/// Class byte of an unused inline pair: indexes a score nobody reads (classes < 254).
const PAD_CLASS: u8 = 255;
/// `cls[0]` of a slot whose row lives outside the table.
const OVERFLOW: u8 = 254;
/// Largest class count a table can hold (class bytes 254 and 255 are markers).
pub const MAX_CLASSES: usize = 254;

/// Runtime weights: an open-addressing table (linear probing, load <= 1/2) from feature
/// hash to its `(class, i16 weight)` row. Scores are integer sums (multiply by `scale`
/// for units).
pub struct Weights {
    n_classes: usize,
    scale: f32,
    mask: usize,
    /// A key's home slot is its top bits (`key >> shift`): the file stores keys sorted,
    /// so loading fills the table front to back instead of missing cache on every key.
    shift: u32,
    slots: Vec<Slot>,
    keys_sorted: Vec<u64>,
    lens: Vec<u8>,
    entries: Vec<(u8, i16)>,
    /// Long rows (frequent features: tags, labels, distances) stored densely, one
    /// `n_classes` run each, as `i32` so summing them is plain vector adds (no widening);
    /// there are few such rows, so the doubled size stays in cache.
    dense: Vec<i32>,
}

/// Rows with at least this many classes are kept dense at run time.
const DENSE_MIN: u8 = 24;

/// Most features scored at once (longer inputs are scored in chunks).
const CHUNK: usize = 128;

#[inline]
fn fingerprint(k: u64) -> u32 {
    (k as u32) | 1
}

/// Asks the CPU to start loading `p`'s cache line (a hint: never faults, no effect on
/// results), so the misses of one decision's features overlap instead of queueing.
#[inline(always)]
fn prefetch<T>(p: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `_mm_prefetch` only hints the cache; it cannot fault or change memory,
    // and `p` is a valid reference anyway. SSE is part of the x86_64 baseline.
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>((p as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// A vector of `n` copies of `fill`, asking Linux to back it with 2 MiB pages first.
/// Scoring touches ~100 random slots per decision across tens of MiB; with 4 KiB pages
/// nearly every touch is also a TLB miss (a page walk that itself misses cache), which
/// measured as the larger part of parse time.
pub(crate) fn huge_vec<T: Copy>(n: usize, fill: T) -> Vec<T> {
    let mut v: Vec<T> = Vec::with_capacity(n);
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let bytes = n * std::mem::size_of::<T>();
        if bytes >= HUGE {
            let p = v.as_ptr() as usize;
            let start = (p + HUGE - 1) & !(HUGE - 1);
            let end = (p + bytes) & !(HUGE - 1);
            if end > start {
                // SAFETY: the range lies inside this vector's own allocation (rounded
                // inwards to whole huge pages); MADV_HUGEPAGE is advice that never
                // changes contents, and its failure only leaves normal pages.
                unsafe {
                    libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
                }
            }
        }
    }
    v.resize(n, fill);
    v
}

impl Weights {
    fn from_parts(
        n_classes: usize,
        scale: f32,
        keys: Vec<u64>,
        lens: Vec<u8>,
        entries: Vec<(u8, i16)>,
    ) -> Self {
        let cap = (keys.len() * 2).next_power_of_two().max(16);
        let mask = cap - 1;
        let shift = 64 - cap.trailing_zeros();
        let mut slots = huge_vec(cap, Slot::default());
        let mut dense = Vec::new();
        let mut start = 0usize;
        for (&k, &l) in keys.iter().zip(&lens) {
            let mut i = (k >> shift) as usize & mask;
            while slots[i].fp != 0 {
                i = (i + 1) & mask;
            }
            let row = entries.get(start..start + l as usize).unwrap_or(&[]);
            let mut s = Slot {
                fp: fingerprint(k),
                cls: [PAD_CLASS; INLINE],
                w: [0; INLINE],
            };
            if row.len() <= INLINE {
                for (j, &(c, w)) in row.iter().enumerate() {
                    s.cls[j] = c;
                    s.w[j] = w;
                }
            } else {
                let (at, len, is_dense) = if l >= DENSE_MIN {
                    let at = dense.len();
                    dense.resize(at + n_classes, 0i32);
                    for &(c, w) in row {
                        if let Some(x) = dense.get_mut(at + c as usize) {
                            *x = i32::from(w);
                        }
                    }
                    (at, n_classes, 1)
                } else {
                    (start, row.len(), 0)
                };
                s.cls = [OVERFLOW, PAD_CLASS, PAD_CLASS, PAD_CLASS];
                s.w = [
                    (at & 0xFFFF) as u16 as i16,
                    ((at >> 16) & 0xFFFF) as u16 as i16,
                    len as u16 as i16,
                    is_dense,
                ];
            }
            slots[i] = s;
            start += l as usize;
        }
        Weights {
            n_classes,
            scale,
            mask,
            shift,
            slots,
            keys_sorted: keys,
            lens,
            entries,
            dense,
        }
    }

    /// Number of classes scored.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Number of features with at least one weight.
    pub fn n_features(&self) -> usize {
        self.keys_sorted.len()
    }

    /// Drops weights smaller than `min_abs` (quantised units) and features left empty:
    /// rare features carry tiny averaged weights, and a smaller table stays in cache.
    pub fn prune(&self, min_abs: i16) -> Weights {
        let mut keys = Vec::new();
        let mut lens = Vec::new();
        let mut entries = Vec::new();
        let mut at = 0usize;
        for (&k, &l) in self.keys_sorted.iter().zip(&self.lens) {
            let row = &self.entries[at..at + l as usize];
            at += l as usize;
            let kept: Vec<(u8, i16)> = row
                .iter()
                .copied()
                .filter(|&(_, w)| w.unsigned_abs() >= min_abs.unsigned_abs())
                .collect();
            if !kept.is_empty() {
                keys.push(k);
                lens.push(kept.len() as u8);
                entries.extend(kept);
            }
        }
        Weights::from_parts(self.n_classes, self.scale, keys, lens, entries)
    }

    /// Adds the weights of `feats` to `scores` (caller zeroes). The slots of a chunk of
    /// features are prefetched first, then probed (inline rows summed at once), then the
    /// few rows stored outside the table are prefetched and summed, so cache misses
    /// overlap rather than follow one another.
    #[inline]
    pub fn score(&self, feats: &[u64], scores: &mut Scores) {
        let mut over = [(0u32, 0u16, false); CHUNK];
        let (mask, shift) = (self.mask, self.shift);
        let nc = self.n_classes;
        for chunk in feats.chunks(CHUNK) {
            for &f in chunk {
                prefetch(&self.slots[(f >> shift) as usize & mask]);
            }
            let mut n = 0;
            for &f in chunk {
                let fp = fingerprint(f);
                let mut i = (f >> shift) as usize & mask;
                loop {
                    let s = &self.slots[i];
                    if s.fp == fp {
                        if s.cls[0] == OVERFLOW {
                            let at = u32::from(s.w[0] as u16) | (u32::from(s.w[1] as u16) << 16);
                            let len = s.w[2] as u16;
                            let is_dense = s.w[3] == 1;
                            if is_dense {
                                if let Some(r) = self.dense.get(at as usize) {
                                    prefetch(r);
                                }
                            } else if let Some(r) = self.entries.get(at as usize) {
                                prefetch(r);
                            }
                            over[n] = (at, len, is_dense);
                            n += 1;
                        } else {
                            for j in 0..INLINE {
                                scores[s.cls[j] as usize] += i32::from(s.w[j]);
                            }
                        }
                        break;
                    }
                    if s.fp == 0 {
                        break;
                    }
                    i = (i + 1) & mask;
                }
            }
            for &(at, len, is_dense) in &over[..n] {
                let (a, l) = (at as usize, len as usize);
                if is_dense {
                    if let Some(row) = self.dense.get(a..a + nc) {
                        for (x, &w) in scores[..nc].iter_mut().zip(row) {
                            *x += w;
                        }
                    }
                } else if let Some(row) = self.entries.get(a..a + l) {
                    for &(c, w) in row {
                        scores[c as usize] += i32::from(w);
                    }
                }
            }
        }
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.u32(self.n_classes as u32);
        w.f32(self.scale);
        w.u32(self.keys_sorted.len() as u32);
        w.u32(self.entries.len() as u32);
        for &k in &self.keys_sorted {
            w.u64(k);
        }
        w.bytes(&self.lens);
        for &(c, x) in &self.entries {
            w.u8(c);
            w.bytes(&x.to_le_bytes());
        }
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Self, SyntaxError> {
        let n_classes = r.u32()? as usize;
        if n_classes == 0 || n_classes > MAX_CLASSES {
            return Err(SyntaxError::Format("class count out of range".into()));
        }
        let scale = r.f32()?;
        if !scale.is_finite() || scale <= 0.0 {
            return Err(SyntaxError::Format("bad weight scale".into()));
        }
        let n_keys = r.u32()? as usize;
        let n_entries = r.u32()? as usize;
        if n_keys.saturating_mul(8) > r.remaining() || n_entries.saturating_mul(3) > r.remaining() {
            return Err(SyntaxError::Format("weight table larger than the file".into()));
        }
        let kb = r.take(n_keys * 8)?;
        let keys: Vec<u64> = kb
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect();
        let lens = r.take(n_keys)?.to_vec();
        let total: usize = lens.iter().map(|&l| l as usize).sum();
        if total != n_entries || total > MAX_ENTRIES {
            return Err(SyntaxError::Format("row lengths do not match entries".into()));
        }
        let eb = r.take(n_entries * 3)?;
        let mut entries = Vec::with_capacity(n_entries);
        for c in eb.chunks_exact(3) {
            if c[0] as usize >= n_classes {
                return Err(SyntaxError::Format("class index out of range".into()));
            }
            entries.push((c[0], i16::from_le_bytes([c[1], c[2]])));
        }
        Ok(Weights::from_parts(n_classes, scale, keys, lens, entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagger::Rng;

    /// Scores straight from the sorted key list: what the slot tables must reproduce.
    fn reference(w: &Weights, feats: &[u64]) -> Vec<i32> {
        let mut out = vec![0i32; w.n_classes];
        let mut starts = Vec::with_capacity(w.lens.len());
        let mut at = 0usize;
        for &l in &w.lens {
            starts.push(at);
            at += l as usize;
        }
        for f in feats {
            if let Ok(k) = w.keys_sorted.binary_search(f) {
                let row = &w.entries[starts[k]..starts[k] + w.lens[k] as usize];
                for &(c, x) in row {
                    out[c as usize] += i32::from(x);
                }
            }
        }
        out
    }

    /// Trains random features with rows of every length (inline, overflow, dense) and
    /// checks the runtime table against the reference, for small and wide class counts.
    #[test]
    fn slot_tables_score_like_the_key_list() {
        for nc in [3usize, 40] {
            let mut tw = TrainWeights::new(nc);
            let mut rng = Rng(99);
            let keys: Vec<u64> = (0..3000).map(|_| rng.next()).collect();
            for step in 0..20000 {
                let k = keys[rng.below(keys.len())];
                // A few keys get many classes (long rows), most only a couple.
                let spread = if k % 7 == 0 { nc } else { 2.min(nc) };
                let truth = rng.below(spread);
                let guess = (truth + 1 + rng.below(nc - 1)) % nc;
                tw.update(&[k, keys[step % 50]], truth, guess);
                tw.tick();
            }
            let w = tw.finish();
            let mut probe: Vec<u64> = keys.iter().step_by(3).copied().collect();
            probe.extend((0..500).map(|_| rng.next())); // absent features
            let mut scores: Scores = [0; 256];
            for chunk in probe.chunks(97) {
                scores.iter_mut().for_each(|s| *s = 0);
                w.score(chunk, &mut scores);
                assert_eq!(&scores[..nc], &reference(&w, chunk)[..], "nc {nc}");
            }
            assert!(w.lens.iter().any(|&l| l as usize > INLINE) || nc <= INLINE);
        }
    }
}
