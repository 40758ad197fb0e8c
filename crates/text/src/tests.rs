use super::*;
use chronicle_core::Pipeline;

fn doc(text: &str) -> Document {
    let mut d = Document::new("t", text, None);
    split(&mut d);
    d
}

fn sents(text: &str) -> Vec<String> {
    let d = doc(text);
    d.sentences.iter().map(|s| d.slice(s.span).to_string()).collect()
}

fn toks(text: &str) -> Vec<String> {
    let d = doc(text);
    d.tokens.iter().map(|t| d.slice(t.span).to_string()).collect()
}

fn kinds(text: &str) -> Vec<(String, TokenKind)> {
    let d = doc(text);
    d.tokens
        .iter()
        .map(|t| (d.slice(t.span).to_string(), t.kind))
        .collect()
}

/// Every structural promise of the layers; returns a description of the first violation.
fn check_invariants(d: &Document) -> Result<(), String> {
    let mut prev_end = 0;
    for (i, t) in d.tokens.iter().enumerate() {
        let s = d.slice(t.span);
        if s.is_empty() || s.trim().is_empty() || s.chars().any(char::is_whitespace) {
            return Err(format!("token {i} {:?} = {s:?}", t.span));
        }
        if t.span.start < prev_end {
            return Err(format!("token {i} not monotonic"));
        }
        prev_end = t.span.end;
    }
    let mut next_tok = 0u32;
    let mut prev = 0;
    for (i, s) in d.sentences.iter().enumerate() {
        if s.tokens.0 != next_tok || s.tokens.1 <= s.tokens.0 {
            return Err(format!("sentence {i} token range {:?}", s.tokens));
        }
        next_tok = s.tokens.1;
        if s.span.start < prev || s.span.is_empty() {
            return Err(format!("sentence {i} span {:?}", s.span));
        }
        prev = s.span.end;
        let p = d.paragraphs.get(s.paragraph as usize).ok_or("paragraph index")?;
        if !p.contains(s.span) {
            return Err(format!("sentence {i} crosses its paragraph"));
        }
        for t in d.sentence_tokens(i) {
            if !s.span.contains(t.span) {
                return Err(format!("token outside sentence {i}"));
            }
        }
    }
    if next_tok as usize != d.tokens.len() {
        return Err("tokens not covered by sentences".into());
    }
    for p in &d.paragraphs {
        let s = d.slice(*p);
        if s.trim() != s || s.is_empty() {
            return Err(format!("paragraph {p:?} not trimmed"));
        }
    }
    Ok(())
}

#[test]
fn paragraphs_are_trimmed_lines() {
    let d = doc("  First para.  \n\n\nSecond one\nThird.\n");
    let ps: Vec<&str> = d.paragraphs.iter().map(|p| d.slice(*p)).collect();
    assert_eq!(ps, ["First para.", "Second one", "Third."]);
    assert_eq!(
        d.sentences.iter().map(|s| s.paragraph).collect::<Vec<_>>(),
        [0, 1, 2]
    );
}

#[test]
fn hard_wrapped_text_is_joined() {
    let text = "Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the \
                drought since early\nJanuary and improving prospects for the coming temporao,\n\
                although normal humidity levels have not been restored,\nComissaria Smith said \
                in its weekly review.\n    The dry period means the temporao will be late this \
                year.\n    Arrivals for the week ended February 22 were 155,221 bags\nof 60 kilos \
                making a cumulative total for the season of 5.93\nmln against 5.81 at the same \
                stage last year.\n";
    let s = sents(text);
    assert_eq!(s.len(), 3, "{s:?}");
    assert!(s[0].starts_with("Showers continued") && s[0].ends_with("weekly review."));
    assert!(s[2].ends_with("last year."));
}

#[test]
fn a_list_of_headlines_is_not_wrapped_text() {
    // Short lines that run on without punctuation but do not fill a column: each one is
    // its own paragraph, so no name joins across them ("Sanzharivka Poroshenko").
    let text = "Ukraine soldier killed in clashes in rebel east\nSanzharivka\nSanzharivka\n\
                Poroshenko wary of Russian threat\nVodiane";
    let s = sents(text);
    assert_eq!(
        s,
        [
            "Ukraine soldier killed in clashes in rebel east",
            "Sanzharivka",
            "Sanzharivka",
            "Poroshenko wary of Russian threat",
            "Vodiane"
        ]
    );
}

#[test]
fn titles_and_acronyms_do_not_end_sentences() {
    let cases = [
        "Mr. Trump met Lt. Col. Smith in St. Louis on Jan. 5 at No. 10 Downing Street.",
        "Gen. Mark Milley spoke to the U.N. Security Council at 3 p.m. local time.",
        "J. R. R. Tolkien and George W. Bush never met.",
        "Apple Inc. and Acme Corp. grew 3.5 percent.",
        "He paused... and then left.",
        "The U.S.-led coalition met in Washington, D.C. yesterday.",
    ];
    for c in cases {
        assert_eq!(sents(c), [c], "{c}");
    }
}

#[test]
fn sentence_ends() {
    assert_eq!(
        sents("It was agreed. He left? Yes! She said: \"We want peace.\" Then they went home."),
        [
            "It was agreed.",
            "He left?",
            "Yes!",
            "She said: \"We want peace.\"",
            "Then they went home."
        ]
    );
    assert_eq!(
        sents("He said “a just peace.” The talks ended (finally.) Next week is key."),
        [
            "He said “a just peace.”",
            "The talks ended (finally.)",
            "Next week is key."
        ]
    );
    // A sentence-final acronym followed by a typical sentence opener.
    assert_eq!(
        sents("Troops arrived in the U.S. The president welcomed them."),
        ["Troops arrived in the U.S.", "The president welcomed them."]
    );
    // "Why?" inside a quote followed by a lower-case speech verb stays one sentence.
    assert_eq!(
        sents("\"Why?\" he asked. Nobody knew."),
        ["\"Why?\" he asked.", "Nobody knew."]
    );
    assert_eq!(
        sents("Prices rose 5%. Exports fell."),
        ["Prices rose 5%.", "Exports fell."]
    );
}

#[test]
fn tokens_words_numbers_quotes() {
    assert_eq!(
        toks("Trump’s plan doesn’t work, it's 3.5% of $1,200 in the U.S. (1990s)."),
        [
            "Trump", "’s", "plan", "does", "n’t", "work", ",", "it", "'s", "3.5", "%", "of", "$", "1,200",
            "in", "the", "U.S.", "(", "1990s", ")", "."
        ]
    );
    assert_eq!(
        toks("O’Brien's well-known 10:30 meeting"),
        ["O’Brien", "'s", "well-known", "10:30", "meeting"]
    );
    assert_eq!(
        toks("COVID-19 and F-16s, 3rd time."),
        ["COVID-19", "and", "F-16s", ",", "3rd", "time", "."]
    );
    assert_eq!(toks("Wait... what…"), ["Wait", "...", "what", "…"]);
    let k = kinds("the 2022 talks");
    assert_eq!(k[1], ("2022".to_string(), TokenKind::Number));
    assert_eq!(k[0].1, TokenKind::Word);
}

#[test]
fn quote_marks_and_direction() {
    use QuoteMark::*;
    let d = doc("“a” «b» „c“ ‘d’ ‹e› \"f\" 'g' x \" y");
    let q: Vec<(String, QuoteMark, bool)> = d
        .tokens
        .iter()
        .filter_map(|t| match t.kind {
            TokenKind::Quote(m) => Some((d.slice(t.span).to_string(), m, t.double_quote)),
            _ => None,
        })
        .collect();
    let want = [
        ("“", Open, true),
        ("”", Close, true),
        ("«", Open, true),
        ("»", Close, true),
        ("„", Open, true),
        ("“", Open, true),
        ("‘", Open, false),
        ("’", Close, false),
        ("‹", Open, false),
        ("›", Close, false),
        ("\"", Open, true),
        ("\"", Close, true),
        ("'", Open, false),
        ("'", Close, false),
        ("\"", Ambiguous, true),
    ];
    let got: Vec<(&str, QuoteMark, bool)> = q.iter().map(|(s, m, d)| (s.as_str(), *m, *d)).collect();
    assert_eq!(got, want);
    // Plural possessive is punctuation, not a closing quote.
    let k = kinds("the allies’ support");
    assert_eq!(k[2], ("’".to_string(), TokenKind::Punct));
    // ... but it closes an open single quotation.
    let k = kinds("a ‘shocking’ plan by the ‘allies’ today");
    assert_eq!(k[9], ("’".to_string(), TokenKind::Quote(QuoteMark::Close)));
}

#[test]
fn space_before_and_code_point_offsets() {
    let d = doc("Zelensky’s “plan” — ok.");
    let t: Vec<(&str, bool)> = d
        .tokens
        .iter()
        .map(|t| (d.slice(t.span), t.space_before))
        .collect();
    assert_eq!(
        t,
        [
            ("Zelensky", true),
            ("’s", false),
            ("“", true),
            ("plan", false),
            ("”", false),
            ("—", true),
            ("ok", true),
            (".", false)
        ]
    );
    assert_eq!(d.tokens[2].span, Span::new(11, 12));
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "",
        "\n\n\n",
        "   ",
        ".",
        "'",
        "\"",
        "’s",
        "n't",
        "U.",
        "A.",
        "a.b",
        "...",
        "No.",
        "Mr.",
        "1.",
        "1,",
        "x’",
        "e\u{301}t\u{e9}",
        "👍🏽 ok. 你好。",
        "‘’“”«»„‚‹›",
        "3rdx 1990sx --- —— ?!?! ..?",
    ] {
        let d = doc(text);
        check_invariants(&d).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    }
}

#[test]
fn runs_as_a_pipeline_stage() {
    let p = Pipeline::new(vec![Box::new(TextStage::new())]);
    let Ok(p) = p else { panic!("pipeline") };
    let mut d = Document::new("x", "One. Two.", None);
    p.run(&mut d);
    assert_eq!(d.sentences.len(), 2);
    assert_eq!(
        d.layers_done(),
        &[Layer::Text, Layer::Paragraphs, Layer::Sentences, Layer::Tokens]
    );
}

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seed/peace-talks.txt"
);
const CORPORA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpora");

#[test]
fn seed_article() {
    let Ok(text) = std::fs::read_to_string(SEED) else {
        eprintln!("skipping: {SEED} missing");
        return;
    };
    let d = doc(&text);
    check_invariants(&d).unwrap_or_else(|e| panic!("{e}"));
    let s: Vec<&str> = d.sentences.iter().map(|s| d.slice(s.span)).collect();
    eprintln!(
        "seed: {} paragraphs, {} sentences, {} tokens",
        d.paragraphs.len(),
        s.len(),
        d.tokens.len()
    );
    assert!(s.iter().any(
        |s| s.starts_with("Mr Trump insisted the Kremlin talks had been positive,")
            && s.ends_with("convinced Putin wants a deal.")
    ));
    assert!(s.contains(
        &"The US envoys are due to meet Ukraine’s lead negotiator, Rustem Umerov, in Miami on Thursday."
    ));
    assert!((20..=40).contains(&s.len()), "{} sentences", s.len());
}

#[test]
fn corpora_invariants() {
    let Ok(dirs) = std::fs::read_dir(CORPORA) else {
        eprintln!("skipping: {CORPORA} missing");
        return;
    };
    let mut files: Vec<_> = dirs.flatten().map(|e| e.path()).collect();
    files.sort();
    let (mut n, mut bytes, mut sentences) = (0usize, 0usize, 0usize);
    let start = std::time::Instant::now();
    let mut elapsed = std::time::Duration::ZERO;
    for dir in files {
        let Ok(inner) = std::fs::read_dir(&dir) else {
            continue;
        };
        for f in inner.flatten().map(|e| e.path()) {
            if f.extension().and_then(|e| e.to_str()) != Some("jsonl") {
                continue;
            }
            let Ok(body) = std::fs::read_to_string(&f) else {
                continue;
            };
            for line in body.lines().take(600) {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                    continue;
                };
                let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
                    continue;
                };
                let mut d = Document::new("c", text, None);
                let t0 = std::time::Instant::now();
                split(&mut d);
                elapsed += t0.elapsed();
                check_invariants(&d).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
                n += 1;
                bytes += text.len();
                sentences += d.sentences.len();
            }
        }
    }
    let mbs = bytes as f64 / 1e6 / elapsed.as_secs_f64().max(1e-9);
    eprintln!(
        "corpora: {n} docs, {bytes} bytes, {sentences} sentences, split at {mbs:.1} MB/s ({:?} total)",
        start.elapsed()
    );
}

#[test]
fn a_run_without_full_stops_is_cut_into_bounded_windows_that_tile_it() {
    // A scraped list: 3,000 words and commas, no full stop.
    let text = (0..1500)
        .map(|i| format!("item{i},"))
        .collect::<Vec<_>>()
        .join(" ");
    let d = doc(&text);
    check_invariants(&d).expect("layers stay well formed");
    assert!(d.sentences.len() >= 3000 / MAX_SENTENCE_TOKENS);
    for (i, s) in d.sentences.iter().enumerate() {
        let n = (s.tokens.1 - s.tokens.0) as usize;
        assert!(n <= MAX_SENTENCE_TOKENS, "sentence {i} has {n} tokens");
        // Cut after a comma when there is one in the window's second half.
        assert!(
            d.slice(s.span).ends_with(','),
            "sentence {i} ends {:?}",
            d.slice(s.span)
        );
    }
    // Without any clause mark, the cut falls at the window's end; nothing is lost.
    let text = "word ".repeat(1000);
    let d = doc(&text);
    check_invariants(&d).expect("layers stay well formed");
    let lens: Vec<u32> = d.sentences.iter().map(|s| s.tokens.1 - s.tokens.0).collect();
    assert_eq!(lens.iter().sum::<u32>(), 1000);
    assert!(
        lens.iter().all(|&n| n as usize <= MAX_SENTENCE_TOKENS),
        "{lens:?}"
    );
    // An ordinary sentence is untouched.
    assert_eq!(
        sents("Russia said talks would go on. Kyiv disagreed."),
        ["Russia said talks would go on.", "Kyiv disagreed."]
    );
}
