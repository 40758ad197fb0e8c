//! The `chronicle` binary end to end: contract shape, bad input, exit codes, store round trip.

use serde_json::Value;
use std::io::Write;
mod common;

use common::chronicle;
use std::process::{Command, Stdio};

const SEED: &str = include_str!("../fixtures/seed-peace-talks.jsonl");

fn slice(text: &str, s: u64, e: u64) -> String {
    text.chars().skip(s as usize).take((e - s) as usize).collect()
}

#[test]
fn seed_comes_out_as_a_complete_contract_record() {
    let out = chronicle(&["extract", "-"], Some(SEED.as_bytes()));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1);
    let r: Value = serde_json::from_str(lines[0]).unwrap();
    for key in [
        "schema",
        "id",
        "published",
        "title",
        "url",
        "meta",
        "text",
        "sentences",
        "entities",
        "quotes",
        "events",
        "timexes",
    ] {
        assert!(r.get(key).is_some(), "record lacks `{key}`");
    }
    assert_eq!(r["schema"], 1);
    assert_eq!(r["id"], "seed-peace-talks");
    assert_eq!(r["published"], "2025-12-03");
    assert_eq!(r["meta"], serde_json::json!({}));
    let text = r["text"].as_str().unwrap();
    let n = text.chars().count() as u64;
    for s in r["sentences"].as_array().unwrap() {
        let (a, b) = (s[0].as_u64().unwrap(), s[1].as_u64().unwrap());
        assert!(a < b && b <= n);
    }
    assert!(r["sentences"].as_array().unwrap().len() >= 20);
    for e in r["entities"].as_array().unwrap() {
        for k in ["id", "name", "type", "actor", "title", "geo", "mentions"] {
            assert!(e.get(k).is_some(), "entity lacks `{k}`: {e}");
        }
        assert!(["PER", "ORG", "LOC", "MISC"].contains(&e["type"].as_str().unwrap()));
        for m in e["mentions"].as_array().unwrap() {
            let t = slice(text, m[0].as_u64().unwrap(), m[1].as_u64().unwrap());
            assert!(
                !t.trim().is_empty() && t.trim() == t,
                "bad mention span {m} -> {t:?}"
            );
        }
    }
    for q in r["quotes"].as_array().unwrap() {
        for k in [
            "id",
            "start",
            "end",
            "content",
            "kind",
            "speaker",
            "speaker_text",
            "cue",
            "cue_span",
        ] {
            assert!(q.get(k).is_some(), "quote lacks `{k}`");
        }
        let content = slice(text, q["start"].as_u64().unwrap(), q["end"].as_u64().unwrap());
        assert_eq!(q["content"].as_str().unwrap(), content);
        if let Some(c) = q["cue_span"].as_array() {
            assert_eq!(
                q["cue"].as_str().unwrap(),
                slice(text, c[0].as_u64().unwrap(), c[1].as_u64().unwrap())
            );
        }
    }
    for ev in r["events"].as_array().unwrap() {
        for k in [
            "id",
            "cameo",
            "root",
            "quad",
            "goldstein",
            "plover",
            "source",
            "target",
            "sentence",
            "trigger",
            "modality",
            "date",
            "date_text",
            "location",
            "killed",
            "wounded",
            "victims",
            "reporter",
        ] {
            assert!(ev.get(k).is_some(), "event lacks `{k}`");
        }
        let (s, t) = (&ev["sentence"], &ev["trigger"]);
        assert!(
            s[0].as_u64() <= t[0].as_u64() && t[1].as_u64() <= s[1].as_u64(),
            "trigger outside sentence"
        );
        assert!(ev["cameo"]
            .as_str()
            .unwrap()
            .starts_with(ev["root"].as_str().unwrap()));
    }
    for t in r["timexes"].as_array().unwrap() {
        assert_eq!(
            t["text"].as_str().unwrap(),
            slice(text, t["start"].as_u64().unwrap(), t["end"].as_u64().unwrap())
        );
    }
    // The stages must actually find the article's core content.
    let names: Vec<&str> = r["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Vladimir Putin") && names.contains(&"Dmitry Peskov"),
        "{names:?}"
    );
    assert!(!r["quotes"].as_array().unwrap().is_empty());
    assert!(!r["events"].as_array().unwrap().is_empty());
    let tuesday = r["timexes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["text"] == "Tuesday")
        .expect("Tuesday");
    assert_eq!(tuesday["value"], "2025-12-02");
}

#[test]
fn bad_input_is_reported_by_file_and_line_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let jl = dir.path().join("mixed.jsonl");
    let mut bytes =
        b"{\"id\":\"ok1\",\"text\":\"Putin met Xi in Moscow on Tuesday.\",\"published\":\"2025-12-03\"}\n"
            .to_vec();
    bytes.extend_from_slice(b"not json at all\n{\"id\":\"nt\"}\n{\"text\":\"\xc3\x28\"}\n");
    bytes.extend_from_slice(b"{\"id\":\"ok2\",\"text\":\"Second.\"}\n");
    std::fs::write(&jl, bytes).unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let bin = dir.path().join("blob.txt");
    std::fs::write(&bin, [0u8, 159, 146, 150, 0, 1]).unwrap();
    let out = chronicle(
        &[
            "extract",
            jl.to_str().unwrap(),
            empty.to_str().unwrap(),
            bin.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "mixed.jsonl:2",
        "mixed.jsonl:3",
        "mixed.jsonl:4",
        "empty.txt",
        "blob.txt",
        "2 article(s) extracted, 5 input(s) rejected",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    let stdout = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<String> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, vec!["ok1", "ok2"]);
}

#[test]
fn usage_and_configuration_errors_exit_2() {
    assert_eq!(chronicle(&["no-such-command"], None).status.code(), Some(2));
    assert_eq!(
        chronicle(&["extract", "--published", "soon", "-"], Some(b""))
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        chronicle(&["eval", "nosuchtask", "--gold", "x.jsonl"], None)
            .status
            .code(),
        Some(2)
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let out = chronicle(&["show", "--db", db.to_str().unwrap(), "missing-id"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such store"));
    assert!(!db.exists(), "show created the store it was asked to read");
    chronicle_store::Store::open(&db).expect("a new store");
    let out = chronicle(&["show", "--db", db.to_str().unwrap(), "missing-id"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing-id"));
    assert_eq!(
        chronicle(
            &["export", "--db", db.to_str().unwrap(), "--format", "parquet"],
            None
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        chronicle(&["query", "--db", "/nonexistent/dir/x.db"], None)
            .status
            .code(),
        Some(2)
    );
    // Serving a store that does not exist is a configuration error, said at once.
    let out = chronicle(&["serve", "--db", "/nonexistent/x.db", "--port", "1"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such store"));
}

#[test]
fn plain_text_with_published_flag() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.txt");
    std::fs::write(&p, "Russian drones killed two civilians in Kharkiv on Monday.").unwrap();
    let out = chronicle(
        &["extract", "--published", "2025-12-03", p.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["published"], "2025-12-03");
    let monday = r["timexes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["text"] == "Monday")
        .expect("Monday");
    assert_eq!(monday["value"], "2025-12-01");
}

#[test]
fn ingest_show_query_export_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let db = db.to_str().unwrap();
    let seed = dir.path().join("seed.jsonl");
    std::fs::write(&seed, SEED).unwrap();
    let out = chronicle(&["ingest", "--db", db, seed.to_str().unwrap()], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Re-ingest replaces rather than duplicates.
    assert_eq!(
        chronicle(&["ingest", "--db", db, seed.to_str().unwrap()], None)
            .status
            .code(),
        Some(0)
    );

    // Full-text search over the stored articles (FTS5).
    let found = chronicle(
        &[
            "query",
            "--db",
            db,
            "articles",
            "--text",
            "Kremlin AND Witkoff",
            "--format",
            "jsonl",
        ],
        None,
    );
    let found = String::from_utf8_lossy(&found.stdout).into_owned();
    assert_eq!(found.lines().count(), 1, "{found}");
    assert!(
        found.contains("seed-peace-talks") && found.contains("[Witkoff]"),
        "{found}"
    );
    let bad = chronicle(&["query", "--db", db, "articles", "--text", "AND AND"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("fts5"));

    let show = chronicle(&["show", "--db", db, "seed-peace-talks"], None);
    let show = String::from_utf8(show.stdout).unwrap();
    assert!(
        show.contains("Dmitry Peskov") && show.contains("Events ("),
        "{show}"
    );

    let extracted = chronicle(&["extract", seed.to_str().unwrap()], None).stdout;
    let exported = chronicle(&["export", "--db", db, "--format", "jsonl"], None).stdout;
    let a: Value = serde_json::from_slice(&extracted).unwrap();
    let b: Value = serde_json::from_slice(&exported).unwrap();
    assert_eq!(a, b, "export jsonl must give back exactly what extract printed");

    let gdelt =
        String::from_utf8(chronicle(&["export", "--db", db, "--format", "gdelt"], None).stdout).unwrap();
    let n_events = a["events"].as_array().unwrap().len();
    // GDELT's Events table has one row per event: reports of one event merge.
    let clustered = String::from_utf8(
        chronicle(
            &["query", "--db", db, "events", "--clustered", "--format", "jsonl"],
            None,
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(gdelt.lines().count(), clustered.lines().count());
    assert!(gdelt.lines().count() <= n_events);
    for l in gdelt.lines() {
        assert_eq!(l.split('\t').count(), 61, "{l}");
    }
    let csv = String::from_utf8(chronicle(&["query", "--db", db, "events", "--format", "csv"], None).stdout)
        .unwrap();
    assert!(csv.starts_with("article_id,event_id,"));
    let rows = csv::Reader::from_reader(csv.as_bytes()).records().count();
    assert_eq!(
        rows, n_events,
        "one CSV row per event (sentences may hold newlines, so count records)"
    );
    let actors =
        String::from_utf8(chronicle(&["query", "--db", db, "actors", "--actor", "Peskov"], None).stdout)
            .unwrap();
    assert!(actors.contains("RUSGOV"), "{actors}");
    let quotes =
        String::from_utf8(chronicle(&["query", "--db", db, "quotes", "--format", "jsonl"], None).stdout)
            .unwrap();
    assert_eq!(quotes.lines().count(), a["quotes"].as_array().unwrap().len());
}

#[test]
fn demo_stores_and_summarises_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = chronicle(&["demo", "--no-serve", "--db", db.to_str().unwrap()], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("Stored in") && s.contains("25 article(s)"), "{s}");
    assert!(
        s.lines()
            .last()
            .unwrap_or("")
            .contains("#/article/seed-peace-talks"),
        "{s}"
    );
    assert!(db.exists());
}

/// `chronicle demo` ends by serving the UI and printing its URL: the URL answers, and the
/// store behind it holds the seed and the sample corpus.
#[test]
fn demo_serves_the_ui_at_the_url_it_prints() {
    use std::io::{BufRead, BufReader, Read};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(["demo", "--port", "0", "--db", db.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("demo runs");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.split_once("http://").map(|(_, u)| u.to_string()));
    let get = |host: &str, path: &str| -> String {
        let mut s = std::net::TcpStream::connect(host).expect("connect");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut buf = String::new();
        s.read_to_string(&mut buf).expect("read");
        buf
    };
    let result = std::panic::catch_unwind(|| {
        let url = url.expect("demo printed a URL");
        let host = url.split('/').next().unwrap_or_default().to_string();
        let page = get(&host, "/");
        assert!(
            page.starts_with("HTTP/1.1 200") && page.contains("<html"),
            "{page}"
        );
        let stats = get(&host, "/api/stats");
        assert!(stats.contains("\"articles\":25"), "{stats}");
        assert!(url.ends_with("#/article/seed-peace-talks"), "{url}");
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn warc_archives_and_feeds_in_one_run_with_a_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = "<html><head><title>Strike</title></head><body><article><p>Russian drones killed two civilians in Ukraine's Dnipropetrovsk region on Tuesday, officials said.</p></article></body></html>";
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{page}");
    let rec = |kind: &str, ct: &str, body: &str| {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2025-12-03T08:00:00Z\r\nWARC-Target-URI: https://example.org/a\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n",
            body.len()
        )
    };
    let warc = rec(
        "request",
        "application/http; msgtype=request",
        "GET /a HTTP/1.1\r\n\r\n",
    ) + &rec("response", "application/http; msgtype=response", &http);
    let wpath = dir.path().join("crawl.warc");
    std::fs::write(&wpath, warc).expect("write warc");
    let fpath = dir.path().join("wire.rss");
    std::fs::write(
        &fpath,
        r#"<rss version="2.0"><channel><title>Wire</title><item><guid>w1</guid><link>https://ex.org/w1</link><pubDate>Wed, 03 Dec 2025 09:00:00 GMT</pubDate><description>Kyiv said on Wednesday that talks would resume.</description></item></channel></rss>"#,
    )
    .expect("write feed");
    let out = chronicle(
        &[
            "extract",
            "-j",
            "2",
            &wpath.display().to_string(),
            &fpath.display().to_string(),
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON record"))
        .collect();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["url"], "https://example.org/a");
    assert!(recs[0]["text"]
        .as_str()
        .is_some_and(|t| t.contains("Dnipropetrovsk")));
    // The page states no date: the crawl's fetch day anchors "on Tuesday".
    assert_eq!(recs[0]["meta"]["fetched"], "2025-12-03T08:00:00Z");
    assert!(recs[0]["timexes"]
        .as_array()
        .is_some_and(|t| t.iter().any(|x| x["value"] == "2025-12-02")));
    assert_eq!(recs[1]["id"], "w1");
    assert_eq!(recs[1]["published"], "2025-12-03");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2 WARC record(s), 1 HTML page(s) read, skipped: 1 request"),
        "{err}"
    );
    assert!(
        err.contains("2 article(s) extracted, 0 input(s) rejected"),
        "{err}"
    );
}

/// The actor code of the entity named `name` in a JSONL record line.
fn actor_code_in(record: &str, name: &str) -> Option<String> {
    let r: Value = serde_json::from_str(record).ok()?;
    r["entities"]
        .as_array()?
        .iter()
        .find(|e| e["name"] == name)
        .and_then(|e| e["actor"]["code"].as_str().map(str::to_string))
}

#[test]
fn actors_file_is_checked_before_any_input_and_codes_its_actors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.tsv");
    std::fs::write(
        &bad,
        "# two bad rows\nHope For Ukraine\tORG\tUKR\tNGO\talias\nBroken Row\tPER\tNOR\nBad Type\tPRS\tUSA\tGOV\tperson\n",
    )
    .unwrap();
    let bad_s = bad.to_str().unwrap();
    let out = chronicle(&["--actors", bad_s, "extract", "-"], Some(SEED.as_bytes()));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty(), "records written despite a bad actors file");
    for line in [3, 4] {
        assert!(
            err.contains(&format!("{bad_s}:{line}: ")),
            "want {bad_s}:{line}: in {err}"
        );
    }
    // Refused before the store is opened, too.
    let db = dir.path().join("c.db");
    let out = chronicle(
        &["ingest", "--actors", bad_s, "--db", db.to_str().unwrap(), "-"],
        Some(SEED.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !db.exists(),
        "ingest created the store before refusing the actors file"
    );

    let good = dir.path().join("good.tsv");
    std::fs::write(&good, "Hope For Ukraine\tORG\tUKR\tNGO\talias\n").unwrap();
    let run = |args: &[&str]| {
        let out = chronicle(args, Some(SEED.as_bytes()));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let without = run(&["extract", "-"]);
    assert_eq!(actor_code_in(&without, "Hope For Ukraine"), None);
    let with = run(&["extract", "--actors", good.to_str().unwrap(), "-"]);
    assert_eq!(
        actor_code_in(&with, "Hope For Ukraine").as_deref(),
        Some("UKRNGO")
    );
}

/// A tiny UD treebank (three sentence shapes, repeated) for `train tagger|parser`.
const TINY_CONLLU: &str = "1\tDogs\tdog\tNOUN\tNNS\tNumber=Plur\t2\tnsubj\t_\t_\n2\tbark\tbark\tVERB\tVBP\t_\t0\troot\t_\t_\n3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n\
1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n2\tcat\tcat\tNOUN\tNN\tNumber=Sing\t3\tnsubj\t_\t_\n3\tsaw\tsee\tVERB\tVBD\tTense=Past\t0\troot\t_\t_\n4\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\t_\n5\tdog\tdog\tNOUN\tNN\tNumber=Sing\t3\tobj\t_\t_\n6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n\
1\tIt\tit\tPRON\tPRP\t_\t3\tnsubj:pass\t_\t_\n2\twas\tbe\tAUX\tVBD\t_\t3\taux:pass\t_\t_\n3\tshelled\tshell\tVERB\tVBN\t_\t0\troot\t_\t_\n4\tby\tby\tADP\tIN\t_\t5\tcase\t_\t_\n5\tforces\tforce\tNOUN\tNNS\t_\t3\tobl:agent\t_\t_\n6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n";

#[test]
fn train_tagger_and_parser_write_deterministic_loadable_syntax_models() {
    let dir = tempfile::tempdir().unwrap();
    let tb = dir.path().join("tiny.conllu");
    std::fs::write(&tb, TINY_CONLLU.repeat(10)).unwrap();
    let tb = tb.to_str().unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (a, b, p) = (out("a.model"), out("b.model"), out("p.model"));
    for o in [&a, &b] {
        let r = chronicle(
            &[
                "train", "tagger", "--train", tb, "--dev", tb, "--epochs", "3", "-q", "--out", o,
            ],
            None,
        );
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    }
    let bytes = std::fs::read(&a).unwrap();
    assert_eq!(bytes, std::fs::read(&b).unwrap(), "same data, same model bytes");
    let tagger_model = chronicle_syntax::SyntaxModel::from_bytes(&bytes).expect("loads");
    let r = chronicle(
        &[
            "train", "parser", "--train", tb, "--valid", tb, "--base", &a, "--epochs", "3", "-q", "--out", &p,
        ],
        None,
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let parser_model = chronicle_syntax::SyntaxModel::from_bytes(&std::fs::read(&p).unwrap()).expect("loads");
    let words = ["The", "dog", "saw", "the", "cat", "."];
    let (t, q) = (tagger_model.analyse(&words), parser_model.analyse(&words));
    for (x, y) in t.iter().zip(&q) {
        assert_eq!(
            (x.upos, x.xpos),
            (y.upos, y.xpos),
            "`parser` keeps the base tagger"
        );
    }
    assert_eq!(q[2].head, 0, "learns its data: {q:?}");
    assert_eq!(q[1].deprel, "nsubj", "{q:?}");
}

/// `--verbs` with a user's PETRARCH-1-syntax dictionary: a bad line exits 2 before any
/// input naming `file:line`; a good one codes with its patterns on the parse: a particle
/// verb (`+CORDON_OFF`) with its object pattern, and a passive (the `by` agent is the
/// source, the subject the target).
#[test]
fn verbs_file_codes_with_its_patterns_on_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let actors = dir.path().join("actors.txt");
    std::fs::write(&actors, "ARNOR_ [ARN]\n+ARNORIAN_\nGONDOR_ [GON]\n").unwrap();
    let bad = dir.path().join("bad-verbs.txt");
    std::fs::write(
        &bad,
        "--- ATTACK [190] ---\nATTACK\n- * CONVOY\n- * BRIDGE [bad code]\n",
    )
    .unwrap();
    let (a, b) = (actors.to_str().unwrap(), bad.to_str().unwrap());
    let input = b"{\"id\":\"v\",\"published\":\"2020-01-01\",\"text\":\"Gondor was attacked by Arnor.\"}\n";
    let out = chronicle(&["--actors", a, "--verbs", b, "extract", "-"], Some(input));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    assert!(err.contains(&format!("{b}:3: ")), "{err}");
    assert!(err.contains(&format!("{b}:4: ")), "{err}");

    let verbs = dir.path().join("verbs.txt");
    std::fs::write(
        &verbs,
        "&ROUTES\n+ROADS\n+PASSES\n\n--- CORDON [---] ---\n+CORDON_OFF\n- * &ROUTES INTO + [1721]\n\n\
         --- ATTACK [190] ---\nATTACK\n- * &ROUTES [1901]\n",
    )
    .unwrap();
    let v = verbs.to_str().unwrap();
    let text = "Arnor cordoned off the roads into Gondor on Monday. Gondor was attacked by Arnor on Tuesday.";
    let input = format!("{{\"id\":\"v\",\"published\":\"2020-01-01\",\"text\":\"{text}\"}}\n");
    let out = chronicle(
        &["--actors", a, "--verbs", v, "extract", "-"],
        Some(input.as_bytes()),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, String, String)> = rec["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let code = |k: &str| e[k]["code"].as_str().unwrap_or("").to_string();
            (
                code("source"),
                code("target"),
                e["cameo"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("ARN".to_string(), "GON".to_string(), "1721".to_string()),
            ("ARN".to_string(), "GON".to_string(), "190".to_string()),
        ]
    );
}

/// A reported event's reporter, stored (the record built by hand: the events stage decides
/// reporters), reaches `show`, `query events` and the CSV export.
#[test]
fn a_stored_reporter_reaches_show_query_and_export() {
    let rec: chronicle_record::Record = serde_json::from_value(serde_json::json!({
        "schema": 1, "id": "rep", "published": "2025-12-03", "title": "Strike", "url": null,
        "source": null, "meta": {}, "text": "Kyiv said Russia attacked Odesa.",
        "sentences": [[0, 32]], "paragraphs": [[0, 32]],
        "entities": [{"id": "e1", "name": "Kyiv", "type": "LOC",
                      "actor": {"country": "UKR", "sector": "GOV", "code": "UKRGOV"},
                      "title": null, "geo": null, "mentions": [[0, 4]]}],
        "quotes": [],
        "events": [{"id": "v1", "cameo": "190", "root": "19", "quad": 4, "goldstein": -10.0,
                    "plover": {"type": "ASSAULT", "mode": null},
                    "source": {"entity": null, "code": "RUS", "text": "Russia", "span": [10, 16]},
                    "target": {"entity": null, "code": "UKR", "text": "Odesa", "span": [26, 31]},
                    "sentence": [0, 32], "trigger": [17, 25], "modality": "reported",
                    "date": null, "date_text": null, "location": null, "killed": null,
                    "wounded": null, "victims": null,
                    "reporter": {"entity": "e1", "code": "UKRGOV", "text": "Kyiv", "span": [0, 4]}}],
        "timexes": [], "diagnostics": []
    }))
    .expect("a record");
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("r.db");
    let mut store = chronicle_store::Store::open(&db).expect("store");
    store.put_all([&rec]).expect("put");
    drop(store);
    let db = db.to_str().expect("utf-8 path");
    let run = |args: &[&str]| -> String {
        let out = chronicle(args, None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let shown = run(&["show", "--db", db, "rep"]);
    assert!(
        shown.contains("Russia (RUS) -> Odesa (UKR): ASSAULT (190) [reported] reported by Kyiv (UKRGOV)"),
        "{shown}"
    );
    let line = run(&["query", "--db", db, "events", "--format", "jsonl"]);
    let ev: Value = serde_json::from_str(line.trim()).expect("one JSON event");
    assert_eq!(
        ev["reporter"],
        serde_json::json!({"entity": "e1", "code": "UKRGOV", "text": "Kyiv", "span": [0, 4]})
    );
    assert_eq!(ev["source"]["code"], "RUS");
    let csv = run(&["query", "--db", db, "events", "--format", "csv"]);
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let row: Vec<&str> = lines.next().expect("a row").split(',').collect();
    let col = |n: &str| head.iter().position(|c| *c == n).map(|i| row[i]);
    assert_eq!(
        (col("reporter_code"), col("reporter")),
        (Some("UKRGOV"), Some("Kyiv"))
    );
}
