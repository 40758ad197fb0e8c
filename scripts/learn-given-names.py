#!/usr/bin/env python3
"""Learn the gender of given names from news corpora for pronoun resolution: within one
article, "Firstname Surname" followed elsewhere by "Mrs/Ms/Miss Surname" counts Firstname as
female, by "Mr Surname" as male. Writes crates/entities/data/given-names.tsv
(name, female count, male count) for names seen at least twice.

Usage: python3 scripts/learn-given-names.py /work/shared/corpora/*/*.jsonl
"""
import collections
import json
import re
import sys

FULL = re.compile(r"\b([A-Z][a-z]+) ((?:Mc|Mac|O')?[A-Z][a-z]+)\b")
HON = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.? ((?:Mc|Mac|O')?[A-Z][a-z]+)\b")


def main():
    fem = collections.Counter()
    male = collections.Counter()
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            for line in f:
                text = json.loads(line).get("text") or ""
                hon = {}
                for h, s in HON.findall(text):
                    hon.setdefault(s, set()).add("m" if h == "Mr" else "f")
                if not hon:
                    continue
                seen = set()
                for first, sur in FULL.findall(text):
                    g = hon.get(sur)
                    if not g or len(g) != 1 or (first, sur) in seen or first in ("Mr", "Mrs", "Ms", "Miss"):
                        continue
                    seen.add((first, sur))
                    (fem if "f" in g else male)[first] += 1
    names = sorted(set(fem) | set(male))
    with open("crates/entities/data/given-names.tsv", "w", encoding="utf-8") as f:
        f.write("# given name\tfemale\tmale (scripts/learn-given-names.py over news corpora)\n")
        for n in names:
            if fem[n] + male[n] >= 2:
                f.write(f"{n}\t{fem[n]}\t{male[n]}\n")


if __name__ == "__main__":
    main()
