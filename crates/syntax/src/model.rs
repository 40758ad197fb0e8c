//! The whole model (clusters, tagger, lemmatiser, parser) and its file format.
//!
//! Layout (little-endian): magic `b"CSYN"`, format version `u32`, feature version `u32`,
//! then the sections in order: word clusters, tagger, lemmatiser, parser (see each
//! type's `write`). Weight tables are plain arrays so loading is a single pass.

use crate::bin::{Reader, Writer};
use crate::conllu::Sentence;
use crate::lemma::Lemmatiser;
use crate::parser::{Inputs, ParseScratch, Parser};
use crate::tagger::{TagScratch, Tagger};
use crate::upos::Upos;
use crate::words::{Clusters, WordInfo};
use crate::SyntaxError;
use std::cell::RefCell;
use std::sync::OnceLock;

const MAGIC: &[u8; 4] = b"CSYN";
const FORMAT_VERSION: u32 = 1;
/// Bump whenever feature extraction changes: weights keyed by other features are refused.
pub const FEATURE_VERSION: u32 = 3;
/// Hash of the artificial root's word and tag in parser features.
const ROOT_TOKEN: u64 = 0xFFFF_0201;

static BUILTIN_BYTES: &[u8] = include_bytes!("../data/en_ewt.model");

/// One analysed word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis<'m> {
    pub upos: Upos,
    /// Penn Treebank tag.
    pub xpos: &'m str,
    pub lemma: String,
    /// UD morphological features (`Number=Sing|...`, `_` for none).
    pub feats: &'m str,
    /// 1-based head word; 0 for the root.
    pub head: u32,
    /// Relation with subtype (e.g. `nsubj:pass`).
    pub deprel: &'m str,
}

/// Tagger, lemmatiser and parser together.
pub struct SyntaxModel {
    pub(crate) clusters: Clusters,
    pub(crate) tagger: Tagger,
    pub(crate) lemmatiser: Lemmatiser,
    pub(crate) parser: Parser,
    /// See [`tag_names`].
    pub(crate) tag_names: OnceLock<Vec<String>>,
}

/// The lemmatiser's key (`XPOS|UPOS`) of every tag id, built on first use so per-word
/// lemma and feature look-ups do not format a string each.
fn tag_names(t: &Tagger) -> Vec<String> {
    let tags = t.tags();
    tags.xpos
        .iter()
        .zip(&tags.upos)
        .map(|(x, u)| tag_name(x, *u))
        .collect()
}

/// Reusable per-thread buffers for [`SyntaxModel::tag_parse`].
#[derive(Default)]
pub struct Scratch {
    infos: Vec<WordInfo>,
    words: Vec<u64>,
    ptags: Vec<u64>,
    clus: Vec<u64>,
    coarse: Vec<u64>,
    suffix: Vec<u64>,
    tag: TagScratch,
    parse: ParseScratch,
    /// Tag class per word (last call).
    pub tags: Vec<u16>,
    /// Head per word, 0 = root (last call).
    pub heads: Vec<u32>,
    /// Label id per word (last call).
    pub labels: Vec<u16>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl std::fmt::Debug for SyntaxModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyntaxModel")
            .field("tags", &self.tagger.tags().len())
            .field("tagger_features", &self.tagger.n_features())
            .field("labels", &self.parser.labels().len())
            .field("parser_features", &self.parser.n_features())
            .finish_non_exhaustive()
    }
}

impl SyntaxModel {
    /// Reads a model file. A file that is not one, is truncated, or was trained with
    /// another feature set is an error (never a silently wrong model).
    pub fn from_bytes(b: &[u8]) -> Result<Self, SyntaxError> {
        if b.len() < 12 || &b[..4] != MAGIC {
            return Err(SyntaxError::Format(
                "not a chronicle syntax model (bad magic)".into(),
            ));
        }
        let mut r = Reader::new(&b[4..]);
        if r.u32()? != FORMAT_VERSION {
            return Err(SyntaxError::Format("unsupported model format version".into()));
        }
        let fv = r.u32()?;
        if fv != FEATURE_VERSION {
            return Err(SyntaxError::FeatureVersion {
                found: fv,
                expected: FEATURE_VERSION,
            });
        }
        let n = r.u32()? as usize;
        if n.saturating_mul(12) > r.remaining() {
            return Err(SyntaxError::Format("cluster table larger than the file".into()));
        }
        let mut clusters = Clusters::default();
        clusters.map.reserve(n);
        for _ in 0..n {
            let k = r.u64()?;
            clusters.map.insert(k, r.u32()?);
        }
        let tagger = Tagger::read(&mut r)?;
        let lemmatiser = Lemmatiser::read(&mut r)?;
        let parser = Parser::read(&mut r)?;
        if r.remaining() != 0 {
            return Err(SyntaxError::Format("trailing bytes after the model".into()));
        }
        Ok(SyntaxModel {
            clusters,
            tagger,
            lemmatiser,
            parser,
            tag_names: OnceLock::new(),
        })
    }

    /// Serialises the model (deterministic: same model, same bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bytes(MAGIC);
        w.u32(FORMAT_VERSION);
        w.u32(FEATURE_VERSION);
        let mut c: Vec<(u64, u32)> = self.clusters.map.iter().map(|(k, v)| (*k, *v)).collect();
        c.sort_unstable();
        w.u32(c.len() as u32);
        for (k, v) in c {
            w.u64(k);
            w.u32(v);
        }
        self.tagger.write(&mut w);
        self.lemmatiser.write(&mut w);
        self.parser.write(&mut w);
        w.buf
    }

    /// The model committed in `data/en_ewt.model` (UD English-EWT), loaded once.
    pub fn builtin() -> Result<&'static SyntaxModel, SyntaxError> {
        static M: OnceLock<Result<SyntaxModel, String>> = OnceLock::new();
        M.get_or_init(|| SyntaxModel::from_bytes(BUILTIN_BYTES).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| SyntaxError::Builtin(e.clone()))
    }

    /// The raw bytes of the committed model.
    pub fn builtin_bytes() -> &'static [u8] {
        BUILTIN_BYTES
    }

    /// Tags and parses `words` into `sc.tags`, `sc.heads`, `sc.labels` (no lemmas):
    /// the hot path, without allocation once the scratch has grown.
    pub fn tag_parse(&self, words: &[&str], sc: &mut Scratch) {
        sc.infos.clear();
        sc.infos
            .extend(words.iter().map(|w| WordInfo::new(w, &self.clusters)));
        self.tagger.tag_into(&sc.infos, &mut sc.tags, &mut sc.tag);
        sc.words.clear();
        sc.ptags.clear();
        sc.clus.clear();
        sc.words.push(ROOT_TOKEN);
        sc.ptags.push(ROOT_TOKEN);
        sc.clus.push(ROOT_TOKEN);
        sc.clus.extend(sc.infos.iter().map(|i| i.cluster));
        sc.coarse.clear();
        sc.coarse.push(ROOT_TOKEN);
        sc.coarse.extend(sc.infos.iter().map(|i| i.cluster2));
        sc.suffix.clear();
        sc.suffix.push(ROOT_TOKEN);
        sc.suffix.extend(sc.infos.iter().map(|i| i.suf[2]));
        sc.words.extend(sc.infos.iter().map(|i| i.lower));
        sc.ptags.extend(sc.tags.iter().map(|&t| u64::from(t)));
        if words.is_empty() {
            sc.heads.clear();
            sc.labels.clear();
            return;
        }
        let x = Inputs {
            words: &sc.words,
            tags: &sc.ptags,
            clusters: &sc.clus,
            coarse: &sc.coarse,
            suffix: &sc.suffix,
        };
        self.parser
            .parse_into(&x, &mut sc.heads, &mut sc.labels, &mut sc.parse);
    }

    /// Analyses one sentence given as words (our tokenisation or gold): per word UPOS,
    /// XPOS, lemma, features, head and relation.
    pub fn analyse(&self, words: &[&str]) -> Vec<Analysis<'_>> {
        SCRATCH.with(|cell| {
            let mut sc = cell.borrow_mut();
            self.tag_parse(words, &mut sc);
            let tags = self.tagger.tags();
            let mut out = Vec::with_capacity(words.len());
            for (i, w) in words.iter().enumerate() {
                let t = sc.tags[i] as usize;
                out.push(Analysis {
                    upos: tags.upos[t],
                    xpos: &tags.xpos[t],
                    lemma: self.lemma(w, sc.tags[i]),
                    feats: self.feats(w, sc.tags[i]),
                    head: sc.heads[i],
                    deprel: &self.parser.labels().names[sc.labels[i] as usize],
                });
            }
            out
        })
    }

    /// Overwrites a sentence's LEMMA, UPOS, XPOS, FEATS, HEAD and DEPREL columns with our
    /// analysis of its words (gold tokenisation as given; DEPS and MISC kept).
    pub fn annotate(&self, s: &mut Sentence) {
        let forms: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
        let refs: Vec<&str> = forms.iter().map(String::as_str).collect();
        let a = self.analyse(&refs);
        for (w, a) in s.words.iter_mut().zip(a) {
            w.upos = a.upos.as_str().to_string();
            w.xpos = a.xpos.to_string();
            w.lemma = a.lemma;
            w.feats = a.feats.to_string();
            w.head = Some(a.head);
            w.deprel = a.deprel.to_string();
        }
    }

    /// A smaller copy: tagger and parser weights below the given magnitudes (quantised
    /// units) dropped. Trades a little accuracy for a table that stays in cache.
    pub fn pruned(&self, tagger_min: i16, parser_min: i16) -> Result<SyntaxModel, SyntaxError> {
        // Round-trip the lemmatiser and clusters through bytes rather than derive Clone
        // on every table.
        let mut m = SyntaxModel::from_bytes(&self.to_bytes())?;
        m.tagger = self.tagger.pruned(tagger_min);
        m.parser = self.parser.pruned(parser_min);
        m.tag_names = OnceLock::new();
        Ok(m)
    }

    /// UPOS and XPOS of a tag id from [`Scratch::tags`] (`None` if out of range).
    pub fn tag(&self, id: u16) -> Option<(Upos, &str)> {
        let t = self.tagger.tags();
        Some((*t.upos.get(id as usize)?, t.xpos.get(id as usize)?.as_str()))
    }

    /// Lemma of `word` read as tag id `tag` (from [`Scratch::tags`]); the word itself
    /// when the id is out of range.
    pub fn lemma(&self, word: &str, tag: u16) -> String {
        match self.tag_names().get(tag as usize) {
            Some(name) => self.lemmatiser.lemma(word, name),
            None => word.to_string(),
        }
    }

    /// UD morphological features (`Number=Sing|...`, `_` for none) of `word` read as tag
    /// id `tag` (from [`Scratch::tags`]); `_` when the id is out of range.
    pub fn feats(&self, word: &str, tag: u16) -> &str {
        match self.tag_names().get(tag as usize) {
            Some(name) => self.lemmatiser.feats(word, name),
            None => "_",
        }
    }

    fn tag_names(&self) -> &[String] {
        self.tag_names.get_or_init(|| tag_names(&self.tagger))
    }

    /// Relation name of a label id from [`Scratch::labels`] (`None` if out of range).
    pub fn relation(&self, id: u16) -> Option<&str> {
        self.parser.labels().names.get(id as usize).map(String::as_str)
    }

    /// Number of weighted features (tagger, parser), for reports.
    pub fn n_features(&self) -> (usize, usize) {
        (self.tagger.n_features(), self.parser.n_features())
    }
}

/// The class name the lemmatiser is keyed by (`XPOS|UPOS`).
pub(crate) fn tag_name(xpos: &str, upos: Upos) -> String {
    format!("{xpos}|{}", upos.as_str())
}

/// Hash of the lowercase form (the parser's word feature), exposed for training.
pub(crate) fn parser_word(info: &WordInfo) -> u64 {
    info.lower
}

pub(crate) fn root_token() -> u64 {
    ROOT_TOKEN
}
