//! CoNLL-2003 dev measurement (skips when ../shared is missing):
//! `cargo test -p chronicle-entities --test eval_conll -- --nocapture`

use chronicle_core::{Document, MentionKind, QuoteMark, Sentence, Span, Stage, Token, TokenKind};
use chronicle_entities::EntityStage;
use std::collections::{HashMap, HashSet};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/eval/ner/conll2003-valid.jsonl"
);

fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let i = line.find(&format!("\"{key}\": "))? + key.len() + 4;
    line.get(i..)
}

/// Minimal parser for the `["a", "b"]` arrays of this file (JSON string escapes handled).
fn parse_strings(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = s.chars();
    let mut cur: Option<String> = None;
    while let Some(c) = it.next() {
        match (&mut cur, c) {
            (None, '"') => cur = Some(String::new()),
            (None, ']') => break,
            (Some(_), '"') => out.push(cur.take().unwrap_or_default()),
            (Some(v), '\\') => match it.next() {
                Some('u') => {
                    let h: String = it.by_ref().take(4).collect();
                    if let Some(ch) = u32::from_str_radix(&h, 16).ok().and_then(char::from_u32) {
                        v.push(ch);
                    }
                }
                Some(x) => v.push(x),
                None => {}
            },
            (Some(v), x) => v.push(x),
            _ => {}
        }
    }
    out
}

fn spans(tags: &[String]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for (i, t) in tags.iter().chain(std::iter::once(&"O".to_string())).enumerate() {
        let ty = t.get(2..).unwrap_or("");
        if let Some((s, ct)) = cur.clone() {
            if t == "O" || t.starts_with("B-") || ty != ct {
                out.push((s, i, ct));
                cur = None;
            }
        }
        if t.starts_with("B-") || (t.starts_with("I-") && cur.is_none()) {
            cur = Some((i, ty.to_string()));
        }
    }
    out
}

fn kind_of(t: &str) -> TokenKind {
    let c = t.chars().next().unwrap_or(' ');
    if c.is_alphabetic() || (t.chars().count() > 1 && t.starts_with('\'')) {
        TokenKind::Word
    } else if c.is_ascii_digit() {
        TokenKind::Number
    } else if matches!(c, '"' | '\'' | '`') {
        TokenKind::Quote(QuoteMark::Ambiguous)
    } else {
        TokenKind::Punct
    }
}

#[test]
fn conll_valid_f1() {
    let Ok(data) = std::fs::read_to_string(PATH) else {
        eprintln!("skipping: {PATH} not found");
        return;
    };
    let mut docs: Vec<Vec<(Vec<String>, Vec<String>)>> = Vec::new();
    let mut last_doc = None;
    for line in data.lines() {
        let doc: Option<&str> = field(line, "doc").and_then(|s| s.split(',').next());
        let toks = field(line, "tokens").map(parse_strings).unwrap_or_default();
        let tags = field(line, "tags").map(parse_strings).unwrap_or_default();
        if doc != last_doc || docs.is_empty() {
            docs.push(Vec::new());
            last_doc = doc;
        }
        if let Some(d) = docs.last_mut() {
            d.push((toks, tags));
        }
    }
    let stage = EntityStage::new();
    let rules = chronicle_entities::RuleProvider::default();
    let use_text_stage = std::env::var("NER_TEXT_STAGE").is_ok();
    // Character offset of each gold token, to map spans back when the text stage tokenizes.
    let mut gold_tok_at: Vec<(u32, u32, usize, usize)> = Vec::new();
    let mut gold: HashSet<(usize, usize, usize, String)> = HashSet::new();
    let mut pred: HashSet<(usize, usize, usize, String)> = HashSet::new();
    let mut sid = 0usize;
    let mut bytes = 0usize;
    let mut elapsed = std::time::Duration::ZERO;
    let mut cand_time = std::time::Duration::ZERO;
    let mut docs_seen = 0usize;
    for d in &docs {
        let mut text = String::new();
        let mut tokens = Vec::new();
        let mut sentences = Vec::new();
        let mut pos = 0u32;
        for (k, (toks, tags)) in d.iter().enumerate() {
            if toks.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push('\n');
                pos += 1;
            }
            let first = tokens.len() as u32;
            let s0 = pos;
            for (j, t) in toks.iter().enumerate() {
                if j > 0 {
                    text.push(' ');
                    pos += 1;
                }
                let n = t.chars().count() as u32;
                tokens.push(Token::new(Span::new(pos, pos + n), kind_of(t), true, false));
                gold_tok_at.push((pos, pos + n, sid + k, j));
                text.push_str(t);
                pos += n;
            }
            sentences.push(Sentence {
                span: Span::new(s0, pos),
                paragraph: k as u32,
                tokens: (first, tokens.len() as u32),
            });
            for (s, e, ty) in spans(tags) {
                gold.insert((sid + k, s, e, ty));
            }
        }
        bytes += text.len();
        let mut doc = Document::new("conll", text, None);
        if use_text_stage {
            // The real pipeline: the text stage tokenizes the space-joined text itself.
            chronicle_text::TextStage::new().run(&mut doc);
            let _ = (tokens, sentences);
        } else {
            doc.tokens = tokens;
            doc.sentences = sentences;
            doc.index_tokens();
        }
        if docs_seen == 0 {
            // Warm the lexicon so the figure is throughput, not table parsing.
            stage.run(&mut doc.clone());
        }
        docs_seen += 1;
        let t0 = std::time::Instant::now();
        let _ = chronicle_entities::CandidateProvider::candidates(&rules, &doc);
        cand_time += t0.elapsed();
        let t0 = std::time::Instant::now();
        stage.run(&mut doc);
        elapsed += t0.elapsed();
        for e in &doc.entities {
            for m in e
                .mentions
                .iter()
                .filter(|m| matches!(m.kind, MentionKind::Name | MentionKind::Demonym))
            {
                let ts: Vec<&(u32, u32, usize, usize)> = gold_tok_at
                    .iter()
                    .filter(|g| Span::new(g.0, g.1).overlaps(m.span))
                    .collect();
                let (Some(&&(_, _, sa, ja)), Some(&&(_, _, sb, jb))) = (ts.first(), ts.last()) else {
                    continue;
                };
                if sa == sb {
                    pred.insert((sa, ja, jb + 1, e.kind.as_str().to_string()));
                }
            }
        }
        gold_tok_at.clear();
        sid += d.len();
    }
    if let Ok(path) = std::env::var("NER_ERRORS") {
        let mut lines = String::new();
        for p in pred.difference(&gold) {
            lines.push_str(&format!("FP\t{}\t{}\t{}\t{}\n", p.3, p.0, p.1, p.2));
        }
        for g in gold.difference(&pred) {
            lines.push_str(&format!("FN\t{}\t{}\t{}\t{}\n", g.3, g.0, g.1, g.2));
        }
        let _ = std::fs::write(path, lines);
    }
    let mut report = String::new();
    let mut stats: HashMap<String, (usize, usize, usize)> = HashMap::new();
    for p in &pred {
        let s = stats.entry(p.3.clone()).or_default();
        s.1 += 1;
        if gold.contains(p) {
            s.0 += 1;
        }
    }
    for g in &gold {
        stats.entry(g.3.clone()).or_default().2 += 1;
    }
    let f = |tp: usize, np: usize, ng: usize| {
        let p = tp as f64 / np.max(1) as f64;
        let r = tp as f64 / ng.max(1) as f64;
        (
            100.0 * p,
            100.0 * r,
            if p + r > 0.0 { 200.0 * p * r / (p + r) } else { 0.0 },
        )
    };
    let (mut tp, mut np, mut ng) = (0, 0, 0);
    let mut keys: Vec<_> = stats.keys().cloned().collect();
    keys.sort();
    for k in keys {
        let (a, b, c) = stats[&k];
        tp += a;
        np += b;
        ng += c;
        let (p, r, f1) = f(a, b, c);
        report.push_str(&format!(
            "{k:5} P {p:5.1} R {r:5.1} F1 {f1:5.1} (pred {b}, gold {c})\n"
        ));
    }
    let (p, r, f1) = f(tp, np, ng);
    eprintln!("{report}ALL   P {p:5.1} R {r:5.1} F1 {f1:5.1} (pred {np}, gold {ng})");
    eprintln!(
        "speed: {:.1} MB/s ({} bytes in {:?})",
        bytes as f64 / 1e6 / elapsed.as_secs_f64(),
        bytes,
        elapsed
    );
    eprintln!("  candidate provider alone: {cand_time:?}");
    assert!(f1 > 40.0, "CoNLL valid F1 collapsed: {f1:.1}");
}
