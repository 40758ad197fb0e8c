//! The runtime model: quantised weights in an open-addressing table, and the file format.
//!
//! File layout (all integers little-endian): `b"CNER"`, a format byte (`2` = raw body,
//! `1` = gzip-compressed body), then the body: feature version `u32`, tag count `u32`,
//! scale `f32`, entry count `u32`, the entries' 64-bit feature hashes sorted ascending as
//! LEB128 deltas, the weights column by column (all entries of tag 0, then tag 1, ...) as
//! zig-zag LEB128, then the lexicon: word count `u32`, sorted word hashes as LEB128
//! deltas, packed statistics as LEB128. Sorted deltas and small integers keep the raw body
//! compact (~2 MB) without paying for inflate at load.

use crate::features::{self, Scratch, FEATURE_VERSION, N_TAGS, START};
use crate::lexicon::Lexicon;
use crate::WordSyntax;
use crate::{NerError, Tag};
use std::cell::RefCell;
use std::io::{Read, Write};
use std::sync::OnceLock;

const MAGIC: &[u8; 4] = b"CNER";
/// Format byte: 1 = gzip-compressed body, 2 = raw body. Training writes 2: the raw body
/// is only ~1.6x larger and skips the inflate that dominated load time.
const FORMAT_GZIP: u8 = 1;
const FORMAT_RAW: u8 = 2;
/// Refuse absurd entry counts before allocating (a corrupt header must not OOM us).
const MAX_ENTRIES: u32 = 1 << 26;

#[derive(Clone, Copy, Default)]
#[repr(C)]
struct Slot {
    /// Upper hash bits, low bit forced on; 0 marks an empty slot.
    fp: u32,
    /// 8-bit weights keep a slot at 16 bytes: tagging is bound by cache misses on this
    /// table, and 8 bits lose nothing measurable in F1.
    w: [i8; N_TAGS],
}

/// Loaded tagger weights. Cheap to share (`&'static` via [`NerModel::builtin`]).
pub struct NerModel {
    /// Unique per loaded model (never reused), so per-thread caches of summed weights know
    /// whose weights they hold.
    id: u64,
    slots: Vec<Slot>,
    mask: usize,
    scale: f32,
    entries: usize,
    lexicon: Lexicon,
    raw: Vec<u8>,
}

impl std::fmt::Debug for NerModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NerModel")
            .field("features", &self.entries)
            .field("scale", &self.scale)
            .finish_non_exhaustive()
    }
}

/// One tagged token with the decoder's margin, for callers that want a confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaggedToken {
    pub tag: Tag,
    /// Score of the chosen label minus the best other allowed label, in weight units;
    /// larger means surer.
    pub margin: f32,
}

static BUILTIN_BYTES: &[u8] = include_bytes!("../data/ner.model");

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn fmt_err(m: &str) -> NerError {
    NerError::Format(m.to_string())
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn u32(&mut self) -> Result<u32, NerError> {
        let s = self
            .b
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| fmt_err("truncated header"))?;
        self.pos += 4;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn varint(&mut self) -> Result<u64, NerError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self.b.get(self.pos).ok_or_else(|| fmt_err("truncated data"))?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(fmt_err("varint too long"))
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i16) -> u64 {
    let v = i64::from(v);
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Serialises sorted, deduplicated `(hash, weights)` entries (see the module docs).
pub(crate) fn encode(entries: &[(u64, [i16; N_TAGS])], scale: f32, lexicon: &Lexicon) -> Vec<u8> {
    let mut body = Vec::with_capacity(entries.len() * 12 + 16);
    body.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
    body.extend_from_slice(&(N_TAGS as u32).to_le_bytes());
    body.extend_from_slice(&scale.to_le_bytes());
    body.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    let mut last = 0u64;
    for (k, _) in entries {
        put_varint(&mut body, k.wrapping_sub(last));
        last = *k;
    }
    for c in 0..N_TAGS {
        for (_, w) in entries {
            put_varint(&mut body, zigzag(w[c]));
        }
    }
    let lex = lexicon.entries();
    body.extend_from_slice(&(lex.len() as u32).to_le_bytes());
    let mut last = 0u64;
    for (k, _) in &lex {
        put_varint(&mut body, k.wrapping_sub(last));
        last = *k;
    }
    for (_, v) in &lex {
        put_varint(&mut body, u64::from(*v));
    }
    let mut out = Vec::with_capacity(body.len() + 5);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_RAW);
    out.extend_from_slice(&body);
    out
}

/// Same model, gzip-compressed (smaller file, slower load); [`NerModel::from_bytes`]
/// reads both.
pub(crate) fn compress(model_bytes: &[u8]) -> Option<Vec<u8>> {
    let body = model_bytes.get(5..)?;
    let mut out = Vec::with_capacity(body.len() / 2);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_GZIP);
    let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::best());
    gz.write_all(body).ok()?;
    gz.finish().ok()
}

impl NerModel {
    /// Parses a model file written by [`NerModel::to_bytes`] (or by training).
    pub fn from_bytes(b: &[u8]) -> Result<Self, NerError> {
        if b.len() < 5 || &b[..4] != MAGIC {
            return Err(fmt_err("not a chronicle NER model (bad magic)"));
        }
        let inflated;
        let body: &[u8] = match b[4] {
            FORMAT_RAW => &b[5..],
            FORMAT_GZIP => {
                let mut v = Vec::new();
                flate2::read::GzDecoder::new(&b[5..])
                    .read_to_end(&mut v)
                    .map_err(|e| NerError::Format(format!("gzip: {e}")))?;
                inflated = v;
                &inflated
            }
            _ => return Err(fmt_err("unsupported model format version")),
        };
        let mut r = Reader { b: body, pos: 0 };
        if r.u32()? != FEATURE_VERSION {
            return Err(fmt_err("model was trained with another feature set; retrain"));
        }
        if r.u32()? as usize != N_TAGS {
            return Err(fmt_err("unexpected tag count"));
        }
        let scale = f32::from_bits(r.u32()?);
        if !scale.is_finite() || scale <= 0.0 {
            return Err(fmt_err("bad scale"));
        }
        let n = r.u32()?;
        if n > MAX_ENTRIES || n as usize > body.len() {
            return Err(fmt_err("entry count out of range"));
        }
        let n = n as usize;
        let mut keys = Vec::with_capacity(n);
        let mut last = 0u64;
        for _ in 0..n {
            last = last.wrapping_add(r.varint()?);
            keys.push(last);
        }
        let mut weights = vec![[0i16; N_TAGS]; n];
        let mut wmax = 1i64;
        for c in 0..N_TAGS {
            for w in weights.iter_mut() {
                let v = unzigzag(r.varint()?);
                w[c] = i16::try_from(v).map_err(|_| fmt_err("weight out of range"))?;
                wmax = wmax.max(v.abs());
            }
        }
        // Files may carry wider weights than the 8-bit table: rescale them.
        let shrink = if wmax > 127 { 127.0 / wmax as f32 } else { 1.0 };
        let scale = scale / shrink;
        let mut lex = Vec::new();
        if r.pos < body.len() {
            let m = r.u32()?;
            if m > MAX_ENTRIES || m as usize > body.len() {
                return Err(fmt_err("lexicon size out of range"));
            }
            let mut last = 0u64;
            for _ in 0..m {
                last = last.wrapping_add(r.varint()?);
                lex.push((last, 0u32));
            }
            for e in lex.iter_mut() {
                e.1 = u32::try_from(r.varint()?).map_err(|_| fmt_err("lexicon value out of range"))?;
            }
        }
        let lexicon = Lexicon::from_entries(lex.into_iter());
        // Load factor <= 2/3 keeps linear-probe chains short and the table in cache.
        let cap = (n.max(1) * 3 / 2 + 1).next_power_of_two();
        let mask = cap - 1;
        let mut slots = vec![Slot::default(); cap];
        for (k, w16) in keys.iter().zip(weights) {
            let fp = ((k >> 32) as u32) | 1;
            let mut w = [0i8; N_TAGS];
            for (d, x) in w.iter_mut().zip(w16) {
                *d = (f32::from(x) * shrink).round().clamp(-127.0, 127.0) as i8;
            }
            let mut i = (*k as usize) & mask;
            loop {
                let s = &mut slots[i];
                if s.fp == 0 {
                    *s = Slot { fp, w };
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(NerModel {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            slots,
            mask,
            scale,
            entries: n,
            lexicon,
            raw: b.to_vec(),
        })
    }

    /// The model file bytes (identical to what was loaded or trained).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.raw.clone()
    }

    /// The model file gzip-compressed (about 35% smaller, ~10 ms slower to load).
    pub fn to_bytes_compressed(&self) -> Vec<u8> {
        compress(&self.raw).unwrap_or_else(|| self.raw.clone())
    }

    /// Number of weighted features.
    pub fn len(&self) -> usize {
        self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// The model committed at `crates/ner/data/ner.model`, parsed on first use; `None` when
    /// that file is empty or invalid (callers then fall back to the rule finder).
    pub fn builtin() -> Option<&'static NerModel> {
        static M: OnceLock<Option<NerModel>> = OnceLock::new();
        M.get_or_init(|| NerModel::from_bytes(BUILTIN_BYTES).ok())
            .as_ref()
    }

    #[inline]
    fn row(&self, h: u64) -> Option<&[i8; N_TAGS]> {
        let fp = ((h >> 32) as u32) | 1;
        let mut i = (h as usize) & self.mask;
        loop {
            let s = self.slots.get(i)?;
            if s.fp == fp {
                return Some(&s.w);
            }
            if s.fp == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    #[inline]
    fn add(&self, h: u64, acc: &mut [i32; N_TAGS]) {
        if let Some(w) = self.row(h) {
            for (a, x) in acc.iter_mut().zip(w.iter()) {
                *a += i32::from(*x);
            }
        }
    }

    /// Labels one tokenised sentence.
    pub fn tag(&self, words: &[&str]) -> Vec<Tag> {
        self.tag_scored(words).into_iter().map(|t| t.tag).collect()
    }

    /// Labels one sentence and reports each label's margin. The sentence is its own
    /// document context; prefer [`NerModel::tag_document`] when the article is at hand.
    pub fn tag_scored(&self, words: &[&str]) -> Vec<TaggedToken> {
        self.tag_document(&[words]).into_iter().next().unwrap_or_default()
    }

    /// Labels every sentence of one document. Better than sentence by sentence: how a word
    /// is cased elsewhere in the article is a feature (headline capitals, sentence-initial
    /// words).
    pub fn tag_document(&self, sentences: &[&[&str]]) -> Vec<Vec<TaggedToken>> {
        self.tag_document_with_syntax(sentences, &[])
    }

    /// [`NerModel::tag_document`] with our parse of each sentence (`syntax[i]` for
    /// `sentences[i]`, one entry per word; a missing or mismatched entry means no syntax
    /// features for that sentence). The built-in model was trained with them.
    pub fn tag_document_with_syntax(
        &self,
        sentences: &[&[&str]],
        syntax: &[&[WordSyntax]],
    ) -> Vec<Vec<TaggedToken>> {
        SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut s) => self.decode_doc(sentences, syntax, &mut s),
            Err(_) => self.decode_doc(sentences, syntax, &mut Scratch::default()),
        })
    }

    fn decode_doc(
        &self,
        sentences: &[&[&str]],
        syntax: &[&[WordSyntax]],
        s: &mut Scratch,
    ) -> Vec<Vec<TaggedToken>> {
        let mut all = std::mem::take(&mut s.doc_atoms);
        all.clear();
        for (k, words) in sentences.iter().enumerate() {
            let syn = syntax.get(k).copied().unwrap_or(&[]);
            features::sentence_atoms(words, syn, s, &self.lexicon);
            all.extend_from_slice(&s.atoms);
        }
        features::apply_doc_context(&mut all, &mut s.doc_map);
        let mut hist = std::mem::take(&mut s.history);
        hist.clear();
        // The thread's word cache holds one model's sums.
        if s.word_cache_owner != self.id {
            s.word_cache.clear();
            s.word_cache_owner = self.id;
        }
        let mut out = Vec::with_capacity(sentences.len());
        let mut t0 = 0usize;
        for words in sentences {
            let t1 = t0 + words.len();
            let atoms = all.get(t0..t1).unwrap_or(&[]);
            let mut tags = Vec::with_capacity(words.len());
            self.decode(atoms, &mut s.feats, &mut hist, &mut s.word_cache, &mut tags);
            out.push(tags);
            t0 = t1;
        }
        s.doc_atoms = all;
        s.history = hist;
        out
    }

    /// The summed weights of `a`'s word features, from the cache when the word was seen.
    fn word_sum(
        &self,
        a: &features::Atoms,
        feats: &mut Vec<u64>,
        cache: &mut features::WordCache,
    ) -> [i32; N_TAGS] {
        let key = features::word_key(a);
        let h = features::mix(features::mix(key.0, key.1), u64::from(key.2));
        if let Some((k, sum)) = cache.get(&h) {
            if *k == key {
                return *sum;
            }
        }
        let mut sum = [0i32; N_TAGS];
        feats.clear();
        features::word_features(a, feats);
        for &f in feats.iter() {
            self.add(f, &mut sum);
        }
        if cache.len() >= features::WORD_CACHE_MAX {
            cache.clear();
        }
        cache.insert(h, (key, sum));
        sum
    }

    fn decode(
        &self,
        atoms: &[features::Atoms],
        feats: &mut Vec<u64>,
        hist: &mut features::History,
        cache: &mut features::WordCache,
        out: &mut Vec<TaggedToken>,
    ) {
        let headline = features::sentence_style(atoms);
        let mut prev = START;
        let mut prev2 = START;
        let mut dy = [0u64; features::N_DYN];
        for (i, a) in atoms.iter().enumerate() {
            let mut acc = self.word_sum(a, feats, cache);
            feats.clear();
            features::context_features(atoms, headline, i, feats);
            for &h in feats.iter() {
                self.add(h, &mut acc);
            }
            let hv = features::history_value(a, hist);
            features::dynamic_features(atoms, i, prev, prev2, hv, &mut dy);
            for &h in &dy {
                self.add(h, &mut acc);
            }
            let prev_tag = (prev != START).then(|| Tag::from_index(prev));
            let mut best = (i32::MIN, 0usize);
            let mut second = i32::MIN;
            for (k, &v) in acc.iter().enumerate() {
                if !Tag::from_index(k).may_follow(prev_tag) {
                    continue;
                }
                if v > best.0 {
                    second = best.0;
                    best = (v, k);
                } else if v > second {
                    second = v;
                }
            }
            let margin = if second == i32::MIN {
                f32::MAX
            } else {
                (best.0 - second) as f32 * self.scale
            };
            out.push(TaggedToken {
                tag: Tag::from_index(best.1),
                margin,
            });
            features::record_history(a, best.1, hist);
            prev2 = prev;
            prev = best.1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> NerModel {
        // A hand-made model: the word "paris" (lowercase feature) votes B-LOC.
        let mut s = Scratch::default();
        features::sentence_atoms(&["Paris"], &[], &mut s, &Lexicon::default());
        let mut f = Vec::new();
        features::static_features(&s.atoms, 0, 0, &mut f);
        let lower = f[2];
        let mut w = [0i16; N_TAGS];
        w[Tag::BLoc.index()] = 100;
        let mut bias = [0i16; N_TAGS];
        bias[Tag::O.index()] = 10;
        let mut e = vec![(lower, w), (f[0], bias)];
        e.sort_by_key(|x| x.0);
        NerModel::from_bytes(&encode(&e, 0.01, &Lexicon::default())).unwrap()
    }

    #[test]
    fn round_trip_and_tagging() {
        let m = toy();
        assert_eq!(m.len(), 2);
        let bytes = m.to_bytes();
        let m2 = NerModel::from_bytes(&bytes).unwrap();
        assert_eq!(m2.to_bytes(), bytes);
        let gz = NerModel::from_bytes(&m.to_bytes_compressed()).unwrap();
        assert_eq!(gz.len(), m.len());
        assert_eq!(gz.tag(&["Paris"]), m.tag(&["Paris"]));
        let words = ["I", "love", "Paris", "and", "PARIS", "."];
        assert_eq!(m.tag(&words), m2.tag(&words));
        let t = m.tag(&words);
        assert_eq!(t.len(), words.len());
        assert_eq!(t[2], Tag::BLoc);
        assert_eq!(t[4], Tag::BLoc);
        assert_eq!(t[0], Tag::O);
        let sc = m.tag_scored(&words);
        assert!((sc[2].margin - 0.9).abs() < 1e-4, "margin {}", sc[2].margin);
    }

    #[test]
    fn rejects_garbage() {
        assert!(NerModel::from_bytes(b"").is_err());
        assert!(NerModel::from_bytes(b"CNER\x01not gzip").is_err());
        assert!(NerModel::from_bytes(b"CNER\x09").is_err());
        assert!(NerModel::from_bytes(b"XXXX\x01").is_err());
        let good = toy().to_bytes();
        assert!(NerModel::from_bytes(&good[..good.len() / 2]).is_err());
    }

    #[test]
    fn odd_input_never_panics() {
        let m = toy();
        assert!(m.tag(&[]).is_empty());
        let long = "x".repeat(100_000);
        let caps = "A".repeat(5000);
        let words = [
            long.as_str(),
            "",
            "Москва",
            "東京",
            "مرحبا",
            "NATO",
            "U.S.-led",
            "\u{2019}s",
            caps.as_str(),
            "🙂",
        ];
        let t = m.tag(&words);
        assert_eq!(t.len(), words.len());
        let all_caps = ["GERMANY", "BEAT", "ITALY", "2-1", "IN", "NEW", "YORK"];
        assert_eq!(m.tag(&all_caps).len(), all_caps.len());
    }

    #[test]
    fn zigzag_round_trips() {
        for v in [0i16, 1, -1, 300, -300, i16::MAX, i16::MIN] {
            assert_eq!(unzigzag(zigzag(v)), i64::from(v));
        }
    }
}
