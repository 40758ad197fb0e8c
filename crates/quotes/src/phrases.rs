//! Noun phrases around a cue: the speaker before or after it, titles and prepositional
//! tails, a clause's subject.

use super::*;

impl<'a> Ctx<'a> {
    /// Auxiliaries and adverbs between a speaker and its cue ("has also", "immediately").
    pub(crate) fn skippable(&self, k: usize) -> bool {
        let w = self.w(k);
        // An adverb between speaker and cue ("my father often said"): "-ly" words, or what
        // the parse tags an adverb modifying the verb.
        let adverb =
            self.doc.syntax.get(k).is_some_and(|t| {
                t.upos == chronicle_core::Upos::Adv && t.rel == chronicle_core::Deprel::Advmod
            }) && !matches!(w, "not" | "n't" | "never");
        self.wc(k).aux() || adverb || (w.len() > 4 && w.ends_with("ly") && !self.is_cap(k))
    }

    /// Speaker phrase ending at token `j` (walking left, not before `sb`). Returns the token
    /// range and whether a passive auxiliary ("has been claimed") was crossed.
    pub(crate) fn np_back(&self, j: usize, sb: usize) -> Option<(usize, usize, bool)> {
        let mut k = j;
        let mut passive = false;
        let mut skipped = 0;
        while k >= sb && self.is_word(k) && skipped < 4 {
            if self.wc(k).time() {
                // "Sanders on Tuesday said", "Trump last week said"
                k = k.checked_sub(1)?;
                if k >= sb && matches!(self.w(k), "on" | "last" | "this" | "late" | "early" | "earlier") {
                    k = k.checked_sub(1)?;
                }
            } else if self.skippable(k) {
                passive |= self.w(k) == "been" || self.w(k) == "being";
                k = k.checked_sub(1)?;
            } else {
                break;
            }
            skipped += 1;
        }
        if k < sb || self.quoted.get(k).copied().unwrap_or(1) != 0 {
            return None;
        }
        if self.is_punct(k, ")") {
            // "Sen. Lindsey Graham (R-S.C.) said": step over the parenthesis.
            let lo = k.saturating_sub(12).max(sb);
            let open = (lo..k).rev().find(|&x| self.is_punct(x, "("))?;
            let (a, _, p) = self.np_back(open.checked_sub(1)?, sb)?;
            return Some((a, k + 1, p || passive));
        }
        if self.is_word(k) {
            let w = self.w(k);
            if matches!(w, "who" | "which") && k > sb && self.is_punct(k - 1, ",") {
                // "Marc Morial, the chief executive of the League, who said": the antecedent.
                if let Some(np) = self.np_back(k - 1, sb) {
                    return Some((np.0, np.1, passive));
                }
            }
            if self.wc(k).pronoun() {
                return Some((k, k + 1, passive));
            }
            if self.is_cap(k) {
                if self.wc(k).function() || self.wc(k).time() || (k == sb && self.wc(k).opener()) {
                    return None;
                }
                let mut a = k;
                while a > sb && k - a < 8 {
                    let p = a - 1;
                    if self.quoted[p] != 0 {
                        break;
                    }
                    let name = self.is_cap(p) && !(p == sb && self.wc(p).opener());
                    let joiner =
                        p > sb && self.is_cap(p - 1) && matches!(self.w(p), "of" | "for" | "de" | "al");
                    let abbr = self.is_punct(p, ".") && p > sb && self.lex.is_title_abbr(self.w(p - 1));
                    // Lower-case title inside a name chain ("Kremlin spokesman Dmitry Peskov").
                    let title = self.is_word(p)
                        && !self.is_cap(p)
                        && !self.wc(p).function()
                        && !self.wc(p).cue()
                        && !self.skippable(p)
                        && (p == sb
                            || self.is_cap(p - 1)
                            || self.wc(p - 1).determiner()
                            || self.is_mark(p - 1)
                            || self.is_punct(p - 1, ","));
                    if !(name || joiner || abbr || title) {
                        break;
                    }
                    a = p;
                }
                if a > sb && matches!(self.w(a - 1), "the" | "a" | "an") {
                    a -= 1; // "the IMF", "The New York Post"
                }
                return Some((a, k + 1, passive));
            }
            if self.wc(k).function() || self.wc(k).cue() || w.ends_with("ly") || w.len() < 2 {
                return None;
            }
            let mut a = k;
            while a > sb && k - a < 3 {
                let p = a - 1;
                if self.quoted[p] != 0 || !self.is_word(p) {
                    break;
                }
                if self.wc(p).determiner() {
                    a = p;
                    break;
                }
                if self.is_cap(p) || (!self.wc(p).function() && !self.wc(p).cue() && !self.wc(p).aux()) {
                    a = p;
                } else {
                    break;
                }
            }
            // An unnamed source: a plural ("analysts"), or a determiner phrase ("a source").
            let det = self.wc(a).determiner() || self.is_cap(a);
            if det || w.ends_with('s') {
                return Some((self.pp_head(a, sb), k + 1, passive));
            }
            return None;
        }
        if self.is_punct(k, ",") {
            // Apposition: "Boyechko, CEO of the think tank, warned".
            let lo = k.saturating_sub(32).max(sb);
            let mut c = k;
            while c > lo {
                c -= 1;
                if self.quoted[c] != 0 || self.is_cue_at(c) {
                    return None;
                }
                if self.is_punct(c, ",") {
                    let outer = c.checked_sub(1).and_then(|x| self.np_back(x, sb));
                    if let Some((a, b, _)) = outer.filter(|&(_, b, _)| self.is_cap(b - 1)) {
                        return Some((a, b, passive));
                    }
                    // "The state's campaign chairman, Phil Lovas, said": the name in commas.
                    let inner = self
                        .np_forward(c + 1, k)
                        .filter(|&(x, e)| e == k && self.is_cap(x));
                    return inner.map(|(x, e)| (outer.map_or(x, |o| o.0), e, passive));
                }
            }
        }
        None
    }

    /// End of a prepositional tail that closes a sentence after an inverted speaker ("said
    /// one Democratic source on the panel."): `e` itself when none does.
    pub(crate) fn pp_tail(&self, e: usize, se: usize) -> usize {
        if e >= se || !matches!(self.w(e), "of" | "on" | "at" | "in" | "from" | "with" | "for") {
            return e;
        }
        let mut x = e + 1;
        while x < se && x - e <= 6 {
            if self.quoted.get(x).copied().unwrap_or(1) != 0 {
                break;
            }
            if self.toks.get(x).is_some_and(|t| t.kind == TokenKind::Punct) {
                return x;
            }
            let w = self.w(x);
            if !self.is_word(x) || self.wc(x).cue() || self.wc(x).aux() || self.wc(x).pronoun() {
                return e;
            }
            if matches!(w, "that" | "who" | "which" | "and" | "but" | "as" | "because") {
                return e;
            }
            x += 1;
        }
        if x >= se {
            se
        } else {
            e
        }
    }

    /// Start of a lower-case or capitalised title chain ("IMF chief economist", "9/11 widow")
    /// that runs from a closing quotation mark (or mark and comma) up to the name at `a`;
    /// `None` when anything else stands between them.
    pub(crate) fn title_chain_back(&self, a: usize, sb: usize) -> Option<usize> {
        let mut p = a.checked_sub(1)?;
        let mut n = 0;
        while p > sb && n < 8 {
            if self.is_mark(p) || (self.is_punct(p, ",") && self.is_mark(p - 1)) {
                return (n > 0).then_some(p + 1);
            }
            let tok = self.toks.get(p)?;
            // "Mr. Morgan of the Sierra Club": a title abbreviation's stop, and the joiners
            // of an organisation name, may stand in the chain.
            let abbr = self.is_punct(p, ".") && self.lex.is_title_abbr(self.w(p - 1));
            let joiner = matches!(self.w(p), "of" | "the" | "for" | "at")
                && (self.is_cap(p + 1) || self.w(p + 1) == "the");
            let word = abbr
                || joiner
                || self.is_word(p)
                    && !self.wc(p).function()
                    && !self.wc(p).cue()
                    && !self.wc(p).aux()
                    && !self.wc(p).pronoun();
            if !(word || tok.kind == TokenKind::Number) || self.quoted.get(p).copied().unwrap_or(1) != 0 {
                return None;
            }
            n += 1;
            p -= 1;
        }
        None
    }

    /// Widens an unnamed source leftwards over a prepositional tail: "one GOP source in the
    /// room", "a source familiar with the matter", "officials at the ministry".
    pub(crate) fn pp_head(&self, mut a: usize, sb: usize) -> usize {
        for _ in 0..2 {
            if a < sb + 2 || !matches!(self.w(a - 1), "in" | "of" | "at" | "from" | "with" | "for" | "to") {
                break;
            }
            let mut p = a - 2;
            if matches!(
                self.w(p),
                "familiar" | "close" | "closest" | "briefed" | "speaking"
            ) && p > sb
            {
                p -= 1;
            }
            if self.quoted.get(p).is_some_and(|&q| q != 0) || !self.is_word(p) || self.wc(p).function() {
                break;
            }
            match self.np_back(p, sb) {
                Some((x, _, false)) if !self.wc(x).pronoun() => a = x,
                _ => break,
            }
        }
        a
    }

    /// Speaker phrase starting at token `k` (walking right, before `se`).
    pub(crate) fn np_forward(&self, k: usize, se: usize) -> Option<(usize, usize)> {
        // "said 9/11 widow Terry Strada", "said chief economist Maury Obstfeld": a short
        // lower-case title chain before a name is part of the speaker.
        let mut lead = 0;
        while lead < 5 && k + lead < se && self.quoted.get(k + lead).copied().unwrap_or(1) == 0 {
            let x = k + lead;
            let is_num = |y: usize| self.toks.get(y).is_some_and(|t| t.kind == TokenKind::Number);
            // "9/11": a number written in parts.
            let number = is_num(x) || (self.is_punct(x, "/") && x > k && is_num(x - 1) && is_num(x + 1));
            let title = self.is_word(x)
                && !self.is_cap(x)
                && !self.wc(x).function()
                && !self.wc(x).cue()
                && !self.wc(x).aux()
                && !self.wc(x).time()
                && !self.wc(x).pronoun()
                && !self.wc(x).determiner();
            if !(number || title) {
                break;
            }
            lead += 1;
        }
        if lead > 0 && k + lead < se && self.is_cap(k + lead) {
            if let Some((_, e)) = self.np_forward(k + lead, se) {
                return Some((k, e));
            }
        }
        if k >= se || self.quoted.get(k).copied().unwrap_or(1) != 0 || !self.is_word(k) {
            return None;
        }
        if self.wc(k).pronoun() {
            return Some((k, k + 1));
        }
        let det = self.wc(k).determiner();
        if self.wc(k).time() {
            return None;
        }
        if !(det || self.is_cap(k)) || (self.is_cap(k) && self.wc(k).function() && !det) {
            return None;
        }
        let mut e = k + 1;
        let mut lower = 0;
        while e < se && e - k < 9 && self.quoted[e] == 0 {
            if self.is_cap(e) || (self.is_punct(e, ".") && self.lex.is_title_abbr(self.w(e - 1))) {
                e += 1;
            } else if matches!(self.w(e), "of" | "for" | "de") && self.is_cap(e + 1) && e + 1 < se {
                e += 2;
            } else if self.is_word(e)
                && lower < 3
                && !self.wc(e).function()
                && !self.wc(e).cue()
                && !self.wc(e).aux()
            {
                lower += 1;
                e += 1;
            } else {
                break;
            }
        }
        // Drop trailing lower-case words that follow a name ("Peskov told" is handled by the
        // cue test; "Zelensky struck" is not a name).
        while e > k + 1 && !self.is_cap(e - 1) && self.is_cap(k) && !det {
            e -= 1;
        }
        if det && e == k + 1 {
            return None;
        }
        Some((k, e))
    }

    /// Subject of sentence `s` for cues with no subject of their own ("..., noting: ...").
    pub(crate) fn subject(&self, sb: usize, se: usize, before: usize) -> Option<(usize, usize)> {
        let mut k = sb;
        if self.is_word(k) && self.wc(k).opener() {
            // Skip an introductory phrase up to its comma ("Speaking earlier this week, ...").
            let lim = (sb + 10).min(before);
            match (k..lim).find(|&j| self.is_punct(j, ",") && self.quoted[j] == 0) {
                Some(c) => k = c + 1,
                None => k += 1,
            }
        }
        while k < before && (self.is_mark(k) || self.toks.get(k).is_some_and(|t| t.kind == TokenKind::Punct))
        {
            k += 1;
        }
        let np = self.np_forward(k, se.min(before))?;
        Some(np)
    }
}
