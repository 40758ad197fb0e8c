//! Human renderings of a record: `show` (for a reader) and the marked-up text used by the
//! golden snapshot tests (every span checked by eye against the sentence it came from).

use chronicle_record::{EventOut, Record};
use std::fmt::Write;

fn slice(text: &[char], s: [u32; 2]) -> String {
    let (a, b) = (s[0] as usize, (s[1] as usize).min(text.len()));
    if a >= b {
        return String::new();
    }
    text[a..b].iter().collect()
}

fn entity_name<'a>(rec: &'a Record, id: Option<&String>) -> Option<&'a str> {
    let id = id?;
    rec.entities.iter().find(|e| &e.id == id).map(|e| e.name.as_str())
}

/// One line per event: "Putin -> United States: REJECT (12) on 2025-12-02 in Moscow [reported]",
/// and for a reported or claimed event whose reporter is known, who said it:
/// "... [reported] reported by Kyiv (UKRGOV)".
pub fn event_line(rec: &Record, e: &EventOut) -> String {
    let side = |p: &Option<chronicle_record::ParticipantOut>| -> String {
        match p {
            None => "?".to_string(),
            Some(p) => {
                let name = entity_name(rec, p.entity.as_ref()).unwrap_or(&p.text).to_string();
                match &p.code {
                    Some(c) => format!("{name} ({c})"),
                    None => name,
                }
            }
        }
    };
    let mut s = format!(
        "{} -> {}: {} ({})",
        side(&e.source),
        side(&e.target),
        e.plover.kind,
        e.cameo
    );
    if let Some(d) = &e.date {
        let _ = write!(s, " on {d}");
        if e.date_basis.as_deref() == Some("publication") {
            s.push_str(" (publication day)");
        }
    }
    if let Some(l) = &e.location {
        let _ = write!(s, " in {}", l.name);
        match (l.precision.as_deref(), l.basis.as_deref()) {
            (Some(p), Some(b)) => {
                let _ = write!(s, " ({p}, {b})");
            }
            (Some(p), None) => {
                let _ = write!(s, " ({p})");
            }
            _ => {}
        }
    }
    if let Some(k) = e.killed {
        let _ = write!(s, ", {k} killed");
    }
    if let Some(w) = e.wounded {
        let _ = write!(s, ", {w} wounded");
    }
    let _ = write!(s, " [{}]", e.modality);
    if e.reporter.is_some() {
        let _ = write!(s, " reported by {}", side(&e.reporter));
    }
    if e.evidence.len() > 1 {
        let _ = write!(s, " ({} mentions)", e.evidence.len());
    }
    s
}

/// The `chronicle show` view of one article.
pub fn show(rec: &Record) -> String {
    let text: Vec<char> = rec.text.chars().collect();
    let mut out = String::new();
    let _ = writeln!(out, "{}", rec.title.as_deref().unwrap_or(&rec.id));
    let _ = writeln!(
        out,
        "id {}  published {}  {} chars, {} sentences",
        rec.id,
        rec.published.as_deref().unwrap_or("unknown"),
        text.len(),
        rec.sentences.len()
    );
    if let Some(u) = &rec.url {
        let _ = writeln!(out, "{u}");
    }
    let _ = writeln!(out, "\nActors and entities ({})", rec.entities.len());
    for e in &rec.entities {
        let mut line = format!("  {:<4} {:<5} {}", e.id, e.kind, e.name);
        if let Some(a) = e.actor.as_ref().and_then(|a| a.code.as_ref()) {
            let _ = write!(line, "  [{a}]");
        }
        if let Some(t) = &e.title {
            let _ = write!(line, "  \"{t}\"");
        }
        if let Some(g) = &e.geo {
            let _ = write!(
                line,
                "  @ {:.2},{:.2} {} {}",
                g.lat,
                g.lon,
                g.feature,
                g.country.as_deref().unwrap_or("")
            );
        }
        let _ = write!(line, "  x{}", e.mentions.len() + e.coref.len());
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "\nQuotes ({})", rec.quotes.len());
    for q in &rec.quotes {
        let who = q.speaker_text.as_deref().unwrap_or("(unattributed)");
        let cue = q.cue.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
        let _ = writeln!(out, "  {} {who}{cue} [{}]: \"{}\"", q.id, q.kind, q.content);
    }
    let _ = writeln!(out, "\nEvents ({})", rec.events.len());
    for e in &rec.events {
        let _ = writeln!(out, "  {} {}", e.id, event_line(rec, e));
        let _ = writeln!(out, "       \"{}\"", slice(&text, e.sentence));
    }
    let _ = writeln!(out, "\nTime expressions ({})", rec.timexes.len());
    for t in &rec.timexes {
        let _ = writeln!(
            out,
            "  \"{}\" {} -> {}",
            t.text,
            t.kind,
            t.value.as_deref().unwrap_or("unresolved")
        );
    }
    out
}

/// The text, sentence by sentence, with entity mentions bracketed inline and every other
/// annotation listed under the sentence it lies in. Snapshot tests compare this.
pub fn marked(rec: &Record) -> String {
    let text: Vec<char> = rec.text.chars().collect();
    // Entity mentions, sorted, non-overlapping (an overlapping one is listed instead).
    let mut mentions: Vec<([u32; 2], String)> = Vec::new();
    for e in &rec.entities {
        let code = e
            .actor
            .as_ref()
            .and_then(|a| a.code.clone())
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        for m in &e.mentions {
            mentions.push((*m, format!("{} {}{}", e.id, e.kind, code)));
        }
        for m in &e.coref {
            mentions.push((*m, format!("{} coref", e.id)));
        }
    }
    mentions.sort();
    let mut out = String::new();
    for (si, s) in rec.sentences.iter().enumerate() {
        let mut line = String::new();
        let mut pos = s[0];
        for (m, label) in mentions.iter().filter(|(m, _)| m[0] >= s[0] && m[1] <= s[1]) {
            if m[0] < pos {
                continue;
            }
            line.push_str(&slice(&text, [pos, m[0]]));
            let _ = write!(line, "[{}]{{{}}}", slice(&text, *m), label);
            pos = m[1];
        }
        line.push_str(&slice(&text, [pos, s[1]]));
        let _ = writeln!(out, "S{} {}", si + 1, line);
        let inside = |a: u32| a >= s[0] && a < s[1].max(s[0] + 1);
        for t in rec.timexes.iter().filter(|t| inside(t.start)) {
            let _ = writeln!(
                out,
                "   time  \"{}\" {} = {}",
                t.text,
                t.kind,
                t.value.as_deref().unwrap_or("null")
            );
        }
        for q in rec.quotes.iter().filter(|q| inside(q.start)) {
            let _ = writeln!(
                out,
                "   quote {} {} \"{}\" <- {} (cue {})",
                q.id,
                q.kind,
                q.content,
                q.speaker_text.as_deref().unwrap_or("?"),
                q.cue.as_deref().unwrap_or("-")
            );
        }
        for e in rec.events.iter().filter(|e| e.sentence == *s) {
            let _ = writeln!(
                out,
                "   event {} \"{}\" {}",
                e.id,
                slice(&text, e.trigger),
                event_line(rec, e)
            );
        }
    }
    for e in &rec.entities {
        if let Some(g) = &e.geo {
            let _ = writeln!(
                out,
                "place {} {} -> {} ({}, {}) {:.2},{:.2} {}",
                e.id,
                e.name,
                g.name,
                g.admin1.as_deref().unwrap_or("-"),
                g.country.as_deref().unwrap_or("-"),
                g.lat,
                g.lon,
                g.feature
            );
        }
    }
    out
}

/// Annotations only: offsets plus the short surface strings they cover (names, dates, cue
/// and trigger words), never whole sentences or quote contents. Used for golden tests on
/// research-only corpora, whose text must not be copied into the repository.
pub fn annotations(rec: &Record) -> String {
    let text: Vec<char> = rec.text.chars().collect();
    let short = |s: [u32; 2]| -> String {
        let t = slice(&text, s);
        if t.chars().count() > 40 {
            format!("<{} chars>", t.chars().count())
        } else {
            t
        }
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} sentences, {} paragraphs",
        rec.sentences.len(),
        rec.paragraphs.len()
    );
    for e in &rec.entities {
        let code = e
            .actor
            .as_ref()
            .and_then(|a| a.code.clone())
            .unwrap_or_else(|| "-".into());
        let geo = e
            .geo
            .as_ref()
            .map(|g| format!(" @{:.1},{:.1} {}", g.lat, g.lon, g.feature))
            .unwrap_or_default();
        let ms: Vec<String> = e
            .mentions
            .iter()
            .map(|m| format!("{}:{}", m[0], short(*m)))
            .collect();
        let _ = writeln!(
            out,
            "entity {} {} {:?} [{code}] title={:?}{geo} mentions={}",
            e.id,
            e.kind,
            e.name,
            e.title.as_deref().unwrap_or("-"),
            ms.join(" | ")
        );
    }
    for t in &rec.timexes {
        let _ = writeln!(
            out,
            "time {}:{:?} {} = {}",
            t.start,
            t.text,
            t.kind,
            t.value.as_deref().unwrap_or("null")
        );
    }
    for q in &rec.quotes {
        let _ = writeln!(
            out,
            "quote {} {} [{}, {}) speaker={:?} cue={:?}",
            q.id,
            q.kind,
            q.start,
            q.end,
            q.speaker_text.as_deref().unwrap_or("-"),
            q.cue.as_deref().unwrap_or("-")
        );
    }
    for e in &rec.events {
        let _ = writeln!(
            out,
            "event {} {:?} {}",
            e.id,
            short(e.trigger),
            event_line(rec, e)
        );
    }
    out
}

/// The sentences `show --deps` prints (0-based indices into `rec.sentences`): the one
/// asked for (`only`, 1-based), else every sentence holding an event, else (an article
/// without events) every sentence. `Err` names a sentence number out of range.
pub fn deps_sentences(rec: &Record, only: Option<usize>) -> Result<Vec<usize>, String> {
    if let Some(n) = only {
        if n == 0 || n > rec.sentences.len() {
            return Err(format!(
                "--sentence {n}: the article has sentences 1 to {}",
                rec.sentences.len()
            ));
        }
        return Ok(vec![n - 1]);
    }
    let mut with_events: Vec<usize> = rec
        .events
        .iter()
        .filter_map(|e| rec.sentences.iter().position(|s| *s == e.sentence))
        .collect();
    with_events.sort_unstable();
    with_events.dedup();
    if with_events.is_empty() {
        return Ok((0..rec.sentences.len()).collect());
    }
    Ok(with_events)
}

/// A terminal-readable dependency table per sentence of `doc` (the record's text parsed
/// with its sentence boundaries): one line per token with its index, form, UPOS, the
/// index and form of its head, and the relation.
pub fn dependencies(doc: &chronicle_core::Document, sentences: &[usize]) -> String {
    let one_line = |s: &str| -> String { s.split_whitespace().collect::<Vec<_>>().join(" ") };
    let mut out = String::new();
    for &n in sentences {
        let Some(s) = doc.sentences.get(n) else {
            continue;
        };
        let toks = chronicle_pipeline::sentence_parse(doc, n);
        let _ = writeln!(
            out,
            "\nS{} [{}-{}] {}",
            n + 1,
            s.span.start,
            s.span.end,
            one_line(doc.slice(s.span))
        );
        let w = toks
            .iter()
            .map(|t| one_line(&t.text).chars().count())
            .max()
            .unwrap_or(0)
            .clamp(4, 24);
        let _ = writeln!(
            out,
            "  {:>3}  {:<w$}  {:<5}  {:>4}  {:<w$}  rel",
            "#", "form", "upos", "head", "head form"
        );
        for (k, t) in toks.iter().enumerate() {
            let head_form = match t.head {
                0 => "(root)".to_string(),
                h => toks
                    .get(h as usize - 1)
                    .map(|x| one_line(&x.text))
                    .unwrap_or_default(),
            };
            let _ = writeln!(
                out,
                "  {:>3}  {:<w$}  {:<5}  {:>4}  {:<w$}  {}",
                k + 1,
                one_line(&t.text),
                t.upos,
                t.head,
                head_form,
                t.rel
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Kyiv said Russia attacked Odesa.", its event reported by Kyiv (built by hand: the
    /// events stage decides reporters).
    fn reported(reporter: serde_json::Value) -> Record {
        serde_json::from_value(serde_json::json!({
            "schema": 1, "id": "r", "published": "2025-12-03", "title": null, "url": null,
            "source": null, "meta": {}, "text": "Kyiv said Russia attacked Odesa.",
            "sentences": [[0, 32]], "paragraphs": [[0, 32]],
            "entities": [{"id": "e1", "name": "Kyiv", "type": "LOC",
                          "actor": {"country": "UKR", "sector": "GOV", "code": "UKRGOV"},
                          "title": null, "geo": null, "mentions": [[0, 4]]}],
            "quotes": [],
            "events": [{"id": "v1", "cameo": "190", "root": "19", "quad": 4, "goldstein": -10.0,
                        "plover": {"type": "ASSAULT", "mode": null},
                        "source": {"entity": null, "code": "RUS", "text": "Russia", "span": [10, 16]},
                        "target": {"entity": null, "code": "UKR", "text": "Odesa", "span": [26, 31]},
                        "sentence": [0, 32], "trigger": [17, 25], "modality": "reported",
                        "date": null, "date_text": null, "location": null, "killed": null,
                        "wounded": null, "victims": null, "reporter": reporter}],
            "timexes": [], "diagnostics": []
        }))
        .expect("a record")
    }

    #[test]
    fn a_reported_event_names_its_reporter() {
        let rec = reported(serde_json::json!(
            {"entity": "e1", "code": "UKRGOV", "text": "Kyiv", "span": [0, 4]}
        ));
        let line = event_line(&rec, &rec.events[0]);
        assert!(line.starts_with("Russia (RUS) -> Odesa (UKR): ASSAULT"), "{line}");
        assert!(line.ends_with("[reported] reported by Kyiv (UKRGOV)"), "{line}");
        assert!(show(&rec).contains("reported by Kyiv (UKRGOV)"));
        assert!(marked(&rec).contains("reported by Kyiv (UKRGOV)"));
        // A reporter without a code is named alone.
        let uncoded = reported(serde_json::json!(
            {"entity": null, "code": null, "text": "a witness", "span": [0, 4]}
        ));
        assert!(event_line(&uncoded, &uncoded.events[0]).ends_with("reported by a witness"));
    }

    #[test]
    fn an_event_without_a_reporter_says_nothing_of_one() {
        let rec = reported(serde_json::Value::Null);
        assert!(!event_line(&rec, &rec.events[0]).contains("reported by"));
    }
}
