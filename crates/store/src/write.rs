//! Writing one article: its rows in every table, the cluster keys of its events and the
//! clusters' totals, and the removal of a previous version.

use super::*;

/// The cluster keys of one article's events.
pub(crate) fn cluster_keys(tx: &Transaction<'_>, id: &str, keys: &mut Vec<String>) -> Result<()> {
    let mut st = tx.prepare_cached(
        "SELECT DISTINCT cluster_key FROM events WHERE article_id = ?1 AND cluster_key IS NOT NULL",
    )?;
    for k in st.query_map([id], |r| r.get(0))? {
        keys.push(k?);
    }
    Ok(())
}

/// Deletes an article and its rows, adding the cluster keys it leaves to `keys`.
/// Rows a transaction adds (or removes) per table, applied to `totals` once at its end.
#[derive(Default)]
pub(crate) struct Totals {
    articles: i64,
    entities: i64,
    quotes: i64,
    events: i64,
}

impl Totals {
    pub(crate) fn apply(&self, tx: &Transaction<'_>) -> Result<()> {
        let mut st = tx.prepare_cached("UPDATE totals SET n = n + ?2 WHERE name = ?1")?;
        for (name, n) in [
            ("articles", self.articles),
            ("entities", self.entities),
            ("quotes", self.quotes),
            ("events", self.events),
        ] {
            if n != 0 {
                st.execute(params![name, n])?;
            }
        }
        Ok(())
    }
}

pub(crate) fn delete_article(
    tx: &Transaction<'_>,
    id: &str,
    keys: &mut Vec<String>,
    totals: &mut Totals,
) -> Result<()> {
    let row: Option<(i64, Option<String>, Option<String>)> = tx
        .prepare_cached("SELECT rid, title, text FROM article_texts WHERE article_id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    // Nothing to replace (the common case): no statement touches the full-text indexes,
    // since each FTS5 statement with a savepoint flushes the pending index to disk as a new
    // segment, which made every article a segment to merge.
    let Some((rid, title, text)) = row else {
        return Ok(());
    };
    cluster_keys(tx, id, keys)?;
    // External-content FTS rows are removed by repeating the indexed values, one row per
    // statement, before the rows they come from go.
    tx.prepare_cached(
        "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?1, ?2, ?3)",
    )?
    .execute(params![rid, title, text])?;
    let quotes: Vec<(i64, String, Option<String>)> = tx
        .prepare_cached("SELECT rowid, content, speaker_text FROM quotes WHERE article_id = ?1")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut qf = tx.prepare_cached(
        "INSERT INTO quotes_fts (quotes_fts, rowid, content, speaker_text) VALUES ('delete', ?1, ?2, ?3)",
    )?;
    for (rowid, content, speaker) in quotes {
        qf.execute(params![rowid, content, speaker])?;
    }
    for table in ["entities", "quotes", "events", "timexes", "articles"] {
        let key = if table == "articles" { "id" } else { "article_id" };
        let gone = tx
            .prepare_cached(&format!("DELETE FROM {table} WHERE {key} = ?1"))?
            .execute([id])? as i64;
        match table {
            "entities" => totals.entities -= gone,
            "quotes" => totals.quotes -= gone,
            "events" => totals.events -= gone,
            "articles" => totals.articles -= gone,
            _ => {}
        }
    }
    Ok(())
}

pub(crate) fn put_in(tx: &Transaction<'_>, p: &Prepared, totals: &mut Totals) -> Result<()> {
    let r = p.record();
    let hash = p.text_hash();
    let mut keys = Vec::new();
    delete_article(tx, &r.id, &mut keys, totals)?;
    totals.articles += 1;
    totals.entities += r.entities.len() as i64;
    totals.quotes += r.quotes.len() as i64;
    totals.events += r.events.len() as i64;
    // The same page crawled again under another id (same URL, same text) replaces it too.
    if let Some(url) = &r.url {
        let others: Vec<String> = {
            let mut st = tx.prepare_cached("SELECT id FROM articles WHERE url = ?1 AND text_hash = ?2")?;
            let ids = st
                .query_map(params![url, hash], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            ids
        };
        for id in others {
            delete_article(tx, &id, &mut keys, totals)?;
        }
    }
    tx.prepare_cached(
        "INSERT INTO articles (id, published, title, url, source, chars, record, text_hash)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
    )?
    .execute(params![
        r.id,
        r.published,
        r.title,
        r.url,
        r.source,
        p.chars(),
        p.json(),
        hash
    ])?;
    let article_row = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?
        .execute(params![article_row, r.title, r.text])?;
    let mut ent = tx.prepare_cached(
        "INSERT INTO entities (article_id, entity_id, name, type, country, sector, code, title, lat, lon, admin1, mentions)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    )?;
    for e in &r.entities {
        let a = e.actor.as_ref();
        ent.execute(params![
            r.id,
            e.id,
            e.name,
            e.kind,
            a.and_then(|a| a.country.as_deref()),
            a.and_then(|a| a.sector.as_deref()),
            a.and_then(|a| a.code.as_deref()),
            e.title,
            e.geo.as_ref().map(|g| g.lat),
            e.geo.as_ref().map(|g| g.lon),
            e.geo.as_ref().and_then(|g| g.admin1.as_deref()),
            e.mentions.len() as i64,
        ])?;
    }
    let mut q = tx.prepare_cached(
        "INSERT INTO quotes (article_id, quote_id, start, end, content, kind, speaker, speaker_text, cue)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    )?;
    let mut qf =
        tx.prepare_cached("INSERT INTO quotes_fts (rowid, content, speaker_text) VALUES (?1, ?2, ?3)")?;
    for x in &r.quotes {
        q.execute(params![
            r.id,
            x.id,
            x.start,
            x.end,
            x.content,
            x.kind,
            x.speaker,
            x.speaker_text,
            x.cue
        ])?;
        let quote_row = tx.last_insert_rowid();
        qf.execute(params![quote_row, x.content, x.speaker_text])?;
    }
    let mut ev = tx.prepare_cached(
        "INSERT INTO events (article_id, event_id, cameo, root, quad, goldstein, plover, plover_mode,
            source_code, source_text, source_entity, target_code, target_text, target_entity, modality,
            date, date_text, location, country, admin1, lat, lon, killed, wounded,
            sentence_start, sentence_end, sentence, date_basis, location_precision, location_basis, mentions,
            confidence, reporter_code, reporter_text, reporter_entity)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30,?31,?32,?33,?34,?35)",
    )?;
    for e in &r.events {
        let sentence: String = r
            .text
            .chars()
            .skip(e.sentence[0] as usize)
            .take(e.sentence[1].saturating_sub(e.sentence[0]) as usize)
            .collect();
        let loc = e.location.as_ref();
        ev.execute(params![
            r.id,
            e.id,
            e.cameo,
            e.root,
            e.quad,
            e.goldstein as f64,
            e.plover.kind,
            e.plover.mode,
            e.source.as_ref().and_then(|p| p.code.as_deref()),
            e.source.as_ref().map(|p| p.text.as_str()),
            e.source.as_ref().and_then(|p| p.entity.as_deref()),
            e.target.as_ref().and_then(|p| p.code.as_deref()),
            e.target.as_ref().map(|p| p.text.as_str()),
            e.target.as_ref().and_then(|p| p.entity.as_deref()),
            e.modality,
            e.date,
            e.date_text,
            loc.map(|l| l.name.as_str()),
            loc.and_then(|l| l.country.as_deref()),
            loc.and_then(|l| l.admin1.as_deref()),
            loc.map(|l| l.lat),
            loc.map(|l| l.lon),
            e.killed,
            e.wounded,
            e.sentence[0],
            e.sentence[1],
            sentence,
            e.date_basis,
            loc.and_then(|l| l.precision.as_deref()),
            loc.and_then(|l| l.basis.as_deref()),
            e.evidence.len().max(1) as i64,
            e.confidence.map(|c| (f64::from(c) * 100.0).round() / 100.0),
            e.reporter.as_ref().and_then(|p| p.code.as_deref()),
            e.reporter.as_ref().map(|p| p.text.as_str()),
            e.reporter.as_ref().and_then(|p| p.entity.as_deref()),
        ])?;
    }
    let mut t = tx.prepare_cached(
        "INSERT INTO timexes (article_id, start, end, text, type, value) VALUES (?1,?2,?3,?4,?5,?6)",
    )?;
    for x in &r.timexes {
        t.execute(params![r.id, x.start, x.end, x.text, x.kind, x.value])?;
    }
    // Clusters the replaced versions were in are recounted from their events (rare: a
    // re-ingest); the new article's own clusters grow by its contribution, so a report
    // joining a cluster of a thousand costs the same as one starting a cluster.
    keys.sort_unstable();
    keys.dedup();
    let mut gone = tx.prepare_cached("DELETE FROM clusters WHERE key = ?1")?;
    let mut refresh = tx.prepare_cached(REFRESH_CLUSTER_SQL)?;
    if !r.events.is_empty() {
        let mine: Vec<(String, i64, i64)> = tx
            .prepare_cached(
                "SELECT cluster_key, sum(mentions), min(rowid) FROM events
                 WHERE article_id = ?1 AND cluster_key IS NOT NULL GROUP BY cluster_key",
            )?
            .query_map([&r.id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut grow = tx.prepare_cached(ADD_TO_CLUSTER_SQL)?;
        for (key, mentions, first) in mine {
            if keys.binary_search(&key).is_err() {
                grow.execute(params![
                    key,
                    mentions,
                    first,
                    r.id,
                    r.source.as_deref().unwrap_or(&r.id)
                ])?;
            }
        }
    }
    for k in &keys {
        gone.execute([k])?;
        refresh.execute([k])?;
    }
    Ok(())
}
