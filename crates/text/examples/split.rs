//! Prints one sentence per line (for plain text, or `--jsonl` records) (`|` between tokens with `--tokens`) for text on stdin:
//! a quick way to eyeball the splitter on a corpus.
use std::io::Read;

fn main() {
    let mut text = String::new();
    if std::io::stdin().read_to_string(&mut text).is_err() {
        eprintln!("stdin is not UTF-8 text");
        std::process::exit(2);
    }
    let tokens = std::env::args().any(|a| a == "--tokens");
    if std::env::args().any(|a| a == "--jsonl") {
        for line in text.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                print_doc(t, tokens);
                println!();
            }
        }
    } else {
        print_doc(&text, tokens);
    }
}

fn print_doc(text: &str, tokens: bool) {
    let mut doc = chronicle_core::Document::new("stdin", text, None);
    chronicle_text::split(&mut doc);
    for (i, s) in doc.sentences.iter().enumerate() {
        if tokens {
            let t: Vec<&str> = doc.sentence_tokens(i).iter().map(|t| doc.slice(t.span)).collect();
            println!("[{}] {}", s.paragraph, t.join("|"));
        } else {
            println!("[{}] {}", s.paragraph, doc.slice(s.span).replace('\n', " "));
        }
    }
}
