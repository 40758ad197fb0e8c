//! [`RecordStore`] on SQLite: each of the trait's methods is the store's own.

use chronicle_record::Record;
use rusqlite::{params, OptionalExtension};

use super::*;

impl RecordStore for Store {
    fn put_prepared(&mut self, records: &[Prepared]) -> Result<usize> {
        self.write(|tx, totals| {
            let mut n = 0;
            for p in records {
                put_in(tx, p, totals)?;
                n += 1;
            }
            Ok(n)
        })
    }

    fn get(&mut self, id: &str) -> Result<Option<Record>> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT record FROM articles WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        json.map(|j| {
            serde_json::from_str(&j).map_err(|source| StoreError::Corrupt {
                id: id.into(),
                source,
            })
        })
        .transpose()
    }

    fn ids(&mut self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare("SELECT id FROM articles ORDER BY rowid")?;
        let ids = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    fn for_each_record(&mut self, f: &mut dyn FnMut(Record)) -> Result<()> {
        let mut st = self
            .conn
            .prepare("SELECT id, record FROM articles ORDER BY rowid")?;
        let mut rows = st.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let json: String = row.get(1)?;
            let rec = serde_json::from_str(&json).map_err(|source| StoreError::Corrupt { id, source })?;
            f(rec);
        }
        Ok(())
    }

    fn counts(&mut self) -> Result<Counts> {
        let c = |t: &str| -> Result<u64> {
            let n: Option<i64> = self
                .conn
                .query_row("SELECT n FROM totals WHERE name = ?1", [t], |r| r.get(0))
                .optional()?;
            Ok(n.unwrap_or(0).max(0) as u64)
        };
        Ok(Counts {
            articles: c("articles")?,
            entities: c("entities")?,
            quotes: c("quotes")?,
            events: c("events")?,
        })
    }

    fn events(&mut self, f: &EventFilter) -> Result<Vec<EventRow>> {
        let head = "SELECT e.article_id, e.event_id, a.published, a.url, e.cameo, e.root, e.quad, e.goldstein,
                    e.plover, e.plover_mode, e.source_code, e.source_text, e.target_code, e.target_text,
                    e.modality, e.date, e.location, e.country, e.admin1, e.lat, e.lon, e.killed, e.wounded,
                    e.sentence,
                    coalesce(c.mentions, e.mentions), coalesce(c.sources, 1), coalesce(c.articles, 1), e.cluster_key,
                    e.rowid, coalesce(c.first, e.rowid), a.source, a.ingested_at, e.confidence,
                    e.reporter_code, e.reporter_text
             FROM events e JOIN articles a ON a.id = e.article_id
             LEFT JOIN clusters c ON c.key = e.cluster_key
             WHERE e.rowid IN (";
        let (inner, args) = event_selection_for(f, Dialect::Sqlite);
        let sql = format!("{head}{inner}) ORDER BY e.rowid");
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok(EventRow {
                    article_id: r.get(0)?,
                    event_id: r.get(1)?,
                    published: r.get(2)?,
                    url: r.get(3)?,
                    cameo: r.get(4)?,
                    root: r.get(5)?,
                    quad: r.get(6)?,
                    goldstein: r.get(7)?,
                    plover: r.get(8)?,
                    plover_mode: r.get(9)?,
                    source_code: r.get(10)?,
                    source_text: r.get(11)?,
                    target_code: r.get(12)?,
                    target_text: r.get(13)?,
                    modality: r.get(14)?,
                    date: r.get(15)?,
                    location: r.get(16)?,
                    country: r.get(17)?,
                    admin1: r.get(18)?,
                    lat: r.get(19)?,
                    lon: r.get(20)?,
                    killed: r.get(21)?,
                    wounded: r.get(22)?,
                    sentence: r.get(23)?,
                    num_mentions: r.get(24)?,
                    num_sources: r.get(25)?,
                    num_articles: r.get(26)?,
                    cluster: r.get(27)?,
                    global_id: r.get(28)?,
                    event_global_id: r.get(29)?,
                    source: r.get(30)?,
                    ingested: r.get(31)?,
                    confidence: r.get(32)?,
                    reporter_code: r.get(33)?,
                    reporter_text: r.get(34)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn quotes(&mut self, f: &QuoteFilter) -> Result<Vec<QuoteRow>> {
        let mut sql = String::from(
            "SELECT q.article_id, q.quote_id, a.published, q.kind, q.speaker_text, q.cue, q.content
             FROM quotes q JOIN articles a ON a.id = q.article_id WHERE 1=1",
        );
        let mut args: Vec<String> = Vec::new();
        if let Some(s) = &f.speaker {
            args.push(format!("%{s}%"));
            sql.push_str(&format!(" AND q.speaker_text LIKE ?{}", args.len()));
        }
        if let Some(t) = &f.text {
            args.push(format!("%{t}%"));
            sql.push_str(&format!(" AND q.content LIKE ?{}", args.len()));
        }
        if let Some(a) = &f.article {
            args.push(a.clone());
            sql.push_str(&format!(" AND q.article_id = ?{}", args.len()));
        }
        sql.push_str(" ORDER BY a.rowid, q.start");
        sql.push_str(&page_clause(f.limit, f.offset));
        let mut st = self.conn.prepare(&sql)?;
        let rows = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok(QuoteRow {
                    article_id: r.get(0)?,
                    quote_id: r.get(1)?,
                    published: r.get(2)?,
                    kind: r.get(3)?,
                    speaker: r.get(4)?,
                    cue: r.get(5)?,
                    content: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn actors(&mut self, name: Option<&str>, limit: Option<u64>) -> Result<Vec<ActorRow>> {
        let pattern = name.map(|n| format!("%{n}%"));
        let keep = if pattern.is_some() {
            " AND code IN (SELECT code FROM entities WHERE code IS NOT NULL AND (name LIKE ?1 OR code LIKE ?1))"
        } else {
            ""
        };
        let args: Vec<&String> = pattern.iter().collect();
        let mut sql = format!(
            "SELECT code, COUNT(DISTINCT article_id), SUM(mentions) FROM entities
             WHERE code IS NOT NULL{keep} GROUP BY code ORDER BY SUM(mentions) DESC, code"
        );
        if let Some(l) = limit {
            sql.push_str(&format!(" LIMIT {l}"));
        }
        let mut st = self.conn.prepare(&sql)?;
        let totals = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok(ActorTotal {
                    code: r.get(0)?,
                    articles: r.get(1)?,
                    mentions: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let codes = serde_json::to_string(&totals.iter().map(|t| &t.code).collect::<Vec<_>>())
            .map_err(|e| StoreError::View(e.to_string()))?;
        let mut st = self.conn.prepare(
            "SELECT code, name, type, title, SUM(mentions) FROM entities
             WHERE code IN (SELECT value FROM json_each(?1))
             GROUP BY code, name, type, title",
        )?;
        let names = st
            .query_map([codes], |r| {
                Ok(ActorName {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    kind: r.get(2)?,
                    title: r.get(3)?,
                    mentions: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(group_actors(totals, names))
    }

    fn search(&mut self, query: &str, limit: u64) -> Result<Vec<(String, Option<String>, String)>> {
        let mut st = self.conn.prepare(
            "SELECT a.id, a.title, snippet(articles_fts, 1, '[', ']', ' … ', 12)
             FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
             WHERE articles_fts MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let rows = st
            .query_map(params![query, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn article_list(&mut self, limit: u64, offset: u64) -> Result<Vec<ArticleRow>> {
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

    fn network(&mut self, filter: &EventFilter, limit: u64, offset: u64) -> Result<Network> {
        Ok(network_of(self.all_events(filter)?, limit, offset))
    }

    fn places(&mut self, filter: &EventFilter, limit: u64, offset: u64) -> Result<Aggregate<PlaceRow>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT title FROM articles WHERE id = ?1")?;
        let mut title = |id: &str| -> std::result::Result<Option<String>, AnyError> {
            Ok(st
                .query_row([id], |r| r.get::<_, Option<String>>(0))
                .optional()?
                .flatten())
        };
        places_of(self.all_events(filter)?, limit, offset, &mut title).map_err(|e| {
            match e.downcast::<rusqlite::Error>() {
                Ok(e) => StoreError::from(*e),
                Err(e) => StoreError::View(e.to_string()),
            }
        })
    }

    fn add_run(&mut self, run: &RunLog) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO runs (command, started, finished, inputs, articles, rejected, reasons, exit_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                run.command,
                run.started,
                run.finished,
                run.inputs,
                run.articles.min(i64::MAX as u64) as i64,
                run.rejected.min(i64::MAX as u64) as i64,
                run.reasons_json(),
                run.exit_code
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn runs(&mut self, limit: u64) -> Result<Vec<RunLog>> {
        let mut st = self.conn.prepare(
            "SELECT id, command, started, finished, inputs, articles, rejected, reasons, exit_code
             FROM runs ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = st
            .query_map([limit.min(i64::MAX as u64) as i64], |r| {
                Ok(RunLog {
                    id: r.get(0)?,
                    command: r.get(1)?,
                    started: r.get(2)?,
                    finished: r.get(3)?,
                    inputs: r.get(4)?,
                    articles: r.get::<_, i64>(5)?.max(0) as u64,
                    rejected: r.get::<_, i64>(6)?.max(0) as u64,
                    reasons: RunLog::parse_reasons(&r.get::<_, String>(7)?),
                    exit_code: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
