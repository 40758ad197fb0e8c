//! The watch ledger on PostgreSQL: the SQLite store's tables (`chronicle_store`'s
//! `watch.rs`, its version 12) with the same meaning, named for Chronicle as the run log
//! is, since a PostgreSQL database is often shared.

use chronicle_storeapi::{
    Channel, Delivery, DeliveryCounts, Link, LinkOutcome, LinkStatus, SourceState, WatchLedger, Watchlist,
};
use postgres::Row;

use crate::PgStore;
use chronicle_storeapi::StoreError;

type WatchResult<T> = chronicle_storeapi::Result<T>;

/// Version 5: the watch ledger.
pub(crate) const MIGRATE_5_SQL: &str = r#"
CREATE TABLE IF NOT EXISTS chronicle_watch_sources (
    url TEXT PRIMARY KEY,
    name TEXT,
    etag TEXT,
    last_modified TEXT,
    last_attempt TEXT,
    last_success TEXT,
    last_error TEXT,
    errors BIGINT NOT NULL DEFAULT 0,
    next_attempt TEXT,
    links BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS chronicle_watch_links (
    seq BIGSERIAL,
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT,
    published TEXT,
    updated TEXT,
    content TEXT,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt TEXT,
    error TEXT,
    content_hash TEXT,
    article_id TEXT,
    first_seen TEXT NOT NULL,
    fetched TEXT
);
CREATE INDEX IF NOT EXISTS chronicle_watch_links_pending ON chronicle_watch_links(status, next_attempt);
CREATE INDEX IF NOT EXISTS chronicle_watch_links_hash ON chronicle_watch_links(content_hash);
CREATE TABLE IF NOT EXISTS chronicle_watchlists (
    name TEXT PRIMARY KEY,
    filter TEXT NOT NULL,
    jsonl TEXT,
    webhook TEXT,
    created TEXT NOT NULL,
    cursor BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS chronicle_watch_deliveries (
    id BIGSERIAL PRIMARY KEY,
    watchlist TEXT NOT NULL,
    channel TEXT NOT NULL,
    article_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event_global_id BIGINT NOT NULL,
    payload TEXT NOT NULL,
    created TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt TEXT,
    last_error TEXT,
    delivered TEXT,
    UNIQUE (watchlist, channel, article_id, event_id)
);
"#;

const SOURCE_COLUMNS: &str =
    "url, name, etag, last_modified, last_attempt, last_success, last_error, errors, next_attempt, links";

fn source_from(r: &Row) -> SourceState {
    SourceState {
        url: r.get(0),
        name: r.get(1),
        etag: r.get(2),
        last_modified: r.get(3),
        last_attempt: r.get(4),
        last_success: r.get(5),
        last_error: r.get(6),
        errors: r.get::<_, i64>(7).clamp(0, u32::MAX as i64) as u32,
        next_attempt: r.get(8),
        links: r.get::<_, i64>(9).max(0) as u64,
    }
}

fn watchlist_from(r: &Row) -> Watchlist {
    Watchlist {
        name: r.get(0),
        filter: serde_json::from_str(r.get(1)).unwrap_or_default(),
        jsonl: r.get(2),
        webhook: r.get(3),
        created: r.get(4),
        cursor: r.get(5),
    }
}

fn delivery_from(r: &Row) -> Delivery {
    Delivery {
        id: r.get(0),
        watchlist: r.get(1),
        channel: if r.get::<_, &str>(2) == "webhook" {
            Channel::Webhook
        } else {
            Channel::Jsonl
        },
        article_id: r.get(3),
        event_id: r.get(4),
        event_global_id: r.get(5),
        payload: r.get(6),
        attempts: r.get::<_, i64>(7).clamp(0, u32::MAX as i64) as u32,
        last_error: r.get(8),
        delivered: r.get(9),
    }
}

fn lim(n: u64) -> i64 {
    n.min(i64::MAX as u64) as i64
}

impl WatchLedger for PgStore {
    fn source_state(&mut self, url: &str) -> WatchResult<Option<SourceState>> {
        let row = self.client.query_opt(
            &format!("SELECT {SOURCE_COLUMNS} FROM chronicle_watch_sources WHERE url = $1"),
            &[&url],
        )?;
        Ok(row.as_ref().map(source_from))
    }

    fn save_source(&mut self, s: &SourceState) -> WatchResult<()> {
        self.client.execute(
            &format!(
                "INSERT INTO chronicle_watch_sources ({SOURCE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (url) DO UPDATE SET name = $2, etag = $3, last_modified = $4, last_attempt = $5,
                     last_success = $6, last_error = $7, errors = $8, next_attempt = $9, links = $10"
            ),
            &[
                &s.url,
                &s.name,
                &s.etag,
                &s.last_modified,
                &s.last_attempt,
                &s.last_success,
                &s.last_error,
                &(s.errors as i64),
                &s.next_attempt,
                &lim(s.links),
            ],
        )?;
        Ok(())
    }

    fn source_states(&mut self) -> WatchResult<Vec<SourceState>> {
        let rows = self.client.query(
            &format!("SELECT {SOURCE_COLUMNS} FROM chronicle_watch_sources ORDER BY url"),
            &[],
        )?;
        Ok(rows.iter().map(source_from).collect())
    }

    fn add_links(&mut self, links: &[Link]) -> WatchResult<usize> {
        let now = chronicle_storeapi::now_rfc3339();
        let mut tx = self.client.transaction()?;
        let insert = tx.prepare(
            "INSERT INTO chronicle_watch_links (url, source, title, published, updated, content, status, first_seen)
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) ON CONFLICT (url) DO NOTHING",
        )?;
        let refresh = tx.prepare(
            "UPDATE chronicle_watch_links SET status = 'pending', updated = $2, content = $3, attempts = 0,
                 next_attempt = NULL, error = NULL
             WHERE url = $1 AND status IN ('stored', 'unchanged') AND $2::text IS NOT NULL
               AND (updated IS NULL OR updated < $2) AND fetched IS NOT NULL AND fetched < $2",
        )?;
        let mut added = 0;
        for l in links {
            let n = tx.execute(
                &insert,
                &[
                    &l.url,
                    &l.source,
                    &l.title,
                    &l.published,
                    &l.updated,
                    &l.content,
                    &now,
                ],
            )?;
            added += if n == 0 {
                tx.execute(&refresh, &[&l.url, &l.updated, &l.content])?
            } else {
                n
            } as usize;
        }
        tx.commit()?;
        Ok(added)
    }

    fn due_links(&mut self, now: &str, limit: u64) -> WatchResult<Vec<Link>> {
        let rows = self.client.query(
            "SELECT url, source, title, published, updated, content, attempts FROM chronicle_watch_links
             WHERE status = 'pending' AND (next_attempt IS NULL OR next_attempt <= $1)
             ORDER BY seq LIMIT $2",
            &[&now, &lim(limit)],
        )?;
        Ok(rows
            .iter()
            .map(|r| Link {
                url: r.get(0),
                source: r.get(1),
                title: r.get(2),
                published: r.get(3),
                updated: r.get(4),
                content: r.get(5),
                attempts: r.get::<_, i64>(6).clamp(0, u32::MAX as i64) as u32,
            })
            .collect())
    }

    fn finish_links(&mut self, done: &[LinkOutcome], now: &str) -> WatchResult<()> {
        let mut tx = self.client.transaction()?;
        let st = tx.prepare(
            "UPDATE chronicle_watch_links SET status = $2, content_hash = coalesce($3, content_hash),
                 article_id = coalesce($4, article_id), error = $5, next_attempt = $6,
                 attempts = attempts + 1, fetched = $7,
                 content = CASE WHEN $2 = 'pending' THEN content ELSE NULL END
             WHERE url = $1",
        )?;
        for d in done {
            tx.execute(
                &st,
                &[
                    &d.url,
                    &d.status.as_str(),
                    &d.content_hash,
                    &d.article_id,
                    &d.error,
                    &d.retry_at,
                    &now,
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn stored_with_hash(&mut self, hash: &str) -> WatchResult<Option<String>> {
        Ok(self
            .client
            .query_opt(
                "SELECT url FROM chronicle_watch_links WHERE content_hash = $1 AND status = 'stored' LIMIT 1",
                &[&hash],
            )?
            .map(|r| r.get(0)))
    }

    fn link_counts(&mut self) -> WatchResult<Vec<(LinkStatus, u64)>> {
        let rows = self.client.query(
            "SELECT status, count(*) FROM chronicle_watch_links GROUP BY status",
            &[],
        )?;
        let mut out: Vec<(LinkStatus, u64)> = rows
            .iter()
            .filter_map(|r| LinkStatus::parse(r.get(0)).map(|s| (s, r.get::<_, i64>(1).max(0) as u64)))
            .collect();
        out.sort();
        Ok(out)
    }

    fn add_watchlist(&mut self, w: &Watchlist) -> WatchResult<Watchlist> {
        let mut w = w.clone();
        let mut tx = self.client.transaction()?;
        w.cursor = tx
            .query_one("SELECT coalesce(max(id), 0)::bigint FROM events", &[])?
            .get(0);
        let n = tx.execute(
            "INSERT INTO chronicle_watchlists (name, filter, jsonl, webhook, created, cursor)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING",
            &[
                &w.name,
                &serde_json::to_string(&w.filter).map_err(|source| StoreError::Serialise {
                    id: w.name.clone(),
                    source,
                })?,
                &w.jsonl,
                &w.webhook,
                &w.created,
                &w.cursor,
            ],
        )?;
        if n == 0 {
            return Err(StoreError::WatchlistTaken(w.name));
        }
        tx.commit()?;
        Ok(w)
    }

    fn watchlists(&mut self) -> WatchResult<Vec<Watchlist>> {
        let rows = self.client.query(
            "SELECT name, filter, jsonl, webhook, created, cursor FROM chronicle_watchlists ORDER BY name",
            &[],
        )?;
        Ok(rows.iter().map(watchlist_from).collect())
    }

    fn remove_watchlist(&mut self, name: &str) -> WatchResult<bool> {
        let mut tx = self.client.transaction()?;
        let n = tx.execute("DELETE FROM chronicle_watchlists WHERE name = $1", &[&name])?;
        tx.execute(
            "DELETE FROM chronicle_watch_deliveries WHERE watchlist = $1 AND delivered IS NULL",
            &[&name],
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
        let mut tx = self.client.transaction()?;
        let st = tx.prepare(
            "INSERT INTO chronicle_watch_deliveries
                 (watchlist, channel, article_id, event_id, event_global_id, payload, created)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )?;
        let mut n = 0;
        for (channel, article, event, global, payload) in rows {
            n += tx.execute(
                &st,
                &[
                    &watchlist,
                    &channel.as_str(),
                    article,
                    event,
                    global,
                    payload,
                    &now,
                ],
            )? as usize;
        }
        tx.execute(
            "UPDATE chronicle_watchlists SET cursor = greatest(cursor, $2) WHERE name = $1",
            &[&watchlist, &cursor],
        )?;
        tx.commit()?;
        Ok(n)
    }

    fn due_deliveries(&mut self, now: &str, limit: u64) -> WatchResult<Vec<Delivery>> {
        let rows = self.client.query(
            "SELECT id, watchlist, channel, article_id, event_id, event_global_id, payload, attempts,
                    last_error, delivered
             FROM chronicle_watch_deliveries
             WHERE delivered IS NULL AND (next_attempt IS NULL OR next_attempt <= $1)
             ORDER BY id LIMIT $2",
            &[&now, &lim(limit)],
        )?;
        Ok(rows.iter().map(delivery_from).collect())
    }

    fn tried_deliveries(&mut self, watchlist: &str, channel: Channel) -> WatchResult<Vec<i64>> {
        let rows = self.client.query(
            "SELECT id FROM chronicle_watch_deliveries
             WHERE watchlist = $1 AND channel = $2 AND delivered IS NULL AND attempts > 0 ORDER BY id",
            &[&watchlist, &channel.as_str()],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn finish_delivery(
        &mut self,
        id: i64,
        outcome: Result<(), (String, String)>,
        now: &str,
    ) -> WatchResult<()> {
        match outcome {
            Ok(()) => self.client.execute(
                "UPDATE chronicle_watch_deliveries SET delivered = $2, attempts = attempts + 1, last_error = NULL
                 WHERE id = $1",
                &[&id, &now],
            )?,
            Err((error, retry_at)) => self.client.execute(
                "UPDATE chronicle_watch_deliveries SET attempts = attempts + 1, last_error = $2, next_attempt = $3
                 WHERE id = $1",
                &[&id, &error, &retry_at],
            )?,
        };
        Ok(())
    }

    fn delivery_counts(&mut self) -> WatchResult<Vec<DeliveryCounts>> {
        let rows = self.client.query(
            "SELECT watchlist, channel, count(delivered),
                    count(*) FILTER (WHERE delivered IS NULL),
                    count(*) FILTER (WHERE delivered IS NULL AND attempts > 0),
                    max(CASE WHEN delivered IS NULL THEN last_error END)
             FROM chronicle_watch_deliveries GROUP BY watchlist, channel ORDER BY watchlist, channel",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| DeliveryCounts {
                watchlist: r.get(0),
                channel: r.get(1),
                delivered: r.get::<_, i64>(2).max(0) as u64,
                pending: r.get::<_, i64>(3).max(0) as u64,
                failing: r.get::<_, i64>(4).max(0) as u64,
                last_error: r.get(5),
            })
            .collect())
    }

    fn last_event_id(&mut self) -> WatchResult<i64> {
        Ok(self
            .client
            .query_one("SELECT coalesce(max(id), 0)::bigint FROM events", &[])?
            .get(0))
    }
}
