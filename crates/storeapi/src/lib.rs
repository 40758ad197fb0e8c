//! Chronicle's store API: the [`RecordStore`] and [`WatchLedger`] traits, the rows they
//! give back, the filters that select them (one definition of each parameter, from which
//! the CLI's flags, the HTTP API's parameters, its OpenAPI description and the Python
//! keyword arguments come) and the dialect SQL that makes a filter mean the same on every
//! database.
//!
//! The backends are siblings that depend on this crate and on nothing of each other's:
//! `chronicle-store` (SQLite, the embedded default) and `chronicle-pgstore` (PostgreSQL,
//! many machines). Each implements the traits' methods itself.

mod actors;
mod dialect;
mod error;
mod filter;
mod prepared;
mod record_store;
mod rows;
mod views;
mod watch;

pub use actors::{code_label, group_actors, ActorName, ActorTotal, ACTOR_NAMES};
pub use dialect::{event_selection_for, page_clause, Dialect};
pub use error::{AnyError, Result, StoreError};
pub use filter::{
    modality_allowed, parse_bbox, parse_confidence, parse_count, plover_allowed, EventFilter, FilterError,
    Param, ParamKind, QuoteFilter, BBOX_ALLOWED, BOOL_ALLOWED, CAMEO_ALLOWED, CONFIDENCE_ALLOWED,
    COUNT_ALLOWED, DATE_ALLOWED,
};
pub use prepared::{text_hash, Prepared};
pub use record_store::RecordStore;
pub use rows::{ActorRow, Counts, EventRow, QuoteRow, RunLog, RunReason, RUN_EXAMPLES, RUN_REASONS};
pub use views::{
    network_of, places_of, Aggregate, ArticleRef, ArticleRow, EventFact, Network, NetworkEdge, NetworkNode,
    PlaceRow, QuadCounts, EVENT_FACT_COLUMNS, PLACE_ARTICLES,
};
pub use watch::{
    now_rfc3339, Channel, Delivery, DeliveryCounts, Link, LinkOutcome, LinkStatus, SourceState, WatchLedger,
    Watchlist,
};
