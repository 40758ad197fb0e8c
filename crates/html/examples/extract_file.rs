//! Prints what `chronicle_html` extracts from an HTML file: `extract_file PATH [density]`.

use chronicle_html::{extract_with, Method};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: extract_file PATH [density]");
        std::process::exit(2);
    };
    let method = if args.next().as_deref() == Some("density") {
        Method::Density
    } else {
        Method::Readability
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let html = String::from_utf8_lossy(&bytes);
    let ex = extract_with(&html, method);
    println!(
        "title: {:?}\npublished: {:?}\n\n{}",
        ex.title, ex.published, ex.text
    );
}
