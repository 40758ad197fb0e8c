//! The watch ledger's interface and types: what `chronicle watch` keeps between cycles in
//! the store itself (per source its validators and backoff, per link its state and content
//! hash, watchlists and their deliveries), so a killed watcher resumes where it stopped and
//! a second cycle repeats nothing. SQLite (`chronicle_store`) and PostgreSQL
//! (`chronicle_pgstore`) implement [`WatchLedger`] with the same meaning.

use std::collections::BTreeMap;

use crate::{EventFilter, FilterError, StoreError};

/// What the ledger's methods give: the store API's one error.
type WatchResult<T> = std::result::Result<T, StoreError>;

/// A followed source (feed or sitemap) between cycles.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SourceState {
    pub url: String,
    pub name: Option<String>,
    /// The validators of its last 200 answer, sent back as If-None-Match and
    /// If-Modified-Since.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// RFC 3339, UTC.
    pub last_attempt: Option<String>,
    pub last_success: Option<String>,
    /// The reason of the last failure (cleared by a success).
    pub last_error: Option<String>,
    /// Failures in a row (0 after a success): the backoff grows with it.
    pub errors: u32,
    /// Not fetched again before this (RFC 3339): a failed source's backoff.
    pub next_attempt: Option<String>,
    /// Links found in it over all cycles (new ones only).
    pub links: u64,
}

/// Where a link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkStatus {
    /// Found, not yet fetched (or to be retried).
    Pending,
    /// Fetched and stored as an article.
    Stored,
    /// Fetched again after its entry changed, same content as stored: not stored again.
    Unchanged,
    /// Its content is already stored under another link.
    Duplicate,
    /// Not fetched (robots.txt forbids it) or not an article (no text).
    Skipped,
    /// Failed more often than the watcher retries.
    Failed,
}

impl LinkStatus {
    pub const ALL: [LinkStatus; 6] = [
        LinkStatus::Pending,
        LinkStatus::Stored,
        LinkStatus::Unchanged,
        LinkStatus::Duplicate,
        LinkStatus::Skipped,
        LinkStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Pending => "pending",
            LinkStatus::Stored => "stored",
            LinkStatus::Unchanged => "unchanged",
            LinkStatus::Duplicate => "duplicate",
            LinkStatus::Skipped => "skipped",
            LinkStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<LinkStatus> {
        LinkStatus::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// A link found in a source, as it waits to be fetched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Link {
    /// The article URL (canonical: no fragment, no tracking parameters).
    pub url: String,
    /// The source URL it was found in.
    pub source: String,
    pub title: Option<String>,
    /// The entry's publication time (RFC 3339), if it gave one.
    pub published: Option<String>,
    /// The entry's update time (RFC 3339): a stored link whose entry is updated later is
    /// fetched again (and stored only if its content changed).
    pub updated: Option<String>,
    /// The article's full HTML when the feed carries it (then the page is not fetched).
    pub content: Option<String>,
    /// Fetches tried so far.
    pub attempts: u32,
}

/// What became of a fetched link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkOutcome {
    pub url: String,
    pub status: LinkStatus,
    /// The hash of the article text (stored, unchanged and duplicate links).
    pub content_hash: Option<String>,
    /// The article id it was stored as.
    pub article_id: Option<String>,
    /// Why it failed or was skipped.
    pub error: Option<String>,
    /// For a `Pending` outcome (a failure to retry): not before this (RFC 3339).
    pub retry_at: Option<String>,
}

/// A saved query whose new matching events are delivered.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Watchlist {
    pub name: String,
    /// The event filter as the API's query parameters (`place=UKR`, `cameo=19`); read with
    /// [`EventFilter::set_param`], so it means what `query events` means.
    pub filter: BTreeMap<String, String>,
    /// A JSONL file each new event is appended to.
    pub jsonl: Option<String>,
    /// A URL each new event is POSTed to as JSON.
    pub webhook: Option<String>,
    /// RFC 3339.
    pub created: String,
    /// Events up to this report number were matched already (at creation: the last event
    /// stored then, so a watchlist delivers what comes after it).
    pub cursor: i64,
}

impl Watchlist {
    /// The event filter this watchlist means.
    pub fn event_filter(&self) -> std::result::Result<EventFilter, FilterError> {
        EventFilter::from_params(self.filter.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

/// Where a delivery goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Jsonl,
    Webhook,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Jsonl => "jsonl",
            Channel::Webhook => "webhook",
        }
    }
    /// Reads a stored channel name (`webhook`; anything else is `jsonl`).
    pub fn parse(s: &str) -> Channel {
        if s == "webhook" {
            Channel::Webhook
        } else {
            Channel::Jsonl
        }
    }
}

/// One event to deliver to one channel of one watchlist.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Delivery {
    /// The ledger's number for it: the `delivery_id` receivers can de-duplicate on.
    pub id: i64,
    pub watchlist: String,
    pub channel: Channel,
    pub article_id: String,
    pub event_id: String,
    pub event_global_id: i64,
    /// The JSON delivered (the event with its evidence sentence and article URL), fixed
    /// when the event matched.
    pub payload: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// RFC 3339, once delivered.
    pub delivered: Option<String>,
}

/// Counts for `status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DeliveryCounts {
    pub watchlist: String,
    pub channel: String,
    pub delivered: u64,
    pub pending: u64,
    /// Pending deliveries that failed at least once, and the last reason.
    pub failing: u64,
    pub last_error: Option<String>,
}

/// What `watch` keeps between cycles (see the module). SQLite's `Store` and
/// PostgreSQL's `PgStore` implement it with the same meaning.
pub trait WatchLedger {
    fn source_state(&mut self, url: &str) -> WatchResult<Option<SourceState>>;
    fn save_source(&mut self, s: &SourceState) -> WatchResult<()>;
    fn source_states(&mut self) -> WatchResult<Vec<SourceState>>;
    /// Adds links not seen before as pending (returns how many); a stored link whose
    /// entry says it was updated after the stored version is set pending again.
    fn add_links(&mut self, links: &[Link]) -> WatchResult<usize>;
    /// Pending links due at `now` (RFC 3339), oldest first.
    fn due_links(&mut self, now: &str, limit: u64) -> WatchResult<Vec<Link>>;
    fn finish_links(&mut self, done: &[LinkOutcome], now: &str) -> WatchResult<()>;
    /// The link already stored with this content hash, if any.
    fn stored_with_hash(&mut self, hash: &str) -> WatchResult<Option<String>>;
    /// Links per status.
    fn link_counts(&mut self) -> WatchResult<Vec<(LinkStatus, u64)>>;

    /// Adds a watchlist; its cursor is set to the last event stored now. Refused when the
    /// name is taken.
    fn add_watchlist(&mut self, w: &Watchlist) -> WatchResult<Watchlist>;
    fn watchlists(&mut self) -> WatchResult<Vec<Watchlist>>;
    /// Removes a watchlist and its pending deliveries; false when there was none.
    fn remove_watchlist(&mut self, name: &str) -> WatchResult<bool>;
    /// Queues deliveries (payload per channel) for events matched by `watchlist` and moves
    /// its cursor to `cursor`, in one transaction; a (watchlist, channel, article, event)
    /// queued before is not queued again. Returns how many were queued.
    fn queue_deliveries(
        &mut self,
        watchlist: &str,
        rows: &[(Channel, String, String, i64, String)],
        cursor: i64,
        now: &str,
    ) -> WatchResult<usize>;
    /// Undelivered deliveries due at `now`, oldest first.
    fn due_deliveries(&mut self, now: &str, limit: u64) -> WatchResult<Vec<Delivery>>;
    /// Undelivered deliveries tried before (for a JSONL file: the ones a crash may have
    /// written without marking).
    fn tried_deliveries(&mut self, watchlist: &str, channel: Channel) -> WatchResult<Vec<i64>>;
    /// Marks a delivery done (`Ok`) or failed with its reason and the time of the next try.
    fn finish_delivery(
        &mut self,
        id: i64,
        outcome: std::result::Result<(), (String, String)>,
        now: &str,
    ) -> WatchResult<()>;
    fn delivery_counts(&mut self) -> WatchResult<Vec<DeliveryCounts>>;
    /// The newest event's report number (0 when there is none).
    fn last_event_id(&mut self) -> WatchResult<i64>;
}

/// Now, as the ledger writes times: RFC 3339 in UTC to the second (`...Z`), which sorts
/// as text.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
