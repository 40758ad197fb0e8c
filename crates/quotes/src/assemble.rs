//! Assembly: quotes from sites and regions, the parse and the learned tagger; direct
//! quotes attributed (dash, colon lead-in, narration), interrupted ones joined.

use super::*;

impl<'a> Ctx<'a> {
    pub(crate) fn extract(mut self) -> (Vec<Quote>, Vec<Diag>) {
        let mut diags = Vec::new();
        if self.toks.is_empty() || self.doc.sentences.is_empty() {
            if !self.doc.text().trim().is_empty() {
                diags.push((
                    Severity::Warning,
                    "no sentences or tokens: quotes not extracted".into(),
                    None,
                ));
            }
            return (Vec::new(), diags);
        }
        self.pair_marks(&mut diags);
        let mut found = Vec::new();
        self.find_sites(&mut found);

        let mentions = self.mention_index();
        let mut consumed = vec![false; self.regions.len()];
        let mut quotes: Vec<(Quote, usize)> = Vec::new(); // quote + paragraph
        let mut sites: Vec<Site> = Vec::with_capacity(found.len());
        for (site, content, mixed) in found {
            sites.push(site);
            let (span, kind, para) = match content {
                Content::Region(r) => {
                    let Some(reg) = self.regions.get(r) else { continue };
                    if consumed[r] {
                        continue;
                    }
                    consumed[r] = true;
                    let Some(sp) = self.region_span(reg) else {
                        continue;
                    };
                    (sp, QuoteKind::Direct, self.tok_para[reg.open] as usize)
                }
                Content::Tokens(a, b) => {
                    // Reported speech is a clause: "claimed human lives" or "said nothing"
                    // is a verb with an object, not a quote.
                    if !mixed && b.saturating_sub(a) < 4 && !self.w(a).eq_ignore_ascii_case("that") {
                        continue;
                    }
                    for k in a..b {
                        if let Some(q) = self.quoted.get(k).filter(|&&q| q != 0) {
                            consumed[*q as usize - 1] = true;
                        }
                    }
                    let (a, b) = self.with_marks(a, b);
                    let Some(sp) = self.span_of(a, b) else { continue };
                    let kind = if mixed {
                        QuoteKind::Mixed
                    } else {
                        QuoteKind::Indirect
                    };
                    (sp, kind, self.tok_para[a] as usize)
                }
            };
            let speaker_span = self.speaker_span(&site);
            let q = Quote {
                span,
                kind,
                speaker: speaker_span.and_then(|sp| resolve(self.doc, &mentions, sp)),
                speaker_span,
                cue: Some(site.cue),
                fragments: Vec::new(),
            };
            quotes.push((q, para));
        }

        // The last quote of each paragraph (by position), for quote-only paragraphs that follow.
        let mut last_in_para: Vec<Option<LastQuote>> = vec![
            None;
            self.doc.paragraphs.len().max(
                1 + self.tok_para.last().copied().unwrap_or(0) as usize
            )
        ];
        for (q, p) in &quotes {
            if let Some(slot) = last_in_para.get_mut(*p) {
                if slot.is_none_or(|(st, _, _)| st < q.span.start) {
                    *slot = Some((q.span.start, q.speaker_span, q.cue));
                }
            }
        }
        // Regions no cue claimed: direct quotes with a neighbouring speaker, or scare quotes.
        let mut by_start: Vec<usize> = (0..self.regions.len()).filter(|&r| !consumed[r]).collect();
        by_start.sort_by_key(|&r| self.regions[r].open);
        for r in by_start {
            let reg = self.regions[r].clone();
            let s0 = self.toks[reg.open].sentence;
            if s0 == NONE {
                continue;
            }
            let s0 = s0 as usize;
            let end = reg.end_tok();
            let s1 = self
                .sent_of(end.saturating_sub(1))
                .filter(|&x| x != NONE)
                .unwrap_or(s0 as u32) as usize;
            let (sb, _) = self.sent_bounds(s0);
            let (_, se1) = self.sent_bounds(s1);
            let before = (sb..reg.open).any(|k| self.is_word(k) && self.quoted[k] == 0);
            let after = (end..se1).any(|k| self.is_word(k) && self.quoted[k] == 0);
            if (before || after) && reg.words <= 3 {
                continue; // scare quote in narration
            }
            if reg.close.is_none() {
                continue; // never closed and no cue claimed it: diagnosed, not guessed
            }
            let Some(span) = self.region_span(&reg) else {
                continue;
            };
            let para = self.tok_para[reg.open] as usize;
            let site = self.neighbour_site(&sites, s0, s1, reg.open);
            // An attribution printed around the quote itself (dash, colon lead-in, "Name
            // verb") beats a cue site elsewhere in the sentence.
            let beside = self
                .dash_attribution(&reg)
                .map(|(sp, cue)| (Some(sp), cue))
                .or_else(|| self.colon_lead_in(reg.open))
                .or_else(|| self.name_verb_after(&reg, &mentions));
            let (speaker_span, cue) = match (beside, site) {
                (Some((sp, cue)), _) => (sp, Some(cue)),
                (None, Some(st)) => (self.speaker_span(&st), Some(st.cue)),
                (None, None) => {
                    // A paragraph that is only a quote continues the previous paragraph's speaker.
                    let para_start = self
                        .doc
                        .sentences
                        .get(s0)
                        .is_some_and(|x| x.tokens.0 as usize == reg.open)
                        && s0 > 0
                        && self
                            .doc
                            .sentences
                            .get(s0 - 1)
                            .is_some_and(|x| x.paragraph as usize + 1 == para);
                    match last_in_para
                        .get(para.wrapping_sub(1))
                        .copied()
                        .flatten()
                        .filter(|_| para_start)
                    {
                        Some((_, sp, cue)) => (sp, cue),
                        // No quote in the paragraph before: the person its last sentence
                        // is about ("Health Minister Jonas Lie visited the hospital.").
                        None if para_start => (self.narration_speaker(s0 - 1, &mentions), None),
                        None => (None, None),
                    }
                }
            };
            let q = Quote {
                span,
                kind: QuoteKind::Direct,
                speaker: speaker_span.and_then(|sp| resolve(self.doc, &mentions, sp)),
                speaker_span,
                cue,
                fragments: Vec::new(),
            };
            if let Some(slot) = last_in_para.get_mut(para) {
                if slot.is_none_or(|(st, _, _)| st < q.span.start) {
                    *slot = Some((q.span.start, q.speaker_span, q.cue));
                }
            }
            quotes.push((q, para));
        }
        if let Some(pm) = self.parse_model {
            self.cut_at_parse(&mut quotes);
            self.add_parsed(pm, &mentions, &mut quotes);
        }
        if let Some(model) = self.model {
            self.add_learned(model, &mentions, &mut quotes);
        }
        let mut out: Vec<Quote> = quotes.into_iter().map(|(q, _)| q).collect();
        out.sort_by_key(|q| (q.span.start, q.span.end));
        out.dedup_by(|a, b| a.span == b.span);
        (self.join_interrupted(out), diags)
    }

    /// Attributions read off the parse where no rule quote is: every candidate the learned
    /// scorer rates above its threshold, best first, none overlapping another.
    pub(crate) fn add_parsed(
        &self,
        model: &ParseAttributionModel,
        mentions: &[(Span, EntityId)],
        quotes: &mut Vec<(Quote, usize)>,
    ) {
        let mut taken: Vec<Span> = quotes.iter().flat_map(|(q, _)| q.pieces().to_vec()).collect();
        taken.sort_unstable();
        let quoted_before = self.quoted_prefix();
        let mut cands = Vec::new();
        let mut feats = Vec::new();
        let mut scored: Vec<(f32, parsed::Candidate, Span, bool)> = Vec::new();
        // A candidate's content lies inside its sentence, so what one sentence keeps never
        // meets another's: the kept spans are per sentence, ordered by start.
        let mut kept: std::collections::BTreeMap<u32, u32> = std::collections::BTreeMap::new();
        for s in 0..self.doc.sentences.len() {
            cands.clear();
            scored.clear();
            kept.clear();
            parsed::sentence_candidates(self.doc, s, &mut cands);
            for c in cands.drain(..) {
                let Some(sp) = self.candidate_span(&c) else {
                    continue;
                };
                if train::overlaps_any(&taken, sp) {
                    continue;
                }
                let mixed = quoted_before
                    .get(c.end)
                    .zip(quoted_before.get(c.first))
                    .is_some_and(|(e, f)| e > f);
                parsed::features(self.doc, &c, self.cue_score(c.cue), mixed, &mut feats);
                let score = model.score(&feats);
                if score > model.threshold {
                    scored.push((score, c, sp, mixed));
                }
            }
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            let mut cues_used: Vec<usize> = Vec::new();
            for (_, c, sp, mixed) in &scored {
                // One content per cue: "expressed satisfaction ... and support for ..." is
                // one attribution, not one per dependent.
                if cues_used.contains(&c.cue) {
                    continue;
                }
                // Kept spans never overlap, so only the last one starting before this end can.
                if kept
                    .range(..sp.end)
                    .next_back()
                    .is_some_and(|(_, &e)| e > sp.start)
                {
                    continue;
                }
                kept.insert(sp.start, sp.end);
                cues_used.push(c.cue);
                // No subject in the parse ("..., citing X" on a broken tree, a passive): the
                // speaker the rules read around the clause, if any.
                let speaker_span = c
                    .source
                    .and_then(|(a, b)| self.span_of(a, b))
                    .or_else(|| self.attribution_around(c.first, c.end).and_then(|(_, sp)| sp));
                // Who said it is the first question: an attribution whose source is no
                // plausible speaker (a name, pronoun, group or body) is not reported
                // (PolNeAR dev: overlap F1 -0.25, speaker accuracy +1.7 points).
                if !speaker_span.is_some_and(|x| self.plausible_source(x, mentions)) {
                    continue;
                }
                let cue_end = if self.doc.lower(c.cue) == "according" {
                    c.cue + 2
                } else {
                    c.cue + 1
                };
                let q = Quote {
                    span: *sp,
                    kind: if *mixed {
                        QuoteKind::Mixed
                    } else {
                        QuoteKind::Indirect
                    },
                    speaker: speaker_span.and_then(|x| resolve(self.doc, mentions, x)),
                    speaker_span,
                    cue: self.span_of(c.cue, cue_end.min(self.toks.len())),
                    fragments: Vec::new(),
                };
                quotes.push((q, self.tok_para.get(c.first).copied().unwrap_or(0) as usize));
            }
        }
    }

    /// `out[k]`: how many tokens before `k` are inside quotation marks (length n + 1), so
    /// whether a range holds a quote is one subtraction.
    pub(crate) fn quoted_prefix(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.quoted.len() + 1);
        let mut n = 0u32;
        out.push(0);
        for &q in &self.quoted {
            n += (q != 0) as u32;
            out.push(n);
        }
        out
    }

    /// A rule's reported clause cut where the parse ends the cue's complement before a
    /// comma: "found that action unconstitutional, his decision was overturned" reports
    /// only "that action unconstitutional". The rule's start stays (its span is better at
    /// the start on PolNeAR dev: taking the parse's whole span lost 0.8 F1; this cut gains
    /// 0.2).
    pub(crate) fn cut_at_parse(&self, quotes: &mut [(Quote, usize)]) {
        let mut cands = Vec::new();
        let mut last_sentence = usize::MAX;
        for (q, _) in quotes.iter_mut() {
            if q.kind != QuoteKind::Indirect {
                continue;
            }
            let Some(cue) = q.cue else { continue };
            let ct = self.toks.partition_point(|t| t.span.start < cue.start);
            let Some(s) = self
                .toks
                .get(ct)
                .filter(|t| t.span.start == cue.start)
                .map(|t| t.sentence as usize)
            else {
                continue;
            };
            if s != last_sentence {
                cands.clear();
                parsed::sentence_candidates(self.doc, s, &mut cands);
                last_sentence = s;
            }
            let Some(c) = cands.iter().find(|c| c.cue == ct && c.first > ct) else {
                continue;
            };
            let Some(sp) = self.span_of(c.first, c.end) else {
                continue;
            };
            if self.is_punct(c.end, ",")
                && sp.start >= q.span.start
                && sp.start <= q.span.start + 6
                && sp.end < q.span.end
            {
                q.span = Span::new(q.span.start, sp.end);
                q.fragments.clear();
            }
        }
    }

    /// The person a narration sentence is about: the subject of its main verb, when the
    /// parse gives one and it names a person entity.
    pub(crate) fn narration_speaker(&self, s: usize, mentions: &[(Span, EntityId)]) -> Option<Span> {
        let (_, (a, b)) = parsed::root_subject(self.doc, s)?;
        let sp = self.span_of(a, b)?;
        let id = resolve(self.doc, mentions, sp)?;
        let person = self
            .doc
            .entities
            .iter()
            .any(|e| e.id == id && e.kind == chronicle_core::EntityType::Per);
        person.then_some(sp)
    }

    /// A parse candidate's content span, without a dateline the sentence opens with
    /// ("ISTANBUL (Reuters) -" is the paper's, not the source's).
    pub(crate) fn candidate_span(&self, c: &parsed::Candidate) -> Option<Span> {
        let sb = self
            .sent_of(c.first)
            .map_or(c.first, |s| self.sent_bounds(s as usize).0);
        let first = if c.first == sb {
            self.skip_dateline(sb, c.end)
        } else {
            c.first
        };
        self.span_of(first, c.end)
    }

    /// The learned cue strength of the word at `i` (0: not a cue word).
    pub(crate) fn cue_score(&self, i: usize) -> u8 {
        self.cls.get(i).map_or(0, |c| c.score)
    }

    /// Reported clauses the learned tagger finds where no rule quote is: each kept only when
    /// a cue (and usually a speaker) can be read right around it.
    pub(crate) fn add_learned(
        &self,
        model: &AttributionModel,
        mentions: &[(Span, EntityId)],
        quotes: &mut Vec<(Quote, usize)>,
    ) {
        let mut taken: Vec<Span> = quotes.iter().flat_map(|(q, _)| q.pieces().to_vec()).collect();
        taken.sort_unstable();
        let covered = covered_sentences(self.doc, &taken);
        let covered = |s: usize| covered.get(s).copied().unwrap_or(true);
        for (a, b) in model.spans(self, covered) {
            // The tagger is better at where a report starts than where it ends: a clause
            // after its cue runs to the sentence end or the next report, as the rules read it.
            let b = match self.sent_of(a).filter(|&s| s != NONE) {
                Some(s) => {
                    let (_, se) = self.sent_bounds(s as usize);
                    self.content_end(a, se).max(b)
                }
                _ => b,
            };
            let (a, b) = self.trim(a, b);
            if b < a + MIN_LEARNED_TOKENS {
                continue;
            }
            let Some(sp) = self.span_of(a, b) else { continue };
            let lo = taken.partition_point(|t| t.end <= sp.start);
            if taken.get(lo).is_some_and(|t| t.start < sp.end) {
                continue;
            }
            // A clause nobody can be named for is not worth an unattributed quote, and a
            // "speaker" that is no source ("a convertible preferred ...") means no report.
            let Some((cue, Some(speaker))) = self.attribution_around(a, b) else {
                continue;
            };
            if !self.plausible_source(speaker, mentions) {
                continue;
            }
            let mixed = (a..b).any(|k| self.quoted.get(k).is_some_and(|&q| q != 0));
            // A short bare object ("rejected the plan on Tuesday") is an action the events
            // stage codes; a stance worth quoting is a clause or a longer phrase.
            let clause = matches!(
                self.w(a),
                "that"
                    | "to"
                    | "how"
                    | "what"
                    | "whether"
                    | "why"
                    | "if"
                    | "he"
                    | "she"
                    | "they"
                    | "it"
                    | "we"
                    | "i"
            );
            if !mixed && !clause && b < a + MIN_LEARNED_OBJECT_TOKENS {
                continue;
            }
            let (a2, b2) = self.with_marks(a, b);
            let Some(span) = self.span_of(a2, b2) else {
                continue;
            };
            let q = Quote {
                span,
                kind: if mixed {
                    QuoteKind::Mixed
                } else {
                    QuoteKind::Indirect
                },
                speaker: resolve(self.doc, mentions, speaker),
                speaker_span: Some(speaker),
                cue: Some(cue),
                fragments: Vec::new(),
            };
            let at = taken.partition_point(|t| *t < span);
            taken.insert(at, span);
            quotes.push((q, self.tok_para.get(a).copied().unwrap_or(0) as usize));
        }
    }

    /// A speaker span a learned clause may be attributed to: a named entity's mention, a
    /// personal pronoun, a plural group ("analysts", "two leaders") or a person or body noun
    /// ("the senator", "a spokesman", "the report").
    pub(crate) fn plausible_source(&self, sp: Span, mentions: &[(Span, EntityId)]) -> bool {
        if let Some(ante) = antecedent_span(self.doc, sp) {
            return self.plausible_source(ante, mentions);
        }
        if resolve(self.doc, mentions, sp).is_some() {
            return true;
        }
        let text = self.doc.slice(sp);
        let head = text.rsplit(' ').next().unwrap_or("").to_lowercase();
        if matches!(head.as_str(), "he" | "she" | "they" | "we" | "i" | "you") {
            return true;
        }
        if text.chars().next().is_some_and(char::is_uppercase)
            && text
                .split(' ')
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        {
            return true; // an unlinked proper name
        }
        (head.ends_with('s') && !head.ends_with("ss") && head.len() > 3) || self.lex.is_source_noun(&head)
    }

    /// The cue (and speaker) of a reported clause `[a, b)`: a cue word right before it
    /// ("vowed to ...", "praised ...", "called for ...", after "that" / a comma / a time
    /// word) with the subject before that, or right after it (", X said" / ", said X").
    pub(crate) fn attribution_around(&self, a: usize, b: usize) -> Option<(Span, Option<Span>)> {
        let s = self.sent_of(a)?;
        if s == NONE {
            return None;
        }
        let (sb, se) = self.sent_bounds(s as usize);
        // Adverbs ("consistently") sit beside reports without being their cue, and a function
        // word ("for", "about") is at most a cue's particle.
        let cueish = |k: usize| {
            self.is_word(k)
                && !self.is_cap(k)
                && !self.w(k).ends_with("ly")
                && !self.wc(k).function()
                && self.wc(k).score >= MIN_LEARNED_CUE
        };
        let mut j = a;
        let mut steps = 0;
        while j > sb && steps < 4 {
            let k = j - 1;
            let w = self.w(k);
            if w == "that" || self.is_punct(k, ",") || self.is_punct(k, ":") || self.wc(k).time() {
                j = k;
                steps += 1;
                continue;
            }
            break;
        }
        if j > sb {
            let mut c = j - 1;
            // "called for", "pointed to", "pointed out that": the cue is verb + particle.
            let particle = self.preposition(c) || matches!(self.w(c), "out" | "up" | "off");
            // A verb form right before "that" reports even when the cue table has not seen
            // it ("mentioned that", "speculated that"); "so that", "the fact that" do not.
            let verb_before_that = |k: usize| {
                self.w(j) == "that"
                    && self.is_word(k)
                    && !self.is_cap(k)
                    && (self.w(k).ends_with("ed") || self.w(k).ends_with('s'))
                    && !self.wc(k).function()
                    && !matches!(self.w(k), "is" | "was" | "has" | "does" | "needed" | "means")
            };
            if particle && c > sb && (cueish(c - 1) || verb_before_that(c - 1)) {
                c -= 1;
            } else if !(cueish(c) || verb_before_that(c)) {
                c = usize::MAX;
            }
            if c != usize::MAX {
                let mut v = c;
                while v > sb && self.wc(v - 1).aux() {
                    v -= 1;
                }
                // A noun phrase governed by a preposition ("countries of Asia seeking ...")
                // is not the subject of the cue.
                let speaker = v
                    .checked_sub(1)
                    .filter(|&x| x >= sb)
                    .and_then(|x| self.np_back(x, sb))
                    .filter(|x| !x.2)
                    .filter(|&(x, _, _)| {
                        x == sb
                            || !matches!(
                                self.w(x - 1),
                                "of" | "in" | "from" | "for" | "with" | "by" | "at" | "on"
                            )
                    })
                    .and_then(|(x, y, _)| self.span_of(x, y));
                return Some((self.span_of(c, j)?, speaker));
            }
        }
        // ", said X." / ", X said."
        let mut k = b;
        if self.is_punct(k, ",") {
            k += 1;
        }
        if k < se && cueish(k) {
            let speaker = self.np_forward(k + 1, se).and_then(|(x, y)| self.span_of(x, y));
            return Some((self.span_of(k, k + 1)?, speaker));
        }
        if let Some((x, y)) = self.np_forward(k, se) {
            let mut c = y;
            while c < se && self.wc(c).aux() {
                c += 1;
            }
            if c < se && cueish(c) {
                return Some((self.span_of(c, c + 1)?, self.span_of(x, y)));
            }
        }
        None
    }

    /// `“...” ― Francisco Herrero` / `"..." -Commissioner Starks`: a dash right after the
    /// closing mark (or after a period following it), then a capitalised name in the same
    /// paragraph. Returns the speaker span and the dash as cue.
    pub(crate) fn dash_attribution(&self, reg: &Region) -> Option<(Span, Span)> {
        reg.close?;
        let para = *self.tok_para.get(reg.open)?;
        let same_para = |k: usize| self.tok_para.get(k) == Some(&para);
        let mut k = reg.end;
        if self.is_punct(k, ".") || self.is_punct(k, ",") {
            k += 1;
        }
        let is_dash = |k: usize| {
            self.toks.get(k).is_some_and(|t| t.kind == TokenKind::Punct)
                && matches!(self.raw(k), "―" | "—" | "–" | "-" | "--" | "~")
        };
        if !same_para(k) || !is_dash(k) {
            return None;
        }
        let dash_start = k;
        while is_dash(k) && same_para(k) {
            k += 1;
        }
        let a = k;
        let mut b = a;
        while b < a + 8
            && same_para(b)
            && (self.is_cap(b)
                || (b > a
                    && matches!(
                        self.w(b),
                        "de" | "van" | "von" | "der" | "da" | "al" | "bin" | "la"
                    )))
        {
            b += 1;
        }
        if b == a {
            return None;
        }
        // A title alone ("- Reuters" is a credit, not a speaker) still names a source; keep it.
        Some((self.span_of(a, b)?, self.span_of(dash_start, k)?))
    }

    /// `“...,” Blige sings to Clinton`: a person named right after the closing mark, then a
    /// verb form the cue table does not know ("sings", "jokes", "scoffed"). Only a name the
    /// entities stage typed PER qualifies, so "“...” Trump supporters cheered" does not.
    pub(crate) fn name_verb_after(
        &self,
        reg: &Region,
        mentions: &[(Span, EntityId)],
    ) -> Option<(Option<Span>, Span)> {
        reg.close?;
        let para = *self.tok_para.get(reg.open)?;
        let a = reg.end;
        let mut b = a;
        while b < a + 4 && self.tok_para.get(b) == Some(&para) && self.is_cap(b) {
            b += 1;
        }
        if b == a || self.tok_para.get(b) != Some(&para) || !self.is_word(b) || self.is_cap(b) {
            return None;
        }
        let v = self.w(b);
        if !(v.ends_with('s') || v.ends_with("ed")) || v.ends_with("ss") || self.lex.is_function(v) {
            return None;
        }
        let sp = self.span_of(a, b)?;
        let person = resolve(self.doc, mentions, sp)
            .and_then(|id| self.doc.entity(id))
            .is_some_and(|e| e.kind == chronicle_core::EntityType::Per);
        if !person {
            return None;
        }
        Some((Some(sp), self.span_of(b, b + 1)?))
    }

    /// A quote right after a colon that closes its lead-in, in the same sentence or at the
    /// end of the previous paragraph: "Caddell continued:", "Said Ellis:", "McCaskill scolded
    /// him:". The lead-in's cue word (a known cue, else the verb after the subject) and its
    /// subject speak.
    pub(crate) fn colon_lead_in(&self, open: usize) -> Option<(Option<Span>, Span)> {
        self.colon_lead_in_rules(open).or_else(|| {
            // "The New York Times reports:" where the rules read no subject: the parse's
            // main verb and its subject.
            let k = open.checked_sub(1)?;
            if !self.is_punct(k, ":") || self.quoted.get(k).is_some_and(|&q| q != 0) {
                return None;
            }
            let s = self.sent_of(k).filter(|&s| s != NONE)? as usize;
            let (root, (a, b)) = parsed::root_subject(self.doc, s)?;
            (root < k).then_some((self.span_of(a, b), self.span_of(root, root + 1)?))
        })
    }

    pub(crate) fn colon_lead_in_rules(&self, open: usize) -> Option<(Option<Span>, Span)> {
        let k = open.checked_sub(1)?;
        if !self.is_punct(k, ":") || self.quoted.get(k).is_some_and(|&q| q != 0) {
            return None;
        }
        let s = self.sent_of(k)?;
        if s == NONE {
            return None;
        }
        let (sb, _) = self.sent_bounds(s as usize);
        if k <= sb || (sb..k).any(|x| self.is_mark(x)) {
            return None;
        }
        // "Said Ellis:" — inverted, sentence-initial.
        if self.w(sb) == "said" || self.w(sb) == "says" {
            let (a, b) = self.np_forward(sb + 1, k)?;
            return Some((self.span_of(a, b), self.span_of(sb, sb + 1)?));
        }
        let cue = (sb..k).rev().find(|&i| self.is_cue_at(i));
        let (a, b) = self.subject(sb, k, cue.unwrap_or(k))?;
        let c = match cue {
            Some(c) if c >= b => c,
            // No known cue: the word right after the subject, if it is a lower-case verb-like
            // word ("scolded", "continued").
            _ => {
                let mut c = b;
                while c < k && self.wc(c).aux() {
                    c += 1;
                }
                if !(self.is_word(c) && !self.is_cap(c) && !self.wc(c).function()) {
                    return None;
                }
                c
            }
        };
        Some((self.span_of(a, b), self.span_of(c, c + 1)?))
    }

    /// Whether cue `c` reports the content starting at `start`: always after "that" or a
    /// colon (`introduced`) or with quoted words (`mixed`); a hand-listed cue also before a
    /// bare clause ("said it was"); a learned one only before a clause with its own subject,
    /// or, when reliable, an infinitive ("vowed to bring back", "wants to triple"). With a
    /// bare object a learned cue is an action ("rejected the plan") that the events stage
    /// codes, not reported speech.
    pub(crate) fn reports(&self, c: usize, start: usize, introduced: bool, mixed: bool) -> bool {
        introduced
            || mixed
            || self.wc(c).core()
            || (self.wc(c).strong() && self.w(start) == "to")
            || self.clause_start(start)
    }

    /// The quotation region that ends right before sentence `sb` starts, in the same
    /// paragraph, when its closing mark follows a sentence end ("...?”", "...!”", "...”").
    pub(crate) fn quote_before_sentence(&self, sb: usize) -> Option<usize> {
        let k = sb.checked_sub(1)?;
        if !self.is_mark(k) || self.tok_para.get(k) != self.tok_para.get(sb) {
            return None;
        }
        let r = *self.quoted.get(k)?;
        if r == 0 {
            return None;
        }
        let reg = self.regions.get(r as usize - 1)?;
        (reg.end == sb && reg.close.is_some()).then_some(r as usize - 1)
    }

    /// A direct quote as printed: from its opening mark through its closing mark (an
    /// unclosed one ends with its last content token), as attribution corpora mark it.
    pub(crate) fn region_span(&self, reg: &Region) -> Option<Span> {
        match reg.close {
            Some(_) => self.span_of(reg.open, reg.end),
            None => self.span_of(reg.open, reg.last),
        }
    }

    /// Widens a reported clause `[a, b)` over quotation marks that open or close right at
    /// its edges, so a mixed quote ending in a quoted phrase keeps its closing mark.
    pub(crate) fn with_marks(&self, a: usize, b: usize) -> (usize, usize) {
        let region = |k: usize| {
            self.quoted
                .get(k)
                .filter(|&&q| q != 0)
                .and_then(|&q| self.regions.get(q as usize - 1))
        };
        let mut b2 = b;
        if let Some(reg) = region(b).filter(|r| r.close == Some(b) && r.open >= a) {
            b2 = reg.end.max(b);
        }
        let mut a2 = a;
        if a > 0 {
            if let Some(reg) = region(a - 1).filter(|r| r.first == a && r.close.is_some_and(|c| c < b2)) {
                a2 = reg.open;
            }
        }
        (a2, b2)
    }

    /// "“A,” said X. “B.”": direct quotes of one paragraph that share their cue and speaker,
    /// with the cue between them, are one utterance; they become one quote whose span is the
    /// hull and whose fragments are the pieces (PolNeAR's convention).
    pub(crate) fn join_interrupted(&self, quotes: Vec<Quote>) -> Vec<Quote> {
        let text_between = |a: u32, b: u32| self.doc.slice(Span::new(a, b.max(a)));
        let mut out: Vec<Quote> = Vec::with_capacity(quotes.len());
        for q in quotes {
            if let Some(prev) = out.last_mut() {
                let same_source = (prev.cue == q.cue && prev.speaker_span == q.speaker_span)
                    || (q.cue.is_none() && q.speaker_span.is_none());
                let joins = prev.kind == QuoteKind::Direct
                    && q.kind == QuoteKind::Direct
                    && prev.cue.is_some()
                    && same_source
                    && prev
                        .cue
                        .is_some_and(|c| c.start >= prev.span.end && c.end <= q.span.start)
                    && q.span.start >= prev.span.end
                    && q.span.start - prev.span.end <= MAX_INTERRUPTION
                    && !text_between(prev.span.end, q.span.start).contains('\n');
                if joins {
                    let mut pieces = prev.pieces().to_vec();
                    pieces.push(q.span);
                    prev.fragments = pieces;
                    prev.span = Span::new(prev.span.start, q.span.end);
                    continue;
                }
            }
            out.push(q);
        }
        out
    }

    /// The cue site that speaks a region with no cue of its own: one in the region's own
    /// sentences, else the previous sentence of the paragraph, else the next one. `sites` is
    /// in sentence order, so each lookup is a binary search.
    pub(crate) fn neighbour_site(&self, sites: &[Site], s0: usize, s1: usize, open: usize) -> Option<Site> {
        let para = self.doc.sentences.get(s0)?.paragraph;
        let same_para = |s: usize| self.doc.sentences.get(s).is_some_and(|x| x.paragraph == para);
        let in_sents = |lo: usize, hi: usize| {
            let a = sites.partition_point(|st| st.sentence < lo);
            let b = sites.partition_point(|st| st.sentence <= hi);
            sites.get(a..b).unwrap_or(&[])
        };
        let own = in_sents(s0, s1)
            .iter()
            .filter(|st| st.speaker.is_some())
            .min_by_key(|st| st.cue_tok.abs_diff(open));
        if own.is_some() {
            return own.copied();
        }
        if s0 > 0 && same_para(s0 - 1) {
            if let Some(st) = in_sents(s0 - 1, s0 - 1)
                .iter()
                .rev()
                .find(|st| st.speaker.is_some())
            {
                return Some(*st);
            }
        }
        if same_para(s1 + 1) {
            if let Some(st) = in_sents(s1 + 1, s1 + 1).iter().find(|st| st.speaker.is_some()) {
                return Some(*st);
            }
        }
        None
    }

    pub(crate) fn speaker_span(&self, st: &Site) -> Option<Span> {
        let (a, b) = st.speaker?;
        let sp = self.span_of(a, b)?;
        Some(Span::new(
            sp.start,
            sp.end.saturating_sub(st.speaker_trim).max(sp.start + 1),
        ))
    }

    /// Every entity mention, sorted by start, for speaker lookup by overlap.
    pub(crate) fn mention_index(&self) -> Vec<(Span, EntityId)> {
        let mut v: Vec<(Span, EntityId)> = self
            .doc
            .entities
            .iter()
            .flat_map(|e| e.mentions.iter().map(move |m| (m.span, e.id)))
            .collect();
        v.sort_by_key(|(s, _)| (s.start, s.end));
        v
    }
}
