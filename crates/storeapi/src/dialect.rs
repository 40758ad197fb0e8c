//! Event selection: an [`EventFilter`] as a rowid query on the events table alone, in
//! SQLite's or PostgreSQL's dialect, so a page stops after `limit` rows.

use crate::EventFilter;

/// The SQL a store speaks, for [`event_selection_for`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    /// `$N` parameters, `id` for SQLite's rowid, `ILIKE` for SQLite's ASCII
    /// case-insensitive `LIKE`, `LIMIT ALL`.
    Postgres,
}

/// The events `f` selects (`event_selection`) in `dialect`: the query text (its parameters all bound as text)
/// and the values, in order. Every backend selects with the same filters this way, so a
/// filter means the same on SQLite and PostgreSQL.
pub fn event_selection_for(f: &EventFilter, dialect: Dialect) -> (String, Vec<String>) {
    let (sql, args) = event_selection(f);
    match dialect {
        Dialect::Sqlite => (sql, args),
        Dialect::Postgres => {
            let mut out = String::with_capacity(sql.len() + 16);
            let mut chars = sql.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '?' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                    out.push('$');
                } else {
                    out.push(c);
                }
            }
            let out = out
                .replace("rowid", "id")
                .replace(" LIKE ", " ILIKE ")
                .replace("LIMIT -1", "LIMIT ALL");
            (out, args)
        }
    }
}

/// The rowids of the events `f` selects, in ingest order, paged by its `limit` and
/// `offset`: a query on the events table alone (and its bound values), for
/// a store's `events` to join and for the aggregate views to read.
pub(crate) fn event_selection(f: &EventFilter) -> (String, Vec<String>) {
    // The filters, each `AND ...`, on `events e` alone.
    let mut sql = String::new();
    let mut args: Vec<String> = Vec::new();
    // Appends `clause` with its one `?` bound to `v`.
    fn add(sql: &mut String, clause: &str, v: String, args: &mut Vec<String>) {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    }
    let mut either_side = None;
    if let Some(a) = &f.actor {
        match actor_code(a) {
            Some(code) => {
                either_side = Some((
                    side_condition("source", code, &mut args),
                    side_condition("target", code, &mut args),
                ));
            }
            None => {
                add(
                    &mut sql,
                    " AND (e.source_text LIKE ? ",
                    format!("%{a}%"),
                    &mut args,
                );
                add(&mut sql, " OR e.target_text LIKE ?)", format!("%{a}%"), &mut args);
            }
        }
    }
    for (side, value) in [("source", &f.source), ("target", &f.target)] {
        let Some(v) = value else { continue };
        match actor_code(v) {
            Some(code) => {
                let cond = side_condition(side, code, &mut args);
                sql.push_str(&format!(" AND {cond}"));
            }
            None => add(
                &mut sql,
                &format!(" AND e.{side}_text LIKE ?"),
                format!("%{v}%"),
                &mut args,
            ),
        }
    }
    if let Some([west, south, east, north]) = f.bbox {
        for (clause, v) in [
            // Bound as text like every value here, read as a number in the query.
            (" AND e.lon >= CAST(CAST(? AS TEXT) AS REAL)", west),
            (" AND e.lat >= CAST(CAST(? AS TEXT) AS REAL)", south),
            (" AND e.lon <= CAST(CAST(? AS TEXT) AS REAL)", east),
            (" AND e.lat <= CAST(CAST(? AS TEXT) AS REAL)", north),
        ] {
            add(&mut sql, clause, v.to_string(), &mut args);
        }
    }
    if let Some(c) = &f.cameo {
        // A root ("19") is a column of its own, indexed with the date; a longer code a
        // prefix range, which an index can serve where `LIKE` cannot.
        if c.len() == 2 {
            add(&mut sql, " AND e.root = ?", c.clone(), &mut args);
        } else {
            add(&mut sql, " AND e.cameo >= ?", c.clone(), &mut args);
            add(&mut sql, " AND e.cameo < ?", format!("{c}~"), &mut args);
        }
    }
    if let Some(p) = &f.plover {
        add(&mut sql, " AND e.plover = ?", p.to_uppercase(), &mut args);
    }
    if let Some(m) = &f.modality {
        // Stored lower case, as the contract writes it; a filter may capitalise.
        add(&mut sql, " AND e.modality = ?", m.to_lowercase(), &mut args);
    }
    if let Some(s) = &f.since {
        add(&mut sql, " AND e.date >= ?", s.clone(), &mut args);
    }
    if let Some(u) = &f.until {
        // Every date starting with `u` sorts before `u` + '~' ("2025-12-31T..",
        // "2025-12"), and a coarser one ("2025") too, as an index range.
        add(&mut sql, " AND e.date < ?", format!("{u}~"), &mut args);
    }
    if let Some(a) = &f.article {
        add(&mut sql, " AND e.article_id = ?", a.clone(), &mut args);
    }
    if let Some(c) = f.min_confidence {
        // Bound as text like every value here, read as a number in the query.
        add(
            &mut sql,
            " AND e.confidence >= CAST(CAST(? AS TEXT) AS DOUBLE PRECISION)",
            c.to_string(),
            &mut args,
        );
    }
    if let Some(after) = f.after {
        add(
            &mut sql,
            " AND e.rowid > CAST(CAST(? AS TEXT) AS BIGINT)",
            after.to_string(),
            &mut args,
        );
    }
    if let Some(p) = &f.place {
        if p.len() == 3 && p.bytes().all(|b| b.is_ascii_uppercase()) {
            add(&mut sql, " AND e.country = ?", p.clone(), &mut args);
        } else {
            add(&mut sql, " AND (e.location LIKE ? ", format!("%{p}%"), &mut args);
            add(&mut sql, " OR e.admin1 LIKE ?)", format!("%{p}%"), &mut args);
        }
    }
    if f.clustered {
        // The first report stored stands for its cluster.
        sql.push_str(
                " AND (e.cluster_key IS NULL OR e.rowid = (SELECT first FROM clusters WHERE key = e.cluster_key))",
            );
    }
    // The page is chosen on the events table alone (skipped rows are never joined), and
    // then joined. Events are written right after their article, so rowid order is
    // ingest order, an order the table itself gives: `LIMIT` stops early, no sort.
    let page = page_clause(f.limit, f.offset);
    let inner = match either_side {
        // An actor on either side: each side's index gives its matches in rowid order;
        // the first `limit + offset` of each, merged, hold the page (a union of all
        // matches first would build a set of every event the actor is in).
        Some((s_cond, t_cond)) => {
            let first = f
                .limit
                .map(|l| {
                    format!(
                        " LIMIT {}",
                        l.saturating_add(f.offset.unwrap_or(0)).min(i64::MAX as u64)
                    )
                })
                .unwrap_or_default();
            format!(
                    "SELECT r FROM (SELECT e.rowid AS r FROM events e WHERE {s_cond}{sql} ORDER BY e.rowid{first}) AS s
                     UNION SELECT r FROM (SELECT e.rowid AS r FROM events e WHERE {t_cond}{sql} ORDER BY e.rowid{first}) AS t
                     ORDER BY r{page}"
                )
        }
        None => format!("SELECT e.rowid FROM events e WHERE 1=1{sql} ORDER BY e.rowid{page}"),
    };
    (inner, args)
}

/// An actor filter that is a CAMEO code (three or more capitals), else `None` (a name).
/// Three letters name a country (any sector), six or more one code exactly ("RUSGOV"),
/// four or five a code prefix.
pub(crate) fn actor_code(v: &str) -> Option<&str> {
    (v.len() >= 3 && v.bytes().all(|b| b.is_ascii_uppercase())).then_some(v)
}

/// The indexed condition for actor `code` on one side of an event (`source`/`target`):
/// a country (3 letters) by its generated column, a longer code as a prefix range.
pub(crate) fn side_condition(side: &str, code: &str, args: &mut Vec<String>) -> String {
    if code.len() == 3 {
        args.push(code.to_string());
        format!("{side}_country = ?{}", args.len())
    } else if code.len() >= 6 {
        // A whole code (country + sector): equality, whose index rows come in rowid order.
        args.push(code.to_string());
        format!("{side}_code = ?{}", args.len())
    } else {
        args.push(code.to_string());
        args.push(format!("{code}~"));
        format!(
            "({side}_code >= ?{} AND {side}_code < ?{})",
            args.len() - 1,
            args.len()
        )
    }
}

/// `LIMIT`/`OFFSET` for a page. SQLite takes integers up to `i64::MAX` there (a larger
/// literal is a real and an error), so larger values are clamped: no table is that long.
pub fn page_clause(limit: Option<u64>, offset: Option<u64>) -> String {
    let clamp = |n: u64| n.min(i64::MAX as u64);
    match (limit.map(clamp), offset.map(clamp)) {
        (Some(l), Some(o)) => format!(" LIMIT {l} OFFSET {o}"),
        (Some(l), None) => format!(" LIMIT {l}"),
        (None, Some(o)) => format!(" LIMIT -1 OFFSET {o}"),
        (None, None) => String::new(),
    }
}
