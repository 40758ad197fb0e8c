//! The writing side of `chronicle serve --write-token`: articles sent to
//! `POST /api/articles` go through the same reader checks and pipeline as `ingest`, and are
//! stored in one transaction.

use std::sync::Mutex;

use chronicle_ingest::{Item, Rejection};
use chronicle_pipeline::Engine;
use chronicle_server::{ArticleWriter, Rejected, Written};
use chronicle_store::{Prepared, RecordStore};

/// Extracts with one engine and writes to one store connection (writes take turns: one
/// writer at a time is what SQLite allows anyway).
pub struct PipelineWriter {
    engine: Engine,
    store: Mutex<Box<dyn RecordStore + Send>>,
}

impl PipelineWriter {
    pub fn new(engine: Engine, store: Box<dyn RecordStore + Send>) -> Self {
        PipelineWriter {
            engine,
            store: Mutex::new(store),
        }
    }
}

/// The items of a request body: a JSON array of article objects, one (possibly
/// pretty-printed) object, or JSON lines.
pub fn body_items(body: &[u8]) -> Vec<Item> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    let first = start.map(|i| body[i]);
    let mut items = Vec::new();
    if first == Some(b'[') {
        match serde_json::from_slice::<Vec<serde_json::Value>>(body) {
            Ok(values) => {
                for (i, v) in values.into_iter().enumerate() {
                    items.push(
                        Item::Line {
                            origin: format!("record {}", i + 1),
                            text: v.to_string(),
                        }
                        .parse(),
                    );
                }
            }
            Err(e) => items.push(Item::Rejected(Rejection {
                origin: "body".into(),
                reason: format!("not a JSON array of articles: {e}"),
            })),
        }
        return items;
    }
    if first == Some(b'{') {
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
            items.push(
                Item::Line {
                    origin: "record 1".into(),
                    text: v.to_string(),
                }
                .parse(),
            );
            return items;
        }
    }
    chronicle_ingest::read_jsonl(body, "body", &mut |item| items.push(item.parse()));
    items
}

impl ArticleWriter for PipelineWriter {
    fn write(&self, body: &[u8]) -> Result<Written, String> {
        let mut out = Written::default();
        let mut batch = Vec::new();
        for item in body_items(body) {
            match item {
                Item::Article(a) => {
                    let id = a.id.clone();
                    let processed =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.engine.process(*a).1));
                    match processed.map(Prepared::new) {
                        Ok(Ok(p)) => {
                            out.stored.push(id);
                            batch.push(p);
                        }
                        Ok(Err(e)) => out.rejected.push(Rejected {
                            record: id,
                            reason: e.to_string(),
                        }),
                        Err(_) => out.rejected.push(Rejected {
                            record: id,
                            reason: "internal pipeline error (a bug: please report it with this article)"
                                .into(),
                        }),
                    }
                }
                Item::Rejected(r) => out.rejected.push(Rejected {
                    record: r.origin,
                    reason: r.reason,
                }),
                Item::Note(_) | Item::Line { .. } => {}
            }
        }
        if !batch.is_empty() {
            let mut store = self
                .store
                .lock()
                .map_err(|_| "the store's lock is poisoned".to_string())?;
            store.put_prepared(&batch).map_err(|e| e.to_string())?;
        }
        Ok(out)
    }
}
