"""The Python package against the CLI: the same record for the same article, byte for byte
after serialisation; the same events for the same filters; streaming in order on threads.

The CLI binary is $CHRONICLE_BIN, else the workspace's target/release or target/debug build.
Tests on the BBC corpus skip with a message when ../shared is absent.
"""

import csv
import io
import json
import os
import pathlib
import subprocess

import pytest

import chronicle

ROOT = pathlib.Path(__file__).resolve().parents[3]
SEED = ROOT / "crates" / "cli" / "fixtures" / "seed-peace-talks.jsonl"
SAMPLE = ROOT / "crates" / "cli" / "fixtures" / "sample-corpus.jsonl"
BBC = ROOT.parent / "shared" / "corpora" / "bbc_news_2225" / "bbc_news_2225.jsonl"


def cli_bin() -> str:
    env = os.environ.get("CHRONICLE_BIN")
    if env:
        return env
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "chronicle"
        if p.exists():
            return str(p)
    pytest.skip("no chronicle binary (build it, or set CHRONICLE_BIN)")


def cli(*args: str) -> str:
    out = subprocess.run([cli_bin(), *args], capture_output=True, text=True, check=False)
    assert out.returncode in (0, 1), out.stderr
    return out.stdout


def serialised(record) -> str:
    """A record as `chronicle extract` writes it: compact JSON, UTF-8 as is."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def lines(path: pathlib.Path, n=None):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(line)
            if n is not None and len(out) >= n:
                break
    return out


def test_extract_equals_the_cli_record_on_the_seed():
    want = cli("extract", "--quiet", str(SEED)).splitlines()
    article = json.loads(lines(SEED)[0])
    rec = chronicle.extract(
        article["text"],
        published=article.get("published"),
        url=article.get("url"),
        id=article["id"],
        title=article.get("title"),
        source=article.get("source"),
    )
    assert rec["events"], "the seed has events"
    # The dict path and the mapping path give the same record.
    assert serialised(next(chronicle.extract_many([article]))) == want[0]
    # Keyword arguments build the same input object as the JSONL line (minus its extra
    # fields, which the record carries through as given).
    extra = {k: v for k, v in article.items() if k not in ("text", "published", "url", "id", "title", "source")}
    if not extra:
        assert serialised(rec) == want[0]


def test_extract_many_keeps_order_and_equals_the_cli_on_the_sample():
    src = [json.loads(l) for l in lines(SAMPLE)]
    want = cli("extract", "--quiet", str(SAMPLE)).splitlines()
    got = [serialised(r) for r in chronicle.extract_many(src, threads=2, chunk=5)]
    assert got == want


@pytest.mark.skipif(not BBC.exists(), reason="../shared (the BBC corpus) is absent")
def test_extract_many_equals_the_cli_on_1000_bbc_articles(tmp_path):
    src = lines(BBC, 1000)
    f = tmp_path / "bbc1000.jsonl"
    f.write_text("".join(src), encoding="utf-8")
    want = cli("extract", "--quiet", str(f)).splitlines()
    got = [serialised(r) for r in chronicle.extract_many((json.loads(l) for l in src), threads=2)]
    assert len(got) == len(want) == 1000
    assert got == want


def test_text_html_and_errors():
    rec = chronicle.extract(
        html="<html><body><article><p>Russian forces shelled Kharkiv on Tuesday, officials said.</p></article></body></html>",
        published="2025-12-03",
    )
    assert "Kharkiv" in rec["text"]
    with pytest.raises(ValueError):
        chronicle.extract()
    with pytest.raises(chronicle.ExtractError):
        next(chronicle.extract_many([{"id": "x"}]))
    got = list(chronicle.extract_many([{"id": "x"}, "Kyiv said talks would resume."], errors="yield"))
    assert isinstance(got[0], chronicle.ExtractError) and isinstance(got[1], dict)
    assert len(list(chronicle.extract_many([{"id": "x"}, "text"], errors="skip"))) == 1


def test_the_stubs_keywords_are_the_filters_definition():
    """Store.events/quotes take the store's filter parameters (EVENT_FILTERS, from the
    one Rust definition the CLI's flags and the API's parameters also come from), and the
    type stubs list exactly those."""
    import ast

    stub = ast.parse((pathlib.Path(chronicle.__file__).parent / "__init__.pyi").read_text())
    store = next(n for n in stub.body if isinstance(n, ast.ClassDef) and n.name == "Store")
    kwargs = {
        f.name: [a.arg for a in f.args.kwonlyargs]
        for f in store.body
        if isinstance(f, ast.FunctionDef)
    }
    assert kwargs["events"] == list(chronicle.EVENT_FILTERS)
    assert kwargs["quotes"] == list(chronicle.QUOTE_FILTERS)
    assert "min_confidence" in chronicle.EVENT_FILTERS and "speaker" in chronicle.QUOTE_FILTERS


def test_store_events_equal_the_cli_csv_for_the_same_filters(tmp_path):
    db = tmp_path / "s.db"
    store = chronicle.Store(db)
    assert store.ingest(json.loads(l) for l in lines(SAMPLE)) == len(lines(SAMPLE))
    for filters, flags in [
        ({}, []),
        ({"place": "UKR"}, ["--place", "UKR"]),
        ({"cameo": "19", "min_confidence": 0.5}, ["--cameo", "19", "--min-confidence", "0.5"]),
        ({"actor": "RUS", "limit": 5}, ["--actor", "RUS", "--limit", "5"]),
    ]:
        out = cli("query", "--db", str(db), "events", "--format", "csv", *flags)
        rows = list(csv.reader(io.StringIO(out)))
        cols, mine = store.events_text(**filters)
        assert rows[0] == cols
        assert rows[1:] == mine, filters
        table = store.events(**filters)
        assert table.num_rows == len(mine)
        assert table.column_names == cols
    t = store.events(place="UKR")
    df = t.to_pandas()
    assert str(df["goldstein"].dtype) == "float64" and (df["country"] == "UKR").all()
    assert store.quotes(limit=3).num_rows == 3
    assert store.actors(limit=5).num_rows == 5
    assert store.articles(q="Kyiv", limit=3).num_rows >= 1
    with pytest.raises(ValueError, match="cameo"):
        store.events(cameo="99")
    with pytest.raises(ValueError, match="not an event filter"):
        store.events(colour="red")
    store.export("parquet", tmp_path / "e.parquet")
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "e.parquet").num_rows == store.events().num_rows


def _need(module: str):
    """Imports an optional module; skips without it, unless CI asks for it."""
    try:
        return __import__(module)
    except ImportError:
        if os.environ.get("CHRONICLE_REQUIRE_EXAMPLES") == "1":
            raise
        pytest.skip(f"{module} is not installed (pip install ./crates/python[examples])")


EXAMPLES = ROOT / "crates" / "python" / "examples"


def test_example_events_per_day_draws_a_png(tmp_path):
    _need("matplotlib")
    out = tmp_path / "events.png"
    import sys

    r = subprocess.run(
        [sys.executable, str(EXAMPLES / "events_per_day.py"), str(SAMPLE), str(out)],
        capture_output=True, text=True, check=False,
    )
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "24 articles" in r.stdout


def test_example_dask_extract_writes_parquet(tmp_path):
    _need("dask")
    import pyarrow.parquet as pq
    import sys

    out = tmp_path / "events.parquet"
    r = subprocess.run(
        [sys.executable, str(EXAMPLES / "dask_extract.py"), str(SAMPLE), str(out), "--partitions", "3"],
        capture_output=True, text=True, check=False,
    )
    assert r.returncode == 0, r.stderr
    table = pq.read_table(out)
    want = sum(len(rec["events"]) for rec in chronicle.extract_many(json.loads(l) for l in lines(SAMPLE)))
    assert table.num_rows == want > 0


def test_store_on_postgres_answers_as_the_cli_does():
    url = os.environ.get("CHRONICLE_TEST_PG")
    if not url:
        if os.environ.get("CHRONICLE_REQUIRE_PG") == "1":
            pytest.fail("CHRONICLE_REQUIRE_PG=1 but no CHRONICLE_TEST_PG")
        pytest.skip("no PostgreSQL test server (CHRONICLE_TEST_PG; scripts/pg-test-server.sh start)")
    import shutil

    if not shutil.which("psql"):
        pytest.skip("psql is not on PATH (needed to make a fresh database)")
    name = f"chronicle_py_{os.getpid()}"
    subprocess.run(["psql", url, "-q", "-c", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", url, "-q", "-c", f"CREATE DATABASE {name}"], check=True)
    db = url.rsplit("/", 1)[0] + "/" + name
    store = chronicle.Store(db)
    assert store.ingest(json.loads(l) for l in lines(SAMPLE)) == len(lines(SAMPLE))
    for filters, flags in [({}, []), ({"place": "UKR", "cameo": "19"}, ["--place", "UKR", "--cameo", "19"])]:
        out = cli("query", "--db", db, "events", "--format", "csv", *flags)
        rows = list(csv.reader(io.StringIO(out)))
        cols, mine = store.events_text(**filters)
        assert rows[0] == cols and rows[1:] == mine, filters
    assert store.events(place="UKR").num_rows > 0
    assert sum(1 for _ in store.records()) == len(lines(SAMPLE))
