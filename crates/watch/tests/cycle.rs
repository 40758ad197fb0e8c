//! Watch cycles against a real local HTTP server (127.0.0.1 only): each article once,
//! nothing again on the second cycle, robots.txt, redirects, gzip, retries, failing and
//! malformed sources, the per-host cap. The ledger is a real SQLite store; `prepare` keeps
//! the page itself (extraction is the CLI's, tested there).

mod site;

use std::time::Duration;

use chronicle_store::{text_hash, LinkStatus, Store, WatchLedger};
use chronicle_watch::{parse_sources, FetchOptions, Prepared, SourceOutcome, WatchOptions, Watcher};
use site::{page, rss, Route, Site};

fn options(per_host: usize) -> WatchOptions {
    WatchOptions {
        fetch: FetchOptions {
            per_host,
            delay: Duration::ZERO,
            timeout: Duration::from_millis(1500),
            retries: 1,
            backoff: Duration::from_millis(20),
            ..Default::default()
        },
        workers: 6,
        link_backoff: Duration::ZERO,
        ..Default::default()
    }
}

/// Runs one cycle; returns the report and the pages written (their URLs).
fn cycle(w: &Watcher, store: &mut Store, sources: &str) -> (chronicle_watch::CycleReport, Vec<String>) {
    let (sources, bad) = parse_sources(sources, "sources.txt");
    assert!(bad.is_empty(), "{bad:?}");
    let prepare = |a: chronicle_record::InputArticle| -> Result<Prepared<String>, String> {
        let html = a.html.clone().unwrap_or_default();
        if !html.contains("<article>") {
            return Err("no article text in the page".into());
        }
        Ok(Prepared {
            content_hash: text_hash(&html),
            article_id: a.id.clone(),
            value: a.id,
        })
    };
    let mut written = Vec::new();
    let mut write = |_: &mut Store, batch: Vec<String>| -> Result<(), chronicle_store::AnyError> {
        written.extend(batch);
        Ok(())
    };
    let report = w.cycle(store, &sources, &prepare, &mut write).expect("cycle");
    (report, written)
}

fn items(site: &Site, paths: &[&str]) -> Vec<(String, String)> {
    paths
        .iter()
        .map(|p| (format!("Story {p}"), site.url(p)))
        .collect()
}

#[test]
fn a_cycle_stores_each_article_once_and_the_next_fetches_nothing() {
    let site = Site::start(4);
    site.set(
        "/robots.txt",
        Route::Text("User-agent: *\nDisallow: /private/\n".into()),
    );
    let mut links = vec![
        "/a/1",
        "/a/2",
        "/a/3",
        "/old/4",
        "/private/5",
        "/flaky/6",
        "/menu",
    ];
    for p in ["/a/1", "/a/2", "/a/3"] {
        site.set(p, Route::Page(page(p, &format!("Text of {p}.\n\nMore of {p}."))));
    }
    site.set("/old/4", Route::Redirect(site.url("/a/4")));
    site.set("/a/4", Route::Page(page("four", "Text of four.")));
    site.set("/private/5", Route::Page(page("five", "Private.")));
    site.set(
        "/flaky/6",
        Route::FailFirst(503, 1, Box::new(Route::Page(page("six", "Text of six.")))),
    );
    site.set("/menu", Route::Page("<html><body>menu only</body></html>".into()));
    // A redirect loop ends at the redirect limit, as a failure of that page alone.
    links.push("/loop");
    site.set("/loop", Route::Redirect(site.url("/loop")));
    // The same story under a tracking parameter is the same link.
    let mut feed_items = items(&site, &links);
    feed_items.push(("again".into(), site.url("/a/1?utm_source=rss")));
    site.set(
        "/feed.xml",
        Route::Xml {
            body: rss("Test feed", &feed_items),
            etag: "\"v1\"".into(),
        },
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("w.db")).expect("store");
    let w = Watcher::new(options(2));
    let sources = format!("{}  Test Site #test\n", site.url("/feed.xml"));

    let (r, written) = cycle(&w, &mut store, &sources);
    assert_eq!(r.new_links, 8, "{r:?}");
    let mut got = written.clone();
    got.sort();
    let want: Vec<String> = ["/a/1", "/a/2", "/a/3", "/flaky/6", "/old/4"]
        .iter()
        .map(|p| site.url(p))
        .collect();
    assert_eq!(got, want, "each article once (the redirect under its feed URL)");
    assert_eq!(site.hits("/private/5"), 0, "robots.txt forbids it");
    assert_eq!(site.hits("/robots.txt"), 1, "robots.txt read once per host");
    assert_eq!(site.hits("/flaky/6"), 2, "a 503 is retried");
    assert!(
        site.gzipped.load(std::sync::atomic::Ordering::SeqCst) >= 5,
        "pages came gzipped"
    );
    assert_eq!(
        r.skipped.len(),
        2,
        "robots and the page with no article: {:?}",
        r.skipped
    );
    assert!(
        r.peak_per_host <= 2 && site.peak() <= 2,
        "per-host cap: {}",
        site.peak()
    );
    assert_eq!(r.retrying.len(), 1, "the loop: {:?}", r.retrying);
    assert!(r.retrying[0].0.ends_with("/loop"));
    assert!(
        (6..=14).contains(&site.hits("/loop")),
        "the limit: {}",
        site.hits("/loop")
    );
    let counts = store.link_counts().expect("counts");
    assert_eq!(
        counts,
        vec![
            (LinkStatus::Pending, 1),
            (LinkStatus::Stored, 5),
            (LinkStatus::Skipped, 2)
        ]
    );

    // The second cycle: the feed answers 304, no page is fetched, nothing is written.
    let before: usize = site.hits_under("/a/") + site.hits_under("/old/") + site.hits_under("/flaky/");
    let (r2, written2) = cycle(&w, &mut store, &sources);
    assert_eq!(r2.sources[0].1, SourceOutcome::NotModified);
    assert!(written2.is_empty());
    assert_eq!(r2.fetched, 0);
    assert_eq!(
        site.hits_under("/a/") + site.hits_under("/old/") + site.hits_under("/flaky/"),
        before
    );
    assert_eq!(site.hits("/feed.xml"), 2);

    // A new entry in the feed (a new ETag) is the only page fetched.
    links.push("/a/7");
    site.set("/a/7", Route::Page(page("seven", "Text of seven.")));
    site.set(
        "/feed.xml",
        Route::Xml {
            body: rss("Test feed", &items(&site, &links)),
            etag: "\"v2\"".into(),
        },
    );
    let (r3, written3) = cycle(&w, &mut store, &sources);
    assert_eq!(written3, vec![site.url("/a/7")]);
    assert_eq!(r3.new_links, 1);
    assert_eq!(site.hits("/a/1"), 1, "seen links are not fetched again");
}

#[test]
fn failing_and_malformed_sources_are_reported_backed_off_and_stop_nothing() {
    let site = Site::start(4);
    site.set("/robots.txt", Route::Status(404));
    site.set("/down.xml", Route::Status(500));
    site.set(
        "/broken.xml",
        Route::Text("<rss><channel><item><title>unclosed".into()),
    );
    site.set("/a/1", Route::Page(page("one", "Text of one.")));
    site.set(
        "/feed.xml",
        Route::Xml {
            body: rss("ok", &items(&site, &["/a/1"])),
            etag: "\"e\"".into(),
        },
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("w.db")).expect("store");
    let mut opts = options(2);
    opts.source_backoff = Duration::from_secs(600);
    let w = Watcher::new(opts);
    let sources = format!(
        "{}\n{}\n{}\n",
        site.url("/down.xml"),
        site.url("/broken.xml"),
        site.url("/feed.xml")
    );
    let (r, written) = cycle(&w, &mut store, &sources);
    assert_eq!(written, vec![site.url("/a/1")]);
    let failed: Vec<(&str, &str)> = r.failed_sources().collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(failed
        .iter()
        .any(|(u, why)| u.ends_with("/down.xml") && why.contains("HTTP 500")));
    assert!(failed
        .iter()
        .any(|(u, why)| u.ends_with("/broken.xml") && why.contains("not a readable feed")));
    assert_eq!(
        site.hits("/down.xml"),
        2,
        "a 500 is retried once within the request"
    );
    let down = store
        .source_state(&site.url("/down.xml"))
        .expect("state")
        .expect("kept");
    assert_eq!(down.errors, 1);
    assert!(down.next_attempt.is_some() && down.last_error.as_deref() == Some("HTTP 500"));

    // Next cycle: the failed sources back off (not fetched), the good one is asked again.
    let (r2, _) = cycle(&w, &mut store, &sources);
    let backed: usize = r2
        .sources
        .iter()
        .filter(|(_, o)| matches!(o, SourceOutcome::BackedOff { .. }))
        .count();
    assert_eq!(backed, 2);
    assert_eq!(site.hits("/down.xml"), 2);
}

#[test]
fn a_slow_page_times_out_and_is_retried_in_a_later_cycle() {
    let site = Site::start(4);
    site.set("/robots.txt", Route::Status(404));
    site.set(
        "/slow/1",
        Route::Slow(
            Duration::from_millis(2500),
            Box::new(Route::Page(page("s", "Slow text."))),
        ),
    );
    site.set("/a/2", Route::Page(page("two", "Text of two.")));
    site.set(
        "/feed.xml",
        Route::Xml {
            body: rss("f", &items(&site, &["/slow/1", "/a/2"])),
            etag: "\"e\"".into(),
        },
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("w.db")).expect("store");
    let mut opts = options(2);
    opts.fetch.retries = 0;
    let w = Watcher::new(opts);
    let sources = site.url("/feed.xml");
    let (r, written) = cycle(&w, &mut store, &sources);
    assert_eq!(
        written,
        vec![site.url("/a/2")],
        "the slow page delays nothing else"
    );
    assert_eq!(r.retrying.len(), 1, "{r:?}");
    assert_eq!(store.link_counts().expect("counts")[0], (LinkStatus::Pending, 1));
    // The page is fast now: the next cycle takes the pending link.
    site.set("/slow/1", Route::Page(page("s", "Slow text.")));
    let (_, written) = cycle(&w, &mut store, &sources);
    assert_eq!(written, vec![site.url("/slow/1")]);
}

#[test]
fn a_sitemap_index_and_feed_content_are_read() {
    let site = Site::start(2);
    site.set("/robots.txt", Route::Status(404));
    site.set(
        "/sitemap.xml",
        Route::Xml {
            body: format!(
                "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><sitemap><loc>{}</loc></sitemap></sitemapindex>",
                site.url("/news.xml")
            ),
            etag: "\"s\"".into(),
        },
    );
    site.set(
        "/news.xml",
        Route::Xml {
            body: format!(
                "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>{}</loc><lastmod>2025-12-03</lastmod></url></urlset>",
                site.url("/a/1")
            ),
            etag: "\"n\"".into(),
        },
    );
    site.set("/a/1", Route::Page(page("one", "Text of one.")));
    let long = "The talks resumed in Geneva on Tuesday. ".repeat(60);
    let atom = format!(
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>full</title><id>x</id><updated>2025-12-03T10:00:00Z</updated>\
         <entry><title>Full</title><id>{u}</id><link href=\"{u}\"/><updated>2025-12-03T10:00:00Z</updated><content type=\"html\">&lt;article&gt;&lt;p&gt;{long}&lt;/p&gt;&lt;/article&gt;</content></entry></feed>",
        u = site.url("/full/1")
    );
    site.set(
        "/atom.xml",
        Route::Xml {
            body: atom,
            etag: "\"a\"".into(),
        },
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("w.db")).expect("store");
    let w = Watcher::new(options(2));
    let sources = format!("{}\n{}\n", site.url("/sitemap.xml"), site.url("/atom.xml"));
    let (r, mut written) = cycle(&w, &mut store, &sources);
    written.sort();
    assert_eq!(written, vec![site.url("/a/1"), site.url("/full/1")]);
    assert_eq!(r.from_feed, 1, "the feed carried the whole article");
    assert_eq!(site.hits("/full/1"), 0, "so its page was not fetched");
}
