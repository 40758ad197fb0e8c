//! A record made ready for writing: serialised and fingerprinted once, on any thread,
//! whichever store then writes it.

use chronicle_record::Record;

use crate::{Result, StoreError};

/// FNV-1a over the text: a stable fingerprint (std's hasher may change between Rust
/// releases, and the value is stored).
pub fn text_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// What the store writes besides the record's own fields, computed from the record alone.
struct Serialised {
    json: String,
    hash: String,
    chars: i64,
}

impl Serialised {
    fn of(r: &Record) -> Result<Serialised> {
        Ok(Serialised {
            json: serde_json::to_string(r).map_err(|source| StoreError::Serialise {
                id: r.id.clone(),
                source,
            })?,
            hash: text_hash(&r.text),
            chars: r.text.chars().count() as i64,
        })
    }
}

/// A record made ready for [`RecordStore::put_prepared`](crate::RecordStore::put_prepared) on any thread.
pub struct Prepared {
    record: Record,
    serialised: Serialised,
}

impl Prepared {
    pub fn new(record: Record) -> Result<Prepared> {
        let serialised = Serialised::of(&record)?;
        Ok(Prepared { record, serialised })
    }

    pub fn record(&self) -> &Record {
        &self.record
    }

    /// The record as the store keeps it (contract JSON).
    pub fn json(&self) -> &str {
        &self.serialised.json
    }

    /// The text's fingerprint ([`text_hash`]), for spotting re-crawls under a new id.
    pub fn text_hash(&self) -> &str {
        &self.serialised.hash
    }

    /// The text's length in code points.
    pub fn chars(&self) -> i64 {
        self.serialised.chars
    }
}
