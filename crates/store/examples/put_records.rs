//! Stores contract records from a JSONL file into a fresh SQLite store, `copies` times
//! under new ids: a fixed workload for profiling the write path (`valgrind --tool=callgrind`
//! counts are stable where wall-clock timings on a shared machine are not).
//!
//! `cargo run --release -p chronicle-store --example put_records -- RECORDS.jsonl DB [COPIES]`

use chronicle_record::Record;
use chronicle_store::RecordStore;
use chronicle_store::{Prepared, Store};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(db)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: put_records RECORDS.jsonl DB [COPIES]");
        return ExitCode::from(2);
    };
    let copies: usize = args.get(3).and_then(|c| c.parse().ok()).unwrap_or(1);
    let text = match std::fs::read_to_string(input) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{input}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut base = Vec::new();
    for (i, line) in text.lines().enumerate() {
        match serde_json::from_str::<Record>(line) {
            Ok(r) => base.push(r),
            Err(e) => eprintln!("{input}:{}: {e}", i + 1),
        }
    }
    let records: Vec<Record> = (0..copies)
        .flat_map(|c| {
            base.iter().map(move |r| {
                let mut r = r.clone();
                r.id = format!("{}#{c}", r.id);
                r
            })
        })
        .collect();
    // Serialised first, as `chronicle ingest` does on its extraction threads.
    let prepared: Result<Vec<Prepared>, _> = records.into_iter().map(Prepared::new).collect();
    let start = std::time::Instant::now();
    let stored =
        prepared.and_then(|p| Store::open(std::path::Path::new(db)).and_then(|mut s| s.put_prepared(&p)));
    match stored {
        Ok(n) => {
            let secs = start.elapsed().as_secs_f64();
            println!("{n} records in {secs:.3} s ({:.0} records/s)", n as f64 / secs);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{db}: {e}");
            ExitCode::FAILURE
        }
    }
}
