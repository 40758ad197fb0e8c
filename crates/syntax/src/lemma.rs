//! Lemmatiser learned from the treebank: edit rules (strip k final characters, append a
//! string, optionally lowercasing first) chosen by the longest known (tag, suffix) of the
//! word, plus a table of the training words whose lemma the rules get wrong. The same
//! scheme predicts morphological features (most frequent `FEATS` per word and tag, else
//! per tag).

use crate::bin::{Reader, Writer};
use crate::hash::{self, mix, BuildId};
use crate::words::lower;
use crate::SyntaxError;
use std::collections::HashMap;

/// Longest suffix (in characters) the rules look at.
const MAX_SUFFIX: usize = 6;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Rule {
    lower: bool,
    strip: u8,
    append: String,
}

fn common_prefix_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn derive(form: &str, lemma: &str) -> Rule {
    let low = lower(form);
    let mut best: Option<(usize, Rule)> = None;
    // On equal cost, lowercase first unless the lemma keeps capitals ("Walked" -> "walk",
    // "Paris" -> "Paris").
    let cands = if lemma.chars().any(char::is_uppercase) {
        [(false, form), (true, low.as_ref())]
    } else {
        [(true, low.as_ref()), (false, form)]
    };
    for (lc, src) in cands {
        let k = common_prefix_chars(src, lemma);
        let n = src.chars().count();
        let append: String = lemma.chars().skip(k).collect();
        let strip = (n - k).min(255) as u8;
        let cost = usize::from(strip) + append.chars().count();
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((
                cost,
                Rule {
                    lower: lc,
                    strip,
                    append,
                },
            ));
        }
    }
    best.map(|(_, r)| r).unwrap_or(Rule {
        lower: false,
        strip: 0,
        append: String::new(),
    })
}

fn apply(r: &Rule, form: &str) -> Option<String> {
    let low;
    let src = if r.lower {
        low = lower(form);
        low.as_ref()
    } else {
        form
    };
    let n = src.chars().count();
    let keep = n.checked_sub(usize::from(r.strip))?;
    let mut out: String = src.chars().take(keep).collect();
    out.push_str(&r.append);
    if out.is_empty() {
        return None;
    }
    Some(out)
}

/// Suffix keys of a lowercase word under a tag, longest first (`k` = 0 is the tag alone).
fn suffix_keys(tag: u64, low: &str) -> impl Iterator<Item = u64> + '_ {
    let idx: Vec<usize> = low.char_indices().map(|(i, _)| i).collect();
    let n = idx.len();
    (0..=MAX_SUFFIX.min(n)).rev().map(move |k| {
        let start = if k == 0 { low.len() } else { idx[n - k] };
        // A whole-word suffix is marked so "ring" (word) and "-ring" differ.
        let whole = u64::from(k == n);
        mix(mix(mix(tag, k as u64), whole), hash::str(&low[start..]))
    })
}

fn tag_key(tag: &str) -> u64 {
    hash::str(tag)
}

fn word_key(form: &str, tag: u64) -> u64 {
    mix(hash::str(form), tag)
}

/// The trained lemmatiser and feature guesser.
#[derive(Default)]
pub struct Lemmatiser {
    rules: Vec<Rule>,
    suffix: HashMap<u64, u16, BuildId>,
    exceptions: HashMap<u64, String, BuildId>,
    feats_strings: Vec<String>,
    feats_by_tag: HashMap<u64, u16, BuildId>,
    feats_by_word: HashMap<u64, u16, BuildId>,
}

fn majority<K: Clone + Ord>(m: &HashMap<K, u32>) -> Option<K> {
    m.iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(k, _)| k.clone())
}

impl Lemmatiser {
    /// Learns from `(form, tag, lemma, feats)` tokens; `tag` is the tagger's class name.
    pub fn train<'a>(tokens: impl Iterator<Item = (&'a str, &'a str, &'a str, &'a str)>) -> Self {
        let mut lemmas: HashMap<(String, String), HashMap<String, u32>> = HashMap::new();
        let mut feats: HashMap<(String, String), HashMap<String, u32>> = HashMap::new();
        for (form, tag, lemma, f) in tokens {
            *lemmas
                .entry((form.to_string(), tag.to_string()))
                .or_default()
                .entry(lemma.to_string())
                .or_default() += 1;
            *feats
                .entry((form.to_string(), tag.to_string()))
                .or_default()
                .entry(f.to_string())
                .or_default() += 1;
        }
        let mut types: Vec<(String, String, String)> = lemmas
            .iter()
            .filter_map(|((f, t), m)| majority(m).map(|l| (f.clone(), t.clone(), l)))
            .collect();
        types.sort();
        // Rule counts per (tag, suffix), over word types (unknown words look like rare
        // types, not like frequent tokens).
        let mut counts: HashMap<u64, HashMap<Rule, u32>> = HashMap::new();
        for (f, t, l) in &types {
            let r = derive(f, l);
            let low = lower(f);
            for k in suffix_keys(tag_key(t), &low) {
                *counts.entry(k).or_default().entry(r.clone()).or_default() += 1;
            }
        }
        let mut rule_ids: HashMap<Rule, u16> = HashMap::new();
        let mut rules: Vec<Rule> = Vec::new();
        let mut keys: Vec<&u64> = counts.keys().collect();
        keys.sort();
        let mut suffix = HashMap::default();
        for k in keys {
            if let Some(r) = majority(&counts[k]) {
                let next = rules.len() as u16;
                let id = *rule_ids.entry(r.clone()).or_insert_with(|| {
                    rules.push(r);
                    next
                });
                suffix.insert(*k, id);
            }
        }
        let mut lem = Lemmatiser {
            rules,
            suffix,
            ..Default::default()
        };
        for (f, t, l) in &types {
            if lem.by_rules(f, tag_key(t)).as_deref() != Some(l.as_str()) {
                lem.exceptions.insert(word_key(f, tag_key(t)), l.clone());
            }
        }
        // Features.
        let mut by_tag: HashMap<String, HashMap<String, u32>> = HashMap::new();
        for ((_, t), m) in &feats {
            for (fs, n) in m {
                *by_tag
                    .entry(t.clone())
                    .or_default()
                    .entry(fs.clone())
                    .or_default() += n;
            }
        }
        let mut strings: Vec<String> = feats.values().flat_map(|m| m.keys().cloned()).collect();
        strings.sort();
        strings.dedup();
        let sid = |s: &str| strings.binary_search_by(|x| x.as_str().cmp(s)).unwrap_or(0) as u16;
        for (t, m) in &by_tag {
            if let Some(best) = majority(m) {
                lem.feats_by_tag.insert(tag_key(t), sid(&best));
            }
        }
        for ((f, t), m) in &feats {
            if let Some(best) = majority(m) {
                let id = sid(&best);
                if lem.feats_by_tag.get(&tag_key(t)) != Some(&id) {
                    lem.feats_by_word.insert(word_key(f, tag_key(t)), id);
                }
            }
        }
        lem.feats_strings = strings;
        lem
    }

    fn by_rules(&self, form: &str, tag: u64) -> Option<String> {
        let low = lower(form);
        for k in suffix_keys(tag, &low) {
            if let Some(&r) = self.suffix.get(&k) {
                if let Some(out) = self.rules.get(r as usize).and_then(|r| apply(r, form)) {
                    return Some(out);
                }
            }
        }
        None
    }

    /// The lemma of `form` tagged with class name `tag`.
    pub fn lemma(&self, form: &str, tag: &str) -> String {
        let t = tag_key(tag);
        if let Some(l) = self.exceptions.get(&word_key(form, t)) {
            return l.clone();
        }
        self.by_rules(form, t).unwrap_or_else(|| form.to_string())
    }

    /// The morphological features (`FEATS` column) of `form` tagged `tag`.
    pub fn feats(&self, form: &str, tag: &str) -> &str {
        let t = tag_key(tag);
        let id = self
            .feats_by_word
            .get(&word_key(form, t))
            .or_else(|| self.feats_by_tag.get(&t));
        match id.and_then(|&i| self.feats_strings.get(i as usize)) {
            Some(s) => s,
            None => "_",
        }
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.u32(self.rules.len() as u32);
        for r in &self.rules {
            w.u8(u8::from(r.lower));
            w.u8(r.strip);
            w.str(&r.append);
        }
        let mut s: Vec<(u64, u16)> = self.suffix.iter().map(|(k, v)| (*k, *v)).collect();
        s.sort_unstable();
        w.u32(s.len() as u32);
        for (k, v) in s {
            w.u64(k);
            w.u16(v);
        }
        let mut e: Vec<(&u64, &String)> = self.exceptions.iter().collect();
        e.sort();
        w.u32(e.len() as u32);
        for (k, v) in e {
            w.u64(*k);
            w.str(v);
        }
        w.u32(self.feats_strings.len() as u32);
        for s in &self.feats_strings {
            w.str(s);
        }
        for m in [&self.feats_by_tag, &self.feats_by_word] {
            let mut v: Vec<(u64, u16)> = m.iter().map(|(k, v)| (*k, *v)).collect();
            v.sort_unstable();
            w.u32(v.len() as u32);
            for (k, x) in v {
                w.u64(k);
                w.u16(x);
            }
        }
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Self, SyntaxError> {
        let bad = |m: &str| SyntaxError::Format(m.to_string());
        let n = r.u32()? as usize;
        if n.saturating_mul(6) > r.remaining() {
            return Err(bad("lemma rules larger than the file"));
        }
        let mut rules = Vec::with_capacity(n);
        for _ in 0..n {
            let lower = r.u8()? != 0;
            let strip = r.u8()?;
            let append = r.str()?.to_string();
            rules.push(Rule { lower, strip, append });
        }
        let read_map = |r: &mut Reader, limit: usize| -> Result<HashMap<u64, u16, BuildId>, SyntaxError> {
            let n = r.u32()? as usize;
            if n.saturating_mul(10) > r.remaining() {
                return Err(bad("lemma table larger than the file"));
            }
            let mut m = HashMap::with_capacity_and_hasher(n, BuildId::default());
            for _ in 0..n {
                let k = r.u64()?;
                let v = r.u16()?;
                if v as usize >= limit {
                    return Err(bad("lemma table index out of range"));
                }
                m.insert(k, v);
            }
            Ok(m)
        };
        let suffix = read_map(r, rules.len())?;
        let n = r.u32()? as usize;
        if n.saturating_mul(12) > r.remaining() {
            return Err(bad("lemma exceptions larger than the file"));
        }
        let mut exceptions = HashMap::with_capacity_and_hasher(n, BuildId::default());
        for _ in 0..n {
            let k = r.u64()?;
            exceptions.insert(k, r.str()?.to_string());
        }
        let n = r.u32()? as usize;
        if n.saturating_mul(4) > r.remaining() {
            return Err(bad("feature strings larger than the file"));
        }
        let mut feats_strings = Vec::with_capacity(n);
        for _ in 0..n {
            feats_strings.push(r.str()?.to_string());
        }
        let feats_by_tag = read_map(r, feats_strings.len())?;
        let feats_by_word = read_map(r, feats_strings.len())?;
        Ok(Lemmatiser {
            rules,
            suffix,
            exceptions,
            feats_strings,
            feats_by_tag,
            feats_by_word,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_generalise_to_unseen_words() {
        let toks = [
            ("walked", "VBD|VERB", "walk", "Tense=Past"),
            ("jumped", "VBD|VERB", "jump", "Tense=Past"),
            ("talked", "VBD|VERB", "talk", "Tense=Past"),
            ("cats", "NNS|NOUN", "cat", "Number=Plur"),
            ("dogs", "NNS|NOUN", "dog", "Number=Plur"),
            ("went", "VBD|VERB", "go", "Tense=Past"),
            ("Paris", "NNP|PROPN", "Paris", "Number=Sing"),
        ];
        let l = Lemmatiser::train(toks.iter().copied());
        assert_eq!(l.lemma("kicked", "VBD|VERB"), "kick");
        assert_eq!(l.lemma("hats", "NNS|NOUN"), "hat");
        assert_eq!(l.lemma("went", "VBD|VERB"), "go", "irregular kept as exception");
        assert_eq!(l.lemma("Walked", "VBD|VERB"), "walk", "lowercased like its rule");
        assert_eq!(l.feats("kicked", "VBD|VERB"), "Tense=Past");
        let mut w = Writer::default();
        l.write(&mut w);
        let back = Lemmatiser::read(&mut Reader::new(&w.buf)).expect("reads back");
        assert_eq!(back.lemma("kicked", "VBD|VERB"), "kick");
        assert_eq!(back.lemma("went", "VBD|VERB"), "go");
    }
}
