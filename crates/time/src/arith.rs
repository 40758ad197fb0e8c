//! Formatting TimeML values and date arithmetic (days, months, shifts by a unit).

use super::*;

pub(crate) fn fmt_day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn fmt_month(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

pub(crate) fn fmt_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

pub(crate) fn quarter_of(d: NaiveDate) -> u32 {
    (d.month() - 1) / 3 + 1
}

/// The last completed quarter, what financial news means by "the quarter".
pub(crate) fn latest_quarter(d: NaiveDate) -> String {
    let prev = add_months(d, -3).unwrap_or(d);
    format!("{:04}-Q{}", prev.year(), quarter_of(prev))
}

/// "year-earlier", "the year-ago quarter": a year before the DCT (or its latest quarter).
pub(crate) fn year_ago(d: NaiveDate, quarter: bool) -> Option<String> {
    if quarter {
        let prev = add_months(d, -15)?;
        Some(format!("{:04}-Q{}", prev.year(), quarter_of(prev)))
    } else {
        Some(format!("{:04}", d.year() - 1))
    }
}

pub(crate) fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    d.checked_add_signed(Duration::try_days(n)?)
}

pub(crate) fn add_months(d: NaiveDate, n: i32) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_months(Months::new(n.unsigned_abs()))
    } else {
        d.checked_sub_months(Months::new(n.unsigned_abs()))
    }
}

/// Shifts `d` by `n` units and writes the result at that unit's granularity.
pub(crate) fn shift(d: NaiveDate, unit: Unit, n: i64) -> Option<(String, Option<NaiveDate>)> {
    let n32 = i32::try_from(n).ok()?;
    Some(match unit {
        Unit::Second | Unit::Minute | Unit::Hour => (fmt_day(d), None),
        Unit::Day => {
            let r = add_days(d, n)?;
            (fmt_day(r), Some(r))
        }
        Unit::Week => (fmt_week(add_days(d, n * 7)?), None),
        Unit::Month => {
            let r = add_months(d, n32)?;
            (fmt_month(r.year(), r.month()), None)
        }
        Unit::Quarter => {
            let r = add_months(d, n32.checked_mul(3)?)?;
            (format!("{:04}-Q{}", r.year(), quarter_of(r)), None)
        }
        Unit::Year => (format!("{:04}", d.year().checked_add(n32)?), None),
        Unit::Decade => (
            format!(
                "{:03}",
                (d.year().checked_add(n32.checked_mul(10)?)?).div_euclid(10)
            ),
            None,
        ),
        Unit::Century => (
            format!(
                "{:02}",
                (d.year().checked_add(n32.checked_mul(100)?)?).div_euclid(100)
            ),
            None,
        ),
    })
}
