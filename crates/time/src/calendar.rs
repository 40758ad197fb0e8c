//! Calendar expressions: clock times, month and day phrases, numeric dates, decades, years,
//! quarters, centuries.

use super::*;

/// Clock times: "3 p.m.", "10:30 am", "15:00 GMT", "noon", with an adjacent day word.
pub(crate) fn clock_time(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let word = w.get(i)?;
    let (mut h, mut min, mut j) = if word.lower == "noon" || word.lower == "midday" {
        (12u32, 0u32, i + 1)
    } else if word.lower == "midnight" {
        (24, 0, i + 1)
    } else if word.kind == TokenKind::Number {
        let (hs, ms) = match word.text.split_once(':') {
            Some((h, m)) => (h, Some(m)),
            None => (word.text, None),
        };
        let h: u32 = hs.parse().ok()?;
        let m: u32 = match ms {
            Some(m) if m.len() == 2 => m.parse().ok()?,
            Some(_) => return None,
            None => 0,
        };
        if h > 24 || m > 59 {
            return None;
        }
        (h, m, i + 1)
    } else {
        return None;
    };
    let is_num = word.kind == TokenKind::Number;
    let mer = lw(w, j).trim_end_matches('.').replace('.', "");
    let has_mer = matches!(mer.as_str(), "am" | "pm");
    if has_mer {
        if h == 0 || h > 12 {
            return None;
        }
        if mer == "pm" && h < 12 {
            h += 12;
        } else if mer == "am" && h == 12 {
            h = 0;
        }
        j += 1;
    }
    let tz = matches!(
        tx(w, j),
        "GMT" | "UTC" | "EST" | "EDT" | "ET" | "CET" | "CEST" | "BST" | "PST" | "PDT"
    );
    if is_num && !has_mer {
        let colon = word.text.contains(':');
        let prev = lw(w, i.wrapping_sub(1));
        if !(colon
            && (tz
                || matches!(
                    prev,
                    "at" | "by" | "until" | "from" | "around" | "before" | "after"
                )))
        {
            return None;
        }
    }
    if tz {
        j += 1;
    }
    if lw(w, j) == "local" && lw(w, j + 1) == "time" {
        j += 2;
    }
    if min > 59 {
        min = 0;
    }
    // An adjacent day: "10 p.m. Wednesday", "noon Thursday", "3 p.m. today".
    let mut day = ctx.dct;
    let nx = lw(w, j);
    if let Some(wd) = weekday(tx(w, j)) {
        day = ctx
            .dct
            .and_then(|d| resolve_weekday(d, wd, weekday_dir(w, j, ctx)));
        j += 1;
    } else if nx == "today" || nx == "tonight" {
        j += 1;
    } else if nx == "yesterday" {
        day = ctx.dct.and_then(|d| add_days(d, -1));
        j += 1;
    } else if nx == "tomorrow" {
        day = ctx.dct.and_then(|d| add_days(d, 1));
        j += 1;
    } else {
        // "5 p.m. EST Nov. 9", "5 p.m. EST, Nov. 6": a calendar day right after the time.
        let k = if nx == "," { j + 1 } else { j };
        if month(tx(w, k)).is_some() {
            if let Some(m) = month_phrase(w, k, ctx) {
                let d = m
                    .value
                    .as_deref()
                    .filter(|v| v.len() == 10)
                    .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok());
                if let Some(d) = d {
                    day = Some(d);
                    j = m.end;
                }
            }
        }
    }
    let v = day.map(|d| format!("{}T{h:02}:{min:02}", fmt_day(d)));
    Some(M::new(i, j, TimexType::Time, v))
}

pub(crate) fn day_number(w: &W<'_>) -> Option<u32> {
    if w.kind != TokenKind::Number {
        return None;
    }
    let digits: String = w.text.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = w.text.get(digits.len()..)?;
    if !matches!(rest, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let d: u32 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

pub(crate) fn year_number(w: &W<'_>) -> Option<i32> {
    if w.kind != TokenKind::Number || w.text.len() != 4 || !w.text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = w.text.parse().ok()?;
    (1000..=2199).contains(&y).then_some(y)
}

pub(crate) fn date_value(y: i32, m: u32, d: Option<u32>) -> (Option<String>, Option<NaiveDate>) {
    match d {
        Some(d) => match NaiveDate::from_ymd_opt(y, m, d) {
            Some(nd) => (Some(fmt_day(nd)), Some(nd)),
            None => (None, None),
        },
        None => (Some(fmt_month(y, m)), None),
    }
}

/// "December 3", "Dec. 3, 2025", "3 December 2025", "December 2025", "June last year", "March".
pub(crate) fn month_phrase(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let word = w.get(i)?;
    // Day first: "3 December [2025]".
    if let Some(d) = day_number(word) {
        let mo = month(tx(w, i + 1))?;
        let mut j = i + 2;
        let y = w.get(j).and_then(year_number);
        if y.is_some() {
            j += 1;
        }
        return Some(finish_month(w, i, j, mo, Some(d), y, ctx));
    }
    let mo = match word.text.strip_prefix("mid-") {
        Some(rest) => month(rest)?,
        None => month(word.text)?,
    };
    let next = w.get(i + 1);
    // Day after the month: "December 3", "Dec. 3, 2025".
    if let Some(d) = next.and_then(day_number) {
        let mut j = i + 2;
        let mut y = None;
        if lw(w, j) == "," {
            if let Some(yy) = w.get(j + 1).and_then(year_number) {
                y = Some(yy);
                j += 2;
            }
        } else if let Some(yy) = w.get(j).and_then(year_number) {
            y = Some(yy);
            j += 1;
        }
        return Some(finish_month(w, i, j, mo, Some(d), y, ctx));
    }
    if let Some(y) = next.and_then(year_number) {
        return Some(finish_month(w, i, i + 2, mo, None, Some(y), ctx));
    }
    if lw(w, i + 1) == "," {
        if let Some(y) = w.get(i + 2).and_then(year_number) {
            return Some(finish_month(w, i, i + 3, mo, None, Some(y), ctx));
        }
    }
    // "May" and "March" double as verbs/names: only after a time preposition.
    let prev = lw(w, i.wrapping_sub(1));
    if matches!(
        word.text,
        "May" | "March" | "Mar" | "Jan" | "Dec" | "Sept" | "Aug"
    ) && !matches!(
        prev,
        "in" | "since"
            | "by"
            | "until"
            | "till"
            | "from"
            | "of"
            | "during"
            | "through"
            | "early"
            | "late"
            | "mid"
            | "before"
            | "after"
            | "last"
            | "next"
            | "this"
            | "to"
            | "between"
            | "and"
    ) {
        return None;
    }
    // "June last year", "January this year".
    if matches!(lw(w, i + 1), "last" | "this" | "next") && lw(w, i + 2) == "year" {
        let v = ctx.dct.map(|d| {
            let y = match lw(w, i + 1) {
                "last" => d.year() - 1,
                "next" => d.year() + 1,
                _ => d.year(),
            };
            fmt_month(y, mo)
        });
        return Some(M::date(i, i + 3, v));
    }
    Some(finish_month(w, i, i + 1, mo, None, None, ctx))
}

pub(crate) fn finish_month(
    w: &[W<'_>],
    start: usize,
    end: usize,
    mo: u32,
    d: Option<u32>,
    y: Option<i32>,
    ctx: &Ctx,
) -> M {
    let y = y.or_else(|| {
        let (future, past) = local_tense(w, start, end, ctx);
        ctx.dct.map(|dct| infer_year(dct, mo, d, future, past))
    });
    let (value, anchor) = match y {
        Some(y) => date_value(y, mo, d),
        None => (None, None),
    };
    M {
        start,
        end,
        kind: TimexType::Date,
        value,
        anchor,
    }
}

/// "2025-12-03", "12/03/2025" (US order unless the first field exceeds 12), "03.12.2025".
pub(crate) fn numeric_date(w: &[W<'_>], i: usize) -> Option<M> {
    let a = w.get(i)?;
    if a.kind != TokenKind::Number {
        return None;
    }
    // Dotted European form lands in one Number token.
    if a.text.matches('.').count() == 2 {
        let mut p = a.text.split('.');
        let (d, m, y) = (p.next()?.parse().ok()?, p.next()?.parse().ok()?, p.next()?);
        if y.len() != 4 {
            return None;
        }
        let nd = NaiveDate::from_ymd_opt(y.parse().ok()?, m, d)?;
        return Some(M::day(i, i + 1, Some(nd)));
    }
    let glued = |k: usize| w.get(k).is_some_and(|t| !t.space_before);
    let sep = lw(w, i + 1);
    if !(sep == "-" || sep == "/")
        || !glued(i + 1)
        || !glued(i + 2)
        || lw(w, i + 3) != sep
        || !glued(i + 3)
        || !glued(i + 4)
    {
        return None;
    }
    let (b, c) = (w.get(i + 2)?, w.get(i + 4)?);
    let num = |t: &W<'_>| -> Option<u32> { (t.kind == TokenKind::Number).then(|| t.text.parse().ok())? };
    let (x, y, z) = (num(a)?, num(b)?, num(c)?);
    let nd = if a.text.len() == 4 {
        NaiveDate::from_ymd_opt(x as i32, y, z)?
    } else if c.text.len() == 4 {
        if x > 12 {
            NaiveDate::from_ymd_opt(z as i32, y, x)?
        } else {
            NaiveDate::from_ymd_opt(z as i32, x, y)?
        }
    } else {
        return None;
    };
    Some(M::day(i, i + 5, Some(nd)))
}

/// "1990s" (-> "199"), "mid-1990s".
pub(crate) fn decade(w: &[W<'_>], i: usize) -> Option<M> {
    let t = w.get(i)?;
    let s = t.lower.strip_prefix("mid-").unwrap_or(t.lower);
    let digits = s.strip_suffix('s')?;
    if digits.len() != 4 || !digits.ends_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(M::date(i, i + 1, Some(digits.get(..3)?.to_string())))
}

/// "the nineties", "the late eighties": the decade of the DCT's century, or of the one
/// before when that would lie ahead of the DCT (in 2025 "the twenties" are the 2020s,
/// "the nineties" the 1990s); the 20th century without a DCT.
pub(crate) fn spoken_decade(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let d: i32 = match lw(w, i) {
        "twenties" => 2,
        "thirties" => 3,
        "forties" => 4,
        "fifties" => 5,
        "sixties" => 6,
        "seventies" => 7,
        "eighties" => 8,
        "nineties" => 9,
        _ => return None,
    };
    let year = ctx.dct.map_or(1999, |t| t.year());
    let mut start = year.div_euclid(100) * 100 + d * 10;
    if start > year {
        start -= 100;
    }
    Some(M::date(i, i + 1, Some(format!("{:03}", start / 10))))
}

/// A four-digit year in a year-like position ("in 2022", "2022,", "fiscal 1989", "mid-1996").
pub(crate) fn year(w: &[W<'_>], i: usize) -> Option<M> {
    let t = w.get(i)?;
    if let Some(rest) = t.lower.strip_prefix("mid-") {
        if rest.len() == 4 && rest.bytes().all(|b| b.is_ascii_digit()) {
            return Some(M::date(i, i + 1, Some(rest.to_string())));
        }
    }
    if t.lower == "fiscal" {
        let y = w.get(i + 1).and_then(year_number)?;
        return Some(M::date(i, i + 2, Some(format!("{y:04}"))));
    }
    let y = year_number(t)?;
    let prev = lw(w, i.wrapping_sub(1));
    let next = w.get(i + 1);
    let prev_ok = matches!(
        prev,
        "in" | "since"
            | "of"
            | "by"
            | "until"
            | "till"
            | "from"
            | "before"
            | "after"
            | "during"
            | "to"
            | "through"
            | "early"
            | "late"
            | "mid"
            | "and"
            | "year"
            | "between"
            | "for"
            | "around"
            | "spring"
            | "summer"
            | "autumn"
            | "fall"
            | "winter"
            | "end"
            | "start"
    );
    let next_ok = match next {
        None => true,
        Some(n) => {
            (n.kind == TokenKind::Punct && !matches!(n.text, "%" | "$" | "-" | "/"))
                || matches!(n.lower, "and" | "to" | "or" | "when" | "as" | "through")
        }
    };
    // A year used as a modifier: "its 1990 invasion", "the 2000 Olympics", "1990 BellSouth".
    let det = matches!(
        prev,
        "the" | "its" | "his" | "her" | "their" | "our" | "'s" | "this" | "that"
    );
    let next_cap =
        next.is_some_and(|n| n.kind == TokenKind::Word && n.text.starts_with(|c: char| c.is_uppercase()));
    let modifier = (1900..=2099).contains(&y) && ((det && y % 100 != 0) || next_cap);
    let (lo, hi) = if prev_ok { (1000, 2199) } else { (1900, 2100) };
    ((prev_ok || next_ok || modifier) && (lo..=hi).contains(&y))
        .then(|| M::date(i, i + 1, Some(format!("{y:04}"))))
}

/// "third quarter", "third-quarter", "the fourth quarter of 1984", "fiscal first quarter".
pub(crate) fn quarter(w: &[W<'_>], i: usize, ctx: &Ctx) -> Option<M> {
    let mut j = i;
    if lw(w, j) == "fiscal" {
        j += 1;
    }
    let lead_year = w.get(j).and_then(year_number);
    if lead_year.is_some() {
        j += 1;
    }
    let a = lw(w, j);
    let (q, end) = if let Some((o, rest)) = a.split_once('-') {
        if rest != "quarter" {
            return None;
        }
        (ordinal(o)?, j + 1)
    } else {
        let q = ordinal(a)?;
        if lw(w, j + 1) == "fiscal" {
            j += 1;
        }
        if lw(w, j + 1) != "quarter" {
            return None;
        }
        (q, j + 2)
    };
    if !(1..=4).contains(&q) {
        return None;
    }
    let mut end = end;
    let mut y = lead_year;
    if lw(w, end) == "of" {
        if let Some(yy) = w.get(end + 1).and_then(year_number) {
            y = Some(yy);
            end += 2;
        }
    }
    let y = y.or_else(|| {
        ctx.dct.map(|d| {
            if q > quarter_of(d) && !ctx.future {
                d.year() - 1
            } else {
                d.year()
            }
        })
    });
    Some(M::date(i, end, y.map(|y| format!("{y:04}-Q{q}"))))
}

/// "20th century" -> "19".
pub(crate) fn century(w: &[W<'_>], i: usize) -> Option<M> {
    let o = ordinal(lw(w, i))?;
    if lw(w, i + 1) != "century" || o == 0 {
        return None;
    }
    Some(M::date(i, i + 2, Some(format!("{:02}", o - 1))))
}
