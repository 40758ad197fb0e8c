//! Live monitoring: `chronicle watch` follows RSS/Atom/JSON feeds and sitemaps over
//! HTTP(S) and stores each new article once; watchlists deliver each new matching event
//! once.
//!
//! - [`sources`]: the sources file (`URL [name] [#tag ...]` a line);
//! - [`fetch`]: the polite HTTP client (robots.txt, a per-host concurrency cap and delay,
//!   conditional requests, redirects, gzip/brotli, timeouts, retries with backoff);
//! - [`links`]: what a feed or sitemap lists, as canonical article links;
//! - [`cycle`]: one cycle over the sources, resumable from the store's watch ledger;
//! - [`alerts`]: watchlist matching and delivery (JSONL file, webhook).
//!
//! The crate knows the store only through `chronicle_storeapi::WatchLedger` (and
//! `RecordStore` for matching events): SQLite and PostgreSQL alike. What becomes of a
//! fetched article (extracted and stored here, or queued for workers) is the caller's
//! `prepare` and `write`.

pub mod alerts;
pub mod cycle;
pub mod fetch;
pub mod links;
pub mod sources;

pub use alerts::{deliver, match_watchlists, AlertReport};
pub use cycle::{CycleReport, Prepared, SourceOutcome, WatchError, WatchOptions, Watcher};
pub use fetch::{FetchError, FetchOptions, Fetcher};
pub use sources::{parse_sources, Source, SourceLineError};
