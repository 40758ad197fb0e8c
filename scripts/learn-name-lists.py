#!/usr/bin/env python3
"""Learn word statistics for chronicle-entities from CoNLL-2003 train (IOB2 jsonl).

Writes derived count tables only (no sentences):
  crates/entities/data/ner-tokens.tsv    form, then counts O PER ORG LOC MISC for that exact
                                         token form
  crates/entities/data/ner-features.tsv  naive-Bayes feature counts over gold entity spans:
                                         w=<form> (every token), f=<first form>, l=<last form>,
                                         p=<previous word, lowercased>, n=<next word, lowercased>,
                                         s=<last 3 letters of last token, lowercased>, k=<n tokens>

Usage: python3 scripts/learn-name-lists.py /work/shared/eval/ner/conll2003-train.jsonl
"""
import collections
import json
import sys

TYPES = ["PER", "ORG", "LOC", "MISC"]


def spans(tags):
    out, start, typ = [], None, None
    for i, t in enumerate(tags + ["O"]):
        if start is not None and (t == "O" or t.startswith("B-") or t[2:] != typ):
            out.append((start, i, typ))
            start = None
        if t.startswith("B-") or (t.startswith("I-") and start is None):
            start, typ = i, t[2:]
    return out


def all_caps(tokens):
    letters = [t for t in tokens if any(c.isalpha() for c in t)]
    if len(letters) < 2:
        return False
    return sum(1 for t in letters if t.upper() == t) >= 0.8 * len(letters)


def main():
    src = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else "crates/entities/data"
    tok = collections.defaultdict(lambda: [0] * 5)
    feat = collections.defaultdict(lambda: [0] * 4)
    with open(src, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            toks, tags = r["tokens"], r["tags"]
            caps = all_caps(toks)
            # Headline words are kept under their upper-case form, so "TENNIS" (O in
            # headlines) and "NATO" (an acronym anywhere) each get their own counts.
            if True:
                for w, t in zip(toks, tags):
                    k = 0 if t == "O" else 1 + TYPES.index(t[2:])
                    tok[w][k] += 1
            for s, e, typ in spans(tags):
                k = TYPES.index(typ)
                fs = ["w=" + w for w in toks[s:e]]
                if not caps:
                    fs.append("f=" + toks[s])
                    fs.append("l=" + toks[e - 1])
                fs.append("p=" + (toks[s - 1].lower() if s > 0 else "<s>"))
                fs.append("n=" + (toks[e].lower() if e < len(toks) else "</s>"))
                fs.append("s=" + toks[e - 1].lower()[-3:])
                fs.append("k=" + str(min(e - s, 4)))
                for x in fs:
                    feat[x][k] += 1
    with open(f"{out}/ner-tokens.tsv", "w", encoding="utf-8") as f:
        f.write("# form\tO\tPER\tORG\tLOC\tMISC (learned from CoNLL-2003 train by scripts/learn-name-lists.py)\n")
        for w, c in sorted(tok.items()):
            if sum(c) >= 2 or sum(c[1:]) >= 1:
                f.write(w + "\t" + "\t".join(map(str, c)) + "\n")
    with open(f"{out}/ner-features.tsv", "w", encoding="utf-8") as f:
        f.write("# feature\tPER\tORG\tLOC\tMISC (learned from CoNLL-2003 train by scripts/learn-name-lists.py)\n")
        for w, c in sorted(feat.items()):
            if sum(c) >= 2 or w.startswith(("w=", "l=", "f=")):
                f.write(w + "\t" + "\t".join(map(str, c)) + "\n")


if __name__ == "__main__":
    main()
