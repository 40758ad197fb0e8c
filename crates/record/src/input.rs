use chrono::NaiveDate;
use serde_json::{Map, Value};

/// One article as read from a JSONL line (or built from a plain file by the CLI).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputArticle {
    pub id: String,
    /// Plain article text; when absent, `html` is extracted first.
    pub text: Option<String>,
    pub html: Option<String>,
    /// The publication date as written in the input (kept for the record).
    pub published_raw: Option<String>,
    /// The date relative expressions are resolved against.
    pub published: Option<NaiveDate>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// Every other input field, carried through untouched.
    pub meta: Map<String, Value>,
    /// The day the page was fetched (a WARC record's date, a feed's fetch), for archives:
    /// it anchors relative dates when neither the input nor the page gives a publication date.
    pub fetched: Option<NaiveDate>,
    /// What was wrong with the input but did not cost the article (a `published` that is
    /// no date: the field is dropped and the article kept). Readers prefix the origin
    /// (`file:line`); the CLI prints and counts them.
    pub warnings: Vec<String>,
}

/// Why an input line was rejected. The CLI prefixes file and line.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InputError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("expected a JSON object, found {0}")]
    NotAnObject(&'static str),
    #[error("record has neither `text` nor `html`")]
    NoText,
    #[error("field `{field}` must be a string")]
    NotAString { field: &'static str },
    #[error("`published` is not YYYY-MM-DD or RFC 3339: {0:?}")]
    BadDate(String),
}

/// Parses `YYYY-MM-DD`, RFC 3339, `YYYY-MM-DD HH:MM:SS` or `YYYY/MM/DD` into the anchor date.
/// The calendar date as written is kept (no time-zone shift), because "on Tuesday" in an
/// article dated Wednesday 01:00+03:00 means the writer's Tuesday.
pub fn parse_published(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let head = s.get(..10)?;
    let rest = &s[10..];
    let ok_rest = rest.is_empty() || rest.starts_with('T') || rest.starts_with('t') || rest.starts_with(' ');
    if !ok_rest {
        return None;
    }
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(head, "%Y/%m/%d"))
        .ok()
}

fn opt_string(obj: &Map<String, Value>, field: &'static str) -> Result<Option<String>, InputError> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(InputError::NotAString { field }),
    }
}

impl InputArticle {
    /// The article as one JSONL input line, such that [`InputArticle::from_json_line`] gives
    /// it back (`fetched`, which is not an input field, excepted): what a work queue stores
    /// for a worker on another machine to extract.
    pub fn to_json_line(&self) -> String {
        let mut obj = self.meta.clone();
        let mut put = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                obj.insert(k.to_string(), Value::String(v.clone()));
            }
        };
        put("text", &self.text);
        put("html", &self.html);
        put("published", &self.published_raw);
        put("title", &self.title);
        put("url", &self.url);
        put("source", &self.source);
        obj.insert("id".into(), Value::String(self.id.clone()));
        Value::Object(obj).to_string()
    }

    /// Parses one JSONL line. `default_id` names the article when the line has no `id`
    /// (the CLI passes `file:line`), so every record stays traceable to its input.
    pub fn from_json_line(line: &str, default_id: &str) -> Result<Self, InputError> {
        let v: Value = serde_json::from_str(line).map_err(|e| InputError::Json(e.to_string()))?;
        Self::from_value(v, default_id)
    }

    pub fn from_value(v: Value, default_id: &str) -> Result<Self, InputError> {
        let obj = match v {
            Value::Object(o) => o,
            Value::Array(_) => return Err(InputError::NotAnObject("an array")),
            Value::String(_) => return Err(InputError::NotAnObject("a string")),
            Value::Number(_) => return Err(InputError::NotAnObject("a number")),
            Value::Bool(_) => return Err(InputError::NotAnObject("a boolean")),
            Value::Null => return Err(InputError::NotAnObject("null")),
        };
        let text = opt_string(&obj, "text")?;
        let html = opt_string(&obj, "html")?;
        if text.is_none() && html.is_none() {
            return Err(InputError::NoText);
        }
        let id = match obj.get("id") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => default_id.to_string(),
        };
        // A `published` that is not a date costs the field, not the article: the article is
        // dated from its page (HTML) or not at all, and the bad value is reported.
        let mut warnings = Vec::new();
        let mut published_raw = opt_string(&obj, "published")?;
        let published = match &published_raw {
            Some(p) if !p.trim().is_empty() => match parse_published(p) {
                Some(d) => Some(d),
                None => {
                    warnings.push(format!("`published` ignored, not YYYY-MM-DD or RFC 3339: {p:?}"));
                    published_raw = None;
                    None
                }
            },
            _ => None,
        };
        let title = opt_string(&obj, "title")?;
        let url = opt_string(&obj, "url")?;
        let source = opt_string(&obj, "source")?;
        let meta = obj
            .into_iter()
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    "id" | "text" | "html" | "published" | "title" | "url" | "source"
                )
            })
            .collect();
        Ok(InputArticle {
            id,
            text,
            html,
            published_raw,
            published,
            title,
            url,
            source,
            meta,
            fetched: None,
            warnings,
        })
    }

    /// A plain-text article (from a `.txt` file).
    pub fn from_text(id: impl Into<String>, text: String, published: Option<NaiveDate>) -> Self {
        InputArticle {
            id: id.into(),
            text: Some(text),
            published_raw: published.map(|d| d.to_string()),
            published,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_contract_input() {
        let a = InputArticle::from_json_line(
            r#"{"id":"a1","text":"Hi.","published":"2025-12-03T10:00:00+02:00","lang":"en","source":"x"}"#,
            "f:1",
        )
        .unwrap();
        assert_eq!(a.id, "a1");
        assert_eq!(a.published, NaiveDate::from_ymd_opt(2025, 12, 3));
        assert_eq!(a.meta.get("lang"), Some(&Value::String("en".into())));
        assert_eq!(a.source.as_deref(), Some("x"));
    }

    #[test]
    fn a_json_line_gives_the_article_back() {
        let line = r#"{"id":7,"html":"<p>Hi.</p>","text":"Hi.","published":"2025-12-03T10:00:00+02:00","lang":"en","tags":["a",1],"source":"x","title":"T","url":"https://e.org/a"}"#;
        let a = InputArticle::from_json_line(line, "f:1").unwrap();
        let b = InputArticle::from_json_line(&a.to_json_line(), "other").unwrap();
        assert_eq!(a, b);
        assert_eq!(b.id, "7");
        let bare = InputArticle::from_json_line(r#"{"text":"Hi."}"#, "f:9").unwrap();
        assert_eq!(
            InputArticle::from_json_line(&bare.to_json_line(), "x").unwrap(),
            bare
        );
    }

    #[test]
    fn rejects_bad_lines_with_reasons() {
        assert!(matches!(
            InputArticle::from_json_line("{nope", "f:1"),
            Err(InputError::Json(_))
        ));
        assert_eq!(
            InputArticle::from_json_line("[1]", "f:1"),
            Err(InputError::NotAnObject("an array"))
        );
        assert_eq!(
            InputArticle::from_json_line(r#"{"id":"x"}"#, "f:1"),
            Err(InputError::NoText)
        );
        let kept = InputArticle::from_json_line(r#"{"text":"a","published":"yesterday"}"#, "f:1")
            .expect("a bad date costs the field, not the article");
        assert_eq!((kept.published, kept.published_raw.as_deref()), (None, None));
        assert_eq!(kept.text.as_deref(), Some("a"));
        assert_eq!(kept.warnings.len(), 1);
        assert!(kept.warnings[0].contains("\"yesterday\""), "{:?}", kept.warnings);
        assert_eq!(
            InputArticle::from_json_line(r#"{"text":5}"#, "f:1"),
            Err(InputError::NotAString { field: "text" })
        );
    }

    #[test]
    fn default_id_and_date_forms() {
        let a = InputArticle::from_json_line(r#"{"html":"<p>x</p>"}"#, "in.jsonl:7").unwrap();
        assert_eq!(a.id, "in.jsonl:7");
        assert_eq!(
            parse_published("2025/12/03"),
            NaiveDate::from_ymd_opt(2025, 12, 3)
        );
        assert_eq!(
            parse_published("2025-12-03 08:00:00"),
            NaiveDate::from_ymd_opt(2025, 12, 3)
        );
        assert_eq!(parse_published("2025-12-0"), None);
        assert_eq!(parse_published("2025-12-03x"), None);
        assert_eq!(parse_published("é"), None);
    }
}
