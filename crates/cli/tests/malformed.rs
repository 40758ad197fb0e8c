//! A table of malformed inputs through the real binary: each is reported on stderr with its
//! file (and line) and reason, the good articles beside it are still extracted, the summary
//! counts the rejections, and the exit code says so (0 all processed, 1 some rejected).
//! Never a panic, whatever the bytes.

use std::process::Command;

struct Case {
    file: &'static str,
    bytes: Vec<u8>,
    /// Exit code, records extracted, and what stderr must say.
    code: i32,
    records: usize,
    says: &'static [&'static str],
}

fn json_line(id: &str, text: &str) -> String {
    serde_json::json!({"id": id, "text": text, "published": "2025-12-03"}).to_string()
}

fn cases() -> Vec<Case> {
    let good = json_line("ok", "Russian drones struck Odesa on Monday, officials said.");
    // Deterministic non-text bytes (with newlines and NULs among them).
    let noise: Vec<u8> = (0u32..20_000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut html_noise = b"<html><body>".to_vec();
    html_noise.extend(&noise);
    vec![
        Case {
            file: "truncated.jsonl",
            bytes: format!("{good}\n{{\"id\":\"t2\",\"text\":\"cut off").into_bytes(),
            code: 1,
            records: 1,
            says: &["truncated.jsonl:2: not valid JSON"],
        },
        Case {
            file: "mixed.jsonl",
            bytes: format!("{good}\n[1,2]\n{{\"id\":\"nt\"}}\n{{\"id\":\"d\",\"text\":\"x\",\"published\":\"yesterday\"}}\n")
                .into_bytes(),
            // A bad `published` costs the field, not the article: warned, kept, undated.
            code: 1,
            records: 2,
            says: &[
                "mixed.jsonl:2: expected a JSON object, found an array",
                "mixed.jsonl:3: record has neither `text` nor `html`",
                "mixed.jsonl:4: `published` ignored, not YYYY-MM-DD or RFC 3339: \"yesterday\"",
                "2 input(s) rejected",
                "warned 1x: `published` ignored, not YYYY-MM-DD or RFC 3339\n",
            ],
        },
        Case {
            file: "binary.jsonl",
            bytes: noise.clone(),
            code: 1,
            records: 0,
            says: &["binary.jsonl:1:", "0 article(s) extracted"],
        },
        Case {
            file: "binary.html",
            bytes: html_noise,
            code: 1,
            records: 0,
            says: &["binary.html: binary file"],
        },
        Case {
            file: "latin1.txt",
            bytes: b"Caf\xe9 attack in Par\xeds killed two people on Monday.".to_vec(),
            code: 1,
            records: 0,
            says: &["latin1.txt:1: invalid UTF-8 at byte 3"],
        },
        Case {
            file: "empty.jsonl",
            bytes: Vec::new(),
            code: 1,
            records: 0,
            says: &["empty.jsonl: empty file"],
        },
        Case {
            file: "deep.jsonl",
            bytes: format!("{{\"id\":\"n\",\"text\":\"x\",\"meta\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
            code: 1,
            records: 0,
            says: &["deep.jsonl:1: not valid JSON: recursion limit exceeded"],
        },
        Case {
            file: "bom-crlf.jsonl",
            bytes: format!("\u{feff}{good}\r\n{}\r\n", json_line("b", "NATO ministers met in Brussels.")).into_bytes(),
            code: 0,
            records: 2,
            says: &["2 article(s) extracted, 0 input(s) rejected"],
        },
        Case {
            file: "nested.html",
            bytes: format!(
                "<html><body>{}<p>Russian drones hit Odesa on Monday, officials said.</p>{}</body></html>",
                "<div>".repeat(100_000),
                "</div>".repeat(100_000)
            )
            .into_bytes(),
            code: 0,
            records: 1,
            says: &["1 article(s) extracted"],
        },
        Case {
            // One 10 MB line: a huge article is extracted, not refused.
            file: "huge.jsonl",
            bytes: json_line("big", &"Russian forces shelled Kharkiv on Monday. ".repeat(240_000)).into_bytes(),
            code: 0,
            records: 1,
            says: &["1 article(s) extracted"],
        },
        Case {
            // Past the 16 MB limit for one article: refused with the reason, the run goes on.
            file: "over.jsonl",
            bytes: format!("{}\n{good}\n", json_line("over", &"x".repeat(17 << 20))).into_bytes(),
            code: 1,
            records: 1,
            says: &["over.jsonl:1: text or html larger than the 16 MB limit"],
        },
    ]
}

#[test]
fn every_malformed_input_is_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    for case in cases() {
        let path = dir.path().join(case.file);
        std::fs::write(&path, &case.bytes).expect("write");
        let out = Command::new(env!("CARGO_BIN_EXE_chronicle"))
            .args(["extract", "--quiet"])
            .arg(&path)
            .current_dir(dir.path())
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{}: {stderr}", case.file);
        assert_eq!(out.status.code(), Some(case.code), "{}: {stderr}", case.file);
        let records = String::from_utf8_lossy(&out.stdout).lines().count();
        assert_eq!(records, case.records, "{}: {stderr}", case.file);
        for s in case.says {
            assert!(stderr.contains(s), "{}: expected {s:?} in\n{stderr}", case.file);
        }
    }
}
