//! A real HTTP server on 127.0.0.1 for the watch tests: feeds with ETags that answer 304,
//! pages (gzip when asked), redirects, failures, slow answers, robots.txt, and a webhook
//! receiver. It counts requests per path and the most in flight at once, and stops when
//! dropped. Nothing here talks to any other address.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a path answers.
#[derive(Clone)]
pub enum Route {
    /// A feed (or sitemap) with an ETag: a request with that ETag gets 304.
    Xml { body: String, etag: String },
    /// An HTML page, gzipped when the client accepts gzip.
    Page(String),
    /// 301 to the path.
    Redirect(String),
    /// Always this status.
    Status(u16),
    /// This status for the first `n` requests, then the route.
    FailFirst(u16, usize, Box<Route>),
    /// Waits, then answers with the route.
    Slow(Duration, Box<Route>),
    /// Plain text (robots.txt).
    Text(String),
    /// A webhook receiver: records each POST's body and `Chronicle-Delivery` header and
    /// answers with the site's current hook status.
    Hook,
}

pub struct Site {
    pub base: String,
    server: Arc<tiny_http::Server>,
    threads: Vec<std::thread::JoinHandle<()>>,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    in_flight: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
    /// (Chronicle-Delivery header, body) of each POST to a hook.
    pub posts: Arc<Mutex<Vec<(String, String)>>>,
    pub hook_status: Arc<AtomicU16>,
    /// Pages served gzipped.
    pub gzipped: Arc<AtomicUsize>,
}

impl Site {
    /// A server on a free port of `ip` (127.0.0.x), answering on `threads` threads.
    pub fn start_on(ip: &str, threads: usize) -> Site {
        let server = Arc::new(tiny_http::Server::http(format!("{ip}:0")).expect("local server"));
        let port = server.server_addr().to_ip().expect("ip").port();
        let mut site = Site {
            base: format!("http://{ip}:{port}"),
            server,
            threads: Vec::new(),
            routes: Default::default(),
            hits: Default::default(),
            in_flight: Default::default(),
            peak: Default::default(),
            posts: Default::default(),
            hook_status: Arc::new(AtomicU16::new(200)),
            gzipped: Default::default(),
        };
        for _ in 0..threads {
            let (server, routes, hits) = (site.server.clone(), site.routes.clone(), site.hits.clone());
            let (in_flight, peak, posts, hook, gzipped) = (
                site.in_flight.clone(),
                site.peak.clone(),
                site.posts.clone(),
                site.hook_status.clone(),
                site.gzipped.clone(),
            );
            site.threads.push(std::thread::spawn(move || {
                while let Ok(mut req) = server.recv() {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    let path = req.url().to_string();
                    let n = {
                        let mut h = hits.lock().expect("hits");
                        let n = h.entry(path.clone()).or_insert(0);
                        *n += 1;
                        *n
                    };
                    let route = routes.lock().expect("routes").get(&path).cloned();
                    let resp = answer(&mut req, route, n, &posts, &hook, &gzipped);
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    let _ = req.respond(resp);
                }
            }));
        }
        site
    }

    pub fn start(threads: usize) -> Site {
        Site::start_on("127.0.0.1", threads)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn set(&self, path: &str, route: Route) {
        self.routes
            .lock()
            .expect("routes")
            .insert(path.to_string(), route);
    }

    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().expect("hits").get(path).copied().unwrap_or(0)
    }

    /// Requests to paths starting with `prefix`.
    pub fn hits_under(&self, prefix: &str) -> usize {
        self.hits
            .lock()
            .expect("hits")
            .iter()
            .filter(|(p, _)| p.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    /// The most requests this server had in flight at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        for _ in 0..self.threads.len() {
            self.server.unblock();
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

type Resp = tiny_http::Response<std::io::Cursor<Vec<u8>>>;

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("header")
}

fn request_header(req: &tiny_http::Request, name: &str) -> Option<String> {
    req.headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str().to_string())
}

fn answer(
    req: &mut tiny_http::Request,
    route: Option<Route>,
    n: usize,
    posts: &Mutex<Vec<(String, String)>>,
    hook: &AtomicU16,
    gzipped: &AtomicUsize,
) -> Resp {
    let Some(route) = route else {
        return tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404);
    };
    match route {
        Route::Xml { body, etag } => {
            if request_header(req, "If-None-Match").as_deref() == Some(etag.as_str()) {
                return tiny_http::Response::from_data(Vec::new())
                    .with_status_code(304)
                    .with_header(header("ETag", &etag));
            }
            tiny_http::Response::from_data(body.into_bytes())
                .with_header(header("Content-Type", "application/xml"))
                .with_header(header("ETag", &etag))
        }
        Route::Page(html) => {
            let gzip = request_header(req, "Accept-Encoding").is_some_and(|a| a.contains("gzip"));
            let ct = header("Content-Type", "text/html; charset=utf-8");
            if gzip {
                gzipped.fetch_add(1, Ordering::SeqCst);
                let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                enc.write_all(html.as_bytes()).expect("gzip");
                let body = enc.finish().expect("gzip");
                tiny_http::Response::from_data(body)
                    .with_header(ct)
                    .with_header(header("Content-Encoding", "gzip"))
            } else {
                tiny_http::Response::from_data(html.into_bytes()).with_header(ct)
            }
        }
        Route::Redirect(to) => tiny_http::Response::from_data(Vec::new())
            .with_status_code(301)
            .with_header(header("Location", &to)),
        Route::Status(s) => {
            tiny_http::Response::from_data(format!("status {s}").into_bytes()).with_status_code(s)
        }
        Route::FailFirst(s, k, then) => {
            if n <= k {
                tiny_http::Response::from_data(format!("status {s}").into_bytes()).with_status_code(s)
            } else {
                answer(req, Some(*then), n, posts, hook, gzipped)
            }
        }
        Route::Slow(d, then) => {
            std::thread::sleep(d);
            answer(req, Some(*then), n, posts, hook, gzipped)
        }
        Route::Text(t) => {
            tiny_http::Response::from_data(t.into_bytes()).with_header(header("Content-Type", "text/plain"))
        }
        Route::Hook => {
            let mut body = String::new();
            let _ = req.as_reader().read_to_string(&mut body);
            let id = request_header(req, "Chronicle-Delivery").unwrap_or_default();
            let status = hook.load(Ordering::SeqCst);
            if (200..300).contains(&status) {
                posts.lock().expect("posts").push((id, body));
            }
            tiny_http::Response::from_data(b"ok".to_vec()).with_status_code(status)
        }
    }
}

/// An RSS feed listing `links` (absolute URLs) with their titles.
pub fn rss(title: &str, items: &[(String, String)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>http://127.0.0.1/</link><description>d</description>"
    );
    for (t, link) in items {
        s.push_str(&format!(
            "<item><title>{t}</title><link>{link}</link><description>A short teaser.</description><pubDate>Wed, 03 Dec 2025 10:00:00 GMT</pubDate></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

/// A news page around `text` (paragraphs split on blank lines).
pub fn page(title: &str, text: &str) -> String {
    let paras: String = text
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", html_escape(p.trim())))
        .collect();
    format!(
        "<!doctype html><html><head><title>{t}</title><meta property=\"article:published_time\" content=\"2025-12-03T10:00:00Z\"></head>\
         <body><nav><a href=\"/\">Home</a> | <a href=\"/world\">World</a></nav><article><h1>{t}</h1>{paras}</article>\
         <footer>Copyright The Test Site</footer></body></html>",
        t = html_escape(title)
    )
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
