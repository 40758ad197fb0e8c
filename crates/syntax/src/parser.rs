//! Labelled dependency parser: greedy arc-hybrid transition system (Kuhlmann et al.
//! 2011) with an averaged perceptron over Zhang & Nivre (2011)-style features, trained
//! with the dynamic oracle of Goldberg & Nivre (2013) so it learns to recover from its own
//! mistakes. Output trees are projective; non-projective training trees are lifted first.
//!
//! Tokens are numbered 0 (the artificial root, at the bottom of the stack) to n.
//! Transitions: SHIFT moves the buffer front onto the stack; LEFT(l) attaches the stack
//! top to the buffer front and pops it; RIGHT(l) attaches the stack top to the item below
//! it and pops it. The root arc is made last (only RIGHT may attach to token 0, and only
//! when it is the final move), so every tree has exactly one root word.

use crate::bin::{Reader, Writer};
use crate::hash::{finish, mix};
use crate::perceptron::{Scores, TrainWeights, Weights};
use crate::tagger::Rng;
use crate::SyntaxError;

/// "No token" / "no head".
pub const NONE: u32 = u32::MAX;
const NO_LABEL: u16 = u16::MAX;
const PAD: u64 = 0xFFFF_0101;

/// The dependency relations (with subtypes, e.g. `nsubj:pass`), sorted.
#[derive(Clone, Debug, Default)]
pub struct LabelSet {
    pub names: Vec<String>,
    pub root: u16,
}

impl LabelSet {
    /// From the relation names in training data; must include `root`.
    pub fn new(mut names: Vec<String>) -> Result<Self, SyntaxError> {
        names.sort();
        names.dedup();
        if names.len() > 126 {
            return Err(SyntaxError::Format("more than 126 relation labels".into()));
        }
        let root = names
            .iter()
            .position(|n| n == "root")
            .ok_or_else(|| SyntaxError::Format("no `root` relation".into()))? as u16;
        Ok(LabelSet { names, root })
    }

    pub fn id(&self, name: &str) -> Option<u16> {
        self.names
            .binary_search_by(|n| n.as_str().cmp(name))
            .ok()
            .map(|i| i as u16)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }
}

/// Move kinds (class = 0 for SHIFT, 1 + 2l for LEFT(l), 2 + 2l for RIGHT(l)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Shift,
    Left(u16),
    Right(u16),
}

impl Move {
    #[cfg(test)]
    pub fn class(self) -> usize {
        match self {
            Move::Shift => 0,
            Move::Left(l) => 1 + 2 * l as usize,
            Move::Right(l) => 2 + 2 * l as usize,
        }
    }
    pub fn from_class(c: usize) -> Move {
        if c == 0 {
            Move::Shift
        } else if c % 2 == 1 {
            Move::Left(((c - 1) / 2) as u16)
        } else {
            Move::Right(((c - 2) / 2) as u16)
        }
    }
}

/// Parser configuration.
#[derive(Default)]
pub struct State {
    n: usize,
    pub stack: Vec<u32>,
    /// Buffer front (1..=n; n + 1 when empty).
    pub b: usize,
    pub head: Vec<u32>,
    pub label: Vec<u16>,
    l1: Vec<u32>,
    l2: Vec<u32>,
    r1: Vec<u32>,
    r2: Vec<u32>,
    nl: Vec<u8>,
    nr: Vec<u8>,
    lset: Vec<u64>,
    rset: Vec<u64>,
    on_stack: Vec<bool>,
}

impl State {
    /// Resets to the initial configuration for `n` words.
    pub fn reset(&mut self, n: usize) {
        self.n = n;
        self.stack.clear();
        self.stack.push(0);
        self.b = 1;
        let m = n + 1;
        for v in [
            &mut self.head,
            &mut self.l1,
            &mut self.l2,
            &mut self.r1,
            &mut self.r2,
        ] {
            v.clear();
            v.resize(m, NONE);
        }
        self.label.clear();
        self.label.resize(m, NO_LABEL);
        for v in [&mut self.nl, &mut self.nr] {
            v.clear();
            v.resize(m, 0);
        }
        for v in [&mut self.lset, &mut self.rset] {
            v.clear();
            v.resize(m, 0);
        }
        self.on_stack.clear();
        self.on_stack.resize(m, false);
        self.on_stack[0] = true;
    }

    pub fn terminal(&self) -> bool {
        self.b > self.n && self.stack.len() == 1
    }

    fn s(&self, k: usize) -> u32 {
        let l = self.stack.len();
        if k < l {
            self.stack[l - 1 - k]
        } else {
            NONE
        }
    }

    fn nb(&self, k: usize) -> u32 {
        let i = self.b + k;
        if i <= self.n {
            i as u32
        } else {
            NONE
        }
    }

    /// Which move kinds are legal now: (shift, left, right).
    pub fn legal(&self) -> (bool, bool, bool) {
        let sl = self.stack.len();
        let buf = self.b <= self.n;
        let shift = buf;
        let left = buf && sl >= 2;
        let right = sl >= 3 || (sl == 2 && !buf);
        (shift, left, right)
    }

    /// Whether class `c` is legal (including the root-label rule).
    pub fn legal_class(&self, c: usize, legal: (bool, bool, bool), root: u16) -> bool {
        match Move::from_class(c) {
            Move::Shift => legal.0,
            Move::Left(l) => legal.1 && l != root,
            Move::Right(l) => legal.2 && ((self.s(1) == 0) == (l == root)),
        }
    }

    fn add_arc(&mut self, h: u32, d: u32, l: u16) {
        let (hu, du) = (h as usize, d as usize);
        self.head[du] = h;
        self.label[du] = l;
        let bit = 1u64 << (l % 64);
        if d < h {
            if self.l1[hu] == NONE || d < self.l1[hu] {
                self.l2[hu] = self.l1[hu];
                self.l1[hu] = d;
            } else if self.l2[hu] == NONE || d < self.l2[hu] {
                self.l2[hu] = d;
            }
            self.nl[hu] = self.nl[hu].saturating_add(1);
            self.lset[hu] |= bit;
        } else {
            if self.r1[hu] == NONE || d > self.r1[hu] {
                self.r2[hu] = self.r1[hu];
                self.r1[hu] = d;
            } else if self.r2[hu] == NONE || d > self.r2[hu] {
                self.r2[hu] = d;
            }
            self.nr[hu] = self.nr[hu].saturating_add(1);
            self.rset[hu] |= bit;
        }
    }

    /// Applies a move (the caller checked it is legal).
    pub fn apply(&mut self, m: Move) {
        match m {
            Move::Shift => {
                self.stack.push(self.b as u32);
                self.on_stack[self.b] = true;
                self.b += 1;
            }
            Move::Left(l) => {
                let s0 = self.stack.pop().unwrap_or(0);
                self.on_stack[s0 as usize] = false;
                self.add_arc(self.b as u32, s0, l);
            }
            Move::Right(l) => {
                let s0 = self.stack.pop().unwrap_or(0);
                self.on_stack[s0 as usize] = false;
                let s1 = self.s(0);
                self.add_arc(s1, s0, l);
            }
        }
    }

    /// Dynamic-oracle costs of the unlabelled moves (shift, left, right): how many gold
    /// arcs still reachable become unreachable (Goldberg & Nivre 2013, arc-hybrid).
    /// `gh` are gold heads (index 0 unused), `gch` gold children per token.
    pub fn costs(&self, gh: &[u32], gch: &[Vec<u32>]) -> (u32, u32, u32) {
        let b = self.b;
        let s0 = self.s(0);
        let s1 = self.s(1);
        let mut shift = 0;
        if b <= self.n {
            let hb = gh[b];
            if hb != s0 && self.on_stack[hb as usize] {
                shift += 1;
            }
            shift += gch[b].iter().filter(|&&c| self.on_stack[c as usize]).count() as u32;
        }
        let (mut left, mut right) = (0, 0);
        if s0 != NONE && s0 != 0 {
            let h = gh[s0 as usize];
            let deps_in_buf = gch[s0 as usize].iter().filter(|&&c| c as usize >= b).count() as u32;
            // LEFT: head b; loses a head in s1 or later in the buffer.
            left = deps_in_buf + u32::from(h as usize != b && (h == s1 || h as usize > b));
            // RIGHT: head s1; loses a head anywhere in the buffer.
            right = deps_in_buf + u32::from(h != NONE && h as usize >= b);
        }
        (shift, left, right)
    }

    /// Cost of one labelled class.
    pub fn class_cost(&self, c: usize, costs: (u32, u32, u32), gh: &[u32], gl: &[u16]) -> u32 {
        let s0 = self.s(0);
        match Move::from_class(c) {
            Move::Shift => costs.0,
            Move::Left(l) => costs.1 + u32::from(gh[s0 as usize] as usize == self.b && gl[s0 as usize] != l),
            Move::Right(l) => costs.2 + u32::from(gh[s0 as usize] == self.s(1) && gl[s0 as usize] != l),
        }
    }
}

/// Static oracle (for tests): the canonical gold move sequence of a projective tree.
#[cfg(test)]
pub fn static_move(st: &State, gh: &[u32], gl: &[u16], gch: &[Vec<u32>]) -> Move {
    let s0 = st.s(0);
    let s1 = st.s(1);
    let done = |t: u32| gch[t as usize].iter().all(|&c| st.head[c as usize] != NONE);
    if st.stack.len() >= 2 && s0 != 0 {
        if st.b <= st.n && gh[s0 as usize] as usize == st.b && done(s0) {
            return Move::Left(gl[s0 as usize]);
        }
        if gh[s0 as usize] == s1 && done(s0) && (s1 != 0 || (st.b > st.n && st.stack.len() == 2)) {
            return Move::Right(gl[s0 as usize]);
        }
    }
    Move::Shift
}

/// Lifts non-projective arcs (to the head's head, shortest arc first) until the tree is
/// projective. `heads[0]` is unused.
pub fn projectivise(heads: &mut [u32]) {
    let n = heads.len();
    let dominated = |heads: &[u32], h: u32, mut k: u32| -> bool {
        for _ in 0..n {
            if k == h {
                return true;
            }
            if k == 0 || k == NONE {
                return false;
            }
            k = heads[k as usize];
        }
        false
    };
    for _round in 0..n * 2 {
        let mut worst: Option<(usize, usize)> = None;
        for d in 1..n {
            let h = heads[d];
            if h == 0 || h == NONE {
                continue;
            }
            let (lo, hi) = if (h as usize) < d {
                (h as usize, d)
            } else {
                (d, h as usize)
            };
            if (lo + 1..hi).any(|k| !dominated(heads, h, k as u32))
                && worst.is_none_or(|(_, span)| hi - lo < span)
            {
                worst = Some((d, hi - lo));
            }
        }
        match worst {
            Some((d, _)) => {
                let h = heads[d] as usize;
                heads[d] = heads[h];
            }
            None => return,
        }
    }
}

#[inline]
fn f1(t: u64, a: u64) -> u64 {
    finish(mix(mix(t, a), 0x61))
}
#[inline]
fn f2(t: u64, a: u64, b: u64) -> u64 {
    finish(mix(mix(mix(t, a), b), 0x62))
}
#[inline]
fn f3(t: u64, a: u64, b: u64, c: u64) -> u64 {
    finish(mix(mix(mix(mix(t, a), b), c), 0x63))
}
#[inline]
fn f4(t: u64, a: u64, b: u64, c: u64, d: u64) -> u64 {
    finish(mix(mix(mix(mix(mix(t, a), b), c), d), 0x64))
}

/// Per-token inputs: word (lowercase hash), tag class and word cluster, index 0 = root.
pub struct Inputs<'a> {
    pub words: &'a [u64],
    pub tags: &'a [u64],
    pub clusters: &'a [u64],
    /// Coarse word cluster per token.
    pub coarse: &'a [u64],
    /// Hash of the last three letters per token (for words the weights never saw).
    pub suffix: &'a [u64],
}

fn dist_bucket(a: u32, b: u32) -> u64 {
    if a == NONE || b == NONE {
        return 9;
    }
    let d = b.abs_diff(a);
    match d {
        0..=4 => u64::from(d),
        5..=9 => 5,
        _ => 6,
    }
}

/// Feature hashes of a configuration.
pub(crate) fn features(st: &State, x: &Inputs, out: &mut Vec<u64>) {
    out.clear();
    let w = |t: u32| if t == NONE { PAD } else { x.words[t as usize] };
    let p = |t: u32| if t == NONE { PAD } else { x.tags[t as usize] };
    let cl = |t: u32| if t == NONE { PAD } else { x.clusters[t as usize] };
    let co = |t: u32| if t == NONE { PAD } else { x.coarse[t as usize] };
    let sf = |t: u32| if t == NONE { PAD } else { x.suffix[t as usize] };
    let lab = |t: u32| {
        if t == NONE || st.label[t as usize] == NO_LABEL {
            PAD
        } else {
            u64::from(st.label[t as usize])
        }
    };
    let ch = |v: &Vec<u32>, t: u32| if t == NONE { NONE } else { v[t as usize] };
    let s0 = st.s(0);
    let s1 = st.s(1);
    let s2 = st.s(2);
    let n0 = st.nb(0);
    let n1 = st.nb(1);
    let n2 = st.nb(2);
    let s0l1 = ch(&st.l1, s0);
    let s0l2 = ch(&st.l2, s0);
    let s0r1 = ch(&st.r1, s0);
    let s0r2 = ch(&st.r2, s0);
    let n0l1 = ch(&st.l1, n0);
    let n0l2 = ch(&st.l2, n0);
    let s1l1 = ch(&st.l1, s1);
    let s1r1 = ch(&st.r1, s1);
    let (s0w, s0p, s1w, s1p, s2w, s2p) = (w(s0), p(s0), w(s1), p(s1), w(s2), p(s2));
    let (n0w, n0p, n1w, n1p, n2w, n2p) = (w(n0), p(n0), w(n1), p(n1), w(n2), p(n2));
    let d = dist_bucket(s0, n0);
    let d01 = dist_bucket(s1, s0);
    let val = |v: &Vec<u8>, t: u32| if t == NONE { 99 } else { u64::from(v[t as usize]) };
    let set = |v: &Vec<u64>, t: u32| if t == NONE { PAD } else { v[t as usize] };
    let (s0vl, s0vr, n0vl, s1vl, s1vr) = (
        val(&st.nl, s0),
        val(&st.nr, s0),
        val(&st.nl, n0),
        val(&st.nl, s1),
        val(&st.nr, s1),
    );
    let (s0sl, s0sr, n0sl) = (set(&st.lset, s0), set(&st.rset, s0), set(&st.lset, n0));
    out.extend_from_slice(&[
        f1(1, s0w),
        f1(2, s0p),
        f2(3, s0w, s0p),
        f1(4, s1w),
        f1(5, s1p),
        f2(6, s1w, s1p),
        f1(7, n0w),
        f1(8, n0p),
        f2(9, n0w, n0p),
        f1(10, n1w),
        f1(11, n1p),
        f2(12, n1w, n1p),
        f1(13, n2w),
        f1(14, n2p),
        f1(15, s2p),
        f1(16, s2w),
        f4(17, s0w, s0p, n0w, n0p),
        f3(18, s0w, s0p, n0w),
        f3(19, s0w, n0w, n0p),
        f3(20, s0w, s0p, n0p),
        f3(21, s0p, n0w, n0p),
        f2(22, s0w, n0w),
        f2(23, s0p, n0p),
        f2(24, n0p, n1p),
        f2(25, s0w, s1w),
        f2(26, s0p, s1p),
        f3(27, s1p, s0p, n0p),
        f3(28, n0p, n1p, n2p),
        f3(29, s0p, n0p, n1p),
        f3(30, s0p, p(s0l1), n0p),
        f3(31, s0p, p(s0r1), n0p),
        f3(32, s0p, n0p, p(n0l1)),
        f3(33, s0p, p(s0l1), p(s0l2)),
        f3(34, s0p, p(s0r1), p(s0r2)),
        f3(35, n0p, p(n0l1), p(n0l2)),
        f3(36, s1p, p(s1r1), s0p),
        f3(37, s2p, s1p, s0p),
        f2(38, s0w, d),
        f2(39, s0p, d),
        f2(40, n0w, d),
        f2(41, n0p, d),
        f3(42, s0w, n0w, d),
        f3(43, s0p, n0p, d),
        f3(44, s1p, s0p, d01),
        f3(45, s1w, s0w, d01),
        f2(46, s0w, s0vr),
        f2(47, s0p, s0vr),
        f2(48, s0w, s0vl),
        f2(49, s0p, s0vl),
        f2(50, n0w, n0vl),
        f2(51, n0p, n0vl),
        f2(52, s1p, s1vr),
        f2(53, s1p, s1vl),
        f1(54, w(s0l1)),
        f1(55, p(s0l1)),
        f1(56, lab(s0l1)),
        f1(57, w(s0r1)),
        f1(58, p(s0r1)),
        f1(59, lab(s0r1)),
        f1(60, w(n0l1)),
        f1(61, p(n0l1)),
        f1(62, lab(n0l1)),
        f1(63, w(s0l2)),
        f1(64, p(s0l2)),
        f1(65, lab(s0l2)),
        f1(66, w(s0r2)),
        f1(67, p(s0r2)),
        f1(68, lab(s0r2)),
        f1(69, w(n0l2)),
        f1(70, p(n0l2)),
        f1(71, lab(n0l2)),
        f2(72, p(s1l1), lab(s1l1)),
        f2(73, p(s1r1), lab(s1r1)),
        f2(74, s0w, s0sr),
        f2(75, s0p, s0sr),
        f2(76, s0w, s0sl),
        f2(77, s0p, s0sl),
        f2(78, n0w, n0sl),
        f2(79, n0p, n0sl),
        f3(80, s0p, lab(s0l1), lab(s0r1)),
        f3(81, s1p, s0w, n0p),
        f3(82, s1w, s0p, n0p),
        f3(83, s0p, n0w, n1p),
        f1(84, cl(s0)),
        f1(85, cl(n0)),
        f1(86, cl(n1)),
        f1(87, cl(s1)),
        f2(88, cl(s0), cl(n0)),
        f2(89, cl(s0), n0p),
        f2(90, s0p, cl(n0)),
        f2(91, sf(s0), s0p),
        f2(92, sf(n0), n0p),
        f2(93, co(s0), co(n0)),
        f4(94, s1p, s0p, n0p, n1p),
        f3(95, s0p, lab(s0l1), lab(s0l2)),
        f3(96, n0p, p(n0l1), lab(n0l1)),
        f3(97, co(s1), co(s0), n0p),
    ]);
}

/// The trained parser.
pub struct Parser {
    pub(crate) labels: LabelSet,
    weights: Weights,
}

/// Reusable buffers for parsing.
pub struct ParseScratch {
    st: State,
    feats: Vec<u64>,
    scores: Box<Scores>,
}

impl Default for ParseScratch {
    fn default() -> Self {
        ParseScratch {
            st: State::default(),
            feats: Vec::with_capacity(96),
            scores: Box::new([0; 256]),
        }
    }
}

impl Parser {
    /// The relation labels.
    pub fn labels(&self) -> &LabelSet {
        &self.labels
    }

    pub fn n_features(&self) -> usize {
        self.weights.n_features()
    }

    /// The same parser without weights smaller than `min_abs` (quantised units).
    pub fn pruned(&self, min_abs: i16) -> Parser {
        Parser {
            labels: self.labels.clone(),
            weights: self.weights.prune(min_abs),
        }
    }

    /// Parses one sentence; `heads`/`labels` get one entry per word (heads 0 = root).
    pub fn parse_into(&self, x: &Inputs, heads: &mut Vec<u32>, labels: &mut Vec<u16>, sc: &mut ParseScratch) {
        let n = x.words.len() - 1;
        let nc = self.weights.n_classes();
        sc.st.reset(n);
        while !sc.st.terminal() {
            features(&sc.st, x, &mut sc.feats);
            sc.scores.iter_mut().for_each(|s| *s = 0);
            self.weights.score(&sc.feats, &mut sc.scores);
            let legal = sc.st.legal();
            let mut best = usize::MAX;
            for c in 0..nc {
                if sc.st.legal_class(c, legal, self.labels.root)
                    && (best == usize::MAX || sc.scores[c] > sc.scores[best])
                {
                    best = c;
                }
            }
            if best == usize::MAX {
                break;
            }
            sc.st.apply(Move::from_class(best));
        }
        heads.clear();
        labels.clear();
        for d in 1..=n {
            let h = sc.st.head[d];
            heads.push(if h == NONE { 0 } else { h });
            let l = sc.st.label[d];
            labels.push(if l == NO_LABEL { self.labels.root } else { l });
        }
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.u32(self.labels.len() as u32);
        for l in &self.labels.names {
            w.str(l);
        }
        self.weights.write(w);
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Self, SyntaxError> {
        let n = r.u32()? as usize;
        if n > 126 {
            return Err(SyntaxError::Format("label count out of range".into()));
        }
        let mut names = Vec::with_capacity(n);
        for _ in 0..n {
            names.push(r.str()?.to_string());
        }
        let labels = LabelSet::new(names)?;
        let weights = Weights::read(r)?;
        if weights.n_classes() != 1 + 2 * labels.len() {
            return Err(SyntaxError::Format("parser weights and labels disagree".into()));
        }
        Ok(Parser { labels, weights })
    }
}

/// Original gold heads and relations of a sentence (index 0 unused).
pub(crate) type GoldTree = (Vec<u32>, Vec<String>);

/// One training sentence for the parser.
pub(crate) struct ParseExample {
    pub words: Vec<u64>,
    pub tags: Vec<u64>,
    pub clusters: Vec<u64>,
    pub coarse: Vec<u64>,
    pub suffix: Vec<u64>,
    /// Projectivised gold heads and labels (index 0 unused).
    pub gh: Vec<u32>,
    pub gl: Vec<u16>,
    pub gch: Vec<Vec<u32>>,
}

impl ParseExample {
    /// `attrs` are the per-token word cluster, coarse cluster and suffix hashes.
    pub fn new(
        words: Vec<u64>,
        tags: Vec<u64>,
        attrs: [Vec<u64>; 3],
        mut gh: Vec<u32>,
        gl: Vec<u16>,
    ) -> Self {
        let [clusters, coarse, suffix] = attrs;
        projectivise(&mut gh);
        let mut gch = vec![Vec::new(); gh.len()];
        for d in 1..gh.len() {
            let h = gh[d];
            if (h as usize) < gh.len() {
                gch[h as usize].push(d as u32);
            }
        }
        ParseExample {
            words,
            tags,
            clusters,
            coarse,
            suffix,
            gh,
            gl,
            gch,
        }
    }
}

/// Unlabelled and labelled attachment counts of `parser` on examples with original
/// (not projectivised) gold heads, comparing universal relations.
pub(crate) fn attachment(parser: &Parser, exs: &[ParseExample], gold: &[GoldTree]) -> (f64, f64) {
    let mut sc = ParseScratch::default();
    let (mut heads, mut labels) = (Vec::new(), Vec::new());
    let (mut u, mut l, mut n) = (0usize, 0usize, 0usize);
    for (ex, (gh, gl)) in exs.iter().zip(gold) {
        let x = Inputs {
            words: &ex.words,
            tags: &ex.tags,
            clusters: &ex.clusters,
            coarse: &ex.coarse,
            suffix: &ex.suffix,
        };
        parser.parse_into(&x, &mut heads, &mut labels, &mut sc);
        for i in 0..heads.len() {
            n += 1;
            if heads[i] == gh[i + 1] {
                u += 1;
                let pl = &parser.labels.names[labels[i] as usize];
                if crate::eval::universal(pl) == crate::eval::universal(&gl[i + 1]) {
                    l += 1;
                }
            }
        }
    }
    let n = n.max(1) as f64;
    (u as f64 / n, l as f64 / n)
}

/// Trains the parser with the dynamic oracle; keeps the epoch with the best dev LAS.
#[allow(clippy::too_many_arguments)]
pub(crate) fn train(
    labels: &LabelSet,
    train: &[ParseExample],
    dev: Option<(&[ParseExample], &[GoldTree])>,
    epochs: usize,
    seed: u64,
    explore_from: usize,
    log: &mut dyn FnMut(String),
) -> Parser {
    let nc = 1 + 2 * labels.len();
    let mut tw = TrainWeights::new(nc);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = Rng(seed | 1);
    let mut st = State::default();
    let mut feats = Vec::new();
    let mut scores = vec![0f32; nc];
    let mut best: Option<(f64, Parser)> = None;
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let (mut errs, mut moves) = (0usize, 0usize);
        for &si in &order {
            let ex = &train[si];
            let x = Inputs {
                words: &ex.words,
                tags: &ex.tags,
                clusters: &ex.clusters,
                coarse: &ex.coarse,
                suffix: &ex.suffix,
            };
            st.reset(ex.words.len() - 1);
            while !st.terminal() {
                features(&st, &x, &mut feats);
                tw.score(&feats, &mut scores);
                let legal = st.legal();
                let costs = st.costs(&ex.gh, &ex.gch);
                let (mut guess, mut truth, mut min_cost) = (usize::MAX, usize::MAX, u32::MAX);
                let mut truth_cost = u32::MAX;
                for c in 0..nc {
                    if !st.legal_class(c, legal, labels.root) {
                        continue;
                    }
                    if guess == usize::MAX || scores[c] > scores[guess] {
                        guess = c;
                    }
                    let cost = st.class_cost(c, costs, &ex.gh, &ex.gl);
                    min_cost = min_cost.min(cost);
                    if cost < truth_cost || (cost == truth_cost && scores[c] > scores[truth]) {
                        truth = c;
                        truth_cost = cost;
                    }
                }
                if guess == usize::MAX {
                    break;
                }
                let guess_cost = st.class_cost(guess, costs, &ex.gh, &ex.gl);
                moves += 1;
                if guess_cost > min_cost {
                    errs += 1;
                    tw.update(&feats, truth, guess);
                }
                tw.tick();
                let follow = if epoch >= explore_from && rng.below(10) < 9 {
                    guess
                } else {
                    truth
                };
                st.apply(Move::from_class(follow));
            }
        }
        let parser = Parser {
            labels: labels.clone(),
            weights: tw.finish(),
        };
        let err_rate = errs as f64 / moves.max(1) as f64;
        match dev {
            Some((d, g)) => {
                let (uas, las) = attachment(&parser, d, g);
                log(format!(
                    "parser epoch {}: train move errors {:.4}, dev UAS {:.4} LAS {:.4} ({} features)",
                    epoch + 1,
                    err_rate,
                    uas,
                    las,
                    parser.n_features()
                ));
                if best.as_ref().is_none_or(|(b, _)| las > *b) {
                    best = Some((las, parser));
                }
            }
            None => best = Some((-err_rate, parser)),
        }
    }
    match best {
        Some((_, p)) => p,
        None => Parser {
            labels: labels.clone(),
            weights: tw.finish(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "The cat sat on the mat ." with root "sat".
    fn tree() -> (Vec<u32>, Vec<u16>) {
        // index:      0  1  2  3  4  5  6  7
        let gh = vec![0, 2, 3, 0, 6, 6, 3, 3];
        let gl = vec![0, 1, 2, 9, 3, 1, 4, 5];
        (gh, gl)
    }

    fn children(gh: &[u32]) -> Vec<Vec<u32>> {
        let mut gch = vec![Vec::new(); gh.len()];
        for d in 1..gh.len() {
            gch[gh[d] as usize].push(d as u32);
        }
        gch
    }

    #[test]
    fn static_oracle_rebuilds_gold_and_dynamic_costs_are_zero() {
        let (gh, gl) = tree();
        let gch = children(&gh);
        let mut st = State::default();
        st.reset(7);
        let mut steps = 0;
        while !st.terminal() {
            let m = static_move(&st, &gh, &gl, &gch);
            let costs = st.costs(&gh, &gch);
            assert_eq!(
                st.class_cost(m.class(), costs, &gh, &gl),
                0,
                "{m:?} at step {steps}"
            );
            // Root label 9 stands in for `root` here.
            assert!(st.legal_class(m.class(), st.legal(), 9), "{m:?} illegal");
            st.apply(m);
            steps += 1;
            assert!(steps <= 14, "too many moves");
        }
        assert_eq!(steps, 14, "2n moves");
        assert_eq!(&st.head[1..], &gh[1..]);
        assert_eq!(&st.label[1..], &gl[1..]);
    }

    #[test]
    fn dynamic_oracle_charges_wrong_moves() {
        let (gh, gl) = tree();
        let gch = children(&gh);
        let mut st = State::default();
        st.reset(7);
        st.apply(Move::Shift); // stack [0, 1], buffer 2..
        let costs = st.costs(&gh, &gch);
        // Gold: LEFT(1) (The <- cat). RIGHT would lose the head of "The".
        assert_eq!(st.class_cost(Move::Left(1).class(), costs, &gh, &gl), 0);
        assert_eq!(
            st.class_cost(Move::Left(4).class(), costs, &gh, &gl),
            1,
            "wrong label"
        );
        assert_eq!(costs.0, 1, "shifting cat loses The <- cat");
        // After a wrong shift, the best completion still has zero further cost somewhere.
        st.apply(Move::Shift);
        let costs = st.costs(&gh, &gch);
        let legal = st.legal();
        let zero = (0..19).any(|c| st.legal_class(c, legal, 9) && st.class_cost(c, costs, &gh, &gl) == 0);
        assert!(zero, "some move must have zero cost");
    }

    #[test]
    fn projectivise_lifts_crossing_arcs() {
        // w1 head 0 (root), w2 head 4, w3 head 1, w4 head 1: the arc 4 -> 2 spans w3,
        // whose head 1 is outside, so it is non-projective.
        let mut h = vec![0, 0, 4, 1, 1];
        projectivise(&mut h);
        assert_eq!(h, vec![0, 0, 1, 1, 1], "w2 lifted to its grandparent");
        let mut p = vec![0, 2, 0, 2];
        projectivise(&mut p);
        assert_eq!(p, vec![0, 2, 0, 2], "projective trees are unchanged");
    }
}
