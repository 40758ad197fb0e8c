//! The committed model: loads, rejects bad files, analyses sentences into well-formed
//! trees, and (when `../shared` is present) stays above accuracy floors on EWT dev.

use chronicle_syntax::train::{train, TrainConfig};
use chronicle_syntax::{conllu, eval, Clusters, SyntaxError, SyntaxModel, Upos};
use std::path::PathBuf;

fn shared_ud(file: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/eval/ud")
        .join(file);
    p.exists().then_some(p)
}

#[test]
fn builtin_model_loads_and_gives_one_tree_per_sentence() {
    let m = SyntaxModel::builtin().expect("committed model loads");
    let words = ["The", "minister", "is", "expected", "to", "visit", "Kyiv", "."];
    let a = m.analyse(&words);
    assert_eq!(a.len(), words.len());
    let roots = a.iter().filter(|t| t.head == 0).count();
    assert_eq!(roots, 1, "exactly one root: {a:?}");
    for (i, t) in a.iter().enumerate() {
        assert!(
            t.head as usize <= words.len() && t.head as usize != i + 1,
            "{t:?}"
        );
        assert!(!t.lemma.is_empty() && !t.xpos.is_empty() && !t.deprel.is_empty());
    }
    // Every word reaches the root (no cycles).
    for i in 0..a.len() {
        let mut k = i + 1;
        for _ in 0..=a.len() {
            if k == 0 {
                break;
            }
            k = a[k - 1].head as usize;
        }
        assert_eq!(k, 0, "word {} does not reach the root", i + 1);
    }
    assert_eq!(a[7].upos, Upos::Punct);
    // The allocation-free path agrees with `analyse`.
    let mut sc = chronicle_syntax::Scratch::default();
    m.tag_parse(&words, &mut sc);
    for (i, t) in a.iter().enumerate() {
        assert_eq!(m.tag(sc.tags[i]), Some((t.upos, t.xpos)));
        assert_eq!(m.relation(sc.labels[i]), Some(t.deprel));
        assert_eq!(m.lemma(words[i], sc.tags[i]), t.lemma);
        assert_eq!(m.feats(words[i], sc.tags[i]), t.feats);
        assert_eq!(sc.heads[i], t.head);
    }
    assert!(m.analyse(&[]).is_empty());
}

#[test]
fn bad_model_bytes_are_typed_errors() {
    assert!(matches!(
        SyntaxModel::from_bytes(b"not a model at all"),
        Err(SyntaxError::Format(_))
    ));
    let good = SyntaxModel::builtin_bytes();
    assert!(matches!(
        SyntaxModel::from_bytes(&good[..good.len() / 2]),
        Err(SyntaxError::Format(_))
    ));
    // Cut anywhere (header, clusters, tagger, lemmatiser, parser): always an error.
    for k in 1..64 {
        let cut = good.len() * k / 64;
        assert!(SyntaxModel::from_bytes(&good[..cut]).is_err(), "cut at {cut}");
    }
    let mut other = good.to_vec();
    other[8..12].copy_from_slice(&9999u32.to_le_bytes());
    assert!(matches!(
        SyntaxModel::from_bytes(&other),
        Err(SyntaxError::FeatureVersion { found: 9999, .. })
    ));
}

/// A tiny hand-made treebank (sentences of a few shapes, repeated).
fn tiny_treebank() -> Vec<conllu::Sentence> {
    let text = "1\tDogs\tdog\tNOUN\tNNS\tNumber=Plur\t2\tnsubj\t_\t_\n2\tbark\tbark\tVERB\tVBP\t_\t0\troot\t_\t_\n3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n\
1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n2\tcat\tcat\tNOUN\tNN\tNumber=Sing\t3\tnsubj\t_\t_\n3\tsaw\tsee\tVERB\tVBD\tTense=Past\t0\troot\t_\t_\n4\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\t_\n5\tdog\tdog\tNOUN\tNN\tNumber=Sing\t3\tobj\t_\t_\n6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n\
1\tIt\tit\tPRON\tPRP\t_\t3\tnsubj:pass\t_\t_\n2\twas\tbe\tAUX\tVBD\t_\t3\taux:pass\t_\t_\n3\tshelled\tshell\tVERB\tVBN\t_\t0\troot\t_\t_\n4\tby\tby\tADP\tIN\t_\t5\tcase\t_\t_\n5\tforces\tforce\tNOUN\tNNS\t_\t3\tobl:agent\t_\t_\n6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n";
    let one = conllu::parse(text).expect("tiny treebank parses");
    (0..20).flat_map(|_| one.clone()).collect()
}

#[test]
fn training_is_deterministic_and_learns_the_data() {
    let data = tiny_treebank();
    let cfg = TrainConfig {
        tagger_epochs: 3,
        parser_epochs: 3,
        folds: 2,
        seed: 5,
        explore_from: 1,
    };
    let mut quiet = |_m: String| {};
    let a = train(&data, Some(&data[..3]), Clusters::default(), &cfg, &mut quiet)
        .expect("trains")
        .to_bytes();
    let b = train(&data, Some(&data[..3]), Clusters::default(), &cfg, &mut quiet)
        .expect("trains")
        .to_bytes();
    assert_eq!(a, b, "same data and seed give byte-identical models");
    let m = SyntaxModel::from_bytes(&a).expect("reads back");
    let gold = &data[..3];
    let mut pred = gold.to_vec();
    for s in &mut pred {
        m.annotate(s);
    }
    let s = eval::score(gold, &pred).expect("aligned");
    assert!(
        s.las_pct() > 90.0 && s.upos_pct() > 90.0,
        "learns its own data: {s}"
    );
}

#[test]
fn committed_model_stays_above_dev_floors() {
    let Some(dev) = shared_ud("en_ewt-ud-dev.conllu") else {
        eprintln!("skipping: ../shared/eval/ud/en_ewt-ud-dev.conllu is absent");
        return;
    };
    let m = SyntaxModel::builtin().expect("committed model loads");
    let gold = conllu::read_file(&dev).expect("dev reads");
    let mut pred = gold.clone();
    for s in &mut pred {
        m.annotate(s);
    }
    let s = eval::score(&gold, &pred).expect("aligned");
    eprintln!("EWT dev: {s}");
    assert!(s.upos_pct() >= UPOS_FLOOR, "{s}");
    assert!(s.las_pct() >= LAS_FLOOR, "{s}");
    assert!(s.lemma_pct() >= LEMMA_FLOOR, "{s}");
}

/// Floors about half a point under the committed model's EWT dev figures (README).
const UPOS_FLOOR: f64 = 94.0;
const LAS_FLOOR: f64 = 80.0;
const LEMMA_FLOOR: f64 = 96.5;

#[test]
fn conllu_round_trips_the_treebank_files() {
    for f in ["en_ewt-ud-dev.conllu", "gum-ccby-dev.conllu"] {
        let Some(p) = shared_ud(f) else {
            eprintln!("skipping: ../shared/eval/ud/{f} is absent");
            continue;
        };
        let text = std::fs::read_to_string(&p).expect("reads");
        let sents = conllu::parse(&text).expect("parses");
        assert_eq!(conllu::write(&sents), text, "{f} is written back unchanged");
    }
}
