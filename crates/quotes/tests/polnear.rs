//! Figures on PolNeAR dev (skipped when ../shared is absent). Run with
//! `cargo test -p chronicle-quotes --test polnear -- --nocapture`; set `POLNEAR=train` to
//! score the train split instead.
//!
//! Two representation adapters, both applied symmetrically or documented here:
//! * gold `span` is the hull of all content fragments, so predicted quotes that share one cue
//!   span in one paragraph (a quote interrupted by its attribution) are merged into their hull;
//! * gold direct spans include the quotation marks, ours do not: exact match compares spans
//!   after trimming whitespace, quotation marks and , . ; : from both ends of both.

mod common;

use chronicle_core::{Document, Span, Stage};
use chronicle_quotes::QuoteStage;
use serde_json::Value;

fn span(v: &Value) -> Option<Span> {
    let a = v.get(0)?.as_u64()? as u32;
    let b = v.get(1)?.as_u64()? as u32;
    Some(Span::new(a, b))
}

fn norm(d: &Document, s: Span) -> Span {
    let chars: Vec<char> = d.slice(s).chars().collect();
    let strip = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '“' | '”' | '"' | '‘' | '’' | '\'' | ',' | '.' | ';' | ':' | '«' | '»'
            )
    };
    let mut a = 0;
    let mut b = chars.len();
    while a < b && strip(chars[a]) {
        a += 1;
    }
    while b > a && strip(chars[b - 1]) {
        b -= 1;
    }
    Span::new(s.start + a as u32, s.start + b as u32)
}

#[derive(Default)]
struct F {
    tp: usize,
    pred: usize,
    gold: usize,
}
impl F {
    fn show(&self, name: &str) -> String {
        let p = self.tp as f64 / self.pred.max(1) as f64;
        let r = self.tp as f64 / self.gold.max(1) as f64;
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        format!(
            "{name}: P {:.1} R {:.1} F1 {:.1} (tp {} pred {} gold {})",
            100.0 * p,
            100.0 * r,
            100.0 * f,
            self.tp,
            self.pred,
            self.gold
        )
    }
}

#[test]
fn polnear_dev_figures() {
    let split = std::env::var("POLNEAR").unwrap_or_else(|_| "dev".into());
    let path = format!(
        "{}/../../../shared/eval/quotes/polnear-{split}.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {path} not found");
        return;
    };
    let text_stage = chronicle_text::TextStage::new();
    let ent_stage = chronicle_entities::EntityStage::new();
    let stage = QuoteStage::new();
    let (mut resolved, mut with_speaker) = (0usize, 0usize);
    let (mut overlap, mut exact, mut cue) = (F::default(), F::default(), F::default());
    let mut sp_exact = F::default();
    let (mut sp_ok, mut sp_n) = (0usize, 0usize);
    let mut by_type: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let mut used_text_stage = false;
    let mut bytes = 0usize;
    let mut elapsed = std::time::Duration::ZERO;
    let mut dump = String::new();
    let want_dump = std::env::var("QUOTES_DUMP").ok();
    for line in data.lines() {
        let Ok(rec) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(text) = rec.get("text").and_then(Value::as_str) else {
            continue;
        };
        let mut d = Document::new("x", text, None);
        if std::env::var("QUOTES_TOKENIZER").as_deref() != Ok("test") {
            text_stage.run(&mut d);
        }
        if d.tokens.is_empty() || d.sentences.is_empty() {
            d = Document::new("x", text, None);
            common::annotate(&mut d);
        } else {
            used_text_stage = true;
        }
        ent_stage.run(&mut d);
        let t0 = std::time::Instant::now();
        stage.run(&mut d);
        elapsed += t0.elapsed();
        bytes += text.len();
        with_speaker += d.quotes.iter().filter(|q| q.speaker_span.is_some()).count();
        resolved += d.quotes.iter().filter(|q| q.speaker.is_some()).count();

        // Merge fragments that share a cue within one paragraph (gold's hull convention).
        let para = |s: Span| d.paragraphs.partition_point(|p| p.end <= s.start);
        let mut pred: Vec<(Span, Option<Span>, Option<Span>)> = Vec::new();
        let mut pred_ent: Vec<Option<String>> = Vec::new();
        for q in &d.quotes {
            if let Some(prev) = pred
                .iter_mut()
                .rev()
                .find(|p| q.cue.is_some() && p.2 == q.cue && para(p.0) == para(q.span))
            {
                prev.0 = prev.0.cover(q.span);
                continue;
            }
            pred.push((q.span, q.speaker_span, q.cue));
            pred_ent.push(q.speaker.and_then(|e| d.entity(e)).map(|e| e.name.to_lowercase()));
        }
        let empty = Vec::new();
        let gold = rec.get("quotes").and_then(Value::as_array).unwrap_or(&empty);
        let mut used = vec![false; pred.len()];
        let mut used_x = vec![false; pred.len()];
        overlap.pred += pred.len();
        exact.pred += pred.len();
        overlap.gold += gold.len();
        sp_exact.pred += pred.iter().filter(|p| p.1.is_some()).count();
        sp_exact.gold += gold
            .iter()
            .filter(|g| g.get("speaker_span").and_then(span).is_some())
            .count();
        exact.gold += gold.len();
        for g in gold {
            let Some(gs) = g.get("span").and_then(span) else {
                continue;
            };
            let ty = g.get("type").and_then(Value::as_str).unwrap_or("?").to_string();
            let e = by_type.entry(ty).or_default();
            e.1 += 1;
            let best = pred
                .iter()
                .enumerate()
                .filter(|(i, p)| !used[*i] && 2 * p.0.overlap_len(gs) >= p.0.len().max(gs.len()))
                .max_by_key(|(_, p)| p.0.overlap_len(gs))
                .map(|(i, _)| i);
            if let Some(i) = best {
                used[i] = true;
                overlap.tp += 1;
                e.0 += 1;
                if let Some(gsp) = g.get("speaker_span").and_then(span) {
                    sp_n += 1;
                    // README: the mention overlaps, or the resolved entity holds the head word.
                    let head = d
                        .slice(gsp)
                        .split_whitespace()
                        .last()
                        .unwrap_or("")
                        .to_lowercase();
                    let by_entity = pred_ent[i]
                        .as_ref()
                        .is_some_and(|n| !head.is_empty() && n.contains(&head));
                    if pred[i].1.is_some_and(|ps| ps.overlaps(gsp)) || by_entity {
                        sp_ok += 1;
                    }
                    if pred[i].1.is_some_and(|ps| norm(&d, ps) == norm(&d, gsp)) {
                        sp_exact.tp += 1;
                    }
                }
            }
            if want_dump.is_some() {
                let tag = if best.is_some() { "HIT " } else { "MISS" };
                let cue = g.get("cue").and_then(Value::as_str).unwrap_or("");
                let spk = g.get("speaker").and_then(Value::as_str).unwrap_or("");
                let ty = g.get("type").and_then(Value::as_str).unwrap_or("");
                let gc = g.get("cue_span").and_then(span);
                let same_cue = pred.iter().find(|p| p.2.is_some() && p.2 == gc);
                let pv = best
                    .or(same_cue.and_then(|sc| pred.iter().position(|p| p == sc)))
                    .map(|i| {
                        format!(
                            " || PRED [{}] sp={:?}",
                            d.slice(pred[i].0),
                            pred[i].1.map(|x| d.slice(x))
                        )
                    })
                    .unwrap_or_default();
                dump.push_str(&format!(
                    "{tag} {ty} cue={cue:?} sp={spk:?} [{}]{pv}\n",
                    d.slice(gs)
                ));
            }
            let ng = norm(&d, gs);
            if let Some(i) = (0..pred.len()).find(|&i| !used_x[i] && norm(&d, pred[i].0) == ng) {
                used_x[i] = true;
                exact.tp += 1;
            }
        }
        if want_dump.is_some() {
            for (i, p) in pred.iter().enumerate() {
                if !used[i] {
                    dump.push_str(&format!(
                        "FP   cue={:?} sp={:?} [{}]\n",
                        p.2.map(|x| d.slice(x)),
                        p.1.map(|x| d.slice(x)),
                        d.slice(p.0)
                    ));
                }
            }
        }
        let mut gcues: Vec<Span> = gold
            .iter()
            .filter_map(|g| g.get("cue_span").and_then(span))
            .collect();
        gcues.sort();
        gcues.dedup();
        let mut pcues: Vec<Span> = d.quotes.iter().filter_map(|q| q.cue).collect();
        pcues.sort();
        pcues.dedup();
        cue.gold += gcues.len();
        cue.pred += pcues.len();
        cue.tp += pcues.iter().filter(|c| gcues.binary_search(c).is_ok()).count();
    }
    eprintln!(
        "PolNeAR {split} (tokens from {})",
        if used_text_stage {
            "chronicle-text"
        } else {
            "test tokenizer"
        }
    );
    eprintln!("{}", overlap.show("content overlap"));
    eprintln!("{}", exact.show("content exact"));
    eprintln!(
        "speaker accuracy on matched: {:.1} ({sp_ok}/{sp_n})",
        100.0 * sp_ok as f64 / sp_n.max(1) as f64
    );
    eprintln!("{}", sp_exact.show("speaker exact (on content-matched quotes)"));
    eprintln!("{}", cue.show("cue exact"));
    eprintln!("speakers resolved to an entity: {resolved}/{with_speaker}");
    for (t, (m, n)) in &by_type {
        eprintln!(
            "  recall {t}: {:.1} ({m}/{n})",
            100.0 * *m as f64 / (*n).max(1) as f64
        );
    }
    eprintln!(
        "quote stage alone: {:.1} MB/s",
        bytes as f64 / 1e6 / elapsed.as_secs_f64().max(1e-9)
    );
    if let Some(path) = want_dump {
        let _ = std::fs::write(path, dump);
    }
    assert!(overlap.gold > 0);
    // Regression floors for the rules alone on dev (no syntax layer here: the parse path
    // adds about 3 F1 points in the pipeline, measured by `chronicle eval quotes`). Measured
    // 62.9 and 92.9 when set; a change that loses more than a few points fails here.
    if split == "dev" {
        let (p, r) = (
            overlap.tp as f64 / overlap.pred.max(1) as f64,
            overlap.tp as f64 / overlap.gold.max(1) as f64,
        );
        let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        assert!(f1 >= 0.60, "content overlap F1 {f1:.3} fell below 0.60");
        let acc = sp_ok as f64 / sp_n.max(1) as f64;
        assert!(acc >= 0.90, "speaker accuracy {acc:.3} fell below 0.90");
    }
}
