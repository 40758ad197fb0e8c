//! Per-word hashed attributes computed once per sentence and shared by the tagger and
//! the parser (so neither re-lowercases or re-slices a word).

use crate::hash;
use std::collections::HashMap;

/// Hashes of a word's surface attributes.
#[derive(Clone, Copy, Debug, Default)]
pub struct WordInfo {
    pub form: u64,
    pub lower: u64,
    pub pre: [u64; 3],
    pub suf: [u64; 4],
    pub shape: u64,
    /// Bit flags: 1 has digit, 2 has hyphen, 4 first upper, 8 all upper, 16 has letter.
    pub flags: u64,
    /// Fine word-cluster id (u64::MAX when unknown or no clusters).
    pub cluster: u64,
    /// Coarse word-cluster id (u64::MAX when unknown).
    pub cluster2: u64,
}

/// Distributional word clusters: lowercase-form hash to `coarse << 16 | fine` ids
/// (learned by `clusters::build`).
#[derive(Default, Clone)]
pub struct Clusters {
    pub map: HashMap<u64, u32, hash::BuildId>,
}

fn shape_hash(s: &str) -> u64 {
    let mut out = [0u8; 16];
    let mut n = 0;
    let mut last = 0u8;
    for ch in s.chars() {
        let c = if ch.is_uppercase() {
            b'X'
        } else if ch.is_lowercase() {
            b'x'
        } else if ch.is_ascii_digit() {
            b'd'
        } else if ch.is_ascii() {
            ch as u8
        } else {
            b'o'
        };
        if c == last {
            continue;
        }
        last = c;
        if n < out.len() {
            out[n] = c;
            n += 1;
        }
    }
    hash::bytes(&out[..n])
}

/// Lowercases only when needed (most words are already lowercase).
pub fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(|c| c.is_uppercase()) {
        std::borrow::Cow::Owned(s.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

impl WordInfo {
    /// Computes the attributes of one word.
    pub fn new(form: &str, clusters: &Clusters) -> Self {
        let low = lower(form);
        let low = low.as_ref();
        let mut pre = [0u64; 3];
        let mut suf = [0u64; 4];
        // Byte ends of the first three characters, byte starts of the last four.
        let mut ends = [low.len(); 3];
        for (k, (i, c)) in low.char_indices().take(3).enumerate() {
            ends[k] = i + c.len_utf8();
        }
        let mut starts = [0usize; 4];
        for (k, (i, _)) in low.char_indices().rev().take(4).enumerate() {
            starts[k] = i;
        }
        let nch = low.chars().count();
        for (k, p) in pre.iter_mut().enumerate() {
            *p = hash::mix(k as u64 + 1, hash::str(&low[..ends[k]]));
        }
        for (k, s) in suf.iter_mut().enumerate() {
            let start = if k + 1 >= nch { 0 } else { starts[k] };
            *s = hash::mix(k as u64 + 11, hash::str(&low[start..]));
        }
        let mut flags = 0u64;
        let mut all_upper = true;
        let mut any_letter = false;
        for (i, c) in form.chars().enumerate() {
            if c.is_ascii_digit() {
                flags |= 1;
            }
            if c == '-' {
                flags |= 2;
            }
            if i == 0 && c.is_uppercase() {
                flags |= 4;
            }
            if c.is_alphabetic() {
                any_letter = true;
                if !c.is_uppercase() {
                    all_upper = false;
                }
            }
        }
        if any_letter {
            flags |= 16;
            if all_upper {
                flags |= 8;
            }
        }
        let lower = hash::str(low);
        let (cluster, cluster2) = match clusters.map.get(&lower) {
            Some(&c) => (u64::from(c & 0xFFFF), u64::from(c >> 16)),
            None => (u64::MAX, u64::MAX),
        };
        WordInfo {
            form: hash::str(form),
            lower,
            pre,
            suf,
            shape: shape_hash(form),
            flags,
            cluster,
            cluster2,
        }
    }
}
