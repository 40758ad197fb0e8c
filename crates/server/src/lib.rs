//! The HTTP API over a Chronicle store: what `chronicle serve` runs.
//!
//! Read-only JSON endpoints under `/api/` with the same filters as `chronicle query`, limit
//! and offset pagination, and an OpenAPI 3 description at `/openapi.json`; the web UI (a
//! single-page app over those endpoints, its files compiled in: [`assets`]) at `/`. Every request
//! opens the SQLite file read-side on a blocking thread (opening is cheap; SQLite in WAL mode
//! serves many readers while `ingest` writes), so a slow query never stalls the event loop.
//! `GET /api/watchlists` lists the saved queries `chronicle watch` delivers (the store's watch
//! ledger) and `GET /api/live` is a server-sent event stream that says when new events are
//! stored, so the UI's "new since you last looked" updates without reloading.
//! Errors come back as JSON `{"error": ...}` with a 4xx/5xx status, never as a dropped
//! connection, and never with a backtrace or an internal error's text (those go to the
//! server's log).
//!
//! Hardening (see [`Options`]): the server is read-only unless started with a write token,
//! and then only `POST /api/articles` writes, with `Authorization: Bearer TOKEN`; every
//! query has a time limit after which it is interrupted in the database; requests have
//! limits on URI and body size; pages are capped ([`MAX_LIMIT`], [`MAX_OFFSET`]);
//! connections are capped and must send their headers in time; CORS is off unless origins
//! are named; a handler that panics answers 500 and the server goes on.

pub mod assets;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chronicle_pgstore::PgStore;
use chronicle_store::{EventFilter, FilterError, ParamKind, QuoteFilter, RecordStore, Store, WatchLedger};
use serde_json::{json, Value};

/// Most rows one request returns; a larger `limit` is capped (ask again with `offset`).
pub const MAX_LIMIT: u64 = 1000;
/// Rows when the request names no `limit`.
pub const DEFAULT_LIMIT: u64 = 100;

/// The furthest a page may start (`offset`): paging deeper than this through one query is
/// a scan a filter should replace.
pub const MAX_OFFSET: u64 = 10_000_000;
/// The longest request target (path and query) served.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The largest body `POST /api/articles` takes.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// How the server may be used and how much one client may ask of it.
#[derive(Clone)]
pub struct Options {
    /// A query running longer is interrupted in the database and answered 503.
    pub query_timeout: Duration,
    /// Origins whose pages may call the API from a browser (CORS); empty: none (only the
    /// UI this server serves, same-origin).
    pub cors_origins: Vec<String>,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// A connection that has not sent a request's headers within this is closed.
    pub header_timeout: Duration,
    /// `None`: read-only. Otherwise `POST /api/articles` stores articles for a client
    /// that presents the token.
    pub write: Option<WriteAccess>,
    /// How often each `GET /api/live` stream asks the store whether new events came in
    /// (one cheap query per stream and interval; the store cannot tell us itself, since
    /// another process, `ingest` or `watch`, writes it).
    pub live_poll: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            query_timeout: Duration::from_secs(30),
            cors_origins: Vec::new(),
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            write: None,
            live_poll: Duration::from_secs(2),
        }
    }
}

/// The writing side, given only when the operator asks for it.
#[derive(Clone)]
pub struct WriteAccess {
    /// The bearer token a client must present.
    pub token: String,
    pub writer: Arc<dyn ArticleWriter>,
}

/// Extracts and stores articles sent to `POST /api/articles`. The server knows HTTP, not
/// the pipeline: the CLI gives it one of these.
pub trait ArticleWriter: Send + Sync + 'static {
    /// Stores the articles in `body` (the contract's input records: one JSON object, an
    /// array of them, or JSON lines), runs on a blocking thread. `Err` is a failure of
    /// the store, not of an article: bad articles are [`Written::rejected`].
    fn write(&self, body: &[u8]) -> Result<Written, String>;
}

/// What one `POST /api/articles` did.
#[derive(Debug, Default, serde::Serialize)]
pub struct Written {
    /// Ids of the articles stored (replacing any earlier record of the same id).
    pub stored: Vec<String>,
    /// Each article that was not stored, with where it was in the body and why.
    pub rejected: Vec<Rejected>,
}

/// An article of a write that was not stored.
#[derive(Debug, serde::Serialize)]
pub struct Rejected {
    /// `record N` (1-based) or the article's id.
    pub record: String,
    pub reason: String,
}

#[derive(Clone)]
struct App {
    /// A SQLite file's path, or a `postgres://` URL.
    db: Arc<String>,
    query_timeout: Duration,
    write: Option<WriteAccess>,
    live_poll: Duration,
}

/// An API error: a status and a message, or a query parameter the request cannot have.
enum ApiError {
    Plain(StatusCode, String),
    /// A 400 that names the parameter and what it takes, so a client can fix its request:
    /// `{"error": ..., "parameter": ..., "allowed": ...}`.
    Param(FilterError),
}

impl From<FilterError> for ApiError {
    fn from(e: FilterError) -> ApiError {
        ApiError::Param(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Plain(status, msg) => (status, Json(json!({"error": msg}))).into_response(),
            ApiError::Param(e) => (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": e.message(""), "parameter": e.field(), "allowed": e.allowed()})),
            )
                .into_response(),
        }
    }
}

type ApiResult = Result<Json<Value>, ApiError>;

/// A request's query parameters, in order. An empty value counts as absent (an HTML
/// form's empty field means "any", and the UI leaves such fields out anyway); a parameter
/// given twice is refused rather than one of its values silently picked. Each endpoint
/// then refuses a name it does not know ([`unknown`]), naming those it does.
struct Params(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::Plain(e.status(), e.body_text()))?;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            if !seen.insert(k.clone()) {
                return Err(ApiError::Plain(
                    StatusCode::BAD_REQUEST,
                    format!("{k}: given more than once; give it once"),
                ));
            }
            if !v.is_empty() {
                out.push((k, v));
            }
        }
        Ok(Params(out))
    }
}

/// The 400 for a parameter `name` that an endpoint taking `known` does not have.
fn unknown(name: &str, known: &[&'static str]) -> ApiError {
    ApiError::Param(FilterError::Unknown {
        name: name.to_string(),
        known: known.to_vec(),
    })
}

/// The permits for concurrent store queries.
fn db_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(2 * cores)
    })
}

/// The store one request runs on. Most endpoints need only its records
/// ([`Db::records`], the same on both backends, see [`with_store`]); the watchlists and the
/// live feed also read the watch ledger ([`Db::ledger`]).
enum Db<'a> {
    Sqlite(&'a mut Store),
    Postgres(&'a mut PgStore),
}

impl Db<'_> {
    fn records(&mut self) -> &mut dyn RecordStore {
        match self {
            Db::Sqlite(s) => &mut **s,
            Db::Postgres(p) => &mut **p,
        }
    }

    /// The watch ledger (watchlists, deliveries, the newest event's number), which both
    /// backends keep with the same meaning.
    fn ledger(&mut self) -> &mut dyn WatchLedger {
        match self {
            Db::Sqlite(s) => &mut **s,
            Db::Postgres(p) => &mut **p,
        }
    }
}

/// Runs `f` on the store's records, on a blocking thread, within the query time limit:
/// see [`with_db`].
async fn with_store<T: Send + 'static>(
    app: &App,
    f: impl FnOnce(&mut dyn RecordStore) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    with_db(app, move |mut db| f(db.records())).await
}

/// Runs `f` on the store, on a blocking thread, within the query time limit: past it the
/// query is interrupted (SQLite) or cancelled by the server (PostgreSQL's
/// `statement_timeout`) and the answer is 503.
async fn with_db<T: Send + 'static>(
    app: &App,
    f: impl FnOnce(Db<'_>) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let db = app.db.clone();
    let limit = app.query_timeout;
    let deadline = tokio::time::Instant::now() + limit;
    let too_long = move || {
        ApiError::Plain(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the query ran over the server's {} s limit; narrow its filters",
                limit.as_secs_f64()
            ),
        )
    };
    // At most a few queries run at once (twice the cores), each on a blocking thread so a
    // slow one (a name filter scanning a million events) never stalls the runtime's two
    // threads and every connection on them. More query threads would only contend for the
    // cores and SQLite's page-cache lock. (Running queries inline on the runtime threads
    // gave 15% more answers per second in the load bench but a worse p99 and no
    // isolation from slow queries; not taken.) Waiting for a permit counts in the limit.
    let _slot = tokio::time::timeout_at(deadline, db_slots().acquire())
        .await
        .map_err(|_| too_long())?
        .map_err(|e| internal(e.to_string()))?;
    // Set when the answer is no longer awaited: a query not yet started then never starts.
    let abandoned = Arc::new(AtomicBool::new(false));
    let (interrupt_tx, mut interrupt_rx) = tokio::sync::oneshot::channel();
    let gone = abandoned.clone();
    let mut job = tokio::task::spawn_blocking(move || {
        if gone.load(Ordering::Relaxed) {
            return Err(too_long());
        }
        if chronicle_pgstore::is_postgres_url(&db) {
            return with_postgres(&db, limit, f);
        }
        // This blocking-pool thread's kept read connection (see `Store::with_reader`).
        let mut answer = None;
        Store::with_reader(std::path::Path::new(db.as_str()), |store| {
            let _ = interrupt_tx.send(store.interrupt_handle());
            answer = Some(f(Db::Sqlite(store)));
            Ok(())
        })
        .map_err(|e| ApiError::Plain(StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?;
        answer.unwrap_or_else(|| Err(internal("the store gave no answer")))
    });
    match tokio::time::timeout_at(deadline, &mut job).await {
        Ok(done) => done.map_err(|e| internal(format!("query thread: {e}")))?,
        Err(_) => {
            abandoned.store(true, Ordering::Relaxed);
            if let Ok(handle) = interrupt_rx.try_recv() {
                handle.interrupt();
            }
            Err(too_long())
        }
    }
}

/// Runs `f` on this thread's kept connection to the PostgreSQL database at `url` (opened
/// on first use with the query time limit, dropped after an error so the next request
/// reconnects).
fn with_postgres<T>(
    url: &str,
    limit: Duration,
    f: impl FnOnce(Db<'_>) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static CONNECTIONS: RefCell<HashMap<String, PgStore>> = RefCell::new(HashMap::new());
    }
    let unavailable =
        |e: chronicle_pgstore::PgError| ApiError::Plain(StatusCode::SERVICE_UNAVAILABLE, e.to_string());
    let mut store = match CONNECTIONS.with(|c| c.borrow_mut().remove(url)) {
        Some(s) => s,
        None => {
            let mut s = PgStore::connect(url).map_err(unavailable)?;
            s.set_statement_timeout(limit).map_err(unavailable)?;
            s
        }
    };
    let out = f(Db::Postgres(&mut store));
    if out.is_ok() {
        CONNECTIONS.with(|c| c.borrow_mut().insert(url.to_string(), store));
    }
    out
}

/// A 500 whose detail goes to the server's log, not to the client.
fn internal(detail: impl std::fmt::Display) -> ApiError {
    eprintln!("chronicle serve: internal error: {detail}");
    ApiError::Plain(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal error (the server's log has the detail)".into(),
    )
}

/// A store error: a query the time limit interrupted is a 503 like any over-long query;
/// anything else is internal.
fn db_error(e: impl Into<chronicle_store::AnyError>) -> ApiError {
    let e: chronicle_store::AnyError = e.into();
    let interrupted = e
        .downcast_ref::<chronicle_store::StoreError>()
        .is_some_and(|e| e.is_interrupted())
        || e.downcast_ref::<chronicle_pgstore::PgError>()
            .is_some_and(|e| e.is_timeout());
    if interrupted {
        return ApiError::Plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "the query ran over the server's time limit; narrow its filters".into(),
        );
    }
    internal(e)
}

/// `limit` and `offset` of a request: the limit capped at [`MAX_LIMIT`], an offset past
/// [`MAX_OFFSET`] refused.
fn page(limit: Option<u64>, offset: Option<u64>) -> Result<(u64, u64), ApiError> {
    let offset = offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(ApiError::Plain(
            StatusCode::BAD_REQUEST,
            format!("offset: at most {MAX_OFFSET}; narrow the filters to reach later rows"),
        ));
    }
    Ok((limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT), offset))
}

/// The event filters of `/api/events`, also taken by `/api/network` and `/api/places` so the
/// three views of one query agree: parsed and checked by the store's own
/// [`EventFilter::set_param`] and [`EventFilter::validate`], as `chronicle query` checks its
/// flags. Returns the filter without paging, and the page asked for.
fn event_filter(params: &Params) -> Result<(EventFilter, (u64, u64)), ApiError> {
    let mut f = EventFilter::from_params(params.0.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let page = page(f.limit.take(), f.offset.take())?;
    Ok((f, page))
}

/// A page of events, serialised straight from the rows (the busiest endpoint: building a
/// `serde_json::Value` tree first was a third of its time).
#[derive(serde::Serialize)]
struct EventPage {
    limit: u64,
    offset: u64,
    count: usize,
    events: Vec<chronicle_store::EventRow>,
}

async fn events(State(app): State<App>, params: Params) -> Result<Json<EventPage>, ApiError> {
    let (f, (limit, offset)) = event_filter(&params)?;
    let f = EventFilter {
        limit: Some(limit),
        offset: Some(offset),
        ..f
    };
    let rows = with_store(&app, move |s| s.events(&f).map_err(db_error)).await?;
    Ok(Json(EventPage {
        limit,
        offset,
        count: rows.len(),
        events: rows,
    }))
}

/// `/api/network`: actor-pair edges with counts per quad class, under the event filters.
async fn network(State(app): State<App>, params: Params) -> ApiResult {
    let (f, (limit, offset)) = event_filter(&params)?;
    let n = with_store(&app, move |s| s.network(&f, limit, offset).map_err(db_error)).await?;
    Ok(Json(json!({
        "limit": limit, "offset": offset, "total": n.total, "count": n.edges.len(),
        "edges": n.edges, "nodes": n.nodes
    })))
}

/// `/api/places`: events with coordinates grouped by place, under the event filters.
async fn places(State(app): State<App>, params: Params) -> ApiResult {
    let (f, (limit, offset)) = event_filter(&params)?;
    let p = with_store(&app, move |s| s.places(&f, limit, offset).map_err(db_error)).await?;
    Ok(Json(json!({
        "limit": limit, "offset": offset, "total": p.total, "count": p.rows.len(), "places": p.rows
    })))
}

async fn quotes(State(app): State<App>, params: Params) -> ApiResult {
    let f = QuoteFilter::from_params(params.0.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let (limit, offset) = page(f.limit, f.offset)?;
    let f = QuoteFilter {
        limit: Some(limit),
        offset: Some(offset),
        ..f
    };
    let rows = with_store(&app, move |s| s.quotes(&f).map_err(db_error)).await?;
    Ok(Json(
        json!({"limit": limit, "offset": offset, "count": rows.len(), "quotes": rows}),
    ))
}

/// The parameters of `/api/actors`.
const ACTOR_PARAMS: [&str; 2] = ["name", "limit"];

async fn actors(State(app): State<App>, params: Params) -> ApiResult {
    let (mut name, mut limit) = (None, None);
    for (k, v) in params.0 {
        match k.as_str() {
            "name" => name = Some(v),
            "limit" => limit = Some(chronicle_store::parse_count("limit", &v)?),
            _ => return Err(unknown(&k, &ACTOR_PARAMS)),
        }
    }
    let (limit, _) = page(limit, None)?;
    let rows = with_store(&app, move |s| {
        s.actors(name.as_deref(), Some(limit)).map_err(db_error)
    })
    .await?;
    Ok(Json(json!({"limit": limit, "count": rows.len(), "actors": rows})))
}

/// The parameters of `GET /api/articles`.
const ARTICLE_PARAMS: [&str; 3] = ["q", "limit", "offset"];

async fn articles(State(app): State<App>, params: Params) -> ApiResult {
    let (mut q, mut limit, mut offset) = (None, None, None);
    for (k, v) in params.0 {
        match k.as_str() {
            "q" => q = Some(v),
            "limit" => limit = Some(chronicle_store::parse_count("limit", &v)?),
            "offset" => offset = Some(chronicle_store::parse_count("offset", &v)?),
            _ => return Err(unknown(&k, &ARTICLE_PARAMS)),
        }
    }
    let (limit, offset) = page(limit, offset)?;
    let found = with_store(&app, move |s| match q {
        Some(text) => s
            .search(&text, limit)
            .map(|rows| {
                rows.into_iter()
                    .map(|(id, title, snippet)| json!({"id": id, "title": title, "snippet": snippet}))
                    .collect::<Vec<_>>()
            })
            .map_err(|e| ApiError::Plain(StatusCode::BAD_REQUEST, format!("q: {e}"))),
        None => s
            .article_list(limit, offset)
            .map(|rows| rows.into_iter().map(|r| json!(r)).collect())
            .map_err(db_error),
    })
    .await?;
    Ok(Json(
        json!({"limit": limit, "offset": offset, "count": found.len(), "articles": found}),
    ))
}

async fn article(State(app): State<App>, Path(id): Path<String>) -> ApiResult {
    let missing = id.clone();
    let rec = with_store(&app, move |s| s.get(&id).map_err(db_error)).await?;
    match rec {
        Some(r) => serde_json::to_value(r)
            .map(Json)
            .map_err(|e| ApiError::Plain(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())),
        None => Err(ApiError::Plain(
            StatusCode::NOT_FOUND,
            format!("no article {missing:?}"),
        )),
    }
}

/// The text and syntax stages, built once per process (the syntax model loads on first
/// use); `Err` holds why they could not be built.
fn syntax_pass() -> Result<&'static chronicle_pipeline::SyntaxPass, ApiError> {
    static PASS: std::sync::OnceLock<Result<chronicle_pipeline::SyntaxPass, String>> =
        std::sync::OnceLock::new();
    PASS.get_or_init(|| chronicle_pipeline::SyntaxPass::new().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(internal)
}

/// `GET /api/articles/{id}/sentences/{n}/parse`: the dependency parse of sentence `n`
/// (1-based, in the record's `sentences` order). The store keeps no syntax, so the stored
/// text is parsed again (the text stage over the article, the syntax stage over that
/// sentence; deterministic) on the record's own sentence boundaries, off the runtime's
/// threads.
async fn sentence_parse(State(app): State<App>, Path((id, n)): Path<(String, String)>) -> ApiResult {
    let n: usize = n.parse().ok().filter(|&n| n >= 1).ok_or_else(|| {
        ApiError::Plain(
            StatusCode::BAD_REQUEST,
            format!("sentence {n:?}: give a sentence number from 1"),
        )
    })?;
    let missing = id.clone();
    let rec = with_store(&app, move |s| s.get(&id).map_err(db_error)).await?;
    let Some(rec) = rec else {
        return Err(ApiError::Plain(
            StatusCode::NOT_FOUND,
            format!("no article {missing:?}"),
        ));
    };
    if n > rec.sentences.len() {
        return Err(ApiError::Plain(
            StatusCode::NOT_FOUND,
            format!(
                "article {:?} has no sentence {n} (it has {})",
                rec.id,
                rec.sentences.len()
            ),
        ));
    }
    let job = tokio::task::spawn_blocking(move || -> Result<Value, ApiError> {
        let pass = syntax_pass()?;
        let span = rec.sentences[n - 1];
        let parsed = pass
            .sentence(&rec.id, &rec.text, &rec.sentences, n - 1)
            .unwrap_or_default();
        let text: String = rec
            .text
            .chars()
            .skip(span[0] as usize)
            .take(span[1].saturating_sub(span[0]) as usize)
            .collect();
        let tokens: Vec<Value> = parsed
            .into_iter()
            .enumerate()
            .map(|(k, t)| {
                json!({"id": k + 1, "text": t.text, "start": t.start, "end": t.end, "upos": t.upos,
                       "xpos": t.xpos, "lemma": t.lemma, "feats": t.feats, "head": t.head, "rel": t.rel,
                       "space_after": !t.no_space_after})
            })
            .collect();
        Ok(
            json!({"article": rec.id, "sentence": n, "start": span[0], "end": span[1],
                  "text": text, "tokens": tokens}),
        )
    });
    let answer = tokio::time::timeout(app.query_timeout, job)
        .await
        .map_err(|_| {
            ApiError::Plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "parsing the sentence ran over the server's time limit".into(),
            )
        })?
        .map_err(|e| internal(format!("parse thread: {e}")))??;
    Ok(Json(answer))
}

async fn stats(State(app): State<App>) -> ApiResult {
    let c = with_store(&app, |s| s.counts().map_err(db_error)).await?;
    Ok(Json(json!(c)))
}

/// `GET /api/watchlists`: the watchlists `chronicle watch` delivers, each with its filter
/// (the `/api/events` parameters it stands for), where it delivers, its cursor (events up
/// to this report number were matched already) and its deliveries per channel, plus the
/// newest event's number: what a client needs to ask `/api/events` for "new since" (the
/// filter with `after`) and to know whether anything is new at all.
async fn watchlists(State(app): State<App>) -> ApiResult {
    let (lists, counts, last) = with_db(&app, |mut db| {
        let ledger = db.ledger();
        let lists = ledger.watchlists().map_err(db_error)?;
        let counts = ledger.delivery_counts().map_err(db_error)?;
        let last = ledger.last_event_id().map_err(db_error)?;
        Ok((lists, counts, last))
    })
    .await?;
    let rows: Vec<Value> = lists
        .iter()
        .map(|w| {
            let deliveries: Vec<Value> = counts
                .iter()
                .filter(|c| c.watchlist == w.name)
                .map(|c| {
                    json!({"channel": c.channel, "delivered": c.delivered, "pending": c.pending,
                           "failing": c.failing, "last_error": c.last_error})
                })
                .collect();
            // A filter that no longer reads (hand-edited, or from a newer version) is
            // shown with the reason instead of failing the whole list.
            let filter_error = w.event_filter().err().map(|e| e.message(""));
            json!({"name": w.name, "filter": w.filter, "jsonl": w.jsonl, "webhook": w.webhook,
                   "created": w.created, "cursor": w.cursor, "deliveries": deliveries,
                   "filter_error": filter_error})
        })
        .collect();
    Ok(Json(
        json!({"last_event_id": last, "count": rows.len(), "watchlists": rows}),
    ))
}

/// `/api/live` streams open now in this process.
static LIVE_STREAMS: AtomicUsize = AtomicUsize::new(0);

/// How many `GET /api/live` streams are open now in this process: each holds a connection
/// and polls the store, so an operator (and the tests, which check a stream ends when its
/// client goes away) can see them.
pub fn live_streams() -> usize {
    LIVE_STREAMS.load(Ordering::Relaxed)
}

/// Counts one open `/api/live` stream for as long as it lives (dropped with the stream
/// when the client disconnects).
struct OpenStream;

impl OpenStream {
    fn new() -> OpenStream {
        LIVE_STREAMS.fetch_add(1, Ordering::Relaxed);
        OpenStream
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        LIVE_STREAMS.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The `update` event's data when the newest event's number is no longer `known`:
/// `{"last_event_id", "articles", "events"}`; `None` when it is still `known` (the counts
/// are only read then, so an idle poll is one `max` query).
async fn live_update(app: &App, known: Option<i64>) -> Result<Option<(i64, String)>, ApiError> {
    with_db(app, move |mut db| {
        let last = db.ledger().last_event_id().map_err(db_error)?;
        if known == Some(last) {
            return Ok(None);
        }
        let c = db.records().counts().map_err(db_error)?;
        let data = json!({"last_event_id": last, "articles": c.articles, "events": c.events});
        Ok(Some((last, data.to_string())))
    })
    .await
}

/// What one `/api/live` stream keeps between polls: no store connection (each poll borrows
/// a blocking-pool thread's reader, as every request does), the last number sent, and the
/// first event until it is sent.
struct LiveFeed {
    app: App,
    last: i64,
    first: Option<Event>,
    _open: OpenStream,
}

/// `GET /api/live`: server-sent events. An `update` event with `{"last_event_id",
/// "articles", "events"}` is sent at once and then whenever the newest event's number
/// changes (the store is polled every [`Options::live_poll`] on the blocking pool, within
/// the query time limit like any request; a failed poll is tried again at the next one);
/// a comment every 15 s keeps a quiet connection open. The stream ends when the client
/// goes away: it is dropped with the connection, sleeping between polls, so nothing keeps
/// running for it. A store that cannot be read answers an error before the stream starts.
async fn live(State(app): State<App>) -> Result<Response, ApiError> {
    let Some((last, data)) = live_update(&app, None).await? else {
        return Err(internal("the store gave no first update"));
    };
    let feed = LiveFeed {
        app,
        last,
        first: Some(Event::default().event("update").data(data)),
        _open: OpenStream::new(),
    };
    let stream = futures_util::stream::unfold(feed, |mut feed| async move {
        if let Some(first) = feed.first.take() {
            return Some((Ok::<Event, Infallible>(first), feed));
        }
        loop {
            tokio::time::sleep(feed.app.live_poll).await;
            // An error (a busy or interrupted store) is logged where it is internal and
            // tried again at the next poll: the client keeps its stream.
            if let Ok(Some((last, data))) = live_update(&feed.app, Some(feed.last)).await {
                feed.last = last;
                return Some((Ok(Event::default().event("update").data(data)), feed));
            }
        }
    });
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}

async fn not_found() -> ApiError {
    ApiError::Plain(
        StatusCode::NOT_FOUND,
        "no such endpoint; see /openapi.json".into(),
    )
}

/// `POST /api/articles`: extracts and stores the articles of the body, for a client with
/// the write token; a read-only server (no token set) refuses every write.
async fn post_articles(State(app): State<App>, request: Request) -> Result<Response, ApiError> {
    // The token is checked before the body is read: a client without it never makes the
    // server buffer a body.
    let (parts, body) = request.into_parts();
    let headers = parts.headers;
    let Some(access) = app.write.clone() else {
        return Err(ApiError::Plain(
            StatusCode::FORBIDDEN,
            "this server is read-only (start `chronicle serve` with --write-token to accept articles)".into(),
        ));
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !same_secret(presented.trim().as_bytes(), access.token.as_bytes()) {
        let mut res = ApiError::Plain(
            StatusCode::UNAUTHORIZED,
            "writing needs `Authorization: Bearer TOKEN` with the server's write token".into(),
        )
        .into_response();
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return Ok(res);
    }
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(|e| {
        ApiError::Plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body could not be read whole (at most {MAX_BODY_BYTES} bytes): {e}"),
        )
    })?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::Plain(
            StatusCode::BAD_REQUEST,
            "the body holds no article".into(),
        ));
    }
    let written = tokio::task::spawn_blocking(move || access.writer.write(&body))
        .await
        .map_err(|e| internal(format!("write thread: {e}")))?
        .map_err(internal)?;
    let status = if written.stored.is_empty() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json!(written))).into_response())
}

/// Compares a presented token with the real one in time that does not depend on where
/// they first differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() || b.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Limits and headers every request passes through: an over-long request target is
/// refused, a read past the time limit answers 503, and every answer says not to sniff
/// types, not to be framed and not to send referrers.
async fn guard(State(request_timeout): State<Duration>, req: Request, next: Next) -> Response {
    let target_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    let mut res = if target_len > MAX_URI_BYTES {
        ApiError::Plain(
            StatusCode::URI_TOO_LONG,
            format!("the request target is {target_len} bytes; at most {MAX_URI_BYTES}"),
        )
        .into_response()
    } else if req.method() == Method::GET || req.method() == Method::HEAD {
        // Writes are exempt: a large batch may take longer, and it must not be cut off
        // half-stored.
        match tokio::time::timeout(request_timeout, next.run(req)).await {
            Ok(res) => res,
            Err(_) => ApiError::Plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "the request ran over the server's time limit".into(),
            )
            .into_response(),
        }
    } else {
        next.run(req).await
    };
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    res
}

/// A handler's panic: a plain 500 (the panic's message goes to the log, not the client).
fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    internal(format!("a request handler panicked: {what}")).into_response()
}

/// The API's and the UI's routes over the store at `db`, with the default [`Options`]
/// (read-only, no CORS).
pub fn router(db: String) -> Router {
    router_with(db, &Options::default())
}

/// The API's and the UI's routes over the store at `db`, with `opts`.
pub fn router_with(db: String, opts: &Options) -> Router {
    let app = App {
        db: Arc::new(db),
        query_timeout: opts.query_timeout,
        write: opts.write.clone(),
        live_poll: opts.live_poll,
    };
    let mut router = Router::new()
        .route("/openapi.json", get(|| async { Json(openapi()) }))
        .route("/api/stats", get(stats))
        .route("/api/events", get(events))
        .route("/api/quotes", get(quotes))
        .route("/api/actors", get(actors))
        .route("/api/articles", get(articles).post(post_articles))
        .route("/api/articles/{id}", get(article))
        .route("/api/articles/{id}/sentences/{n}/parse", get(sentence_parse))
        .route("/api/network", get(network))
        .route("/api/places", get(places))
        .route("/api/watchlists", get(watchlists))
        .route("/api/live", get(live))
        .route("/", get(assets::index))
        .route("/ui/{*path}", get(assets::file))
        .fallback(not_found)
        .with_state(app)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A little over the query limit: the query's own limit answers first, naming it.
        .layer(axum::middleware::from_fn_with_state(
            opts.query_timeout + Duration::from_secs(5),
            guard,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_response));
    if !opts.cors_origins.is_empty() {
        let origins: Vec<HeaderValue> = opts
            .cors_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        router = router.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([Method::GET, Method::HEAD, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]),
        );
    }
    router
}

/// Serves the API and the UI on `addr` until the process ends, read-only with the default
/// [`Options`]; see [`serve_with`].
pub async fn serve(
    db: String,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr) + Send + 'static,
) -> std::io::Result<()> {
    serve_with(db, addr, Options::default(), on_ready).await
}

/// Serves the API and the UI on `addr` until the process ends. Checks the store opens
/// first, so a wrong path is an error at start-up, not on the first request. `on_ready` is
/// called once with the address actually bound, before the first request is served: with
/// port 0 the system picks a free port, and only this callback can tell the caller which
/// (a test reads it from the message the CLI prints there).
///
/// Connections are accepted while fewer than `opts.max_connections` are open (the rest
/// wait in the listen queue), and each must send a request's headers within
/// `opts.header_timeout`, so slow or idle clients cannot hold every socket.
pub async fn serve_with(
    db: String,
    addr: SocketAddr,
    opts: Options,
    on_ready: impl FnOnce(SocketAddr) + Send + 'static,
) -> std::io::Result<()> {
    if chronicle_pgstore::is_postgres_url(&db) {
        let url = db.clone();
        tokio::task::spawn_blocking(move || PgStore::connect(&url).map(|_| ()))
            .await
            .map_err(std::io::Error::other)?
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    } else {
        // The server only reads (writes go through the CLI's writer): it never creates a store.
        Store::open_reader(std::path::Path::new(&db)).map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    on_ready(listener.local_addr()?);
    let app = router_with(db, &opts);
    let open = Arc::new(tokio::sync::Semaphore::new(opts.max_connections.max(1)));
    loop {
        let permit = open
            .clone()
            .acquire_owned()
            .await
            .map_err(std::io::Error::other)?;
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: wait a little, as axum's own loop does.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let header_timeout = opts.header_timeout;
        tokio::spawn(async move {
            let _permit = permit;
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            // A client that goes away or times out ends only its own connection.
            let _ = conn.await;
        });
    }
}

/// The OpenAPI 3.0 description of the API (written out here: a few endpoints do not
/// justify a derive framework).
/// A filter parameter's OpenAPI object (without its name): the schema its kind reads.
fn param_doc(kind: ParamKind, description: &str) -> Value {
    let schema = match kind {
        ParamKind::Count => json!({"type": "integer", "minimum": 0}),
        ParamKind::Fraction => json!({"type": "number", "minimum": 0, "maximum": 1}),
        ParamKind::Switch => json!({"type": "boolean"}),
        ParamKind::Text
        | ParamKind::Date
        | ParamKind::Cameo
        | ParamKind::Plover
        | ParamKind::Modality
        | ParamKind::BBox => json!({"type": "string"}),
    };
    json!({"in": "query", "required": false, "schema": schema, "description": description})
}

pub fn openapi() -> Value {
    let s =
        |d: &str| json!({"in": "query", "required": false, "schema": {"type": "string"}, "description": d});
    let n = |d: &str| json!({"in": "query", "required": false, "schema": {"type": "integer", "minimum": 0}, "description": d});
    let named = |name: &str, mut p: Value| {
        p["name"] = json!(name);
        p
    };
    let paging = || {
        vec![
            named(
                "limit",
                n(&format!(
                    "rows to return (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})"
                )),
            ),
            named("offset", n("rows to skip")),
        ]
    };
    // The filters' parameters come from their one definition (`EventFilter::PARAMS`,
    // `QuoteFilter::PARAMS`): what the CLI's flags and `set_param` read, documented here.
    // Paging is the server's (its default and cap), so it is written below.
    let filter_params = |params: Vec<(&'static str, ParamKind, String)>| -> Vec<Value> {
        params
            .into_iter()
            .filter(|(name, ..)| !matches!(*name, "limit" | "offset"))
            .map(|(name, kind, description)| named(name, param_doc(kind, &description)))
            .collect()
    };
    let event_filters = filter_params(
        EventFilter::PARAMS
            .iter()
            .map(|p| (p.name, p.kind, p.description()))
            .collect(),
    );
    // The network and the map take the events' filters; their paging counts edges / places.
    let aggregate_params = |what: &str| {
        let mut p: Vec<Value> = event_filters.clone();
        p.push(named(
            "limit",
            n(&format!(
                "{what} to return (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})"
            )),
        ));
        p.push(named("offset", n(&format!("{what} to skip"))));
        p
    };
    let network_params = aggregate_params("edges");
    let place_params = aggregate_params("places");
    let mut event_params = event_filters.clone();
    event_params.extend(paging());
    let mut quote_params = filter_params(
        QuoteFilter::PARAMS
            .iter()
            .map(|p| (p.name, p.kind, p.description()))
            .collect(),
    );
    quote_params.extend(paging());
    let mut article_params = vec![named("q", s("full-text query (SQLite FTS5 syntax)"))];
    article_params.extend(paging());
    // Every GET with parameters refuses a parameter it does not have, or a value its
    // filter cannot mean, rather than answering nothing.
    let ok = |d: &str| {
        json!({"200": {"description": d, "content": {"application/json": {}}},
               "400": {"description": "an unknown parameter, or a value the parameter cannot mean: `{error, parameter, allowed}` (`allowed` names the values it takes, or the parameters there are)",
                       "content": {"application/json": {}}}})
    };
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Chronicle API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Events, quotes, actors and articles extracted from news, with provenance. The web UI over this API is served at `/`."},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/api/stats": {"get": {"summary": "What the store holds", "responses": {"200": {"description": "counts", "content": {"application/json": {}}}}}},
            "/api/events": {"get": {"summary": "Events (CAMEO/PLOVER) with filters", "parameters": event_params,
                                    "responses": ok("events, each with its cluster's NumMentions/NumSources/NumArticles")}},
            "/api/quotes": {"get": {"summary": "Quotes with their speakers", "parameters": quote_params, "responses": ok("quotes")}},
            "/api/actors": {"get": {"summary": "Coded actors, most mentioned first",
                                    "parameters": [named("name", s("name or code")), named("limit", n("rows"))],
                                    "responses": ok("actors")}},
            "/api/articles": {"get": {"summary": "Articles, or full-text search with snippets", "parameters": article_params,
                                      "description": "Without `q`: every article in ingest order, each `{id, title, published, source, url, chars, lead (the first 240 characters of the text), entities, quotes, events}` (the last three are counts). With `q`: the best matches first, each `{id, title, snippet}` with the matched words in [brackets].",
                                      "responses": ok("articles")},
                              "post": {"summary": "Extract and store articles (only on a server started with a write token)",
                                       "description": "The body: one article in the contract's input format (`{id, text or html, published, title, url, source, meta}`), a JSON array of them, or JSON lines; at most 16 MiB. Needs `Authorization: Bearer TOKEN`. Answers `{stored: [ids], rejected: [{record, reason}]}`: 200 when something was stored, 400 when nothing was; 401 without the right token; 403 on a read-only server; 413 for a larger body.",
                                       "security": [{"bearer": []}],
                                       "responses": {"200": {"description": "stored (some may be rejected)"}, "400": {"description": "nothing stored"},
                                                     "401": {"description": "no or wrong token"}, "403": {"description": "read-only server"},
                                                     "413": {"description": "body too large"}}}},
            "/api/network": {"get": {"summary": "Actor network: who did what to whom", "parameters": network_params,
                                     "description": "The events matching the filters, one edge per (source, target) actor pair, most events first. Actors are keyed by CAMEO code, or by their text when uncoded; events missing either actor have no edge. Each edge: `{source, target, events, quads: [n1, n2, n3, n4], goldstein (mean), articles, first, last}`, where `quads` counts events per QuadClass (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict). `nodes` lists the actors on the returned edges: `{id, name (most frequent text), coded, as_source, as_target}`. `total` counts edges before paging.",
                                     "responses": ok("edges and nodes")}},
            "/api/places": {"get": {"summary": "Events by place, for a map", "parameters": place_params,
                                    "description": "The events matching the filters that have coordinates, grouped by place (name, country, admin1, lat, lon), most events first. Each place: `{name, country, admin1, lat, lon, events, quads, killed, wounded, first, last, articles: [{id, title}] (the first 20), articles_total}`. `total` counts places before paging.",
                                    "responses": ok("places")}},
            "/api/watchlists": {"get": {"summary": "Watchlists: saved event filters that `chronicle watch` delivers",
                                        "description": "Answers `{last_event_id, count, watchlists}`. `last_event_id` is the newest event's report number (its `global_id`; 0 for none). Each watchlist: `{name, filter (the /api/events parameters it stands for, as an object), jsonl (the file it appends to, or null), webhook (the URL it POSTs to, or null), created (RFC 3339), cursor (events up to this report number were matched already), deliveries: [{channel (jsonl or webhook), delivered, pending, failing (pending that failed at least once), last_error}], filter_error (why the filter does not read, or null)}`. Its events new since report N are `/api/events` with its filter and `after=N`.",
                                        "responses": {"200": {"description": "the watchlists", "content": {"application/json": {}}}}}},
            "/api/live": {"get": {"summary": "Server-sent events: the store's newest event, live",
                                  "description": "A `text/event-stream`. An `update` event, data `{last_event_id, articles, events}`, is sent on connect and again whenever the newest event's report number changes (the server looks every 2 s); a comment line every 15 s keeps a quiet connection open. For the UI's \"new since you last looked\": on each update, ask `/api/events` with `after`.",
                                  "responses": {"200": {"description": "the event stream", "content": {"text/event-stream": {}}}}}},
            "/api/articles/{id}": {"get": {"summary": "One article's whole record (the contract's JSON)",
                                           "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                                           "responses": {"200": {"description": "the record"}, "404": {"description": "no such article"}}}},
            "/api/articles/{id}/sentences/{n}/parse": {"get": {"summary": "The dependency parse of one sentence of an article",
                                           "description": "Sentence `n` counts from 1 in the record's `sentences` order. The stored text is parsed again (our text and syntax stages; the store keeps no syntax) on the record's sentence boundaries. Answers `{article, sentence, start, end, text, tokens}`, each token `{id (1-based), text, start, end (code points into the article text), upos, xpos, lemma, feats, head (the head token's id, 0 for the root), rel (UD relation), space_after}`.",
                                           "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                                                          {"name": "n", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}],
                                           "responses": {"200": {"description": "the sentence's tokens with their parse"},
                                                         "400": {"description": "n is not a number from 1"},
                                                         "404": {"description": "no such article, or no such sentence in it: `{error}` naming it"}}}}
        }
    })
}

/// [`serve_with`] on a runtime of its own, for callers without one (the CLI's `serve` and
/// `demo`); `on_ready` as there.
pub fn serve_blocking(
    db: String,
    addr: SocketAddr,
    opts: Options,
    on_ready: impl FnOnce(SocketAddr) + Send + 'static,
) -> std::io::Result<()> {
    // Queries run on the blocking pool, each thread keeping its own read connection (and
    // its page cache): a pool capped a little above the query slots, whose threads live
    // long, keeps the number of connections, and so the server's memory, bounded and
    // steady (tokio's default, up to 512 threads dropped after 10 s idle, let them churn).
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(db_slots().available_permits() + 2)
        .thread_keep_alive(Duration::from_secs(600))
        .build()?
        .block_on(serve_with(db, addr, opts, on_ready))
}
