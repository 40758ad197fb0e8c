//! Small word-level helpers several stages share, kept here so each lives once.

use std::hash::Hasher;

/// FNV-1a hasher for the fixed word tables the stages look tokens up in: keys are short,
/// lookups happen once per token, and the tables are not attacker-chosen, so SipHash's
/// set-up cost buys nothing.
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Build-hasher for `HashSet`/`HashMap` over word tables.
pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// Pass-through hasher for maps whose keys are already well-mixed 64-bit hashes (the
/// feature keys of the learned models): hashing them again would only cost time.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
}

/// A map keyed by precomputed 64-bit hashes.
pub type IdMap<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<IdHasher>>;

/// Cardinal number words up to a hundred ("a"/"an" count as one, "dozen" as twelve), lower
/// case. Casualty counts and durations in news are spelled this way below ten by style rule.
pub fn number_word(w: &str) -> Option<u32> {
    Some(match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" | "dozen" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn numbers_and_hasher() {
        assert_eq!(number_word("two"), Some(2));
        assert_eq!(number_word("dozen"), Some(12));
        assert_eq!(number_word("Two"), None);
        let s: HashSet<&str, FnvBuild> = ["said", "told"].into_iter().collect();
        assert!(s.contains("said") && !s.contains("sad"));
    }
}
