//! Word tables for time expressions: number words, units, months, weekdays, seasons.

use std::collections::HashSet;
use std::sync::OnceLock;

pub(crate) use chronicle_core::words::number_word;
use chronicle_core::words::FnvBuild;

type FastSet = HashSet<&'static str, FnvBuild>;

/// Lower-case words that can start a time expression (besides digits).
#[rustfmt::skip]
static TRIGGERS: &[&str] = &[
    "the", "this", "last", "next", "past", "coming", "previous", "early", "late", "mid", "earlier",
    "later", "more", "less", "fewer", "at", "up", "about", "nearly", "almost", "around", "roughly",
    "approximately", "some", "over", "under", "barely", "today", "yesterday", "tomorrow", "tonight",
    "overnight", "now", "currently", "nowadays", "current", "these", "recently", "lately", "recent",
    "year-earlier", "year-ago", "future", "every", "each", "noon", "midday", "midnight", "fiscal",
    "a", "an", "couple", "several", "few", "many", "numerous", "per",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth", "twenty-first",
    "january", "jan", "jan.", "february", "feb", "feb.", "march", "mar", "mar.", "april", "apr", "apr.",
    "may", "june", "jun", "jun.", "july", "jul", "jul.", "august", "aug", "aug.", "september", "sept",
    "sept.", "sep", "sep.", "october", "oct", "oct.", "november", "nov", "nov.", "december", "dec", "dec.",
    "christmas", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays",
];

pub(crate) fn is_trigger(w: &str) -> bool {
    static SET: OnceLock<FastSet> = OnceLock::new();
    SET.get_or_init(|| TRIGGERS.iter().copied().collect()).contains(w)
}

#[rustfmt::skip]
static PAST: &[&str] = &[
    "was", "were", "had", "did", "met", "took", "came", "went", "began", "left", "fell", "rose", "won",
    "lost", "held", "made", "gave", "sold", "paid", "saw", "ago",
];

/// Vague quantities that TimeML writes as `X` ("several years" -> `PXY`).
pub(crate) fn is_vague_quantity(w: &str) -> bool {
    matches!(w, "several" | "few" | "many" | "some" | "numerous")
}

/// Ordinals as words or digits ("third", "3rd").
pub(crate) fn ordinal(w: &str) -> Option<u32> {
    Some(match w {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        "fourth" | "4th" => 4,
        "fifth" | "5th" => 5,
        "sixth" | "6th" => 6,
        "seventh" | "7th" => 7,
        "eighth" | "8th" => 8,
        "ninth" | "9th" => 9,
        "tenth" | "10th" => 10,
        "eleventh" | "11th" => 11,
        "twelfth" | "12th" => 12,
        "thirteenth" | "13th" => 13,
        "fourteenth" | "14th" => 14,
        "fifteenth" | "15th" => 15,
        "sixteenth" | "16th" => 16,
        "seventeenth" | "17th" => 17,
        "eighteenth" | "18th" => 18,
        "nineteenth" | "19th" => 19,
        "twentieth" | "20th" => 20,
        "twenty-first" | "21st" => 21,
        _ => return None,
    })
}

/// A time unit: the TimeML duration letter and whether it sits after the `T`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

impl Unit {
    /// `PT5H`, `P2D`, `P3Y`, `PXW`...; decades and centuries are written in years
    /// ("P10Y", "P100Y") except the vague case (`PXDE`, `PXCE`).
    pub(crate) fn duration(self, n: Option<u32>) -> String {
        let (letter, time, mult) = match self {
            Unit::Second => ("S", true, 1),
            Unit::Minute => ("M", true, 1),
            Unit::Hour => ("H", true, 1),
            Unit::Day => ("D", false, 1),
            Unit::Week => ("W", false, 1),
            Unit::Month => ("M", false, 1),
            // TimeML writes quarters as their own unit ("the past two quarters" P2Q).
            Unit::Quarter => ("Q", false, 1),
            Unit::Year => ("Y", false, 1),
            Unit::Decade => ("Y", false, 10),
            Unit::Century => ("Y", false, 100),
        };
        let t = if time { "T" } else { "" };
        match n {
            Some(n) => format!("P{t}{}{letter}", n.saturating_mul(mult)),
            None => match self {
                Unit::Decade => "PXDE".to_string(),
                Unit::Century => "PXCE".to_string(),
                Unit::Quarter => "PXQ".to_string(),
                _ => format!("P{t}X{letter}"),
            },
        }
    }
}

/// Singular or plural unit nouns ("hours", "year").
pub(crate) fn unit(w: &str) -> Option<Unit> {
    Some(match w {
        "second" | "seconds" | "sec" | "secs" => Unit::Second,
        "minute" | "minutes" | "min" | "mins" => Unit::Minute,
        "hour" | "hours" | "hr" | "hrs" => Unit::Hour,
        "day" | "days" => Unit::Day,
        "week" | "weeks" => Unit::Week,
        "fortnight" => Unit::Week,
        "month" | "months" => Unit::Month,
        "quarter" | "quarters" => Unit::Quarter,
        "year" | "years" => Unit::Year,
        "decade" | "decades" => Unit::Decade,
        "century" | "centuries" => Unit::Century,
        _ => return None,
    })
}

/// `n` and a half units in TimeML's form, the half written in the next smaller unit
/// ("2 1/2 years" P2Y6M, "a minute and a half" PT1M30S); `None` for units without a whole
/// half below them (weeks, quarters, decades).
pub(crate) fn and_a_half(u: Unit, n: u32) -> Option<String> {
    Some(match u {
        Unit::Year => format!("P{n}Y6M"),
        Unit::Month => format!("P{n}M15D"),
        Unit::Day => format!("P{n}DT12H"),
        Unit::Hour => format!("PT{n}H30M"),
        Unit::Minute => format!("PT{n}M30S"),
        _ => return None,
    })
}

/// Month number from a capitalised name or abbreviation ("December", "Dec.", "Sept").
pub(crate) fn month(w: &str) -> Option<u32> {
    let w = w.strip_suffix('.').unwrap_or(w);
    Some(match w {
        "January" | "Jan" | "JANUARY" => 1,
        "February" | "Feb" | "FEBRUARY" => 2,
        "March" | "Mar" | "MARCH" => 3,
        "April" | "Apr" | "APRIL" => 4,
        "May" | "MAY" => 5,
        "June" | "Jun" | "JUNE" => 6,
        "July" | "Jul" | "JULY" => 7,
        "August" | "Aug" | "AUGUST" => 8,
        "September" | "Sept" | "Sep" | "SEPTEMBER" => 9,
        "October" | "Oct" | "OCTOBER" => 10,
        "November" | "Nov" | "NOVEMBER" => 11,
        "December" | "Dec" | "DECEMBER" => 12,
        _ => return None,
    })
}

/// Weekday from its capitalised name (0 = Monday).
pub(crate) fn weekday(w: &str) -> Option<u32> {
    Some(match w {
        "Monday" | "MONDAY" => 0,
        "Tuesday" | "TUESDAY" => 1,
        "Wednesday" | "WEDNESDAY" => 2,
        "Thursday" | "THURSDAY" => 3,
        "Friday" | "FRIDAY" => 4,
        "Saturday" | "SATURDAY" => 5,
        "Sunday" | "SUNDAY" => 6,
        _ => return None,
    })
}

/// Part of day in TimeML notation ("morning" -> `MO`).
pub(crate) fn part_of_day(w: &str) -> Option<&'static str> {
    Some(match w {
        "morning" => "MO",
        "afternoon" => "AF",
        "evening" => "EV",
        "night" | "overnight" => "NI",
        _ => return None,
    })
}

pub(crate) fn season(w: &str) -> Option<&'static str> {
    Some(match w {
        "spring" => "SP",
        "summer" => "SU",
        "autumn" | "fall" => "FA",
        "winter" => "WI",
        _ => return None,
    })
}

/// Words before an approximate or bounded duration that TimeML keeps in the extent
/// ("nearly forty years", "more than four hours"). Second element: tokens taken.
pub(crate) fn approximator(a: &str, b: &str) -> Option<usize> {
    match (a, b) {
        ("more" | "less" | "fewer", "than") | ("at", "least" | "most") | ("up", "to") => Some(2),
        (
            "about" | "nearly" | "almost" | "around" | "roughly" | "approximately" | "some" | "over"
            | "under" | "barely",
            _,
        ) => Some(1),
        _ => None,
    }
}

/// Markers that put a sentence in the future, so a bare weekday or month points forward.
pub(crate) fn is_future_marker(w: &str, next: &str) -> bool {
    match w {
        "will" | "'ll" | "’ll" | "shall" | "upcoming" | "scheduled" | "tomorrow" => true,
        "due" | "expected" | "set" | "plans" | "plan" | "planned" | "going" | "poised" => next == "to",
        _ => false,
    }
}

/// Past-tense signals: frequent irregular past forms and "-ed" words. Reporting verbs
/// ("said") are left out: they say nothing about when the reported event happens.
pub(crate) fn is_past_marker(w: &str) -> bool {
    static SET: OnceLock<FastSet> = OnceLock::new();
    (w.len() > 4 && w.ends_with("ed")) || SET.get_or_init(|| PAST.iter().copied().collect()).contains(w)
}
