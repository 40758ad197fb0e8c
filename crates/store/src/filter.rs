//! Filters checked before they reach SQL: a value a filter cannot mean (`since=yesterday`,
//! `modality=maybe`, `cameo=ZZ`) would select nothing and look like an empty store, so it
//! is refused with an error naming the field, the value and what the field takes. The CLI
//! (`chronicle query`) and the HTTP API both check here, so both accept and refuse the same
//! values with the same words.

use crate::{EventFilter, QuoteFilter};
use chronicle_core::{Modality, PLOVER_TYPES};
use chrono::NaiveDate;

/// Why a filter cannot be run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FilterError {
    /// `field` was given `value`, which it cannot mean; `allowed` says what it takes.
    Invalid {
        field: &'static str,
        value: String,
        allowed: String,
    },
    /// `since` is after `until`: every value is valid, but no date lies in both.
    Backwards { since: String, until: String },
    /// A parameter no filter of this query has (the API; the CLI's parser refuses unknown
    /// flags itself).
    Unknown { name: String, known: Vec<&'static str> },
}

impl FilterError {
    /// The parameter at fault (`since`, `cameo`, ...; for an unknown one, its name).
    pub fn field(&self) -> &str {
        match self {
            FilterError::Invalid { field, .. } => field,
            FilterError::Backwards { .. } => "since",
            FilterError::Unknown { name, .. } => name,
        }
    }

    /// What the parameter takes (for an unknown one: the parameters there are).
    pub fn allowed(&self) -> String {
        match self {
            FilterError::Invalid { allowed, .. } => allowed.clone(),
            FilterError::Backwards { .. } => "since no later than until".into(),
            FilterError::Unknown { known, .. } => known.join(", "),
        }
    }

    /// The message with parameter names written `{prefix}name`: `--since` for the CLI's
    /// flags, `since` for the API's parameters.
    pub fn message(&self, prefix: &str) -> String {
        match self {
            FilterError::Invalid {
                field,
                value,
                allowed,
            } => format!("{prefix}{field} {value:?}: expected {allowed}"),
            FilterError::Backwards { since, until } => {
                format!("{prefix}since {since:?} is after {prefix}until {until:?}: no date is in both")
            }
            FilterError::Unknown { name, known } => format!(
                "{prefix}{name} is not a parameter here; known: {}",
                known
                    .iter()
                    .map(|k| format!("{prefix}{k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(""))
    }
}

/// What a date bound takes: the store compares ISO dates as text, so a coarser prefix
/// bounds a whole month or year (`until=2025-11` takes all of November).
pub const DATE_ALLOWED: &str = "a date YYYY-MM-DD, or YYYY-MM / YYYY for a whole month / year";
/// What `cameo` takes.
pub const CAMEO_ALLOWED: &str =
    "a CAMEO root 01-20 or a code prefix of 2-4 digits starting with one (19, 190, 1901)";
/// What `limit` and `offset` take.
pub const COUNT_ALLOWED: &str = "a whole number, 0 or more";
/// What `clustered` takes.
pub const BOOL_ALLOWED: &str = "true or false";
/// What `bbox` takes.
pub const BBOX_ALLOWED: &str =
    "west,south,east,north in degrees: -180 <= west <= east <= 180, -90 <= south <= north <= 90";

/// What `modality` takes: the contract's modalities.
pub fn modality_allowed() -> String {
    let all: Vec<&str> = Modality::ALL.iter().map(|m| m.as_str()).collect();
    format!("one of {}", all.join(", "))
}

/// What `plover` takes: the PLOVER event types.
pub fn plover_allowed() -> String {
    format!("one of {}", PLOVER_TYPES.join(", "))
}

fn invalid(field: &'static str, value: &str, allowed: impl Into<String>) -> FilterError {
    FilterError::Invalid {
        field,
        value: value.to_string(),
        allowed: allowed.into(),
    }
}

/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, a real calendar date (no 2025-02-30).
fn check_date(field: &'static str, v: &str) -> Result<(), FilterError> {
    let bad = || invalid(field, v, DATE_ALLOWED);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = v.split('-').collect();
    let full = match parts[..] {
        [y] if digits(y, 4) => format!("{y}-01-01"),
        [y, m] if digits(y, 4) && digits(m, 2) => format!("{y}-{m}-01"),
        [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => v.to_string(),
        _ => return Err(bad()),
    };
    NaiveDate::parse_from_str(&full, "%Y-%m-%d").map_err(|_| bad())?;
    Ok(())
}

/// A CAMEO root or code prefix: 2-4 digits whose first two are a root, 01-20.
fn check_cameo(v: &str) -> Result<(), FilterError> {
    let root_ok = v
        .get(..2)
        .and_then(|r| r.parse::<u8>().ok())
        .is_some_and(|r| (1..=20).contains(&r));
    if (2..=4).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()) && root_ok {
        Ok(())
    } else {
        Err(invalid("cameo", v, CAMEO_ALLOWED))
    }
}

fn check_bbox(b: [f64; 4]) -> Result<(), FilterError> {
    let [w, s, e, n] = b;
    let lon = -180.0..=180.0;
    let lat = -90.0..=90.0;
    if lon.contains(&w) && lon.contains(&e) && lat.contains(&s) && lat.contains(&n) && w <= e && s <= n {
        Ok(())
    } else {
        Err(invalid("bbox", &format!("{w},{s},{e},{n}"), BBOX_ALLOWED))
    }
}

/// A bounding box as `west,south,east,north` in degrees ("35,47,39,49.5"), as the CLI's
/// `--bbox` and the API's `bbox=` take it; the error says what is wrong with it.
pub fn parse_bbox(v: &str) -> Result<[f64; 4], FilterError> {
    let bad = || invalid("bbox", v, BBOX_ALLOWED);
    let n: Vec<f64> = v
        .split(',')
        .map(|x| x.trim().parse::<f64>().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    let [w, s, e, n] = n[..] else {
        return Err(bad());
    };
    check_bbox([w, s, e, n]).map_err(|_| bad())?;
    Ok([w, s, e, n])
}

/// What `min_confidence` takes.
const CONFIDENCE_ALLOWED: &str = "a number from 0 to 1 (0.5)";

/// A `min_confidence` given as text: a number in 0-1.
pub fn parse_confidence(v: &str) -> Result<f64, FilterError> {
    v.trim()
        .parse::<f64>()
        .ok()
        .filter(|c| (0.0..=1.0).contains(c))
        .ok_or_else(|| invalid("min_confidence", v, CONFIDENCE_ALLOWED))
}

/// A `limit` or `offset` given as text.
pub fn parse_count(field: &'static str, v: &str) -> Result<u64, FilterError> {
    v.trim()
        .parse::<u64>()
        .map_err(|_| invalid(field, v, COUNT_ALLOWED))
}

fn parse_bool(field: &'static str, v: &str) -> Result<bool, FilterError> {
    match v {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(invalid(field, v, BOOL_ALLOWED)),
    }
}

impl EventFilter {
    /// The parameters an event filter takes by name (the API's query parameters; the
    /// CLI's flags, `--` before each).
    pub const PARAMS: [&'static str; 16] = [
        "actor",
        "source",
        "target",
        "cameo",
        "plover",
        "modality",
        "since",
        "until",
        "place",
        "bbox",
        "article",
        "clustered",
        "limit",
        "offset",
        "min_confidence",
        "after",
    ];

    /// Sets parameter `name` from its text (a query string's value): `Ok(false)` when no
    /// event filter has that name, an error when a typed one (`bbox`, `limit`, `offset`,
    /// `clustered`) cannot be read. Text fields are kept as given; [`EventFilter::validate`]
    /// checks them.
    pub fn set_param(&mut self, name: &str, value: &str) -> Result<bool, FilterError> {
        let text = Some(value.to_string());
        match name {
            "actor" => self.actor = text,
            "source" => self.source = text,
            "target" => self.target = text,
            "cameo" => self.cameo = text,
            "plover" => self.plover = text,
            "modality" => self.modality = text,
            "since" => self.since = text,
            "until" => self.until = text,
            "place" => self.place = text,
            "article" => self.article = text,
            "bbox" => self.bbox = Some(parse_bbox(value)?),
            "clustered" => self.clustered = parse_bool("clustered", value)?,
            "limit" => self.limit = Some(parse_count("limit", value)?),
            "offset" => self.offset = Some(parse_count("offset", value)?),
            "min_confidence" => self.min_confidence = Some(parse_confidence(value)?),
            "after" => self.after = Some(parse_count("after", value)?.min(i64::MAX as u64) as i64),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Refuses a filter with a value it cannot mean, which would otherwise select nothing
    /// and pass for an empty answer: a date that is not `YYYY[-MM[-DD]]`, `since` after
    /// `until`, a modality or PLOVER type the contract does not have (case is ignored), a
    /// CAMEO code that is not 2-4 digits under a root 01-20, a bounding box out of range.
    /// Free-text fields (actor, place, article) are not checked: any text may match.
    pub fn validate(&self) -> Result<(), FilterError> {
        if let Some(c) = &self.cameo {
            check_cameo(c)?;
        }
        if let Some(p) = &self.plover {
            if !PLOVER_TYPES.iter().any(|t| t.eq_ignore_ascii_case(p)) {
                return Err(invalid("plover", p, plover_allowed()));
            }
        }
        if let Some(m) = &self.modality {
            if Modality::parse(m).is_none() {
                return Err(invalid("modality", m, modality_allowed()));
            }
        }
        if let Some(s) = &self.since {
            check_date("since", s)?;
        }
        if let Some(u) = &self.until {
            check_date("until", u)?;
        }
        if let (Some(s), Some(u)) = (&self.since, &self.until) {
            // `until` takes every date it prefixes ("2025-12" takes 2025-12-31).
            if s > u && !s.starts_with(u.as_str()) {
                return Err(FilterError::Backwards {
                    since: s.clone(),
                    until: u.clone(),
                });
            }
        }
        if let Some(b) = self.bbox {
            check_bbox(b)?;
        }
        if let Some(c) = self.min_confidence {
            if !(0.0..=1.0).contains(&c) {
                return Err(invalid("min_confidence", &c.to_string(), CONFIDENCE_ALLOWED));
            }
        }
        Ok(())
    }
}

impl QuoteFilter {
    /// The parameters a quote filter takes by name (the API's; the CLI's flags).
    pub const PARAMS: [&'static str; 5] = ["speaker", "text", "article", "limit", "offset"];

    /// Sets parameter `name` from its text, as [`EventFilter::set_param`]. The text
    /// fields are substrings, so any text means something; only `limit` and `offset`
    /// can be wrong.
    pub fn set_param(&mut self, name: &str, value: &str) -> Result<bool, FilterError> {
        let text = Some(value.to_string());
        match name {
            "speaker" => self.speaker = text,
            "text" => self.text = text,
            "article" => self.article = text,
            "limit" => self.limit = Some(parse_count("limit", value)?),
            "offset" => self.offset = Some(parse_count("offset", value)?),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: &str, value: &str) -> Result<(), FilterError> {
        let mut f = EventFilter::default();
        assert!(f.set_param(name, value)?, "{name} is a parameter");
        f.validate()
    }

    #[test]
    fn values_a_filter_can_mean_pass() {
        for (name, value) in [
            ("since", "2025-12-02"),
            ("since", "2025-12"),
            ("until", "2025"),
            ("cameo", "19"),
            ("cameo", "01"),
            ("cameo", "1901"),
            ("cameo", "20"),
            ("plover", "assault"),
            ("plover", "REJECT"),
            ("modality", "Reported"),
            ("bbox", "35,47,39,49.5"),
            ("clustered", "true"),
            ("limit", "0"),
            ("actor", "anything at all"),
        ] {
            assert_eq!(with(name, value), Ok(()), "{name}={value}");
        }
    }

    #[test]
    fn values_a_filter_cannot_mean_name_field_value_and_allowed() {
        for (name, value, allowed) in [
            ("since", "yesterday", "YYYY-MM-DD"),
            ("since", "2025-02-30", "YYYY-MM-DD"),
            ("until", "2025-13", "YYYY-MM-DD"),
            ("until", "", "YYYY-MM-DD"),
            ("cameo", "ZZ", "01-20"),
            ("cameo", "21", "01-20"),
            ("cameo", "1", "2-4 digits"),
            ("cameo", "19012", "2-4 digits"),
            ("plover", "FIGHT", "ASSAULT"),
            ("modality", "maybe", "hypothetical"),
            ("bbox", "39,47,35,49", "west <= east"),
            ("bbox", "1,2,3", "west,south,east,north"),
            ("limit", "-1", "whole number"),
            ("clustered", "yes", "true or false"),
        ] {
            let mut f = EventFilter::default();
            let err = match f.set_param(name, value) {
                Err(e) => e,
                Ok(_) => f.validate().expect_err(&format!("{name}={value} passes")),
            };
            assert_eq!(err.field(), name);
            let msg = err.message("--");
            assert!(msg.starts_with(&format!("--{name} {value:?}")), "{msg}");
            assert!(msg.contains(allowed), "{msg} lacks {allowed}");
        }
    }

    #[test]
    fn since_after_until_is_refused_but_a_day_inside_until_is_not() {
        let f = |s: &str, u: &str| EventFilter {
            since: Some(s.into()),
            until: Some(u.into()),
            ..Default::default()
        };
        assert!(matches!(
            f("2025-12-05", "2025-11").validate(),
            Err(FilterError::Backwards { .. })
        ));
        assert_eq!(f("2025-12-05", "2025-12").validate(), Ok(()));
        assert_eq!(f("2025-12", "2025-12-01").validate(), Ok(()));
    }

    #[test]
    fn unknown_names_are_not_set() {
        let mut f = EventFilter::default();
        assert_eq!(f.set_param("speaker", "x"), Ok(false));
        let mut q = QuoteFilter::default();
        assert_eq!(q.set_param("cameo", "19"), Ok(false));
        assert_eq!(q.set_param("speaker", "Peskov"), Ok(true));
        assert_eq!(q.speaker.as_deref(), Some("Peskov"));
    }
}
