//! Tags a plain-text article with the builtin model and prints the candidates, for eyeballing
//! the model on real news (tokenised by chronicle-text).
//!
//! `cargo run --release -p chronicle-ner --example tag_text -- ARTICLE.txt`

use chronicle_core::{Document, Stage};
use chronicle_entities::CandidateProvider;
use chronicle_ner::NerProvider;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: tag_text ARTICLE.txt");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let mut doc = Document::new("doc", text, None);
    chronicle_text::TextStage::new().run(&mut doc);
    let t = std::time::Instant::now();
    let mut c = NerProvider.candidates(&doc);
    let took = t.elapsed();
    c.sort_by_key(|c| c.span.start);
    for x in &c {
        println!(
            "{:>6}-{:<6} {:<5} {:?} {:.2}  {}",
            x.span.start,
            x.span.end,
            x.kind.as_str(),
            x.mention,
            x.confidence,
            doc.slice(x.span)
        );
    }
    eprintln!(
        "{} candidates, {} tokens, {:?} (incl. model load)",
        c.len(),
        doc.tokens.len(),
        took
    );
}
