//! Exports in the formats analysts' tools already read: GDELT 2.0 event TSV (61 columns),
//! PLOVER/POLECAT-style JSON lines, and flat CSV of events.

use chronicle_store::EventRow;
use chrono::{Datelike, NaiveDate};
use serde_json::json;

/// The 61 GDELT 2.0 event column names, in order.
pub const GDELT_COLUMNS: [&str; 61] = [
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// The most precise calendar day for an event: its own date when resolved to a day, else
/// the article's publication date (GDELT's own convention).
fn event_day(e: &EventRow) -> Option<NaiveDate> {
    let parse = |s: &str| {
        s.get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    e.date
        .as_deref()
        .and_then(parse)
        .or_else(|| e.published.as_deref().and_then(parse))
}

/// Splits an actor code "RUSGOV" into (country, type) the way GDELT columns want them.
fn split_code(code: Option<&str>) -> (String, String, String) {
    let c = code.unwrap_or("");
    let country = c.get(..3).unwrap_or("").to_string();
    let ty = c.get(3..6).unwrap_or("").to_string();
    (c.to_string(), country, ty)
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// One GDELT 2.0 event row. `n` becomes GlobalEventID (stable within one export).
/// Country codes are ISO 3166-1 alpha-3 / CAMEO actor codes (GDELT uses FIPS for geo
/// columns; we keep one code system and say so in the README).
pub fn gdelt_row(n: u64, e: &EventRow) -> String {
    let day = event_day(e);
    let (day_s, month_s, year_s, frac) = match day {
        Some(d) => (
            d.format("%Y%m%d").to_string(),
            d.format("%Y%m").to_string(),
            d.year().to_string(),
            format!("{:.4}", d.year() as f64 + (d.ordinal() as f64 - 1.0) / 365.0),
        ),
        None => (String::new(), String::new(), String::new(), String::new()),
    };
    let (a1, a1c, a1t) = split_code(e.source_code.as_deref());
    let (a2, a2c, a2t) = split_code(e.target_code.as_deref());
    let base = e.cameo.get(..3).unwrap_or(&e.cameo).to_string();
    let geo_type = match (&e.lat, &e.admin1, &e.location) {
        (Some(_), _, Some(_)) => "4",
        _ => "",
    };
    let f = |x: Option<f64>| x.map(|v| format!("{v:.4}")).unwrap_or_default();
    let mut cols: Vec<String> = vec![
        n.to_string(),
        day_s,
        month_s,
        year_s,
        frac,
        a1,
        clean(e.source_text.as_deref().unwrap_or("")),
        a1c,
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        a1t,
        String::new(),
        String::new(),
        a2,
        clean(e.target_text.as_deref().unwrap_or("")),
        a2c,
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        a2t,
        String::new(),
        String::new(),
        "1".into(),
        e.cameo.clone(),
        base,
        e.root.clone(),
        e.quad.to_string(),
        format!("{:.1}", e.goldstein),
        e.num_mentions.to_string(),
        e.num_sources.to_string(),
        e.num_articles.to_string(),
        String::new(),
    ];
    // Actor1Geo and Actor2Geo: we locate the action, not each actor.
    cols.extend(std::iter::repeat_n(String::new(), 16));
    cols.extend([
        geo_type.to_string(),
        clean(e.location.as_deref().unwrap_or("")),
        e.country.clone().unwrap_or_default(),
        clean(e.admin1.as_deref().unwrap_or("")),
        String::new(),
        f(e.lat),
        f(e.lon),
        String::new(),
        e.published
            .as_deref()
            .map(|p| p.replace('-', ""))
            .unwrap_or_default(),
        e.url.clone().unwrap_or_else(|| e.article_id.clone()),
    ]);
    debug_assert_eq!(cols.len(), 61);
    cols.join("\t")
}

/// One PLOVER/POLECAT-style event object.
pub fn plover_json(e: &EventRow) -> serde_json::Value {
    json!({
        "id": format!("{}:{}", e.article_id, e.event_id),
        "article_id": e.article_id,
        "event_date": e.date,
        "story_date": e.published,
        "event_type": e.plover,
        "mode": e.plover_mode,
        "cameo": e.cameo,
        "source_actor": e.source_text,
        "source_code": e.source_code,
        "target_actor": e.target_text,
        "target_code": e.target_code,
        "modality": e.modality,
        "location": e.location,
        "country": e.country,
        "admin1": e.admin1,
        "lat": e.lat,
        "lon": e.lon,
        "fatalities": e.killed,
        "injuries": e.wounded,
        "event_text": e.sentence,
        "url": e.url,
    })
}

/// Column names of the flat CSV of events (and `query --format csv`).
pub const EVENT_CSV_COLUMNS: [&str; 22] = [
    "article_id",
    "event_id",
    "published",
    "date",
    "cameo",
    "root",
    "quad",
    "goldstein",
    "plover",
    "source_code",
    "source",
    "target_code",
    "target",
    "modality",
    "location",
    "country",
    "admin1",
    "lat",
    "lon",
    "killed",
    "wounded",
    "sentence",
];

pub fn event_csv_record(e: &EventRow) -> Vec<String> {
    let o = |s: &Option<String>| s.clone().unwrap_or_default();
    let n = |x: Option<i64>| x.map(|v| v.to_string()).unwrap_or_default();
    let f = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    vec![
        e.article_id.clone(),
        e.event_id.clone(),
        o(&e.published),
        o(&e.date),
        e.cameo.clone(),
        e.root.clone(),
        e.quad.to_string(),
        e.goldstein.to_string(),
        e.plover.clone(),
        o(&e.source_code),
        o(&e.source_text),
        o(&e.target_code),
        o(&e.target_text),
        e.modality.clone(),
        o(&e.location),
        o(&e.country),
        o(&e.admin1),
        f(e.lat),
        f(e.lon),
        n(e.killed),
        n(e.wounded),
        e.sentence.clone(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> EventRow {
        EventRow {
            article_id: "a".into(),
            event_id: "v1".into(),
            published: Some("2025-12-03".into()),
            url: Some("http://x".into()),
            cameo: "1231".into(),
            root: "12".into(),
            quad: 3,
            goldstein: -4.0,
            plover: "REJECT".into(),
            plover_mode: None,
            source_code: Some("RUSGOV".into()),
            source_text: Some("Putin".into()),
            target_code: Some("USA".into()),
            target_text: Some("the\tplan".into()),
            modality: "claimed".into(),
            date: Some("2025-12-02".into()),
            location: Some("Moscow".into()),
            country: Some("RUS".into()),
            admin1: Some("Moscow".into()),
            lat: Some(55.75),
            lon: Some(37.62),
            killed: None,
            wounded: None,
            sentence: "Putin rejected the plan.".into(),
            num_mentions: 5,
            num_sources: 2,
            num_articles: 3,
            cluster: Some("RUSGOV|USA|123|Moscow|2025-12-02".into()),
        }
    }

    #[test]
    fn gdelt_row_has_61_columns_in_place() {
        let r = gdelt_row(7, &row());
        let c: Vec<&str> = r.split('\t').collect();
        assert_eq!(c.len(), 61);
        assert_eq!(c[0], "7");
        assert_eq!(c[1], "20251202");
        // NumMentions, NumSources, NumArticles come from the event's cluster.
        assert_eq!((c[31], c[32], c[33]), ("5", "2", "3"));
        assert_eq!(c[5], "RUSGOV");
        assert_eq!(c[7], "RUS");
        assert_eq!(c[12], "GOV");
        assert_eq!(c[16], "the plan");
        assert_eq!(c[26], "1231");
        assert_eq!(c[27], "123");
        assert_eq!(c[28], "12");
        assert_eq!(c[29], "3");
        assert_eq!(c[52], "Moscow");
        assert_eq!(c[56], "55.7500");
        assert_eq!(c[59], "20251203");
        assert_eq!(c[60], "http://x");
    }

    #[test]
    fn undated_event_falls_back_to_publication_day() {
        let mut e = row();
        e.date = Some("2025-11".into());
        let r = gdelt_row(1, &e);
        assert_eq!(r.split('\t').nth(1), Some("20251203"));
        assert_eq!(event_csv_record(&e).len(), EVENT_CSV_COLUMNS.len());
    }
}
