//! Predicate-argument structure read off the dependency parse: for every verb of a
//! sentence, its logical subject and object (passives turned round, `obl:agent` as the
//! doer), its obliques with their prepositions, negation, the auxiliary's mood, and the
//! clause it hangs from. Control and raising ("is expected to visit", "urged the
//! president to sanction Iran"), verb coordination ("attacked and burned") and relative
//! clauses ("the rebels who attacked") hand a missing subject on from the clause that
//! supplies it, and coordinated arguments ("France, Germany and Poland") come back as one
//! phrase each.
//!
//! Events ("who did what to whom") and quotes ("who said what") read the same structure,
//! so the rules of English grammar live here once instead of in each stage's token
//! windows. The closed-class words that change a clause's reading (negators, modal
//! auxiliaries) are data (`data/clause-words.tsv`), read at construction.

use chronicle_core::{Deprel, Document, Upos};
use std::collections::HashMap;

/// A closed-class word's effect on the clause it attaches to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordRole {
    /// Negates its head ("not", "never").
    Negation,
    /// Auxiliary of mood or time.
    Aux(AuxMood),
    /// A preposition whose oblique names a participant ("against", "with", "to").
    Participant,
}

/// What a modal or future auxiliary says about the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuxMood {
    /// "will", "shall": ahead in time.
    Future,
    /// "would": hypothetical or reported future.
    Conditional,
    /// "can", "could", "may", "might".
    Possible,
    /// "must", "should", "ought".
    Obligation,
}

/// A line of a clause-words file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{label}:{line}: {msg}")]
pub struct ClauseWordsError {
    pub label: String,
    pub line: usize,
    pub msg: String,
}

/// The closed-class words the clause reader knows, by lower-case lemma.
#[derive(Debug, Clone, Default)]
pub struct ClauseWords {
    roles: HashMap<String, WordRole>,
}

impl ClauseWords {
    /// The built-in table (`data/clause-words.tsv`).
    pub fn builtin() -> Result<Self, ClauseWordsError> {
        Self::parse(include_str!("../data/clause-words.tsv"), "clause-words.tsv")
    }

    /// Reads `lemma<TAB>class` rows (`#` comments); a bad row is an error naming its line.
    pub fn parse(src: &str, label: &str) -> Result<Self, ClauseWordsError> {
        let mut roles = HashMap::new();
        for (no, line) in src.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |msg: String| ClauseWordsError {
                label: label.to_string(),
                line: no + 1,
                msg,
            };
            let (word, class) = line
                .split_once('\t')
                .ok_or_else(|| err("want `lemma<TAB>class`".into()))?;
            let role = match class.trim() {
                "negation" => WordRole::Negation,
                "future" => WordRole::Aux(AuxMood::Future),
                "conditional" => WordRole::Aux(AuxMood::Conditional),
                "possible" => WordRole::Aux(AuxMood::Possible),
                "obligation" => WordRole::Aux(AuxMood::Obligation),
                "participant" => WordRole::Participant,
                other => return Err(err(format!("unknown class `{other}`"))),
            };
            roles.insert(word.trim().to_lowercase(), role);
        }
        Ok(ClauseWords { roles })
    }

    /// Whether an oblique's marker (see [`Predicate::obliques`]) introduces a
    /// participant rather than a place or a time.
    pub fn is_participant_marker(&self, doc: &Document, marker: Option<u32>) -> bool {
        marker.is_some_and(|m| self.role(doc, m as usize) == Some(WordRole::Participant))
    }

    /// The role of a word, looked up by lemma then by lower-case form.
    pub fn role(&self, doc: &Document, i: usize) -> Option<WordRole> {
        let lemma = doc.lemma(i);
        self.roles
            .get(lemma)
            .or_else(|| self.roles.get(&lemma.to_lowercase()))
            .or_else(|| self.roles.get(doc.lower(i)))
            .copied()
    }
}

/// A noun phrase (or clause) filling an argument: its head token and the first and last
/// tokens of its subtree, without its coordinated siblings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phrase {
    pub head: u32,
    pub first: u32,
    pub last: u32,
}

/// How a predicate got its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// Its own dependent (`nsubj`, or `obl:agent` of a passive).
    Own,
    /// Object control: the governing clause's object ("urged the president to ...").
    ObjectControl,
    /// Subject control or raising: the governing clause's subject ("plans to ...",
    /// "is expected to ...").
    SubjectControl,
    /// Shared with the verb it is coordinated with ("attacked and burned").
    Coordination,
    /// The noun a relative or participial clause modifies ("rebels who attacked").
    Modified,
}

/// One verb's clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Predicate {
    /// The verb (document token index).
    pub verb: u32,
    /// Logical subject, the doer: one phrase per coordinated actor.
    pub subject: Vec<Phrase>,
    pub subject_via: Option<Via>,
    /// Logical object, the one done to (a passive's subject lands here).
    pub object: Vec<Phrase>,
    /// Indirect object (`iobj`).
    pub indirect: Vec<Phrase>,
    /// Obliques with their marker (the `case` token, "to", "against"), if any.
    pub obliques: Vec<(Option<u32>, Phrase)>,
    pub passive: bool,
    /// A negator attaches to the verb or its auxiliary.
    pub negated: bool,
    /// The mood of its own auxiliaries, strongest first (future before possible).
    pub mood: Option<AuxMood>,
    /// The predicate this one depends on, and how (`xcomp`, `ccomp`, `conj`, `advcl`...);
    /// `None` for a main clause.
    pub governor: Option<(u32, Deprel)>,
    /// Clausal complements (`ccomp`, `xcomp`) hanging from this verb: for reported
    /// speech, what was said.
    pub complements: Vec<u32>,
}

/// Reads the clauses of one sentence (empty without a syntax layer).
pub fn sentence_predicates(doc: &Document, sentence: usize, words: &ClauseWords) -> Vec<Predicate> {
    let Some(s) = doc.sentences.get(sentence) else {
        return Vec::new();
    };
    let (a, b) = (s.tokens.0 as usize, (s.tokens.1 as usize).min(doc.syntax.len()));
    if a >= b {
        return Vec::new();
    }
    let tree = Tree::new(doc, a, b);
    let mut out: Vec<Predicate> = Vec::new();
    let mut index: HashMap<u32, usize> = HashMap::new();
    // Governors before dependents, so a complement finds its governor's arguments.
    for v in tree.top_down() {
        if !is_predicate(doc, v) {
            continue;
        }
        let p = tree.predicate(doc, words, v, &out, &index);
        index.insert(v as u32, out.len());
        out.push(p);
    }
    out.sort_by_key(|p| p.verb);
    out
}

fn is_predicate(doc: &Document, i: usize) -> bool {
    doc.syntax.get(i).is_some_and(|t| t.upos == Upos::Verb)
}

/// Children lists of one sentence, in local indices.
struct Tree<'d> {
    doc: &'d Document,
    a: usize,
    b: usize,
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
}

impl<'d> Tree<'d> {
    fn new(doc: &'d Document, a: usize, b: usize) -> Self {
        let mut children = vec![Vec::new(); b - a];
        let mut roots = Vec::new();
        for i in a..b {
            match doc.syntax.get(i).and_then(|t| t.head) {
                Some(h) if (a..b).contains(&(h as usize)) && h as usize != i => {
                    children[h as usize - a].push(i)
                }
                _ => roots.push(i),
            }
        }
        Tree {
            doc,
            a,
            b,
            children,
            roots,
        }
    }

    fn kids(&self, i: usize) -> &[usize] {
        self.children
            .get(i.wrapping_sub(self.a))
            .map_or(&[], Vec::as_slice)
    }

    fn rel(&self, i: usize) -> Deprel {
        self.doc.syntax.get(i).map_or(Deprel::Dep, |t| t.rel)
    }

    fn head(&self, i: usize) -> Option<usize> {
        self.doc
            .syntax
            .get(i)
            .and_then(|t| t.head)
            .map(|h| h as usize)
            .filter(|h| (self.a..self.b).contains(h))
    }

    /// Breadth-first from the roots (each token once, even if the parse had a cycle).
    fn top_down(&self) -> Vec<usize> {
        let mut seen = vec![false; self.b - self.a];
        let mut order = Vec::with_capacity(self.b - self.a);
        let mut queue: std::collections::VecDeque<usize> = self.roots.iter().copied().collect();
        while let Some(i) = queue.pop_front() {
            let Some(s) = seen.get_mut(i - self.a) else {
                continue;
            };
            if *s {
                continue;
            }
            *s = true;
            order.push(i);
            queue.extend(self.kids(i).iter().copied());
        }
        order
    }

    /// The phrase headed by `h`: its subtree without coordinated siblings, relative
    /// clauses' own clauses kept (they describe the head).
    fn phrase(&self, h: usize) -> Phrase {
        let (mut first, mut last) = (h, h);
        let mut stack = vec![h];
        let mut steps = 0usize;
        while let Some(i) = stack.pop() {
            steps += 1;
            if steps > self.b - self.a {
                break;
            }
            first = first.min(i);
            last = last.max(i);
            for &k in self.kids(i) {
                if i == h && matches!(self.rel(k).universal(), Deprel::Conj | Deprel::Cc | Deprel::Punct) {
                    continue;
                }
                stack.push(k);
            }
        }
        Phrase {
            head: h as u32,
            first: first as u32,
            last: last as u32,
        }
    }

    /// `h` and its coordinated nouns ("France, Germany and Poland"), one phrase each.
    fn coordinated(&self, h: usize) -> Vec<Phrase> {
        let mut out = vec![self.phrase(h)];
        let mut stack: Vec<usize> = self
            .kids(h)
            .iter()
            .copied()
            .filter(|&k| self.rel(k) == Deprel::Conj)
            .collect();
        while let Some(k) = stack.pop() {
            if out.len() > 32 {
                break;
            }
            if is_predicate(self.doc, k) {
                continue;
            }
            out.push(self.phrase(k));
            stack.extend(
                self.kids(k)
                    .iter()
                    .copied()
                    .filter(|&c| self.rel(c) == Deprel::Conj),
            );
        }
        out.sort_by_key(|p| p.head);
        out
    }

    /// A "to" infinitive clause (its `mark` is "to").
    fn infinitival(&self, v: usize) -> bool {
        self.kids(v)
            .iter()
            .any(|&k| self.rel(k) == Deprel::Mark && self.doc.lower(k) == "to")
    }

    /// The `case` marker of an oblique ("to" in "to Kyiv").
    fn marker(&self, h: usize) -> Option<u32> {
        self.kids(h)
            .iter()
            .copied()
            .find(|&k| self.rel(k).universal() == Deprel::Case)
            .map(|k| k as u32)
    }

    fn predicate(
        &self,
        doc: &Document,
        words: &ClauseWords,
        v: usize,
        done: &[Predicate],
        index: &HashMap<u32, usize>,
    ) -> Predicate {
        let mut p = Predicate {
            verb: v as u32,
            subject: Vec::new(),
            subject_via: None,
            object: Vec::new(),
            indirect: Vec::new(),
            obliques: Vec::new(),
            passive: doc.syntax.get(v).is_some_and(|t| t.feats.passive),
            negated: false,
            mood: None,
            governor: None,
            complements: Vec::new(),
        };
        let mut agent = None;
        let mut passive_subject = None;
        for &k in self.kids(v) {
            let rel = self.rel(k);
            match rel {
                Deprel::Nsubj | Deprel::NsubjOuter => {
                    // Several subjects of one verb are coordinated ones the parser did not
                    // chain ("Canada, Germany, Poland, and the Netherlands were").
                    p.subject.extend(self.coordinated(k));
                    p.subject.sort_by_key(|ph| ph.head);
                    p.subject.dedup();
                    p.subject_via = Some(Via::Own);
                }
                Deprel::NsubjPass => {
                    passive_subject = Some(k);
                    p.passive = true;
                }
                Deprel::AuxPass => p.passive = true,
                Deprel::Obj => p.object = self.coordinated(k),
                Deprel::Iobj => p.indirect = self.coordinated(k),
                Deprel::OblAgent => agent = Some(k),
                Deprel::Ccomp | Deprel::Xcomp => p.complements.push(k as u32),
                _ => {}
            }
            if rel.universal() == Deprel::Obl && rel != Deprel::OblAgent {
                let m = self.marker(k);
                let by = m.is_some_and(|m| doc.lower(m as usize) == "by");
                if by && agent.is_none() && (p.passive || passive_subject.is_some()) {
                    agent = Some(k);
                } else {
                    p.obliques.push((m, self.phrase(k)));
                }
            }
            match words.role(doc, k) {
                Some(WordRole::Negation)
                    if matches!(
                        rel.universal(),
                        Deprel::Advmod | Deprel::Det | Deprel::Aux | Deprel::Cc
                    ) =>
                {
                    p.negated = true
                }
                Some(WordRole::Aux(m)) if rel.universal() == Deprel::Aux => {
                    p.mood = Some(match p.mood {
                        Some(old) if rank(old) >= rank(m) => old,
                        _ => m,
                    })
                }
                _ => {}
            }
            // "did not", "will not": the negator may hang from the auxiliary.
            if rel.universal() == Deprel::Aux
                && self
                    .kids(k)
                    .iter()
                    .any(|&n| words.role(doc, n) == Some(WordRole::Negation))
            {
                p.negated = true;
            }
        }
        if p.passive {
            if let Some(s) = passive_subject {
                p.object = self.coordinated(s);
            }
            if let Some(a) = agent {
                p.subject = self.coordinated(a);
                p.subject_via = Some(Via::Own);
            }
        }
        let rel = self.rel(v);
        if let Some(g) = self.head(v) {
            p.governor = Some((g as u32, rel));
        }
        if p.subject.is_empty() {
            self.inherit_subject(&mut p, v, rel, done, index);
        }
        // A relative pronoun subject ("who", "which") stands for the modified noun.
        if rel == Deprel::AclRelcl {
            if let (Some(first), Some(g)) = (p.subject.first(), self.head(v)) {
                if doc
                    .syntax
                    .get(first.head as usize)
                    .is_some_and(|t| t.upos == Upos::Pron)
                {
                    p.subject = self.coordinated(g);
                    p.subject_via = Some(Via::Modified);
                }
            }
            if let (Some(first), Some(g)) = (p.object.first(), self.head(v)) {
                if doc
                    .syntax
                    .get(first.head as usize)
                    .is_some_and(|t| t.upos == Upos::Pron)
                {
                    p.object = self.coordinated(g);
                }
            }
        }
        p
    }

    fn inherit_subject(
        &self,
        p: &mut Predicate,
        v: usize,
        rel: Deprel,
        done: &[Predicate],
        index: &HashMap<u32, usize>,
    ) {
        let Some(g) = self.head(v) else { return };
        let gov = index.get(&(g as u32)).and_then(|&i| done.get(i));
        match rel.universal() {
            Deprel::Xcomp => {
                // Object control when the governor has an object, else subject control
                // or raising (a passive governor's syntactic subject: "is expected to").
                let Some(gov) = gov else { return };
                // The parser may call the controller an indirect object ("asked Russia to").
                let obj_syntactic = self
                    .kids(g)
                    .iter()
                    .copied()
                    .find(|&k| matches!(self.rel(k), Deprel::Obj | Deprel::Iobj));
                if let Some(o) = obj_syntactic {
                    p.subject = self.coordinated(o);
                    p.subject_via = Some(Via::ObjectControl);
                } else if let Some(s) = self
                    .kids(g)
                    .iter()
                    .copied()
                    .find(|&k| matches!(self.rel(k), Deprel::Nsubj | Deprel::NsubjPass))
                {
                    p.subject = self.coordinated(s);
                    p.subject_via = Some(Via::SubjectControl);
                } else if !gov.subject.is_empty() {
                    p.subject = gov.subject.clone();
                    p.subject_via = Some(Via::SubjectControl);
                }
            }
            Deprel::Advcl if self.infinitival(v) => {
                // A purpose clause ("met Putin to discuss peace"): the governor's doer.
                if let Some(gov) = gov {
                    if !gov.subject.is_empty() {
                        p.subject = gov.subject.clone();
                        p.subject_via = Some(Via::SubjectControl);
                    }
                }
            }
            Deprel::Conj => {
                if let Some(gov) = gov {
                    if !gov.subject.is_empty() && !p.passive {
                        p.subject = gov.subject.clone();
                        p.subject_via = Some(Via::Coordination);
                    }
                }
            }
            Deprel::Acl => {
                // "forces loyal to Moscow", "a convoy carrying aid": an active participle's
                // doer is the noun; a passive one's ("troops sent by Moscow") is its object.
                if p.passive || self.doc.syntax.get(v).is_some_and(|t| t.xpos.as_str() == "VBN") {
                    if p.object.is_empty() {
                        p.object = self.coordinated(g);
                        p.passive = true;
                    }
                } else {
                    p.subject = self.coordinated(g);
                    p.subject_via = Some(Via::Modified);
                }
            }
            _ => {}
        }
    }
}

fn rank(m: AuxMood) -> u8 {
    match m {
        AuxMood::Future => 4,
        AuxMood::Obligation => 3,
        AuxMood::Conditional => 2,
        AuxMood::Possible => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_rows_name_their_line() {
        let e = ClauseWords::parse("# c\nnot\tnegation\nwill\tsoon\n", "t.tsv").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.to_string().starts_with("t.tsv:3:"));
        assert!(ClauseWords::parse("nothing-here\n", "t").is_err());
        assert!(ClauseWords::builtin().is_ok());
    }
}
