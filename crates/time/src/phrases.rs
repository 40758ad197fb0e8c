//! The matcher's entry point and the phrases built on modifiers: "the ...", deictic words,
//! "this/last/next ...", weekdays.

use super::*;

pub(crate) fn match_at(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let a = lw(w, i);
    let b = lw(w, i + 1);
    if let Some(n) = approximator(a, b) {
        if let Some(m) = duration(w, i + n, ctx) {
            return Some(M { start: i, ..m });
        }
        if a != "some" && a != "over" && a != "under" {
            return None;
        }
    }
    if a == "the" && b == "year" {
        if let Some(m) = spoken_year(w, i + 2) {
            return Some(M { start: i, ..m });
        }
    }
    if a == "the" {
        return the_phrase(w, i, ctx);
    }
    if let Some(m) = spoken_year(w, i) {
        return Some(m);
    }
    if matches!(a, "early" | "late" | "mid" | "earlier" | "later") {
        let j = if b == "in" { i + 2 } else { i + 1 };
        if let Some(m) = core(w, j, ctx) {
            if m.kind != TimexType::Duration && m.start == j {
                return Some(M { start: i, ..m });
            }
        }
    }
    core(w, i, ctx)
}

/// A year said in words, as broadcast transcripts write it: "nineteen ninety-six",
/// "nineteen seventy", "two thousand" (after "the year"), "two thousand and one".
pub(crate) fn spoken_year(w: &[W<'_>], i: usize) -> Option<M> {
    let a = lw(w, i);
    let b = lw(w, i + 1);
    if a == "two" && b == "thousand" {
        // Only after "the year": "two thousand people" is a count.
        if !(i >= 1 && lw(w, i - 1) == "year") {
            return None;
        }
        let (j, unit) = match (lw(w, i + 2), lw(w, i + 3)) {
            ("and", u) => (i + 4, spoken_two_digits(u)),
            (u, _) => (i + 3, spoken_two_digits(u)),
        };
        return Some(match unit {
            Some(u) if u < 100 => M::date(i, j, Some(format!("{:04}", 2000 + u))),
            _ => M::date(i, i + 2, Some("2000".into())),
        });
    }
    let century = match a {
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        _ => return None,
    };
    let n = spoken_two_digits(b).filter(|n| (10..100).contains(n))?;
    Some(M::date(i, i + 2, Some(format!("{:04}", century * 100 + n))))
}

/// "ninety-six" -> 96, "seventy" -> 70, "twelve" -> 12.
pub(crate) fn spoken_two_digits(s: &str) -> Option<u32> {
    match s.split_once('-') {
        Some((tens, unit)) => {
            let (t, u) = (number_word(tens)?, number_word(unit)?);
            ((20..=90).contains(&t) && t % 10 == 0 && (1..=9).contains(&u)).then_some(t + u)
        }
        None => number_word(s).filter(|&n| (1..100).contains(&n) && !matches!(s, "a" | "an" | "dozen")),
    }
}

/// Phrases that start with "the".
pub(crate) fn the_phrase(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let b = lw(w, i + 1);
    match b {
        "past" | "last" | "next" | "coming" | "previous" | "following" | "first" | "final" | "latest" => {
            if let Some((q, j)) = quantity(w, i + 2) {
                if let Some(u) = unit(lw(w, j)) {
                    return Some(M::new(i, j + 1, TimexType::Duration, Some(u.duration(q))));
                }
            }
            if let Some(u) = unit(lw(w, i + 2)) {
                if b == "first" || b == "final" || b == "latest" {
                    if u == Unit::Quarter && b != "latest" {
                        return None;
                    }
                    if b == "latest" && u == Unit::Quarter {
                        return Some(M::date(i, i + 3, ctx.dct.map(latest_quarter)));
                    }
                }
                // "the last week", "the previous year": the unit before (after) the DCT, as
                // TimeML annotates them (TE3: "the last week" on 2013-03-22 -> 2013-W11).
                let step = match b {
                    "past" | "last" | "previous" => -1,
                    "next" | "coming" | "following" => 1,
                    _ => 0,
                };
                let singular = !lw(w, i + 2).ends_with('s');
                // "the following year", "the previous month" count from the narrative's
                // reference time when the story has named one (TimeML's anchor), not from
                // the DCT.
                if matches!(b, "following" | "previous") && singular {
                    let r = ctx.reference;
                    let v = match (u, r) {
                        (Unit::Year, Some((y, _))) => Some(format!("{:04}", y + step as i32)),
                        (Unit::Month, Some((y, Some(m)))) => {
                            let k = y * 12 + m as i32 - 1 + step as i32;
                            Some(fmt_month(k.div_euclid(12), k.rem_euclid(12) as u32 + 1))
                        }
                        _ => None,
                    };
                    if let Some(v) = v {
                        return Some(M::date(i, i + 3, Some(v)));
                    }
                }
                if step != 0 && singular && !matches!(u, Unit::Hour | Unit::Minute | Unit::Second) {
                    let v = ctx.dct.and_then(|d| shift(d, u, step)).map(|(v, _)| v);
                    return Some(M::date(i, i + 3, v));
                }
                return Some(M::new(i, i + 3, TimexType::Duration, Some(u.duration(Some(1)))));
            }
            if b == "past" {
                return Some(M::date(i, i + 2, Some("PAST_REF".into())));
            }
            None
        }
        "future" => Some(M::date(i, i + 2, Some("FUTURE_REF".into()))),
        "end" | "beginning" | "start" | "middle" if lw(w, i + 2) == "of" => {
            // "the end of the year": the DCT's year (month, week).
            if lw(w, i + 3) == "the" {
                let uw = lw(w, i + 4);
                let u = unit(uw).filter(|u| matches!(u, Unit::Week | Unit::Month | Unit::Year))?;
                if uw.ends_with('s') {
                    return None;
                }
                let v = ctx.dct.and_then(|d| shift(d, u, 0)).map(|(v, _)| v);
                return Some(M::date(i, i + 5, v));
            }
            let m = core(w, i + 3, ctx)?;
            (m.start == i + 3 && m.kind != TimexType::Duration).then_some(M { start: i, ..m })
        }
        "weekend" => {
            let v = ctx.dct.and_then(|d| {
                let wd = d.weekday().num_days_from_monday();
                let back = if ctx.future || wd >= 5 { 0 } else { -7 };
                add_days(d, back).map(|d| format!("{}-WE", fmt_week(d)))
            });
            Some(M::date(i, i + 2, v))
        }
        "quarter" => Some(M::date(i, i + 2, ctx.dct.map(latest_quarter))),
        "current" => {
            let j = if lw(w, i + 2) == "fiscal" { i + 3 } else { i + 2 };
            let u = unit(lw(w, j)).filter(|_| !lw(w, j).ends_with('s'))?;
            let v = ctx.dct.and_then(|d| shift(d, u, 0)).map(|(v, _)| v);
            Some(M::date(i, j + 1, v))
        }
        "year-earlier" | "year-ago" | "comparable" => {
            let j = if b == "comparable" && matches!(lw(w, i + 2), "year-earlier" | "year-ago") {
                i + 3
            } else {
                i + 2
            };
            match lw(w, j) {
                "quarter" | "period" => Some(M::date(i, j + 1, ctx.dct.and_then(|d| year_ago(d, true)))),
                _ => None,
            }
        }
        _ => {
            // "the 1990s", "the late 1970s", "the third quarter", "the nine months".
            let j = if matches!(b, "early" | "late" | "mid") {
                i + 2
            } else {
                i + 1
            };
            if let Some(m) = decade(w, j).or_else(|| spoken_decade(w, j, ctx)) {
                return Some(M { start: i, ..m });
            }
            if let Some(m) = quarter(w, i + 1, ctx) {
                return Some(M { start: i, ..m });
            }
            if let Some((q, k)) = quantity(w, i + 1) {
                if q.is_some_and(|n| n < 1000) && lw(w, i + 1) != "a" && lw(w, k) != "second" {
                    if let Some(u) = unit(lw(w, k)) {
                        return Some(M::new(i, k + 1, TimexType::Duration, Some(u.duration(q))));
                    }
                }
            }
            None
        }
    }
}

/// Everything that does not start with a modifier.
pub(crate) fn core(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let word = w.get(i)?;
    let a: &str = word.lower;
    let dct = ctx.dct;
    match a {
        "today" => return Some(M::day(i, i + 1, dct)),
        "yesterday" => return Some(M::day(i, i + 1, dct.and_then(|d| add_days(d, -1)))),
        "tomorrow" => return Some(M::day(i, i + 1, dct.and_then(|d| add_days(d, 1)))),
        "tonight" => {
            return Some(M::new(
                i,
                i + 1,
                TimexType::Time,
                dct.map(|d| format!("{}TNI", fmt_day(d))),
            ))
        }
        "overnight" => {
            let v = dct
                .and_then(|d| add_days(d, -1))
                .map(|d| format!("{}TNI", fmt_day(d)));
            return Some(M::new(i, i + 1, TimexType::Time, v));
        }
        // TimeBank tags these deictic adverbs; "previously", "soon", the adjectives "recent"
        // and "current" and the frequency adverbs ("daily") are left out: on the dev gold
        // they gave as many false hits as hits, and they carry no date for an event.
        "now" | "currently" | "nowadays" => return Some(M::date(i, i + 1, Some("PRESENT_REF".into()))),
        "these" if lw(w, i + 1) == "days" => return Some(M::date(i, i + 2, Some("PRESENT_REF".into()))),
        "recently" | "lately" => return Some(M::date(i, i + 1, Some("PAST_REF".into()))),
        "recent" => {
            if let Some(u) = unit(lw(w, i + 1)) {
                // TimeML: "recent months" is a vague DURATION (PXM), not a date.
                if lw(w, i + 1).ends_with('s') && u != Unit::Quarter {
                    return Some(M::new(i, i + 2, TimexType::Duration, Some(u.duration(None))));
                }
            }
            return None;
        }
        "year-earlier" | "year-ago" => {
            let (end, q) = match lw(w, i + 1) {
                "quarter" | "period" => (i + 2, true),
                _ => (i + 1, false),
            };
            return Some(M::date(
                i,
                end,
                ctx.dct.and_then(|d| year_ago(d, q || ctx.quarterly)),
            ));
        }
        "future" if matches!(lw(w, i.wrapping_sub(1)), "in" | "near") => {
            return Some(M::date(i, i + 1, Some("FUTURE_REF".into())))
        }
        "this" | "last" | "next" | "past" | "coming" | "previous" => {
            if let Some(m) = relative(w, i, ctx) {
                return Some(m);
            }
        }
        "every" | "each" => {
            let b = lw(w, i + 1);
            if let Some(wd) = weekday(tx(w, i + 1)) {
                return Some(M::new(
                    i,
                    i + 2,
                    TimexType::Set,
                    Some(format!("XXXX-WXX-{}", wd + 1)),
                ));
            }
            if let Some(mo) = month(tx(w, i + 1)) {
                return Some(M::new(i, i + 2, TimexType::Set, Some(format!("XXXX-{mo:02}"))));
            }
            if let Some(u) = unit(b) {
                return Some(M::new(i, i + 2, TimexType::Set, Some(u.duration(Some(1)))));
            }
            return None;
        }
        _ => {}
    }
    if word.text == "Christmas" && lw(w, i + 1) != "tree" {
        return Some(finish_month(w, i, i + 1, 12, Some(25), None, ctx));
    }
    // "Tuesdays", "Tuesday nights": a weekly SET.
    if let Some(wd) = word.text.strip_suffix('s').and_then(weekday) {
        return Some(M::new(
            i,
            i + 1,
            TimexType::Set,
            Some(format!("XXXX-WXX-{}", wd + 1)),
        ));
    }
    if let Some(wd) = weekday(word.text) {
        if let Some(p) = lw(w, i + 1).strip_suffix('s').and_then(part_of_day) {
            return Some(M::new(
                i,
                i + 2,
                TimexType::Set,
                Some(format!("XXXX-WXX-{}T{p}", wd + 1)),
            ));
        }
        // "Saturday, April 25", "Friday Oct. 13": the explicit date decides, and the
        // expression is the whole phrase.
        let j = if lw(w, i + 1) == "," { i + 2 } else { i + 1 };
        if let Some(m) = month_phrase(w, j, ctx).filter(|m| m.anchor.is_some()) {
            return Some(M { start: i, ..m });
        }
        return Some(weekday_phrase(w, i, i + 1, wd, weekday_dir(w, i, ctx), ctx));
    }
    if let Some(m) = clock_time(w, i, ctx) {
        return Some(m);
    }
    if let Some(m) = month_phrase(w, i, ctx) {
        return Some(m);
    }
    if let Some(m) = numeric_date(w, i) {
        return Some(m);
    }
    if let Some(m) = decade(w, i) {
        return Some(m);
    }
    if let Some(m) = year(w, i) {
        return Some(m);
    }
    if let Some(m) = quarter(w, i, ctx) {
        return Some(m);
    }
    if let Some(m) = century(w, i) {
        return Some(m);
    }
    duration(w, i, ctx)
}

/// A weekday at token `at` (phrase starting at `start`), with an optional part of day.
pub(crate) fn weekday_phrase(w: &[W<'_>], start: usize, at: usize, wd: u32, dir: Dir, ctx: &Ctx) -> M {
    let d = ctx.dct.and_then(|d| resolve_weekday(d, wd, dir));
    if let Some(p) = part_of_day(lw(w, at)) {
        return M {
            start,
            end: at + 1,
            kind: TimexType::Time,
            value: d.map(|d| format!("{}T{p}", fmt_day(d))),
            anchor: d,
        };
    }
    M::day(start, at, d)
}

/// "this/last/next/past/coming/previous" + week, month, year, weekday, month name...
pub(crate) fn relative(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let a = lw(w, i);
    let b = lw(w, i + 1);
    let dct = ctx.dct;
    // "this past spring", "this past Friday": the latest one, as "past" alone reads.
    if a == "this" && b == "past" {
        let m = relative(w, i + 1, ctx)?;
        return Some(M { start: i, ..m });
    }
    let step: i64 = match a {
        "this" => 0,
        "last" | "past" | "previous" => -1,
        _ => 1,
    };
    // "last three years", "next two weeks", "past few days": durations.
    if a != "this" {
        if let Some((q, j)) = quantity(w, i + 1) {
            if lw(w, i + 1) != "a" {
                if let Some(u) = unit(lw(w, j)) {
                    return Some(M::new(i, j + 1, TimexType::Duration, Some(u.duration(q))));
                }
            }
        }
    }
    if let Some(u) = unit(b) {
        if b.ends_with('s') {
            return None;
        }
        let v = dct.and_then(|d| shift(d, u, step)).map(|(v, _)| v);
        let v = match u {
            Unit::Day => return None,
            Unit::Hour | Unit::Minute | Unit::Second => return None,
            _ => v,
        };
        return Some(M::date(i, i + 2, v));
    }
    if b == "weekend" {
        let v = dct
            .and_then(|d| add_days(d, step * 7))
            .map(|d| format!("{}-WE", fmt_week(d)));
        return Some(M::date(i, i + 2, v));
    }
    if let Some(p) = part_of_day(b) {
        let d = match (a, p) {
            ("this", _) => dct,
            ("last", "NI") => dct.and_then(|d| add_days(d, -1)),
            _ => return None,
        };
        return Some(M::new(
            i,
            i + 2,
            TimexType::Time,
            d.map(|d| format!("{}T{p}", fmt_day(d))),
        ));
    }
    if let Some(wd) = weekday(tx(w, i + 1)) {
        let dir = match a {
            "this" => Dir::ThisWeek,
            "last" | "past" | "previous" => Dir::StrictPast,
            _ => Dir::Future,
        };
        return Some(weekday_phrase(w, i, i + 2, wd, dir, ctx));
    }
    if let Some(mo) = month(tx(w, i + 1)) {
        let v = dct.map(|d| {
            let y = match a {
                "this" => d.year(),
                // "last April" said in October is this year's; said in May, last year's.
                "last" | "past" | "previous" => {
                    if mo + 1 < d.month() {
                        d.year()
                    } else {
                        d.year() - 1
                    }
                }
                _ => {
                    if mo > d.month() {
                        d.year()
                    } else {
                        d.year() + 1
                    }
                }
            };
            fmt_month(y, mo)
        });
        return Some(M::date(i, i + 2, v));
    }
    if let Some(s) = season(b) {
        let v = dct.map(|d| {
            let start_month = match s {
                "SP" => 3,
                "SU" => 6,
                "FA" => 9,
                _ => 12,
            };
            let y = match step {
                0 => d.year(),
                // "past spring" said in October is this year's.
                -1 if a == "past" && d.month() >= start_month + 3 => d.year(),
                -1 => d.year() - 1,
                _ if d.month() < start_month => d.year(),
                _ => d.year() + 1,
            };
            format!("{y:04}-{s}")
        });
        return Some(M::date(i, i + 2, v));
    }
    None
}
