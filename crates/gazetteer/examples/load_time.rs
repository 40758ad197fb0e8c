//! Measures how long the embedded gazetteer takes to load:
//! `cargo run --release -p chronicle-gazetteer --example load_time`.

fn main() {
    let t = std::time::Instant::now();
    let g = chronicle_gazetteer::Gazetteer::global();
    let load = t.elapsed();
    let t = std::time::Instant::now();
    let n = g.places("Kyiv").len() + g.places("Springfield").len();
    println!(
        "load {:.1} ms; first lookups {:?} ({n} candidates); {g:?}",
        load.as_secs_f64() * 1e3,
        t.elapsed()
    );
}
