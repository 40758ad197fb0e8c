//! Mapping record offsets onto the gold text when the pipeline's cleaned text differs from it.
//!
//! The text stage may collapse whitespace, normalise quotes or drop control characters; the
//! record's offsets then point into its own `text`, not the gold's. Rather than penalise every
//! span after the first difference, we align the two texts character by character (linear,
//! with a short look-ahead to resynchronise after insertions or deletions) and map each span.

/// How record offsets map onto gold offsets (both in code points).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    /// `None`: the texts are identical, offsets map to themselves.
    map: Option<Vec<usize>>,
    gold_len: usize,
}

impl Alignment {
    /// The identity mapping for a text of `gold_len` code points.
    pub fn identity(gold_len: usize) -> Alignment {
        Alignment { map: None, gold_len }
    }

    /// Whether the record text differed from the gold text.
    pub fn is_realigned(&self) -> bool {
        self.map.is_some()
    }

    /// Maps a record code point position onto the gold text.
    pub fn pos(&self, p: usize) -> usize {
        match &self.map {
            None => p.min(self.gold_len),
            Some(m) => m.get(p).or(m.last()).copied().unwrap_or(0).min(self.gold_len),
        }
    }

    /// Maps a half-open record span onto the gold text (the end follows its last character).
    pub fn span(&self, s: usize, e: usize) -> (usize, usize) {
        let (s, e) = (s.min(e), s.max(e));
        if self.map.is_none() {
            return (self.pos(s), self.pos(e));
        }
        let gs = self.pos(s);
        let ge = if e > s {
            (self.pos(e - 1) + 1).min(self.gold_len)
        } else {
            gs
        };
        (gs, ge.max(gs))
    }
}

fn fold(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2007}' | '\u{202F}' => ' ',
        _ => c,
    }
}

fn same(a: char, b: char) -> bool {
    a == b || fold(a) == fold(b) || (a.is_whitespace() && b.is_whitespace())
}

/// How many characters must agree after a skip before we trust a resynchronisation.
const RESYNC_RUN: usize = 4;
/// The longest insertion/deletion we look for.
const RESYNC_MAX: usize = 16;

fn run_agrees(p: &[char], g: &[char]) -> bool {
    let n = RESYNC_RUN.min(p.len()).min(g.len());
    n > 0 && p.iter().zip(g).take(n).all(|(a, b)| same(*a, *b))
}

/// Aligns `record_text` onto `gold_text`. Returns the identity when they are equal.
pub fn align(record_text: &str, gold_text: &str) -> Alignment {
    let gold_len = gold_text.chars().count();
    if record_text == gold_text {
        return Alignment::identity(gold_len);
    }
    let p: Vec<char> = record_text.chars().collect();
    let g: Vec<char> = gold_text.chars().collect();
    let mut map = Vec::with_capacity(p.len() + 1);
    let (mut i, mut j) = (0usize, 0usize);
    while i < p.len() {
        let pc = p.get(i).copied().unwrap_or(' ');
        let gc = g.get(j).copied();
        if gc.is_some_and(|gc| same(pc, gc)) {
            map.push(j);
            i += 1;
            j += 1;
            continue;
        }
        if pc.is_whitespace() {
            // Extra whitespace in the record.
            map.push(j.min(g.len()));
            i += 1;
            continue;
        }
        if gc.is_some_and(char::is_whitespace) {
            // Whitespace dropped by the record.
            j += 1;
            continue;
        }
        if gc.is_none() {
            map.push(g.len());
            i += 1;
            continue;
        }
        // Try a deletion in the record (gold has extra chars) or an insertion (record has extra).
        let rest_p = p.get(i..).unwrap_or(&[]);
        let rest_g = g.get(j..).unwrap_or(&[]);
        let mut resolved = false;
        for d in 1..=RESYNC_MAX {
            if rest_g.get(d..).is_some_and(|gs| run_agrees(rest_p, gs)) {
                j += d;
                resolved = true;
                break;
            }
            if rest_p.get(d..).is_some_and(|ps| run_agrees(ps, rest_g)) {
                for _ in 0..d {
                    map.push(j);
                }
                i += d;
                resolved = true;
                break;
            }
        }
        if !resolved {
            // Substitution (e.g. a normalised character of the same width).
            map.push(j);
            i += 1;
            j += 1;
        }
    }
    map.push(j.min(g.len()));
    Alignment {
        map: Some(map),
        gold_len,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(s: &str, (a, b): (usize, usize)) -> String {
        s.chars().skip(a).take(b - a).collect()
    }

    #[test]
    fn identity_when_equal() {
        let a = align("abc", "abc");
        assert!(!a.is_realigned());
        assert_eq!(a.span(1, 3), (1, 3));
    }

    #[test]
    fn collapsed_whitespace_and_quotes() {
        let gold = "He said  \u{201C}no\u{201D}.\n\nThen Kyiv  fell.";
        let rec = "He said \"no\".\nThen Kyiv fell.";
        let a = align(rec, gold);
        assert!(a.is_realigned());
        let kyiv = rec.find("Kyiv").unwrap();
        assert_eq!(slice(gold, a.span(kyiv, kyiv + 4)), "Kyiv");
        let no = rec.find("no").unwrap();
        assert_eq!(slice(gold, a.span(no, no + 2)), "no");
    }

    #[test]
    fn dropped_characters_resync() {
        let gold = "Intro \u{0007}\u{0007}text about Moscow today";
        let rec = "Intro text about Moscow today";
        let a = align(rec, gold);
        let m = rec.find("Moscow").unwrap();
        assert_eq!(slice(gold, a.span(m, m + 6)), "Moscow");
    }

    #[test]
    fn out_of_range_is_clamped() {
        let a = align("abcdef", "abc");
        assert!(a.span(2, 100).1 <= 3);
    }
}
