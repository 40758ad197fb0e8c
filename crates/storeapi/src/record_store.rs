//! [`RecordStore`]: what every store backend does, with the same meaning.

use chronicle_record::Record;

use crate::{
    ActorRow, Aggregate, ArticleRow, Counts, EventFilter, EventRow, Network, PlaceRow, Prepared, QuoteFilter,
    QuoteRow, Result, RunLog,
};

/// What every store backend does, SQLite (`chronicle_store::Store`) and PostgreSQL
/// (`chronicle_pgstore::PgStore`), with the same meaning: write records (replacing earlier
/// versions, keeping cluster figures), read them back, count, and select events with an
/// [`EventFilter`] (rows and cluster figures equal between backends; the GDELT numbers and
/// the order are each store's own: storing order).
///
/// **These are the backends' own methods**, implemented in each backend's crate, not
/// forwarded to methods of other names: `store.events(&filter)` is the same call on a
/// `Store`, a `PgStore` and a `dyn RecordStore`.
pub trait RecordStore {
    /// Writes a batch of records in one transaction, each replacing the article's earlier
    /// version (the same id, or the same URL with the same text); returns how many.
    fn put_prepared(&mut self, batch: &[Prepared]) -> Result<usize>;
    /// The stored record of one article, exactly as extracted.
    fn get(&mut self, id: &str) -> Result<Option<Record>>;
    /// Article ids in storing order.
    fn ids(&mut self) -> Result<Vec<String>>;
    /// Calls `f` with every stored record in storing order, streaming (the store may be
    /// larger than memory).
    fn for_each_record(&mut self, f: &mut dyn FnMut(Record)) -> Result<()>;
    /// What the store holds.
    fn counts(&mut self) -> Result<Counts>;
    /// The events `f` selects, each joined with its article and its cluster's figures.
    fn events(&mut self, f: &EventFilter) -> Result<Vec<EventRow>>;
    /// The quotes `f` selects.
    fn quotes(&mut self, f: &QuoteFilter) -> Result<Vec<QuoteRow>>;
    /// Actors (entities with an actor code) aggregated by code, most mentioned first; `name`
    /// keeps the codes any of whose names (or the code itself) contain it. See
    /// [`group_actors`](crate::group_actors) for how each code is named.
    fn actors(&mut self, name: Option<&str>, limit: Option<u64>) -> Result<Vec<ActorRow>>;
    /// Full-text search: (id, title, snippet with hits in `[` `]`), best first. The query
    /// language is the backend's (SQLite FTS5; PostgreSQL `websearch_to_tsquery`).
    fn search(&mut self, q: &str, limit: u64) -> Result<Vec<(String, Option<String>, String)>>;
    /// Articles in storing order (offsets stay stable while ingest appends), with their
    /// titles and what was found in each: the UI's article list.
    fn article_list(&mut self, limit: u64, offset: u64) -> Result<Vec<ArticleRow>>;
    /// The events matching `f` (its own `limit` and `offset` are ignored) as an actor
    /// network: [`network_of`](crate::network_of) over them.
    fn network(&mut self, f: &EventFilter, limit: u64, offset: u64) -> Result<Network>;
    /// The events matching `f` (its own paging ignored) that have coordinates, grouped by
    /// place: [`places_of`](crate::places_of) over them.
    fn places(&mut self, f: &EventFilter, limit: u64, offset: u64) -> Result<Aggregate<PlaceRow>>;
    /// Keeps one finished run in the run log; returns the number the store gave it.
    fn add_run(&mut self, run: &RunLog) -> Result<i64>;
    /// The latest `limit` runs, newest first.
    fn runs(&mut self, limit: u64) -> Result<Vec<RunLog>>;
}
