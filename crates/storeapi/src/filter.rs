//! Filters checked before they reach SQL: a value a filter cannot mean (`since=yesterday`,
//! `modality=maybe`, `cameo=ZZ`) would select nothing and look like an empty store, so it
//! is refused with an error naming the field, the value and what the field takes. The CLI
//! (`chronicle query`) and the HTTP API both check here, so both accept and refuse the same
//! values with the same words.

use chronicle_core::{Modality, PLOVER_TYPES};
use chrono::NaiveDate;

/// Filters for [`RecordStore::events`](crate::RecordStore::events); every field narrows, `None` means any.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Either side: an actor code (all capitals: "RUS" is the country, any sector;
    /// "RUSGOV" that code), else a name substring ("Putin").
    pub actor: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    /// CAMEO root or code prefix ("12", "127").
    pub cameo: Option<String>,
    /// PLOVER event type ("ASSAULT"), any case.
    pub plover: Option<String>,
    /// A contract modality ("reported"), any case.
    pub modality: Option<String>,
    /// Inclusive ISO date bounds on the event date (`YYYY-MM-DD`, or `YYYY-MM` / `YYYY`
    /// for a whole month / year). [`EventFilter::validate`] checks every field.
    pub since: Option<String>,
    pub until: Option<String>,
    pub article: Option<String>,
    /// Place: an ISO3 country code ("UKR"), else a substring of the place or region name
    /// ("Pokrovsk", "Donetsk").
    pub place: Option<String>,
    /// Events placed inside `[west, south, east, north]` (degrees).
    pub bbox: Option<[f64; 4]>,
    pub limit: Option<u64>,
    /// One row per cluster (its earliest report) instead of one per report.
    pub clustered: bool,
    /// Rows to skip (pagination, with `limit`).
    pub offset: Option<u64>,
    /// Only events whose confidence is at least this (0-1); unscored events are left out.
    pub min_confidence: Option<f64>,
    /// Only events stored after report number N (their `global_id` above it): what is new
    /// since a client last looked (watchlists, the web UI's "new since you last looked").
    pub after: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct QuoteFilter {
    /// Speaker name substring.
    pub speaker: Option<String>,
    /// Content substring.
    pub text: Option<String>,
    pub article: Option<String>,
    pub limit: Option<u64>,
    /// Rows to skip first (in the same order), for paging.
    pub offset: Option<u64>,
}

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
pub const CONFIDENCE_ALLOWED: &str = "a number from 0 to 1 (0.5)";

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

/// How a parameter's text is read. The CLI makes its flag from it (a switch takes no
/// value; a bounding box may start with a minus), the API's OpenAPI description its schema
/// and the words on what it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// Free text: any value may match.
    Text,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    Date,
    /// A CAMEO root or code prefix.
    Cameo,
    /// A PLOVER event type.
    Plover,
    /// A contract modality.
    Modality,
    /// `west,south,east,north`.
    BBox,
    /// A whole number, 0 or more.
    Count,
    /// A number from 0 to 1.
    Fraction,
    /// On or off (`true`/`false`; the CLI's flag takes no value).
    Switch,
}

impl ParamKind {
    /// What a value of this kind must look like, in the words errors use; `None` for
    /// free text.
    pub fn allowed(self) -> Option<String> {
        Some(match self {
            ParamKind::Text => return None,
            ParamKind::Date => DATE_ALLOWED.to_string(),
            ParamKind::Cameo => CAMEO_ALLOWED.to_string(),
            ParamKind::Plover => plover_allowed(),
            ParamKind::Modality => modality_allowed(),
            ParamKind::BBox => BBOX_ALLOWED.to_string(),
            ParamKind::Count => COUNT_ALLOWED.to_string(),
            ParamKind::Fraction => CONFIDENCE_ALLOWED.to_string(),
            ParamKind::Switch => BOOL_ALLOWED.to_string(),
        })
    }
}

/// One filter parameter: **the one definition** from which the CLI's flag (`--name`, with
/// `_` written `-`), the API's query parameter (`name`), its OpenAPI description and the
/// Python package's keyword argument all come, and by which each of them sets the filter.
pub struct Param<F: 'static> {
    /// The parameter's name (`min_confidence`).
    pub name: &'static str,
    pub kind: ParamKind,
    /// What it selects, for people (help and API description; [`ParamKind::allowed`]
    /// follows it in [`Param::description`]).
    pub help: &'static str,
    set: fn(&mut F, &str) -> Result<(), FilterError>,
}

impl<F> Param<F> {
    /// The CLI's flag name, without the dashes (`min-confidence`).
    pub fn flag(&self) -> String {
        self.name.replace('_', "-")
    }

    /// The help followed by what the value must look like.
    pub fn description(&self) -> String {
        match self.kind.allowed() {
            Some(allowed) if self.kind != ParamKind::Switch => format!("{}: {allowed}", self.help),
            _ => self.help.to_string(),
        }
    }
}

/// Sets a parameter on a filter by its name: the shared body of the filters' `set_param`.
fn set_by_name<F>(params: &[Param<F>], f: &mut F, name: &str, value: &str) -> Result<bool, FilterError> {
    match params.iter().find(|p| p.name == name) {
        Some(p) => (p.set)(f, value).map(|()| true),
        None => Ok(false),
    }
}

/// A filter from (name, value) pairs: each set through its parameter, a name the filter does
/// not have refused as [`FilterError::Unknown`] (with the names it has).
fn from_pairs<'a, F: Default>(
    params: &[Param<F>],
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<F, FilterError> {
    let mut f = F::default();
    for (name, value) in pairs {
        if !set_by_name(params, &mut f, name, value)? {
            return Err(FilterError::Unknown {
                name: name.to_string(),
                known: params.iter().map(|p| p.name).collect(),
            });
        }
    }
    Ok(f)
}

fn text(v: &str) -> Option<String> {
    Some(v.to_string())
}

impl EventFilter {
    /// Every parameter an event filter takes, in the order help lists them.
    pub const PARAMS: &'static [Param<EventFilter>] = &[
        Param {
            name: "actor",
            kind: ParamKind::Text,
            help: "an actor on either side: three capitals are a country, any sector (RUS); a longer code that code or its prefix (RUSGOV); anything else a name substring (Putin)",
            set: |f, v| {
                f.actor = text(v);
                Ok(())
            },
        },
        Param {
            name: "source",
            kind: ParamKind::Text,
            help: "the source actor, as for actor",
            set: |f, v| {
                f.source = text(v);
                Ok(())
            },
        },
        Param {
            name: "target",
            kind: ParamKind::Text,
            help: "the target actor, as for actor",
            set: |f, v| {
                f.target = text(v);
                Ok(())
            },
        },
        Param {
            name: "cameo",
            kind: ParamKind::Cameo,
            help: "the CAMEO code",
            set: |f, v| {
                f.cameo = text(v);
                Ok(())
            },
        },
        Param {
            name: "plover",
            kind: ParamKind::Plover,
            help: "the PLOVER event type, any case",
            set: |f, v| {
                f.plover = text(v);
                Ok(())
            },
        },
        Param {
            name: "modality",
            kind: ParamKind::Modality,
            help: "the modality, any case",
            set: |f, v| {
                f.modality = text(v);
                Ok(())
            },
        },
        Param {
            name: "since",
            kind: ParamKind::Date,
            help: "dated on or after",
            set: |f, v| {
                f.since = text(v);
                Ok(())
            },
        },
        Param {
            name: "until",
            kind: ParamKind::Date,
            help: "dated on or before",
            set: |f, v| {
                f.until = text(v);
                Ok(())
            },
        },
        Param {
            name: "place",
            kind: ParamKind::Text,
            help: "placed in an ISO3 country (UKR), else a place or region whose name holds this (Pokrovsk, Donetsk)",
            set: |f, v| {
                f.place = text(v);
                Ok(())
            },
        },
        Param {
            name: "bbox",
            kind: ParamKind::BBox,
            help: "placed inside a bounding box (35,47,39,49.5 is the Donbas)",
            set: |f, v| {
                f.bbox = Some(parse_bbox(v)?);
                Ok(())
            },
        },
        Param {
            name: "article",
            kind: ParamKind::Text,
            help: "of one article (its id)",
            set: |f, v| {
                f.article = text(v);
                Ok(())
            },
        },
        Param {
            name: "clustered",
            kind: ParamKind::Switch,
            help: "one row per cross-article cluster (reports of the same actor pair, CAMEO base code, place and day merged), with its mention, source and article counts",
            set: |f, v| {
                f.clustered = parse_bool("clustered", v)?;
                Ok(())
            },
        },
        Param {
            name: "limit",
            kind: ParamKind::Count,
            help: "rows to give at most",
            set: |f, v| {
                f.limit = Some(parse_count("limit", v)?);
                Ok(())
            },
        },
        Param {
            name: "offset",
            kind: ParamKind::Count,
            help: "rows to skip first, for paging with limit",
            set: |f, v| {
                f.offset = Some(parse_count("offset", v)?);
                Ok(())
            },
        },
        Param {
            name: "min_confidence",
            kind: ParamKind::Fraction,
            help: "only events whose confidence (participants, literal force cues, article topic, modality, parse) is at least this; unscored events are left out",
            set: |f, v| {
                f.min_confidence = Some(parse_confidence(v)?);
                Ok(())
            },
        },
        Param {
            name: "after",
            kind: ParamKind::Count,
            help: "only events stored after this report number (a global_id): what is new since you last looked",
            set: |f, v| {
                f.after = Some(parse_count("after", v)?.min(i64::MAX as u64) as i64);
                Ok(())
            },
        },
    ];

    /// The parameters' names, in [`EventFilter::PARAMS`]' order.
    pub fn param_names() -> Vec<&'static str> {
        Self::PARAMS.iter().map(|p| p.name).collect()
    }

    /// True when an event filter has parameter `name`.
    pub fn takes(name: &str) -> bool {
        Self::PARAMS.iter().any(|p| p.name == name)
    }

    /// Sets parameter `name` from its text (a query string's value, a flag's): `Ok(false)`
    /// when no event filter has that name, an error when a typed one (`bbox`, `limit`,
    /// `offset`, `clustered`, `min_confidence`, `after`) cannot be read. Text fields are
    /// kept as given; [`EventFilter::validate`] checks them.
    pub fn set_param(&mut self, name: &str, value: &str) -> Result<bool, FilterError> {
        set_by_name(Self::PARAMS, self, name, value)
    }

    /// The event filter that (name, value) pairs mean (a query string, a watchlist's
    /// saved filter, the CLI's flags, Python's keywords), checked with
    /// [`EventFilter::validate`]; an unknown name is [`FilterError::Unknown`].
    pub fn from_params<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<EventFilter, FilterError> {
        let f = from_pairs(Self::PARAMS, pairs)?;
        f.validate()?;
        Ok(f)
    }
}

impl EventFilter {
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
    /// Every parameter a quote filter takes. The text fields are substrings, so any text
    /// means something; only `limit` and `offset` can be wrong.
    pub const PARAMS: &'static [Param<QuoteFilter>] = &[
        Param {
            name: "speaker",
            kind: ParamKind::Text,
            help: "a speaker name substring",
            set: |f, v| {
                f.speaker = text(v);
                Ok(())
            },
        },
        Param {
            name: "text",
            kind: ParamKind::Text,
            help: "text inside the quote",
            set: |f, v| {
                f.text = text(v);
                Ok(())
            },
        },
        Param {
            name: "article",
            kind: ParamKind::Text,
            help: "of one article (its id)",
            set: |f, v| {
                f.article = text(v);
                Ok(())
            },
        },
        Param {
            name: "limit",
            kind: ParamKind::Count,
            help: "rows to give at most",
            set: |f, v| {
                f.limit = Some(parse_count("limit", v)?);
                Ok(())
            },
        },
        Param {
            name: "offset",
            kind: ParamKind::Count,
            help: "rows to skip first, for paging with limit",
            set: |f, v| {
                f.offset = Some(parse_count("offset", v)?);
                Ok(())
            },
        },
    ];

    /// The parameters' names, in [`QuoteFilter::PARAMS`]' order.
    pub fn param_names() -> Vec<&'static str> {
        Self::PARAMS.iter().map(|p| p.name).collect()
    }

    /// True when a quote filter has parameter `name`.
    pub fn takes(name: &str) -> bool {
        Self::PARAMS.iter().any(|p| p.name == name)
    }

    /// Sets parameter `name` from its text, as [`EventFilter::set_param`].
    pub fn set_param(&mut self, name: &str, value: &str) -> Result<bool, FilterError> {
        set_by_name(Self::PARAMS, self, name, value)
    }

    /// The quote filter that (name, value) pairs mean, as [`EventFilter::from_params`] (a
    /// quote filter has nothing to validate beyond reading its values).
    pub fn from_params<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<QuoteFilter, FilterError> {
        from_pairs(Self::PARAMS, pairs)
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
