//! Counts in digits and words ("12", "twenty-four", "several").

use super::*;

/// Parses a digit token ("12", "1,200"); rejects decimals and anything else.
pub(crate) fn int_token(w: &W<'_>) -> Option<u32> {
    if w.kind != TokenKind::Number {
        return None;
    }
    let mut n: u32 = 0;
    for c in w.text.chars() {
        match c {
            '0'..='9' => n = n.checked_mul(10)?.checked_add(c.to_digit(10)?)?,
            ',' => {}
            _ => return None,
        }
    }
    Some(n)
}

/// A word number possibly hyphenated ("twenty-four").
pub(crate) fn word_number(s: &str) -> Option<u32> {
    if let Some(n) = number_word(s) {
        return Some(n);
    }
    let (a, b) = s.split_once('-')?;
    let (a, b) = (number_word(a)?, number_word(b)?);
    (a >= 20 && a % 10 == 0 && b < 10).then_some(a + b)
}

/// A quantity at `i`: `Some(n)` or `None` for vague ones ("several"), and the index after it.
pub(crate) fn quantity(w: &[W<'_>], i: usize) -> Option<(Option<u32>, usize)> {
    let a = lw(w, i);
    if let Some(n) = w.get(i).and_then(int_token) {
        return Some((Some(n), i + 1));
    }
    if a == "a" && lw(w, i + 1) == "couple" && lw(w, i + 2) == "of" {
        return Some((Some(2), i + 3));
    }
    // "the next couple of years".
    if a == "couple" && lw(w, i + 1) == "of" {
        return Some((Some(2), i + 2));
    }
    if a == "a" && lw(w, i + 1) == "few" {
        return Some((None, i + 2));
    }
    if is_vague_quantity(a) {
        return Some((None, i + 1));
    }
    let n = word_number(a)?;
    let mut j = i + 1;
    let mut total = n;
    // "twenty four", "a hundred", "one hundred twenty".
    if n >= 20 && n % 10 == 0 && n < 100 {
        if let Some(k) = number_word(lw(w, j)).filter(|&k| (1..10).contains(&k) && lw(w, j) != "a") {
            total += k;
            j += 1;
        }
    }
    if lw(w, j) == "hundred" && total < 10 {
        total *= 100;
        j += 1;
    }
    Some((Some(total), j))
}
