//! Pass 2: cue sites (a speech verb, "according to", a cue noun, a label colon) and the
//! content each reports.

use super::*;

impl<'a> Ctx<'a> {
    /// Skips what sits between a cue and its content: "that", time adjuncts, the addressee of
    /// tell-type verbs, a colon or comma.
    /// Content starts at a complementiser "that" (PolNeAR and most attribution corpora keep
    /// it in the content span) but after a colon.
    pub(crate) fn past_colon(&self, j: usize) -> usize {
        if self.is_punct(j, ":") {
            j + 1
        } else {
            j
        }
    }

    /// Skips what sits between a cue and its content (time adjuncts, the addressee of
    /// tell-type verbs, a colon or comma) and reports whether "that" or a colon introduced it.
    pub(crate) fn content_start(&self, ce: usize, se: usize, tell: bool) -> (usize, bool) {
        let mut k = ce;
        for _ in 0..5 {
            if k >= se {
                return (k, false);
            }
            let w = self.w(k);
            if w == "that" {
                return (k, true);
            }
            if self.is_punct(k, ":") {
                return (k + 1, true);
            }
            if self.is_punct(k, ",") {
                k += 1;
                continue;
            }
            if self.preposition(k) {
                // "said of Clinton, “If she ...”": the adjunct ends at a comma before a quote.
                let lim = (k + 8).min(se);
                if let Some(j) = (k + 1..lim).find(|&j| self.is_punct(j, ",") && self.is_mark(j + 1)) {
                    if !(k..j).any(|x| self.is_cue_at(x) || self.is_mark(x)) {
                        return (j + 1, true);
                    }
                }
                // "said after the convention he would ...": the adjunct ends at a subject pronoun.
                let lim = (k + 7).min(se);
                if let Some(j) = (k + 1..lim).find(|&j| self.clause_start(j)) {
                    if !(k..j).any(|x| self.is_cue_at(x) || self.is_mark(x) || self.is_sep(x)) {
                        return (j, true);
                    }
                }
                // "says at a campaign stop in Toledo, Ohio, that ...": skip the adjunct.
                let lim = (k + 14).min(se);
                if let Some(j) = (k + 1..lim).find(|&j| self.quoted[j] == 0 && self.w(j) == "that") {
                    if !(k..j).any(|x| self.is_cue_at(x) || self.is_mark(x) || self.is_punct(x, ":")) {
                        return (j, true);
                    }
                }
            }
            if matches!(w, "on" | "last" | "this" | "late" | "early") && self.wc(k + 1).time() {
                k += 2;
                continue;
            }
            if matches!(
                w,
                "yesterday" | "today" | "earlier" | "recently" | "again" | "also" | "later"
            ) || self.lex.is_time(w)
            {
                k += 1;
                continue;
            }
            if matches!(w, "in") && matches!(self.w(k + 1), "a" | "an") && k + 2 < se && !self.is_mark(k + 2)
            {
                // "said in a statement that", "said in an interview:"
                let lim = (k + 6).min(se);
                if let Some(j) = (k + 3..lim).find(|&j| self.w(j) == "that" || self.is_punct(j, ":")) {
                    return (self.past_colon(j), true);
                }
            }
            if tell {
                let lim = (k + 8).min(se);
                if let Some(j) = (k..lim).find(|&j| {
                    self.quoted[j] == 0 && (self.w(j) == "that" || self.is_punct(j, ":") || self.w(j) == "to")
                }) {
                    if !(k..j).any(|x| self.is_punct(x, ",") || self.is_mark(x)) {
                        // "urged supporters to monitor ...": the addressee belongs to the content.
                        return if self.w(j) == "to" {
                            (k, true)
                        } else {
                            (self.past_colon(j), true)
                        };
                    }
                }
                let subject_pronoun = matches!(w, "he" | "she" | "they" | "we" | "i" | "it" | "you");
                if subject_pronoun {
                    break;
                }
                if let Some((_, e)) = self.np_forward(k, se) {
                    k = e;
                    continue;
                }
                if self.is_word(k) && !self.lex.is_function(w) && !self.lex.is_cue(w) {
                    // A bare addressee: "told reporters", "urged them".
                    k += 1;
                    continue;
                }
            }
            break;
        }
        (k, self.is_mark(k))
    }

    /// End of a forward content clause that starts at `start`: the sentence end, or an earlier
    /// boundary where another report begins (", noting", ", while X said").
    pub(crate) fn content_end(&self, start: usize, se: usize) -> usize {
        let mut j = start + 1;
        while j < se {
            if self.quoted[j] == 0 {
                // A semicolon, a concessive or temporal clause after a comma (", although
                // he refused ..."), or "but" with its own verb closes the report.
                if self.is_punct(j, ";") && j > start + 2 {
                    return j;
                }
                if self.is_punct(j, ",")
                    && j > start + 2
                    && matches!(
                        self.w(j + 1),
                        "although"
                            | "though"
                            | "whereas"
                            | "even"
                            | "because"
                            | "despite"
                            | "before"
                            | "after"
                    )
                {
                    return j;
                }
                if self.w(j) == "but" && j > start + 3 && (self.wc(j + 1).aux() || self.w(j + 1) == "not") {
                    return j;
                }
                let conj = matches!(self.w(j), "while" | "but" | "whereas" | "and");
                if self.is_sep(j) || conj {
                    let mut k = j + 1;
                    if self.is_sep(j) && matches!(self.w(k), "while" | "but" | "whereas" | "and") {
                        k += 1;
                    }
                    if self.is_cue_at(k) && (self.w(k).ends_with("ing") || conj || k > j + 1) {
                        return j;
                    }
                    if let Some((_, e)) = self.np_forward(k, se) {
                        let mut m = e;
                        while m < se && self.is_word(m) && self.wc(m).aux() {
                            m += 1;
                        }
                        if self.is_cue_at(m) {
                            return j;
                        }
                    }
                }
            }
            j += 1;
        }
        se
    }

    /// A bare clause after a learned cue counts when it opens with a subject pronoun
    /// ("believes he can win"); "rejected the plan" has an object, not a clause.
    pub(crate) fn clause_start(&self, k: usize) -> bool {
        matches!(self.w(k), "he" | "she" | "they" | "we" | "i" | "there")
    }

    pub(crate) fn preposition(&self, k: usize) -> bool {
        matches!(
            self.w(k),
            "to" | "about"
                | "of"
                | "as"
                | "for"
                | "by"
                | "with"
                | "from"
                | "at"
                | "in"
                | "on"
                | "into"
                | "via"
                | "during"
                | "under"
                | "after"
                | "before"
                | "through"
                | "over"
                | "against"
        )
    }

    /// Drops leading and trailing punctuation (not quotation marks) from a token range.
    pub(crate) fn trim(&self, mut a: usize, mut b: usize) -> (usize, usize) {
        while a < b && self.toks.get(a).is_some_and(|t| t.kind == TokenKind::Punct) {
            a += 1;
        }
        while b > a && self.toks.get(b - 1).is_some_and(|t| t.kind == TokenKind::Punct) {
            b -= 1;
        }
        (a, b)
    }

    /// Turns a clause `[a, b)` into content: the region itself when the clause is one quote,
    /// else the clause, widened to cover any region it starts but does not finish.
    pub(crate) fn classify(&self, a: usize, b: usize) -> Option<(Content, bool)> {
        let (a, mut b) = self.trim(a, b);
        if a >= b {
            return None;
        }
        let ra = self.quoted[a];
        if ra != 0 && self.is_mark(a) {
            let r = &self.regions[ra as usize - 1];
            if r.open == a {
                let rest_quoted = (r.end_tok()..b).all(|k| {
                    self.toks.get(k).is_some_and(|t| t.kind == TokenKind::Punct) || self.quoted[k] == ra
                });
                if rest_quoted {
                    return Some((Content::Region(ra as usize - 1), true));
                }
            }
        }
        let last_q = self.quoted[b - 1];
        if last_q != 0 {
            b = b.max(self.regions[last_q as usize - 1].end_tok());
        }
        let has_q = (a..b).any(|k| self.quoted[k] != 0);
        if b - a < 2 && !has_q {
            return None;
        }
        Some((Content::Tokens(a, b), has_q))
    }

    /// "WASHINGTON ― ..." / "MOSCOW (Reuters) - ...": the dateline is not reported speech.
    pub(crate) fn skip_dateline(&self, sb: usize, j: usize) -> usize {
        let lim = (sb + 10).min(j);
        let mut paren = false;
        let mut upper_word = false;
        let mut comma = false;
        for k in sb..lim {
            // "MOSCOW, Dec 3 -": a comma after the place may lead to the date; a dash
            // (or a comma that no date follows) ends the dateline.
            let date_follows = self.is_punct(k, ",")
                && upper_word
                && !comma
                && self.is_cap(k + 1)
                && [k + 2, k + 3]
                    .iter()
                    .any(|&x| matches!(self.toks.get(x).map(|t| t.kind), Some(TokenKind::Number)));
            if !paren && !date_follows && (self.is_sep(k) || self.is_punct(k, "-")) {
                return if upper_word { k + 1 } else { sb };
            }
            if self.is_punct(k, "(") || self.is_punct(k, ")") {
                paren = self.is_punct(k, "(");
                continue;
            }
            let upper = self.is_word(k) && self.raw(k).chars().all(|c| !c.is_lowercase());
            // "MOSCOW, Dec 3 -": after the place, a capitalised date.
            let date = upper_word
                && comma
                && (matches!(self.toks.get(k).map(|t| t.kind), Some(TokenKind::Number))
                    || self.is_cap(k)
                    || self.is_punct(k, "."));
            if !(paren || upper || date || self.is_punct(k, ",")) {
                return sb;
            }
            comma |= self.is_punct(k, ",");
            upper_word |= upper;
        }
        sb
    }

    /// The clause left of an inverted attribution ending before token `j` ("“...,” said X",
    /// "..., X said"), from the sentence start.
    pub(crate) fn left_content(&self, j: usize, sb: usize) -> Option<(Content, bool)> {
        // "However, slower growth ..., the IMF said": the connective is the writer's.
        let sb = if self.is_word(sb) && self.is_punct(sb + 1, ",") && self.wc(sb).opener() && sb + 2 < j {
            sb + 2
        } else {
            self.skip_dateline(sb, j)
        };
        let mut k = j;
        while k > sb && (self.is_punct(k - 1, ",") || self.is_punct(k - 1, "—")) {
            k -= 1;
        }
        if k > sb && self.is_mark(k - 1) && self.quoted[k - 1] != 0 {
            let ri = self.quoted[k - 1] as usize - 1;
            let r = &self.regions[ri];
            if r.close.is_some() && r.end == k {
                // "The statement read in part: “...,” the commander said": a colon lead-in
                // introduces the quote; it is not part of what the speaker said.
                let colon_lead = r.open > sb && self.is_punct(r.open - 1, ":");
                let lead_empty = colon_lead
                    || r.open < sb
                    || (sb..r.open).all(|x| !self.is_word(x) || self.wc(x).opener());
                if lead_empty {
                    return Some((Content::Region(ri), true));
                }
                return self.classify(sb, k);
            }
        }
        if k <= sb || !(self.is_punct(k, ",") || self.is_punct(j.saturating_sub(1), ",")) {
            return None;
        }
        self.classify(sb, k)
    }

    pub(crate) fn find_sites(&self, out: &mut Vec<(Site, Content, bool)>) {
        let sents = &self.doc.sentences;
        for s in 0..sents.len() {
            let (sb, se) = self.sent_bounds(s);
            let starts_para =
                s == 0 || sents.get(s - 1).map(|x| x.paragraph) != sents.get(s).map(|x| x.paragraph);
            if starts_para {
                let p = sents[s].paragraph;
                // One past the last token of the paragraph.
                let para_end = sents[s..]
                    .iter()
                    .take_while(|x| x.paragraph == p)
                    .last()
                    .map_or(se, |x| (x.tokens.1 as usize).min(self.toks.len()));
                if let Some(r) = self.label_colon(s, sb, para_end) {
                    out.push(r);
                    continue;
                }
            }
            let mut prev_speaker: Option<(usize, usize)> = None;
            let mut i = sb;
            while i < se {
                if self.quoted[i] != 0 || !self.is_word(i) {
                    i += 1;
                    continue;
                }
                let w = self.w(i);
                if w == "according" && self.w(i + 1) == "to" {
                    if let Some(r) = self.according(i, sb, se) {
                        prev_speaker = r.0.speaker.or(prev_speaker);
                        out.push(r);
                    }
                    i += 2;
                    continue;
                }
                if self.wc(i).cue_noun() && self.w(i + 1) == "that" && i > sb {
                    // "the warning that ..."; else "warning" may still be a verb cue.
                    if let Some(r) = self.cue_noun(i, s, sb, se) {
                        out.push(r);
                        i += 1;
                        continue;
                    }
                }
                if !self.is_cue_at(i) || (i > sb && self.w(i - 1) == "to") {
                    i += 1;
                    continue;
                }
                if let Some(r) = self.verb_site(i, s, sb, se, prev_speaker) {
                    prev_speaker = r.0.speaker.or(prev_speaker);
                    out.push(r);
                }
                i += 1;
            }
        }
    }

    /// "WALLACE: Let's start ..." (transcripts) and "Poll: Voters abandon ..." (headlines): a
    /// short capitalised label and a colon open the paragraph, and the rest of it is the content.
    pub(crate) fn label_colon(&self, s: usize, sb: usize, pe: usize) -> Option<(Site, Content, bool)> {
        let k = if self.is_mark(sb) { sb + 1 } else { sb };
        let colon = (k..(k + 5).min(pe)).find(|&j| !self.is_cap(j))?;
        if colon == k || !self.is_punct(colon, ":") || pe < colon + 4 {
            return None;
        }
        if (k..colon).any(|j| self.wc(j).function() || self.wc(j).time()) {
            return None;
        }
        let site = self.site(s, colon, colon + 1, Some((k, colon)))?;
        let (content, mixed) = self.classify(colon + 1, pe)?;
        Some((site, content, mixed))
    }

    pub(crate) fn site(
        &self,
        s: usize,
        c: usize,
        ce: usize,
        speaker: Option<(usize, usize)>,
    ) -> Option<Site> {
        Some(Site {
            sentence: s,
            cue: self.span_of(c, ce)?,
            cue_tok: c,
            speaker,
            speaker_trim: 0,
        })
    }

    pub(crate) fn according(&self, i: usize, sb: usize, se: usize) -> Option<(Site, Content, bool)> {
        let s = self.toks[i].sentence as usize;
        let (a, b) = self.np_forward(i + 2, se).or_else(|| {
            // "according to federal statistics": up to the next punctuation.
            let e = (i + 2..se.min(i + 12))
                .find(|&x| !self.is_word(x) && self.toks[x].kind != TokenKind::Number)?;
            (e > i + 2).then_some((i + 2, e))
        })?;
        let site = self.site(s, i, i + 2, Some((a, b)))?;
        let lead = (sb..i).any(|x| self.is_word(x) && !self.wc(x).opener());
        let (content, mixed) = if lead {
            self.classify(sb, i)?
        } else {
            let c = (b..se).find(|&x| self.is_punct(x, ",")).map_or(b, |x| x + 1);
            self.classify(c, self.content_end(c, se))?
        };
        Some((site, content, mixed))
    }

    pub(crate) fn cue_noun(&self, i: usize, s: usize, sb: usize, se: usize) -> Option<(Site, Content, bool)> {
        let p = i - 1;
        let pw = self.w(p);
        let (a, b, trim) = if pw == "'s" || pw == "'" {
            let (a, b, _) = self.np_back(p.checked_sub(1)?, sb)?;
            (a, b, 0)
        } else if pw.ends_with("'s") && self.is_cap(p) {
            let (a, _, _) = self.np_back(p, sb)?;
            (a, p + 1, 2)
        } else {
            return None;
        };
        let mut site = self.site(s, i, i + 1, Some((a, b)))?;
        site.speaker_trim = trim;
        let c = i + 1;
        let (content, mixed) = self.classify(c, self.content_end(c, se))?;
        Some((site, content, mixed))
    }

    pub(crate) fn verb_site(
        &self,
        c: usize,
        s: usize,
        sb: usize,
        se: usize,
        prev_speaker: Option<(usize, usize)>,
    ) -> Option<(Site, Content, bool)> {
        let ce = c + 1;
        let tell = self.wc(c).tell();
        // "“How many times ...?” Clinton said." / "“...!” said Caddell.": the quote ended its
        // own sentence, so the attribution is a sentence of its own right after it.
        if let Some(r) = self.quote_before_sentence(sb) {
            let speaker = if c == sb {
                self.np_forward(ce, se)
            } else {
                c.checked_sub(1)
                    .and_then(|j| self.np_back(j, sb))
                    .filter(|&(a, _, passive)| a == sb && !passive)
                    .map(|(a, b, _)| (a, b))
            };
            let rest_done = |from: usize| {
                (from..se).all(|k| !self.is_word(k) || self.quoted[k] != 0)
                    || self.is_punct(from, ",")
                    || self.is_punct(from, ".")
            };
            if let Some((a, b)) = speaker {
                let tail = if c == sb { b } else { ce };
                if (c == sb || b <= c) && rest_done(tail) && a <= c + 1 {
                    let site = self.site(s, c, ce, Some((a, b)))?;
                    return Some((site, Content::Region(r), true));
                }
            }
        }
        // Inverted: "“...,” said Caddell" / "..., says X."
        if c > sb && (self.is_punct(c - 1, ",") || self.is_mark(c - 1)) {
            let np = self
                .np_forward(ce, se)
                .map(|(a, e)| (a, self.pp_tail(e, se)))
                .filter(|&(_, e)| {
                    e >= se || self.is_mark(e) || self.toks.get(e).is_some_and(|t| t.kind == TokenKind::Punct)
                });
            if let Some(np) = np {
                if let Some((content, mixed)) = self.left_content(c, sb) {
                    let site = self.site(s, c, ce, Some(np))?;
                    return Some((site, content, mixed));
                }
            }
        }
        // "Trump unleashed a series of tweets early Friday saying ...", "Clinton spoke of
        // Tulsa, Oklahoma, arguing that ...": a participle cue with no auxiliary before it
        // reports for the sentence's subject (or the speaker before it in the sentence), not
        // for the noun it follows.
        let participle = c > sb && self.w(c).ends_with("ing") && !self.skippable(c - 1);
        // "X said" / "X, CEO of Y, warned" / "it has been claimed".
        if let Some((a, b, passive)) = c
            .checked_sub(1)
            .filter(|_| !participle)
            .and_then(|j| self.np_back(j, sb))
        {
            // "“...,” Clinton campaign spokesman Brian Fallon said": the title words between the
            // closing mark and the name belong to the speaker.
            let a = self.title_chain_back(a, sb).unwrap_or(a);
            let speaker = (!passive).then_some((a, b));
            let site = self.site(s, c, ce, speaker)?;
            let after_stop = ce >= se
                || self
                    .toks
                    .get(ce)
                    .is_some_and(|t| t.kind == TokenKind::Punct && !self.is_punct(ce, ":"))
                || (self.w(ce) != "that" && {
                    // "lawmakers said Friday afternoon, as they ...": the attribution ends at
                    // the comma unless a quotation or "that" follows it.
                    let (f, _) = self.content_start(ce, se, tell);
                    f >= self.trim(ce, se).1
                        || ((ce..f).any(|x| self.is_punct(x, ",")) && !self.is_mark(f) && self.w(f) != "that")
                });
            let after_quote = a > sb
                && (self.is_mark(a - 1) || (a >= 2 && self.is_punct(a - 1, ",") && self.is_mark(a - 2)));
            let intro = self.w(ce) == "that"
                || self.is_punct(ce, ":")
                || (self.is_punct(ce, ",")
                    && self.is_mark(ce + 1)
                    && self.quoted.get(ce + 1).is_some_and(|&q| q != 0));
            if a > sb && !intro && (after_stop || after_quote) {
                if let Some((content, mixed)) = self.left_content(a, sb) {
                    // Parenthetical "..., Ushakov said, the Kremlin sees ...": the hull.
                    let tail = self.content_start(ce, se, false).0;
                    let tail_clause = !matches!(content, Content::Region(_))
                        && !self.is_mark(a.saturating_sub(1))
                        && !self.is_mark(a.saturating_sub(2))
                        && !matches!(self.w(tail), "and" | "but" | "or" | "so" | "while" | "then");
                    if self.is_punct(ce, ",") && tail < se && tail_clause {
                        let (_, end) = self.trim(tail, se);
                        if end > tail {
                            let lead = match content {
                                Content::Region(r) => self.regions[r].open,
                                Content::Tokens(x, _) => x,
                            };
                            let (k, m) = self.classify(lead, end)?;
                            return Some((site, k, m));
                        }
                    }
                    return Some((site, content, mixed));
                }
            }
            let (start, introduced) = self.content_start(ce, se, tell);
            let (content, mixed) = self.classify(start, self.content_end(start, se))?;
            // Learned cues ("rejected", "called") report only when a clause or quote follows,
            // and a prepositional complement ("complained about", "referred to") is no report.
            if !self.reports(c, start, introduced, mixed) || (!mixed && !tell && self.preposition(start)) {
                return None;
            }
            return Some((site, content, mixed));
        }
        // "Experts on North Korea said ...": the whole clause-initial phrase is the speaker.
        if !participle
            && c > sb
            && c - sb <= 14
            && !self.is_sep(c - 1)
            && !matches!(self.w(c - 1), "and" | "but" | "while")
        {
            let clean = (sb..c).all(|x| self.quoted[x] == 0 && !self.wc(x).cue() && self.w(x) != "that");
            let mut b = c;
            while b > sb && self.is_word(b - 1) && self.skippable(b - 1) {
                b -= 1;
            }
            let (a, b) = self.trim(sb, b);
            let pronoun_led = self.wc(a).pronoun();
            if clean && b > a && !pronoun_led && (self.is_cap(a) || self.wc(a).determiner()) {
                let site = self.site(s, c, ce, Some((a, b)))?;
                let (start, introduced) = self.content_start(ce, se, tell);
                let (content, mixed) = self.classify(start, self.content_end(start, se))?;
                if !self.reports(c, start, introduced, mixed) || (!mixed && !tell && self.preposition(start))
                {
                    return None;
                }
                return Some((site, content, mixed));
            }
        }
        // "..., noting: “...”" / "and demanded he ...": the subject of the sentence speaks.
        let shared = participle
            || c > sb
                && (self.is_sep(c - 1) || matches!(self.w(c - 1), "and" | "but" | "while" | "by"))
                && (self.w(c).ends_with("ing")
                    || prev_speaker.is_some()
                    || matches!(self.w(c - 1), "and" | "but"));
        if shared {
            let speaker = prev_speaker.or_else(|| self.subject(sb, se, c));
            let site = self.site(s, c, ce, speaker)?;
            let (start, introduced) = self.content_start(ce, se, tell);
            let (content, mixed) = self.classify(start, self.content_end(start, se))?;
            if !self.reports(c, start, introduced, mixed) {
                return None;
            }
            return Some((site, content, mixed));
        }
        None
    }
}
