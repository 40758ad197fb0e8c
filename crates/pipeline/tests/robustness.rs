//! Bad input through TextStage + TimexStage + EntityStage, with each name finder (the NER
//! model of the default pipeline and the rule finder): generated texts (all-caps
//! headlines, no capitals, 10,000-char tokens, mixed scripts, names in other alphabets,
//! runs of quotes/hyphens/apostrophes) must not panic, every mention span must lie inside
//! the text on character boundaries, and 1 MB inputs must run in linear time.
use chronicle_core::{Document, NaiveDate, Stage};
use chronicle_entities::EntityStage;
use chronicle_text::TextStage;
use chronicle_time::TimexStage;
use std::time::{Duration, Instant};

/// xorshift64*: deterministic, so a failure reproduces from the printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const PIECES: &[&str] = &[
    "Vladimir Putin",
    "Putin",
    "Mr Trump",
    "Donald Trump’s",
    "the Kremlin",
    "Kremlin spokesman Dmitry Peskov",
    "UK Foreign Secretary Yvette Cooper",
    "Finland’s Elina Valtonen",
    "NATO Secretary-General Mark Rutte",
    "he",
    "she",
    "his",
    "the Russian leader",
    "said",
    "on Tuesday",
    "last month",
    "in 2022",
    "and",
    ",",
    ".",
    "“",
    "”",
    "\"",
    "'",
    "’",
    "‘",
    "«",
    "»",
    "-",
    "—",
    "–",
    "'s",
    "’s",
    "O'Neill",
    "d’Alembert",
    "Jean-Noël Barrot",
    "al-Sharaa",
    "Ben-Gvir",
    "U.S.",
    "U.K.",
    "E.U.",
    "Dr.",
    "St.",
    "(",
    ")",
    "Владимир Путин",
    "Зеленский",
    "Кремль",
    "习近平",
    "北京",
    "東京都",
    "이재명",
    "زيلينسكي",
    "بوتين",
    "Ελλάδα",
    "עברית",
    "😀",
    "🇺🇦",
    "👨‍👩‍👧",
    "\u{301}",
    "e\u{301}",
    "\u{200d}",
    "\u{feff}",
    "\t",
    "\n",
    "\n\n",
    "WASHINGTON",
    "KYIV (Reuters) -",
    "PUTIN REJECTS PLAN",
    "ZELENSKY SAYS",
    "",
    "1,200",
    "3.5",
    "12:30",
    "ministers",
    "troops",
    "former President",
    "the White House",
    "Downing Street",
    "Élysée",
];

const WORDS: &[&str] = &[
    "the",
    "talks",
    "peace",
    "plan",
    "he",
    "she",
    "said",
    "putin",
    "trump",
    "kremlin",
    "moscow",
    "kyiv",
    "minister",
    "foreign",
    "president",
    "war",
    "'",
    "-",
    "’s",
    "“",
    "”",
    "and",
    "of",
];

fn generate(rng: &mut Rng) -> String {
    let mut s = String::new();
    let shape = rng.below(7);
    let n = 1 + rng.below(200);
    for _ in 0..n {
        let piece = match shape {
            // No capitals at all.
            0 => rng.pick(WORDS).to_string(),
            // All-caps headline.
            1 => rng.pick(PIECES).to_uppercase(),
            // One huge token somewhere.
            2 if rng.below(20) == 0 => {
                let unit = rng.pick(&["a", "Ж", "語", "😀", "-", "'", "A"]);
                unit.repeat(10_000)
            }
            // Runs of punctuation.
            3 => rng
                .pick(&[
                    "'", "’", "-", "—", "\"", "“", "”", "'s", "--", "''", "Mr", "O'", "A",
                ])
                .to_string(),
            _ => rng.pick(PIECES).to_string(),
        };
        s.push_str(&piece);
        if rng.below(4) != 0 {
            s.push(' ');
        }
    }
    s
}

/// The entity stage with each name finder: the default (statistical) one and the rules.
fn finders() -> [(&'static str, EntityStage); 2] {
    [
        ("ner", chronicle_pipeline::entity_stage()),
        ("rules", EntityStage::new()),
    ]
}

fn pipeline(text: &str, published: Option<NaiveDate>, stage: &EntityStage) -> Document {
    let mut d = Document::new("gen", text, published);
    TextStage::new().run(&mut d);
    TimexStage::new().run(&mut d);
    stage.run(&mut d);
    d
}

fn check(d: &Document, label: &str) {
    let n = d.char_len();
    for (i, e) in d.entities.iter().enumerate() {
        assert_eq!(e.id.0 as usize, i, "{label}: ids dense");
        assert!(!e.mentions.is_empty(), "{label}: entity without mentions");
        for m in &e.mentions {
            let s = m.span;
            assert!(s.start < s.end, "{label}: empty span {s:?} of {}", e.name);
            assert!(s.end <= n, "{label}: span {s:?} past the end ({n})");
            let slice = d.slice(s);
            assert_eq!(
                slice.chars().count() as u32,
                s.len(),
                "{label}: span {s:?} not on character boundaries"
            );
            // Same text whether sliced by code points or via the byte helpers.
            let r = d.byte_range(s);
            assert!(d.text().is_char_boundary(r.start) && d.text().is_char_boundary(r.end));
        }
    }
}

#[test]
fn generated_bad_input_never_breaks_spans() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let dates = [
        None,
        NaiveDate::from_ymd_opt(2025, 12, 3),
        NaiveDate::from_ymd_opt(1996, 8, 22),
    ];
    let finders = finders();
    for case in 0..400 {
        let seed = rng.0;
        let text = generate(&mut rng);
        for (name, stage) in &finders {
            let d = pipeline(&text, dates[case % dates.len()], stage);
            check(&d, &format!("{name}: case {case} (rng state {seed:#x})"));
        }
    }
}

#[test]
fn fixed_nasty_inputs() {
    let long = "x".repeat(10_000);
    let cases = [
        String::new(),
        " ".into(),
        "'".into(),
        "’s".into(),
        "PUTIN SAYS TRUMP’S PLAN ‘UNACCEPTABLE’ AS KREMLIN TALKS END".into(),
        "putin met trump in the kremlin and he said the russian leader was wrong.".into(),
        format!("Mr {long} said he {long}’s “{long}”."),
        "Владимир Путин и Дональд Трамп встретились в Кремле. Путин сказал.".into(),
        "قال بوتين إن الكرملين 😀 Putin 🇺🇦 Zelensky 习近平 met Xi.".into(),
        "“‘“‘''''----—————’’’’”””".into(),
        "Jean-Noël Barrot--Mark Rutte's'' O'Neill-al-Sharaa's ’s ’S 'S".into(),
        "e\u{301}lise E\u{301}lise Macron\u{200d}Putin \u{feff}Trump".into(),
        "the Kremlin the Kremlin the Kremlin. Kremlin spokesman. The Kremlin's".into(),
    ];
    for (name, stage) in &finders() {
        for (i, t) in cases.iter().enumerate() {
            let d = pipeline(t, NaiveDate::from_ymd_opt(2025, 12, 3), stage);
            check(&d, &format!("{name}: fixed case {i}"));
        }
    }
}

/// Whole-pipeline time, plus the entity stage's own share (printed, for diagnosis).
fn timed(text: &str, stage: &EntityStage) -> (Duration, Duration, Document) {
    let t0 = Instant::now();
    let mut d = Document::new("big", text, NaiveDate::from_ymd_opt(2025, 12, 3));
    TextStage::new().run(&mut d);
    TimexStage::new().run(&mut d);
    let t1 = Instant::now();
    stage.run(&mut d);
    (t0.elapsed(), t1.elapsed(), d)
}

/// Repeats `unit` up to about `bytes` bytes.
fn fill(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len().max(1) + 1)
}

#[test]
fn one_megabyte_runs_in_linear_time() {
    const MB: usize = 1 << 20;
    let mut rng = Rng(42);
    let mut news = String::with_capacity(MB + 1000);
    while news.len() < MB {
        news.push_str(rng.pick(PIECES));
        news.push(' ');
        if rng.below(12) == 0 {
            news.push_str(". ");
        }
    }
    let shapes: Vec<(&str, String)> = vec![
        ("news-like mixture", news),
        // One endless sentence: per-sentence loops must not go quadratic.
        (
            "one sentence of names and pronouns",
            fill(
                "Mr Trump told Putin that he and she met the Russian leader and ",
                MB,
            ),
        ),
        (
            "no capitals",
            fill("the kremlin said he would talk to putin and trump ", MB),
        ),
        (
            "all caps",
            fill("PUTIN REJECTS TRUMP PLAN AS KREMLIN TALKS END ", MB),
        ),
        ("one token", "Ж".repeat(MB / 2)),
        ("quotes and hyphens", fill("“'Putin'—‘Trump’s’-'s” -- ", MB)),
        ("distinct names", {
            let mut s = String::with_capacity(MB + 100);
            let mut i = 0u32;
            while s.len() < MB {
                s.push_str(&format!("Mr Zq{i:x} met Xv{i:x} Yw{i:x} and he said "));
                i += 1;
            }
            s
        }),
        // Titled people needing a country from the sentence, nominals, dates: one sentence.
        ("titled people, nominals and dates", {
            let mut s = String::with_capacity(MB + 100);
            let mut i = 0u32;
            while s.len() < MB {
                s.push_str(&format!(
                    "presidential adviser Qa{i:x} Rb{i:x} in Moscow on Tuesday, Russian President Vc{i:x} \
                     Wd{i:x} and the Russian leader told US envoys Ee{i:x} Ff{i:x} and Gg{i:x} Hh{i:x} that she "
                ));
                i += 1;
            }
            s
        }),
    ];
    let finders = finders();
    for ((label, text), (name, stage)) in shapes.iter().flat_map(|s| finders.iter().map(move |f| (s, f))) {
        let label = &format!("{name}: {label}");
        let (took, ent, d) = timed(text, stage);
        eprintln!(
            "{label}: {:.1} KB in {took:?} (entities stage {ent:?}), {} entities",
            text.len() as f64 / 1024.0,
            d.entities.len()
        );
        check(&d, label);
        assert!(
            took < Duration::from_secs(5),
            "{label}: {took:?} for 1 MB (quadratic?)"
        );
    }
}
