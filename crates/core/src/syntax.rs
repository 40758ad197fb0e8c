//! The syntax layer: per token its part of speech (UD UPOS and Penn XPOS), lemma,
//! morphological features, head and dependency relation, written by the syntax stage and
//! read by every stage that asks "who did what to whom".
//!
//! Everything here is typed (no tag strings in the stages): a misspelt relation is a
//! compile error, and the stages match on enums.

use crate::upos::Upos;
use std::fmt;

/// A Penn Treebank tag (`NNP`, `VBD`, `-LRB-`), stored inline: every tag of the English
/// treebanks fits in 7 bytes, so the layer needs no allocation per token.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Xpos([u8; 7]);

impl Xpos {
    /// The tag, or `None` when it is longer than 7 bytes (no English treebank tag is).
    pub fn new(tag: &str) -> Option<Xpos> {
        let b = tag.as_bytes();
        if b.len() > 7 {
            return None;
        }
        let mut a = [0u8; 7];
        a[..b.len()].copy_from_slice(b);
        Some(Xpos(a))
    }

    pub fn as_str(&self) -> &str {
        let n = self.0.iter().position(|&b| b == 0).unwrap_or(7);
        std::str::from_utf8(&self.0[..n]).unwrap_or("")
    }

    /// Past tense or past participle verb (`VBD`, `VBN`).
    pub fn is_past(&self) -> bool {
        matches!(self.as_str(), "VBD" | "VBN")
    }
}

impl fmt::Debug for Xpos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl fmt::Display for Xpos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! relations {
    ($($v:ident => $s:literal, $base:ident;)*) => {
        /// A dependency relation of UD v2: the 37 universal relations plus the English
        /// subtypes the treebanks use (`nsubj:pass`, `acl:relcl`, `obl:tmod`...). Stages
        /// that do not care about a subtype ask for [`Deprel::universal`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Deprel {
            $($v,)*
        }

        impl Deprel {
            /// Every relation, in declaration order.
            pub const ALL: &'static [Deprel] = &[$(Deprel::$v,)*];

            /// The label as written in CoNLL-U (`"nsubj:pass"`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Deprel::$v => $s,)*
                }
            }

            /// The universal relation without its subtype (`nsubj:pass` -> `nsubj`).
            pub fn universal(self) -> Deprel {
                match self {
                    $(Deprel::$v => Deprel::$base,)*
                }
            }
        }
    };
}

relations! {
    Acl => "acl", Acl;
    AclRelcl => "acl:relcl", Acl;
    Advcl => "advcl", Advcl;
    AdvclRelcl => "advcl:relcl", Advcl;
    Advmod => "advmod", Advmod;
    Amod => "amod", Amod;
    Appos => "appos", Appos;
    Aux => "aux", Aux;
    AuxPass => "aux:pass", Aux;
    Case => "case", Case;
    Cc => "cc", Cc;
    CcPreconj => "cc:preconj", Cc;
    Ccomp => "ccomp", Ccomp;
    Clf => "clf", Clf;
    Compound => "compound", Compound;
    CompoundPrt => "compound:prt", Compound;
    Conj => "conj", Conj;
    Cop => "cop", Cop;
    Csubj => "csubj", Csubj;
    CsubjPass => "csubj:pass", Csubj;
    Dep => "dep", Dep;
    Det => "det", Det;
    DetPredet => "det:predet", Det;
    Discourse => "discourse", Discourse;
    Dislocated => "dislocated", Dislocated;
    Expl => "expl", Expl;
    Fixed => "fixed", Fixed;
    Flat => "flat", Flat;
    FlatForeign => "flat:foreign", Flat;
    Goeswith => "goeswith", Goeswith;
    Iobj => "iobj", Iobj;
    List => "list", List;
    Mark => "mark", Mark;
    Nmod => "nmod", Nmod;
    NmodDesc => "nmod:desc", Nmod;
    NmodNpmod => "nmod:npmod", Nmod;
    NmodPoss => "nmod:poss", Nmod;
    NmodTmod => "nmod:tmod", Nmod;
    NmodUnmarked => "nmod:unmarked", Nmod;
    Nsubj => "nsubj", Nsubj;
    NsubjOuter => "nsubj:outer", Nsubj;
    NsubjPass => "nsubj:pass", Nsubj;
    Nummod => "nummod", Nummod;
    Obj => "obj", Obj;
    Obl => "obl", Obl;
    OblAgent => "obl:agent", Obl;
    OblNpmod => "obl:npmod", Obl;
    OblTmod => "obl:tmod", Obl;
    OblUnmarked => "obl:unmarked", Obl;
    Orphan => "orphan", Orphan;
    Parataxis => "parataxis", Parataxis;
    Punct => "punct", Punct;
    Reparandum => "reparandum", Reparandum;
    Root => "root", Root;
    Vocative => "vocative", Vocative;
    Xcomp => "xcomp", Xcomp;
}

impl Deprel {
    /// Reads a CoNLL-U label; a subtype we do not name falls back to its universal
    /// relation (`obl:foo` -> `obl`), anything else to `dep`, UD's unspecified relation.
    pub fn parse(label: &str) -> Deprel {
        let find = |s: &str| Deprel::ALL.iter().copied().find(|d| d.as_str() == s);
        find(label)
            .or_else(|| label.split(':').next().and_then(find))
            .unwrap_or(Deprel::Dep)
    }

    /// A subject relation (active, passive or clausal).
    pub fn is_subject(self) -> bool {
        matches!(self.universal(), Deprel::Nsubj | Deprel::Csubj)
    }

    /// A passive subject (`nsubj:pass`, `csubj:pass`).
    pub fn is_passive_subject(self) -> bool {
        matches!(self, Deprel::NsubjPass | Deprel::CsubjPass)
    }
}

impl fmt::Display for Deprel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// UD `Tense`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tense {
    Past,
    Pres,
    Fut,
}

/// UD `VerbForm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerbForm {
    Fin,
    Inf,
    Part,
    Ger,
}

/// UD `Mood`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mood {
    Ind,
    Imp,
    Sub,
    Cnd,
}

/// UD `Number`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Number {
    Sing,
    Plur,
}

/// The morphological features the stages use (tense for modality, voice for passives,
/// number and person for agreement); the others in the treebank are not kept here
/// (`chronicle parse` writes the model's full FEATS column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Feats {
    pub tense: Option<Tense>,
    pub verb_form: Option<VerbForm>,
    pub mood: Option<Mood>,
    /// `Voice=Pass`.
    pub passive: bool,
    pub number: Option<Number>,
    /// 1, 2 or 3.
    pub person: Option<u8>,
    /// `Polarity=Neg` ("not", "n't", "no").
    pub negative: bool,
}

impl Feats {
    /// Reads a CoNLL-U FEATS column (`Mood=Ind|Tense=Past|VerbForm=Fin`, `_` for none);
    /// features and values it does not type are ignored.
    pub fn parse(s: &str) -> Feats {
        let mut f = Feats::default();
        for kv in s.split('|') {
            let Some((k, v)) = kv.split_once('=') else {
                continue;
            };
            match (k, v) {
                ("Tense", "Past") => f.tense = Some(Tense::Past),
                ("Tense", "Pres") => f.tense = Some(Tense::Pres),
                ("Tense", "Fut") => f.tense = Some(Tense::Fut),
                ("VerbForm", "Fin") => f.verb_form = Some(VerbForm::Fin),
                ("VerbForm", "Inf") => f.verb_form = Some(VerbForm::Inf),
                ("VerbForm", "Part") => f.verb_form = Some(VerbForm::Part),
                ("VerbForm", "Ger") => f.verb_form = Some(VerbForm::Ger),
                ("Mood", "Ind") => f.mood = Some(Mood::Ind),
                ("Mood", "Imp") => f.mood = Some(Mood::Imp),
                ("Mood", "Sub") => f.mood = Some(Mood::Sub),
                ("Mood", "Cnd") => f.mood = Some(Mood::Cnd),
                ("Voice", "Pass") => f.passive = true,
                ("Number", "Sing") => f.number = Some(Number::Sing),
                ("Number", "Plur") => f.number = Some(Number::Plur),
                ("Person", p) => f.person = p.parse().ok().filter(|p| (1..=3).contains(p)),
                ("Polarity", "Neg") => f.negative = true,
                _ => {}
            }
        }
        f
    }
}

/// The syntax of one token (index for index with [`crate::Document::tokens`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenSyntax {
    pub upos: Upos,
    pub xpos: Xpos,
    pub feats: Feats,
    /// Index of the head token in `doc.tokens`; `None` for the root of its sentence.
    pub head: Option<u32>,
    pub rel: Deprel,
    /// Byte range of the lemma in the document's lemma store (see
    /// [`crate::Document::lemma`]).
    pub(crate) lemma: (u32, u32),
}

impl TokenSyntax {
    /// A token's syntax; the lemma is attached by [`crate::Document::push_syntax`].
    pub fn new(upos: Upos, xpos: Xpos, feats: Feats, head: Option<u32>, rel: Deprel) -> Self {
        TokenSyntax {
            upos,
            xpos,
            feats,
            head,
            rel,
            lemma: (0, 0),
        }
    }

    /// A verb or auxiliary.
    pub fn is_verbal(&self) -> bool {
        matches!(self.upos, Upos::Verb | Upos::Aux)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_round_trip_and_fall_back() {
        for &d in Deprel::ALL {
            assert_eq!(Deprel::parse(d.as_str()), d);
            assert!(!d.universal().as_str().contains(':'));
        }
        assert_eq!(Deprel::parse("obl:foo"), Deprel::Obl);
        assert_eq!(Deprel::parse("nonsense"), Deprel::Dep);
        assert_eq!(Deprel::NsubjPass.universal(), Deprel::Nsubj);
        assert!(Deprel::NsubjPass.is_passive_subject() && Deprel::Csubj.is_subject());
    }

    #[test]
    fn feats_and_tags() {
        let f = Feats::parse("Mood=Ind|Number=Sing|Person=3|Tense=Past|VerbForm=Fin|Voice=Pass");
        assert_eq!(f.tense, Some(Tense::Past));
        assert_eq!(f.person, Some(3));
        assert!(f.passive && !f.negative);
        assert_eq!(Feats::parse("_"), Feats::default());
        assert_eq!(Xpos::new("-LRB-").map(|x| x.to_string()), Some("-LRB-".into()));
        assert!(Xpos::new("VBD").is_some_and(|x| x.is_past()));
        assert!(Xpos::new("TOOLONGTAG").is_none());
    }
}
