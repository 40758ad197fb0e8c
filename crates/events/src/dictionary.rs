//! A user's PETRARCH verb dictionary (`--verbs FILE`), read into a typed table, and the
//! coder that codes with it over the dependency parse.
//!
//! Analysts who keep their own PETRARCH/TABARI verb dictionaries (test codes, a project's
//! own sub-codes, another language of patterns) can bring them as they are: a user
//! dictionary means "code with my dictionary", so when one is given it replaces both the
//! built-in PETRARCH-2 table and the hand lexicon.
//!
//! Both syntaxes are read:
//!
//! - PETRARCH-1 / TABARI (`PETR.Validate.verbs.txt`): `- SUGGESTED_+ * DEMAND [111]`, words
//!   before `*` stand before the verb, `$` the source, `+` the target, `%` a compound actor
//!   (both sides), `^` a skipped phrase, `_` joins elements that must be adjacent.
//! - PETRARCH-2 (`CAMEO.2.0.txt`): `- * {RELIEF ASSISTANCE} [073] # RUSH`, `(TO BORDER)`
//!   prepositional phrases, `[042:043]` / `[:173]` paired codes, and the trailing `# VERB`
//!   naming the verb of the block a pattern belongs to.
//!
//! Synsets (`&NAME` with `+MEMBER` lines, members may be synsets) may stand anywhere a word
//! may. Transformations (`~ ...`) are not supported and are counted, not failed on.
//!
//! Patterns are matched on the tree, not on a token window: the words after the verb are
//! the tokens of the verb's own dependents that follow it (object phrase, particles,
//! prepositional obliques with their marker, complements), the words before it its own
//! pre-dependents (auxiliaries, negation, adverbs, subject) and those of the verb that
//! governs it. Other clauses (adverbial clauses, conjoined verbs, parataxis) are not read.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use chronicle_core::{Deprel, Document, Event, Upos};

use crate::arguments::{actor_mentions, phrase_mention};
use crate::contexts::participant;
use crate::dating::nearest_timex;
use crate::lexicon::Kind;
use crate::location::{location, Loc, Located};
use crate::modality::modality;
use crate::sentence::{Sent, Trig};
use crate::tables::cameo_info;
use chronicle_clauses::sentence_predicates;

/// Why a verb dictionary could not be read: every problem, as `file:line: problem`.
#[derive(Debug, thiserror::Error)]
#[error("{}", .problems.join("\n"))]
pub struct VerbFileError {
    /// One `file:line: problem` per bad line (or `file: problem` for an unreadable file).
    pub problems: Vec<String>,
}

/// An event code pair: the code for source -> target, and for the reversed dyad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Code {
    fwd: Option<&'static str>,
    rev: Option<&'static str>,
}

impl Code {
    fn is_some(&self) -> bool {
        self.fwd.is_some() || self.rev.is_some()
    }
}

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Elem {
    Word(String),
    Synset(String),
    Source,
    Target,
    Compound,
    Skip,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    elem: Elem,
    /// Joined with `_` to the element after it (the verb included): they must be adjacent.
    glue_next: bool,
}

#[derive(Debug, Clone)]
struct Pattern {
    /// Elements before the verb, in sentence order.
    pre: Vec<Piece>,
    /// Whether the last pre element is glued to the verb.
    /// Elements after the verb, in sentence order.
    post: Vec<Piece>,
    /// The verb is glued to the first post element (`*_OUT`).
    verb_glued: bool,
    code: Code,
    /// The verb (its first word, lower case) the pattern belongs to, where the
    /// PETRARCH-2 `# VERB` comment names one of the block's verbs.
    verb: Option<String>,
}

#[derive(Debug, Clone)]
struct Block {
    code: Code,
    patterns: Vec<Pattern>,
}

/// A verb form: the words before and after the inflected word (multi-word verbs such as
/// `WIRE_+TAP`, `+CORDON_OFF`), its block and its own code if it has one.
#[derive(Debug, Clone)]
struct Form {
    before: Vec<String>,
    after: Vec<String>,
    block: usize,
    code: Option<Code>,
    /// The verb's base word (lower case), for patterns restricted to one verb of a block.
    verb: String,
}

/// A user's verb dictionary: verb forms, verb blocks with their patterns, synsets.
#[derive(Debug, Clone, Default)]
pub struct VerbDictionary {
    forms: HashMap<String, Vec<Form>>,
    blocks: Vec<Block>,
    synsets: HashMap<String, Vec<Vec<Piece>>>,
    transformations: usize,
}

/// Codes are few and live as long as the process: interned once, so events and triggers
/// can carry `&'static str` codes like the built-in table's.
fn intern(code: &str) -> &'static str {
    static SET: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let set = SET.get_or_init(|| Mutex::new(HashSet::new()));
    let mut g = match set.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    if let Some(c) = g.get(code) {
        return c;
    }
    let c: &'static str = Box::leak(code.to_string().into_boxed_str());
    g.insert(c);
    c
}

/// `[070]`, `[042:043]`, `[:173]`, `[---]` -> the code pair.
fn parse_code(s: &str) -> Result<Code, String> {
    let inner = s.trim().trim_start_matches('[').trim_end_matches(']').trim();
    let one = |x: &str| -> Result<Option<&'static str>, String> {
        let x = x.trim();
        if x.is_empty() || x.chars().all(|c| c == '-' || c == '+') {
            Ok(None)
        } else if x
            .chars()
            .all(|c| !c.is_whitespace() && !matches!(c, '[' | ']' | ':'))
        {
            // Dictionaries carry test and provisional codes ("1721", "025?", "###").
            Ok(Some(intern(&x.to_ascii_uppercase())))
        } else {
            Err(format!("bad event code `{x}`"))
        }
    };
    match inner.split_once(':') {
        Some((a, b)) => Ok(Code {
            fwd: one(a)?,
            rev: one(b)?,
        }),
        None => Ok(Code {
            fwd: one(inner)?,
            rev: None,
        }),
    }
}

/// The regular inflections of a verb (over-generating is harmless: only words that are
/// in a sentence are looked up).
fn inflections(w: &str) -> Vec<String> {
    let mut v = vec![
        w.to_string(),
        format!("{w}s"),
        format!("{w}es"),
        format!("{w}ed"),
        format!("{w}ing"),
    ];
    if let Some(stem) = w.strip_suffix('e') {
        v.push(format!("{w}d"));
        v.push(format!("{stem}ing"));
    }
    if let Some(stem) = w.strip_suffix('y') {
        v.push(format!("{stem}ies"));
        v.push(format!("{stem}ied"));
    }
    if let Some(last) = w.chars().last().filter(|c| !"aeiouwxy".contains(*c)) {
        v.push(format!("{w}{last}ed"));
        v.push(format!("{w}{last}ing"));
    }
    v
}

/// Elements of a pattern side (`SUGGESTED_+`, `{RELIEF ASSISTANCE}`, `(TO BORDER)`).
fn pieces(tokens: &[&str]) -> Result<Vec<Piece>, String> {
    let mut out: Vec<Piece> = Vec::new();
    for tok in tokens {
        let tok = tok.trim_matches(|c| matches!(c, '{' | '}' | '(' | ')'));
        if tok.is_empty() {
            continue;
        }
        let parts: Vec<&str> = tok.split('_').collect();
        let n = parts.len();
        for (k, p) in parts.iter().enumerate() {
            // A trailing `_` ("KNOWN_") only stops plurals: it joins nothing.
            let glue_next = k + 1 < n && !parts.get(k + 1).is_some_and(|x| x.is_empty());
            let elem = match *p {
                "" => continue,
                "$" => Elem::Source,
                "+" => Elem::Target,
                "%" => Elem::Compound,
                "^" => Elem::Skip,
                w if w.starts_with('&') => Elem::Synset(w.to_ascii_uppercase()),
                w if w.contains('*') => return Err(format!("`*` inside a word: `{tok}`")),
                w => Elem::Word(w.to_ascii_lowercase()),
            };
            out.push(Piece { elem, glue_next });
        }
    }
    Ok(out)
}

/// Splits `A_B_*_C D` around the verb marker: (before, verb glued to what follows, after).
fn split_pattern(body: &str) -> Result<(Vec<Piece>, bool, Vec<Piece>), String> {
    let toks: Vec<&str> = body.split_whitespace().collect();
    let Some(k) = toks.iter().position(|t| t.contains('*')) else {
        return Err("pattern has no `*` (the verb)".into());
    };
    let star = toks.get(k).copied().unwrap_or("*");
    let (a, b) = star.split_once('*').unwrap_or(("", ""));
    let mut before: Vec<&str> = toks.get(..k).unwrap_or(&[]).to_vec();
    let glued_before = a.ends_with('_');
    if !a.is_empty() {
        before.push(a);
    }
    let mut after: Vec<&str> = Vec::new();
    let verb_glued = b.starts_with('_');
    if !b.trim_start_matches('_').is_empty() {
        after.push(b.trim_start_matches('_'));
    }
    after.extend(toks.get(k + 1..).unwrap_or(&[]));
    let mut pre = pieces(&before)?;
    if let Some(last) = pre.last_mut() {
        last.glue_next = glued_before;
    }
    Ok((pre, verb_glued, pieces(&after)?))
}

impl VerbDictionary {
    /// Reads the files in order into one table; any problem in any of them is an error
    /// listing all of them.
    pub fn load(paths: &[PathBuf]) -> Result<Self, VerbFileError> {
        let mut d = VerbDictionary::default();
        let mut problems = Vec::new();
        for p in paths {
            match std::fs::read_to_string(p) {
                Ok(src) => d.read(&src, p, &mut problems),
                Err(e) => problems.push(format!("{}: {e}", p.display())),
            }
        }
        if problems.is_empty() {
            Ok(d)
        } else {
            Err(VerbFileError { problems })
        }
    }

    /// Parses one dictionary text (`path` names it in problems).
    pub fn parse(src: &str, path: &Path) -> Result<Self, VerbFileError> {
        let mut d = VerbDictionary::default();
        let mut problems = Vec::new();
        d.read(src, path, &mut problems);
        if problems.is_empty() {
            Ok(d)
        } else {
            Err(VerbFileError { problems })
        }
    }

    /// Number of verb blocks and patterns (for messages and tests).
    pub fn size(&self) -> (usize, usize) {
        (
            self.blocks.len(),
            self.blocks.iter().map(|b| b.patterns.len()).sum(),
        )
    }

    /// Transformation lines (`~`) read but not applied.
    pub fn unsupported_transformations(&self) -> usize {
        self.transformations
    }

    fn read(&mut self, src: &str, path: &Path, problems: &mut Vec<String>) {
        let mut block: Option<usize> = None;
        let mut synset: Option<String> = None;
        let mut in_comment = false;
        // Verbs of the current block (base word -> present), for `# VERB` pattern comments.
        let mut block_verbs: HashSet<String> = HashSet::new();
        for (ln, raw) in src.lines().enumerate() {
            let ln = ln + 1;
            let mut bad = |msg: String| problems.push(format!("{}:{ln}: {msg}", path.display()));
            let trimmed = raw.trim();
            if in_comment {
                if trimmed.contains("-->") {
                    in_comment = false;
                }
                continue;
            }
            if trimmed.starts_with("<!--") {
                in_comment = !trimmed.contains("-->");
                continue;
            }
            let (line, comment) = split_comment(raw);
            if line.is_empty() {
                if trimmed.is_empty() {
                    synset = None;
                }
                continue;
            }
            if line.starts_with("---") {
                synset = None;
                let inner = line.trim_matches('-').trim();
                // `--- DELAY [120]  [031:031] ---`: the first code is the verb's.
                let (name, code) = match inner.find('[') {
                    Some(k) => {
                        let rest = inner.get(k..).unwrap_or("");
                        let end = rest.find(']').map_or(rest.len(), |e| e + 1);
                        (inner.get(..k).unwrap_or("").trim(), rest.get(..end).unwrap_or(""))
                    }
                    None => (inner, ""),
                };
                if name.is_empty() {
                    bad("verb block header without a name (`--- VERB [code] ---`)".into());
                    continue;
                }
                let code = if code.is_empty() {
                    Ok(Code::default())
                } else {
                    parse_code(code.trim_end_matches('-').trim())
                };
                match code {
                    Ok(code) => {
                        self.blocks.push(Block {
                            code,
                            patterns: Vec::new(),
                        });
                        block = Some(self.blocks.len() - 1);
                        block_verbs.clear();
                    }
                    Err(e) => bad(e),
                }
                continue;
            }
            if let Some(name) = line.strip_prefix('&') {
                let name = name.split_whitespace().next().unwrap_or("").trim_end_matches('_');
                if name.is_empty() {
                    bad("synset without a name".into());
                    continue;
                }
                let key = format!("&{}", name.to_ascii_uppercase());
                self.synsets.entry(key.clone()).or_default();
                synset = Some(key);
                continue;
            }
            if let Some(member) = line.strip_prefix('+').filter(|_| synset.is_some()) {
                let words: Vec<&str> = member.split_whitespace().collect();
                match pieces(&words) {
                    Ok(mut p) => {
                        // Words of a member phrase are adjacent.
                        let n = p.len();
                        for (k, x) in p.iter_mut().enumerate() {
                            x.glue_next = k + 1 < n;
                        }
                        if let Some(s) = synset.as_ref().and_then(|s| self.synsets.get_mut(s)) {
                            s.push(p);
                        }
                    }
                    Err(e) => bad(e),
                }
                continue;
            }
            if line.starts_with('~') {
                self.transformations += 1;
                continue;
            }
            let Some(bi) = block else {
                bad(format!("`{line}` outside a verb block (`--- VERB [code] ---`)"));
                continue;
            };
            if let Some(body) = line.strip_prefix('-') {
                let Some(open) = body.rfind('[') else {
                    bad("pattern without a code (`[code]`)".into());
                    continue;
                };
                let (body, code) = (body.get(..open).unwrap_or(""), body.get(open..).unwrap_or(""));
                if !code.trim_end().ends_with(']') {
                    bad("pattern code not closed with `]`".into());
                    continue;
                }
                let code = match parse_code(code) {
                    Ok(c) => c,
                    Err(e) => {
                        bad(e);
                        continue;
                    }
                };
                let (pre, verb_glued, post) = match split_pattern(body) {
                    Ok(x) => x,
                    Err(e) => {
                        bad(e);
                        continue;
                    }
                };
                let named = comment.split_whitespace().collect::<Vec<_>>();
                let verb = match named.as_slice() {
                    [one] if block_verbs.contains(&one.to_ascii_lowercase()) => {
                        Some(one.to_ascii_lowercase())
                    }
                    _ => None,
                };
                if let Some(b) = self.blocks.get_mut(bi) {
                    b.patterns.push(Pattern {
                        pre,
                        post,
                        verb_glued,
                        code,
                        verb,
                    });
                }
                continue;
            }
            // A verb line: `WORD`, `+MULTI_WORD`, `KLM_NOP_+RST [002]`, `HURRY {HURRIES ...}`.
            let (line, code) = match line.find('[') {
                Some(k) => (
                    line.get(..k).unwrap_or("").trim(),
                    Some(line.get(k..).unwrap_or("")),
                ),
                None => (line, None),
            };
            let code = match code.map(parse_code) {
                Some(Ok(c)) => Some(c),
                Some(Err(e)) => {
                    bad(e);
                    continue;
                }
                None => None,
            };
            let (main, irregular) = match line.find('{') {
                Some(k) => {
                    let rest = line.get(k + 1..).unwrap_or("");
                    let Some(end) = rest.find('}') else {
                        bad("`{` without `}`".into());
                        continue;
                    };
                    (line.get(..k).unwrap_or("").trim(), rest.get(..end).unwrap_or(""))
                }
                None => (line, ""),
            };
            // `LASH OUT` is read as `LASH_OUT`.
            let main = main.split_whitespace().collect::<Vec<_>>().join("_");
            let Some((before, head, after)) = verb_words(&main) else {
                bad(format!("`{main}`: no verb word"));
                continue;
            };
            block_verbs.insert(head.clone());
            let mut spellings = inflections(&head);
            for irr in irregular.split_whitespace() {
                if let Some((_, h, _)) = verb_words(irr) {
                    spellings.push(h);
                }
            }
            for sp in spellings {
                let forms = self.forms.entry(sp).or_default();
                if !forms
                    .iter()
                    .any(|f| f.block == bi && f.before == before && f.after == after)
                {
                    forms.push(Form {
                        before: before.clone(),
                        after: after.clone(),
                        block: bi,
                        code,
                        verb: head.clone(),
                    });
                }
            }
        }
    }

    /// The verb form at sentence token `i` (its block, its words' span), longest first.
    fn form_at(&self, s: &Sent, i: usize) -> Option<(&Form, usize, usize)> {
        let forms = self.forms.get(s.w(i))?;
        let mut best: Option<(&Form, usize, usize)> = None;
        for f in forms {
            let nb = f.before.len();
            let ok_before = i >= nb
                && f.before
                    .iter()
                    .enumerate()
                    .all(|(k, w)| s.w(i - nb + k) == w.as_str());
            // Particles may be separated from the verb by a word or two ("cordoned them off").
            let mut at = i + 1;
            let mut ok_after = true;
            for w in &f.after {
                match (at..(at + 3).min(s.toks.len())).find(|&k| s.w(k) == w.as_str()) {
                    Some(k) => at = k + 1,
                    None => {
                        ok_after = false;
                        break;
                    }
                }
            }
            if ok_before && ok_after {
                let len = nb + f.after.len();
                if best.is_none_or(|(b, _, _)| b.before.len() + b.after.len() < len) {
                    best = Some((f, i - nb, if f.after.is_empty() { i + 1 } else { at }));
                }
            }
        }
        best
    }
}

/// A line and its `#` comment; a `#` inside a `[code]` is part of the code.
fn split_comment(raw: &str) -> (&str, &str) {
    let mut depth = 0;
    for (k, c) in raw.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '#' if depth <= 0 => {
                return (
                    raw.get(..k).unwrap_or("").trim(),
                    raw.get(k + 1..).unwrap_or("").trim(),
                );
            }
            _ => {}
        }
    }
    (raw.trim(), "")
}

/// `KLM_NOP_+RST` -> (["klm", "nop"], "rst", []); `+CORDON_OFF` -> ([], "cordon", ["off"]);
/// a plain word is its own head.
fn verb_words(s: &str) -> Option<(Vec<String>, String, Vec<String>)> {
    let parts: Vec<&str> = s.split('_').filter(|p| !p.is_empty()).collect();
    let h = parts.iter().position(|p| p.starts_with('+')).unwrap_or(0);
    let low = |p: &&str| p.trim_start_matches('+').to_ascii_lowercase();
    let head = low(parts.get(h)?);
    if head.is_empty() {
        return None;
    }
    Some((
        parts.get(..h).unwrap_or(&[]).iter().map(low).collect(),
        head,
        parts.get(h + 1..).unwrap_or(&[]).iter().map(low).collect(),
    ))
}

// ---------------------------------------------------------------------------------------
// Coding with the dictionary

/// Relations whose subtree is another clause or outside the predicate: not read as a
/// verb's pattern words.
fn other_clause(rel: Deprel) -> bool {
    matches!(
        rel,
        Deprel::Advcl | Deprel::Parataxis | Deprel::Conj | Deprel::Cc | Deprel::Punct | Deprel::AclRelcl
    )
}

/// Sentence token indices of the dependents of `v` (document index) and their subtrees,
/// other clauses left out; `v` itself not included.
fn reach(s: &Sent, v: usize, out: &mut Vec<usize>) {
    let n = s.toks.len();
    let head_of = |k: usize| {
        s.doc
            .syntax
            .get(s.base + k)
            .and_then(|t| t.head)
            .map(|h| h as usize)
    };
    for k in 0..n {
        if head_of(k) != Some(v) || k + s.base == v {
            continue;
        }
        let rel = s.doc.syntax.get(s.base + k).map(|t| t.rel);
        if rel.is_some_and(other_clause) {
            continue;
        }
        if !out.contains(&k) {
            out.push(k);
            reach(s, s.base + k, out);
        }
    }
}

/// The words a pattern is matched on: (before the verb, after the verb), sentence token
/// indices in sentence order.
fn pattern_words(s: &Sent, t0: usize, t1: usize) -> (Vec<usize>, Vec<usize>) {
    let v = s.base + t0;
    let mut set = Vec::new();
    reach(s, v, &mut set);
    // A complement verb reads its governor's words too ("SAID * TO ATTEND", "HAVE POSTPONED *").
    let syn = s.doc.syntax.get(v);
    if let Some((g, rel)) = syn.and_then(|t| t.head.map(|h| (h as usize, t.rel))) {
        if matches!(rel, Deprel::Xcomp | Deprel::Ccomp) && g >= s.base {
            let gk = g - s.base;
            if gk < s.toks.len() && !set.contains(&gk) {
                set.push(gk);
                let mut gov = Vec::new();
                reach(s, g, &mut gov);
                set.extend(gov.into_iter().filter(|&k| k < t0));
            }
        }
    }
    set.sort_unstable();
    set.dedup();
    let words = |k: &usize| s.toks.get(*k).is_some_and(crate::sentence::is_word) || s.w(*k) == "'s";
    let pre = set.iter().copied().filter(|&k| k < t0).filter(words).collect();
    let post = set.iter().copied().filter(|&k| k >= t1).filter(words).collect();
    (pre, post)
}

/// What a pattern match found: how many elements it matched and the actor slots.
#[derive(Debug, Default, Clone)]
struct Slots {
    score: usize,
    source: Option<usize>,
    target: Option<usize>,
    compound: Option<usize>,
}

/// The actor mention (index into `s.men`) starting at or covering sentence token `k`.
fn mention_at(s: &Sent, k: usize) -> Option<usize> {
    actor_mentions(s)
        .find(|(_, m)| m.t0 <= k && k < m.t1)
        .map(|(i, _)| i)
}

fn word_matches(tok: &str, w: &str) -> bool {
    tok == w
        || tok.strip_suffix('s') == Some(w)
        || tok.strip_suffix("es") == Some(w)
        || w.strip_suffix('s') == Some(tok)
}

impl VerbDictionary {
    /// Matches `pieces` forward over `seq` from position `at`; `adjacent`: the first piece
    /// must sit at `at`. Returns the slots of the best match.
    fn match_fwd(
        &self,
        s: &Sent,
        pieces: &[Piece],
        seq: &[usize],
        at: usize,
        adjacent: bool,
        depth: u8,
    ) -> Option<Slots> {
        let Some((first, rest)) = pieces.split_first() else {
            return Some(Slots::default());
        };
        let last = if adjacent {
            at.min(seq.len()) + 1
        } else {
            seq.len()
        };
        for p in at..last.min(seq.len()) {
            for (next, slots) in self.match_one(s, &first.elem, seq, p, depth) {
                if let Some(mut r) = self.match_fwd(s, rest, seq, next, first.glue_next, depth) {
                    r.score += slots.score;
                    r.source = r.source.or(slots.source);
                    r.target = r.target.or(slots.target);
                    r.compound = r.compound.or(slots.compound);
                    return Some(r);
                }
            }
        }
        None
    }

    /// One element at `seq[p]`: the positions after it it may end at, with its slots.
    fn match_one(&self, s: &Sent, e: &Elem, seq: &[usize], p: usize, depth: u8) -> Vec<(usize, Slots)> {
        let Some(&k) = seq.get(p) else { return Vec::new() };
        match e {
            Elem::Word(w) => {
                if word_matches(s.w(k), w) {
                    vec![(
                        p + 1,
                        Slots {
                            score: 2,
                            ..Slots::default()
                        },
                    )]
                } else {
                    Vec::new()
                }
            }
            Elem::Skip => vec![(p + 1, Slots::default())],
            Elem::Source | Elem::Target | Elem::Compound => {
                let Some(m) = mention_at(s, k) else {
                    return Vec::new();
                };
                let end = s.men.get(m).map_or(k + 1, |x| x.t1);
                let next = seq.iter().position(|&x| x >= end).unwrap_or(seq.len());
                let mut sl = Slots {
                    score: 1,
                    ..Slots::default()
                };
                match e {
                    Elem::Source => sl.source = Some(m),
                    Elem::Target => sl.target = Some(m),
                    _ => sl.compound = Some(m),
                }
                vec![(next, sl)]
            }
            Elem::Synset(name) => {
                if depth > 4 {
                    return Vec::new();
                }
                let Some(members) = self.synsets.get(name) else {
                    return Vec::new();
                };
                let mut out = Vec::new();
                for m in members {
                    if let Some(len) = self.phrase_len(s, m, seq, p, depth + 1) {
                        out.push((
                            p + len,
                            Slots {
                                score: 2,
                                ..Slots::default()
                            },
                        ));
                    }
                }
                out
            }
        }
    }

    /// Length (in `seq` positions) of a synset member phrase matched at `p`, adjacent words.
    fn phrase_len(&self, s: &Sent, m: &[Piece], seq: &[usize], p: usize, depth: u8) -> Option<usize> {
        let mut at = p;
        for piece in m {
            let (next, _) = self
                .match_one(s, &piece.elem, seq, at, depth)
                .into_iter()
                .next()?;
            at = next;
        }
        Some(at - p)
    }

    /// The best pattern of the verb's block at trigger `[t0, t1)`: its code and slots.
    fn best_pattern(&self, s: &Sent, f: &Form, t0: usize, t1: usize) -> Option<(Code, Slots)> {
        let block = self.blocks.get(f.block)?;
        let (pre, post) = pattern_words(s, t0, t1);
        let rpre: Vec<usize> = pre.iter().rev().copied().collect();
        let mut best: Option<(Code, Slots)> = None;
        for pat in &block.patterns {
            if pat.verb.as_ref().is_some_and(|v| *v != f.verb) {
                continue;
            }
            // Before the verb: matched outward from it, on the reversed words.
            let mut rp: Vec<Piece> = pat.pre.iter().rev().cloned().collect();
            // Reversed, "glued to the next" becomes "glued to the previous": shift the flags.
            let glue: Vec<bool> = pat.pre.iter().map(|p| p.glue_next).collect();
            let n = rp.len();
            for (k, piece) in rp.iter_mut().enumerate() {
                // rp[k] is pat.pre[n-1-k]; it is glued outward to pat.pre[n-2-k].
                piece.glue_next = n >= k + 2 && glue.get(n - 2 - k).copied().unwrap_or(false);
            }
            let first_glued = glue.last().copied().unwrap_or(false);
            let Some(a) = self.match_fwd(s, &rp, &rpre, 0, first_glued, 0) else {
                continue;
            };
            let Some(b) = self.match_fwd(s, &pat.post, &post, 0, pat.verb_glued, 0) else {
                continue;
            };
            let slots = Slots {
                score: a.score + b.score,
                source: a.source.or(b.source),
                target: a.target.or(b.target),
                compound: a.compound.or(b.compound),
            };
            if best.as_ref().is_none_or(|(_, x)| slots.score > x.score) {
                best = Some((pat.code, slots));
            }
        }
        best
    }
}

/// Mentions coordinated with mention `m` ("Gondor and Osgiliath"): `m` and the actor
/// mentions joined to it by `and`/`,` in the sentence.
fn with_conjuncts(s: &Sent, m: usize) -> Vec<usize> {
    let mut out = vec![m];
    let all: Vec<(usize, (usize, usize))> = actor_mentions(s).map(|(i, x)| (i, (x.t0, x.t1))).collect();
    let pos = |i: usize| all.iter().position(|(j, _)| *j == i);
    let joined = |a: (usize, usize), b: (usize, usize)| {
        b.0 >= a.1 && b.0 - a.1 <= 2 && (a.1..b.0).all(|k| matches!(s.w(k), "and" | "," | "or")) && b.0 > a.1
    };
    let Some(p0) = pos(m) else { return out };
    let mut p = p0;
    while let (Some(a), Some(b)) = (all.get(p), all.get(p + 1)) {
        if !joined(a.1, b.1) {
            break;
        }
        out.push(b.0);
        p += 1;
    }
    let mut p = p0;
    while p > 0 {
        let (Some(a), Some(b)) = (all.get(p - 1), all.get(p)) else {
            break;
        };
        if !joined(a.1, b.1) {
            break;
        }
        out.insert(0, a.0);
        p -= 1;
    }
    out
}

/// Codes one sentence with the user's dictionary: every verb of the dictionary that the
/// parse reads as a verb, its best pattern (or its own or its block's code), source and
/// target from the pattern's slots where it gives them, else from the parse (subject;
/// object, indirect object or oblique), else the nearest actors around the verb. A paired
/// code gives the reversed event too; a compound (`%`) gives the events among its members.
pub(crate) fn code_sentence(
    doc: &Document,
    locs: &[Loc],
    s: &Sent,
    dict: &VerbDictionary,
    out: &mut Vec<Event>,
) {
    let mut seen: HashSet<(Option<String>, Option<String>, &'static str)> = HashSet::new();
    let mut i = 0;
    while i < s.toks.len() {
        let upos = s.doc.syntax.get(s.base + i).map(|t| t.upos);
        let verbish = matches!(upos, Some(Upos::Verb) | None);
        let in_actor = actor_mentions(s).any(|(_, m)| m.t0 <= i && i < m.t1);
        let found = if verbish && !in_actor {
            dict.form_at(s, i)
        } else {
            None
        };
        let Some((form, t0, t1)) = found else {
            i += 1;
            continue;
        };
        let head = i;
        i = t1.max(i + 1);
        let (code, slots) = match dict.best_pattern(s, form, head, t1) {
            Some((c, sl)) if c.is_some() => (c, sl),
            _ => (
                form.code
                    .or_else(|| dict.blocks.get(form.block).map(|b| b.code))
                    .unwrap_or_default(),
                Slots::default(),
            ),
        };
        if !code.is_some() {
            continue;
        }
        // Parties: compound slot, else pattern slots, else the parse, else the window.
        let preds = s.preds.get_or_init(|| sentence_predicates(s.doc, s.idx, s.words));
        let pred = preds.iter().find(|p| p.verb as usize == s.base + head);
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        if let Some(c) = slots.compound {
            let members = with_conjuncts(s, c);
            for &a in &members {
                for &b in &members {
                    if a != b {
                        pairs.push((a, b));
                    }
                }
            }
            if let Some(t) = slots.target.or(slots.source) {
                pairs = members.iter().map(|&a| (a, t)).collect();
            }
        } else {
            let sources: Vec<usize> = match slots.source {
                Some(m) => with_conjuncts(s, m),
                None => {
                    let mut v: Vec<usize> = pred
                        .map(|p| p.subject.iter().filter_map(|ph| phrase_mention(s, ph)).collect())
                        .unwrap_or_default();
                    if v.is_empty() {
                        v = actor_mentions(s)
                            .filter(|(_, m)| m.t1 <= t0)
                            .last()
                            .map(|(k, _)| k)
                            .into_iter()
                            .collect();
                    }
                    let mut all = Vec::new();
                    for m in v {
                        for x in with_conjuncts(s, m) {
                            if !all.contains(&x) {
                                all.push(x);
                            }
                        }
                    }
                    all
                }
            };
            let targets: Vec<usize> = match slots.target {
                Some(m) => with_conjuncts(s, m),
                None => {
                    let parsed = pred.and_then(|p| {
                        p.object
                            .iter()
                            .chain(p.indirect.iter())
                            .chain(p.obliques.iter().map(|(_, ph)| ph))
                            .filter_map(|ph| phrase_mention(s, ph))
                            .find(|m| !sources.contains(m))
                    });
                    let t = parsed.or_else(|| {
                        let (_, post) = pattern_words(s, head, t1);
                        post.iter()
                            .find_map(|&k| mention_at(s, k))
                            .filter(|m| !sources.contains(m))
                    });
                    t.map(|m| with_conjuncts(s, m)).unwrap_or_default()
                }
            };
            for &a in &sources {
                for &b in &targets {
                    if a != b {
                        pairs.push((a, b));
                    }
                }
            }
        }
        for (a, b) in pairs {
            for (x, y, c) in [(a, b, code.fwd), (b, a, code.rev)] {
                let Some(c) = c else { continue };
                let (sp, tp) = (participant(s, x), participant(s, y));
                let key = (
                    sp.as_ref().and_then(|p| p.code.clone()),
                    tp.as_ref().and_then(|p| p.code.clone()),
                    c,
                );
                if key.0.is_none() || key.1.is_none() || !seen.insert(key) {
                    continue;
                }
                let trig = Trig {
                    t0,
                    t1,
                    code: c,
                    kind: Kind::Verb,
                    passive: pred.is_some_and(|p| p.passive),
                    broad: false,
                    ing: s.w(head).ends_with("ing"),
                };
                let info = cameo_info(c);
                let loc: Option<Located> = location(doc, locs, s, &trig);
                let trigger = chronicle_core::Span::new(
                    s.toks.get(t0).map_or(s.span.start, |t| t.span.start),
                    s.toks
                        .get(t1.saturating_sub(1))
                        .map_or(s.span.start, |t| t.span.end),
                );
                out.push(Event {
                    cameo: c.to_string(),
                    quad: info.map_or(0, |i| i.quad),
                    goldstein: info.map_or(0.0, |i| i.goldstein),
                    plover: info.map(|i| i.plover.to_string()).unwrap_or_default(),
                    plover_mode: info.and_then(|i| i.plover_mode.map(str::to_string)),
                    source: sp,
                    target: tp,
                    sentence: s.idx as u32,
                    trigger,
                    modality: modality(doc, s, &trig, true),
                    timex: nearest_timex(doc, s, &trig),
                    date_basis: None,
                    location: loc.map(|l| l.0),
                    location_precision: loc.map(|l| l.1),
                    location_basis: loc.map(|l| l.2),
                    killed: None,
                    wounded: None,
                    victims: None,
                    contexts: Vec::new(),
                    mentions: Vec::new(),
                    confidence: 1.0,
                    reporter: None,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PETR1: &str =
        "<!-- test -->\n&TIES\n+MILITARY\n+ECONOMIC\n\n--- ABANDON [345] ---\nABANDON # comment\n\
        WIRE_+TAP {WIRETAPPED}\n- * DIPLOMATIC_TIES [901]\n- * &TIES TIES [902]\n- $ NOT * ^ TO_ + [124]\n\
        --- DELAY [120]  [031:031]  ---\nLASH OUT\n- % HAVE * [191]\n- * FXLL [###]\n";

    const PETR2: &str = "&CURRENCY\n+DOLLAR\n+EURO\n\n---  ACCELERATE   [---]  ---\nACCELERATE\n\
        HURRY {HURRIES HURRYING HURRIED }\n+CORDON_OFF {+CORDONED_OFF }\n- * AID [070] # HURRY\n\
        - * {RELIEF ASSISTANCE} [073]\n- * POLICE (TO BORDER) [153]\n- * (BEFORE COURT) [:173]\n\
        - * (TO) [042:043]\n~ a (a b ATTACK) SAY = a b 015\n";

    #[test]
    fn reads_petrarch1_syntax() {
        let d = VerbDictionary::parse(PETR1, Path::new("v.txt")).unwrap();
        assert_eq!(d.size(), (2, 5));
        let tap = d.forms.get("tapped").and_then(|f| f.first()).unwrap();
        assert_eq!(tap.before, vec!["wire".to_string()]);
        assert!(d.forms.contains_key("abandoning"));
        assert!(d.forms.get("lashed").is_some_and(|f| f[0].after == ["out"]));
        let p = &d.blocks[0].patterns[2];
        assert_eq!(
            p.pre.iter().map(|x| x.elem.clone()).collect::<Vec<_>>(),
            vec![Elem::Source, Elem::Word("not".into())]
        );
        assert_eq!(p.post.last().map(|x| &x.elem), Some(&Elem::Target));
        assert!(
            p.post
                .get(1)
                .is_some_and(|x| x.elem == Elem::Word("to".into()) && !x.glue_next),
            "a trailing `_` (TO_) stops plurals, it joins nothing"
        );
        assert_eq!(d.blocks[1].code.fwd, Some("120"));
        assert_eq!(d.synsets.get("&TIES").map(Vec::len), Some(2));
    }

    #[test]
    fn reads_petrarch2_syntax() {
        let d = VerbDictionary::parse(PETR2, Path::new("cameo.txt")).unwrap();
        assert_eq!(d.size(), (1, 5));
        assert_eq!(d.unsupported_transformations(), 1);
        let b = &d.blocks[0];
        assert_eq!(b.code, Code::default());
        assert_eq!(
            b.patterns[0].verb.as_deref(),
            Some("hurry"),
            "`# HURRY` names the block's verb"
        );
        assert_eq!(b.patterns[1].post.len(), 2);
        assert_eq!(
            b.patterns[3].code,
            Code {
                fwd: None,
                rev: Some("173")
            }
        );
        assert_eq!(
            b.patterns[4].code,
            Code {
                fwd: Some("042"),
                rev: Some("043")
            }
        );
        assert!(
            d.forms.contains_key("hurried") && d.forms.get("cordoned").is_some_and(|f| f[0].after == ["off"])
        );
    }

    #[test]
    fn bad_lines_are_listed_with_file_and_line() {
        let src = "- * AID [070]\n--- AID [070] ---\nAID\n- * HELP\n- AID [0 7]\n- * X [1:2:3]\n";
        let e = VerbDictionary::parse(src, Path::new("bad.txt")).unwrap_err();
        let lines: Vec<&str> = e
            .problems
            .iter()
            .map(|p| p.split(": ").next().unwrap_or(""))
            .collect();
        assert_eq!(
            lines,
            vec!["bad.txt:1", "bad.txt:4", "bad.txt:5", "bad.txt:6"],
            "{e}"
        );
    }

    /// The real PETRARCH-2 dictionary reads without a problem (skipped without ../shared).
    #[test]
    fn reads_cameo_2_0_when_present() {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/eval/events/petrarch2-dictionaries/CAMEO.2.0.txt");
        if !p.is_file() {
            eprintln!("skipped: {} absent", p.display());
            return;
        }
        let d = VerbDictionary::load(&[p]).unwrap();
        let (blocks, patterns) = d.size();
        assert!(blocks > 300 && patterns > 4000, "{blocks} {patterns}");
    }
}
