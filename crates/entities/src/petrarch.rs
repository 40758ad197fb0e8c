//! PETRARCH / TABARI actor dictionaries (`Phoenix.Countries.actors.txt`, a project's own
//! lists) read as rows of our actor table, so that users who already keep PETRARCH-format
//! actor lists can bring them as they are (`--actors`, `Lexicon::with_actor_files`).
//!
//! The format: one entry per primary phrase (`ARNOR_ [ARN]`), synonyms on `+` lines, dated
//! codes on tab-indented lines (`\t[UKRGOV 091201-100331]`, `<date` before, `>date` after, a
//! bare `[CODE]` the default), `_` joining words, `#` comments, `<!-- -->` headers. The code's
//! first three letters are the country (or IGO/NGO block), the next three the sector.

/// Whether a file reads as a PETRARCH dictionary rather than our tab-separated table: its
/// first entry line carries a bracketed code.
pub fn looks_like_petrarch(src: &str) -> bool {
    src.lines()
        .map(|l| strip_comment(l).trim())
        .find(|l| !l.is_empty() && !l.starts_with("<!--"))
        .is_some_and(|l| l.contains('[') && l.contains(']') && !l.contains('\t'))
}

fn strip_comment(line: &str) -> &str {
    line.split('#').next().unwrap_or("")
}

/// One entry being collected: its spellings and codes (code, since, until).
#[derive(Default)]
struct Entry {
    line: usize,
    names: Vec<String>,
    codes: Vec<(String, String, String)>,
}

/// `YYMMDD` or `YYYYMMDD` -> `YYYY-MM-DD` (two-digit years up to 26 are 20xx).
fn date(s: &str) -> Result<String, String> {
    let s = s.trim();
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("bad date `{s}` (want YYMMDD or YYYYMMDD)"));
    }
    let (y, rest) = match s.len() {
        6 => {
            let yy: u32 = s
                .get(..2)
                .and_then(|x| x.parse().ok())
                .ok_or_else(|| format!("bad date `{s}`"))?;
            // Two-digit years run 1927-2026: the dictionaries date leaders' careers.
            (if yy <= 26 { 2000 + yy } else { 1900 + yy }, &s[2..])
        }
        8 => (
            s.get(..4)
                .and_then(|x| x.parse().ok())
                .ok_or_else(|| format!("bad date `{s}`"))?,
            &s[4..],
        ),
        _ => return Err(format!("bad date `{s}` (want YYMMDD or YYYYMMDD)")),
    };
    if !rest.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("bad date `{s}`"));
    }
    Ok(format!("{y:04}-{}-{}", &rest[..2], &rest[2..4]))
}

/// `[CODE]`, `[CODE d1-d2]`, `[CODE <d]`, `[CODE >d]` -> (code, since, until).
fn code_of(bracket: &str) -> Result<(String, String, String), String> {
    let inner = bracket
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim();
    let mut parts = inner.splitn(2, char::is_whitespace);
    let code = parts.next().unwrap_or("").trim().to_ascii_uppercase();
    let when = parts.next().unwrap_or("").replace(' ', "");
    let (since, until) = if when.is_empty() {
        (String::new(), String::new())
    } else if let Some(d) = when.strip_prefix('<') {
        (String::new(), date(d)?)
    } else if let Some(d) = when.strip_prefix('>') {
        (date(d)?, String::new())
    } else if let Some((a, b)) = when.split_once('-') {
        (date(a)?, date(b)?)
    } else {
        return Err(format!("bad date range `{when}`"));
    };
    Ok((code, since, until))
}

/// "PRESIDENT_GEORGE_W._BUSH" -> "President George W. Bush"; "AL-QAEDA" -> "Al-Qaeda".
fn title_case(phrase: &str) -> String {
    let mut out = String::with_capacity(phrase.len());
    let mut start = true;
    for c in phrase.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, ' ' | '-' | '.' | '\'');
    }
    out
}

/// Spellings of a dictionary phrase as they appear in text: title case, and the phrase as
/// written when it is an acronym ("NATO").
fn spellings(phrase: &str) -> Vec<String> {
    let words = phrase
        .trim()
        .trim_start_matches('+')
        .trim_end_matches('_')
        .replace('_', " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.is_empty() {
        return Vec::new();
    }
    let tc = title_case(&words);
    let mut v = vec![tc.clone()];
    if words.len() <= 6 && !words.contains(' ') && words != tc {
        v.push(words.to_ascii_uppercase());
    }
    v
}

/// Converts a PETRARCH actor dictionary into rows of our actor table (tab-separated,
/// `data/README.md`); problems come back as `label:LINE: message`.
pub fn to_actor_rows(src: &str, label: &str) -> (String, Vec<String>) {
    let mut rows = String::new();
    let mut errors = Vec::new();
    let mut cur: Option<Entry> = None;
    let flush = |e: Entry, rows: &mut String, errors: &mut Vec<String>| {
        if e.names.is_empty() {
            return;
        }
        let names = e.names.join("|");
        let dated = e.codes.iter().any(|c| !c.1.is_empty() || !c.2.is_empty());
        let mut wrote = false;
        for (code, since, until) in &e.codes {
            let country = code.get(..3).unwrap_or("");
            if !country.bytes().all(|b| b.is_ascii_uppercase()) || country.len() != 3 {
                if code != "---" {
                    errors.push(format!(
                        "{label}:{}: code `{code}` has no 3-letter country",
                        e.line
                    ));
                }
                continue;
            }
            let sector = code
                .get(3..6)
                .filter(|s| s.bytes().all(|b| b.is_ascii_uppercase()) && s.len() == 3)
                .unwrap_or("-");
            let since = if since.is_empty() { "-" } else { since.as_str() };
            let until = if until.is_empty() { "-" } else { until.as_str() };
            rows.push_str(&format!(
                "{names}\tPER\t{country}\t{sector}\tperson-full\t{since}\t{until}\tpetrarch {code}\n"
            ));
            if !dated {
                // Undated entries also name organisations and places ("ARNOR [ARN]").
                let kind = if code.len() == 3 { "LOC" } else { "ORG" };
                rows.push_str(&format!("{names}\t{kind}\t{country}\t{sector}\talias\n"));
            }
            wrote = true;
        }
        if !wrote && e.codes.is_empty() {
            errors.push(format!("{label}:{}: entry has no [CODE]", e.line));
        }
    };
    for (no, raw) in src.lines().enumerate() {
        let line = strip_comment(raw);
        let t = line.trim();
        if t.is_empty() || t.starts_with("<!--") || t.starts_with("-->") {
            continue;
        }
        let indented = raw.starts_with('\t') || raw.starts_with(' ');
        let (text, bracket) = match t.find('[') {
            Some(i) => (t[..i].trim(), Some(t[i..].trim())),
            None => (t, None),
        };
        let code = match bracket.map(code_of) {
            Some(Ok(c)) => Some(c),
            Some(Err(e)) => {
                errors.push(format!("{label}:{}: {e}", no + 1));
                None
            }
            None => None,
        };
        if indented && text.is_empty() {
            // A dated code line of the current entry.
            match (cur.as_mut(), code) {
                (Some(e), Some(c)) => e.codes.push(c),
                (None, _) => errors.push(format!("{label}:{}: code line outside an entry", no + 1)),
                _ => {}
            }
            continue;
        }
        if text.starts_with('+') {
            match cur.as_mut() {
                Some(e) => {
                    e.names.extend(spellings(text));
                    e.codes.extend(code);
                }
                None => errors.push(format!("{label}:{}: synonym outside an entry", no + 1)),
            }
            continue;
        }
        if let Some(e) = cur.take() {
            flush(e, &mut rows, &mut errors);
        }
        cur = Some(Entry {
            line: no + 1,
            names: spellings(text),
            codes: code.into_iter().collect(),
        });
    }
    if let Some(e) = cur.take() {
        flush(e, &mut rows, &mut errors);
    }
    (rows, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_synonyms_and_dated_codes_become_rows() {
        let src = "<!-- header -->\nARNOR_  [ARN]\nHAMAS [PSEREBHMS] # note\n+HAMAS_GUNMEN\nPETRO_POROSHENKO  # CountryInfo\n+POROSHENKO\n\t[UKRGOV 140607-190520]\n\t[UKRELI <140606]\nBOROMIR  [---]\nBAD [XX1]\n\t[UKRGOV 1406-1]\n";
        assert!(looks_like_petrarch(src));
        let (rows, errors) = to_actor_rows(src, "dict.txt");
        assert!(rows.contains("Arnor|ARNOR\tLOC\tARN\t-\talias"), "{rows}");
        assert!(
            rows.contains("Hamas|HAMAS|Hamas Gunmen\tORG\tPSE\tREB\talias"),
            "{rows}"
        );
        assert!(
            rows.contains("Petro Poroshenko|Poroshenko\tPER\tUKR\tGOV\tperson-full\t2014-06-07\t2019-05-20"),
            "{rows}"
        );
        assert!(
            rows.contains("\tPER\tUKR\tELI\tperson-full\t-\t2014-06-06"),
            "{rows}"
        );
        assert!(!rows.contains("Boromir"), "[---] codes nothing");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("dict.txt:10:")), "{errors:?}");
        assert!(errors.iter().any(|e| e.starts_with("dict.txt:11:")), "{errors:?}");
    }

    #[test]
    fn odd_input_never_panics() {
        let odd = [
            "",
            "[",
            "]",
            "X [",
            "\t[",
            "+",
            "A [B 1é2345-9]",
            "A [UKRGOV <é]",
            "A [UKRGOV 12345678-]",
            "\u{0}\u{ffff} [ÀÀÀ]",
            "A [UKR\tGOV]\n\t[UKR 990101-]\n+",
        ];
        for src in odd {
            let _ = looks_like_petrarch(src);
            let (rows, _) = to_actor_rows(src, "odd");
            assert!(
                rows.lines().all(|l| l.split('\t').count() >= 5),
                "{src:?}: {rows}"
            );
        }
    }

    #[test]
    fn our_own_table_is_not_taken_for_petrarch() {
        assert!(!looks_like_petrarch("# c\nMark Rutte\tPER\tNLD\tGOV\tperson\n"));
    }
}
