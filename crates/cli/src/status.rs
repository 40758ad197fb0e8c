//! `chronicle status`: what a store holds, its work queue (PostgreSQL), and the latest runs
//! of its run log (`ingest`, `enqueue`, `watch` cycles), the watched sources and the
//! watchlists' deliveries, each with its rejected inputs grouped by reason.

use std::path::Path;

use anyhow::{Context, Result};
use chronicle_pgstore::PgStore;
use chronicle_store::{Counts, RecordStore, RunLog, Store};

/// Runs `status` lists.
pub const RECENT_RUNS: u64 = 10;

/// Reasons shown per run (the most frequent; the run log keeps more).
const REASONS_SHOWN: usize = 3;

/// `status` of a PostgreSQL database: the queue and store lines (first, as scripts read
/// them), the workers holding claims, the queue's failures, then the latest runs.
pub fn postgres(url: &str) -> Result<String> {
    let mut store = PgStore::connect(url).context("status")?;
    let s = store.status()?;
    let c = store.counts()?;
    let mut out = format!(
        "queue: {} queued, {} running, {} done, {} failed\n{}",
        s.queued,
        s.running,
        s.done,
        s.failed,
        store_line(&c)
    );
    for (w, n, secs) in &s.workers {
        out.push_str(&format!("worker {w}: {n} claimed, lease ends in {secs:.0} s\n"));
    }
    for (reason, n) in &s.failures {
        out.push_str(&format!("failed ({n}): {reason}\n"));
    }
    out.push_str(&crate::watch_cmd::status_lines(&mut store)?);
    out.push_str(&runs(&store.runs(RECENT_RUNS)?));
    Ok(out)
}

/// `status` of a SQLite store (opened read-only; an older store is migrated first).
pub fn sqlite(path: &Path) -> Result<String> {
    let mut store = Store::open_reader(path)?;
    let mut out = store_line(&store.counts()?);
    out.push_str(&crate::watch_cmd::status_lines(&mut store)?);
    out.push_str(&runs(&store.runs(RECENT_RUNS)?));
    Ok(out)
}

fn store_line(c: &Counts) -> String {
    format!(
        "store: {} articles, {} entities, {} quotes, {} events\n",
        c.articles, c.entities, c.quotes, c.events
    )
}

/// The run log for a person: one line per run, newest first, and under it its most
/// frequent rejection reasons, each with a count and the origin of its first rejection.
pub fn runs(runs: &[RunLog]) -> String {
    if runs.is_empty() {
        return "runs: none recorded (ingest, enqueue and each watch cycle record theirs when they finish)\n"
            .into();
    }
    let mut out = format!("runs: the last {}, newest first\n", runs.len());
    for r in runs {
        let what = if r.command == "enqueue" {
            "queued"
        } else {
            "stored"
        };
        let took = match (
            chrono::DateTime::parse_from_rfc3339(&r.started),
            chrono::DateTime::parse_from_rfc3339(&r.finished),
        ) {
            (Ok(a), Ok(b)) => format!(" in {} s", (b - a).num_seconds().max(0)),
            _ => String::new(),
        };
        out.push_str(&format!(
            "  {} {}: {} article(s) {what}, {} input(s) rejected, exit {}{took}; {}\n",
            r.started,
            r.command,
            r.articles,
            r.rejected,
            r.exit_code,
            shorten(&r.inputs, 100)
        ));
        for why in r.reasons.iter().take(REASONS_SHOWN) {
            let example = why
                .examples
                .first()
                .map(|e| format!(" (e.g. {e})"))
                .unwrap_or_default();
            out.push_str(&format!("    rejected {}x: {}{example}\n", why.count, why.reason));
        }
        if r.reasons.len() > REASONS_SHOWN {
            out.push_str(&format!(
                "    ... and {} more reason(s)\n",
                r.reasons.len() - REASONS_SHOWN
            ));
        }
    }
    out
}

/// `s` cut to `max` characters, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_store::RunReason;

    #[test]
    fn a_run_shows_its_counts_and_top_reasons_with_an_example() {
        let r = RunLog {
            id: 3,
            command: "ingest".into(),
            started: "2025-12-03T10:00:00Z".into(),
            finished: "2025-12-03T10:01:05Z".into(),
            inputs: "a.jsonl".into(),
            articles: 12,
            rejected: 9,
            reasons: (1..=5)
                .rev()
                .map(|n| RunReason {
                    reason: format!("reason {n}"),
                    count: n,
                    examples: vec![format!("a.jsonl:{n}")],
                })
                .collect(),
            exit_code: 1,
        };
        let s = runs(&[r]);
        assert_eq!(
            s,
            "runs: the last 1, newest first\n  2025-12-03T10:00:00Z ingest: 12 article(s) stored, \
             9 input(s) rejected, exit 1 in 65 s; a.jsonl\n    rejected 5x: reason 5 (e.g. a.jsonl:5)\n    \
             rejected 4x: reason 4 (e.g. a.jsonl:4)\n    rejected 3x: reason 3 (e.g. a.jsonl:3)\n    \
             ... and 2 more reason(s)\n"
        );
        assert!(runs(&[]).starts_with("runs: none recorded"));
        assert_eq!(shorten("abcdef", 4), "abc…");
    }
}
