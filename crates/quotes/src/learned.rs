//! A learned tagger for reported content: an averaged perceptron that labels each token
//! `O` / `B` / `I` (begins / continues the content of an attribution), trained on PolNeAR
//! (`chronicle train quotes`). The rules find quotes whose cue they know how to read; this
//! tagger finds the reported clauses they miss ("has vowed to bring back ...", "praised the
//! protests ..."), and the stage keeps one of its spans only where a cue and a speaker can be
//! read around it and no rule quote already covers it.
//!
//! Features are hashed (FNV-1a over a feature id and its strings) into one weight row per
//! key; the model file stores quantised rows for the keys that survived pruning. Decoding is
//! greedy left to right with the previous tag as a feature, so the cost is linear in tokens.

use crate::Ctx;
use chronicle_core::TokenKind;
use std::sync::OnceLock;

/// O, B, I.
pub(crate) const N_TAGS: usize = 3;
const O: usize = 0;
const B: usize = 1;
const I: usize = 2;

const MAGIC: &[u8; 5] = b"CHQA1";
/// Bump when the features change: a model built for other features is refused on load.
const FEATURE_VERSION: u32 = 4;

/// Feature key -> weight row (keys are already hashes).
pub(crate) type KeyMap<V> = chronicle_core::words::IdMap<V>;

/// Sum of the rows of `feats` present in `rows`: a tag score vector.
fn sum_rows(rows: &KeyMap<[f32; N_TAGS]>, feats: &[u64]) -> [f32; N_TAGS] {
    let mut acc = [0f32; N_TAGS];
    for f in feats {
        if let Some(r) = rows.get(f) {
            for (a, w) in acc.iter_mut().zip(r) {
                *a += w;
            }
        }
    }
    acc
}

/// The trained weights.
pub struct AttributionModel {
    rows: KeyMap<[f32; N_TAGS]>,
    /// The rows of the features whose parts are small codes (shapes, cue scores, distances,
    /// the previous tag), laid out as arrays: decoding indexes them instead of hashing, which
    /// halves the tagger's time. Built from `rows`, so they hold the same weights.
    dense: Vec<Dense>,
}

/// One small-domain feature's rows as an array, indexed by its parts in mixed radix.
struct Dense {
    radix: &'static [u64],
    rows: Vec<[f32; N_TAGS]>,
}

/// The small-domain features: id and the number of values each part takes (see
/// [`SentenceView::features`]). `SHAPES` shape codes, `SCORES` cue scores, `DISTS` distance
/// buckets (0: no cue), `N_TAGS` previous tags.
const SHAPES: u64 = 10;
const SCORES: u64 = 7;
const DISTS: u64 = 7;
const TAGS: u64 = N_TAGS as u64;
const DENSE: &[(u64, &[u64])] = &[
    (0, &[]),
    (7, &[SHAPES]),
    (8, &[SCORES]),
    (9, &[SCORES]),
    (11, &[SCORES]),
    (12, &[DISTS]),
    (14, &[DISTS, TAGS]),
    (15, &[DISTS, 2, 2]),
    (16, &[DISTS]),
    (18, &[DISTS, TAGS]),
    (20, &[2, SHAPES]),
    (21, &[4]),
    (22, &[TAGS]),
    (24, &[TAGS, SCORES]),
    (25, &[TAGS, SHAPES]),
    (27, &[4, TAGS]),
];

impl Dense {
    fn build(rows: &KeyMap<[f32; N_TAGS]>, id: u64, radix: &'static [u64]) -> Dense {
        let n: u64 = radix.iter().product();
        let mut parts = vec![0u64; radix.len()];
        let table = (0..n)
            .map(|mut idx| {
                for (p, r) in parts.iter_mut().zip(radix).rev() {
                    *p = idx % r;
                    idx /= r;
                }
                rows.get(&mix(id, &parts)).copied().unwrap_or([0.0; N_TAGS])
            })
            .collect();
        Dense { radix, rows: table }
    }
}

/// Feature id -> its index in [`DENSE`], for the ids that have an array.
const DENSE_SLOTS: [Option<usize>; 32] = {
    let mut t = [None; 32];
    let mut i = 0;
    while i < DENSE.len() {
        t[DENSE[i].0 as usize] = Some(i);
        i += 1;
    }
    t
};

impl std::fmt::Debug for AttributionModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttributionModel")
            .field("features", &self.rows.len())
            .finish()
    }
}

const BUILTIN: &[u8] = include_bytes!("../data/attribution.model");

impl AttributionModel {
    /// The committed model, parsed once; `None` when the file is empty or was built for
    /// other features (the stage then runs on rules alone).
    pub fn builtin() -> Option<&'static AttributionModel> {
        static M: OnceLock<Option<AttributionModel>> = OnceLock::new();
        M.get_or_init(|| AttributionModel::from_bytes(BUILTIN).ok())
            .as_ref()
    }

    /// Number of weighted features.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Parses a model file written by [`AttributionModel::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Result<Self, String> {
        let head = MAGIC.len() + 4 + 4 + 4;
        if b.len() < head || &b[..MAGIC.len()] != MAGIC {
            return Err("not a chronicle attribution model".into());
        }
        let u32_at = |o: usize| -> Option<u32> {
            b.get(o..o + 4)
                .and_then(|s| <[u8; 4]>::try_from(s).ok())
                .map(u32::from_le_bytes)
        };
        let p = MAGIC.len();
        if u32_at(p) != Some(FEATURE_VERSION) {
            return Err("attribution model built for other features".into());
        }
        let scale = f32::from_bits(u32_at(p + 4).ok_or("truncated")?);
        let n = u32_at(p + 8).ok_or("truncated")? as usize;
        let rec = 8 + 2 * N_TAGS;
        if b.len() != head + n * rec {
            return Err("attribution model has the wrong length".into());
        }
        let mut rows: KeyMap<[f32; N_TAGS]> = KeyMap::default();
        rows.reserve(n);
        for r in b[head..].chunks_exact(rec) {
            let key = u64::from_le_bytes(<[u8; 8]>::try_from(&r[..8]).map_err(|_| "truncated")?);
            let mut row = [0f32; N_TAGS];
            for (t, v) in row.iter_mut().enumerate() {
                let o = 8 + 2 * t;
                let q = i16::from_le_bytes([r[o], r[o + 1]]);
                *v = f32::from(q) * scale;
            }
            rows.insert(key, row);
        }
        Ok(AttributionModel::new(rows))
    }

    fn new(rows: KeyMap<[f32; N_TAGS]>) -> AttributionModel {
        let dense = DENSE
            .iter()
            .map(|&(id, radix)| Dense::build(&rows, id, radix))
            .collect();
        AttributionModel { rows, dense }
    }

    /// Adds feature `id`'s row for `parts` to `acc`: from its array when it has one and the
    /// parts are in range, else from the hashed rows (the same weights either way).
    fn add(&self, acc: &mut [f32; N_TAGS], id: u64, parts: &[u64]) {
        let dense = DENSE_SLOTS
            .get(id as usize)
            .copied()
            .flatten()
            .and_then(|slot| self.dense.get(slot));
        // Mixed-radix index of the parts, `None` when one is out of its range.
        let index = |d: &Dense| -> Option<usize> {
            let mut idx = 0u64;
            for (&p, &r) in parts.iter().zip(d.radix) {
                if p >= r {
                    return None;
                }
                idx = idx * r + p;
            }
            Some(idx as usize)
        };
        let row = match dense.and_then(|d| index(d).map(|i| (d, i))) {
            Some((d, i)) => d.rows.get(i),
            None => self.rows.get(&mix(id, parts)),
        };
        if let Some(r) = row {
            for (a, w) in acc.iter_mut().zip(r) {
                *a += w;
            }
        }
    }

    /// Token `i`'s tag scores given the previous tag: the same sum as scoring
    /// [`SentenceView::features`], with the small-domain features read from arrays.
    fn fast_scores(&self, view: &SentenceView, i: usize, prev: usize) -> [f32; N_TAGS] {
        let mut acc = [0f32; N_TAGS];
        view.visit(i, prev, |id, parts| self.add(&mut acc, id, parts));
        acc
    }

    /// Quantised model file (16-bit weights, rows sorted by key so the file is
    /// deterministic).
    pub fn to_bytes(&self) -> Vec<u8> {
        let max = self
            .rows
            .values()
            .flat_map(|r| r.iter())
            .fold(0f32, |m, v| m.max(v.abs()))
            .max(1e-6);
        let scale = max / f32::from(i16::MAX);
        let mut keys: Vec<u64> = self.rows.keys().copied().collect();
        keys.sort_unstable();
        let mut out = Vec::with_capacity(17 + keys.len() * (8 + 2 * N_TAGS));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        out.extend_from_slice(&scale.to_bits().to_le_bytes());
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for k in keys {
            out.extend_from_slice(&k.to_le_bytes());
            let row = self.rows.get(&k).copied().unwrap_or([0.0; N_TAGS]);
            for v in row {
                let q = (v / scale).round().clamp(-32767.0, 32767.0) as i16;
                out.extend_from_slice(&q.to_le_bytes());
            }
        }
        out
    }

    /// Scores from hashed keys alone: the reference [`AttributionModel::fast_scores`] is
    /// tested against.
    #[cfg(test)]
    fn scores(&self, feats: &[u64]) -> [f32; N_TAGS] {
        sum_rows(&self.rows, feats)
    }

    /// Content spans `[a, b)` (token indices) the model finds, sentence by sentence,
    /// skipping sentences for which `skip(sentence)` is true (already quoted by the rules).
    pub(crate) fn spans(&self, ctx: &Ctx, skip: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        tag_sentences(
            ctx,
            skip,
            |view, i, prev| best_tag(&self.fast_scores(view, i, prev), prev),
            |sb, tags| collect_spans(tags, sb, &mut out),
        );
        out
    }
}

/// Greedy left-to-right tagging of the sentences the tagger runs on: those `skip` leaves
/// and that hold a word which could be a cue. `step(sentence, token, previous tag)` picks
/// each token's tag (decoding, or decoding and learning); `done(first token, tags)` receives
/// each sentence's tags.
fn tag_sentences(
    ctx: &Ctx,
    skip: impl Fn(usize) -> bool,
    mut step: impl FnMut(&SentenceView, usize, usize) -> usize,
    mut done: impl FnMut(usize, &[usize]),
) {
    let scores = cue_scores(ctx);
    let mut tags = Vec::new();
    for s in 0..ctx.doc.sentences.len() {
        if skip(s) {
            continue;
        }
        let (sb, se) = ctx.sent_bounds(s);
        if !scores.get(sb..se).unwrap_or(&[]).iter().any(|&x| x >= NEAR_CUE) {
            continue;
        }
        let view = SentenceView::new(ctx, sb, se, &scores);
        tags.clear();
        let mut prev = O;
        for i in sb..se {
            prev = step(&view, i, prev);
            tags.push(prev);
        }
        done(sb, &tags);
    }
}

/// The best tag that may follow `prev` (I never follows O).
fn best_tag(sc: &[f32; N_TAGS], prev: usize) -> usize {
    let mut best = O;
    for t in [B, I] {
        if t == I && prev == O {
            continue;
        }
        if sc[t] > sc[best] {
            best = t;
        }
    }
    best
}

fn collect_spans(tags: &[usize], sb: usize, out: &mut Vec<(usize, usize)>) {
    let mut start: Option<usize> = None;
    for (k, &t) in tags.iter().enumerate() {
        if t == B || (t == I && start.is_none()) {
            if let Some(a) = start.take() {
                out.push((sb + a, sb + k));
            }
            start = Some(k);
        } else if t == O {
            if let Some(a) = start.take() {
                out.push((sb + a, sb + k));
            }
        }
    }
    if let Some(a) = start {
        out.push((sb + a, sb + tags.len()));
    }
}

/// Per-sentence precomputation: each token's word hash, shape, cue score and nearest cue
/// on either side, so a token's features are a few integer mixes.
struct SentenceView {
    sb: usize,
    se: usize,
    word: Vec<u64>,
    shape: Vec<u64>,
    score: Vec<u8>,
    quoted: Vec<bool>,
    left: Vec<Option<usize>>,
    right: Vec<Option<usize>>,
    /// Word hashes of "that" and ",", for the between-cue-and-token features.
    that_after: Vec<bool>,
    comma_after: Vec<bool>,
}

/// Cue score at or above which a word counts as "a cue nearby" (and its sentence is
/// tagged): any word with a score, weak frequent cues included ("wants", "believe",
/// "support"; see `MIN_WEAK_CUE_USES`): a third of the reports the rules miss on PolNeAR dev
/// hang on such weak cues, and the tagger learns which of their uses report.
const NEAR_CUE: u8 = 1;

impl SentenceView {
    fn new(ctx: &Ctx, sb: usize, se: usize, scores: &[u8]) -> Self {
        let n = se.saturating_sub(sb);
        let mut word = Vec::with_capacity(n);
        let mut shape = Vec::with_capacity(n);
        let mut score = Vec::with_capacity(n);
        let mut quoted = Vec::with_capacity(n);
        for i in sb..se {
            let text = if ctx.is_word(i) { ctx.w(i) } else { ctx.raw(i) };
            word.push(hash_str(text));
            shape.push(shape_code(ctx, i));
            let sc = scores.get(i).copied().unwrap_or(0);
            // A capitalised cue mid-sentence is a name ("Said"); "According" may open.
            score.push(if ctx.is_cap(i) && i > sb { sc.min(1) } else { sc });
            quoted.push(ctx.quoted.get(i).is_some_and(|&q| q != 0));
        }
        let mut left = vec![None; n];
        let mut that_after = vec![false; n];
        let mut comma_after = vec![false; n];
        let mut last = None;
        let (mut seen_that, mut seen_comma) = (false, false);
        for k in 0..n {
            left[k] = last;
            that_after[k] = seen_that;
            comma_after[k] = seen_comma;
            if score[k] >= NEAR_CUE {
                last = Some(sb + k);
                seen_that = false;
                seen_comma = false;
            } else if ctx.w(sb + k) == "that" {
                seen_that = true;
            } else if ctx.raw(sb + k) == "," {
                seen_comma = true;
            }
        }
        let mut right = vec![None; n];
        let mut next = None;
        for k in (0..n).rev() {
            right[k] = next;
            if score[k] >= NEAR_CUE {
                next = Some(sb + k);
            }
        }
        SentenceView {
            sb,
            se,
            word,
            shape,
            score,
            quoted,
            left,
            right,
            that_after,
            comma_after,
        }
    }

    /// Token `i`'s feature parts, everything but the previous tag.
    fn parts(&self, i: usize) -> TokenParts {
        let k = i - self.sb;
        let n = self.se - self.sb;
        let at = |j: isize| -> Option<usize> {
            let x = k as isize + j;
            (x >= 0 && (x as usize) < n).then_some(x as usize)
        };
        const EDGE: u64 = 0x9e37_79b9_7f4a_7c15;
        let w = |j: isize| at(j).map_or(EDGE, |x| self.word[x]);
        let sc = |j: isize| at(j).map_or(0, |x| u64::from(self.score[x]));
        let dist = |d: usize| -> u64 {
            match d {
                0..=1 => 1,
                2 => 2,
                3 => 3,
                4..=6 => 4,
                7..=12 => 5,
                _ => 6,
            }
        };
        TokenParts {
            w: [w(-1), w(0), w(1)],
            sc: [sc(-1), sc(0), sc(1)],
            shape: self.shape[k],
            left: self.left[k].map(|j| {
                (
                    dist(i - j),
                    self.word[j - self.sb],
                    u64::from(self.that_after[k]),
                    u64::from(self.comma_after[k]),
                )
            }),
            right: self.right[k].map(|j| (dist(j - i), self.word[j - self.sb])),
            quoted: u64::from(self.quoted[k]),
            pos: if k == 0 {
                1
            } else if k + 1 == n {
                2
            } else {
                3
            },
            quarter: ((k * 4) / n.max(1)).min(3) as u64,
        }
    }

    /// Token `i`'s hashed feature keys given the previous tag (training reads these;
    /// decoding sums the same rows through [`AttributionModel::fast_scores`]).
    fn features(&self, i: usize, prev: usize, out: &mut Vec<u64>) {
        self.visit(i, prev, |id, parts| out.push(mix(id, parts)));
    }

    /// Calls `f(feature id, parts)` for each of token `i`'s features given the previous
    /// tag: the one list both training (hashed keys) and decoding (arrays) read.
    fn visit(&self, i: usize, prev: usize, mut f: impl FnMut(u64, &[u64])) {
        let t = self.parts(i);
        let p = prev as u64;
        f(0, &[]);
        f(1, &[t.w[1]]);
        f(2, &[t.w[0]]);
        f(3, &[t.w[2]]);
        f(6, &[t.w[0], t.w[1]]);
        f(7, &[t.shape]);
        f(8, &[t.sc[1]]);
        f(9, &[t.sc[0]]);
        f(11, &[t.sc[2]]);
        match t.left {
            Some((d, word, that, comma)) => {
                f(12, &[d]);
                f(13, &[d, word]);
                f(14, &[d, p]);
                f(15, &[d, that, comma]);
            }
            None => f(12, &[0]),
        }
        match t.right {
            Some((d, word)) => {
                f(16, &[d]);
                f(17, &[d, word]);
                f(18, &[d, p]);
            }
            None => f(16, &[0]),
        }
        f(20, &[t.quoted, t.shape]);
        f(21, &[t.pos]);
        f(22, &[p]);
        f(23, &[p, t.w[1]]);
        f(24, &[p, t.sc[1]]);
        f(25, &[p, t.shape]);
        f(27, &[t.quarter, p]);
    }
}

/// What a token's features are made of: neighbouring word hashes and cue scores (left,
/// self, right), its shape, the nearest cue on each side (distance bucket, word, and for
/// the left one whether "that" or a comma stands between), whether it is quoted, and where
/// it stands in the sentence.
struct TokenParts {
    w: [u64; 3],
    sc: [u64; 3],
    shape: u64,
    left: Option<(u64, u64, u64, u64)>,
    right: Option<(u64, u64)>,
    quoted: u64,
    pos: u64,
    quarter: u64,
}

/// Every token's cue score (0 for non-words), looked up once per document.
fn cue_scores(ctx: &Ctx) -> Vec<u8> {
    (0..ctx.toks.len()).map(|i| ctx.wc(i).score).collect()
}

fn shape_code(ctx: &Ctx, i: usize) -> u64 {
    match ctx.toks.get(i).map(|t| t.kind) {
        Some(TokenKind::Word) if ctx.is_cap(i) => 1,
        Some(TokenKind::Word) => 2,
        Some(TokenKind::Number) => 3,
        Some(TokenKind::Quote(_)) => 4,
        Some(TokenKind::Punct) => match ctx.raw(i) {
            "," => 5,
            "." | "?" | "!" => 6,
            ":" => 7,
            "(" | ")" => 8,
            _ => 9,
        },
        _ => 0,
    }
}

/// FNV-1a of a string.
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A feature key from its id and integer parts (word hashes, codes).
pub(crate) fn mix(id: u64, parts: &[u64]) -> u64 {
    let mut h = id.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for &x in parts {
        h = (h ^ x).wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
    }
    h
}

// ---- training ---------------------------------------------------------------------------

/// One training document: its token features per sentence are computed on the fly.
pub(crate) struct TrainDoc {
    pub(crate) doc: chronicle_core::Document,
    /// Gold tag per token.
    pub(crate) gold: Vec<u8>,
}

/// Rows whose averaged weights all stay below this (in perceptron update units) are
/// dropped: on PolNeAR dev this keeps a sixth of the features at the same F1.
const PRUNE_BELOW: f32 = 1.5;

/// Averaged-perceptron state.
struct Weights {
    w: KeyMap<[f32; N_TAGS]>,
    /// Sum of updates weighted by the time they were made (for averaging).
    u: KeyMap<[f32; N_TAGS]>,
    time: f32,
}

impl Weights {
    fn scores(&self, feats: &[u64]) -> [f32; N_TAGS] {
        sum_rows(&self.w, feats)
    }
    fn update(&mut self, feats: &[u64], gold: usize, pred: usize) {
        for f in feats {
            let r = self.w.entry(*f).or_insert([0.0; N_TAGS]);
            r[gold] += 1.0;
            r[pred] -= 1.0;
            let u = self.u.entry(*f).or_insert([0.0; N_TAGS]);
            u[gold] += self.time;
            u[pred] -= self.time;
        }
    }
    /// Averaged weights, pruned of near-zero rows.
    fn averaged(&self) -> AttributionModel {
        let mut rows: KeyMap<[f32; N_TAGS]> = KeyMap::default();
        for (k, w) in &self.w {
            let u = self.u.get(k).copied().unwrap_or([0.0; N_TAGS]);
            let mut r = [0f32; N_TAGS];
            let mut big = false;
            for t in 0..N_TAGS {
                r[t] = w[t] - u[t] / self.time.max(1.0);
                big |= r[t].abs() >= PRUNE_BELOW;
            }
            if big {
                rows.insert(*k, r);
            }
        }
        AttributionModel::new(rows)
    }
}

/// Trains on `train` for `epochs` passes (deterministic shuffle from `seed`), calling
/// `score` with each epoch's averaged model; returns the model `score` rated highest.
pub(crate) fn train(
    train: &[TrainDoc],
    parse: Option<&crate::ParseAttributionModel>,
    epochs: usize,
    seed: u64,
    mut score: impl FnMut(usize, &AttributionModel) -> f64,
) -> Option<(AttributionModel, usize, f64)> {
    let mut wts = Weights {
        w: KeyMap::default(),
        u: KeyMap::default(),
        time: 1.0,
    };
    // Train where the tagger will run: sentences the rules leave unquoted (computed once,
    // not per epoch).
    let covered: Vec<Vec<bool>> = train
        .iter()
        .map(|td| {
            let mut ctx = Ctx::new(&td.doc);
            ctx.parse_model = parse;
            let (rule_quotes, _) = ctx.extract();
            let mut taken: Vec<chronicle_core::Span> =
                rule_quotes.iter().flat_map(|q| q.pieces().to_vec()).collect();
            taken.sort_unstable();
            crate::covered_sentences(&td.doc, &taken)
        })
        .collect();
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut feats: Vec<u64> = Vec::with_capacity(48);
    let mut rng = seed | 1;
    let mut best: Option<(AttributionModel, usize, f64)> = None;
    for epoch in 1..=epochs.max(1) {
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let j = (rng % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &di in &order {
            let (Some(td), Some(covered)) = (train.get(di), covered.get(di)) else {
                continue;
            };
            let mut ctx = Ctx::new(&td.doc);
            ctx.pair_marks(&mut Vec::new());
            let skip = |s: usize| covered.get(s).copied().unwrap_or(false);
            // Learn on the model's own history (as it will decode).
            let step = |view: &SentenceView, i: usize, prev: usize| {
                feats.clear();
                view.features(i, prev, &mut feats);
                let pred = best_tag(&wts.scores(&feats), prev);
                let gold = td.gold.get(i).copied().unwrap_or(0) as usize;
                if pred != gold {
                    wts.update(&feats, gold, pred);
                }
                wts.time += 1.0;
                pred
            };
            tag_sentences(&ctx, skip, step, |_, _| {});
        }
        let model = wts.averaged();
        let f = score(epoch, &model);
        if best.as_ref().is_none_or(|b| f > b.2) {
            best = Some((model, epoch, f));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_core::{Document, Stage};

    fn doc(t: &str) -> Document {
        let mut d = Document::new("t", t, None);
        chronicle_text::TextStage::new().run(&mut d);
        d
    }

    #[test]
    fn builtin_loads_and_survives_a_round_trip() {
        let m = AttributionModel::builtin().expect("crates/quotes/data/attribution.model loads");
        assert!(m.len() > 1000, "{} features", m.len());
        let again = AttributionModel::from_bytes(&m.to_bytes()).expect("round trip");
        assert_eq!(again.len(), m.len());
        let d = doc("Officials praised the deal as a breakthrough, and the minister vowed to sign it soon.");
        let ctx = Ctx::new(&d);
        assert_eq!(m.spans(&ctx, |_| false), again.spans(&ctx, |_| false));
    }

    #[test]
    fn bad_model_files_are_refused() {
        assert!(AttributionModel::from_bytes(b"").is_err());
        assert!(AttributionModel::from_bytes(b"CHQA1garbage-garbage").is_err());
        if let Some(m) = AttributionModel::builtin() {
            let mut b = m.to_bytes();
            b.truncate(b.len() - 3);
            assert!(AttributionModel::from_bytes(&b).is_err());
            let mut b = m.to_bytes();
            b[5] ^= 0xff; // feature version
            assert!(AttributionModel::from_bytes(&b).is_err());
        }
    }

    #[test]
    fn the_tagger_adds_a_report_the_rules_miss() {
        let d = doc("The senator praised the protesters for being largely peaceful and calm on Thursday.");
        let (rules, _) = Ctx::new(&d).extract();
        assert!(rules.is_empty(), "the rules alone see no report here");
        let mut ctx = Ctx::new(&d);
        ctx.model = AttributionModel::builtin();
        let (q, _) = ctx.extract();
        assert_eq!(q.len(), 1);
        assert_eq!(
            d.slice(q[0].span),
            "the protesters for being largely peaceful and calm on Thursday"
        );
        assert_eq!(q[0].speaker_span.map(|s| d.slice(s)), Some("The senator"));
        assert_eq!(q[0].cue.map(|s| d.slice(s)), Some("praised"));
    }

    #[test]
    fn array_scores_equal_hashed_scores() {
        let m = AttributionModel::builtin().expect("model");
        let d = doc("“We will not sign,” the minister said on Tuesday. Officials praised the deal as a breakthrough, and analysts warned that prices would rise. He wants to run again, according to aides who plan a campaign.");
        let ctx = Ctx::new(&d);
        let mut feats = Vec::new();
        let mut checked = 0;
        tag_sentences(
            &ctx,
            |_| false,
            |view, i, prev| {
                for p in [O, B, I] {
                    feats.clear();
                    view.features(i, p, &mut feats);
                    let (slow, fast) = (m.scores(&feats), m.fast_scores(view, i, p));
                    for t in 0..N_TAGS {
                        assert!(
                            (slow[t] - fast[t]).abs() <= 1e-3 * (1.0 + slow[t].abs()),
                            "token {i}: {slow:?} vs {fast:?}"
                        );
                    }
                    checked += 1;
                }
                best_tag(&m.fast_scores(view, i, prev), prev)
            },
            |_, _| {},
        );
        assert!(checked > 30, "{checked} tokens checked");
    }

    #[test]
    fn sentences_without_a_cue_are_not_tagged() {
        let d = doc("The weather was mild. Markets rose sharply in early trading.");
        let ctx = Ctx::new(&d);
        let m = AttributionModel::builtin().expect("model");
        assert!(m.spans(&ctx, |_| false).is_empty());
    }
}
