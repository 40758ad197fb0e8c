//! Training the whole model from CoNLL-U: tagger (epoch picked on dev), jackknifed tags
//! for the parser's training data (so the parser learns from tags as noisy as at run
//! time), lemmatiser, then the parser with the dynamic oracle (epoch picked on dev LAS).
//! [`retrain_parser`] redoes only the parser on top of an existing model.

use crate::conllu::Sentence;
use crate::lemma::Lemmatiser;
use crate::model::{parser_word, root_token, tag_name, SyntaxModel};
use crate::parser::{self, LabelSet, ParseExample};
use crate::tagger::{self, TagExample, TagScratch, TagSet, Tagger};
use crate::upos::Upos;
use crate::words::Clusters;
use crate::SyntaxError;

/// Default pruning of the written model (tagger, parser): weights below these magnitudes
/// (quantised units) are dropped, which keeps the file and the tables small (see
/// `data/README.md` for what it costs in accuracy).
pub const DEFAULT_PRUNE: (i16, i16) = (300, 600);

/// Training settings. Same settings and data give byte-identical models.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    pub tagger_epochs: usize,
    pub parser_epochs: usize,
    /// Folds for jackknifed tags (0 or 1 = train the parser on gold tags).
    pub folds: usize,
    pub seed: u64,
    /// First parser epoch (0-based) that follows its own predictions (exploration).
    pub explore_from: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            tagger_epochs: 10,
            parser_epochs: 18,
            folds: 5,
            seed: 17,
            explore_from: 1,
        }
    }
}

fn parse_example(
    s: &Sentence,
    infos: &[crate::words::WordInfo],
    tags: &[u16],
    labels: &LabelSet,
) -> Result<ParseExample, SyntaxError> {
    let mut words = vec![root_token()];
    words.extend(infos.iter().map(parser_word));
    let mut ptags = vec![root_token()];
    ptags.extend(tags.iter().map(|&t| u64::from(t)));
    let col = |f: fn(&crate::words::WordInfo) -> u64| {
        let mut v = vec![root_token()];
        v.extend(infos.iter().map(f));
        v
    };
    let attrs = [col(|i| i.cluster), col(|i| i.cluster2), col(|i| i.suf[2])];
    let mut gh = vec![0u32];
    let mut gl = vec![0u16];
    for w in &s.words {
        gh.push(w.head.ok_or_else(|| {
            SyntaxError::Mismatch(format!("word {:?} has no head in training data", w.form))
        })?);
        gl.push(labels.id(&w.deprel).unwrap_or(labels.root));
    }
    Ok(ParseExample::new(words, ptags, attrs, gh, gl))
}

fn gold_heads(s: &Sentence) -> (Vec<u32>, Vec<String>) {
    let mut h = vec![0];
    let mut l = vec![String::new()];
    for w in &s.words {
        h.push(w.head.unwrap_or(u32::MAX));
        l.push(w.deprel.clone());
    }
    (h, l)
}

/// Trains a model on `train`, choosing epochs on `dev` when given: tagger and
/// lemmatiser on the given word clusters, then the parser on top of that tagger.
pub fn train(
    train: &[Sentence],
    dev: Option<&[Sentence]>,
    clusters: Clusters,
    cfg: &TrainConfig,
    log: &mut dyn FnMut(String),
) -> Result<SyntaxModel, SyntaxError> {
    let owned: Vec<Sentence> = train.iter().filter(|s| !s.words.is_empty()).cloned().collect();
    let tags = TagSet::from_sentences(&owned)?;
    log(format!(
        "{} training sentences, {} tag classes",
        owned.len(),
        tags.len()
    ));
    let tex: Vec<TagExample> = owned
        .iter()
        .map(|s| tagger::prepare(s, &tags, &clusters))
        .collect();
    let dev_tex: Option<Vec<TagExample>> =
        dev.map(|d| d.iter().map(|s| tagger::prepare(s, &tags, &clusters)).collect());
    let t0 = std::time::Instant::now();
    let final_tagger = tagger::train(&tags, &tex, dev_tex.as_deref(), cfg.tagger_epochs, cfg.seed, log);
    log(format!("tagger trained in {:.1}s", t0.elapsed().as_secs_f64()));
    let lemmatiser = train_lemmatiser(&owned);
    let parser = train_parser_part(
        &owned,
        &tags,
        &tex,
        dev,
        dev_tex.as_deref(),
        &final_tagger,
        cfg,
        log,
    )?;
    Ok(SyntaxModel {
        clusters,
        tagger: final_tagger,
        lemmatiser,
        parser,
        tag_names: std::sync::OnceLock::new(),
    })
}

/// Retrains only the parser of `base` (its word clusters, tagger and lemmatiser are
/// kept as they are): the parser learns from jackknifed tags of taggers trained like
/// `base`'s on folds of `train`, and is picked on `dev` LAS as [`train`] does.
pub fn retrain_parser(
    base: SyntaxModel,
    train: &[Sentence],
    dev: Option<&[Sentence]>,
    cfg: &TrainConfig,
    log: &mut dyn FnMut(String),
) -> Result<SyntaxModel, SyntaxError> {
    let owned: Vec<Sentence> = train.iter().filter(|s| !s.words.is_empty()).cloned().collect();
    let tags = base.tagger.tags.clone();
    let tex: Vec<TagExample> = owned
        .iter()
        .map(|s| tagger::prepare(s, &tags, &base.clusters))
        .collect();
    let dev_tex: Option<Vec<TagExample>> = dev.map(|d| {
        d.iter()
            .map(|s| tagger::prepare(s, &tags, &base.clusters))
            .collect()
    });
    let parser = train_parser_part(
        &owned,
        &tags,
        &tex,
        dev,
        dev_tex.as_deref(),
        &base.tagger,
        cfg,
        log,
    )?;
    Ok(SyntaxModel {
        parser,
        tag_names: std::sync::OnceLock::new(),
        ..base
    })
}

fn train_lemmatiser(owned: &[Sentence]) -> Lemmatiser {
    let lemma_rows: Vec<(String, String, String, String)> = owned
        .iter()
        .flat_map(|s| s.words.iter())
        .map(|w| {
            let name = match w.upos.parse::<Upos>() {
                Ok(u) => tag_name(&w.xpos, u),
                Err(_) => format!("{}|{}", w.xpos, w.upos),
            };
            (w.form.clone(), name, w.lemma.clone(), w.feats.clone())
        })
        .collect();
    Lemmatiser::train(
        lemma_rows
            .iter()
            .map(|(f, t, l, fe)| (f.as_str(), t.as_str(), l.as_str(), fe.as_str())),
    )
}

/// Jackknifed tags for `tex` (or gold ones when `cfg.folds < 2`), then the parser.
#[allow(clippy::too_many_arguments)]
fn train_parser_part(
    owned: &[Sentence],
    tags: &TagSet,
    tex: &[TagExample],
    dev: Option<&[Sentence]>,
    dev_tex: Option<&[TagExample]>,
    final_tagger: &Tagger,
    cfg: &TrainConfig,
    log: &mut dyn FnMut(String),
) -> Result<crate::parser::Parser, SyntaxError> {
    let labels = LabelSet::new(
        owned
            .iter()
            .flat_map(|s| s.words.iter().map(|w| w.deprel.clone()))
            .collect(),
    )?;
    log(format!("{} relations", labels.len()));
    // Jackknifed tags for the parser's training data.
    let mut pred: Vec<Vec<u16>> = tex
        .iter()
        .map(|e| e.gold.iter().map(|g| g.unwrap_or(0)).collect())
        .collect();
    if cfg.folds >= 2 {
        let mut sc = TagScratch::default();
        for k in 0..cfg.folds {
            let part: Vec<TagExample> = tex
                .iter()
                .enumerate()
                .filter(|(i, _)| i % cfg.folds != k)
                .map(|(_, e)| TagExample {
                    infos: e.infos.clone(),
                    gold: e.gold.clone(),
                })
                .collect();
            let mut quiet = |_m: String| {};
            let t = tagger::train(
                tags,
                &part,
                None,
                cfg.tagger_epochs,
                cfg.seed + k as u64 + 1,
                &mut quiet,
            );
            for (i, e) in tex.iter().enumerate() {
                if i % cfg.folds == k {
                    t.tag_into(&e.infos, &mut pred[i], &mut sc);
                }
            }
            log(format!("jackknife fold {}/{} done", k + 1, cfg.folds));
        }
        let (mut ok, mut n) = (0usize, 0usize);
        for (p, e) in pred.iter().zip(tex) {
            for (a, g) in p.iter().zip(&e.gold) {
                n += 1;
                ok += usize::from(Some(*a) == *g);
            }
        }
        log(format!(
            "jackknifed tag accuracy on train: {:.4}",
            ok as f64 / n.max(1) as f64
        ));
    }

    let pex: Vec<ParseExample> = owned
        .iter()
        .zip(tex)
        .zip(&pred)
        .map(|((s, e), p)| parse_example(s, &e.infos, p, &labels))
        .collect::<Result<_, _>>()?;
    let dev_parse = match (dev, dev_tex) {
        (Some(d), Some(dt)) => {
            let mut sc = TagScratch::default();
            let mut out = Vec::new();
            let mut exs = Vec::new();
            let mut gold = Vec::new();
            for (s, e) in d.iter().zip(dt) {
                if s.words.is_empty() || s.words.iter().any(|w| w.head.is_none()) {
                    continue;
                }
                final_tagger.tag_into(&e.infos, &mut out, &mut sc);
                exs.push(parse_example(s, &e.infos, &out, &labels)?);
                gold.push(gold_heads(s));
            }
            Some((exs, gold))
        }
        _ => None,
    };
    let t1 = std::time::Instant::now();
    let parser = parser::train(
        &labels,
        &pex,
        dev_parse.as_ref().map(|(e, g)| (e.as_slice(), g.as_slice())),
        cfg.parser_epochs,
        cfg.seed,
        cfg.explore_from,
        log,
    );
    log(format!("parser trained in {:.1}s", t1.elapsed().as_secs_f64()));
    Ok(parser)
}
