//! Deterministic 64-bit hashing for feature keys. A fixed function (not `RandomState`)
//! so that training is reproducible and a saved model's keys mean the same at load.

/// Multiplier from FxHash (golden-ratio based); cheap and good enough with [`finish`].
const K: u64 = 0x517c_c1b7_2722_0a95;

/// Folds one value into a running hash.
#[inline]
pub fn mix(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(K)
}

/// Final avalanche (murmur3 fmix64): spreads the bits so the low bits index a table.
#[inline]
pub fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Hash of a byte string (FNV-1a style loop over 8-byte chunks with [`mix`]).
#[inline]
pub fn bytes(b: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ (b.len() as u64);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(a));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut a = [0u8; 8];
        a[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(a));
    }
    finish(h)
}

/// Hash of a string.
#[inline]
pub fn str(s: &str) -> u64 {
    bytes(s.as_bytes())
}

/// A `Hasher` for `HashMap`s keyed by already-hashed `u64`s (training tables).
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, u64::from(b));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = finish(v);
    }
}

/// Build-hasher for [`IdHasher`].
pub type BuildId = std::hash::BuildHasherDefault<IdHasher>;
