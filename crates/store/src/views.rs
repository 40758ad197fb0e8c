//! Aggregate views over the store for the API and the web UI (article listing, actor
//! network, places).
//!
//! The network and places views aggregate the events that [`Store::events`] would return
//! under the caller's [`EventFilter`] (the same selection, fewer columns) instead of
//! repeating its `WHERE` clause here: every filter `/api/events`
//! understands (and any added to `EventFilter` later) narrows the network and the map the
//! same way, so the three views of one query never disagree.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, OptionalExtension};

use super::{EventFilter, Result, Store};

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

impl Store {
    /// Articles in ingest order (so offsets stay stable while ingest appends), with their
    /// titles and what was found in each: the UI's article list.
    pub fn article_list(&self, limit: u64, offset: u64) -> Result<Vec<ArticleRow>> {
        let mut st = self.conn.prepare(
            "SELECT a.id, a.title, a.published, a.source, a.url, a.chars,
                    CASE WHEN json_valid(a.record) THEN substr(json_extract(a.record, '$.text'), 1, 240) END,
                    (SELECT COUNT(*) FROM entities x WHERE x.article_id = a.id),
                    (SELECT COUNT(*) FROM quotes x WHERE x.article_id = a.id),
                    (SELECT COUNT(*) FROM events x WHERE x.article_id = a.id)
             FROM articles a ORDER BY a.rowid LIMIT ?1 OFFSET ?2",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let rows = st
            .query_map(params![limit, offset], |r| {
                Ok(ArticleRow {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    published: r.get(2)?,
                    source: r.get(3)?,
                    url: r.get(4)?,
                    chars: r.get(5)?,
                    lead: r.get(6)?,
                    entities: r.get(7)?,
                    quotes: r.get(8)?,
                    events: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The events matching `filter` (its own `limit` and `offset` are ignored) as an actor
    /// network: one edge per (source, target) pair with counts per quad class, most events
    /// first, then `limit` edges from `offset`. Events missing either actor have no edge.
    pub fn network(&self, filter: &EventFilter, limit: u64, offset: u64) -> Result<Network> {
        Ok(network_of(self.all_events(filter)?, limit, offset))
    }
}

/// The actor network of `rows` (see [`Store::network`]), for any store that selects them.
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

impl Store {
    /// The events matching `filter` (its own `limit` and `offset` are ignored) that have
    /// coordinates, grouped by place (name, country, region and coordinates), most events
    /// first, then `limit` places from `offset`; each with the articles reporting them.
    pub fn places(&self, filter: &EventFilter, limit: u64, offset: u64) -> Result<Aggregate<PlaceRow>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT title FROM articles WHERE id = ?1")?;
        let mut title = |id: &str| -> std::result::Result<Option<String>, super::AnyError> {
            Ok(st
                .query_row([id], |r| r.get::<_, Option<String>>(0))
                .optional()?
                .flatten())
        };
        places_of(self.all_events(filter)?, limit, offset, &mut title).map_err(|e| {
            match e.downcast::<rusqlite::Error>() {
                Ok(e) => super::StoreError::Sql(*e),
                Err(e) => super::StoreError::View(e.to_string()),
            }
        })
    }
}

/// Events with coordinates in `rows`, grouped by place (see [`Store::places`]); `title`
/// looks up an article's title.
pub fn places_of(
    rows: Vec<EventFact>,
    limit: u64,
    offset: u64,
    title: &mut dyn FnMut(&str) -> std::result::Result<Option<String>, super::AnyError>,
) -> std::result::Result<Aggregate<PlaceRow>, super::AnyError> {
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

impl Store {
    /// What the aggregate views read of every event under `filter`, whatever its paging
    /// says: the same selection as [`Store::events`], without the join, the sentence and
    /// the cluster figures (a network over a million events reads a few columns of each).
    fn all_events(&self, filter: &EventFilter) -> Result<Vec<EventFact>> {
        let mut f = filter.clone();
        f.limit = None;
        f.offset = None;
        let (inner, args) = super::event_selection(&f);
        let sql =
            format!("SELECT {EVENT_FACT_COLUMNS} FROM events e WHERE e.rowid IN ({inner}) ORDER BY e.rowid");
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok(EventFact {
                    article_id: r.get(0)?,
                    source_code: r.get(1)?,
                    source_text: r.get(2)?,
                    target_code: r.get(3)?,
                    target_text: r.get(4)?,
                    quad: r.get(5)?,
                    goldstein: r.get(6)?,
                    date: r.get(7)?,
                    location: r.get(8)?,
                    country: r.get(9)?,
                    admin1: r.get(10)?,
                    lat: r.get(11)?,
                    lon: r.get(12)?,
                    killed: r.get(13)?,
                    wounded: r.get(14)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
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

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_record::Record;

    /// A place name with its latitude and longitude.
    type Place<'a> = Option<(&'a str, f64, f64)>;

    /// An article with `events`: (source code, target code, quad, place).
    fn article(id: &str, title: &str, events: &[(&str, &str, i64, Place<'_>)]) -> Record {
        let evs: Vec<serde_json::Value> = events
            .iter()
            .enumerate()
            .map(|(i, (s, t, quad, place))| {
                serde_json::json!({
                    "id": format!("v{}", i + 1), "cameo": "190", "root": "19", "quad": quad, "goldstein": -10.0,
                    "plover": {"type": "ASSAULT", "mode": null},
                    "source": {"entity": null, "code": s, "text": format!("{s} forces"), "span": [0, 6]},
                    "target": {"entity": null, "code": t, "text": format!("{t} people"), "span": [16, 23]},
                    "sentence": [0, 24], "trigger": [7, 15], "modality": "asserted",
                    "date": format!("2025-12-0{}", i + 1), "date_text": null, "date_basis": "publication",
                    "location": place.map(|(n, lat, lon)| serde_json::json!({
                        "entity": "e1", "name": n, "country": "UKR", "admin1": null, "lat": lat, "lon": lon,
                        "precision": "town", "basis": "clause"})),
                    "killed": 2, "wounded": null, "victims": null
                })
            })
            .collect();
        let j = serde_json::json!({
            "schema": 1, "id": id, "published": "2025-12-03", "title": title, "url": null, "source": "s",
            "meta": {}, "text": "Russia attacked Ukraine near Pisky.",
            "sentences": [[0, 35]], "paragraphs": [[0, 35]], "entities": [], "quotes": [],
            "events": evs, "timexes": [], "diagnostics": []
        });
        serde_json::from_value(j).expect("test record matches the contract types")
    }

    fn store() -> Store {
        let mut s = Store::memory().expect("store");
        let pisky = Some(("Pisky", 48.1, 37.6));
        s.put_all([
            &article(
                "a",
                "First",
                &[
                    ("RUS", "UKR", 4, pisky),
                    ("RUS", "UKR", 3, pisky),
                    ("UKR", "RUS", 1, None),
                ],
            ),
            &article("b", "Second", &[("RUS", "UKR", 4, Some(("Kyiv", 50.45, 30.52)))]),
            &article("c", "Third", &[("RUS", "UKR", 4, pisky)]),
        ])
        .expect("put");
        s
    }

    #[test]
    fn the_article_list_pages_in_ingest_order_with_counts() {
        let s = store();
        let rows = s.article_list(2, 1).expect("list");
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["b", "c"]);
        assert_eq!(rows[0].title.as_deref(), Some("Second"));
        assert_eq!(rows[0].events, 1);
        assert_eq!(
            rows[0].lead.as_deref(),
            Some("Russia attacked Ukraine near Pisky.")
        );
        assert_eq!(s.article_list(10, 0).expect("list")[0].events, 3);
    }

    #[test]
    fn the_network_counts_each_actor_pair_by_quad_class() {
        let s = store();
        let n = s.network(&EventFilter::default(), 100, 0).expect("network");
        assert_eq!(n.total, 2);
        let top = &n.edges[0];
        assert_eq!((top.source.as_str(), top.target.as_str()), ("RUS", "UKR"));
        assert_eq!((top.events, top.quads, top.articles), (4, [0, 0, 1, 3], 3));
        assert_eq!(
            (top.first.as_deref(), top.last.as_deref()),
            (Some("2025-12-01"), Some("2025-12-02"))
        );
        let rus = n.nodes.iter().find(|x| x.id == "RUS").expect("RUS node");
        assert_eq!(
            (rus.name.as_str(), rus.coded, rus.as_source, rus.as_target),
            ("Russia", true, 4, 1),
            "a code is named in words, not by its most frequent text"
        );
        // The events' filters narrow the network; paging applies to edges.
        let one = EventFilter {
            article: Some("b".into()),
            ..Default::default()
        };
        assert_eq!(s.network(&one, 100, 0).expect("network").edges[0].events, 1);
        let second = s.network(&EventFilter::default(), 1, 1).expect("network");
        assert_eq!((second.total, second.edges.len(), second.nodes.len()), (2, 1, 2));
        assert_eq!(second.edges[0].source, "UKR");
    }

    #[test]
    fn places_group_events_with_coordinates_and_name_their_articles() {
        let s = store();
        let p = s.places(&EventFilter::default(), 100, 0).expect("places");
        assert_eq!(p.total, 2);
        let pisky = &p.rows[0];
        assert_eq!(pisky.name.as_deref(), Some("Pisky"));
        assert_eq!((pisky.events, pisky.quads, pisky.killed), (3, [0, 0, 1, 2], 6));
        let titles: Vec<Option<&str>> = pisky.articles.iter().map(|a| a.title.as_deref()).collect();
        assert_eq!(titles, [Some("First"), Some("Third")]);
        assert_eq!(pisky.articles_total, 2);
        let page = s.places(&EventFilter::default(), 1, 1).expect("places");
        assert_eq!(page.rows.len(), 1);
        assert_eq!(page.rows[0].name.as_deref(), Some("Kyiv"));
    }
}
