//! Durations and the dates counted from them ("five hours", "two and a half years", "a
//! day earlier", "three years ago").

use super::*;

/// "five hours", "two-year", "a day earlier", "three years ago", "8-month-old".
pub(crate) fn duration(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    // One hyphenated token: "five-year", "10-hour", "8-month-old", "twenty-four-hour".
    let t = w.get(i)?;
    if t.kind == TokenKind::Word && t.lower.contains('-') {
        let parts: Vec<&str> = t.lower.split('-').collect();
        let (n, rest) = match parts.as_slice() {
            [a, b, rest @ ..] if word_number(&format!("{a}-{b}")).is_some() && !rest.is_empty() => {
                (word_number(&format!("{a}-{b}")), rest)
            }
            [a, rest @ ..] => (a.parse::<u32>().ok().or_else(|| word_number(a)), rest),
            [] => return None,
        };
        let n = n?;
        let u = unit(rest.first()?)?;
        if !(rest.len() == 1 || (rest.len() == 2 && matches!(rest.get(1), Some(&"old") | Some(&"long")))) {
            return None;
        }
        if u == Unit::Quarter {
            return None;
        }
        return Some(M::new(i, i + 1, TimexType::Duration, Some(u.duration(Some(n)))));
    }
    // "30-year", "52-week", "27-year-old": digits, a glued hyphen, a glued unit word.
    if t.kind == TokenKind::Number && lw(w, i + 1) == "-" {
        let glued = |k: usize| w.get(k).is_some_and(|x| !x.space_before);
        let n = int_token(t)?;
        let uw = lw(w, i + 2);
        let (head, tail) = uw.split_once('-').unwrap_or((uw, ""));
        if glued(i + 1) && glued(i + 2) && matches!(tail, "" | "old" | "long") {
            if let Some(u) = unit(head).filter(|&u| u != Unit::Quarter && !head.ends_with('s')) {
                return Some(M::new(i, i + 3, TimexType::Duration, Some(u.duration(Some(n)))));
            }
        }
        return None;
    }
    let (q, j) = quantity(w, i)?;
    // A year is not a count ("the 1988 quarter"), nor is the ordinal "second" a unit.
    if q.is_some_and(|n| n >= 1000) && w.get(i).and_then(year_number).is_some() {
        return None;
    }
    if lw(w, j) == "second" && matches!(lw(w, j + 1), "quarter" | "half") {
        return None;
    }
    // "2 1/2 years", "two and a half years": the half sits between the count and the unit.
    let mut half = false;
    let mut j = j;
    if matches!(lw(w, j), "1/2" | "½") {
        half = true;
        j += 1;
    } else if lw(w, j) == "1" && lw(w, j + 1) == "/" && lw(w, j + 2) == "2" {
        half = true;
        j += 3;
    } else if (lw(w, j), lw(w, j + 1), lw(w, j + 2)) == ("and", "a", "half") && q.is_some() {
        half = unit(lw(w, j + 3)).is_some();
        if half {
            j += 3;
        }
    }
    // Digit quantities adjacent to the unit only ("5 years"); "a"/"an" need a singular unit.
    let uw = lw(w, j);
    let u = unit(uw)?;
    if matches!(lw(w, i), "a" | "an") && j == i + 1 && uw.ends_with('s') && uw != "hours" {
        return None;
    }
    // "a second round" is an ordinal, not one second.
    if uw == "second" && !matches!(lw(w, j + 1), "" | "." | "," | "or" | "and" | "later" | "earlier") {
        return None;
    }
    if u == Unit::Quarter && q.is_none() {
        return None;
    }
    // "a year and a half".
    if !half && (lw(w, j + 1), lw(w, j + 2), lw(w, j + 3)) == ("and", "a", "half") {
        if let Some(v) = q.and_then(|n| and_a_half(u, n)) {
            return Some(M::new(i, j + 4, TimexType::Duration, Some(v)));
        }
    }
    if half {
        let v = q.and_then(|n| and_a_half(u, n));
        return v.map(|v| M::new(i, j + 1, TimexType::Duration, Some(v)));
    }
    let mut end = j + 1;
    if lw(w, end) == "more" {
        end += 1;
    }
    match lw(w, end) {
        "ago" if ctx.quarterly && u == Unit::Year && q == Some(1) => {
            return Some(M::date(i, end + 1, ctx.dct.and_then(|d| year_ago(d, true))));
        }
        "ago" => {
            let v = match q {
                Some(n) => ctx.dct.and_then(|d| shift(d, u, -i64::from(n))).map(|(v, _)| v),
                None => Some("PAST_REF".into()),
            };
            return Some(M::date(i, end + 1, v));
        }
        "earlier" | "later" | "before" | "after" if q.is_some() => {
            // Only when the phrase ends there ("a day earlier,"), not "two days after the vote".
            let after = w.get(end + 1);
            let ends = match after {
                None => true,
                Some(n) => n.kind != TokenKind::Word || matches!(n.lower, "and" | "but" | "when"),
            };
            if ends {
                let n = i64::from(q.unwrap_or(1));
                let sign = if matches!(lw(w, end), "earlier" | "before") {
                    -1
                } else {
                    1
                };
                if ctx.quarterly && u == Unit::Year && n == 1 && sign < 0 {
                    let v = ctx.dct.and_then(|d| year_ago(d, true));
                    return Some(M::date(i, end + 1, v));
                }
                let base = ctx.anchor.or(ctx.dct);
                let r = base.and_then(|d| shift(d, u, sign * n));
                return Some(M {
                    start: i,
                    end: end + 1,
                    kind: TimexType::Date,
                    value: r.as_ref().map(|(v, _)| v.clone()),
                    anchor: None,
                });
            }
        }
        _ => {}
    }
    // "a year" after a price or count is a rate: "$5 a year".
    if matches!(lw(w, i), "a" | "per") && i > 0 {
        let prev = w.get(i - 1);
        if prev.is_some_and(|p| {
            p.kind == TokenKind::Number
                || matches!(p.lower, "times" | "once" | "twice" | "million" | "billion")
        }) {
            return Some(M::new(i, j + 1, TimexType::Set, Some(u.duration(Some(1)))));
        }
    }
    Some(M::new(i, j + 1, TimexType::Duration, Some(u.duration(q))))
}
