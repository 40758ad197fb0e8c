//! Measures how long the embedded gazetteer takes to load (decompression included):
//! `cargo run --release -p chronicle-gazetteer --example load_time`.

fn main() {
    let t = std::time::Instant::now();
    let gz = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/cities.tsv.gz")).unwrap_or_default();
    let mut s = String::new();
    let _ = std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut s);
    let inflate = t.elapsed();
    let t = std::time::Instant::now();
    let g = chronicle_gazetteer::Gazetteer::global();
    let load = t.elapsed();
    let t = std::time::Instant::now();
    let n = g.places("Kyiv").len() + g.places("Springfield").len();
    println!(
        "inflate alone {:.1} ms; load {:.1} ms; first lookups {:?} ({n} candidates); {g:?}",
        inflate.as_secs_f64() * 1e3,
        load.as_secs_f64() * 1e3,
        t.elapsed()
    );
}
