//! Averaged-perceptron training with greedy decoding on the model's own history.

use crate::eval::{evaluate_sentences, read_jsonl, Scores};
use crate::features::{self, Scratch, N_TAGS, START};
use crate::model::encode;
use crate::{NerError, NerModel};
use std::path::Path;

use crate::features::IdMap;
use crate::lexicon::Lexicon;

/// Training knobs.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the training data; the best one on validation is kept.
    pub epochs: usize,
    /// Seed of the sentence shuffle (training is deterministic for a given seed).
    pub seed: u64,
    /// Largest stored weight magnitude after quantisation; smaller means a smaller file.
    pub quant_max: i16,
    /// Features whose largest quantised weight magnitude is below this are dropped.
    pub prune_below: i16,
    /// Independent runs with different shuffles whose best-epoch weights are averaged:
    /// a bagged linear model, steadier than any single run and no slower to apply.
    pub runs: usize,
    /// Print per-epoch progress to stderr.
    pub verbose: bool,
    /// Unlabelled news text (JSONL with a `text` field, or plain text) for the word
    /// statistics of [`crate::Lexicon`]; empty = no lexicon features.
    pub corpora: Vec<std::path::PathBuf>,
    /// Also train on every sentence as a document of its own (and choose the epoch on the
    /// mean of document-level and sentence-level validation F1), so the model does not lean
    /// on document context that a lone headline or a one-line input lacks.
    pub sentences_alone: bool,
    /// Parse train and valid sentences with the built-in syntax model and learn the syntax
    /// features from it (see [`crate::WordSyntax`]).
    pub syntax: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 14,
            seed: 7,
            quant_max: 127,
            prune_below: 2,
            runs: 9,
            verbose: false,
            corpora: Vec::new(),
            sentences_alone: true,
            syntax: true,
        }
    }
}

/// One epoch's outcome.
#[derive(Debug, Clone)]
pub struct EpochReport {
    /// 0-based training run (see [`TrainOptions::runs`]).
    pub run: usize,
    pub epoch: usize,
    /// Training tokens mislabelled during the pass.
    pub train_errors: usize,
    pub valid: Scores,
    /// Size of the model file this epoch would produce.
    pub model_bytes: usize,
}

/// What training did, for the log and for choosing settings.
#[derive(Debug, Clone)]
pub struct TrainReport {
    pub epochs: Vec<EpochReport>,
    /// 1-based epoch whose averaged weights were kept.
    pub best_epoch: usize,
    pub train_sentences: usize,
    pub train_tokens: usize,
    /// Distinct features seen in training (before pruning).
    pub features_seen: usize,
    /// Validation scores of the returned model (the weight average of all runs' best
    /// epochs when `runs > 1`).
    pub valid: Scores,
}

struct Prepared {
    /// Static feature indices, flat.
    feats: Vec<u32>,
    /// Per token: start in `feats` (plus one trailing entry).
    tok_off: Vec<u32>,
    /// Per sentence: token range.
    sent: Vec<(u32, u32)>,
    gold: Vec<u8>,
    atoms: Vec<features::Atoms>,
    /// Per document: range of sentence indices.
    docs: Vec<(usize, usize)>,
}

#[derive(Clone)]
struct Weights {
    index: IdMap<u32>,
    keys: Vec<u64>,
    w: Vec<f32>,
    /// Sum of (time of update * delta), for lazy averaging.
    u: Vec<f64>,
}

impl Weights {
    fn id(&mut self, h: u64) -> u32 {
        if let Some(&i) = self.index.get(&h) {
            return i;
        }
        let i = self.keys.len() as u32;
        self.index.insert(h, i);
        self.keys.push(h);
        self.w.extend_from_slice(&[0.0; N_TAGS]);
        self.u.extend_from_slice(&[0.0; N_TAGS]);
        i
    }

    fn add_row(&self, id: u32, acc: &mut [f32; N_TAGS]) {
        let o = id as usize * N_TAGS;
        if let Some(r) = self.w.get(o..o + N_TAGS) {
            for (a, x) in acc.iter_mut().zip(r) {
                *a += *x;
            }
        }
    }

    fn update(&mut self, id: u32, class: usize, delta: f32, time: f64) {
        let o = id as usize * N_TAGS + class;
        if let Some(x) = self.w.get_mut(o) {
            *x += delta;
        }
        if let Some(x) = self.u.get_mut(o) {
            *x += time * f64::from(delta);
        }
    }

    /// Averaged weights (the perceptron's running average at `time`).
    fn averaged(&self, time: f64) -> Vec<f32> {
        self.w
            .iter()
            .zip(&self.u)
            .map(|(w, u)| (f64::from(*w) - u / time) as f32)
            .collect()
    }
}

/// Quantised, pruned model bytes from float weights (`N_TAGS` per key).
fn quantise(keys: &[u64], avg: &[f32], opts: &TrainOptions, lex: &Lexicon) -> Vec<u8> {
    let max = avg.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-6);
    let qmax = f32::from(opts.quant_max.max(1));
    let scale = max / qmax;
    let mut entries: Vec<(u64, [i16; N_TAGS])> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let Some(row) = avg.get(i * N_TAGS..(i + 1) * N_TAGS) else {
            continue;
        };
        let mut q = [0i16; N_TAGS];
        let mut big = 0i16;
        for (d, x) in q.iter_mut().zip(row) {
            *d = (x / scale).round().clamp(-qmax, qmax) as i16;
            big = big.max(d.saturating_abs());
        }
        if big >= opts.prune_below.max(1) {
            entries.push((*k, q));
        }
    }
    entries.sort_by_key(|e| e.0);
    encode(&entries, scale, lex)
}

fn prepare(sents: &[crate::Sentence], wts: &mut Weights, lex: &Lexicon) -> Prepared {
    let mut s = Scratch::default();
    let mut p = Prepared {
        feats: Vec::new(),
        tok_off: vec![0],
        sent: Vec::with_capacity(sents.len()),
        gold: Vec::new(),
        atoms: Vec::new(),
        docs: Vec::new(),
    };
    let mut buf = Vec::new();
    let mut map = IdMap::default();
    let mut start = 0usize;
    while start < sents.len() {
        let doc = sents.get(start).map_or(0, |x| x.doc);
        let end = start
            + sents
                .get(start..)
                .unwrap_or(&[])
                .iter()
                .take_while(|x| x.doc == doc)
                .count();
        let group = sents.get(start..end).unwrap_or(&[]);
        let a0 = p.atoms.len();
        p.docs.push((p.sent.len(), p.sent.len() + group.len()));
        for st in group {
            let words: Vec<&str> = st.tokens.iter().map(String::as_str).collect();
            features::sentence_atoms(&words, &st.syntax, &mut s, lex);
            p.atoms.extend_from_slice(&s.atoms);
        }
        if let Some(doc_atoms) = p.atoms.get_mut(a0..) {
            features::apply_doc_context(doc_atoms, &mut map);
        }
        for st in group {
            let t0 = p.gold.len() as u32;
            let t1 = t0 + st.tags.len() as u32;
            let atoms = p.atoms.get(t0 as usize..t1 as usize).unwrap_or(&[]);
            let headline = features::sentence_style(atoms);
            for (i, tag) in st.tags.iter().enumerate() {
                buf.clear();
                features::static_features(atoms, headline, i, &mut buf);
                for &h in &buf {
                    let id = wts.id(h);
                    p.feats.push(id);
                }
                p.tok_off.push(p.feats.len() as u32);
                p.gold.push(tag.index() as u8);
            }
            p.sent.push((t0, t1));
        }
        start = end.max(start + 1);
    }
    p
}

fn xorshift(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    x
}

/// Trains on `train_jsonl`, scores every epoch's averaged model on `valid_jsonl`, and
/// returns the best one. Deterministic for given data and options.
pub fn train(
    train_jsonl: &Path,
    valid_jsonl: &Path,
    opts: &TrainOptions,
) -> Result<(NerModel, TrainReport), NerError> {
    let mut train_s = read_jsonl(train_jsonl)?;
    let mut valid_s = read_jsonl(valid_jsonl)?;
    if opts.syntax {
        let m = chronicle_syntax::SyntaxModel::builtin()
            .map_err(|e| NerError::Format(format!("the built-in syntax model: {e}")))?;
        crate::eval::attach_syntax(&mut train_s, m);
        crate::eval::attach_syntax(&mut valid_s, m);
    }
    if opts.sentences_alone {
        let base = train_s.iter().map(|s| s.doc).max().unwrap_or(0) + 1;
        let alone: Vec<_> = train_s
            .iter()
            .enumerate()
            .map(|(i, s)| crate::eval::Sentence {
                doc: base + i as u64,
                ..s.clone()
            })
            .collect();
        train_s.extend(alone);
    }
    let valid_alone: Vec<_> = valid_s
        .iter()
        .enumerate()
        .map(|(i, s)| crate::eval::Sentence {
            doc: i as u64,
            ..s.clone()
        })
        .collect();
    let select = |m: &NerModel| -> (f64, Scores) {
        let v = evaluate_sentences(m, &valid_s);
        let f = if opts.sentences_alone {
            (v.overall.f1() + evaluate_sentences(m, &valid_alone).overall.f1()) / 2.0
        } else {
            v.overall.f1()
        };
        (f, v)
    };
    let mut wts = Weights {
        index: IdMap::default(),
        keys: Vec::new(),
        w: Vec::new(),
        u: Vec::new(),
    };
    let mut texts = Vec::new();
    for c in &opts.corpora {
        texts.extend(crate::lexicon::read_corpus(c)?);
    }
    let lex = Lexicon::build(texts.iter().map(String::as_str));
    drop(texts);
    if opts.verbose {
        eprintln!("lexicon: {} words", lex.len());
    }
    let p = prepare(&train_s, &mut wts, &lex);
    let mut hist = features::History::default();
    let mut report = TrainReport {
        epochs: Vec::new(),
        best_epoch: 0,
        train_sentences: train_s.len(),
        train_tokens: p.gold.len(),
        features_seen: 0,
        valid: Scores::default(),
    };
    let mut dy = [0u64; features::N_DYN];
    let mut dy_ids = [0u32; features::N_DYN];
    let wts0 = wts;
    let mut merged: IdMap<[f32; N_TAGS]> = IdMap::default();
    let mut single: Option<NerModel> = None;
    let runs = opts.runs.max(1);
    for run in 0..runs {
        let mut wts = wts0.clone();
        let mut order: Vec<usize> = (0..p.docs.len()).collect();
        let mut rng = opts.seed.wrapping_add(run as u64 * 0x9E37_79B9) | 1;
        let mut time = 1.0f64;
        let mut best: Option<(f64, NerModel, Vec<f32>, Scores)> = None;
        for epoch in 1..=opts.epochs.max(1) {
            for i in (1..order.len()).rev() {
                let j = (xorshift(&mut rng) % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
            let mut errors = 0usize;
            for &di in &order {
                let Some(&(s0, s1)) = p.docs.get(di) else { continue };
                hist.clear();
                for si in s0..s1 {
                    let Some(&(t0, t1)) = p.sent.get(si) else { continue };
                    let atoms = p.atoms.get(t0 as usize..t1 as usize).unwrap_or(&[]);
                    let mut prev = START;
                    let mut prev2 = START;
                    for (i, a) in atoms.iter().enumerate() {
                        let t = t0 as usize + i;
                        let (f0, f1) = (
                            p.tok_off.get(t).copied().unwrap_or(0) as usize,
                            p.tok_off.get(t + 1).copied().unwrap_or(0) as usize,
                        );
                        let stat = p.feats.get(f0..f1).unwrap_or(&[]);
                        let mut acc = [0f32; N_TAGS];
                        for &id in stat {
                            wts.add_row(id, &mut acc);
                        }
                        let hv = features::history_value(a, &hist);
                        features::dynamic_features(atoms, i, prev, prev2, hv, &mut dy);
                        for (h, id) in dy.iter().zip(dy_ids.iter_mut()) {
                            *id = wts.id(*h);
                            wts.add_row(*id, &mut acc);
                        }
                        let mut pred = 0usize;
                        for (k, v) in acc.iter().enumerate() {
                            if *v > acc[pred] {
                                pred = k;
                            }
                        }
                        let gold = p.gold.get(t).copied().unwrap_or(0) as usize;
                        if pred != gold {
                            errors += 1;
                            for &id in stat.iter().chain(dy_ids.iter()) {
                                wts.update(id, gold, 1.0, time);
                                wts.update(id, pred, -1.0, time);
                            }
                        }
                        features::record_history(a, pred, &mut hist);
                        time += 1.0;
                        prev2 = prev;
                        prev = pred;
                    }
                }
            }
            let avg = wts.averaged(time);
            let bytes = quantise(&wts.keys, &avg, opts, &lex);
            let model = NerModel::from_bytes(&bytes)?;
            let (f1, valid) = select(&model);
            if opts.verbose {
                eprintln!(
                "run {run} epoch {epoch}: train errors {errors}, valid F1 {:.2} (P {:.2} R {:.2}), {} features kept, {} bytes",
                100.0 * f1,
                100.0 * valid.overall.precision(),
                100.0 * valid.overall.recall(),
                model.len(),
                bytes.len()
            );
            }
            report.epochs.push(EpochReport {
                run,
                epoch,
                train_errors: errors,
                valid,
                model_bytes: bytes.len(),
            });
            if best.as_ref().is_none_or(|b| f1 > b.0) {
                best = Some((f1, model, avg, valid));
                report.best_epoch = epoch;
            }
        }
        report.features_seen = report.features_seen.max(wts.keys.len());
        if let Some((_, model, avg, valid)) = best {
            for (i, k) in wts.keys.iter().enumerate() {
                let Some(row) = avg.get(i * N_TAGS..(i + 1) * N_TAGS) else {
                    continue;
                };
                let e = merged.entry(*k).or_insert([0.0; N_TAGS]);
                for (d, x) in e.iter_mut().zip(row) {
                    *d += x / runs as f32;
                }
            }
            report.valid = valid;
            single = Some(model);
        }
    }
    if runs == 1 {
        return single
            .map(|m| (m, report))
            .ok_or_else(|| NerError::Format("no epoch trained".into()));
    }
    let mut keys: Vec<u64> = merged.keys().copied().collect();
    keys.sort_unstable();
    let mut avg = Vec::with_capacity(keys.len() * N_TAGS);
    for k in &keys {
        avg.extend_from_slice(merged.get(k).unwrap_or(&[0.0; N_TAGS]));
    }
    let model = NerModel::from_bytes(&quantise(&keys, &avg, opts, &lex))?;
    report.valid = evaluate_sentences(&model, &valid_s);
    if opts.verbose {
        eprintln!(
            "average of {runs} runs: valid F1 {:.2}, {} features kept",
            100.0 * report.valid.overall.f1(),
            model.len()
        );
    }
    Ok((model, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tag;

    #[test]
    fn learns_a_toy_pattern_and_reports_epochs() {
        let dir = std::env::temp_dir().join(format!("chronicle-ner-train-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let names = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank"];
        let places = ["Paris", "Berlin", "Madrid", "Rome", "Vienna", "Oslo"];
        let mut lines = String::new();
        for (i, n) in names.iter().enumerate() {
            for p in &places {
                lines.push_str(&format!(
                    "{{\"doc\": {i}, \"tokens\": [\"{n}\", \"went\", \"to\", \"{p}\", \".\"], \
                     \"tags\": [\"B-PER\", \"O\", \"O\", \"B-LOC\", \"O\"]}}\n"
                ));
            }
        }
        let tr = dir.join("train.jsonl");
        std::fs::write(&tr, &lines).unwrap();
        let opts = TrainOptions {
            epochs: 3,
            runs: 2,
            ..TrainOptions::default()
        };
        let (m, rep) = train(&tr, &tr, &opts).unwrap();
        assert_eq!(rep.epochs.len(), 6);
        assert!(rep.valid.overall.f1() > 0.99, "{}", rep.valid.report());
        assert_eq!(
            m.tag(&["Bob", "went", "to", "Rome", "."]),
            [Tag::BPer, Tag::O, Tag::O, Tag::BLoc, Tag::O]
        );
        let back = NerModel::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(
            back.tag(&["Erin", "went", "to", "Oslo"]),
            m.tag(&["Erin", "went", "to", "Oslo"])
        );
        // Bad input is an error, not a panic.
        let bad = dir.join("bad.jsonl");
        std::fs::write(&bad, "{\"tokens\": [\"a\"], \"tags\": [\"B-XYZ\"]}\n").unwrap();
        assert!(train(&bad, &tr, &opts).is_err());
        assert!(train(&dir.join("missing.jsonl"), &tr, &opts).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
