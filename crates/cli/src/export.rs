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

/// The calendar day a date or time text starts with (`2025-12-02`, `2025-12-02T08:00:00Z`);
/// `None` for a coarser one (`2025-11`, `2025-W49`) or no date.
pub fn day_of(s: &str) -> Option<NaiveDate> {
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// The most precise calendar day for an event: its own date when resolved to a day, else
/// the article's publication date (GDELT's own convention).
fn event_day(e: &EventRow) -> Option<NaiveDate> {
    e.date
        .as_deref()
        .and_then(day_of)
        .or_else(|| e.published.as_deref().and_then(day_of))
}

/// Whether [`event_day`] finds a day for `e` (its own or its article's).
pub fn event_day_known(e: &EventRow) -> bool {
    event_day(e).is_some()
}

/// When the record's page was fetched (`meta.fetched`, set by the crawl readers).
pub fn fetched_of(r: &chronicle_record::Record) -> Option<String> {
    r.meta.get("fetched").and_then(|v| v.as_str()).map(str::to_string)
}

/// The day an event gets when neither it nor its article states one ([`event_day`] is
/// `None`): the day its page was fetched (a crawl's record date, kept in the record's
/// `meta.fetched`), else the day the article was stored. GDELT's Day (SQLDATE) is
/// required, and these are, in order, the nearest evidence of when it was reported: the
/// event happened no later than either.
pub fn undated_day(fetched: Option<&str>, e: &EventRow) -> Option<NaiveDate> {
    fetched
        .and_then(day_of)
        .or_else(|| e.ingested.as_deref().and_then(day_of))
}

/// Splits an actor code "RUSGOV" into (country, type) the way GDELT columns want them; the
/// unknown country of "---GOV" is an empty country column, as GDELT leaves it.
fn split_code(code: Option<&str>) -> (String, String, String) {
    let c = code.unwrap_or("");
    let country = c
        .get(..3)
        .filter(|c| *c != chronicle_core::UNKNOWN_COUNTRY)
        .unwrap_or("")
        .to_string();
    let ty = c.get(3..6).unwrap_or("").to_string();
    (c.to_string(), country, ty)
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// One GDELT 2.0 event row. `n` becomes GlobalEventID (stable within one export).
/// Country codes are ISO 3166-1 alpha-3 / CAMEO actor codes (GDELT uses FIPS for geo
/// columns; we keep one code system and say so in the README). `undated` is the day for
/// an event whose own and whose article's dates are missing ([`undated_day`]), so Day,
/// MonthYear, Year and FractionDate are filled whenever any date is known.
pub fn gdelt_row(n: u64, e: &EventRow, undated: Option<NaiveDate>) -> String {
    let day = event_day(e).or(undated);
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

/// One event of `chronicle query events --format jsonl`: the contract's event object
/// (CONTRACT.md, `events[]`: `plover.type`, `killed`, ... under their contract names), as
/// stored in its article's record (`stored`), plus where it comes from (`article_id`,
/// `published`, `url`, `source_name`: the outlet, `sentence_text`) and its cluster's
/// figures (`event_global_id`, `cluster`, `num_mentions`, `num_sources`,
/// `num_articles`). Without the stored object (an unreadable record) the row's own fields
/// are written under the contract's names, and the spans the row lacks are left out.
pub fn event_json(e: &EventRow, stored: Option<&chronicle_record::EventOut>) -> serde_json::Value {
    let side = |code: &Option<String>, text: &Option<String>| {
        (code.is_some() || text.is_some()).then(|| json!({"code": code, "text": text}))
    };
    let mut v = stored
        .and_then(|ev| serde_json::to_value(ev).ok())
        .unwrap_or_else(|| {
            json!({
                "id": e.event_id,
                "cameo": e.cameo,
                "root": e.root,
                "quad": e.quad,
                "goldstein": e.goldstein,
                "plover": {"type": e.plover, "mode": e.plover_mode},
                "source": side(&e.source_code, &e.source_text),
                "target": side(&e.target_code, &e.target_text),
                "modality": e.modality,
                "date": e.date,
                "location": e.location.as_ref().map(|name| json!({
                    "name": name, "country": e.country, "admin1": e.admin1, "lat": e.lat, "lon": e.lon
                })),
                "killed": e.killed,
                "wounded": e.wounded,
                "confidence": e.confidence,
                "reporter": side(&e.reporter_code, &e.reporter_text),
            })
        });
    if let serde_json::Value::Object(m) = &mut v {
        for (k, x) in [
            ("article_id", json!(e.article_id)),
            ("published", json!(e.published)),
            ("url", json!(e.url)),
            ("source_name", json!(e.source)),
            ("sentence_text", json!(e.sentence)),
            ("event_global_id", json!(e.event_global_id)),
            ("cluster", json!(e.cluster)),
            ("num_mentions", json!(e.num_mentions)),
            ("num_sources", json!(e.num_sources)),
            ("num_articles", json!(e.num_articles)),
        ] {
            m.insert(k.to_string(), x);
        }
    }
    v
}

/// One PLOVER/POLECAT-style event object. PLOVER has no reporter field (POLECAT keeps
/// only the dyad); `reporter_actor`/`reporter_code` follow the `source_*`/`target_*`
/// naming here so a reported event ("Kyiv said Russia attacked Odesa") keeps who said it,
/// null when the article asserts the event.
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
        "confidence": e.confidence,
        "reporter_actor": e.reporter_text,
        "reporter_code": e.reporter_code,
    })
}

/// Column names of the flat CSV of events (and `query --format csv`); `num_mentions`,
/// `num_sources`, `num_articles` are the event's cluster figures (GDELT's NumMentions,
/// NumSources, NumArticles), `confidence` the event's confidence (0-1, empty when the
/// event was stored before it was computed), and the last two who reported a reported or
/// claimed event (code and text, as `source_code`/`source`; empty when the article
/// asserts it). New columns go last, so positional readers keep working.
pub const EVENT_CSV_COLUMNS: [&str; 28] = [
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
    "num_mentions",
    "num_sources",
    "num_articles",
    "confidence",
    "reporter_code",
    "reporter",
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
        e.num_mentions.to_string(),
        e.num_sources.to_string(),
        e.num_articles.to_string(),
        f(e.confidence),
        o(&e.reporter_code),
        o(&e.reporter_text),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> EventRow {
        EventRow {
            global_id: 7,
            event_global_id: 7,
            source: Some("seed".into()),
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
            ingested: Some("2025-12-04T09:30:00Z".into()),
            confidence: Some(0.72),
            reporter_code: Some("UKRGOV".into()),
            reporter_text: Some("Kyiv".into()),
        }
    }

    #[test]
    fn gdelt_mention_confidence_is_the_event_confidence_in_percent() {
        let col = |e: &EventRow| -> String {
            let r = gdelt_mention_row(e, &MentionSpans::default(), None);
            let i = GDELT_MENTION_COLUMNS
                .iter()
                .position(|c| *c == "Confidence")
                .expect("a Confidence column");
            r.split('\t').nth(i).unwrap_or_default().to_string()
        };
        assert_eq!(col(&row()), "72");
        // Stored before confidence existed: GDELT's convention from the modality.
        let old = EventRow {
            confidence: None,
            ..row()
        };
        assert_eq!(col(&old), "50", "a claimed report");
    }

    #[test]
    fn exports_carry_the_reporter_beside_the_dyad() {
        let e = row();
        let csv = event_csv_record(&e);
        let at = |name: &str| {
            let i = EVENT_CSV_COLUMNS
                .iter()
                .position(|c| *c == name)
                .expect("a column");
            csv[i].as_str()
        };
        assert_eq!((at("reporter_code"), at("reporter")), ("UKRGOV", "Kyiv"));
        assert_eq!(at("source_code"), "RUSGOV", "the dyad stays the event's own");
        let p = plover_json(&e);
        assert_eq!(
            (&p["reporter_code"], &p["reporter_actor"]),
            (&json!("UKRGOV"), &json!("Kyiv"))
        );
        // A row without a stored record still says who reported it, as `source` is said.
        let j = event_json(&e, None);
        assert_eq!(j["reporter"], json!({"code": "UKRGOV", "text": "Kyiv"}));
        // An asserted event: empty cells, nulls.
        let asserted = EventRow {
            reporter_code: None,
            reporter_text: None,
            ..row()
        };
        assert_eq!(event_csv_record(&asserted)[EVENT_CSV_COLUMNS.len() - 1], "");
        assert!(plover_json(&asserted)["reporter_code"].is_null());
        assert!(event_json(&asserted, None)["reporter"].is_null());
    }

    #[test]
    fn gdelt_row_has_61_columns_in_place() {
        let r = gdelt_row(7, &row(), None);
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
        let r = gdelt_row(1, &e, None);
        assert_eq!(r.split('\t').nth(1), Some("20251203"));
        assert_eq!(event_csv_record(&e).len(), EVENT_CSV_COLUMNS.len());
    }

    #[test]
    fn undated_article_takes_the_fetch_day_else_the_storing_day() {
        let mut e = row();
        e.date = None;
        e.published = None;
        let day = |r: String| r.split('\t').nth(1).map(str::to_string);
        let fetched = undated_day(Some("2025-12-01T06:00:00Z"), &e);
        assert_eq!(day(gdelt_row(1, &e, fetched)).as_deref(), Some("20251201"));
        let stored = undated_day(None, &e);
        assert_eq!(day(gdelt_row(1, &e, stored)).as_deref(), Some("20251204"));
        // The event's or the article's own day wins over both.
        e.published = Some("2025-12-03".into());
        assert_eq!(day(gdelt_row(1, &e, fetched)).as_deref(), Some("20251203"));
    }

    #[test]
    fn query_json_keeps_contract_names_with_cluster_figures() {
        let v = event_json(&row(), None);
        assert_eq!(v["plover"]["type"], "REJECT");
        assert_eq!(v["source"]["code"], "RUSGOV");
        assert_eq!(v["location"]["name"], "Moscow");
        assert_eq!(
            (&v["num_mentions"], &v["num_sources"], &v["num_articles"]),
            (&json!(5), &json!(2), &json!(3))
        );
        for renamed in ["event_type", "fatalities", "event_date", "source_actor"] {
            assert!(v.get(renamed).is_none(), "{renamed} is not a contract name");
        }
    }
}

/// The 16 columns of GDELT 2.0's Mentions table, in order: one row per report of an event.
pub const GDELT_MENTION_COLUMNS: [&str; 16] = [
    "GlobalEventID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
];

/// Where one report sits in its article, from the stored record (the events table keeps
/// the sentence, not the spans).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MentionSpans {
    /// 1-based sentence number in the article.
    pub sentence: usize,
    pub actor1: Option<u32>,
    pub actor2: Option<u32>,
    pub action: u32,
    pub doc_len: usize,
}

/// One GDELT Mentions row for a report `e` of the event numbered `e.event_global_id`.
/// Times are GDELT's `YYYYMMDDHHMMSS`: the event's day (`undated` when it has none, as in
/// [`gdelt_row`]) and the article's publication day (midnight: a day is all a news date
/// gives). Offsets are code points, as everywhere in
/// Chronicle. Confidence is the event's own confidence (0-1, see
/// `chronicle_events::confidence`) as GDELT's percent, 0-100; GDELT 2.0's Events table has
/// no confidence column, so this is where it goes. An event stored before confidence was
/// computed gets GDELT's convention from its modality instead: 100 for an asserted report
/// and less for hedged ones.
pub fn gdelt_mention_row(e: &EventRow, spans: &MentionSpans, undated: Option<NaiveDate>) -> String {
    let stamp = |d: Option<NaiveDate>| {
        d.map(|d| d.format("%Y%m%d000000").to_string())
            .unwrap_or_default()
    };
    let published = e.published.as_deref().and_then(day_of);
    let confidence = match (e.confidence, e.modality.as_str()) {
        (Some(c), _) => (c.clamp(0.0, 1.0) * 100.0).round() as i64,
        (None, "asserted") => 100,
        (None, "reported" | "historical") => 80,
        (None, "claimed" | "future") => 50,
        (None, _) => 30,
    };
    let off = |x: Option<u32>| x.map(|v| v.to_string()).unwrap_or_else(|| "-1".into());
    [
        e.event_global_id.to_string(),
        stamp(event_day(e).or(undated)),
        stamp(published.or(undated)),
        "1".into(),
        clean(e.source.as_deref().unwrap_or("")),
        clean(e.url.as_deref().unwrap_or(&e.article_id)),
        spans.sentence.to_string(),
        off(spans.actor1),
        off(spans.actor2),
        spans.action.to_string(),
        "1".into(),
        confidence.to_string(),
        spans.doc_len.to_string(),
        String::new(),
        String::new(),
        format!(
            "<MODALITY>{}</MODALITY><EVENT_ID>{}</EVENT_ID>",
            e.modality,
            clean(&e.event_id)
        ),
    ]
    .join("\t")
}

/// Spans of each event of a stored record, keyed by event id.
pub fn mention_spans(r: &chronicle_record::Record) -> std::collections::HashMap<String, MentionSpans> {
    let doc_len = r.text.chars().count();
    r.events
        .iter()
        .map(|e| {
            let sentence = r
                .sentences
                .iter()
                .position(|s| s[0] == e.sentence[0])
                .map_or(0, |i| i + 1);
            let spans = MentionSpans {
                sentence,
                actor1: e.source.as_ref().map(|p| p.span[0]),
                actor2: e.target.as_ref().map(|p| p.span[0]),
                action: e.trigger[0],
                doc_len,
            };
            (e.id.clone(), spans)
        })
        .collect()
}

/// Writes events as a Parquet file (snappy-compressed, one row group per 65,536 events):
/// the flat CSV columns with typed numbers and nulls, plus the GDELT ids and cluster
/// figures, for pandas, DuckDB, Polars, R arrow and BigQuery. Days are Parquet DATEs
/// (`published`; `date` when the event's date is a whole day, with `date_iso` keeping
/// the ISO value at any precision, `2025-11` or `2025-W49` too) and the storing time a
/// TIMESTAMP (UTC, milliseconds), so readers get date types, not strings.
pub fn write_parquet<W: std::io::Write + Send>(
    rows: &[EventRow],
    out: W,
) -> Result<(), parquet::errors::ParquetError> {
    use parquet::basic::Compression;
    use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::sync::Arc;

    /// How a column reads its value from a row (`None`: null).
    type Get<'a, T> = Box<dyn Fn(&EventRow) -> Option<T> + 'a>;
    type GetStr<'a> = Box<dyn for<'r> Fn(&'r EventRow) -> Option<&'r str> + 'a>;
    /// A column: name, required, getter.
    enum Col<'a> {
        Str(&'a str, bool, GetStr<'a>),
        Int(&'a str, bool, Get<'a, i64>),
        Num(&'a str, bool, Get<'a, f64>),
        /// Days since 1970-01-01 (Parquet DATE).
        Date(&'a str, bool, Get<'a, i32>),
        /// Milliseconds since 1970-01-01T00:00:00Z (Parquet TIMESTAMP, UTC).
        Time(&'a str, bool, Get<'a, i64>),
    }
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let days = move |s: Option<&str>| {
        s.and_then(day_of)
            .and_then(|d| i32::try_from((d - epoch).num_days()).ok())
    };
    let millis = |s: Option<&str>| {
        s.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.timestamp_millis())
    };
    let cols: Vec<Col> = vec![
        Col::Int("global_event_id", true, Box::new(|e| Some(e.event_global_id))),
        Col::Int("mention_id", true, Box::new(|e| Some(e.global_id))),
        Col::Str("article_id", true, Box::new(|e| Some(e.article_id.as_str()))),
        Col::Str("event_id", true, Box::new(|e| Some(e.event_id.as_str()))),
        Col::Date(
            "published",
            false,
            Box::new(move |e| days(e.published.as_deref())),
        ),
        Col::Str("source_name", false, Box::new(|e| e.source.as_deref())),
        Col::Str("url", false, Box::new(|e| e.url.as_deref())),
        // A day only from a whole-day value: "2025-11" is no particular day of November.
        Col::Date(
            "date",
            false,
            Box::new(move |e| days(e.date.as_deref().filter(|d| d.len() == 10))),
        ),
        Col::Str("date_iso", false, Box::new(|e| e.date.as_deref())),
        Col::Str("cameo", true, Box::new(|e| Some(e.cameo.as_str()))),
        Col::Str("root", true, Box::new(|e| Some(e.root.as_str()))),
        Col::Int("quad", true, Box::new(|e| Some(e.quad))),
        Col::Num("goldstein", true, Box::new(|e| Some(e.goldstein))),
        Col::Str("plover", true, Box::new(|e| Some(e.plover.as_str()))),
        Col::Str("plover_mode", false, Box::new(|e| e.plover_mode.as_deref())),
        Col::Str("source_code", false, Box::new(|e| e.source_code.as_deref())),
        Col::Str("source", false, Box::new(|e| e.source_text.as_deref())),
        Col::Str("target_code", false, Box::new(|e| e.target_code.as_deref())),
        Col::Str("target", false, Box::new(|e| e.target_text.as_deref())),
        Col::Str("modality", true, Box::new(|e| Some(e.modality.as_str()))),
        Col::Str("location", false, Box::new(|e| e.location.as_deref())),
        Col::Str("country", false, Box::new(|e| e.country.as_deref())),
        Col::Str("admin1", false, Box::new(|e| e.admin1.as_deref())),
        Col::Num("lat", false, Box::new(|e| e.lat)),
        Col::Num("lon", false, Box::new(|e| e.lon)),
        Col::Int("killed", false, Box::new(|e| e.killed)),
        Col::Int("wounded", false, Box::new(|e| e.wounded)),
        Col::Str("sentence", true, Box::new(|e| Some(e.sentence.as_str()))),
        Col::Int("num_mentions", true, Box::new(|e| Some(e.num_mentions))),
        Col::Int("num_sources", true, Box::new(|e| Some(e.num_sources))),
        Col::Int("num_articles", true, Box::new(|e| Some(e.num_articles))),
        Col::Str("cluster", false, Box::new(|e| e.cluster.as_deref())),
        Col::Num("confidence", false, Box::new(|e| e.confidence)),
        Col::Str("reporter_code", false, Box::new(|e| e.reporter_code.as_deref())),
        Col::Str("reporter", false, Box::new(|e| e.reporter_text.as_deref())),
        Col::Time(
            "ingested",
            false,
            Box::new(move |e| millis(e.ingested.as_deref())),
        ),
    ];
    let rep = |req: bool| if req { "REQUIRED" } else { "OPTIONAL" };
    let fields: Vec<String> = cols
        .iter()
        .map(|c| match c {
            Col::Str(n, r, _) => format!("{} BYTE_ARRAY {n} (UTF8);", rep(*r)),
            Col::Int(n, r, _) => format!("{} INT64 {n};", rep(*r)),
            Col::Num(n, r, _) => format!("{} DOUBLE {n};", rep(*r)),
            Col::Date(n, r, _) => format!("{} INT32 {n} (DATE);", rep(*r)),
            Col::Time(n, r, _) => format!("{} INT64 {n} (TIMESTAMP(MILLIS,true));", rep(*r)),
        })
        .collect();
    let schema = Arc::new(parse_message_type(&format!(
        "message chronicle_event {{ {} }}",
        fields.join(" ")
    ))?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build(),
    );
    let mut writer = SerializedFileWriter::new(out, schema, props)?;
    for chunk in rows.chunks(65_536) {
        let mut group = writer.next_row_group()?;
        for c in &cols {
            let Some(mut w) = group.next_column()? else { break };
            // Definition levels: 1 where a value is present (optional columns only).
            let (required, defs): (bool, Vec<i16>) = match c {
                Col::Str(_, r, f) => (*r, chunk.iter().map(|e| i16::from(f(e).is_some())).collect()),
                Col::Int(_, r, f) => (*r, chunk.iter().map(|e| i16::from(f(e).is_some())).collect()),
                Col::Num(_, r, f) => (*r, chunk.iter().map(|e| i16::from(f(e).is_some())).collect()),
                Col::Date(_, r, f) => (*r, chunk.iter().map(|e| i16::from(f(e).is_some())).collect()),
                Col::Time(_, r, f) => (*r, chunk.iter().map(|e| i16::from(f(e).is_some())).collect()),
            };
            let defs = (!required).then_some(defs.as_slice());
            match c {
                Col::Str(_, _, f) => {
                    let v: Vec<ByteArray> = chunk
                        .iter()
                        .filter_map(f)
                        .map(|s| ByteArray::from(s.as_bytes().to_vec()))
                        .collect();
                    w.typed::<ByteArrayType>().write_batch(&v, defs, None)?;
                }
                Col::Int(_, _, f) => {
                    let v: Vec<i64> = chunk.iter().filter_map(f).collect();
                    w.typed::<Int64Type>().write_batch(&v, defs, None)?;
                }
                Col::Num(_, _, f) => {
                    let v: Vec<f64> = chunk.iter().filter_map(f).collect();
                    w.typed::<DoubleType>().write_batch(&v, defs, None)?;
                }
                Col::Date(_, _, f) => {
                    let v: Vec<i32> = chunk.iter().filter_map(f).collect();
                    w.typed::<Int32Type>().write_batch(&v, defs, None)?;
                }
                Col::Time(_, _, f) => {
                    let v: Vec<i64> = chunk.iter().filter_map(f).collect();
                    w.typed::<Int64Type>().write_batch(&v, defs, None)?;
                }
            }
            w.close()?;
        }
        group.close()?;
    }
    writer.close()?;
    Ok(())
}
