//! Linear time on pathological input, through the real binary: one 2.6 MB article that is a
//! single "sentence" of 200,000 repeats of `Putin said "` (scraped pages bring such runs).
//! Events and quotes used to look at a sentence as a whole, quadratically (over 60 s here);
//! the text layer now cuts runs longer than `MAX_SENTENCE_TOKENS` into windows, so every
//! stage sees bounded sentences. Speed itself is measured in benchmarks, not here: this
//! test holds the bound that makes it linear, on the very input that was slow.

use std::process::{Command, Stdio};

use chronicle_text::MAX_SENTENCE_TOKENS;

#[test]
fn a_200000_repeat_sentence_is_analysed_in_bounded_windows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Putin said \"".repeat(200_000);
    let line = serde_json::json!({"id": "rep", "text": text, "published": "2025-12-03"});
    let input = dir.path().join("rep.jsonl");
    std::fs::write(&input, format!("{line}\n")).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(["extract", "--quiet", "-j", "1"])
        .arg(&input)
        .stderr(Stdio::piped())
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON record");
    let chars: Vec<char> = text.chars().collect();
    let sentences = record["sentences"].as_array().expect("sentences");
    // 600,000 tokens in windows of at most MAX_SENTENCE_TOKENS that tile the text.
    assert!(
        sentences.len() >= 600_000 / MAX_SENTENCE_TOKENS,
        "{} sentences",
        sentences.len()
    );
    let mut prev_end = 0usize;
    for s in sentences {
        let (a, b) = (
            s[0].as_u64().expect("start") as usize,
            s[1].as_u64().expect("end") as usize,
        );
        let piece: String = chars.get(a..b).expect("span inside the text").iter().collect();
        let tokens = chronicle_text::analyse(&piece).tokens.len();
        assert!(tokens <= MAX_SENTENCE_TOKENS, "a sentence of {tokens} tokens");
        // The windows tile the text: only white space between one and the next.
        let gap = chars.get(prev_end..a).expect("sentences in order");
        assert!(
            gap.iter().all(|c| c.is_whitespace()),
            "text lost between sentences at {prev_end}"
        );
        prev_end = b;
    }
    assert_eq!(
        prev_end,
        text.trim_end().chars().count(),
        "the last sentence ends the text"
    );
}
