"""Events per day by QuadClass, from a corpus to a PNG: extract a JSONL corpus into a store,
read its events as a pandas frame, count them per day and CAMEO quad class, and draw the
counts as stacked bars with matplotlib.

    python events_per_day.py CORPUS.jsonl OUT.png [--limit N] [--db FILE]
"""

import argparse
import itertools
import json
import os
import tempfile

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt
import pandas as pd

import chronicle

QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--db")
    a = ap.parse_args()
    db = a.db or os.path.join(tempfile.mkdtemp(), "chronicle.db")
    store = chronicle.Store(db)
    with open(a.corpus, encoding="utf-8") as f:
        articles = (json.loads(l) for l in f if l.strip())
        stored = store.ingest(itertools.islice(articles, a.limit))
    events = store.events().to_pandas()
    # An event's own date at day precision (dates at month or year precision are left out).
    events["day"] = pd.to_datetime(events["date"].where(events["date"].str.len() >= 10).str[:10], errors="coerce")
    dated = events.dropna(subset=["day"])
    counts = dated.pivot_table(index="day", columns="quad", values="event_id", aggfunc="count", fill_value=0)
    counts = counts.rename(columns=QUADS).sort_index()
    ax = counts.plot(kind="bar", stacked=True, figsize=(10, 4), width=0.9)
    ax.set_xticklabels([d.strftime("%Y-%m-%d") for d in counts.index], rotation=90, fontsize=6)
    ax.set_ylabel("events")
    ax.set_title(f"Events per day by QuadClass ({stored} articles, {len(dated)} dated events)")
    plt.tight_layout()
    plt.savefig(a.out, dpi=100)
    print(f"{stored} articles, {len(events)} events, {len(dated)} dated on {len(counts)} days -> {a.out}")


if __name__ == "__main__":
    main()
