#!/usr/bin/env python3
"""Learns the article-topic table of the events stage (crates/events/data/topic.tsv).

A multinomial naive Bayes model over lower-cased letter runs, deterministic (no sampling):

    python3 scripts/learn-topic.py [SHARED_CORPORA_DIR] [--out crates/events/data/topic.tsv]

Classes and their data (SHARED_CORPORA_DIR defaults to ../shared/corpora):
- business, entertainment, politics, sport, tech: the BBC News corpus
  (bbc_news_2225/bbc_news_2225.jsonl; the section is the id's middle part, bbc-<section>-NNN);
- world: hard news on war and diplomacy, the CNN Russia-Ukraine live-blog headlines
  (cnn_ukraine_live_headlines_2022_2023/cnn_ukraine_live_headlines.jsonl).
Only documents with an even number (bbc-sport-002, cnn-live-00004) are trained on; the odd
ones are held out and the script prints the held-out accuracy of the written table (read
back and scored exactly as the Rust side scores it). No evaluation set (../shared/eval) is read.

Tokens: maximal runs of alphabetic characters (Python str.isalpha, Rust char::is_alphabetic),
lower-cased, two letters or more: the same rule as `topic.rs` applies at run time.

Vocabulary: words seen in at least 3 training documents, the 4,000 with the highest mutual
information between "word occurs in the document" and the class. The table stores, per
word, its token count in each class's training documents (integers, so the file is small
and exact); the Rust side turns counts into Laplace-smoothed log probabilities (alpha 1)
and scores with uniform class priors (the mix of topics in a user's news is unknown).

The `against-force` row (written here, not learned) says which topics weigh against a
literal reading of force verbs: sport, entertainment, business, tech (1); politics and
world news do not (0).
"""
import json
import math
import os
import sys
from collections import Counter, defaultdict

CLASSES = ["business", "entertainment", "politics", "sport", "tech", "world"]
AGAINST_FORCE = {"business": 1, "entertainment": 1, "politics": 0, "sport": 1, "tech": 1, "world": 0}
MIN_DF = 3
VOCAB = 4000


def tokens(text):
    out, cur = [], []
    for ch in text.lower():
        if ch.isalpha():
            cur.append(ch)
        else:
            if len(cur) >= 2:
                out.append("".join(cur))
            cur = []
    if len(cur) >= 2:
        out.append("".join(cur))
    return out


def docs(corpora):
    """Yields (class, number, tokens) for every labelled document."""
    bbc = os.path.join(corpora, "bbc_news_2225", "bbc_news_2225.jsonl")
    with open(bbc, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            _, section, num = d["id"].split("-")
            text = (d.get("title") or "") + "\n" + d["text"]
            yield section, int(num), tokens(text)
    cnn = os.path.join(corpora, "cnn_ukraine_live_headlines_2022_2023", "cnn_ukraine_live_headlines.jsonl")
    with open(cnn, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            num = int(d["id"].rsplit("-", 1)[1])
            yield "world", num, tokens(d["text"])


def score(table, totals, toks):
    v = len(table)
    logs = [0.0] * len(CLASSES)
    for w in toks:
        counts = table.get(w)
        if counts is None:
            continue
        for i, c in enumerate(counts):
            logs[i] += math.log((c + 1) / (totals[i] + v))
    return max(range(len(CLASSES)), key=lambda i: (logs[i], -i))


def main():
    args = sys.argv[1:]
    out = "crates/events/data/topic.tsv"
    if "--out" in args:
        i = args.index("--out")
        out = args[i + 1]
        del args[i : i + 2]
    corpora = args[0] if args else "../shared/corpora"
    all_docs = list(docs(corpora))
    train = [(c, t) for c, n, t in all_docs if n % 2 == 0]
    held = [(c, t) for c, n, t in all_docs if n % 2 == 1]

    ndocs = Counter(c for c, _ in train)
    df = defaultdict(Counter)  # word -> class -> documents
    tf = defaultdict(Counter)  # word -> class -> tokens
    for c, toks in train:
        for w in toks:
            tf[w][c] += 1
        for w in set(toks):
            df[w][c] += 1
    n = len(train)

    def mi(w):
        total = 0.0
        dw = sum(df[w].values())
        for c in CLASSES:
            for present in (True, False):
                n_cw = df[w][c] if present else ndocs[c] - df[w][c]
                if n_cw == 0:
                    continue
                n_w = dw if present else n - dw
                total += n_cw / n * math.log(n_cw * n / (n_w * ndocs[c]))
        return total

    cands = [w for w in df if sum(df[w].values()) >= MIN_DF]
    cands.sort(key=lambda w: (-mi(w), w))
    vocab = sorted(cands[:VOCAB])
    table = {w: [tf[w][c] for c in CLASSES] for w in vocab}
    totals = [sum(table[w][i] for w in vocab) for i in range(len(CLASSES))]

    with open(out, "w", encoding="utf-8") as f:
        f.write("# Article-topic naive Bayes table of the events stage; written by scripts/learn-topic.py\n")
        f.write("# (see its docstring). Rows: classes, against-force (1 = the topic weighs against a\n")
        f.write("# literal reading of force verbs), then word <TAB> token count per class.\n")
        f.write("classes\t" + "\t".join(CLASSES) + "\n")
        f.write("against-force\t" + "\t".join(str(AGAINST_FORCE[c]) for c in CLASSES) + "\n")
        for w in vocab:
            f.write(w + "\t" + "\t".join(str(x) for x in table[w]) + "\n")

    # Held-out accuracy, per class and overall, of the table just written.
    right, per = 0, defaultdict(lambda: [0, 0])
    for c, toks in held:
        ok = CLASSES[score(table, totals, toks)] == c
        right += ok
        per[c][0] += ok
        per[c][1] += 1
    print(f"train {len(train)} docs, held out {len(held)}, vocabulary {len(vocab)} -> {out}")
    print(f"held-out accuracy {right / len(held):.4f}")
    for c in CLASSES:
        r, t = per[c]
        print(f"  {c:14} {r}/{t} = {r / t:.4f}")
    bbc = [(c, t) for c, t in held if c != "world"]
    rb = sum(CLASSES[score(table, totals, t)] == c for c, t in bbc)
    print(f"held-out accuracy, BBC only {rb / len(bbc):.4f}")


if __name__ == "__main__":
    main()
