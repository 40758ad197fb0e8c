#!/usr/bin/env python3
"""Learn reporting-cue words from PolNeAR train (research data, never committed).

Writes crates/quotes/data/cues.tsv: `word<TAB>as_cue<TAB>total` where `as_cue` counts how often the
lower-cased word is (the head of) an annotated cue and `total` how often it occurs at all in the
training texts. The stage uses the ratio as a precision estimate. Only counts are committed.

usage: python3 scripts/learn-cues.py /work/shared/eval/quotes/polnear-train.jsonl \
           crates/quotes/data/cues.tsv
"""
import collections
import json
import re
import sys

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
SKIP = {"has", "have", "had", "also", "is", "was", "were", "are", "be", "been", "will", "would", "to",
        "not", "did", "does", "do", "he", "she", "they", "it", "the", "a", "an", "of", "in", "on", "that"}


def main(src, dst):
    cue = collections.Counter()
    total = collections.Counter()
    for line in open(src, encoding="utf-8"):
        d = json.loads(line)
        for w in WORD.findall(d["text"]):
            total[w.lower()] += 1
        for q in d["quotes"]:
            c = (q.get("cue") or "").lower()
            words = [w for w in WORD.findall(c) if w not in SKIP]
            if not words:
                continue
            # single-word cues count for the word; two-word cues ("according to") for the phrase head
            cue[words[0]] += 1
    rows = [(w, n, total[w]) for w, n in cue.items() if n >= 3 and total[w] > 0]
    rows.sort(key=lambda r: (-r[1], r[0]))
    with open(dst, "w", encoding="utf-8") as f:
        f.write("# word\tas_cue\ttotal  (learned from PolNeAR train by scripts/learn-cues.py)\n")
        for w, n, t in rows:
            f.write(f"{w}\t{n}\t{t}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
