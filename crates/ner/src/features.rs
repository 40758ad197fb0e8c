//! Feature extraction: every feature is a 64-bit hash of (template id, value atoms).
//!
//! Per-token "atoms" (hashes of the lowercased word, its shape, affixes, gazetteer hits) are
//! computed once per sentence; features are then cheap integer mixes of atoms, so tagging
//! never allocates per feature. The hash functions are written out here (not `std`'s
//! hasher) because the committed weights are keyed by them: they must never change between
//! Rust versions or platforms. Changing any template or atom requires bumping
//! [`FEATURE_VERSION`] and retraining.

use crate::lexicon::Lexicon;
use crate::syntax::WordSyntax;
use chronicle_gazetteer::{Gazetteer, PlaceKind};

/// Stored in the model file; a model trained with other feature code is rejected on load.
pub const FEATURE_VERSION: u32 = 11;

/// Upper bound on characters read from one token: a pathological 1 MB "word" must not
/// cost more than a normal one.
const MAX_CHARS: usize = 48;

#[inline]
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    // splitmix64 finaliser over a combined value.
    let mut z = a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_add(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[inline]
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Atoms of one token.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Atoms {
    raw: u64,
    lower: u64,
    shape: u64,
    short_shape: u64,
    prefix: [u64; 4],
    suffix: [u64; 4],
    flags: u64,
    gaz: u64,
    /// How the same word is cased elsewhere in the document (see [`apply_doc_context`]).
    doc: u64,
    /// 0 other, 1 lower-case initial, 2 capitalised, 3 all capitals.
    case: u8,
    /// First token of its sentence.
    initial: bool,
    /// Packed corpus statistics (see [`crate::lexicon`]); 0 when unknown.
    lex: u32,
    /// Capitalised (first letter upper case); cached for n-gram gazetteer scans.
    cap: bool,
    /// Universal POS plus one from the parse (0: no syntax; see [`crate::syntax`]).
    pos: u8,
    /// Universal relation of the word's phrase head plus one.
    rel: u8,
    /// Lower-case hash of the word the phrase head depends on ([`ROOT_HEAD`] at the root).
    head: u64,
    /// Lower-case hash of the phrase head's case marker (0: none).
    marker: u64,
}

/// The `head` atom of a phrase at the root of its sentence.
const ROOT_HEAD: u64 = 17;

const F_CAP: u64 = 1;
const F_ALLCAPS: u64 = 2;
const F_DIGIT: u64 = 4;
const F_HYPHEN: u64 = 8;
const F_PERIOD: u64 = 16;
const F_ALPHA: u64 = 32;
const F_ALLDIGIT: u64 = 64;
const F_APOS: u64 = 128;

/// Curly quotes and apostrophes as CoNLL (straight ASCII) writes them, so news text with
/// typographic marks hits the same features as the training data.
/// British-style honorifics without the period ("Mr Trump") are written as CoNLL's
/// American style ("Mr."), so the model treats them as the title it learned.
fn normalise(word: &str) -> std::borrow::Cow<'_, str> {
    if word.is_ascii() {
        return match word {
            "Mr" | "Mrs" | "Ms" | "Dr" | "Messrs" | "MR" | "MRS" | "DR" => {
                std::borrow::Cow::Owned(format!("{word}."))
            }
            _ => std::borrow::Cow::Borrowed(word),
        };
    }
    std::borrow::Cow::Owned(
        word.chars()
            .map(|c| match c {
                '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
                '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => '"',
                '\u{2013}' | '\u{2014}' => '-',
                c => c,
            })
            .collect(),
    )
}

fn shape_class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else if c.is_alphabetic() {
        // Letters without case (CJK, Arabic...): one class of their own.
        'a'
    } else {
        c
    }
}

/// Scratch buffers reused across tokens and sentences.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    lower: String,
    chars: Vec<char>,
    ngram: String,
    title: String,
    pub(crate) atoms: Vec<Atoms>,
    pub(crate) feats: Vec<u64>,
    pub(crate) doc_atoms: Vec<Atoms>,
    pub(crate) doc_map: IdMap<u8>,
    pub(crate) history: History,
    /// Summed weights of each word's [`word_features`], by a hash of [`word_key`] (the full
    /// key is kept and compared, so a hash collision costs a recomputation, never a wrong
    /// sum). Cleared when it grows past [`WORD_CACHE_MAX`].
    pub(crate) word_cache: WordCache,
    /// The model whose weights `word_cache` sums (its id; 0: none yet).
    pub(crate) word_cache_owner: u64,
}

/// Summed word-feature weights by a hash of [`word_key`], with the full key.
pub(crate) type WordCache = IdMap<((u64, u64, u32), [i32; N_TAGS])>;

/// Words kept in [`Scratch::word_cache`] before it is cleared (a few MB).
pub(crate) const WORD_CACHE_MAX: usize = 100_000;

fn token_atoms(word: &str, s: &mut Scratch) -> Atoms {
    let w = normalise(word);
    s.chars.clear();
    s.chars.extend(w.chars().take(MAX_CHARS));
    s.lower.clear();
    let mut flags = 0u64;
    let mut n_upper = 0usize;
    let mut n_alpha = 0usize;
    let mut n_digit = 0usize;
    let mut shape_h: u64 = 0x1234;
    let mut short_h: u64 = 0x5678;
    let mut last: char = '\0';
    let mut run = 0usize;
    for &c in &s.chars {
        if c.is_numeric() {
            n_digit += 1;
            s.lower.push('0');
        } else {
            for l in c.to_lowercase() {
                s.lower.push(l);
            }
        }
        if c.is_alphabetic() {
            n_alpha += 1;
            if c.is_uppercase() {
                n_upper += 1;
            }
        }
        match c {
            '-' => flags |= F_HYPHEN,
            '.' => flags |= F_PERIOD,
            '\'' => flags |= F_APOS,
            _ => {}
        }
        let k = shape_class(c);
        if k == last {
            run += 1;
        } else {
            run = 1;
            short_h = mix(short_h, k as u64);
        }
        if run <= 3 {
            shape_h = mix(shape_h, k as u64);
        }
        last = k;
    }
    let first_upper = s.chars.first().is_some_and(|c| c.is_uppercase());
    if first_upper {
        flags |= F_CAP;
    }
    if n_alpha > 0 && n_upper == n_alpha {
        flags |= F_ALLCAPS;
    }
    if n_digit > 0 {
        flags |= F_DIGIT;
        if n_digit == s.chars.len() {
            flags |= F_ALLDIGIT;
        }
    }
    if n_alpha > 0 {
        flags |= F_ALPHA;
    }
    let lb = s.lower.as_bytes();
    let mut prefix = [0u64; 4];
    let mut suffix = [0u64; 4];
    let mut ends = [0usize; 4];
    let mut n_ends = 0usize;
    for (i, c) in s.lower.char_indices().take(4) {
        if let Some(e) = ends.get_mut(n_ends) {
            *e = i + c.len_utf8();
        }
        n_ends += 1;
    }
    for (k, p) in prefix.iter_mut().enumerate() {
        if k < n_ends {
            let end = ends.get(k).copied().unwrap_or(lb.len());
            *p = mix(fnv(lb.get(..end).unwrap_or(lb)), 0x70 + k as u64);
        }
    }
    for (k, (start, _)) in s.lower.char_indices().rev().take(4).enumerate() {
        if let Some(sfx) = suffix.get_mut(k) {
            *sfx = mix(fnv(lb.get(start..).unwrap_or(lb)), 0x80 + k as u64);
        }
    }
    let len_bucket = match s.chars.len() {
        0..=1 => 1,
        2..=3 => 2,
        4..=6 => 3,
        7..=10 => 4,
        _ => 5,
    };
    flags |= len_bucket << 8;
    let case = if flags & F_ALLCAPS != 0 && n_alpha > 1 {
        3
    } else if first_upper {
        2
    } else if s.chars.first().is_some_and(|c| c.is_lowercase()) {
        1
    } else {
        0
    };
    Atoms {
        raw: fnv(w.as_bytes()),
        lower: fnv(lb),
        shape: shape_h,
        short_shape: short_h,
        prefix,
        suffix,
        flags,
        gaz: 0,
        doc: 0,
        case,
        initial: false,
        lex: 0,
        cap: first_upper,
        pos: 0,
        rel: 0,
        head: 0,
        marker: 0,
    }
}

fn kind_code(k: PlaceKind) -> u64 {
    match k {
        PlaceKind::Country => 1,
        PlaceKind::Admin1 => 2,
        PlaceKind::City => 3,
        PlaceKind::Region => 4,
    }
}

/// Gazetteer code of a surface form: country (1), admin1 (2), city (3), region (4), or 0.
fn place_code(g: &Gazetteer, name: &str) -> u64 {
    if g.country_by_name(name).is_some() {
        return 1;
    }
    if !g.is_place_name(name) {
        return 0;
    }
    g.places(name).first().map_or(0, |p| kind_code(p.kind))
}

/// Title-cases an all-caps word into `buf` ("BRUSSELS" -> "Brussels") so headline tokens
/// reach the case-sensitive gazetteer.
fn title_case<'b>(word: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    for (i, c) in word.chars().enumerate() {
        if i == 0 {
            buf.push(c);
        } else {
            buf.extend(c.to_lowercase());
        }
    }
    buf
}

fn gaz_atoms(words: &[&str], s: &mut Scratch) {
    let g = Gazetteer::global();
    let n = words.len();
    let max_n = g.max_name_words().clamp(1, 4);
    for i in 0..n {
        let Some(a) = s.atoms.get(i).copied() else {
            continue;
        };
        if !a.cap {
            continue;
        }
        let Some(word) = words.get(i) else { continue };
        let allcaps = a.flags & F_ALLCAPS != 0 && word.chars().nth(1).is_some();
        let mut code = 0u64;
        if word.len() <= 64 {
            let dem = g.country_by_demonym(word).is_some()
                || (allcaps && g.country_by_demonym(title_case(word, &mut s.title)).is_some());
            let mut pc = place_code(g, word);
            if pc == 0 && allcaps {
                let t = title_case(word, &mut s.title).to_string();
                pc = place_code(g, &t);
            }
            code = pc | (u64::from(dem) << 4);
        }
        // Multi-word names starting here: mark every covered token with (kind, position).
        for len in (2..=max_n).rev() {
            if i + len > n {
                continue;
            }
            let Some(span) = words.get(i..i + len) else {
                continue;
            };
            if span.iter().any(|w| w.len() > 40) {
                continue;
            }
            s.ngram.clear();
            for (k, w) in span.iter().enumerate() {
                if k > 0 {
                    s.ngram.push(' ');
                }
                s.ngram.push_str(w);
            }
            let mut pc = place_code(g, &s.ngram);
            if pc == 0 && allcaps {
                let t = title_case(&s.ngram, &mut s.title).to_string();
                // title_case only lowers after the first char; re-capitalise word starts.
                let t: String = t
                    .split(' ')
                    .map(|w| {
                        let mut c = w.chars();
                        match c.next() {
                            Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                            None => String::new(),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                pc = place_code(g, &t);
            }
            if pc != 0 {
                for k in 0..len {
                    if let Some(at) = s.atoms.get_mut(i + k) {
                        let pos = if k == 0 { 1 } else { 2 };
                        at.gaz |= (pc << 8 | pos << 12) & 0xff00;
                    }
                }
                break;
            }
        }
        if let Some(at) = s.atoms.get_mut(i) {
            at.gaz |= code;
        }
    }
}

/// Hash of the normalised lowercase form (the lexicon key) and the case class of a word.
pub(crate) fn lower_hash_and_case(word: &str, s: &mut Scratch) -> (u64, u8) {
    let a = token_atoms(word, s);
    (a.lower, a.case)
}

/// Fills `s.atoms` for a sentence; `syntax` is the parse per word (empty: none).
pub(crate) fn sentence_atoms(words: &[&str], syntax: &[WordSyntax], s: &mut Scratch, lex: &Lexicon) {
    s.atoms.clear();
    for (i, w) in words.iter().enumerate() {
        let mut a = token_atoms(w, s);
        a.initial = i == 0;
        a.lex = lex.get(a.lower);
        s.atoms.push(a);
    }
    if syntax.len() == words.len() {
        for i in 0..s.atoms.len() {
            let Some(x) = syntax.get(i).copied() else { continue };
            let lower =
                |k: Option<u32>, s: &Scratch| k.and_then(|k| s.atoms.get(k as usize)).map(|a| a.lower);
            let head = lower(x.head, s).unwrap_or(ROOT_HEAD);
            let marker = lower(x.marker, s).unwrap_or(0);
            if let Some(a) = s.atoms.get_mut(i) {
                a.pos = x.pos;
                a.rel = x.rel;
                a.head = head;
                a.marker = marker;
            }
        }
    }
    gaz_atoms(words, s);
}

/// The padding atom before the first and after the last token (`id` tells them apart).
const fn pad(id: u64) -> Atoms {
    Atoms {
        raw: id,
        lower: id,
        shape: id,
        short_shape: id,
        prefix: [0; 4],
        suffix: [0; 4],
        flags: 0,
        gaz: 0,
        doc: 0,
        case: 0,
        initial: false,
        lex: 0,
        cap: false,
        pos: 0,
        rel: 0,
        head: 0,
        marker: 0,
    }
}
const PAD_BOS: Atoms = pad(11);
const PAD_EOS: Atoms = pad(13);

/// Static (history-independent) features of token `i`, appended to `out`.
/// Every static feature of token `i`: the word's own ([`word_features`]) and those of its
/// context ([`context_features`]). Training uses this; decoding caches the word's part.
pub(crate) fn static_features(atoms: &[Atoms], headline: u64, i: usize, out: &mut Vec<u64>) {
    if let Some(a) = atoms.get(i) {
        word_features(a, out);
    }
    context_features(atoms, headline, i, out);
}

/// Features of the token alone: they depend on nothing but [`word_key`]'s parts, so their
/// summed weights can be cached per word (most tokens of news are words seen before).
pub(crate) fn word_features(a: &Atoms, out: &mut Vec<u64>) {
    let f = |t: u64, v: u64| mix(t, v);
    // The bias is the same for every token, so it is cached with the word's features.
    out.push(f(1, 0));
    out.push(f(2, a.raw));
    out.push(f(3, a.lower));
    out.push(f(4, a.shape));
    out.push(f(5, a.short_shape));
    for k in 0..4 {
        if a.prefix[k] != 0 {
            out.push(f(6 + k as u64, a.prefix[k]));
        }
        if a.suffix[k] != 0 {
            out.push(f(10 + k as u64, a.suffix[k]));
        }
    }
    if a.gaz != 0 {
        out.push(f(32, a.gaz));
        out.push(f(33, mix(a.gaz, a.short_shape)));
    }
    let lx = u64::from(a.lex);
    if lx != 0 {
        let (l, r) = (lx >> 8 & 0xff, lx >> 16 & 0xff);
        out.push(f(41, l));
        out.push(f(42, r));
        out.push(f(43, l | r << 8));
        out.push(f(45, mix(r, a.short_shape)));
    }
    out.push(f(46, u64::from(a.lex >> 24)));
}

/// What [`word_features`] reads: the word (its hash determines its spelling-derived atoms),
/// its gazetteer match (which depends on its neighbours) and its corpus statistics.
pub(crate) fn word_key(a: &Atoms) -> (u64, u64, u32) {
    (a.raw, a.gaz, a.lex)
}

/// Features of token `i` that depend on its position, sentence or neighbours (everything
/// [`word_features`] does not emit).
pub(crate) fn context_features(atoms: &[Atoms], headline: u64, i: usize, out: &mut Vec<u64>) {
    let at = |j: isize| -> Atoms {
        if j < 0 {
            PAD_BOS
        } else {
            atoms.get(j as usize).copied().unwrap_or(PAD_EOS)
        }
    };
    let ii = i as isize;
    let a = at(ii);
    let p1 = at(ii - 1);
    let p2 = at(ii - 2);
    let n1 = at(ii + 1);
    let n2 = at(ii + 2);
    let first = u64::from(i == 0);
    let hl = headline;
    let f = |t: u64, v: u64| mix(t, v);
    out.push(f(14, a.flags | first << 20 | hl << 21));
    out.push(f(15, mix(a.shape, first | hl << 1)));
    out.push(f(16, p1.lower));
    out.push(f(17, n1.lower));
    out.push(f(18, p2.lower));
    out.push(f(19, n2.lower));
    out.push(f(20, p1.short_shape));
    out.push(f(21, n1.short_shape));
    out.push(f(22, mix(p1.lower, a.lower)));
    out.push(f(23, mix(a.lower, n1.lower)));
    out.push(f(24, mix(mix(p1.short_shape, a.short_shape), n1.short_shape)));
    out.push(f(25, mix(p1.shape, a.shape)));
    out.push(f(26, mix(a.shape, n1.shape)));
    out.push(f(27, mix(p1.lower, a.shape)));
    out.push(f(28, mix(a.shape, n1.lower)));
    out.push(f(29, mix(p2.lower, p1.lower)));
    out.push(f(30, mix(n1.lower, n2.lower)));
    out.push(f(31, mix(a.raw, hl)));
    if p1.gaz != 0 {
        out.push(f(34, p1.gaz));
    }
    if n1.gaz != 0 {
        out.push(f(35, n1.gaz));
    }
    out.push(f(
        36,
        mix(p1.flags & 0xff, a.flags & 0xff) ^ n1.flags.wrapping_mul(31),
    ));
    out.push(f(37, mix(a.suffix[2], n1.lower)));
    let case = u64::from(a.case);
    out.push(f(38, a.doc | case << 4 | first << 6 | hl << 7));
    let lx = u64::from(a.lex);
    let cl = u64::from(a.lex >> 24);
    let (pc, nc) = (u64::from(p1.lex >> 24), u64::from(n1.lex >> 24));
    out.push(f(47, cl | pc << 8));
    out.push(f(48, pc | u64::from(p2.lex >> 24) << 8));
    out.push(f(49, nc));
    out.push(f(50, cl | case << 8 | hl << 10));
    out.push(f(51, cl | nc << 8));
    out.push(f(40, (lx & 0xff) | case << 8 | first << 10 | hl << 11));
    out.push(f(
        44,
        (lx & 7) | u64::from(p1.lex & 7) << 3 | u64::from(n1.lex & 7) << 6 | case << 9,
    ));
    out.push(f(
        39,
        p1.doc | n1.doc << 3 | case << 6 | u64::from(p1.case) << 8 | u64::from(n1.case) << 10,
    ));
    // The parse (issue 20): POS in its window, the phrase's relation, the word it depends
    // on and its case marker: roles that hold for names never seen in training.
    if a.pos != 0 {
        let (pos, pp, np) = (u64::from(a.pos), u64::from(p1.pos), u64::from(n1.pos));
        let rel = u64::from(a.rel);
        out.push(f(52, pos | case << 8));
        out.push(f(53, pos | pp << 8 | np << 16));
        out.push(f(54, rel | pos << 8));
        out.push(f(55, mix(a.head, rel)));
        out.push(f(56, mix(a.marker, rel)));
        out.push(f(57, mix(a.marker, a.head)));
    }
}

pub(crate) use chronicle_core::words::IdMap;

/// Fills each token's `doc` bits with how its word is cased at non-initial positions
/// anywhere in the document (`atoms` = all tokens of one document): a capitalised word that
/// also appears in lower case is rarely a name, and an all-caps headline word whose
/// title-case form appears in the body probably is one.
pub(crate) fn apply_doc_context(atoms: &mut [Atoms], map: &mut IdMap<u8>) {
    map.clear();
    for a in atoms.iter() {
        if a.initial || a.case == 0 {
            continue;
        }
        *map.entry(a.lower).or_insert(0) |= 1 << (a.case - 1);
    }
    for a in atoms.iter_mut() {
        a.doc = u64::from(map.get(&a.lower).copied().unwrap_or(0));
    }
}

/// Number of BIO labels.
pub(crate) const N_TAGS: usize = 9;
/// History value for "before the sentence".
pub(crate) const START: usize = N_TAGS;

/// Label history of the document so far: per capitalised word, how often each type
/// (O, PER, ORG, LOC, MISC) was assigned. Gives one-pass document consistency ("Clinton"
/// after "Bill Clinton" is PER) without a second decoding pass.
pub(crate) type History = IdMap<[u16; 5]>;

/// Summary of the history of token `a`'s word (0 = not a capitalised word).
pub(crate) fn history_value(a: &Atoms, hist: &History) -> u64 {
    if a.case < 2 {
        return 0;
    }
    let Some(c) = hist.get(&a.lower) else { return 1 };
    let total: u32 = c.iter().map(|x| u32::from(*x)).sum();
    let (mut top, mut n) = (0usize, 0u16);
    for (k, x) in c.iter().enumerate() {
        if *x > n {
            top = k;
            n = *x;
        }
    }
    let frac = if u32::from(n) == total {
        2
    } else if u32::from(n) * 2 >= total {
        1
    } else {
        0
    };
    2 + top as u64 * 3 + frac + u64::from(total >= 2) * 16
}

/// Records the label chosen for token `a`.
pub(crate) fn record_history(a: &Atoms, tag: usize, hist: &mut History) {
    if a.case < 2 {
        return;
    }
    let e = hist.entry(a.lower).or_insert([0; 5]);
    if let Some(x) = e.get_mut(tag.div_ceil(2).min(4)) {
        *x = x.saturating_add(1);
    }
}

/// Number of history-dependent features.
pub(crate) const N_DYN: usize = 7;

/// History-dependent features of token `i` given the two previous labels and the
/// document label history value `hv` (see [`history_value`]).
pub(crate) fn dynamic_features(
    atoms: &[Atoms],
    i: usize,
    prev: usize,
    prev2: usize,
    hv: u64,
    out: &mut [u64; N_DYN],
) {
    let a = atoms.get(i).copied().unwrap_or(PAD_EOS);
    let p = prev as u64;
    let p2 = prev2 as u64;
    out[0] = mix(100, p);
    out[1] = mix(101, p | p2 << 8);
    out[2] = mix(102, mix(a.lower, p));
    out[3] = mix(103, mix(a.shape, p));
    out[4] = mix(104, mix(a.short_shape, p | p2 << 8));
    out[5] = mix(105, hv);
    out[6] = mix(
        106,
        hv | u64::from(a.case) << 8 | u64::from(a.initial) << 10 | p << 12,
    );
}

/// Sentence style: bit 0 when it is a headline / table row written in capitals (case then
/// says nothing about names), bit 1 when it is mostly numbers (results tables, where a
/// city name usually stands for a team).
pub(crate) fn sentence_style(atoms: &[Atoms]) -> u64 {
    let alpha = atoms.iter().filter(|a| a.flags & F_ALPHA != 0).count();
    let caps = atoms
        .iter()
        .filter(|a| a.flags & F_ALPHA != 0 && a.flags & F_ALLCAPS != 0)
        .count();
    let digits = atoms.iter().filter(|a| a.flags & F_DIGIT != 0).count();
    let headline = alpha >= 2 && caps * 10 >= alpha * 8;
    let table = atoms.len() >= 3 && digits * 10 >= atoms.len() * 3;
    u64::from(headline) | u64::from(table) << 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atoms_of(words: &[&str]) -> Vec<Atoms> {
        let mut s = Scratch::default();
        sentence_atoms(words, &[], &mut s, &Lexicon::default());
        s.atoms.clone()
    }

    #[test]
    fn shapes_distinguish_case_and_digits() {
        let a = atoms_of(&["Paris", "PARIS", "paris", "1996", "U.S."]);
        assert_ne!(a[0].shape, a[1].shape);
        assert_ne!(a[0].shape, a[2].shape);
        assert_eq!(a[0].lower, a[1].lower);
        assert_eq!(a[0].lower, a[2].lower);
        assert_ne!(a[3].shape, a[4].shape);
        assert!(a[3].flags & F_ALLDIGIT != 0);
        assert!(a[4].flags & F_PERIOD != 0);
        assert!(a[0].cap && !a[2].cap);
    }

    #[test]
    fn long_runs_share_shape() {
        let a = atoms_of(&["Xxxxxxxx", "Abcdefghijkl", "Ab"]);
        assert_eq!(a[0].shape, a[1].shape);
        assert_ne!(a[0].shape, a[2].shape);
        assert_eq!(a[0].short_shape, a[2].short_shape);
    }

    #[test]
    fn affixes_are_char_based() {
        let a = atoms_of(&["Köln", "köln"]);
        assert_eq!(a[0].prefix, a[1].prefix);
        assert_eq!(a[0].suffix, a[1].suffix);
        let b = atoms_of(&["x"]);
        assert_ne!(b[0].prefix[0], 0);
        assert_eq!(b[0].prefix[1], 0);
        assert_eq!(b[0].suffix[1], 0);
    }

    #[test]
    fn curly_quotes_normalise() {
        let a = atoms_of(&["\u{2019}s", "'s", "Mr", "Mr."]);
        assert_eq!(a[0].raw, a[1].raw);
        assert_eq!(a[2].raw, a[3].raw);
    }

    #[test]
    fn gazetteer_marks_countries_and_demonyms() {
        let a = atoms_of(&["the", "Germany", "German", "GERMANY"]);
        assert_eq!(a[0].gaz, 0);
        assert_eq!(a[1].gaz & 0xf, 1);
        assert!(a[2].gaz & 0x10 != 0);
        assert_eq!(a[3].gaz & 0xf, 1, "all-caps forms are title-cased for lookup");
    }

    #[test]
    fn features_are_deterministic_and_distinct() {
        let a = atoms_of(&["EU", "rejects", "German", "call"]);
        let mut f1 = Vec::new();
        let mut f2 = Vec::new();
        static_features(&a, 0, 1, &mut f1);
        static_features(&a, 0, 1, &mut f2);
        assert_eq!(f1, f2);
        let mut f3 = Vec::new();
        static_features(&a, 0, 2, &mut f3);
        assert_ne!(f1, f3);
        // Hash values are part of the file format.
        assert_eq!(mix(1, 0), mix(1, 0));
        assert_ne!(mix(1, 2), mix(2, 1));
        assert_eq!(sentence_style(&atoms_of(&["GERMANY", "BEAT", "ITALY"])), 1);
        assert_eq!(sentence_style(&atoms_of(&["Germany", "beat", "Italy"])), 0);
        assert_eq!(sentence_style(&atoms_of(&["Leeds", "2", "Everton", "1"])), 2);
    }
}
