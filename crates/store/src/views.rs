//! The aggregate views on SQLite (article listing, and the events the network and places
//! views aggregate, see `chronicle_storeapi`'s views).

use super::*;

impl Store {
    /// What the aggregate views read of every event under `filter`, whatever its paging
    /// says: the same selection as [`RecordStore::events`], without the join, the sentence and
    /// the cluster figures (a network over a million events reads a few columns of each).
    pub(crate) fn all_events(&self, filter: &EventFilter) -> Result<Vec<EventFact>> {
        let mut f = filter.clone();
        f.limit = None;
        f.offset = None;
        let (inner, args) = event_selection_for(&f, Dialect::Sqlite);
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
        let mut s = store();
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
        let mut s = store();
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
        let mut s = store();
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
