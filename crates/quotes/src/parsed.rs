//! Attributions read off the dependency parse, scored by a model learned from PolNeAR.
//!
//! PolNeAR annotates every attribution, not only speech: "wants to", "plans to", "called
//! for", "cited", beliefs and findings. Listing those cues by hand fits one corpus; instead
//! every clause the parse offers as a possible report is a **candidate** (a verb's clausal
//! complement, its `xcomp`, its object or an oblique, a speech verb in parataxis, "according
//! to X", a noun's "that" clause) and an averaged perceptron over parse features (the cue's
//! lemma and relation, the content's first word and size, the subject, the learned cue
//! strength) decides which are attributions. Training and the acceptance threshold are in
//! `chronicle train quotes`; the weights are `data/parse-attribution.model`.
//!
//! The content span follows PolNeAR: the whole complement subtree, its complementiser or
//! "to" kept, without the trailing punctuation of the sentence. The source is the cue's
//! subject (through `xcomp`/`conj` to the governing verb's subject, or the noun a relative
//! clause modifies), or the noun phrase of "according to X".

use chronicle_core::{Deprel, Document, Upos};

/// What kind of dependent of the cue holds the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Config {
    /// "said that ..." (clausal complement).
    Ccomp,
    /// "wants to ...", "agreed to ..." (open clausal complement).
    Xcomp,
    /// "cited the report", "backs the plan" (object).
    Obj,
    /// "called for ...", "spoke about ..." (oblique with its marker).
    Obl,
    /// "Y attacked Z, X said" (speech verb in parataxis; content is the rest of the clause).
    Parataxis,
    /// "according to X, ..." (content is the clause the phrase hangs from).
    According,
    /// "the claim that ...", "his warning that ..." (a noun's clause).
    NounClause,
}

impl Config {
    fn code(self) -> u64 {
        self as u64 + 1
    }
}

/// One possible attribution: cue token, content tokens `[first, end)`, source tokens.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub(crate) cue: usize,
    pub(crate) first: usize,
    pub(crate) end: usize,
    pub(crate) source: Option<(usize, usize)>,
    pub(crate) config: Config,
    /// The content's head token (its root in the parse).
    head: usize,
    /// The oblique's marker ("for", "about"), for `Obl`.
    marker: Option<usize>,
}

/// The parse of one sentence with children lists and subtree extents.
struct SentTree<'a> {
    doc: &'a Document,
    a: usize,
    /// `children[k - a]`: dependents of token k, in order.
    children: Vec<Vec<usize>>,
    /// Subtree extent of each token: `[lo, hi]` (inclusive).
    lo: Vec<usize>,
    hi: Vec<usize>,
}

impl<'a> SentTree<'a> {
    fn new(doc: &'a Document, a: usize, b: usize) -> Option<Self> {
        if b <= a || b > doc.syntax.len() {
            return None;
        }
        let n = b - a;
        let head = |k: usize| -> Option<usize> {
            doc.syntax
                .get(k)
                .and_then(|t| t.head)
                .map(|h| h as usize)
                .filter(|&h| h >= a && h < b && h != k)
        };
        let mut children = vec![Vec::new(); n];
        for k in a..b {
            if let Some(h) = head(k) {
                children[h - a].push(k);
            }
        }
        // Depth by memoised walks (a cycle, which a well-formed parse never has, is cut by
        // the step bound), then extents propagate from the deepest tokens up: linear.
        let mut depth = vec![usize::MAX; n];
        let mut path = Vec::new();
        for k in a..b {
            let mut cur = k;
            path.clear();
            while depth[cur - a] == usize::MAX && path.len() <= n {
                path.push(cur);
                match head(cur) {
                    Some(h) => cur = h,
                    None => break,
                }
            }
            let mut d = if depth[cur - a] == usize::MAX {
                0
            } else {
                depth[cur - a] + 1
            };
            for &p in path.iter().rev() {
                if depth[p - a] == usize::MAX {
                    depth[p - a] = d;
                }
                d = depth[p - a] + 1;
            }
        }
        let mut order: Vec<usize> = (a..b).collect();
        order.sort_by_key(|&k| std::cmp::Reverse(depth[k - a]));
        let mut lo: Vec<usize> = (a..b).collect();
        let mut hi: Vec<usize> = (a..b).collect();
        for k in order {
            if let Some(h) = head(k) {
                lo[h - a] = lo[h - a].min(lo[k - a]);
                hi[h - a] = hi[h - a].max(hi[k - a]);
            }
        }
        Some(SentTree {
            doc,
            a,
            children,
            lo,
            hi,
        })
    }

    fn rel(&self, k: usize) -> Deprel {
        self.doc.syntax.get(k).map_or(Deprel::Dep, |t| t.rel)
    }
    fn upos(&self, k: usize) -> Upos {
        self.doc.syntax.get(k).map_or(Upos::X, |t| t.upos)
    }
    fn head(&self, k: usize) -> Option<usize> {
        self.doc.syntax.get(k).and_then(|t| t.head).map(|h| h as usize)
    }
    fn kids(&self, k: usize) -> &[usize] {
        self.children.get(k - self.a).map_or(&[], |v| v.as_slice())
    }
    fn extent(&self, k: usize) -> (usize, usize) {
        (self.lo[k - self.a], self.hi[k - self.a] + 1)
    }
    fn finite(&self, k: usize) -> bool {
        self.doc
            .syntax
            .get(k)
            .is_some_and(|t| t.feats.verb_form == Some(chronicle_core::VerbForm::Fin))
    }
    fn is_punct(&self, k: usize) -> bool {
        self.upos(k) == Upos::Punct
    }

    /// `[first, end)` without punctuation at either edge (quotation marks are kept: they
    /// belong to a mixed quote's content).
    fn trim(&self, mut first: usize, mut end: usize) -> (usize, usize) {
        let keep = |d: &Document, k: usize| {
            let w = d.lower(k);
            matches!(w, "\"" | "“" | "”" | "'" | "‘" | "’" | "''" | "``")
        };
        while first < end && self.is_punct(first) && !keep(self.doc, first) {
            first += 1;
        }
        while end > first && self.is_punct(end - 1) && !keep(self.doc, end - 1) {
            end -= 1;
        }
        (first, end)
    }

    /// The noun phrase of a subject: its head with the modifiers that name it (determiner,
    /// compound, flat name, adjective, possessor, title), not its relative clause or
    /// apposition.
    fn phrase(&self, h: usize) -> (usize, usize) {
        let (mut lo, mut hi) = (h, h);
        for &c in self.kids(h) {
            let named = matches!(
                self.rel(c).universal(),
                Deprel::Det | Deprel::Compound | Deprel::Flat | Deprel::Amod | Deprel::Nummod
            ) || self.rel(c) == Deprel::NmodPoss;
            if named {
                let (l, e) = self.extent(c);
                lo = lo.min(l);
                hi = hi.max(e - 1);
            }
        }
        (lo, hi + 1)
    }

    /// The subject of `v`: its own `nsubj`, or the governing verb's through `xcomp`, `conj`
    /// or a participle (`advcl`: "..., citing X"), or the noun a relative clause modifies.
    fn subject(&self, v: usize) -> Option<(usize, usize)> {
        let mut cur = v;
        for _ in 0..4 {
            // A relative pronoun subject ("Ushakov, who said ...") is the source as written,
            // as a pronoun is; [`relative_antecedent`] names whom it stands for.
            let mut relative = None;
            if let Some(&s) = self
                .kids(cur)
                .iter()
                .find(|&&c| self.rel(c).universal() == Deprel::Nsubj)
            {
                // "Recent increases are expected to ...": a passive's subject is what is
                // said, not who says it.
                if self.rel(s) == Deprel::NsubjPass {
                    return None;
                }
                if !is_relative_pronoun(self.doc.lower(s)) {
                    return Some(self.phrase(s));
                }
                relative = Some(s);
            }
            let h = self.head(cur)?;
            let nominal_head = matches!(self.upos(h), Upos::Noun | Upos::Propn | Upos::Pron);
            match self.rel(cur) {
                Deprel::AclRelcl | Deprel::Acl => {
                    return Some(relative.map_or_else(|| self.phrase(h), |s| (s, s + 1)))
                }
                // "Ushakov, who said ...", parsed as a side clause of the name.
                Deprel::Parataxis | Deprel::Appos if nominal_head => {
                    return relative.map(|s| (s, s + 1));
                }
                // "noted Russia had made no concessions and called for a ceasefire": a
                // finite verb the parser coordinated with a non-finite one inside a
                // reported clause belongs with the reporting verb above that clause.
                Deprel::Conj
                    if self.finite(cur) && !self.finite(h) && self.rel(h).universal() == Deprel::Ccomp =>
                {
                    cur = self.head(h)?;
                }
                r if matches!(r.universal(), Deprel::Xcomp | Deprel::Conj | Deprel::Advcl) => cur = h,
                _ => return None,
            }
        }
        None
    }

    /// The noun phrase a relative pronoun subject stands for: the noun its clause modifies.
    fn antecedent(&self, pron: usize) -> Option<(usize, usize)> {
        if !is_relative_pronoun(self.doc.lower(pron)) {
            return None;
        }
        let verb = self.head(pron)?;
        let h = self.head(verb)?;
        let nominal_head = matches!(self.upos(h), Upos::Noun | Upos::Propn | Upos::Pron);
        match self.rel(verb) {
            Deprel::AclRelcl | Deprel::Acl => Some(self.phrase(h)),
            Deprel::Parataxis | Deprel::Appos if nominal_head => Some(self.phrase(h)),
            _ => None,
        }
    }

    /// Who holds a noun's claim: its possessor ("his warning that"), else the subject of
    /// the verb it is the object of ("issued a statement saying", "made the claim that").
    fn noun_source(&self, n: usize) -> Option<(usize, usize)> {
        if let Some(&p) = self.kids(n).iter().find(|&&c| self.rel(c) == Deprel::NmodPoss) {
            return Some(self.phrase(p));
        }
        let h = self.head(n)?;
        (matches!(self.rel(n).universal(), Deprel::Obj) && matches!(self.upos(h), Upos::Verb))
            .then(|| self.subject(h))
            .flatten()
    }

    fn candidates(&self, out: &mut Vec<Candidate>) {
        let b = self.a + self.children.len();
        for v in self.a..b {
            let up = self.upos(v);
            let verbal = matches!(up, Upos::Verb | Upos::Aux);
            let nominal = matches!(up, Upos::Noun | Upos::Propn);
            if !(verbal || nominal) {
                continue;
            }
            for &c in self.kids(v) {
                let rel = self.rel(c);
                let config = match rel.universal() {
                    Deprel::Ccomp if verbal => Config::Ccomp,
                    Deprel::Ccomp | Deprel::Acl if nominal => {
                        let starts_that = self
                            .kids(c)
                            .iter()
                            .any(|&m| self.rel(m) == Deprel::Mark && self.doc.lower(m) == "that");
                        if !starts_that {
                            continue;
                        }
                        Config::NounClause
                    }
                    Deprel::Xcomp if verbal => Config::Xcomp,
                    Deprel::Obj if verbal => Config::Obj,
                    Deprel::Obl if verbal => {
                        if self.kids(c).iter().any(|&m| self.doc.lower(m) == "according") {
                            self.according(v, c, out);
                            continue;
                        }
                        Config::Obl
                    }
                    Deprel::Parataxis if verbal && matches!(self.upos(c), Upos::Verb) => {
                        self.parataxis(v, c, out);
                        continue;
                    }
                    _ => continue,
                };
                let (first, end) = self.extent(c);
                let (first, end) = self.trim(first, end);
                if first >= end {
                    continue;
                }
                let marker = (config == Config::Obl)
                    .then(|| {
                        self.kids(c)
                            .iter()
                            .copied()
                            .find(|&m| self.rel(m).universal() == Deprel::Case)
                    })
                    .flatten();
                out.push(Candidate {
                    cue: v,
                    first,
                    end,
                    source: if nominal {
                        self.noun_source(v)
                    } else {
                        self.subject(v)
                    },
                    config,
                    head: c,
                    marker,
                });
            }
        }
    }

    /// "Y attacked Z, X said": the speech verb `c` in parataxis under `v`; the content is
    /// the part of `v`'s clause on the other side of `c`.
    fn parataxis(&self, v: usize, c: usize, out: &mut Vec<Candidate>) {
        let (vl, ve) = self.extent(v);
        let (cl, ce) = self.extent(c);
        let (first, end) = if cl > v { (vl, cl) } else { (ce, ve) };
        let (first, end) = self.trim(first, end);
        if first < end {
            out.push(Candidate {
                cue: c,
                first,
                end,
                source: self.subject(c),
                config: Config::Parataxis,
                head: v,
                marker: None,
            });
        }
    }

    /// "according to X, ...": the clause of `v` without the oblique `o`.
    fn according(&self, v: usize, o: usize, out: &mut Vec<Candidate>) {
        let (vl, ve) = self.extent(v);
        let (ol, oe) = self.extent(o);
        let (first, end) = if ol > v { (vl, ol) } else { (oe, ve) };
        let (first, end) = self.trim(first, end);
        let cue = self
            .kids(o)
            .iter()
            .copied()
            .find(|&m| self.doc.lower(m) == "according")
            .unwrap_or(o);
        if first < end {
            out.push(Candidate {
                cue,
                first,
                end,
                source: Some(self.phrase(o)),
                config: Config::According,
                head: v,
                marker: None,
            });
        }
    }
}

fn is_relative_pronoun(w: &str) -> bool {
    matches!(w, "who" | "which" | "that")
}

/// The noun phrase (tokens `[first, end)`) that the relative pronoun at token `pron`
/// stands for ("Ushakov, who said": Ushakov), read off the parse; `None` for any other
/// token. Speakers written as "who" keep that span and resolve to this phrase's entity.
pub(crate) fn relative_antecedent(doc: &Document, pron: usize) -> Option<(usize, usize)> {
    let s = doc.tokens.get(pron)?.sentence as usize;
    let sent = doc.sentences.get(s)?;
    let (a, b) = (sent.tokens.0 as usize, sent.tokens.1 as usize);
    // Each call reads its sentence's tree again: bounded, so a pathological "sentence" of
    // many "who said" clauses stays linear.
    if b.saturating_sub(a) > MAX_ANTECEDENT_SENTENCE {
        return None;
    }
    SentTree::new(doc, a, b)?.antecedent(pron)
}

/// The main verb of sentence `s` and its subject's noun phrase (tokens `[first, end)`),
/// read off the parse: who a narration sentence or a colon lead-in is about.
pub(crate) fn root_subject(doc: &Document, s: usize) -> Option<(usize, (usize, usize))> {
    let sent = doc.sentences.get(s)?;
    let (a, b) = (sent.tokens.0 as usize, sent.tokens.1 as usize);
    if b.saturating_sub(a) > MAX_ANTECEDENT_SENTENCE {
        return None;
    }
    let t = SentTree::new(doc, a, b)?;
    let root = (a..b).find(|&k| t.head(k).is_none())?;
    let subj = t.subject(root)?;
    Some((root, subj))
}

/// Longest sentence (tokens) in which a relative pronoun's antecedent is looked up.
const MAX_ANTECEDENT_SENTENCE: usize = 400;

/// Every candidate attribution of sentence `s` (empty without a syntax layer).
pub(crate) fn sentence_candidates(doc: &Document, s: usize, out: &mut Vec<Candidate>) {
    let Some(sent) = doc.sentences.get(s) else { return };
    let (a, b) = (sent.tokens.0 as usize, sent.tokens.1 as usize);
    if let Some(t) = SentTree::new(doc, a, b) {
        t.candidates(out);
    }
}

/// The hashed features of a candidate; `cue_score` is the learned cue strength of the cue
/// word (0 = none, see the lexicon), `quoted` whether quotation marks fall in its content.
/// Constant time per candidate (nothing scans the content), so a sentence costs time
/// linear in its candidates.
pub(crate) fn features(doc: &Document, c: &Candidate, cue_score: u8, quoted: bool, out: &mut Vec<u64>) {
    let cfg = c.config.code();
    let lemma = hash_str(doc.lemma(c.cue));
    let lower = hash_str(doc.lower(c.cue));
    let syn = doc.syntax.get(c.cue);
    let own_rel = syn.map_or(0, |t| t.rel as u64 + 1);
    let upos = syn.map_or(0, |t| t.upos as u64 + 1);
    let first = hash_str(doc.lower(c.first));
    let len = c.end.saturating_sub(c.first);
    let len_bucket = match len {
        0..=1 => 0,
        2..=3 => 1,
        4..=7 => 2,
        8..=15 => 3,
        16..=31 => 4,
        _ => 5,
    };
    let quoted = quoted as u64;
    let src = match c.source {
        None => 0,
        Some((s, e)) => {
            let h = e.saturating_sub(1);
            match doc.syntax.get(h).map(|t| t.upos) {
                Some(Upos::Pron) => 1,
                Some(Upos::Propn) => 2,
                Some(Upos::Noun) => 3,
                _ => 4 + (e - s > 3) as u64,
            }
        }
    };
    let src_head = c
        .source
        .map_or(0, |(_, e)| hash_str(doc.lemma(e.saturating_sub(1))));
    let after = (c.first > c.cue) as u64;
    let marker = c.marker.map_or(0, |m| hash_str(doc.lower(m)));
    let gov = doc
        .syntax
        .get(c.cue)
        .and_then(|t| t.head)
        .map_or(0, |h| hash_str(doc.lemma(h as usize)));
    // A clause (its head a verb) or a noun phrase?
    let content_head_clause = doc.syntax.get(c.head).is_some_and(|t| t.upos == Upos::Verb) as u64;
    // How the content's first word attaches ("that" as a complementiser or as a relative
    // pronoun) and what its last word is (a clause cut off at a preposition is no report).
    let first_rel = doc.syntax.get(c.first).map_or(0, |t| t.rel as u64 + 1);
    let last_upos = doc
        .syntax
        .get(c.end.saturating_sub(1))
        .map_or(0, |t| t.upos as u64 + 1);
    let feats: [(u64, &[u64]); 24] = [
        (0, &[]),
        (1, &[lemma]),
        (2, &[cfg]),
        (3, &[cfg, lemma]),
        (4, &[cfg, lower]),
        (5, &[cfg, upos, own_rel]),
        (6, &[cfg, own_rel, lemma]),
        (7, &[cfg, first]),
        (8, &[cfg, len_bucket]),
        (9, &[cfg, lemma, len_bucket]),
        (10, &[cfg, quoted]),
        (11, &[cfg, src]),
        (12, &[cfg, src_head]),
        (13, &[cfg, lemma, src]),
        (14, &[cfg, after]),
        (15, &[cfg, marker, lemma]),
        (16, &[cfg, cue_score as u64]),
        (17, &[cfg, lemma, first]),
        (18, &[cfg, gov]),
        (19, &[cfg, lemma, gov]),
        (20, &[cfg, content_head_clause]),
        (21, &[cfg, lemma, content_head_clause, quoted]),
        (22, &[cfg, first, first_rel]),
        (23, &[cfg, last_upos]),
    ];
    out.clear();
    for (id, parts) in feats {
        out.push(mix(id, parts));
    }
}

use crate::learned::hash_str;

/// A feature key from its id and parts: the tagger's keying ([`crate::learned`]), its ids
/// offset by [`ID_OFFSET`] so the two models' keys never meet.
fn mix(id: u64, parts: &[u64]) -> u64 {
    crate::learned::mix(id + ID_OFFSET, parts)
}

/// Offset of this model's feature ids from the tagger's.
const ID_OFFSET: u64 = 100;

/// Bump when the candidates or features change: a model built for others is refused.
const FEATURE_VERSION: u32 = 3;
const MAGIC: &[u8; 5] = b"CHQP1";

/// The learned scorer of parse candidates and the score above which one is kept.
pub struct ParseAttributionModel {
    weights: chronicle_core::words::IdMap<f32>,
    /// Candidates scoring above this are attributions (chosen on the validation split).
    pub threshold: f32,
}

impl std::fmt::Debug for ParseAttributionModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParseAttributionModel")
            .field("features", &self.weights.len())
            .field("threshold", &self.threshold)
            .finish()
    }
}

const BUILTIN: &[u8] = include_bytes!("../data/parse-attribution.model");

impl ParseAttributionModel {
    /// The model shipped in the binary; `None` when it is missing or built for other
    /// features (the stage then runs without it).
    pub fn builtin() -> Option<&'static ParseAttributionModel> {
        static M: std::sync::OnceLock<Option<ParseAttributionModel>> = std::sync::OnceLock::new();
        M.get_or_init(|| ParseAttributionModel::from_bytes(BUILTIN).ok())
            .as_ref()
    }

    pub fn len(&self) -> usize {
        self.weights.len()
    }
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    pub(crate) fn new(weights: chronicle_core::words::IdMap<f32>, threshold: f32) -> Self {
        ParseAttributionModel { weights, threshold }
    }

    pub(crate) fn score(&self, feats: &[u64]) -> f32 {
        feats.iter().filter_map(|f| self.weights.get(f)).sum()
    }

    /// The model file: magic, feature version, threshold, row count, then `(key, weight)`
    /// rows sorted by key, little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut rows: Vec<(u64, f32)> = self.weights.iter().map(|(k, w)| (*k, *w)).collect();
        rows.sort_unstable_by_key(|r| r.0);
        let mut b = Vec::with_capacity(21 + rows.len() * 12);
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        b.extend_from_slice(&self.threshold.to_le_bytes());
        b.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        for (k, w) in rows {
            b.extend_from_slice(&k.to_le_bytes());
            b.extend_from_slice(&w.to_le_bytes());
        }
        b
    }

    /// Reads a model file; refuses one of another format or feature version.
    pub fn from_bytes(b: &[u8]) -> Result<Self, String> {
        let rest = b
            .strip_prefix(MAGIC.as_slice())
            .ok_or("not a parse attribution model")?;
        let take = |r: &[u8], n: usize| -> Result<(Vec<u8>, usize), String> {
            r.get(..n)
                .map(|x| (x.to_vec(), n))
                .ok_or_else(|| "truncated model".to_string())
        };
        let (v, _) = take(rest, 4)?;
        let version = u32::from_le_bytes([v[0], v[1], v[2], v[3]]);
        if version != FEATURE_VERSION {
            return Err(format!(
                "model for features v{version}, this build reads v{FEATURE_VERSION}"
            ));
        }
        let (t, _) = take(&rest[4..], 4)?;
        let threshold = f32::from_le_bytes([t[0], t[1], t[2], t[3]]);
        let (n, _) = take(&rest[8..], 8)?;
        let n = u64::from_le_bytes(n.try_into().map_err(|_| "truncated model")?) as usize;
        let body = &rest[16..];
        if body.len() != n.saturating_mul(12) {
            return Err("model length does not match its row count".into());
        }
        let mut weights = chronicle_core::words::IdMap::default();
        for row in body.chunks_exact(12) {
            let k = u64::from_le_bytes(row[..8].try_into().map_err(|_| "bad row")?);
            let w = f32::from_le_bytes(row[8..].try_into().map_err(|_| "bad row")?);
            weights.insert(k, w);
        }
        Ok(ParseAttributionModel { weights, threshold })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_core::Stage;

    fn parsed(text: &str) -> Document {
        let mut d = Document::new("t", text, None);
        chronicle_text::TextStage::new().run(&mut d);
        match chronicle_syntax::SyntaxStage::builtin() {
            Ok(s) => s.run(&mut d),
            Err(e) => panic!("the built-in syntax model must load: {e}"),
        }
        d
    }

    /// Every candidate as (config, cue, content, source) text.
    fn cands(text: &str) -> Vec<(Config, String, String, Option<String>)> {
        let d = parsed(text);
        let mut out = Vec::new();
        for s in 0..d.sentences.len() {
            sentence_candidates(&d, s, &mut out);
        }
        let words = |a: usize, b: usize| -> String {
            let (Some(x), Some(y)) = (d.tokens.get(a), d.tokens.get(b - 1)) else {
                return String::new();
            };
            d.slice(chronicle_core::Span::new(x.span.start, y.span.end))
                .to_string()
        };
        out.iter()
            .map(|c| {
                (
                    c.config,
                    d.lower(c.cue).to_string(),
                    words(c.first, c.end),
                    c.source.map(|(a, b)| words(a, b)),
                )
            })
            .collect()
    }

    fn has(
        cs: &[(Config, String, String, Option<String>)],
        cfg: Config,
        cue: &str,
        content: &str,
        src: Option<&str>,
    ) -> bool {
        cs.iter()
            .any(|(c, q, t, s)| *c == cfg && q == cue && t == content && s.as_deref() == src)
    }

    #[test]
    fn a_complement_clause_keeps_its_complementiser_and_drops_the_full_stop() {
        let cs = cands("The senator claimed that the plan would raise taxes.");
        assert!(
            has(
                &cs,
                Config::Ccomp,
                "claimed",
                "that the plan would raise taxes",
                Some("The senator")
            ),
            "{cs:?}"
        );
    }

    #[test]
    fn a_relative_clause_cue_speaks_for_the_noun_it_modifies() {
        let cs = cands("Ushakov, who said the talks were useful, left Moscow on Tuesday.");
        // The source is written "who", as PolNeAR marks it; it stands for Ushakov.
        assert!(
            has(&cs, Config::Ccomp, "said", "the talks were useful", Some("who")),
            "{cs:?}"
        );
        let d = parsed("Ushakov, who said the talks were useful, left Moscow on Tuesday.");
        let who = (0..d.tokens.len()).find(|&k| d.lower(k) == "who");
        let ante = who.and_then(|k| relative_antecedent(&d, k));
        assert_eq!(
            ante.and_then(|(a, _)| d.tokens.get(a)).map(|t| d.slice(t.span)),
            Some("Ushakov")
        );
    }

    #[test]
    fn a_participle_takes_the_subject_of_its_clause() {
        let cs = cands("The mayor resigned on Monday, citing the cost of the investigation.");
        assert!(
            has(
                &cs,
                Config::Obj,
                "citing",
                "the cost of the investigation",
                Some("The mayor")
            ),
            "{cs:?}"
        );
    }

    #[test]
    fn a_finite_verb_coordinated_into_a_reported_clause_speaks_for_the_reporter() {
        // Not Russia (the subject of "had made"): the reporter of the clause, whatever the
        // parse makes of the name's own structure.
        let cs = cands(
            "Finland’s Elina Valtonen noted Russia had made “no concessions” and called for a full ceasefire as the first confidence-building step.",
        );
        assert!(
            cs.iter().any(|(c, cue, t, s)| *c == Config::Obl
                && cue == "called"
                && t.starts_with("for a full ceasefire")
                && s.is_some()
                && s.as_deref() != Some("Russia")),
            "{cs:?}"
        );
    }

    #[test]
    fn according_to_reports_the_rest_of_its_clause() {
        let cs = cands("According to the ministry, the army shelled the town overnight.");
        assert!(
            cs.iter().any(|(c, cue, t, s)| *c == Config::According
                && cue == "according"
                && t == "the army shelled the town overnight"
                && s.as_deref().is_some_and(|s| s.ends_with("ministry"))),
            "{cs:?}"
        );
    }

    #[test]
    fn a_nouns_that_clause_is_held_by_its_possessor() {
        let cs = cands("His warning that the economy would shrink angered investors.");
        assert!(
            cs.iter().any(|(c, cue, t, s)| *c == Config::NounClause
                && cue == "warning"
                && t.starts_with("that the economy would shrink")
                && s.as_deref() == Some("His")),
            "{cs:?}"
        );
    }

    #[test]
    fn no_syntax_layer_means_no_candidates() {
        let mut d = Document::new("t", "The senator claimed that the plan would raise taxes.", None);
        chronicle_text::TextStage::new().run(&mut d);
        let mut out = Vec::new();
        sentence_candidates(&d, 0, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn the_model_round_trips_and_bad_files_are_refused() {
        let Some(m) = ParseAttributionModel::builtin() else {
            panic!("the built-in parse attribution model must load");
        };
        assert!(!m.is_empty());
        let back = ParseAttributionModel::from_bytes(&m.to_bytes()).expect("round trip");
        assert_eq!(back.len(), m.len());
        assert_eq!(back.threshold, m.threshold);
        assert!(ParseAttributionModel::from_bytes(b"nonsense").is_err());
        assert!(ParseAttributionModel::from_bytes(&m.to_bytes()[..30]).is_err());
        let mut other = m.to_bytes();
        other[5] = other[5].wrapping_add(1); // another feature version
        assert!(ParseAttributionModel::from_bytes(&other).is_err());
    }

    #[test]
    fn the_scorer_adds_an_attribution_the_rules_miss() {
        let d = parsed("The mayor called for an investigation into the shooting.");
        let (rules, _) = crate::Ctx::new(&d).extract();
        assert!(rules.is_empty(), "{rules:?}");
        let mut ctx = crate::Ctx::new(&d);
        ctx.parse_model = ParseAttributionModel::builtin();
        let (quotes, _) = ctx.extract();
        let got: Vec<(&str, Option<&str>)> = quotes
            .iter()
            .map(|q| (d.slice(q.span), q.speaker_span.map(|s| d.slice(s))))
            .collect();
        assert_eq!(
            got,
            vec![("for an investigation into the shooting", Some("The mayor"))]
        );
    }

    #[test]
    fn a_rule_clause_ends_where_the_parse_ends_the_complement_before_a_comma() {
        let d = parsed(
            "A federal judge in Texas ruled that the policy was unconstitutional, but his decision was overturned by an appeals court last year.",
        );
        let contents = |parse: bool| -> Vec<String> {
            let mut ctx = crate::Ctx::new(&d);
            if parse {
                ctx.parse_model = ParseAttributionModel::builtin();
            }
            ctx.extract()
                .0
                .iter()
                .map(|q| d.slice(q.span).to_string())
                .collect()
        };
        let rules = contents(false);
        assert!(rules.iter().any(|c| c.contains("overturned")), "{rules:?}");
        assert!(contents(true).contains(&"that the policy was unconstitutional".to_string()));
    }

    #[test]
    fn a_quote_paragraph_after_narration_is_the_narrated_persons_and_a_colon_lead_in_is_not_quoted() {
        let mut d = parsed(concat!(
            "Health Minister Jonas Lie visited the hospital on Monday.\n\n",
            "“The situation is under control and we have enough beds.”\n\n",
            "The statement read in part: “We will not surrender,” the rebel commander told reporters.\n"
        ));
        chronicle_entities::EntityStage::new().run(&mut d);
        crate::QuoteStage::new().run(&mut d);
        let got: Vec<(&str, Option<&str>)> = d
            .quotes
            .iter()
            .map(|q| (d.slice(q.span), q.speaker_span.map(|s| d.slice(s))))
            .collect();
        assert!(
            got.contains(&(
                "“The situation is under control and we have enough beds.”",
                Some("Jonas Lie")
            )) || got.contains(&(
                "“The situation is under control and we have enough beds.”",
                Some("Health Minister Jonas Lie")
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&("“We will not surrender,”", Some("the rebel commander"))),
            "{got:?}"
        );
    }

    #[test]
    fn a_colon_lead_in_paragraph_names_the_speaker_of_the_quote_below_it() {
        let mut d = parsed(concat!(
            "The New York Times reports:\n\n",
            "“In an illustration of the lack of enthusiasm, just 24 percent of the contributors gave $200 or less.”\n"
        ));
        chronicle_entities::EntityStage::new().run(&mut d);
        crate::QuoteStage::new().run(&mut d);
        let got: Vec<(&str, Option<&str>)> = d
            .quotes
            .iter()
            .map(|q| (d.slice(q.span), q.speaker_span.map(|s| d.slice(s))))
            .collect();
        assert!(
            got.iter().any(|(q, s)| q.starts_with("“In an illustration")
                && s.is_some_and(|s| s.ends_with("New York Times"))),
            "{got:?}"
        );
    }
}
