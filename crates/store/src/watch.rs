//! The watch ledger: what `chronicle watch` keeps between cycles in the store itself, so a
//! killed watcher resumes where it stopped and a second cycle repeats nothing.
//!
//! - per source: its validators (ETag, Last-Modified) for conditional requests, its last
//!   success, its consecutive failures and the time before which it is not tried again
//!   (backoff);
//! - per link (article URL): pending until fetched, then stored, unchanged (same content
//!   hash as before), duplicate (the content of a link stored under another URL), skipped
//!   (robots.txt, not an article) or failed (retried with backoff until it gives up), with
//!   the content hash of what was stored;
//! - watchlists (a named event filter, as the API's query parameters, and where to deliver)
//!   and their deliveries, one row per (watchlist, channel, article, event): the unique key
//!   is what makes a delivery happen once, across restarts and re-stored articles.
//!
//! [`WatchLedger`] is the interface; SQLite ([`Store`]) and PostgreSQL implement it with
//! the same meaning.

use super::*;

type WatchResult<T> = Result<T>;

/// Version 12: the watch ledger (see the module).
pub(crate) const MIGRATE_12_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS watch_sources (
    url TEXT PRIMARY KEY,
    name TEXT,
    etag TEXT,
    last_modified TEXT,
    last_attempt TEXT,
    last_success TEXT,
    last_error TEXT,
    errors INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT,
    links INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS watch_links (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT,
    published TEXT,
    updated TEXT,
    content TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT,
    error TEXT,
    content_hash TEXT,
    article_id TEXT,
    first_seen TEXT NOT NULL,
    fetched TEXT
);
CREATE INDEX IF NOT EXISTS watch_links_pending ON watch_links(status, next_attempt);
CREATE INDEX IF NOT EXISTS watch_links_hash ON watch_links(content_hash);
CREATE TABLE IF NOT EXISTS watchlists (
    name TEXT PRIMARY KEY,
    filter TEXT NOT NULL,
    jsonl TEXT,
    webhook TEXT,
    created TEXT NOT NULL,
    cursor INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS watch_deliveries (
    id INTEGER PRIMARY KEY,
    watchlist TEXT NOT NULL,
    channel TEXT NOT NULL,
    article_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event_global_id INTEGER NOT NULL,
    payload TEXT NOT NULL,
    created TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT,
    last_error TEXT,
    delivered TEXT,
    UNIQUE (watchlist, channel, article_id, event_id)
);
CREATE INDEX IF NOT EXISTS watch_deliveries_due ON watch_deliveries(delivered, next_attempt);
"#;

fn source_from_row(r: &rusqlite::Row) -> rusqlite::Result<SourceState> {
    Ok(SourceState {
        url: r.get(0)?,
        name: r.get(1)?,
        etag: r.get(2)?,
        last_modified: r.get(3)?,
        last_attempt: r.get(4)?,
        last_success: r.get(5)?,
        last_error: r.get(6)?,
        errors: r.get::<_, i64>(7)?.clamp(0, u32::MAX as i64) as u32,
        next_attempt: r.get(8)?,
        links: r.get::<_, i64>(9)?.max(0) as u64,
    })
}

const SOURCE_COLUMNS: &str =
    "url, name, etag, last_modified, last_attempt, last_success, last_error, errors, next_attempt, links";

fn watchlist_from_row(r: &rusqlite::Row) -> rusqlite::Result<Watchlist> {
    let filter: String = r.get(1)?;
    Ok(Watchlist {
        name: r.get(0)?,
        // Written by `add_watchlist` from a map; a hand-edited value reads as no filter
        // rather than failing `status`.
        filter: serde_json::from_str(&filter).unwrap_or_default(),
        jsonl: r.get(2)?,
        webhook: r.get(3)?,
        created: r.get(4)?,
        cursor: r.get(5)?,
    })
}

impl WatchLedger for Store {
    fn source_state(&mut self, url: &str) -> WatchResult<Option<SourceState>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {SOURCE_COLUMNS} FROM watch_sources WHERE url = ?1"),
                [url],
                source_from_row,
            )
            .optional()?)
    }

    fn save_source(&mut self, s: &SourceState) -> WatchResult<()> {
        self.conn.execute(
            &format!(
                "INSERT OR REPLACE INTO watch_sources ({SOURCE_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            ),
            params![
                s.url,
                s.name,
                s.etag,
                s.last_modified,
                s.last_attempt,
                s.last_success,
                s.last_error,
                s.errors as i64,
                s.next_attempt,
                s.links.min(i64::MAX as u64) as i64
            ],
        )?;
        Ok(())
    }

    fn source_states(&mut self) -> WatchResult<Vec<SourceState>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {SOURCE_COLUMNS} FROM watch_sources ORDER BY url"
        ))?;
        let rows = st
            .query_map([], source_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn add_links(&mut self, links: &[Link]) -> WatchResult<usize> {
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        let mut added = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO watch_links (url, source, title, published, updated, content, status, first_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7)",
            )?;
            // An entry updated after the version stored: fetch it again (stored again
            // only if its text changed).
            let mut refresh = tx.prepare_cached(
                "UPDATE watch_links SET status = 'pending', updated = ?2, content = ?3, attempts = 0,
                     next_attempt = NULL, error = NULL
                 WHERE url = ?1 AND status IN ('stored', 'unchanged') AND ?2 IS NOT NULL
                   AND (updated IS NULL OR updated < ?2) AND fetched IS NOT NULL AND fetched < ?2",
            )?;
            for l in links {
                let n = insert.execute(params![
                    l.url,
                    l.source,
                    l.title,
                    l.published,
                    l.updated,
                    l.content,
                    now
                ])?;
                if n == 0 {
                    added += refresh.execute(params![l.url, l.updated, l.content])?;
                } else {
                    added += n;
                }
            }
        }
        tx.commit()?;
        Ok(added)
    }

    fn due_links(&mut self, now: &str, limit: u64) -> WatchResult<Vec<Link>> {
        let mut st = self.conn.prepare_cached(
            "SELECT url, source, title, published, updated, content, attempts FROM watch_links
             WHERE status = 'pending' AND (next_attempt IS NULL OR next_attempt <= ?1)
             ORDER BY rowid LIMIT ?2",
        )?;
        let rows = st
            .query_map(params![now, limit.min(i64::MAX as u64) as i64], |r| {
                Ok(Link {
                    url: r.get(0)?,
                    source: r.get(1)?,
                    title: r.get(2)?,
                    published: r.get(3)?,
                    updated: r.get(4)?,
                    content: r.get(5)?,
                    attempts: r.get::<_, i64>(6)?.clamp(0, u32::MAX as i64) as u32,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn finish_links(&mut self, done: &[LinkOutcome], now: &str) -> WatchResult<()> {
        let tx = self.conn.transaction()?;
        {
            // The feed's copy of the content is dropped once used: the article keeps it.
            let mut st = tx.prepare_cached(
                "UPDATE watch_links SET status = ?2, content_hash = coalesce(?3, content_hash),
                     article_id = coalesce(?4, article_id), error = ?5, next_attempt = ?6,
                     attempts = attempts + 1, fetched = ?7,
                     content = CASE WHEN ?2 = 'pending' THEN content ELSE NULL END
                 WHERE url = ?1",
            )?;
            for d in done {
                st.execute(params![
                    d.url,
                    d.status.as_str(),
                    d.content_hash,
                    d.article_id,
                    d.error,
                    d.retry_at,
                    now
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn stored_with_hash(&mut self, hash: &str) -> WatchResult<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT url FROM watch_links WHERE content_hash = ?1 AND status = 'stored' LIMIT 1",
                [hash],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn link_counts(&mut self) -> WatchResult<Vec<(LinkStatus, u64)>> {
        let mut st = self
            .conn
            .prepare("SELECT status, count(*) FROM watch_links GROUP BY status")?;
        let mut out: Vec<(LinkStatus, u64)> = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
            .filter_map(|r| r.ok())
            .filter_map(|(s, n)| LinkStatus::parse(&s).map(|s| (s, n.max(0) as u64)))
            .collect();
        out.sort();
        Ok(out)
    }

    fn add_watchlist(&mut self, w: &Watchlist) -> WatchResult<Watchlist> {
        let mut w = w.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let taken: bool = tx.query_row(
            "SELECT count(*) > 0 FROM watchlists WHERE name = ?1",
            [&w.name],
            |r| r.get(0),
        )?;
        if taken {
            return Err(StoreError::WatchlistTaken(w.name));
        }
        w.cursor = tx.query_row("SELECT coalesce(max(rowid), 0) FROM events", [], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO watchlists (name, filter, jsonl, webhook, created, cursor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                w.name,
                serde_json::to_string(&w.filter).map_err(|source| StoreError::Serialise {
                    id: w.name.clone(),
                    source,
                })?,
                w.jsonl,
                w.webhook,
                w.created,
                w.cursor
            ],
        )?;
        tx.commit()?;
        Ok(w)
    }

    fn watchlists(&mut self) -> WatchResult<Vec<Watchlist>> {
        let mut st = self
            .conn
            .prepare("SELECT name, filter, jsonl, webhook, created, cursor FROM watchlists ORDER BY name")?;
        let rows = st
            .query_map([], watchlist_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn remove_watchlist(&mut self, name: &str) -> WatchResult<bool> {
        let tx = self.conn.transaction()?;
        let n = tx.execute("DELETE FROM watchlists WHERE name = ?1", [name])?;
        tx.execute(
            "DELETE FROM watch_deliveries WHERE watchlist = ?1 AND delivered IS NULL",
            [name],
        )?;
        tx.commit()?;
        Ok(n > 0)
    }

    fn queue_deliveries(
        &mut self,
        watchlist: &str,
        rows: &[(Channel, String, String, i64, String)],
        cursor: i64,
        now: &str,
    ) -> WatchResult<usize> {
        let tx = self.conn.transaction()?;
        let mut n = 0;
        {
            let mut st = tx.prepare_cached(
                "INSERT OR IGNORE INTO watch_deliveries
                     (watchlist, channel, article_id, event_id, event_global_id, payload, created)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (channel, article, event, global, payload) in rows {
                n += st.execute(params![
                    watchlist,
                    channel.as_str(),
                    article,
                    event,
                    global,
                    payload,
                    now
                ])?;
            }
        }
        tx.execute(
            "UPDATE watchlists SET cursor = max(cursor, ?2) WHERE name = ?1",
            params![watchlist, cursor],
        )?;
        tx.commit()?;
        Ok(n)
    }

    fn due_deliveries(&mut self, now: &str, limit: u64) -> WatchResult<Vec<Delivery>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, watchlist, channel, article_id, event_id, event_global_id, payload, attempts,
                    last_error, delivered
             FROM watch_deliveries
             WHERE delivered IS NULL AND (next_attempt IS NULL OR next_attempt <= ?1)
             ORDER BY id LIMIT ?2",
        )?;
        let rows = st
            .query_map(params![now, limit.min(i64::MAX as u64) as i64], delivery_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn tried_deliveries(&mut self, watchlist: &str, channel: Channel) -> WatchResult<Vec<i64>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id FROM watch_deliveries
             WHERE watchlist = ?1 AND channel = ?2 AND delivered IS NULL AND attempts > 0 ORDER BY id",
        )?;
        let rows = st
            .query_map(params![watchlist, channel.as_str()], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(rows)
    }

    fn finish_delivery(
        &mut self,
        id: i64,
        outcome: std::result::Result<(), (String, String)>,
        now: &str,
    ) -> WatchResult<()> {
        match outcome {
            Ok(()) => self.conn.execute(
                "UPDATE watch_deliveries SET delivered = ?2, attempts = attempts + 1, last_error = NULL
                 WHERE id = ?1",
                params![id, now],
            )?,
            Err((error, retry_at)) => self.conn.execute(
                "UPDATE watch_deliveries SET attempts = attempts + 1, last_error = ?2, next_attempt = ?3
                 WHERE id = ?1",
                params![id, error, retry_at],
            )?,
        };
        Ok(())
    }

    fn delivery_counts(&mut self) -> WatchResult<Vec<DeliveryCounts>> {
        let mut st = self.conn.prepare(
            "SELECT watchlist, channel, count(delivered),
                    sum(delivered IS NULL), sum(delivered IS NULL AND attempts > 0),
                    max(CASE WHEN delivered IS NULL THEN last_error END)
             FROM watch_deliveries GROUP BY watchlist, channel ORDER BY watchlist, channel",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok(DeliveryCounts {
                    watchlist: r.get(0)?,
                    channel: r.get(1)?,
                    delivered: r.get::<_, i64>(2)?.max(0) as u64,
                    pending: r.get::<_, Option<i64>>(3)?.unwrap_or(0).max(0) as u64,
                    failing: r.get::<_, Option<i64>>(4)?.unwrap_or(0).max(0) as u64,
                    last_error: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn last_event_id(&mut self) -> WatchResult<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(rowid), 0) FROM events", [], |r| r.get(0))?)
    }
}

fn delivery_from_row(r: &rusqlite::Row) -> rusqlite::Result<Delivery> {
    Ok(Delivery {
        id: r.get(0)?,
        watchlist: r.get(1)?,
        channel: Channel::parse(&r.get::<_, String>(2)?),
        article_id: r.get(3)?,
        event_id: r.get(4)?,
        event_global_id: r.get(5)?,
        payload: r.get(6)?,
        attempts: r.get::<_, i64>(7)?.clamp(0, u32::MAX as i64) as u32,
        last_error: r.get(8)?,
        delivered: r.get(9)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(url: &str) -> Link {
        Link {
            url: url.into(),
            source: "https://example.org/feed".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_link_is_added_once_and_leaves_the_queue_when_finished() {
        let mut s = Store::memory().expect("store");
        assert_eq!(
            s.add_links(&[link("https://a/1"), link("https://a/2")])
                .expect("add"),
            2
        );
        assert_eq!(s.add_links(&[link("https://a/1")]).expect("add"), 0);
        let now = now_rfc3339();
        let due = s.due_links(&now, 10).expect("due");
        assert_eq!(due.len(), 2);
        s.finish_links(
            &[
                LinkOutcome {
                    url: "https://a/1".into(),
                    status: LinkStatus::Stored,
                    content_hash: Some("h1".into()),
                    article_id: Some("https://a/1".into()),
                    error: None,
                    retry_at: None,
                },
                LinkOutcome {
                    url: "https://a/2".into(),
                    status: LinkStatus::Pending,
                    content_hash: None,
                    article_id: None,
                    error: Some("HTTP 500".into()),
                    retry_at: Some("2999-01-01T00:00:00Z".into()),
                },
            ],
            &now,
        )
        .expect("finish");
        // The failed one waits for its retry time.
        assert!(s.due_links(&now, 10).expect("due").is_empty());
        assert_eq!(s.due_links("3000-01-01T00:00:00Z", 10).expect("due").len(), 1);
        assert_eq!(
            s.stored_with_hash("h1").expect("hash").as_deref(),
            Some("https://a/1")
        );
        let counts = s.link_counts().expect("counts");
        assert_eq!(counts, vec![(LinkStatus::Pending, 1), (LinkStatus::Stored, 1)]);
        // An entry updated after it was fetched is pending again.
        let mut again = link("https://a/1");
        again.updated = Some("2999-01-01T00:00:00Z".into());
        assert_eq!(s.add_links(&[again]).expect("add"), 1);
    }

    #[test]
    fn a_delivery_is_queued_once_per_watchlist_channel_and_event() {
        let mut s = Store::memory().expect("store");
        let w = Watchlist {
            name: "ukraine".into(),
            filter: [("place".to_string(), "UKR".to_string())].into(),
            jsonl: Some("out.jsonl".into()),
            created: now_rfc3339(),
            ..Default::default()
        };
        s.add_watchlist(&w).expect("add");
        assert!(s.add_watchlist(&w).is_err(), "a name is taken once");
        let row = (
            Channel::Jsonl,
            "a1".to_string(),
            "e1".to_string(),
            7,
            "{}".to_string(),
        );
        let now = now_rfc3339();
        assert_eq!(
            s.queue_deliveries("ukraine", std::slice::from_ref(&row), 7, &now)
                .expect("queue"),
            1
        );
        assert_eq!(s.queue_deliveries("ukraine", &[row], 9, &now).expect("queue"), 0);
        assert_eq!(s.watchlists().expect("lists")[0].cursor, 9);
        let due = s.due_deliveries(&now, 10).expect("due");
        assert_eq!(due.len(), 1);
        s.finish_delivery(
            due[0].id,
            Err(("HTTP 500".into(), "2999-01-01T00:00:00Z".into())),
            &now,
        )
        .expect("fail");
        assert!(s.due_deliveries(&now, 10).expect("due").is_empty());
        assert_eq!(
            s.tried_deliveries("ukraine", Channel::Jsonl).expect("tried"),
            vec![due[0].id]
        );
        s.finish_delivery(due[0].id, Ok(()), &now).expect("done");
        let c = &s.delivery_counts().expect("counts")[0];
        assert_eq!((c.delivered, c.pending, c.failing), (1, 0, 0));
        assert!(s.remove_watchlist("ukraine").expect("remove"));
        assert!(!s.remove_watchlist("ukraine").expect("remove"));
    }

    #[test]
    fn a_watchlist_filter_is_read_as_the_api_reads_it() {
        let w = Watchlist {
            filter: [("cameo".to_string(), "19".to_string())].into(),
            ..Default::default()
        };
        assert_eq!(w.event_filter().expect("filter").cameo.as_deref(), Some("19"));
        let bad = Watchlist {
            filter: [("colour".to_string(), "red".to_string())].into(),
            ..Default::default()
        };
        assert!(bad.event_filter().is_err());
        let bad = Watchlist {
            filter: [("cameo".to_string(), "99".to_string())].into(),
            ..Default::default()
        };
        assert!(bad.event_filter().is_err());
    }
}
