//! Load test of the API over a million events (issue 8's bar: p99 <= 50 ms with 50
//! concurrent clients). Builds (once, then reuses) a store of synthetic reports under
//! `target/bench-data/`, serves it on 127.0.0.1 on a free port, and runs 50 client threads,
//! each sending a bounded number of keep-alive requests that cycle through an analyst's
//! query mix (filters by actor, dyad, CAMEO root and date range, PLOVER type, place,
//! modality, clusters, deep pages). Prints latency percentiles per query and overall.
//!
//! `cargo bench -p chronicle-server --bench load [-- EVENTS CLIENTS REQUESTS_PER_CLIENT [SECONDS]]`
//!
//! The server runs in a child process (this bench binary started again with
//! `CHRONICLE_LOAD_SERVE=DB`), so its memory is its own: the resident set is sampled every
//! second and reported at the end of the warm-up, at the end, at its highest, and as a
//! trend (MB per minute over the samples after warm-up). With SECONDS, every client stops
//! at that deadline or at its request count, whichever comes first (issue 10's soak: 50
//! clients for 60 s, no error answers, no memory growth after warm-up).
//!
//! The reports are the seed article's record with its events re-coded from fixed lists of
//! actors, CAMEO codes, places and days (a deterministic generator), so the store has the
//! seed's real text, entities and quotes for every article and a spread of event values
//! that filters can select from.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chronicle_record::Record;
use chronicle_store::RecordStore;
use chronicle_store::{Prepared, Store};

const SEED: &str = include_str!("../../cli/fixtures/seed-peace-talks.jsonl");

const ACTORS: &[&str] = &[
    "RUS", "RUSGOV", "RUSMIL", "UKR", "UKRGOV", "UKRMIL", "USA", "USAGOV", "CHN", "CHNGOV", "ISR", "ISRMIL",
    "IRN", "PSE", "SYR", "TUR", "DEU", "FRA", "GBR", "EUR", "IGOUNO", "NGO", "UKRCVL", "RUSOPP", "BLR",
    "POL", "IND", "JPN", "PRK", "KOR",
];
const CAMEO: &[(&str, &str, i64, f64, &str)] = &[
    ("010", "01", 1, 0.0, "AGREE"),
    ("036", "03", 1, 4.0, "CONSULT"),
    ("042", "04", 1, 1.9, "CONSULT"),
    ("051", "05", 1, 3.5, "COOPERATE"),
    ("070", "07", 2, 7.0, "AID"),
    ("111", "11", 3, -2.0, "ACCUSE"),
    ("112", "11", 3, -2.0, "ACCUSE"),
    ("120", "12", 3, -4.0, "REJECT"),
    ("130", "13", 3, -4.4, "THREATEN"),
    ("141", "14", 3, -6.5, "PROTEST"),
    ("163", "16", 3, -5.6, "SANCTION"),
    ("173", "17", 4, -5.0, "COERCE"),
    ("190", "19", 4, -10.0, "ASSAULT"),
    ("193", "19", 4, -10.0, "ASSAULT"),
    ("195", "19", 4, -10.0, "ASSAULT"),
];
const PLACES: &[(&str, &str, &str, f64, f64)] = &[
    ("Kyiv", "UKR", "Kyiv City", 50.45, 30.52),
    ("Kharkiv", "UKR", "Kharkiv Oblast", 49.99, 36.23),
    ("Pokrovsk", "UKR", "Donetsk Oblast", 48.28, 37.18),
    ("Dnipro", "UKR", "Dnipropetrovsk Oblast", 48.46, 35.04),
    ("Moscow", "RUS", "Moscow", 55.75, 37.62),
    ("Belgorod", "RUS", "Belgorod Oblast", 50.6, 36.6),
    ("Washington", "USA", "District of Columbia", 38.9, -77.04),
    ("Gaza", "PSE", "Gaza Strip", 31.5, 34.47),
    ("Tehran", "IRN", "Tehran", 35.69, 51.39),
    ("Beijing", "CHN", "Beijing", 39.9, 116.4),
    ("Brussels", "BEL", "Brussels Capital", 50.85, 4.35),
    ("Istanbul", "TUR", "Istanbul", 41.01, 28.98),
];
const MODALITIES: &[&str] = &[
    "asserted", "asserted", "reported", "reported", "claimed", "denied", "future",
];

/// A deterministic stream of numbers (SplitMix64): the same store on every machine.
struct Numbers(u64);
impl Numbers {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[(self.next() % from.len() as u64) as usize]
    }
}

fn seed_record() -> Option<Record> {
    let article = chronicle_record::InputArticle::from_json_line(SEED.lines().next()?, "seed").ok()?;
    let engine = chronicle_pipeline::Engine::new().ok()?;
    Some(engine.process(article).1)
}

fn day(n: u64) -> String {
    // Days from 2024-01-01 over two years, by civil calendar arithmetic.
    let days = [
        31u64, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ];
    let mut d = n % 731;
    for (i, len) in days.iter().enumerate() {
        if d < *len {
            return format!("{}-{:02}-{:02}", 2024 + i / 12, i % 12 + 1, d + 1);
        }
        d -= len;
    }
    "2025-12-31".into()
}

fn build(path: &Path, events: usize) -> Result<(), String> {
    let base = seed_record().ok_or("the seed snapshot has no readable record")?;
    let per = base.events.len().max(1);
    let articles = events.div_ceil(per);
    let mut rng = Numbers(8);
    let mut store = Store::open(path).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut batch = Vec::with_capacity(1000);
    for i in 0..articles {
        let mut r = base.clone();
        r.id = format!("load-{i}");
        let article_day = rng.next();
        r.published = Some(day(article_day));
        r.source = Some(format!("outlet-{}", rng.next() % 40));
        r.url = Some(format!("https://example.org/{i}"));
        for e in &mut r.events {
            let (cameo, root, quad, goldstein, plover) = *rng.pick(CAMEO);
            e.cameo = cameo.into();
            e.root = root.into();
            e.quad = quad as u8;
            e.goldstein = goldstein as f32;
            e.plover.kind = plover.into();
            e.modality = (*rng.pick(MODALITIES)).into();
            e.date = Some(day(article_day + rng.next() % 3));
            for side in [&mut e.source, &mut e.target].into_iter().flatten() {
                side.code = Some((*rng.pick(ACTORS)).into());
            }
            if let Some(l) = e.location.as_mut() {
                let (name, country, admin1, lat, lon) = *rng.pick(PLACES);
                l.name = name.into();
                l.country = Some(country.into());
                l.admin1 = Some(admin1.into());
                l.lat = lat;
                l.lon = lon;
            }
        }
        batch.push(Prepared::new(r).map_err(|e| e.to_string())?);
        if batch.len() == 1000 {
            store.put_prepared(&batch).map_err(|e| e.to_string())?;
            batch.clear();
            eprint!("\r  {} / {articles} articles", i + 1);
        }
    }
    store.put_prepared(&batch).map_err(|e| e.to_string())?;
    let c = store.counts().map_err(|e| e.to_string())?;
    eprintln!(
        "\r  built {}: {} articles, {} events in {:.0} s ({:.0} articles/s)",
        path.display(),
        c.articles,
        c.events,
        started.elapsed().as_secs_f64(),
        c.articles as f64 / started.elapsed().as_secs_f64()
    );
    Ok(())
}

const MIX: &[(&str, &str)] = &[
    ("latest page", "/api/events?limit=100"),
    ("actor", "/api/events?actor=RUSMIL&limit=100"),
    ("dyad", "/api/events?source=USA&target=CHN&limit=100"),
    (
        "root+dates",
        "/api/events?cameo=19&since=2024-03-01&until=2024-03-31&limit=100",
    ),
    ("plover", "/api/events?plover=SANCTION&limit=50"),
    ("place", "/api/events?place=Pokrovsk&limit=50"),
    ("modality", "/api/events?modality=denied&limit=100"),
    ("clusters", "/api/events?clustered=true&limit=100"),
    ("deep page", "/api/events?limit=100&offset=20000"),
    ("one article", "/api/events?article=load-4242"),
];

/// One keep-alive GET; the status code.
fn get(stream: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<u16> {
    write!(stream.get_mut(), "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n")?;
    let mut line = String::new();
    stream.read_line(&mut line)?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        stream.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body)?;
    Ok(status)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let events = args.first().copied().unwrap_or(1_000_000);
    let clients = args.get(1).copied().unwrap_or(50);
    let per_client = args.get(2).copied().unwrap_or(200);
    let seconds = args.get(3).copied();
    if let Ok(db) = std::env::var("CHRONICLE_LOAD_SERVE") {
        serve_child(db);
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    let _ = std::fs::create_dir_all(&dir);
    let db = dir.join(format!("load-{events}.db"));
    if !db.is_file() {
        eprintln!(
            "building a store of {events} events (once; kept at {})",
            db.display()
        );
        let tmp = db.with_extension("tmp");
        let _ = std::fs::remove_file(&tmp);
        if let Err(e) =
            build(&tmp, events).and_then(|_| std::fs::rename(&tmp, &db).map_err(|e| e.to_string()))
        {
            eprintln!("load bench: {e}");
            std::process::exit(1);
        }
    }
    let server = match start_server(&db) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("load bench: {e}");
            std::process::exit(1);
        }
    };
    let addr = server.addr;
    // Warm-up: every query once, so the first-touch page reads are not in the figures.
    if let Ok(s) = TcpStream::connect(addr) {
        let mut s = BufReader::new(s);
        for (_, q) in MIX {
            let _ = get(&mut s, q);
        }
    }
    // `LOAD_ONLY=NAME` sends one query of the mix only (to profile it).
    let only = std::env::var("LOAD_ONLY")
        .ok()
        .and_then(|n| MIX.iter().position(|(name, _)| *name == n));
    let warm_rss = server.rss_mb();
    let sampler = server.sample_every_second();
    // With SECONDS, the clients first run the same mix for the warm-up (LOAD_WARMUP
    // seconds, default 30), which fills the server's caches; figures count the measured
    // window only.
    let warmup = seconds.map_or(0, |_| {
        std::env::var("LOAD_WARMUP")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(30)
    });
    let started = Instant::now();
    let measured_from = started + Duration::from_secs(warmup);
    let deadline = seconds.map(|s| measured_from + Duration::from_secs(s as u64));
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            std::thread::spawn(move || {
                let mut times: Vec<(usize, Duration, u16)> = Vec::with_capacity(per_client.min(100_000));
                let Ok(s) = TcpStream::connect(addr) else {
                    return times;
                };
                let _ = s.set_nodelay(true);
                let mut s = BufReader::new(s);
                for j in 0..per_client {
                    if deadline.is_some_and(|d| Instant::now() >= d) {
                        break;
                    }
                    let k = match only {
                        Some(k) => k,
                        None => (c + j) % MIX.len(),
                    };
                    let t = Instant::now();
                    let status = get(&mut s, MIX[k].1).unwrap_or(0);
                    if t >= measured_from {
                        times.push((k, t.elapsed(), status));
                    }
                }
                times
            })
        })
        .collect();
    let mut all: Vec<(usize, Duration, u16)> = Vec::new();
    for t in threads {
        all.extend(t.join().unwrap_or_default());
    }
    let wall = measured_from.elapsed().as_secs_f64();
    let samples = sampler.stop();
    let end_rss = server.rss_mb();
    let failed = all.iter().filter(|x| x.2 != 200).count();
    println!(
        "{} requests from {clients} clients over {events} events in {wall:.1} s: {:.0} requests/s, {failed} not 200",
        all.len(),
        all.len() as f64 / wall
    );
    println!(
        "{:<12} {:>8} {:>8} {:>8} {:>8}",
        "query", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for (k, (name, _)) in MIX.iter().enumerate() {
        let mut d: Vec<Duration> = all.iter().filter(|x| x.0 == k).map(|x| x.1).collect();
        d.sort();
        println!(
            "{name:<12} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
            percentile(&d, 0.5),
            percentile(&d, 0.9),
            percentile(&d, 0.99),
            percentile(&d, 1.0)
        );
    }
    let mut d: Vec<Duration> = all.iter().map(|x| x.1).collect();
    d.sort();
    println!(
        "{:<12} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
        "all",
        percentile(&d, 0.5),
        percentile(&d, 0.9),
        percentile(&d, 0.99),
        percentile(&d, 1.0)
    );
    // Memory over the measured window (after the warm-up).
    let warm_at = warmup as f64;
    let after: Vec<(f64, f64)> = samples.iter().copied().filter(|x| x.0 >= warm_at).collect();
    let warm = after.first().map_or(warm_rss, |x| x.1);
    let peak = after.iter().map(|x| x.1).fold(warm, f64::max);
    let trend = trend_mb_per_min(&after);
    println!(
        "server memory (resident): {warm_rss:.0} MB before the load, {warm:.0} MB after {warmup} s of warm-up, \
         {end_rss:.0} MB at the end, {peak:.0} MB at most after warm-up; trend {trend:+.2} MB/min over {} samples",
        after.len()
    );
    drop(server);
}

/// The server child: serves `db` on a free loopback port and prints the port.
fn serve_child(db: String) {
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let _ = chronicle_server::serve_blocking(db, addr, Default::default(), |bound| {
        println!("{}", bound.port());
        let _ = std::io::stdout().flush();
    });
}

/// The server in its child process.
struct Server {
    child: std::process::Child,
    addr: SocketAddr,
}

fn start_server(db: &Path) -> Result<Server, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = std::process::Command::new(exe)
        .env("CHRONICLE_LOAD_SERVE", db)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        let _ = BufReader::new(out).read_line(&mut line);
    }
    let port: u16 = line
        .trim()
        .parse()
        .map_err(|_| format!("the server did not start ({line:?})"))?;
    Ok(Server {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
    })
}

impl Server {
    fn rss_mb(&self) -> f64 {
        rss_mb(self.child.id())
    }

    /// Samples the resident set every second on a thread until `stop`.
    fn sample_every_second(&self) -> Sampler {
        let pid = self.child.id();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let t0 = Instant::now();
            let mut out = Vec::new();
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(Duration::from_secs(1));
                out.push((t0.elapsed().as_secs_f64(), rss_mb(pid)));
            }
            out
        });
        Sampler { stop, handle }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Sampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<Vec<(f64, f64)>>,
}

impl Sampler {
    fn stop(self) -> Vec<(f64, f64)> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.handle.join().unwrap_or_default()
    }
}

/// A process's resident set in MB (Linux `/proc`; 0 elsewhere).
fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Least-squares slope of (seconds, MB), in MB per minute.
fn trend_mb_per_min(samples: &[(f64, f64)]) -> f64 {
    let n = samples.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let (mx, my) = samples
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (num, den) = samples.iter().fold((0.0, 0.0), |(a, b), (x, y)| {
        (a + (x - mx) * (y - my), b + (x - mx) * (x - mx))
    });
    if den == 0.0 {
        0.0
    } else {
        num / den * 60.0
    }
}
