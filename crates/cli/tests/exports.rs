//! Every export format re-read by the tools analysts load them into: pandas and DuckDB
//! (Python). The store holds the seed article and the bundled sample corpus; each file's
//! row and column counts must match what `chronicle query` says the store holds.
//!
//! Needs `python3` with pandas, pyarrow and duckdb; without them the test says so and
//! skips, unless `CHRONICLE_REQUIRE_PYTHON=1` (set by CI, which installs them).

use std::path::Path;
use std::process::Command;

fn chronicle(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(args)
        .output()
        .expect("binary runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "chronicle {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn python_has_tools() -> bool {
    Command::new("python3")
        .args(["-c", "import pandas, pyarrow, duckdb"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

const CHECK: &str = r#"
import json, sys
import duckdb, pandas as pd

d, n_mentions, n_events = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fail = []
def check(what, got, want):
    if got != want:
        fail.append(f"{what}: got {got}, want {want}")

# GDELT 2.0 Events: tab-separated, no header, 61 columns, one row per event.
g = pd.read_csv(f"{d}/events.tsv", sep="\t", header=None, dtype=str, keep_default_na=False, quoting=3)
check("gdelt shape (pandas)", g.shape, (n_events, 61))
check("gdelt GlobalEventID unique", g[0].nunique(), n_events)
gd = duckdb.sql(f"SELECT count(*), count(DISTINCT column00) FROM read_csv('{d}/events.tsv', delim='\t', header=false, quote='', all_varchar=true)").fetchall()[0]
check("gdelt rows (duckdb)", gd, (n_events, n_events))
check("gdelt QuadClass in 1..4", set(g[29]) <= {"1", "2", "3", "4"}, True)
check("gdelt Day (SQLDATE) never empty", bool(g[1].str.fullmatch(r"\d{8}").all()), True)

# GDELT 2.0 Mentions: 16 columns, one row per report, each naming an event above.
m = pd.read_csv(f"{d}/mentions.tsv", sep="\t", header=None, dtype=str, keep_default_na=False, quoting=3)
check("mentions shape", m.shape, (n_mentions, 16))
check("mentions point at events", set(m[0]) <= set(g[0]), True)
merged = duckdb.sql(f"""
    SELECT count(*) FROM read_csv('{d}/mentions.tsv', delim='\t', header=false, quote='', all_varchar=true) m
    JOIN read_csv('{d}/events.tsv', delim='\t', header=false, quote='', all_varchar=true) e ON m.column00 = e.column00
""").fetchall()[0][0]
check("mentions joined to events (duckdb)", merged, n_mentions)

# Parquet: typed columns, readable by both.
p = pd.read_parquet(f"{d}/events.parquet")
check("parquet rows (pandas)", len(p), n_mentions)
for col in ["global_event_id", "article_id", "cameo", "quad", "goldstein", "lat", "lon", "sentence", "num_mentions",
            "reporter_code", "reporter"]:
    check(f"parquet has {col}", col in p.columns, True)
check("parquet quad is integer", str(p["quad"].dtype), "int64")
check("parquet lat is float", str(p["lat"].dtype), "float64")
# Days are Parquet DATEs and the storing time a TIMESTAMP, not strings.
import pyarrow.parquet as pq
types = {f.name: str(f.type) for f in pq.read_schema(f"{d}/events.parquet")}
check("parquet published is a date", types.get("published"), "date32[day]")
check("parquet date is a date", types.get("date"), "date32[day]")
check("parquet date_iso keeps the ISO text", types.get("date_iso"), "string")
check("parquet ingested is a timestamp", types.get("ingested"), "timestamp[ms, tz=UTC]")
check("parquet published read as dates", p["published"].dropna().map(type).map(lambda t: t.__name__).unique().tolist(), ["date"])
check("parquet published filled", int(p["published"].notna().sum()) > 0, True)
dd = duckdb.sql(f"SELECT typeof(published), typeof(date), typeof(ingested) FROM '{d}/events.parquet' LIMIT 1").fetchall()[0]
check("parquet types (duckdb)", dd, ("DATE", "DATE", "TIMESTAMP WITH TIME ZONE"))
# A whole-day event date is the same day in both columns.
days = p.dropna(subset=["date"])
check("parquet date agrees with date_iso", all(str(a) == b for a, b in zip(days["date"], days["date_iso"])), True)
check("parquet events (pandas)", p["global_event_id"].nunique(), n_events)
dp = duckdb.sql(f"SELECT count(*), count(DISTINCT global_event_id) FROM '{d}/events.parquet'").fetchall()[0]
check("parquet (duckdb)", dp, (n_mentions, n_events))

# PLOVER/POLECAT JSON lines and flat CSV.
pl = pd.read_json(f"{d}/plover.jsonl", lines=True)
check("plover rows", len(pl), n_mentions)
check("plover has event_type", "event_type" in pl.columns, True)
check("plover has reporter_code", "reporter_code" in pl.columns, True)
c = pd.read_csv(f"{d}/events.csv")
check("csv rows (pandas)", len(c), n_mentions)
check("csv has reporter_code", "reporter_code" in c.columns, True)
dc = duckdb.sql(f"SELECT count(*) FROM read_csv('{d}/events.csv', header=true)").fetchall()[0][0]
check("csv rows (duckdb)", dc, n_mentions)

if fail:
    print("\n".join(fail))
    sys.exit(1)
print(f"ok: {n_events} events, {n_mentions} mentions re-read by pandas {pd.__version__} and duckdb {duckdb.__version__}")
"#;

#[test]
fn exports_are_re_read_by_pandas_and_duckdb() {
    if !python_has_tools() {
        if std::env::var("CHRONICLE_REQUIRE_PYTHON").as_deref() == Ok("1") {
            panic!("CHRONICLE_REQUIRE_PYTHON=1 but python3 with pandas, pyarrow and duckdb is missing");
        }
        eprintln!(
            "skipped: python3 with pandas, pyarrow and duckdb not found (pip install pandas pyarrow duckdb)"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let db = d.join("c.db");
    let db = db.to_str().expect("utf-8 path");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let (seed, sample) = (
        fixtures.join("seed-peace-talks.jsonl"),
        fixtures.join("sample-corpus.jsonl"),
    );
    chronicle(&[
        "ingest",
        "--quiet",
        "--db",
        db,
        seed.to_str().expect("path"),
        sample.to_str().expect("path"),
    ]);
    let mentions = chronicle(&["query", "--db", db, "events", "--format", "jsonl"])
        .lines()
        .count();
    let events = chronicle(&["query", "--db", db, "events", "--clustered", "--format", "jsonl"])
        .lines()
        .count();
    assert!(
        mentions > 50 && events > 0,
        "{mentions} mentions, {events} events"
    );
    for (format, file) in [
        ("gdelt", "events.tsv"),
        ("gdelt-mentions", "mentions.tsv"),
        ("parquet", "events.parquet"),
        ("plover", "plover.jsonl"),
        ("csv", "events.csv"),
    ] {
        let out = d.join(file);
        chronicle(&[
            "export",
            "--db",
            db,
            "--format",
            format,
            "--out",
            out.to_str().expect("path"),
        ]);
    }
    let out = Command::new("python3")
        .args([
            "-c",
            CHECK,
            d.to_str().expect("path"),
            &mentions.to_string(),
            &events.to_string(),
        ])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "pandas/duckdb re-read failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{}", String::from_utf8_lossy(&out.stdout).trim());
}
