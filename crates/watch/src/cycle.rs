//! One watch cycle: fetch every source that is due, add the links they list to the ledger,
//! then fetch, prepare and write every pending link.
//!
//! **The ledger is written before the work it records is started**: links are pending in
//! the store before any page is fetched, so a watcher killed at any moment resumes with
//! them; a link is marked stored only after its article is written, so a kill between the
//! two fetches it again and the store's replace-by-id keeps one article.
//!
//! Threads: `workers` fetch and prepare (the caller's `prepare`: extraction, for SQLite)
//! while the calling thread alone writes to the store, in batches.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chronicle_ingest::charset::{decode_page, header_charset};
use chronicle_record::{parse_published, InputArticle};
use chronicle_storeapi::{now_rfc3339, AnyError, Link, LinkOutcome, LinkStatus, SourceState, WatchLedger};
use chrono::Utc;

use crate::fetch::{FetchError, FetchOptions, Fetcher};
use crate::links::{read_listing, Listing};
use crate::sources::Source;

/// How a watcher behaves beyond fetching.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    pub fetch: FetchOptions,
    /// Fetching (and preparing) threads.
    pub workers: usize,
    /// Fetches a link gets before it is given up as failed.
    pub max_link_attempts: u32,
    /// A failed link waits this long before its next cycle's try, doubling each time.
    pub link_backoff: Duration,
    /// A failed source waits this long before it is fetched again, doubling with each
    /// failure in a row, up to `max_source_backoff`.
    pub source_backoff: Duration,
    pub max_source_backoff: Duration,
    /// Articles written per store transaction at most.
    pub batch: usize,
    /// What is ready is written at least this often, however small the batch: a live
    /// monitor stores an article when it has it, and a killed one loses little work.
    pub flush_every: Duration,
    /// Child sitemaps read from one sitemap index at most.
    pub max_child_sitemaps: usize,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            fetch: FetchOptions::default(),
            workers: 8,
            max_link_attempts: 5,
            link_backoff: Duration::from_secs(60),
            source_backoff: Duration::from_secs(60),
            max_source_backoff: Duration::from_secs(6 * 3600),
            batch: 64,
            flush_every: Duration::from_secs(1),
            max_child_sitemaps: 50,
        }
    }
}

/// Why a cycle stopped (the store failed: nothing else stops one).
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("the store failed: {0}")]
    Store(AnyError),
    #[error("a watcher thread panicked: {0}")]
    Thread(String),
}

/// A source's outcome in one cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceOutcome {
    /// Fetched and read: links listed, of which new.
    Read { listed: usize, new: usize },
    /// Answered 304 Not Modified.
    NotModified,
    /// Still backing off after failures (not fetched) until then.
    BackedOff { until: String },
    /// Failed with the reason; it backs off.
    Failed { reason: String },
}

/// What one cycle did, for the summary and the run log.
#[derive(Debug, Clone, Default)]
pub struct CycleReport {
    pub sources: Vec<(String, SourceOutcome)>,
    /// New links found this cycle.
    pub new_links: usize,
    /// Pages fetched (feed content used in their place counts in `from_feed`).
    pub fetched: usize,
    pub from_feed: usize,
    pub stored: usize,
    pub unchanged: usize,
    pub duplicates: usize,
    /// Not fetched or not articles: (link, reason).
    pub skipped: Vec<(String, String)>,
    /// Failed for this cycle, tried again later: (link, reason).
    pub retrying: Vec<(String, String)>,
    /// Given up: (link, reason).
    pub failed: Vec<(String, String)>,
    /// HTTP requests made (robots.txt and retries included).
    pub requests: u64,
    /// The most requests one host had in flight at once.
    pub peak_per_host: usize,
    pub elapsed: Duration,
}

impl CycleReport {
    pub fn failed_sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources.iter().filter_map(|(u, o)| match o {
            SourceOutcome::Failed { reason } => Some((u.as_str(), reason.as_str())),
            _ => None,
        })
    }
}

/// What `prepare` made of a fetched article: the value to write and the hash of its text
/// (content already stored under the hash is not written again).
pub struct Prepared<T> {
    pub value: T,
    pub content_hash: String,
    /// The id the article is stored under.
    pub article_id: String,
}

/// Writes a batch of prepared articles (on the calling thread, with the ledger's store).
pub type WriteFn<'a, S, T> = dyn FnMut(&mut S, Vec<T>) -> Result<(), AnyError> + 'a;

/// Makes a fetched article ready to write (on the worker threads); an `Err` is the reason
/// it is not an article.
pub type PrepareFn<'a, T> = dyn Fn(InputArticle) -> Result<Prepared<T>, String> + Sync + 'a;

/// Follows sources; one per `watch` process.
pub struct Watcher {
    fetcher: Fetcher,
    opts: WatchOptions,
}

enum SourceResult {
    Listing {
        links: Vec<Link>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    NotModified,
    Failed(String),
}

enum PageResult<T> {
    Ready(Link, Prepared<T>, bool),
    Failed(Link, FetchError),
    NotArticle(Link, String),
}

impl Watcher {
    pub fn new(opts: WatchOptions) -> Watcher {
        Watcher {
            fetcher: Fetcher::new(opts.fetch.clone()),
            opts,
        }
    }

    pub fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }

    /// Runs one cycle over `sources`: see the module. `prepare` runs on the worker threads
    /// (an article it refuses, with a reason, is skipped as not an article); `write`
    /// writes a batch on the calling thread.
    pub fn cycle<S: WatchLedger, T: Send>(
        &self,
        store: &mut S,
        sources: &[Source],
        prepare: &PrepareFn<'_, T>,
        write: &mut WriteFn<'_, S, T>,
    ) -> Result<CycleReport, WatchError> {
        let t0 = Instant::now();
        let requests0 = self.fetcher.requests();
        let mut report = CycleReport::default();
        self.read_sources(store, sources, &mut report)?;
        self.fetch_pending(store, sources, prepare, write, &mut report)?;
        report.requests = self.fetcher.requests() - requests0;
        report.peak_per_host = self.fetcher.peak_per_host();
        report.elapsed = t0.elapsed();
        Ok(report)
    }

    fn read_sources<S: WatchLedger>(
        &self,
        store: &mut S,
        sources: &[Source],
        report: &mut CycleReport,
    ) -> Result<(), WatchError> {
        let now = now_rfc3339();
        let mut due: Vec<(usize, SourceState)> = Vec::new();
        for (i, s) in sources.iter().enumerate() {
            let state = store
                .source_state(&s.url)
                .map_err(|e| WatchError::Store(e.into()))?
                .unwrap_or(SourceState {
                    url: s.url.clone(),
                    name: s.name.clone(),
                    ..Default::default()
                });
            match &state.next_attempt {
                Some(t) if *t > now => report
                    .sources
                    .push((s.url.clone(), SourceOutcome::BackedOff { until: t.clone() })),
                _ => due.push((i, state)),
            }
        }
        let (tx, rx) = mpsc::channel::<(usize, SourceResult)>();
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| -> Result<(), WatchError> {
            for _ in 0..self.opts.workers.max(1).min(due.len().max(1)) {
                let tx = tx.clone();
                let (due, next) = (&due, &next);
                scope.spawn(move || loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some((i, state)) = due.get(k) else { break };
                    let r = self.read_source(&sources[*i].url, state);
                    if tx.send((k, r)).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            for (k, result) in rx {
                let (i, mut state) = due[k].clone();
                let src = &sources[i];
                state.last_attempt = Some(now_rfc3339());
                state.name = src.name.clone().or(state.name);
                let outcome = match result {
                    SourceResult::Listing {
                        mut links,
                        etag,
                        last_modified,
                    } => {
                        for l in &mut links {
                            l.source = src.url.clone();
                        }
                        let new = store.add_links(&links).map_err(|e| WatchError::Store(e.into()))?;
                        state.etag = etag;
                        state.last_modified = last_modified;
                        state.links += new as u64;
                        report.new_links += new;
                        succeeded(&mut state);
                        SourceOutcome::Read {
                            listed: links.len(),
                            new,
                        }
                    }
                    SourceResult::NotModified => {
                        succeeded(&mut state);
                        SourceOutcome::NotModified
                    }
                    SourceResult::Failed(reason) => {
                        state.errors = state.errors.saturating_add(1);
                        state.last_error = Some(reason.clone());
                        let wait = backoff(
                            self.opts.source_backoff,
                            state.errors,
                            self.opts.max_source_backoff,
                        );
                        state.next_attempt = Some(rfc3339_in(wait));
                        SourceOutcome::Failed { reason }
                    }
                };
                store
                    .save_source(&state)
                    .map_err(|e| WatchError::Store(e.into()))?;
                report.sources.push((src.url.clone(), outcome));
            }
            Ok(())
        })?;
        Ok(())
    }

    /// Fetches one source (and, for a sitemap index, its child sitemaps).
    fn read_source(&self, url: &str, state: &SourceState) -> SourceResult {
        let validators = match (&state.etag, &state.last_modified) {
            (None, None) => None,
            (e, m) => Some((e.as_deref().unwrap_or(""), m.as_deref().unwrap_or(""))),
        };
        let f = match self.fetcher.get(url, validators) {
            Ok(f) => f,
            Err(e) => return SourceResult::Failed(e.to_string()),
        };
        if f.not_modified() {
            return SourceResult::NotModified;
        }
        let links = match read_listing(&f.body, &f.final_url) {
            Ok(Listing::Links(l)) => l,
            Ok(Listing::Sitemaps(children)) => {
                let mut all = Vec::new();
                for child in children.iter().take(self.opts.max_child_sitemaps) {
                    match self
                        .fetcher
                        .get(child, None)
                        .map_err(|e| e.to_string())
                        .and_then(|c| match read_listing(&c.body, &c.final_url)? {
                            Listing::Links(l) => Ok(l),
                            Listing::Sitemaps(_) => Err("a sitemap index inside a sitemap index".to_string()),
                        }) {
                        Ok(l) => all.extend(l),
                        Err(e) => return SourceResult::Failed(format!("child sitemap {child}: {e}")),
                    }
                }
                all
            }
            Err(e) => return SourceResult::Failed(e),
        };
        SourceResult::Listing {
            links,
            etag: f.etag,
            last_modified: f.last_modified,
        }
    }

    fn fetch_pending<S: WatchLedger, T: Send>(
        &self,
        store: &mut S,
        sources: &[Source],
        prepare: &PrepareFn<'_, T>,
        write: &mut WriteFn<'_, S, T>,
        report: &mut CycleReport,
    ) -> Result<(), WatchError> {
        // Links retried within this cycle are not taken again by it.
        let mut seen: HashSet<String> = HashSet::new();
        loop {
            let mut links = store
                .due_links(&now_rfc3339(), 4096)
                .map_err(|e| WatchError::Store(e.into()))?;
            links.retain(|l| seen.insert(l.url.clone()));
            if links.is_empty() {
                return Ok(());
            }
            let links = interleave_by_host(links);
            self.fetch_links(store, sources, links, prepare, write, report)?;
        }
    }

    fn fetch_links<S: WatchLedger, T: Send>(
        &self,
        store: &mut S,
        sources: &[Source],
        links: Vec<Link>,
        prepare: &PrepareFn<'_, T>,
        write: &mut WriteFn<'_, S, T>,
        report: &mut CycleReport,
    ) -> Result<(), WatchError> {
        let next = AtomicUsize::new(0);
        // Bounded: workers wait while the writer is a batch or two behind.
        let (tx, rx) = mpsc::sync_channel::<PageResult<T>>(self.opts.batch.max(1) * 2);
        std::thread::scope(|scope| -> Result<(), WatchError> {
            let mut handles = Vec::new();
            for _ in 0..self.opts.workers.max(1).min(links.len()) {
                let tx = tx.clone();
                let (links, next) = (&links, &next);
                handles.push(scope.spawn(move || loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(link) = links.get(k) else { break };
                    let r = self.fetch_page(link.clone(), sources, prepare);
                    if tx.send(r).is_err() {
                        break;
                    }
                }));
            }
            drop(tx);
            let mut batch: Vec<T> = Vec::new();
            let mut outcomes: Vec<LinkOutcome> = Vec::new();
            // Hashes written this cycle, not yet in the ledger.
            let mut hashes: HashSet<String> = HashSet::new();
            let mut flushed = Instant::now();
            for r in rx {
                match r {
                    PageResult::Ready(link, p, from_feed) => {
                        if from_feed {
                            report.from_feed += 1;
                        } else {
                            report.fetched += 1;
                        }
                        let earlier = if hashes.contains(&p.content_hash) {
                            Some(String::new())
                        } else {
                            store
                                .stored_with_hash(&p.content_hash)
                                .map_err(|e| WatchError::Store(e.into()))?
                        };
                        let status = match earlier {
                            Some(u) if u == link.url => {
                                report.unchanged += 1;
                                LinkStatus::Unchanged
                            }
                            Some(_) => {
                                report.duplicates += 1;
                                LinkStatus::Duplicate
                            }
                            None => {
                                hashes.insert(p.content_hash.clone());
                                batch.push(p.value);
                                report.stored += 1;
                                LinkStatus::Stored
                            }
                        };
                        outcomes.push(LinkOutcome {
                            url: link.url,
                            status,
                            content_hash: Some(p.content_hash),
                            article_id: Some(p.article_id),
                            error: None,
                            retry_at: None,
                        });
                    }
                    PageResult::Failed(link, e) => {
                        let reason = e.to_string();
                        let give_up = !e.is_transient() || link.attempts + 1 >= self.opts.max_link_attempts;
                        let status = if matches!(e, FetchError::Forbidden { .. }) {
                            report.skipped.push((link.url.clone(), reason.clone()));
                            LinkStatus::Skipped
                        } else if give_up {
                            report.failed.push((link.url.clone(), reason.clone()));
                            LinkStatus::Failed
                        } else {
                            report.retrying.push((link.url.clone(), reason.clone()));
                            LinkStatus::Pending
                        };
                        let retry_at = (status == LinkStatus::Pending).then(|| {
                            rfc3339_in(backoff(self.opts.link_backoff, link.attempts + 1, Duration::MAX))
                        });
                        outcomes.push(LinkOutcome {
                            url: link.url,
                            status,
                            content_hash: None,
                            article_id: None,
                            error: Some(reason),
                            retry_at,
                        });
                    }
                    PageResult::NotArticle(link, reason) => {
                        report.fetched += 1;
                        report.skipped.push((link.url.clone(), reason.clone()));
                        outcomes.push(LinkOutcome {
                            url: link.url,
                            status: LinkStatus::Skipped,
                            content_hash: None,
                            article_id: None,
                            error: Some(reason),
                            retry_at: None,
                        });
                    }
                }
                if outcomes.len() >= self.opts.batch.max(1) || flushed.elapsed() >= self.opts.flush_every {
                    flush(store, write, &mut batch, &mut outcomes)?;
                    flushed = Instant::now();
                }
            }
            flush(store, write, &mut batch, &mut outcomes)?;
            for h in handles {
                h.join().map_err(|p| WatchError::Thread(panic_text(&p)))?;
            }
            Ok(())
        })
    }

    /// Fetches one link's page (or takes the feed's full content) and prepares it.
    fn fetch_page<T>(&self, link: Link, sources: &[Source], prepare: &PrepareFn<'_, T>) -> PageResult<T> {
        let (html, from_feed) = match &link.content {
            Some(c) => (c.clone(), true),
            None => match self.fetcher.get(&link.url, None) {
                Ok(f) => {
                    let declared = f.content_type.as_deref().and_then(header_charset);
                    (decode_page(&f.body, declared).text, false)
                }
                Err(e) => return PageResult::Failed(link, e),
            },
        };
        let published = link.published.as_deref().and_then(parse_published);
        let source = sources.iter().find(|s| s.url == link.source);
        let mut article = InputArticle {
            id: link.url.clone(),
            url: Some(link.url.clone()),
            title: link.title.clone(),
            source: source.and_then(|s| s.name.clone()).or_else(|| {
                url::Url::parse(&link.url)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_string))
            }),
            published,
            published_raw: link.published.clone(),
            html: Some(html),
            fetched: Some(Utc::now().date_naive()),
            ..Default::default()
        };
        // Where it came from, carried into the record's input fields.
        article.meta.insert(
            "watch_source".into(),
            serde_json::Value::String(link.source.clone()),
        );
        if let Some(s) = source.filter(|s| !s.tags.is_empty()) {
            article.meta.insert("watch_tags".into(), s.tags.clone().into());
        }
        match prepare(article) {
            Ok(p) => PageResult::Ready(link, p, from_feed),
            Err(reason) => PageResult::NotArticle(link, reason),
        }
    }
}

fn flush<S: WatchLedger, T>(
    store: &mut S,
    write: &mut WriteFn<'_, S, T>,
    batch: &mut Vec<T>,
    outcomes: &mut Vec<LinkOutcome>,
) -> Result<(), WatchError> {
    if !batch.is_empty() {
        write(store, std::mem::take(batch)).map_err(WatchError::Store)?;
    }
    if !outcomes.is_empty() {
        store
            .finish_links(&std::mem::take(outcomes), &now_rfc3339())
            .map_err(|e| WatchError::Store(e.into()))?;
    }
    Ok(())
}

fn succeeded(state: &mut SourceState) {
    state.errors = 0;
    state.last_error = None;
    state.next_attempt = None;
    state.last_success = Some(now_rfc3339());
}

/// `base` doubled for each failure after the first, at most `max` (sources, links and
/// webhook deliveries all back off this way).
pub(crate) fn backoff(base: Duration, failures: u32, max: Duration) -> Duration {
    let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(16));
    base.saturating_mul(factor).min(max)
}

/// Now plus `d`, as the ledger writes times.
pub(crate) fn rfc3339_in(d: Duration) -> String {
    let d = chrono::Duration::from_std(d).unwrap_or(chrono::Duration::days(365));
    (Utc::now() + d).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Links reordered so consecutive ones are on different hosts where possible: a worker
/// waiting for a busy host is then the exception.
fn interleave_by_host(links: Vec<Link>) -> Vec<Link> {
    let mut by_host: Vec<(String, std::collections::VecDeque<Link>)> = Vec::new();
    for l in links {
        let host = url::Url::parse(&l.url)
            .ok()
            .and_then(|u| crate::fetch::host_key(&u))
            .unwrap_or_default();
        match by_host.iter_mut().find(|(h, _)| *h == host) {
            Some((_, q)) => q.push_back(l),
            None => by_host.push((host, std::collections::VecDeque::from([l]))),
        }
    }
    let mut out = Vec::new();
    loop {
        let mut any = false;
        for (_, q) in by_host.iter_mut() {
            if let Some(l) = q.pop_front() {
                out.push(l);
                any = true;
            }
        }
        if !any {
            return out;
        }
    }
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let s = Duration::from_secs(60);
        assert_eq!(backoff(s, 1, Duration::MAX), s);
        assert_eq!(backoff(s, 3, Duration::MAX), s * 4);
        assert_eq!(
            backoff(s, 30, Duration::from_secs(3600)),
            Duration::from_secs(3600)
        );
    }

    #[test]
    fn links_alternate_between_hosts() {
        let l = |u: &str| Link {
            url: u.into(),
            ..Default::default()
        };
        let out = interleave_by_host(vec![l("http://a/1"), l("http://a/2"), l("http://b/1")]);
        let urls: Vec<&str> = out.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, vec!["http://a/1", "http://b/1", "http://a/2"]);
    }
}
