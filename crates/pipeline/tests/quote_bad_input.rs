//! Issue 4's bad input through the whole default pipeline (rules and the learned tagger):
//! 1,001 quotation marks, none, only opening ones, a 50 KB quote, right-to-left text. No
//! panic, the text comes back untouched, every quote span lies inside it on character
//! boundaries, and nothing runs pathologically long (a generous guard, not a speed bar).

use chronicle_pipeline::Engine;
use chronicle_record::InputArticle;
use std::time::{Duration, Instant};

fn check(label: &str, text: &str) -> usize {
    let engine = Engine::new().expect("default pipeline");
    let t = Instant::now();
    let (doc, rec) = engine.process(InputArticle::from_text("bad", text.to_string(), None));
    let took = t.elapsed();
    assert!(took < Duration::from_secs(10), "{label}: {took:?}");
    assert_eq!(doc.text(), text.replace("\r\n", "\n"), "{label}: text changed");
    let n = doc.char_len();
    for q in &doc.quotes {
        assert!(
            q.span.start < q.span.end && q.span.end <= n,
            "{label}: {:?}",
            q.span
        );
        let r = doc.byte_range(q.span);
        assert!(doc.text().is_char_boundary(r.start) && doc.text().is_char_boundary(r.end));
        for p in q.pieces() {
            assert!(q.span.contains(*p), "{label}: fragment outside its quote");
        }
    }
    assert_eq!(rec.quotes.len(), doc.quotes.len());
    doc.quotes.len()
}

#[test]
fn a_thousand_and_one_marks() {
    let mut s = String::from("The minister said: ");
    for i in 0..1001 {
        s.push_str(if i % 2 == 0 { "“word " } else { "” and " });
    }
    check("1001 alternating marks", &s);
    check("1001 opening marks", &"Putin said “no ".repeat(1001));
    check("1001 straight marks", &"\"".repeat(1001));
}

#[test]
fn no_marks_and_only_opening_marks() {
    let plain = "Officials said the talks would resume next week. Analysts warned of delays. ".repeat(200);
    assert!(
        check("no marks", &plain) > 0,
        "reported speech without marks is still found"
    );
    check(
        "only opening",
        &"He warned: “This will not end well. ".repeat(300),
    );
}

#[test]
fn a_fifty_kilobyte_quote() {
    let body = "We will keep negotiating until the war ends and our people are safe. ".repeat(730);
    assert!(body.len() > 50_000);
    let text = format!("Zelensky said: “{body}” The talks continue.");
    let n = check("50 KB quote", &text);
    assert!(n >= 1);
}

#[test]
fn right_to_left_text() {
    check(
        "arabic and hebrew",
        &"قال الرئيس «لن نتراجع» يوم الثلاثاء. אמר השר \"אנחנו נמשיך\" ביום שלישי. Putin said “no”. "
            .repeat(100),
    );
}
