"""Extraction inside Dask: a JSONL corpus split into partitions, each extracted with
`chronicle.extract_many` (Rust threads, the GIL released, so Dask's threaded scheduler
runs partitions truly in parallel), the events flattened into a Dask dataframe and written
to Parquet. The same map-over-partitions shape runs on Spark (`mapPartitions`) or Ray.

    python dask_extract.py CORPUS.jsonl OUT_DIR [--partitions 4] [--limit N]
"""

import argparse
import itertools
import json

import dask
import dask.bag as db
import pandas as pd

import chronicle

COLUMNS = {
    "article_id": "string",
    "published": "string",
    "event_id": "string",
    "date": "string",
    "cameo": "string",
    "quad": "int64",
    "goldstein": "float64",
    "plover": "string",
    "source_code": "string",
    "target_code": "string",
    "modality": "string",
    "country": "string",
    "lat": "float64",
    "lon": "float64",
    "confidence": "float64",
}


def events_of(record):
    for e in record["events"]:
        loc = e.get("location") or {}
        yield {
            "article_id": record["id"],
            "published": record.get("published"),
            "event_id": e["id"],
            "date": e.get("date"),
            "cameo": e["cameo"],
            "quad": e["quad"],
            "goldstein": e["goldstein"],
            "plover": (e.get("plover") or {}).get("type"),
            "source_code": (e.get("source") or {}).get("code"),
            "target_code": (e.get("target") or {}).get("code"),
            "modality": e.get("modality"),
            "country": loc.get("country"),
            "lat": loc.get("lat"),
            "lon": loc.get("lon"),
            "confidence": e.get("confidence"),
        }


def extract_partition(lines):
    articles = (json.loads(l) for l in lines if l.strip())
    return [row for rec in chronicle.extract_many(articles, threads=1) for row in events_of(rec)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--limit", type=int)
    a = ap.parse_args()
    with open(a.corpus, encoding="utf-8") as f:
        lines = list(itertools.islice((l for l in f if l.strip()), a.limit))
    bag = db.from_sequence(lines, npartitions=a.partitions)
    frame = bag.map_partitions(extract_partition).to_dataframe(meta=pd.DataFrame({c: pd.Series(dtype=t) for c, t in COLUMNS.items()}))
    with dask.config.set(scheduler="threads"):
        frame.to_parquet(a.out, write_index=False)
        n = len(dd_read(a.out))
    print(f"{len(lines)} articles in {a.partitions} partitions -> {n} events in {a.out}")


def dd_read(path):
    import dask.dataframe as dd

    return dd.read_parquet(path)


if __name__ == "__main__":
    main()
