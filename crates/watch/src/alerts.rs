//! Watchlists: each new event matching a saved query is delivered once to each of its
//! channels: a line appended to a JSONL file, a JSON POST to a webhook.
//!
//! Matching moves the watchlist's cursor (the last event report number looked at) and
//! queues one delivery per (watchlist, channel, article, event) in the same transaction:
//! the unique key makes an event re-stored with its article (a new report number) no new
//! delivery. Delivering then works the queue:
//!
//! - **JSONL**: the line (with its `delivery_id`) is appended and flushed to disk before
//!   the delivery is marked; a delivery tried before and not marked (a crash between the
//!   two) is first looked for in the file, so it is never written twice.
//! - **Webhook**: POSTed with a `Chronicle-Delivery` header (the id receivers can
//!   de-duplicate on) and a timeout; anything but a 2xx answer is retried later with
//!   exponential backoff and reported. After one failure a webhook gets no more tries in
//!   the same pass, so a dead receiver costs one timeout a pass and delays nothing else.

use std::collections::HashSet;
use std::io::{BufRead, Write};
use std::time::Duration;

use crate::cycle::{backoff, rfc3339_in};
use chronicle_storeapi::{now_rfc3339, AnyError, Channel, Delivery, EventRow, RecordStore, WatchLedger};

/// Events matched per watchlist per pass at most (the rest in the next pass).
pub const MATCH_BATCH: u64 = 1000;

/// Deliveries worked per pass at most (the rest in the next pass).
pub const DELIVER_BATCH: u64 = 10_000;

/// What one delivery pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertReport {
    /// Deliveries queued by matching (new events x channels).
    pub queued: usize,
    pub delivered: usize,
    /// (watchlist, channel, reason) of deliveries that failed and wait for a retry.
    pub failed: Vec<(String, String, String)>,
    /// JSONL deliveries found already written after a crash (marked, not written again).
    pub recovered: usize,
}

/// Queues each watchlist's new matching events (see the module).
pub fn match_watchlists<S: WatchLedger + RecordStore>(store: &mut S) -> Result<usize, AnyError> {
    let mut queued = 0;
    for w in store.watchlists()? {
        let mut filter = match w.event_filter() {
            Ok(f) => f,
            // Checked when it was added; a hand-edited one is skipped, not fatal.
            Err(_) => continue,
        };
        loop {
            filter.after = Some(w.cursor.max(filter.after.unwrap_or(0)));
            filter.limit = Some(MATCH_BATCH);
            filter.offset = None;
            let rows = store.events(&filter)?;
            let Some(last) = rows.iter().map(|r| r.global_id).max() else {
                break;
            };
            let mut queue = Vec::new();
            for r in &rows {
                let payload = payload(&w.name, r);
                for (on, channel) in [
                    (w.jsonl.is_some(), Channel::Jsonl),
                    (w.webhook.is_some(), Channel::Webhook),
                ] {
                    if on {
                        queue.push((
                            channel,
                            r.article_id.clone(),
                            r.event_id.clone(),
                            r.global_id,
                            payload.clone(),
                        ));
                    }
                }
            }
            queued += store.queue_deliveries(&w.name, &queue, last, &now_rfc3339())?;
            filter.after = Some(last);
            if (rows.len() as u64) < MATCH_BATCH {
                break;
            }
        }
    }
    Ok(queued)
}

/// The JSON delivered for one event: the event row (with its evidence sentence and the
/// article URL) under the watchlist's name. `delivery_id` is added when it is sent.
fn payload(watchlist: &str, r: &EventRow) -> String {
    serde_json::json!({
        "watchlist": watchlist,
        "event": r,
        "evidence": r.sentence,
        "article_url": r.url,
    })
    .to_string()
}

fn with_id(d: &Delivery) -> String {
    match serde_json::from_str::<serde_json::Value>(&d.payload) {
        Ok(serde_json::Value::Object(mut m)) => {
            m.insert("delivery_id".into(), d.id.into());
            serde_json::Value::Object(m).to_string()
        }
        _ => d.payload.clone(),
    }
}

/// Delivers what is due (see the module); `timeout` bounds each webhook call, and a
/// webhook failing is retried after `retry` doubled per attempt (at most an hour).
pub fn deliver<S: WatchLedger>(
    store: &mut S,
    webhook_timeout: Duration,
    retry: Duration,
) -> Result<AlertReport, AnyError> {
    let mut report = AlertReport::default();
    let lists = store.watchlists()?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(webhook_timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let mut dead_hooks: HashSet<String> = HashSet::new();
    // A JSONL file's deliveries tried before: looked up in the file once per pass.
    let mut written: std::collections::HashMap<String, HashSet<i64>> = Default::default();
    // One look at the queue a pass: what fails waits for its retry time, what is skipped
    // (a webhook that failed earlier in the pass) for the next pass.
    let due = store.due_deliveries(&now_rfc3339(), DELIVER_BATCH)?;
    {
        for d in due {
            let Some(w) = lists.iter().find(|w| w.name == d.watchlist) else {
                continue;
            };
            let outcome: Result<(), String> = match d.channel {
                Channel::Jsonl => {
                    let Some(path) = w.jsonl.as_deref() else { continue };
                    if d.attempts > 0 {
                        let ids = match written.get(path) {
                            Some(ids) => ids,
                            None => {
                                let tried: HashSet<i64> = store
                                    .tried_deliveries(&w.name, Channel::Jsonl)?
                                    .into_iter()
                                    .collect();
                                written
                                    .entry(path.to_string())
                                    .or_insert(ids_in_file(path, &tried))
                            }
                        };
                        if ids.contains(&d.id) {
                            report.recovered += 1;
                            store.finish_delivery(d.id, Ok(()), &now_rfc3339())?;
                            report.delivered += 1;
                            continue;
                        }
                    }
                    append_line(path, &with_id(&d)).map_err(|e| format!("{path}: {e}"))
                }
                Channel::Webhook => {
                    let Some(hook) = w.webhook.as_deref() else {
                        continue;
                    };
                    if dead_hooks.contains(hook) {
                        continue;
                    }
                    let r = post(&agent, hook, d.id, &with_id(&d));
                    if r.is_err() {
                        dead_hooks.insert(hook.to_string());
                    }
                    r
                }
            };
            match outcome {
                Ok(()) => {
                    store.finish_delivery(d.id, Ok(()), &now_rfc3339())?;
                    report.delivered += 1;
                }
                Err(reason) => {
                    let at = rfc3339_in(backoff(retry, d.attempts + 1, Duration::from_secs(3600)));
                    store.finish_delivery(d.id, Err((reason.clone(), at)), &now_rfc3339())?;
                    report
                        .failed
                        .push((d.watchlist.clone(), d.channel.as_str().to_string(), reason));
                }
            }
        }
    }
    Ok(report)
}

/// Appends one line and flushes it to disk (the delivery is marked after this returns).
fn append_line(path: &str, line: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    let mut buf = Vec::with_capacity(line.len() + 1);
    buf.extend_from_slice(line.as_bytes());
    buf.push(b'\n');
    f.write_all(&buf)?;
    f.sync_data()
}

/// Which of `wanted` appear as a line's `delivery_id` in the file.
fn ids_in_file(path: &str, wanted: &HashSet<i64>) -> HashSet<i64> {
    let mut found = HashSet::new();
    if wanted.is_empty() {
        return found;
    }
    let Ok(f) = std::fs::File::open(path) else {
        return found;
    };
    for line in std::io::BufReader::new(f).lines().map_while(Result::ok) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
            if let Some(id) = v.get("delivery_id").and_then(|i| i.as_i64()) {
                if wanted.contains(&id) {
                    found.insert(id);
                }
            }
        }
    }
    found
}

fn post(agent: &ureq::Agent, url: &str, id: i64, body: &str) -> Result<(), String> {
    let resp = agent
        .post(url)
        .header("Content-Type", "application/json")
        .header("Chronicle-Delivery", id.to_string())
        .send(body)
        .map_err(|e| format!("{url}: {e}"))?;
    let status = resp.status().as_u16();
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(format!("{url}: HTTP {status}"))
    }
}
