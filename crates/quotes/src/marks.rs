//! Pass 1: quotation marks paired into quoted regions (straight and curly, nested,
//! across paragraphs), with diagnostics for the ones left open.

use super::*;

impl<'a> Ctx<'a> {
    /// Direction of a double mark spanning tokens `[i, j]` given the open quote's character.
    pub(crate) fn resolve_double(
        &self,
        i: usize,
        j: usize,
        mark: QuoteMark,
        opener: Option<char>,
    ) -> QuoteMark {
        let ch = self.raw(i).chars().next().unwrap_or('"');
        let next_spaced = self
            .toks
            .get(j + 1)
            .is_none_or(|t| t.space_before || !matches!(t.kind, TokenKind::Word));
        let space_before = self.toks.get(i).is_some_and(|t| t.space_before);
        match opener {
            None => match mark {
                QuoteMark::Close if space_before && !next_spaced => QuoteMark::Open,
                QuoteMark::Close => QuoteMark::Close,
                _ => QuoteMark::Open,
            },
            Some(op) => {
                if op == '„' && ch == '“' {
                    return QuoteMark::Close;
                }
                match mark {
                    QuoteMark::Open if ch != '„' && !space_before && next_spaced => QuoteMark::Close,
                    QuoteMark::Open => QuoteMark::Open,
                    _ => QuoteMark::Close,
                }
            }
        }
    }

    /// Registers the region between an opening mark at `open` (content from `first`) and a
    /// closing mark at `close` (owning tokens up to `end`), or up to `end` when never closed.
    pub(crate) fn push_region(&mut self, open: usize, first: usize, close: Option<usize>, end: usize) {
        let last = close.unwrap_or(end).max(first);
        let end = end.max(last).min(self.quoted.len());
        let words = (first..last)
            .filter(|&k| {
                self.toks
                    .get(k)
                    .is_some_and(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
            })
            .count() as u32;
        if words == 0 {
            return;
        }
        let id = self.regions.len() as u32 + 1;
        for q in self.quoted.get_mut(open..end).into_iter().flatten() {
            *q = id;
        }
        self.regions.push(Region {
            open,
            close,
            first,
            last,
            end,
            words,
        });
    }

    /// A quotation mark at token `i`: (direction, double, width in tokens). Two adjacent
    /// single marks (`''`, the NYT's typewriter style) count as one double mark.
    pub(crate) fn mark_at(&self, i: usize) -> Option<(QuoteMark, bool, usize)> {
        let t = self.toks.get(i)?;
        let TokenKind::Quote(m) = t.kind else { return None };
        if !t.double_quote {
            if let Some(n) = self.toks.get(i + 1) {
                if matches!(n.kind, TokenKind::Quote(_)) && !n.double_quote && !n.space_before {
                    let m = if t.space_before || i == 0 {
                        QuoteMark::Open
                    } else if self.toks.get(i + 2).is_none_or(|x| x.space_before) {
                        QuoteMark::Close
                    } else {
                        QuoteMark::Ambiguous
                    };
                    return Some((m, true, 2));
                }
            }
        }
        Some((m, t.double_quote, 1))
    }

    /// True for marks written with the straight typewriter characters.
    pub(crate) fn straight(&self, i: usize) -> bool {
        matches!(self.raw(i).chars().next(), Some('"' | '\''))
    }

    pub(crate) fn pair_marks(&mut self, diags: &mut Vec<Diag>) {
        let n = self.toks.len();
        // (token, character) of the open quote's mark, and the mark's width.
        let mut open: Option<(usize, char, usize)> = None;
        let mut depth = 0u32;
        let mut single: Option<usize> = None;
        let mut cur_para = NONE;
        let mut i = 0;
        while i < n {
            let p = self.tok_para[i];
            if p != cur_para {
                if let Some((o, _, ow)) = open {
                    // Multi-paragraph quote: the new paragraph's mark re-opens, not nests. Only
                    // a mark of the same family (straight or typographic) continues a quote.
                    let cont = self.mark_at(i).filter(|&(m, d, _)| {
                        d && m != QuoteMark::Close && self.straight(i) == self.straight(o)
                    });
                    if let Some((_, _, w)) = cont {
                        cur_para = p;
                        depth = 1;
                        i += w;
                        continue;
                    }
                    diags.push((
                        Severity::Warning,
                        "quotation mark never closed in its paragraph; quote runs to paragraph end".into(),
                        self.toks.get(o).map(|t| t.span),
                    ));
                    self.push_region(o, o + ow, None, i);
                    open = None;
                    depth = 0;
                }
                single = None;
                cur_para = p;
            }
            let Some((mark, double, w)) = self.mark_at(i) else {
                i += 1;
                continue;
            };
            if double {
                let dir = self.resolve_double(i, i + w - 1, mark, open.map(|o| o.1));
                match (dir, open) {
                    (QuoteMark::Close, None) => diags.push((
                        Severity::Info,
                        "closing quotation mark without an opening one".into(),
                        self.toks.get(i).map(|t| t.span),
                    )),
                    (QuoteMark::Close, Some((o, _, ow))) => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            self.push_region(o, o + ow, Some(i), i + w);
                            open = None;
                        }
                    }
                    (_, None) => {
                        open = Some((i, self.raw(i).chars().next().unwrap_or('"'), w));
                        depth = 1;
                        single = None;
                    }
                    // The same double mark opening a new sentence while its quote is open
                    // is not nesting: a flattened text lost the paragraph break of a quote
                    // that runs on (or the writer left the quote open). The open quote ends
                    // here and a new one begins, so one speaker's quote never runs on over
                    // the next speaker's words. Mid-sentence ("as a “basis for”") it nests.
                    (_, Some((o, och, ow)))
                        if depth == 1
                            && self.raw(i).starts_with(och)
                            && i.checked_sub(1)
                                .is_some_and(|p| matches!(self.raw(p), "." | "!" | "?")) =>
                    {
                        self.push_region(o, o + ow, None, i);
                        open = Some((i, och, w));
                    }
                    (_, Some(_)) => depth += 1,
                }
            } else if open.is_none() {
                // Single marks double as apostrophes: pair only a clear opener with a close
                // mark a few tokens on, in the same paragraph.
                let sb = self.toks.get(i).is_some_and(|t| t.space_before);
                let next_word = self.toks.get(i + 1).is_some_and(|t| !t.space_before);
                match (mark, single) {
                    (QuoteMark::Open, None) => single = Some(i),
                    (QuoteMark::Ambiguous, None) if sb && next_word => single = Some(i),
                    (QuoteMark::Close | QuoteMark::Ambiguous, Some(o)) if !sb => {
                        if i - o <= 40 {
                            self.push_region(o, o + 1, Some(i), i + 1);
                        }
                        single = None;
                    }
                    _ => {}
                }
            }
            i += w;
        }
        if let Some((o, _, ow)) = open {
            diags.push((
                Severity::Warning,
                "quotation mark never closed; quote runs to end of text".into(),
                self.toks.get(o).map(|t| t.span),
            ));
            self.push_region(o, o + ow, None, n);
        }
    }
}
