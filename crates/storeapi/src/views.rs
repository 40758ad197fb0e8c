//! Aggregate views over the store for the API and the web UI (article listing, actor
//! network, places).
//!
//! The network and places views aggregate the events that [`RecordStore::events`](crate::RecordStore::events) would return
//! under the caller's [`EventFilter`](crate::EventFilter) (the same selection, fewer columns) instead of
//! repeating its `WHERE` clause here: every filter `/api/events`
//! understands (and any added to `EventFilter` later) narrows the network and the map the
//! same way, so the three views of one query never disagree.

use std::collections::{HashMap, HashSet};

/// Most articles one place lists; the rest are counted in [`PlaceRow::articles_total`].
pub const PLACE_ARTICLES: usize = 20;

/// One article in a listing: what a reader needs to choose it (title, date, outlet and how
/// much was found in it) without fetching its whole record.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ArticleRow {
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// Length of the text in code points.
    pub chars: i64,
    /// The text's first 240 code points, to show an article that has no title.
    pub lead: Option<String>,
    pub entities: i64,
    pub quotes: i64,
    pub events: i64,
}

/// A page of aggregated rows and how many there are in all, so a client knows whether it
/// sees everything.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Aggregate<T> {
    /// Rows before `limit` and `offset` were applied.
    pub total: u64,
    pub rows: Vec<T>,
}

/// Counts per GDELT QuadClass: index 0 is class 1 (verbal cooperation), 1 material
/// cooperation, 2 verbal conflict, 3 material conflict.
pub type QuadCounts = [i64; 4];

fn count_quad(q: &mut QuadCounts, quad: i64) {
    if let Some(n) = usize::try_from(quad - 1).ok().and_then(|i| q.get_mut(i)) {
        *n += 1;
    }
}

/// Who did what to whom: the events from one actor to another, one edge of the actor
/// network. Actors are keyed by their CAMEO code, or by their text when uncoded.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NetworkEdge {
    pub source: String,
    pub target: String,
    pub events: i64,
    pub quads: QuadCounts,
    /// Mean Goldstein score of the edge's events.
    pub goldstein: f64,
    pub articles: i64,
    /// Earliest and latest event date on the edge (ISO strings, compared as text).
    pub first: Option<String>,
    pub last: Option<String>,
}

/// One actor of the network: its key, its name (a code in words, see [`crate::code_label`],
/// else the text it is most often written as), and how many
/// events it takes part in on the returned edges.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NetworkNode {
    pub id: String,
    pub name: String,
    /// Whether `id` is a CAMEO actor code (else it is the actor's text).
    pub coded: bool,
    pub as_source: i64,
    pub as_target: i64,
}

/// A page of network edges with the nodes they touch.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Network {
    /// Edges before `limit` and `offset` were applied.
    pub total: u64,
    pub edges: Vec<NetworkEdge>,
    pub nodes: Vec<NetworkNode>,
}

/// An article that reports events at a place.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ArticleRef {
    pub id: String,
    pub title: Option<String>,
}

/// The events at one resolved place (name and coordinates), for a map marker.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlaceRow {
    pub name: Option<String>,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub events: i64,
    pub quads: QuadCounts,
    /// Sums of the counts the text gives (events without a count add nothing).
    pub killed: i64,
    pub wounded: i64,
    pub first: Option<String>,
    pub last: Option<String>,
    /// The first [`PLACE_ARTICLES`] articles reporting events here, in store order.
    pub articles: Vec<ArticleRef>,
    pub articles_total: i64,
}

/// Widens `[first, last]` to take in `date`.
fn span_dates(first: &mut Option<String>, last: &mut Option<String>, date: Option<&String>) {
    let Some(d) = date else { return };
    if first.as_ref().is_none_or(|f| d < f) {
        *first = Some(d.clone());
    }
    if last.as_ref().is_none_or(|l| d > l) {
        *last = Some(d.clone());
    }
}

/// An actor's key in the network: its code, else its text; `None` when the event has no
/// such actor.
fn actor_key(code: &Option<String>, text: &Option<String>) -> Option<(String, bool)> {
    match (code, text) {
        (Some(c), _) if !c.is_empty() => Some((c.clone(), true)),
        (_, Some(t)) if !t.trim().is_empty() => Some((t.trim().to_string(), false)),
        _ => None,
    }
}

fn page<T>(mut rows: Vec<T>, limit: u64, offset: u64) -> Vec<T> {
    let offset = usize::try_from(offset).unwrap_or(usize::MAX).min(rows.len());
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    rows.drain(..offset);
    rows.truncate(limit);
    rows
}

/// The actor network of `rows` (see [`RecordStore::network`](crate::RecordStore::network)), for any store that selects them.
pub fn network_of(rows: Vec<EventFact>, limit: u64, offset: u64) -> Network {
    {
        struct Acc {
            edge: NetworkEdge,
            goldstein_sum: f64,
            articles: HashSet<String>,
        }
        let mut edges: HashMap<(String, String), Acc> = HashMap::new();
        // Per actor key: whether it is a code, and how often each text names it.
        let mut names: HashMap<String, (bool, HashMap<String, i64>)> = HashMap::new();
        for e in rows {
            let (Some((s, s_coded)), Some((t, t_coded))) = (
                actor_key(&e.source_code, &e.source_text),
                actor_key(&e.target_code, &e.target_text),
            ) else {
                continue;
            };
            for (key, coded, text) in [(&s, s_coded, &e.source_text), (&t, t_coded, &e.target_text)] {
                let entry = names
                    .entry(key.clone())
                    .or_insert_with(|| (coded, HashMap::new()));
                if let Some(text) = text {
                    *entry.1.entry(text.trim().to_string()).or_default() += 1;
                }
            }
            let acc = edges.entry((s.clone(), t.clone())).or_insert_with(|| Acc {
                edge: NetworkEdge {
                    source: s,
                    target: t,
                    events: 0,
                    quads: [0; 4],
                    goldstein: 0.0,
                    articles: 0,
                    first: None,
                    last: None,
                },
                goldstein_sum: 0.0,
                articles: HashSet::new(),
            });
            acc.edge.events += 1;
            count_quad(&mut acc.edge.quads, e.quad);
            acc.goldstein_sum += e.goldstein;
            span_dates(&mut acc.edge.first, &mut acc.edge.last, e.date.as_ref());
            acc.articles.insert(e.article_id);
        }
        let mut all: Vec<NetworkEdge> = edges
            .into_values()
            .map(|mut a| {
                a.edge.goldstein = a.goldstein_sum / a.edge.events.max(1) as f64;
                a.edge.articles = a.articles.len() as i64;
                a.edge
            })
            .collect();
        all.sort_by(|a, b| {
            b.events
                .cmp(&a.events)
                .then_with(|| a.source.cmp(&b.source))
                .then_with(|| a.target.cmp(&b.target))
        });
        let total = all.len() as u64;
        let edges = page(all, limit, offset);
        let mut nodes: Vec<NetworkNode> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for e in &edges {
            for (key, is_source) in [(&e.source, true), (&e.target, false)] {
                let i = *index.entry(key.as_str()).or_insert_with(|| {
                    let (coded, texts) = names.get(key.as_str()).cloned().unwrap_or_default();
                    // A code in words ("Russia (government)", as the actor list names it),
                    // else the most frequent text, ties broken alphabetically (stable output).
                    let name = coded
                        .then(|| crate::code_label(key))
                        .flatten()
                        .or_else(|| {
                            texts
                                .into_iter()
                                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                                .map(|(n, _)| n)
                        })
                        .unwrap_or_else(|| key.clone());
                    nodes.push(NetworkNode {
                        id: key.clone(),
                        name,
                        coded,
                        as_source: 0,
                        as_target: 0,
                    });
                    nodes.len() - 1
                });
                if let Some(n) = nodes.get_mut(i) {
                    if is_source {
                        n.as_source += e.events;
                    } else {
                        n.as_target += e.events;
                    }
                }
            }
        }
        Network { total, edges, nodes }
    }
}

/// Events with coordinates in `rows`, grouped by place (see [`RecordStore::places`](crate::RecordStore::places)); `title`
/// looks up an article's title.
pub fn places_of(
    rows: Vec<EventFact>,
    limit: u64,
    offset: u64,
    title: &mut dyn FnMut(&str) -> std::result::Result<Option<String>, crate::AnyError>,
) -> std::result::Result<Aggregate<PlaceRow>, crate::AnyError> {
    {
        struct Acc {
            place: PlaceRow,
            seen: HashSet<String>,
        }
        let mut places: HashMap<String, Acc> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        for e in rows {
            let (Some(lat), Some(lon)) = (e.lat, e.lon) else {
                continue;
            };
            if !lat.is_finite() || !lon.is_finite() {
                continue;
            }
            let key = format!(
                "{}|{}|{}|{lat:.4}|{lon:.4}",
                e.location.as_deref().unwrap_or(""),
                e.country.as_deref().unwrap_or(""),
                e.admin1.as_deref().unwrap_or("")
            );
            let acc = places.entry(key.clone()).or_insert_with(|| {
                order.push(key);
                Acc {
                    place: PlaceRow {
                        name: e.location.clone(),
                        country: e.country.clone(),
                        admin1: e.admin1.clone(),
                        lat,
                        lon,
                        events: 0,
                        quads: [0; 4],
                        killed: 0,
                        wounded: 0,
                        first: None,
                        last: None,
                        articles: Vec::new(),
                        articles_total: 0,
                    },
                    seen: HashSet::new(),
                }
            });
            let p = &mut acc.place;
            p.events += 1;
            count_quad(&mut p.quads, e.quad);
            p.killed += e.killed.unwrap_or(0).max(0);
            p.wounded += e.wounded.unwrap_or(0).max(0);
            span_dates(&mut p.first, &mut p.last, e.date.as_ref());
            if acc.seen.insert(e.article_id.clone()) {
                p.articles_total += 1;
                if p.articles.len() < PLACE_ARTICLES {
                    p.articles.push(ArticleRef {
                        id: e.article_id,
                        title: None,
                    });
                }
            }
        }
        // Store order first, so that equal counts keep a stable order.
        let mut all: Vec<PlaceRow> = order
            .iter()
            .filter_map(|k| places.remove(k))
            .map(|a| a.place)
            .collect();
        all.sort_by_key(|p| std::cmp::Reverse(p.events));
        let total = all.len() as u64;
        let mut rows = page(all, limit, offset);
        let mut titles: HashMap<String, Option<String>> = HashMap::new();
        for a in rows.iter_mut().flat_map(|p| p.articles.iter_mut()) {
            if let Some(t) = titles.get(&a.id) {
                a.title = t.clone();
                continue;
            }
            let t = title(&a.id)?;
            titles.insert(a.id.clone(), t.clone());
            a.title = t;
        }
        Ok(Aggregate { total, rows })
    }
}

/// The columns of an event the network and places views aggregate, in this order (the
/// order [`EVENT_FACT_COLUMNS`] selects them).
pub struct EventFact {
    pub article_id: String,
    pub source_code: Option<String>,
    pub source_text: Option<String>,
    pub target_code: Option<String>,
    pub target_text: Option<String>,
    pub quad: i64,
    pub goldstein: f64,
    pub date: Option<String>,
    pub location: Option<String>,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub killed: Option<i64>,
    pub wounded: Option<i64>,
}

/// The columns of [`EventFact`], from `events e`.
pub const EVENT_FACT_COLUMNS: &str =
    "e.article_id, e.source_code, e.source_text, e.target_code, e.target_text, e.quad,
                    e.goldstein, e.date, e.location, e.country, e.admin1, e.lat, e.lon, e.killed, e.wounded";
