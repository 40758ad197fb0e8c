//! Smoke run over real news (skips when ../shared is missing): no panics, spans slice to
//! the entity's mention text, ids dense. `ENT_SHOW=n` prints the entities of article n.
mod common;

use chronicle_core::Stage;
use chronicle_entities::EntityStage;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpora/bbc_news_2225/bbc_news_2225.jsonl"
);

fn text_field(line: &str) -> Option<String> {
    let i = line.find("\"text\": \"")? + 9;
    let mut out = String::new();
    let mut it = line.get(i..)?.chars();
    while let Some(c) = it.next() {
        match c {
            '"' => return Some(out),
            '\\' => match it.next()? {
                'n' => out.push('\n'),
                'u' => {
                    let h: String = it.by_ref().take(4).collect();
                    out.push(
                        u32::from_str_radix(&h, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .unwrap_or(' '),
                    );
                }
                x => out.push(x),
            },
            x => out.push(x),
        }
    }
    None
}

#[test]
fn bbc_smoke() {
    let Ok(data) = std::fs::read_to_string(PATH) else {
        eprintln!("skipping: {PATH} not found");
        return;
    };
    let show: Option<usize> = std::env::var("ENT_SHOW").ok().and_then(|v| v.parse().ok());
    let stage = EntityStage::new();
    let mut n = 0;
    for (k, line) in data
        .lines()
        .take(if show.is_some() { 2000 } else { 300 })
        .enumerate()
    {
        let Some(text) = text_field(line) else { continue };
        let mut d = common::doc(&text);
        stage.run(&mut d);
        n += d.entities.len();
        for (i, e) in d.entities.iter().enumerate() {
            assert_eq!(e.id.0 as usize, i);
            assert!(!e.mentions.is_empty());
            for m in &e.mentions {
                assert!(!d.slice(m.span).is_empty());
            }
        }
        if show == Some(k) {
            for e in &d.entities {
                let ms: Vec<&str> = e.mentions.iter().map(|m| d.slice(m.span)).collect();
                let code = e.actor.as_ref().and_then(|a| a.code()).unwrap_or_default();
                eprintln!(
                    "{:4} {:24} {:8} {:20} {:?}",
                    e.kind.as_str(),
                    e.name,
                    code,
                    e.title.clone().unwrap_or_default(),
                    ms
                );
            }
        }
    }
    assert!(n > 300, "too few entities on 300 BBC articles: {n}");
    // Throughput of the stage alone (best of three passes; the machine is shared).
    let docs: Vec<_> = data
        .lines()
        .take(300)
        .filter_map(text_field)
        .map(|t| common::doc(&t))
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text().len()).sum();
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    for _ in 0..3 {
        let mut ds = docs.clone();
        let c0 = cpu_ns();
        let t0 = std::time::Instant::now();
        for d in &mut ds {
            stage.run(d);
        }
        best = best.min(t0.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, cpu_ns()) {
            best_cpu = best_cpu.min((b - a) as f64 / 1e9);
        }
    }
    eprintln!(
        "entities stage: {:.1} MB/s wall, {:.1} MB/s per CPU-second, on {} BBC articles ({} bytes)",
        bytes as f64 / 1e6 / best,
        bytes as f64 / 1e6 / best_cpu,
        docs.len(),
        bytes
    );
}

/// Nanoseconds this thread has run on a CPU (Linux), so the figure survives a loaded machine.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
