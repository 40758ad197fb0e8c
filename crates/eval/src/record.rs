//! Tolerant readers of the contract record (schema 1). A missing or ill-typed field reads as
//! absent: a scorer must never fail because the extractor left something out.

use serde_json::Value;

use crate::align::{align, Alignment};

pub(crate) fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

pub(crate) fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

pub(crate) fn num(v: &Value, key: &str) -> Option<f64> {
    match v.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(crate) fn uint(v: &Value, key: &str) -> Option<usize> {
    let x = num(v, key)?;
    (x.is_finite() && x >= 0.0).then_some(x as usize)
}

/// A `[start, end]` pair.
pub(crate) fn pair(v: Option<&Value>) -> Option<(usize, usize)> {
    let a = v?.as_array()?;
    let s = a.first()?.as_u64()? as usize;
    let e = a.get(1)?.as_u64()? as usize;
    Some((s.min(e), s.max(e)))
}

/// `{"start", "end"}` fields of an object.
pub(crate) fn start_end(v: &Value) -> Option<(usize, usize)> {
    let s = uint(v, "start")?;
    let e = uint(v, "end")?;
    Some((s.min(e), s.max(e)))
}

/// The alignment of the record's `text` onto the gold text (identity when the record has none).
pub(crate) fn alignment(rec: &Value, gold_text: &str) -> Alignment {
    match str_of(rec, "text") {
        Some(t) => align(t, gold_text),
        None => Alignment::identity(gold_text.chars().count()),
    }
}

/// Coordinates and region of a place (`entities[].geo` or `events[].location`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Place {
    pub lat: f64,
    pub lon: f64,
    pub admin1: Option<String>,
    pub feature: Option<String>,
}

pub(crate) fn place(v: &Value) -> Option<Place> {
    if !v.is_object() {
        return None;
    }
    let lat = num(v, "lat")?;
    let lon = num(v, "lon")?;
    if !(lat.is_finite() && lon.is_finite()) {
        return None;
    }
    Some(Place {
        lat,
        lon,
        admin1: str_of(v, "admin1").map(str::to_string),
        feature: str_of(v, "feature").map(str::to_string),
    })
}

/// One entity of a record, with mentions already mapped onto the gold text.
#[derive(Debug, Clone)]
pub(crate) struct Entity {
    pub id: String,
    pub name: String,
    pub etype: String,
    pub geo: Option<Place>,
    pub mentions: Vec<(usize, usize)>,
}

pub(crate) fn entities(rec: &Value, al: &Alignment) -> Vec<Entity> {
    arr(rec, "entities")
        .iter()
        .map(|e| Entity {
            id: str_of(e, "id").unwrap_or("").to_string(),
            name: str_of(e, "name").unwrap_or("").to_string(),
            etype: str_of(e, "type").unwrap_or("").to_ascii_uppercase(),
            geo: e.get("geo").and_then(place),
            mentions: arr(e, "mentions")
                .iter()
                .filter_map(|m| pair(Some(m)))
                .map(|(s, e)| al.span(s, e))
                .collect(),
        })
        .collect()
}
