"""extract_many on N threads beside `chronicle extract -j N` on the same articles, in one run
(issue 22's bar: within 10%). Articles: the first --limit of the BBC corpus in ../shared,
else the bundled sample corpus repeated.

    python crates/python/bench/throughput.py [--limit 1000] [--threads 2] [--repeats 3]
"""

import argparse
import json
import os
import pathlib
import subprocess
import tempfile
import time

import chronicle

ROOT = pathlib.Path(__file__).resolve().parents[3]
BBC = ROOT.parent / "shared" / "corpora" / "bbc_news_2225" / "bbc_news_2225.jsonl"
SAMPLE = ROOT / "crates" / "cli" / "fixtures" / "sample-corpus.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--bin", default=os.environ.get("CHRONICLE_BIN", str(ROOT / "target" / "release" / "chronicle")))
    a = ap.parse_args()
    src = BBC if BBC.exists() else SAMPLE
    lines = [l for l in open(src, encoding="utf-8") if l.strip()]
    while len(lines) < a.limit:
        lines += lines
    lines = lines[: a.limit]
    chars = sum(len(json.loads(l).get("text") or "") for l in lines)
    with tempfile.TemporaryDirectory() as d:
        f = pathlib.Path(d) / "in.jsonl"
        f.write_text("".join(lines), encoding="utf-8")
        articles = [json.loads(l) for l in lines]
        chronicle.extract("Warm-up: models load once per process.")
        cli_t, py_t = [], []
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            subprocess.run([a.bin, "extract", "--quiet", "-j", str(a.threads), str(f)], stdout=subprocess.DEVNULL, check=True)
            cli_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            n = sum(1 for _ in chronicle.extract_many(articles, threads=a.threads))
            py_t.append(time.perf_counter() - t0)
            assert n == len(articles)
    c, p = min(cli_t), min(py_t)
    print(f"{len(lines)} articles ({chars} chars) from {src.name}, {a.threads} threads, best of {a.repeats}")
    print(f"chronicle extract -j {a.threads}: {c:.2f} s ({chars / c:,.0f} chars/s)")
    print(f"extract_many(threads={a.threads}): {p:.2f} s ({chars / p:,.0f} chars/s)")
    print(f"extract_many / CLI throughput: {c / p:.3f}")


if __name__ == "__main__":
    main()
