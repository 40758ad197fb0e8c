//! HTTP(S) fetching as a polite crawler does it, on `ureq` (rustls, no OpenSSL):
//!
//! - **per host** at most `per_host` requests at once and `delay` between the starts of two
//!   requests (robots.txt's Crawl-delay when it asks for more) ([`HostGate`]);
//! - robots.txt read once per host and honoured (RFC 9309: a 4xx answer allows all, a 5xx
//!   or unreachable one forbids all for this run);
//! - conditional requests (If-None-Match, If-Modified-Since) for sources;
//! - redirects followed up to a limit, gzip and brotli bodies, a timeout on each request,
//!   a cap on body size;
//! - retries with exponential backoff for what may pass (connection errors, timeouts, 429
//!   and 5xx answers), the host's slot given back while waiting.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use ureq::ResponseExt;

/// How the fetcher behaves.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Requests in flight to one host at most.
    pub per_host: usize,
    /// Between the starts of two requests to one host.
    pub delay: Duration,
    /// Whole-request timeout (connect, headers and body).
    pub timeout: Duration,
    /// Tries after the first for a failure that may pass.
    pub retries: u32,
    /// The first retry waits this long, each next one twice as long.
    pub backoff: Duration,
    /// Redirects followed at most.
    pub max_redirects: u32,
    /// Larger bodies are refused.
    pub max_bytes: u64,
    pub user_agent: String,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            per_host: 2,
            delay: Duration::from_millis(1000),
            timeout: Duration::from_secs(30),
            retries: 2,
            backoff: Duration::from_secs(2),
            max_redirects: 5,
            max_bytes: 10 << 20,
            user_agent: format!(
                "chronicle-watch/{} (+https://github.com/chronicle-news/chronicle)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("robots.txt of {host} forbids this path")]
    Forbidden { host: String },
    #[error("HTTP {status}")]
    Status { status: u16 },
    #[error("{0}")]
    Transport(String),
    #[error("not an http(s) URL")]
    BadUrl,
}

impl FetchError {
    /// Whether trying again later may succeed (the link stays pending).
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Status { status } => *status == 429 || *status == 408 || *status >= 500,
            FetchError::Transport(_) => true,
            FetchError::Forbidden { .. } | FetchError::BadUrl => false,
        }
    }
}

/// A successful answer (200 or, to a conditional request, 304).
#[derive(Debug, Clone)]
pub struct Fetched {
    pub status: u16,
    /// After redirects.
    pub final_url: String,
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Tries it took (1: no retry).
    pub tries: u32,
}

impl Fetched {
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }
}

/// Requests in flight and the next allowed start, per host.
#[derive(Default)]
pub struct HostGate {
    hosts: Mutex<HashMap<String, Slot>>,
    freed: Condvar,
}

#[derive(Default)]
struct Slot {
    active: usize,
    next_start: Option<Instant>,
    /// The most in flight at once so far (the benchmark reports it).
    peak: usize,
}

/// A request slot on a host, given back when dropped.
pub struct Permit<'a> {
    gate: &'a HostGate,
    host: String,
}

impl HostGate {
    /// Waits until `host` has a free slot and its delay has passed, then takes the slot.
    pub fn acquire(&self, host: &str, cap: usize, delay: Duration) -> Permit<'_> {
        let cap = cap.max(1);
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let now = Instant::now();
            let slot = hosts.entry(host.to_string()).or_default();
            let wait = slot.next_start.filter(|t| *t > now).map(|t| t - now);
            if slot.active < cap && wait.is_none() {
                slot.active += 1;
                slot.peak = slot.peak.max(slot.active);
                slot.next_start = Some(now + delay);
                return Permit {
                    gate: self,
                    host: host.to_string(),
                };
            }
            let timeout = wait.unwrap_or(Duration::from_millis(200));
            hosts = self
                .freed
                .wait_timeout(hosts, timeout)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// The most requests one host had in flight at once.
    pub fn peak(&self) -> usize {
        let hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts.values().map(|s| s.peak).max().unwrap_or(0)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut hosts = self.gate.hosts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = hosts.get_mut(&self.host) {
            s.active = s.active.saturating_sub(1);
        }
        drop(hosts);
        self.gate.freed.notify_all();
    }
}

/// A host's robots.txt as this run read it.
enum Robots {
    AllowAll,
    /// 5xx or unreachable: nothing is fetched from the host this run (RFC 9309 2.3.1.4).
    Unreachable(String),
    Rules(Box<texting_robots::Robot>),
}

/// The fetcher: one per watcher, shared by its threads.
pub struct Fetcher {
    agent: ureq::Agent,
    opts: FetchOptions,
    gate: HostGate,
    robots: Mutex<HashMap<String, Arc<OnceLock<Robots>>>>,
    /// robots.txt fetches (each host once).
    requests: std::sync::atomic::AtomicU64,
}

impl Fetcher {
    pub fn new(opts: FetchOptions) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(opts.max_redirects)
            .timeout_global(Some(opts.timeout))
            .user_agent(opts.user_agent.as_str())
            .max_idle_connections_per_host(opts.per_host.max(1))
            .build();
        Fetcher {
            agent: config.into(),
            opts,
            gate: HostGate::default(),
            robots: Mutex::new(HashMap::new()),
            requests: Default::default(),
        }
    }

    pub fn options(&self) -> &FetchOptions {
        &self.opts
    }

    /// The most requests one host had in flight at once during this fetcher's life.
    pub fn peak_per_host(&self) -> usize {
        self.gate.peak()
    }

    /// HTTP requests made (robots.txt and retries included).
    pub fn requests(&self) -> u64 {
        self.requests.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// GETs `url` politely (robots.txt, the host's gate, retries); with `validators`
    /// (ETag, Last-Modified of the last answer) a 304 is a success.
    pub fn get(&self, url: &str, validators: Option<(&str, &str)>) -> Result<Fetched, FetchError> {
        let parsed = url::Url::parse(url).map_err(|_| FetchError::BadUrl)?;
        let host = host_key(&parsed).ok_or(FetchError::BadUrl)?;
        let cell = self.robots_cell(&host);
        let robots = cell.get_or_init(|| self.fetch_robots(&parsed, &host));
        let delay = match robots {
            Robots::AllowAll => self.opts.delay,
            Robots::Unreachable(why) => {
                return Err(FetchError::Transport(format!(
                    "robots.txt of {host} unreachable: {why}"
                )))
            }
            Robots::Rules(r) => {
                if !r.allowed(url) {
                    return Err(FetchError::Forbidden { host });
                }
                self.crawl_delay(r)
            }
        };
        let mut tries = 0;
        loop {
            tries += 1;
            let result = {
                let _permit = self.gate.acquire(&host, self.opts.per_host, delay);
                self.once(url, validators)
            };
            match result {
                Ok(mut f) => {
                    f.tries = tries;
                    return Ok(f);
                }
                Err(e) if e.is_transient() && tries <= self.opts.retries => {
                    std::thread::sleep(self.opts.backoff * 2u32.saturating_pow(tries - 1));
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn crawl_delay(&self, r: &texting_robots::Robot) -> Duration {
        let asked = r
            .delay
            .filter(|d| d.is_finite() && *d > 0.0)
            .map(|d| Duration::from_secs_f32(d.min(60.0)))
            .unwrap_or_default();
        asked.max(self.opts.delay)
    }

    fn once(&self, url: &str, validators: Option<(&str, &str)>) -> Result<Fetched, FetchError> {
        self.requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut req = self.agent.get(url);
        if let Some((etag, modified)) = validators {
            if !etag.is_empty() {
                req = req.header("If-None-Match", etag);
            }
            if !modified.is_empty() {
                req = req.header("If-Modified-Since", modified);
            }
        }
        let mut resp = req.call().map_err(|e| FetchError::Transport(e.to_string()))?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (etag, last_modified, content_type) =
            (header("etag"), header("last-modified"), header("content-type"));
        let final_url = resp.get_uri().to_string();
        match status {
            304 => Ok(Fetched {
                status,
                final_url,
                body: Vec::new(),
                content_type,
                etag,
                last_modified,
                tries: 1,
            }),
            200..=299 => {
                let body = resp
                    .body_mut()
                    .with_config()
                    .limit(self.opts.max_bytes)
                    .read_to_vec()
                    .map_err(|e| FetchError::Transport(format!("reading the body: {e}")))?;
                Ok(Fetched {
                    status,
                    final_url,
                    body,
                    content_type,
                    etag,
                    last_modified,
                    tries: 1,
                })
            }
            _ => Err(FetchError::Status { status }),
        }
    }

    /// The host's robots.txt cell: the first thread to need it fetches it, the others
    /// wait for that one.
    fn robots_cell(&self, host: &str) -> Arc<OnceLock<Robots>> {
        let mut map = self.robots.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(host.to_string()).or_default().clone()
    }

    fn fetch_robots(&self, url: &url::Url, host: &str) -> Robots {
        let robots_url = format!("{}://{}/robots.txt", url.scheme(), host);
        let mut tries = 0;
        loop {
            tries += 1;
            let result = {
                let _permit = self.gate.acquire(host, self.opts.per_host, self.opts.delay);
                self.once(&robots_url, None)
            };
            return match result {
                Ok(f) => match texting_robots::Robot::new(&self.opts.user_agent, &f.body) {
                    Ok(r) => Robots::Rules(Box::new(r)),
                    // An unreadable file says nothing the parser could follow: allowed.
                    Err(_) => Robots::AllowAll,
                },
                Err(FetchError::Status { status }) if (400..500).contains(&status) && status != 429 => {
                    Robots::AllowAll
                }
                Err(e) if e.is_transient() && tries <= self.opts.retries => {
                    std::thread::sleep(self.opts.backoff * 2u32.saturating_pow(tries - 1));
                    continue;
                }
                Err(e) => Robots::Unreachable(e.to_string()),
            };
        }
    }
}

/// `host[:port]`: what politeness counts by.
pub fn host_key(u: &url::Url) -> Option<String> {
    let host = u.host_str()?;
    Some(match u.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_keeps_to_its_cap_per_host() {
        let gate = Arc::new(HostGate::default());
        let active = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let worst = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (gate, active, worst) = (gate.clone(), active.clone(), worst.clone());
                std::thread::spawn(move || {
                    for _ in 0..5 {
                        let _p = gate.acquire("h", 2, Duration::ZERO);
                        let now = active.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                        worst.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(2));
                        active.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        assert_eq!(worst.load(std::sync::atomic::Ordering::SeqCst), 2);
        assert_eq!(gate.peak(), 2);
    }

    #[test]
    fn the_gate_spaces_starts_by_the_delay() {
        let gate = HostGate::default();
        let t0 = Instant::now();
        for _ in 0..3 {
            drop(gate.acquire("h", 4, Duration::from_millis(30)));
        }
        assert!(t0.elapsed() >= Duration::from_millis(60));
    }
}
