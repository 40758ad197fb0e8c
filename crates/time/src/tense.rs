//! Which way a relative expression points: the clause tense read off the parse, the
//! word window around the expression, and resolving weekdays and yearless months with it.

use super::*;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    /// Latest occurrence on or before the DCT.
    Past,
    /// Latest occurrence strictly before the DCT ("last Friday").
    StrictPast,
    /// Next occurrence after the DCT.
    Future,
    /// Same ISO week ("this Friday").
    ThisWeek,
}

/// Which way a bare weekday points. The verb next to it decides first ("said Friday", "met
/// on Tuesday" look back; "will meet on Thursday", "due to meet ... Thursday" look ahead);
/// otherwise the sentence's tense does (news convention: past -> the last such day).
pub(crate) fn weekday_dir(w: &[W<'_>], at: usize, ctx: &Ctx) -> Dir {
    // The parse's clause tense, where it marks one, before any word window.
    if let Some(Some((fut, past))) = ctx.clause_tense.get(at) {
        if *fut {
            return Dir::Future;
        }
        if *past {
            return Dir::Past;
        }
    }
    let mut k = at;
    let mut seen = 0;
    while k > 0 && seen < 3 {
        k -= 1;
        let x = lw(w, k);
        if matches!(x, "on" | "late" | "early" | "since" | "by" | "until" | ",") {
            continue;
        }
        seen += 1;
        if matches!(x, "said" | "told" | "announced" | "reported") || is_past_marker(x) {
            return Dir::Past;
        }
        if is_future_marker(x, lw(w, k + 1)) {
            return Dir::Future;
        }
    }
    if local_tense(w, at, at + 1, ctx).0 {
        Dir::Future
    } else {
        Dir::Past
    }
}

/// (future, past) for an expression at tokens `[start, end)`: the nearest tense marker
/// within a few words either side speaks for its clause ("In September, it announced
/// plans to ..." is past though "plans to" looks ahead), else the sentence's tense.
pub(crate) fn local_tense(w: &[W<'_>], start: usize, end: usize, ctx: &Ctx) -> (bool, bool) {
    if let Some(Some(t)) = ctx.clause_tense.get(start) {
        if t.0 || t.1 {
            return *t;
        }
    }
    for d in 1..=LOCAL_TENSE_WORDS {
        let before = start.checked_sub(d);
        let after = end.checked_add(d - 1);
        for k in [before, after].into_iter().flatten() {
            let (x, next) = (lw(w, k), lw(w, k + 1));
            if matches!(x, ";" | ":" | "(" | ")") {
                continue;
            }
            if is_future_marker(x, next) {
                return (true, false);
            }
            if is_past_marker(x) || matches!(x, "said" | "told" | "announced" | "reported") {
                return (false, true);
            }
        }
    }
    (ctx.future, ctx.past)
}

/// For each token of sentence `si`, the (future, past) of the clause it belongs to: the
/// nearest clause head above it in the parse whose tense is marked (a finite verb or an
/// auxiliary or copula); future with a "will"/"shall" auxiliary, past when it or an
/// auxiliary is past tense or a perfect ("has fallen since April"). A non-finite verb
/// ("to close Monday", "arriving Tuesday") has no tense of its own and takes its
/// governor's, except that a to-infinitive under a present-tense governor or a bare
/// participle looks ahead: "is scheduled to close Monday" and "the talks, set to resume
/// Monday" are next Monday, "had been due to expire Friday" last Friday.
pub(crate) fn sentence_clause_tense(doc: &Document, si: usize) -> Vec<Option<(bool, bool)>> {
    use chronicle_core::{Deprel, Tense, Upos, VerbForm};
    let Some(sent) = doc.sentences.get(si) else {
        return Vec::new();
    };
    let (a, b) = (
        sent.tokens.0 as usize,
        (sent.tokens.1 as usize).min(doc.syntax.len()),
    );
    if a >= b {
        return Vec::new();
    }
    // Each clause head's dependents that mark tense, gathered in one pass.
    let mut aux: Vec<Vec<usize>> = vec![Vec::new(); b - a];
    let mut to_mark = vec![false; b - a];
    for k in a..b {
        let Some(t) = doc.syntax.get(k) else { continue };
        let Some(h) = t.head.map(|h| h as usize).filter(|h| (a..b).contains(h)) else {
            continue;
        };
        match t.rel.universal() {
            Deprel::Aux | Deprel::Cop => aux[h - a].push(k),
            Deprel::Mark if doc.lower(k) == "to" => to_mark[h - a] = true,
            _ => {}
        }
    }
    // (future, past) of a clause head, or None when nothing on it marks tense.
    let tense_of = |v: usize| -> Option<(bool, bool)> {
        let t = doc.syntax.get(v)?;
        let finite = t.feats.verb_form == Some(VerbForm::Fin);
        let mut marked = finite;
        let mut fut = false;
        let mut past = finite && t.feats.tense == Some(Tense::Past);
        for &k in aux.get(v - a).map_or(&[][..], |x| &x[..]) {
            let Some(x) = doc.syntax.get(k) else { continue };
            if x.feats.verb_form == Some(VerbForm::Fin) || doc.lemma(k) == "will" {
                marked = true;
            }
            match doc.lemma(k) {
                "will" | "shall" => fut = true,
                "have" => past = true,
                _ if x.feats.tense == Some(Tense::Past)
                    && doc.lower(k) != "would"
                    && doc.lower(k) != "could" =>
                {
                    past = true
                }
                _ => {}
            }
        }
        marked.then_some((fut, past && !fut))
    };
    let is_head = |k: usize| {
        doc.syntax.get(k).is_some_and(|t| {
            matches!(t.upos, Upos::Verb)
                || (t.upos == Upos::Aux && t.head.is_none())
                || aux.get(k - a).is_some_and(|x| !x.is_empty())
        })
    };
    (a..b)
        .map(|k| {
            let mut cur = k;
            let mut infinitive = false;
            let mut seen_head = false;
            for _ in 0..12 {
                let t = doc.syntax.get(cur)?;
                if is_head(cur) {
                    if let Some((fut, past)) = tense_of(cur) {
                        if infinitive && !fut && !past {
                            return Some((true, false));
                        }
                        return Some((fut, past));
                    }
                    // A to-infinitive under a reduced participle ("the talks, set to
                    // resume Monday") looks ahead.
                    if infinitive {
                        return Some((true, false));
                    }
                    // A non-finite head: remember a to-infinitive, and go on to its
                    // governor only through the relations that share its time.
                    infinitive |= to_mark.get(cur - a).copied().unwrap_or(false);
                    seen_head = true;
                    if !matches!(
                        t.rel.universal(),
                        Deprel::Xcomp | Deprel::Advcl | Deprel::Acl | Deprel::Ccomp | Deprel::Conj
                    ) {
                        return Some((false, false));
                    }
                }
                cur = match t.head {
                    Some(h) if (a..b).contains(&(h as usize)) => h as usize,
                    _ => return seen_head.then_some((false, false)),
                };
            }
            None
        })
        .collect()
}

/// How far [`local_tense`] looks for the clause's verb.
pub(crate) const LOCAL_TENSE_WORDS: usize = 4;

pub(crate) fn resolve_weekday(dct: NaiveDate, wd: u32, dir: Dir) -> Option<NaiveDate> {
    let cur = i64::from(dct.weekday().num_days_from_monday());
    let wd = i64::from(wd);
    let back = (cur - wd).rem_euclid(7);
    match dir {
        Dir::Past => add_days(dct, -back),
        Dir::StrictPast => add_days(dct, -if back == 0 { 7 } else { back }),
        Dir::Future => {
            let fwd = (wd - cur).rem_euclid(7);
            add_days(dct, if fwd == 0 { 7 } else { fwd })
        }
        Dir::ThisWeek => add_days(dct, wd - cur),
    }
}

/// Year for a month (and day) given without one: the next occurrence when the sentence looks
/// ahead, the last one when it is in the past tense, else the nearest.
pub(crate) fn infer_year(dct: NaiveDate, month: u32, day: Option<u32>, future: bool, past: bool) -> i32 {
    let y = dct.year();
    let here = (dct.month(), day.map(|_| dct.day()).unwrap_or(0));
    let key = (month, day.unwrap_or(0));
    if future {
        return if key < here { y + 1 } else { y };
    }
    // Months apart, signed: positive = later in the year than the DCT.
    let diff = month as i32 - dct.month() as i32;
    // In a past-tense sentence a month well ahead of the DCT is last year's, one shortly
    // ahead ("Nov. 6" in late October) still this year's; otherwise take the nearest.
    if past {
        if diff > 2 {
            y - 1
        } else {
            y
        }
    } else if diff > 6 {
        y - 1
    } else if diff < -6 {
        y + 1
    } else {
        y
    }
}
