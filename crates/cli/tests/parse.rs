//! `chronicle parse` through the real binary: CoNLL-U out for articles (our tokenisation,
//! every word traceable to the text) and for an existing CoNLL-U file's words (gold
//! tokenisation kept word for word, so outside scorers can compare).

use chronicle_syntax::conllu;
use std::path::Path;
mod common;

use common::chronicle;
use std::process::Output;

fn ok(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// Written for this test: a multiword token (`don't`), an empty node (`2.1`), comments,
/// and annotation columns that are deliberately wrong (every UPOS `INTJ`, every head the
/// first word) so that output copying them would show.
const FIXTURE: &str = "# newdoc id = fixture\n\
# sent_id = f-1\n\
# text = Officials don't expect talks before Friday.\n\
1\tOfficials\tofficial\tINTJ\tUH\t_\t0\troot\t0:root\t_\n\
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
2\tdo\tdo\tINTJ\tUH\t_\t1\tdep\t1:dep\t_\n\
3\tn't\tnot\tINTJ\tUH\t_\t1\tdep\t1:dep\t_\n\
4\texpect\texpect\tINTJ\tUH\t_\t1\tdep\t1:dep\t_\n\
5\ttalks\ttalk\tINTJ\tUH\t_\t1\tdep\t1:dep\t_\n\
6\tbefore\tbefore\tINTJ\tUH\t_\t1\tdep\t1:dep\t_\n\
7\tFriday\tFriday\tINTJ\tUH\t_\t1\tdep\t1:dep\tSpaceAfter=No\n\
8\t.\t.\tINTJ\tUH\t_\t1\tdep\t1:dep\t_\n\
\n\
# sent_id = f-2\n\
# text = The convoy was shelled and the bridge too.\n\
1\tThe\tthe\tINTJ\tUH\t_\t0\troot\t0:root\t_\n\
2\tconvoy\tconvoy\tINTJ\tUH\t_\t1\tdep\t1:dep\t_\n\
3\twas\tbe\tINTJ\tUH\t_\t1\tdep\t1:dep\t_\n\
4\tshelled\tshell\tINTJ\tUH\t_\t1\tdep\t1:dep\t_\n\
5\tand\tand\tINTJ\tUH\t_\t1\tdep\t1:dep\t_\n\
6\tthe\tthe\tINTJ\tUH\t_\t1\tdep\t1:dep\t_\n\
7\tbridge\tbridge\tINTJ\tUH\t_\t1\tdep\t1:dep\t_\n\
7.1\tshelled\tshell\tVERB\tVBN\t_\t_\t_\t4:conj\t_\n\
8\ttoo\ttoo\tINTJ\tUH\t_\t1\tdep\t1:dep\tSpaceAfter=No\n\
9\t.\t.\tINTJ\tUH\t_\t1\tdep\t1:dep\t_\n\
\n\
# sent_id = f-3\n\
1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t0:root\t_\n\
\n";

fn well_formed_trees(sentences: &[conllu::Sentence]) {
    for s in sentences {
        let n = s.words.len() as u32;
        let roots = s.words.iter().filter(|w| w.head == Some(0)).count();
        assert_eq!(roots, 1, "one root per sentence: {s:?}");
        for w in &s.words {
            let h = w.head.expect("every word has a head");
            assert!(h <= n && h != w.id, "head {h} of word {} in range", w.id);
            assert!(!w.deprel.is_empty() && w.deprel != "_");
            assert_eq!(w.deprel == "root", h == 0, "{w:?}");
        }
    }
}

#[test]
fn conllu_mode_keeps_the_gold_words_and_replaces_the_annotation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("fixture.conllu");
    std::fs::write(&path, FIXTURE).expect("write fixture");
    let out = ok(&chronicle(
        &["parse", "--conllu", path.to_str().expect("utf-8 path")],
        None,
    ));
    let gold = conllu::parse(FIXTURE).expect("fixture parses");
    let pred = conllu::parse(&out).expect("our output is CoNLL-U");
    assert_eq!(pred.len(), gold.len(), "same sentences");
    for (g, p) in gold.iter().zip(&pred) {
        assert_eq!(p.forms(), g.forms(), "same words, same order");
        assert_eq!(p.comments, g.comments, "comments (sent_id, text) kept");
        assert!(p.words.iter().all(|w| w.deps == "_"), "no gold DEPS copied");
    }
    well_formed_trees(&pred);
    let words: Vec<&conllu::Word> = pred.iter().flat_map(|s| &s.words).collect();
    assert!(
        words.iter().filter(|w| w.upos != "INTJ").count() > words.len() / 2,
        "UPOS are ours, not the fixture's"
    );
    let lemma_of = |f: &str| words.iter().find(|w| w.form == f).map(|w| w.lemma.as_str());
    assert_eq!(lemma_of("talks"), Some("talk"));
    // The multiword token stays over its words; the empty node (enhanced graph only) goes.
    assert!(out.contains("\n2-3\tdon't\t"), "{out}");
    assert!(!out.contains("\n7.1\t"), "{out}");
    // Tokenisation columns survive (SpaceAfter lives in MISC).
    assert_eq!(pred[0].words[6].misc, "SpaceAfter=No");
}

#[test]
fn malformed_conllu_is_an_error_naming_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.conllu");
    std::fs::write(
        &path,
        "# sent_id = x\n1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_\n2\tdog\tdog\tNOUN\n\n",
    )
    .expect("write");
    let out = chronicle(&["parse", "--conllu", path.to_str().expect("utf-8 path")], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:3:", path.display())), "{err}");
    assert!(err.contains("10 columns"), "{err}");
    assert!(out.stdout.is_empty(), "no partial output");
    // A CoNLL-U file given as an article input is pointed at --conllu.
    let out = chronicle(&["parse", path.to_str().expect("utf-8 path")], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--conllu"));
}

/// Checks our CoNLL-U for an article: ten columns, trees, and each FORM equal to the
/// article text at its `TokenRange` (code points).
fn check_article_output(out: &str, text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut words = 0;
    for line in out.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 10, "{line:?}");
        let range = cols[9]
            .split('|')
            .find_map(|m| m.strip_prefix("TokenRange="))
            .expect("TokenRange in MISC");
        let (a, b) = range.split_once(':').expect("start:end");
        let (a, b): (usize, usize) = (a.parse().expect("start"), b.parse().expect("end"));
        let slice: String = chars[a..b].iter().collect();
        assert_eq!(cols[1], slice, "FORM is the text at TokenRange");
        words += 1;
    }
    let sentences = conllu::parse(out).expect("our output is CoNLL-U");
    well_formed_trees(&sentences);
    for s in &sentences {
        assert!(s.comments.iter().any(|c| c.starts_with("# sent_id = ")));
        assert!(s.comments.iter().any(|c| c.starts_with("# text = ")));
    }
    words
}

#[test]
fn text_html_and_jsonl_inputs_come_out_with_our_tokens_traceable_to_the_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Ukraine’s army said on Monday that a convoy was shelled near Kupiansk.\n\n\
                “We will not retreat,” the commander told reporters. Talks resume in Geneva.";
    let txt = dir.path().join("note.txt");
    std::fs::write(&txt, text).expect("write");
    let out = ok(&chronicle(&["parse", txt.to_str().expect("utf-8 path")], None));
    let words = check_article_output(&out, text);
    assert!(words > 25, "{out}");
    let sentences = conllu::parse(&out).expect("CoNLL-U");
    assert_eq!(sentences.len(), 3, "{out}");
    assert!(out.contains("# sent_id = "), "{out}");
    assert!(out.contains("-3\n"), "sentences numbered from 1: {out}");
    // The first sentence's verb is a root or hangs from one, and "convoy" is a subject.
    let convoy = sentences[0]
        .words
        .iter()
        .find(|w| w.form == "convoy")
        .expect("convoy");
    assert_eq!(convoy.upos, "NOUN");
    assert!(convoy.deprel.starts_with("nsubj"), "{convoy:?}");
    assert!(
        out.contains("SpaceAfter=No"),
        "“Ukraine’s” touches its clitic: {out}"
    );

    // JSONL on stdin: the record's id names the sentences; an id with a line break
    // cannot break the comment line.
    let line = serde_json::json!({"id": "a\nb", "text": "Russia attacked Ukraine. Kyiv replied."});
    let out = ok(&chronicle(&["parse", "-"], Some(format!("{line}\n").as_bytes())));
    assert!(out.contains("# sent_id = a b-1\n"), "{out}");
    check_article_output(&out, "Russia attacked Ukraine. Kyiv replied.");

    // HTML: parsed from the extracted text; the offsets are into that text, which
    // `extract` gives as the record's `text`.
    let html = dir.path().join("page.html");
    std::fs::write(
        &html,
        "<html><head><title>T</title></head><body><article><p>The minister is expected to visit Kyiv on Tuesday, officials said.</p>\
         <p>Parliament urged the president to sanction Iran.</p></article></body></html>",
    )
    .expect("write");
    let out = ok(&chronicle(&["parse", html.to_str().expect("utf-8 path")], None));
    let rec = ok(&chronicle(&["extract", html.to_str().expect("utf-8 path")], None));
    let rec: serde_json::Value = serde_json::from_str(rec.trim()).expect("record");
    let rec_text = rec["text"].as_str().expect("text");
    assert!(check_article_output(&out, rec_text) >= 18, "{out}");
    assert_eq!(
        conllu::parse(&out).expect("CoNLL-U").len(),
        rec["sentences"].as_array().expect("sentences").len(),
        "the record's sentences"
    );
}

#[test]
fn ewt_dev_through_parse_conllu_scores_above_the_floor() {
    let gold_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/ud/en_ewt-ud-dev.conllu");
    if !gold_path.is_file() {
        eprintln!("skipped: {} is absent", gold_path.display());
        return;
    }
    let out = ok(&chronicle(
        &["parse", "--conllu", gold_path.to_str().expect("utf-8 path")],
        None,
    ));
    let gold = conllu::read_file(&gold_path).expect("gold parses");
    let pred = conllu::parse(&out).expect("our output parses");
    let s = chronicle_syntax::eval::score(&gold, &pred).expect("same words");
    println!("EWT dev via `chronicle parse --conllu`: {s}");
    eprintln!("EWT dev via `chronicle parse --conllu`: {s}");
    assert!(s.upos_pct() >= 93.0, "UPOS {:.2} below 93", s.upos_pct());
    assert!(s.las_pct() >= 78.0, "LAS {:.2} below 78", s.las_pct());
}

#[test]
fn show_deps_prints_each_event_sentence_parse_after_the_unchanged_view() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("d.db");
    let db = db.to_str().expect("utf-8 path");
    ok(&chronicle(&["demo", "--db", db, "--no-serve"], None));
    let id = "seed-peace-talks";
    let marked = ok(&chronicle(&["show", "--db", db, id, "--format", "marked"], None));
    let with = ok(&chronicle(
        &["show", "--db", db, id, "--format", "marked", "--deps"],
        None,
    ));
    assert!(
        with.starts_with(&marked),
        "the marked view is unchanged, the parse follows it"
    );
    let deps = &with[marked.len()..];
    let json = ok(&chronicle(&["show", "--db", db, id, "--format", "json"], None));
    let rec: serde_json::Value = serde_json::from_str(&json).expect("record");
    let chars: Vec<char> = rec["text"].as_str().expect("text").chars().collect();
    let sentences = rec["sentences"].as_array().expect("sentences");
    let mut event_sentences: Vec<usize> = rec["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| sentences.iter().position(|s| *s == e["sentence"]))
        .collect();
    event_sentences.sort_unstable();
    event_sentences.dedup();
    // One block per sentence with an event, headed "S<n> [start-end] text" with the
    // record's own boundaries, one root each, every head a token of the block.
    let blocks: Vec<&str> = deps.split("\nS").skip(1).collect();
    assert_eq!(blocks.len(), event_sentences.len(), "{deps}");
    for (block, &n) in blocks.iter().zip(&event_sentences) {
        let span = &sentences[n];
        let (a, b) = (span[0].as_u64().expect("start"), span[1].as_u64().expect("end"));
        assert!(block.starts_with(&format!("{} [{a}-{b}] ", n + 1)), "{block}");
        let text: String = chars[a as usize..b as usize].iter().collect();
        let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            block.lines().next().expect("header").ends_with(&one_line),
            "{block}"
        );
        let rows: Vec<Vec<&str>> = block
            .lines()
            .skip(2)
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert!(rows.len() > 3, "{block}");
        assert_eq!(block.matches("(root)").count(), 1, "{block}");
        for r in &rows {
            let head: usize = r[3].parse().expect("head number");
            assert!(head <= rows.len(), "{block}");
            assert!(!r.last().expect("rel").is_empty());
        }
    }
    // One sentence by number; a number out of range is a usage error before any output.
    let one = ok(&chronicle(
        &["show", "--db", db, id, "--deps", "--sentence", "2"],
        None,
    ));
    assert_eq!(one.matches("\nS2 [").count(), 1, "{one}");
    let bad = chronicle(&["show", "--db", db, id, "--deps", "--sentence", "999"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(bad.stdout.is_empty());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--sentence 999"));
}
