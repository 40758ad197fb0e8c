//! Scores the builtin model on a CoNLL JSONL file, either with document context (sentences
//! of one `doc` tagged together) or sentence by sentence (`--per-sentence`, how
//! `chronicle eval ner` feeds the pipeline: one gold line, one document).
//!
//! `cargo run --release -p chronicle-ner --example eval -- FILE [--per-sentence]`

use chronicle_ner::{evaluate_sentences, read_jsonl, NerModel};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: eval FILE.jsonl [--per-sentence]");
        std::process::exit(2);
    };
    let per_sentence = args.iter().any(|a| a == "--per-sentence");
    let Some(model) = NerModel::builtin() else {
        eprintln!("no usable builtin model");
        std::process::exit(1);
    };
    let mut sents = match read_jsonl(std::path::Path::new(path)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    if per_sentence {
        for (i, s) in sents.iter_mut().enumerate() {
            s.doc = i as u64;
        }
    }
    println!("{}", evaluate_sentences(model, &sents).report());
}
