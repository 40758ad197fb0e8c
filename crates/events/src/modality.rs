//! Modality (denied > negated > claimed > hypothetical > future > historical > reported >
//! asserted) and the CAMEO conventions that change the code with it: refused cooperation
//! becomes REJECT (12x), announced acts intent (03x) or a threat (138).

use crate::arguments::clause_start;
use crate::sentence::{Sent, Trig};
use crate::words::List;
use chronicle_core::{Document, Modality, TokenKind};

/// The threat code for a conditionally announced act.
pub(crate) fn threat_code(code: &str) -> &'static str {
    match code.get(..2) {
        Some("18" | "19" | "20") => "138",
        Some("16") if code.starts_with("162") => "1311",
        Some("16") => "1313",
        Some("14" | "17") => "1312",
        _ => "130",
    }
}

/// CAMEO codes stated intent, not action, for announced cooperation and conflict: "will
/// provide aid" is 033 (intent to provide aid) and "will attack" 138 (threaten force).
pub(crate) fn future_code(code: &'static str) -> &'static str {
    match code {
        "061" => "0311",
        "062" => "0312",
        "071" => "0331",
        "072" => "0332",
        "073" => "0333",
        "074" => "0334",
        "0841" => "0353",
        "0871" | "0874" => "0356",
        c => match c.get(..2) {
            Some("04") => "036",
            Some("05") => "032",
            Some("06") => "031",
            Some("07") => "033",
            Some("08") => "035",
            Some("18" | "19" | "20") => "138",
            Some("16") => "1312",
            _ => c,
        },
    }
}

/// The REJECT code for a refused cooperative action (roots 03-08), `None` otherwise.
pub(crate) fn reject_code(code: &str) -> Option<&'static str> {
    match code.get(..2)? {
        "04" => Some("125"),
        "06" => Some("121"),
        "07" => Some("122"),
        "08" => Some("124"),
        "03" | "05" => Some("120"),
        _ => None,
    }
}

/// `neg`: whether negation cues count (off once a negation was folded into a REJECT code).
pub(crate) fn modality(doc: &Document, s: &Sent, trig: &Trig, neg: bool) -> Modality {
    let t = trig.t0;
    let before = |k: usize| (t.saturating_sub(k)..t).map(|j| s.w(j));
    // Denied: a denial or "not correct/true" before the trigger in the sentence.
    let mut denied = false;
    for j in 0..t {
        let w = s.w(j);
        if matches!(
            w,
            "denied" | "denies" | "deny" | "denying" | "refuted" | "refutes"
        ) {
            denied = true;
        }
        if matches!(w, "not" | "n't") || w.ends_with("n't") {
            let next: Vec<&str> = (j + 1..(j + 4).min(t)).map(|k| s.w(k)).collect();
            if next.iter().any(|x| matches!(*x, "correct" | "true" | "accurate")) {
                denied = true;
            }
        }
    }
    if denied {
        return Modality::Denied;
    }
    // Negation scope: the few words before the trigger, not across "and", a comma or a quote.
    let mut negated = false;
    for (k, j) in (t.saturating_sub(4)..t).rev().enumerate() {
        let w = s.w(j);
        if matches!(w, "and" | "," | "but" | "or")
            || s.toks
                .get(j)
                .is_some_and(|x| matches!(x.kind, TokenKind::Quote(_)))
        {
            break;
        }
        if matches!(w, "not" | "never" | "no" | "n't" | "cannot" | "neither" | "nor") || w.ends_with("n't") {
            negated = true;
        }
        if k < 3
            && matches!(
                w,
                "refused" | "refuses" | "refuse" | "refusing" | "declined" | "declines" | "failed" | "fails"
            )
        {
            negated = true;
        }
    }
    if negated && neg {
        return Modality::Negated;
    }
    let n = s.toks.len();
    let claimed = (0..n).any(|j| {
        let w = s.w(j);
        matches!(
            w,
            "reportedly" | "allegedly" | "purportedly" | "supposedly" | "ostensibly" | "rumoured"
        ) || (matches!(w, "claimed" | "claims" | "alleged")
            && (j > 0 && matches!(s.w(j - 1), "been" | "is" | "was" | "it") || s.w(j + 1) == "that"))
    });
    if claimed {
        return Modality::Claimed;
    }
    let clause = clause_start(s, t);
    if (clause.min(t)..t).any(|j| matches!(s.w(j), "if" | "unless"))
        || (0..t).any(|j| s.w(j) == "if" && j + 8 > t)
        || (t + 1..(t + 8).min(n)).any(|j| matches!(s.w(j), "if" | "unless"))
        || before(4).any(|w| matches!(w, "could" | "might" | "may" | "should"))
    {
        return Modality::Hypothetical;
    }
    let fut = before(4).any(|w| matches!(w, "will" | "'ll" | "would" | "shall"))
        || (1..t.min(6)).any(|k| {
            let j = t - k;
            s.w(j) == "to"
                && j > 0
                && matches!(
                    s.w(j - 1),
                    "due"
                        | "plans"
                        | "planned"
                        | "plan"
                        | "set"
                        | "expected"
                        | "going"
                        | "intends"
                        | "scheduled"
                        | "willing"
                        | "ready"
                        | "prepared"
                        | "committed"
                )
        });
    if fut {
        return Modality::Future;
    }
    let tstart = s.toks.get(t).map(|x| x.span.start).unwrap_or(0);
    if doc
        .quotes
        .iter()
        .any(|q| q.pieces().iter().any(|p| p.contains_pos(tstart)))
    {
        return Modality::Reported;
    }
    if (0..n).any(|j| j != t && List::Speech.has(s.w(j))) {
        return Modality::Reported;
    }
    Modality::Asserted
}

/// Year-month key of an ISO value ("2022" -> (2022, 0), "2025-11-30" -> (2025, 11)).
pub(crate) fn ym(v: &str) -> Option<(i32, u32)> {
    let y: i32 = v.get(..4)?.parse().ok()?;
    let m: u32 = v.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((y, m))
}

/// True when a timex value lies wholly before the publication month.
pub(crate) fn is_before_month(v: &str, published: Option<chronicle_core::NaiveDate>) -> bool {
    use chrono::Datelike;
    let Some(p) = published else { return false };
    let Some((y, m)) = ym(v) else { return false };
    let (py, pm) = (p.year(), p.month());
    if m == 0 {
        y < py
    } else {
        (y, m) < (py, pm)
    }
}

/// True when a day-precision timex value lies after the publication date. Only calendar
/// values count: "PRESENT_REF" (now) sorts after any date as a string, and read that way
/// turned "has now attacked" into a future threat.
pub(crate) fn is_future(v: &str, published: Option<chronicle_core::NaiveDate>) -> bool {
    let Some(p) = published else { return false };
    let Some(d) = v
        .get(..10)
        .and_then(|d| chronicle_core::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    else {
        return false;
    };
    d > p
}
