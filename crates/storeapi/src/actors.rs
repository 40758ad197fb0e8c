//! Actors listed by code, with a name a person reads.
//!
//! The entities table holds one row per entity per article, each with the name the article
//! used ("Russia", "Russian", "Moscow", "Kremlin" are all `RUS` or `RUSGOV`). Lists and the
//! network show one row per actor **code**, named so:
//!
//! - a country code alone: the country's name from the gazetteer (`RUS` -> "Russia");
//! - a country and sectors: the country and the sectors in words (`RUSGOV` -> "Russia
//!   (government)"), rather than whichever person or capital is mentioned most, because the
//!   code stands for the institution, not for one of its people;
//! - a transnational or regional code (`IGO`, `EUR`) or PETRARCH's unknown country (`---GOV`):
//!   the words of `data/actor-codes.tsv` ("intergovernmental organisations", "government
//!   (country unknown)");
//! - any other code: the most mentioned proper name in the group, a full name (PER, ORG, LOC)
//!   before a demonym or other MISC name.
//!
//! Every row also carries the names the code was found under, most mentioned first, so
//! "Russia (government)" still shows "Vladimir Putin, Kremlin, Moscow". The SQLite and
//! PostgreSQL stores both select [`ActorName`] rows and call [`group_actors`], so they
//! answer the same.

use crate::ActorRow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// How many of a code's names an [`ActorRow`] lists.
pub const ACTOR_NAMES: usize = 5;

/// One (code, name) pair of the entities table with its counts, as both stores select it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorName {
    pub code: String,
    pub name: String,
    /// Entity type (`PER`, `ORG`, `LOC`, `MISC`).
    pub kind: String,
    pub title: Option<String>,
    pub mentions: i64,
}

/// One code's totals: distinct articles and all mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorTotal {
    pub code: String,
    pub articles: i64,
    pub mentions: i64,
}

struct CodeWords {
    sectors: HashMap<&'static str, &'static str>,
    places: HashMap<&'static str, &'static str>,
    unknown: HashMap<&'static str, &'static str>,
}

fn code_words() -> &'static CodeWords {
    static W: OnceLock<CodeWords> = OnceLock::new();
    W.get_or_init(|| {
        let mut w = CodeWords {
            sectors: HashMap::new(),
            places: HashMap::new(),
            unknown: HashMap::new(),
        };
        for line in include_str!("../data/actor-codes.tsv").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut f = line.split('\t');
            let (Some(part), Some(kind), Some(words)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let table = match kind {
                "sector" => &mut w.sectors,
                "place" => &mut w.places,
                _ => &mut w.unknown,
            };
            table.insert(part, words);
        }
        w
    })
}

/// The name a person reads for an actor code (see the module doc), or `None` when the code's
/// parts are not all known (the caller then names it by its most mentioned name).
pub fn code_label(code: &str) -> Option<String> {
    let code = code.trim();
    if code.len() < 3 || !code.len().is_multiple_of(3) || !code.is_ascii() {
        return None;
    }
    let w = code_words();
    let head = &code[..3];
    let country = if let Some(words) = w.unknown.get(head) {
        Some(((*words).to_string(), true))
    } else if let Some(c) = chronicle_gazetteer::Gazetteer::global().country(head) {
        Some((c.name.clone(), false))
    } else {
        w.places.get(head).map(|p| (capitalised(p), false))
    };
    let (country, unknown) = country?;
    let sectors: Option<Vec<&str>> = (3..code.len())
        .step_by(3)
        .map(|i| w.sectors.get(&code[i..i + 3]).copied())
        .collect();
    let sectors = sectors?;
    Some(match (unknown, sectors.is_empty()) {
        // "---" alone says nothing.
        (true, true) => return None,
        (true, false) => format!("{} ({country})", capitalised(&sectors.join(", "))),
        (false, true) => country,
        (false, false) => format!("{country} ({})", sectors.join(", ")),
    })
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One row per code from the stores' selections: totals give the order (most mentions
/// first, then code) and the counts, names give the label and the listed names.
pub fn group_actors(totals: Vec<ActorTotal>, names: Vec<ActorName>) -> Vec<ActorRow> {
    let mut by_code: HashMap<String, Vec<ActorName>> = HashMap::new();
    for n in names {
        by_code.entry(n.code.clone()).or_default().push(n);
    }
    let mut rows: Vec<ActorRow> = totals
        .into_iter()
        .map(|t| {
            let mut names = by_code.remove(&t.code).unwrap_or_default();
            // Merge the same name under several types or titles.
            names.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.name.cmp(&b.name)));
            let mut listed: Vec<(String, i64, bool)> = Vec::new();
            let mut titles: HashMap<&str, i64> = HashMap::new();
            for n in &names {
                if let Some(t) = n.title.as_deref() {
                    *titles.entry(t).or_default() += n.mentions;
                }
                let full = n.kind != "MISC";
                match listed.iter_mut().find(|(x, _, _)| *x == n.name) {
                    Some(e) => {
                        e.1 += n.mentions;
                        e.2 |= full;
                    }
                    None => listed.push((n.name.clone(), n.mentions, full)),
                }
            }
            listed.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let name = code_label(&t.code)
                .or_else(|| {
                    listed
                        .iter()
                        .max_by(|a, b| (a.2, a.1).cmp(&(b.2, b.1)).then_with(|| b.0.cmp(&a.0)))
                        .map(|n| n.0.clone())
                })
                .unwrap_or_else(|| t.code.clone());
            let title = titles
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(t, _)| t.to_string());
            ActorRow {
                name,
                code: Some(t.code),
                title,
                articles: t.articles,
                mentions: t.mentions,
                names: listed.into_iter().take(ACTOR_NAMES).map(|n| n.0).collect(),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.code.cmp(&b.code)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_words() {
        assert_eq!(code_label("RUS").as_deref(), Some("Russia"));
        assert_eq!(code_label("RUSGOV").as_deref(), Some("Russia (government)"));
        assert_eq!(
            code_label("UKRMILREB").as_deref(),
            Some("Ukraine (military, rebels)")
        );
        assert_eq!(
            code_label("---GOV").as_deref(),
            Some("Government (country unknown)")
        );
        assert_eq!(
            code_label("IGO").as_deref(),
            Some("Intergovernmental organisations")
        );
        assert_eq!(code_label("---"), None);
        assert_eq!(code_label("XQZ"), None);
        assert_eq!(code_label("RUSXQZ"), None);
        assert_eq!(code_label("RUSG"), None);
    }

    #[test]
    fn one_row_per_code_named_for_the_code() {
        let n = |code: &str, name: &str, kind: &str, mentions| ActorName {
            code: code.into(),
            name: name.into(),
            kind: kind.into(),
            title: None,
            mentions,
        };
        let rows = group_actors(
            vec![
                ActorTotal {
                    code: "RUSGOV".into(),
                    articles: 2,
                    mentions: 9,
                },
                ActorTotal {
                    code: "RUS".into(),
                    articles: 3,
                    mentions: 4,
                },
                ActorTotal {
                    code: "ZZZ".into(),
                    articles: 1,
                    mentions: 4,
                },
            ],
            vec![
                n("RUSGOV", "Moscow", "LOC", 5),
                n("RUSGOV", "Vladimir Putin", "PER", 3),
                n("RUSGOV", "Kremlin", "LOC", 1),
                n("RUS", "Russian", "MISC", 3),
                n("RUS", "Russia", "LOC", 1),
                n("ZZZ", "Zedish", "MISC", 3),
                n("ZZZ", "Zedland", "LOC", 1),
            ],
        );
        let got: Vec<(&str, &str, i64)> = rows
            .iter()
            .map(|r| (r.code.as_deref().unwrap_or(""), r.name.as_str(), r.mentions))
            .collect();
        assert_eq!(
            got,
            [
                ("RUSGOV", "Russia (government)", 9),
                ("RUS", "Russia", 4),
                ("ZZZ", "Zedland", 4)
            ]
        );
        assert_eq!(rows[0].names, ["Moscow", "Vladimir Putin", "Kremlin"]);
    }
}
