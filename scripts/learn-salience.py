#!/usr/bin/env python3
"""Learns how often news mentions each first-level region (its "salience"), for ranking
village namesakes: "Novokaterynivka" names a dozen Ukrainian villages of a few hundred
people each, and population cannot tell them apart, but the one in a region that is in the
news is the one a report means (geoparsers use Wikipedia link counts the same way).

How to run (reads the shared corpora, writes counts only):

    python3 scripts/learn-salience.py ../shared/corpora/*/*.jsonl

Counts, per (country, admin1), the mentions in the corpora's `text` of
  - the admin1's names and alternates (from crates/gazetteer/data/admin1.tsv), and
  - main-table cities of 15,000+ people whose name means one region only
    (crates/gazetteer/data/cities.tsv),
skipping names that are also countries, ordinary words, given names ("Vladimir",
"Michael": crates/entities/data/given-names.tsv), words CoNLL-2003 tags as other kinds of
names more than as places (crates/entities/data/ner-tokens.tsv), or shorter than four letters.
Writes crates/gazetteer/data/salience.tsv: iso3, admin1 name, mentions (>= 3 only).
"""

import json
import os
import re
import sys
from collections import Counter, defaultdict

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates", "gazetteer", "data")


def tsv(name):
    for line in open(os.path.join(DATA, name), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        yield line.rstrip("\n").split("\t")


def main():
    files = sys.argv[1:]
    if not files:
        sys.exit("usage: learn-salience.py CORPUS.jsonl...")
    iso2_to_iso3 = {}
    country_names = set()
    for f in tsv("countries.tsv"):
        iso2_to_iso3[f[0]] = f[1]
        country_names.add(f[2])
        country_names.update(a for a in f[3].split("|") if a)
    admin1_name = {}
    name_to = defaultdict(set)  # surface -> {(iso3, admin1 name)}
    for f in tsv("admin1.tsv"):
        iso3 = iso2_to_iso3.get(f[0])
        if not iso3:
            continue
        key = (iso3, f[2])
        admin1_name[(f[0], f[1])] = f[2]
        for n in [f[2]] + [a for a in f[3].split("|") if a]:
            name_to[n].add(key)
    city_to = defaultdict(set)
    for f in tsv("cities.tsv"):
        iso3 = iso2_to_iso3.get(f[2])
        a1 = admin1_name.get((f[2], f[3]))
        if not iso3 or not a1:
            continue
        big = int(f[8] or 0) >= 15000
        for n in [f[0]] + [a for a in f[1].split("|") if a]:
            # Every namesake counts towards ambiguity; only big ones are counted.
            city_to[n].add((iso3, a1) if big else None)
    for n, keys in city_to.items():
        if None not in keys:
            name_to[n].update(keys)

    ent = os.path.join(DATA, "..", "..", "entities", "data")
    not_place = set()
    for line in open(os.path.join(ent, "given-names.tsv"), encoding="utf-8"):
        if not line.startswith("#"):
            not_place.add(line.split("\t")[0])
    for line in open(os.path.join(ent, "ner-tokens.tsv"), encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if line.startswith("#") or len(f) < 6:
            continue
        o, per, org, loc, misc = (int(x) for x in f[1:6])
        if per + org + misc > loc:
            not_place.add(f[0])
    for n in list(name_to):
        if n in not_place:
            del name_to[n]

    texts = []
    for path in files:
        for line in open(path, encoding="utf-8"):
            try:
                texts.append(json.loads(line).get("text") or "")
            except json.JSONDecodeError:
                continue
    lower_words = Counter(w for t in texts for w in re.findall(r"\b[a-z]+\b", t))

    counts = Counter()
    cap = re.compile(r"\b[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,2}")
    for t in texts:
        for m in cap.finditer(t):
            words = m.group(0).split()
            # Longest match first, then its tail.
            i = 0
            while i < len(words):
                for j in range(len(words), i, -1):
                    n = " ".join(words[i:j])
                    keys = name_to.get(n)
                    if (keys and len(keys) == 1 and len(n) >= 4 and n not in country_names
                            and lower_words[n.lower()] < 5):
                        counts[next(iter(keys))] += 1
                        i = j - 1
                        break
                i += 1
    with open(os.path.join(DATA, "salience.tsv"), "w", encoding="utf-8") as out:
        out.write("#iso3\tadmin1\tmentions (learned by scripts/learn-salience.py from news corpora)\n")
        for (iso3, a1), c in sorted(counts.items()):
            if c >= 3:
                out.write(f"{iso3}\t{a1}\t{c}\n")
    print(len([c for c in counts.values() if c >= 3]), "regions;", counts.most_common(15), file=sys.stderr)


if __name__ == "__main__":
    main()
