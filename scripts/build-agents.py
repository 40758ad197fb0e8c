#!/usr/bin/env python3
"""Build crates/entities/data/agents.tsv: agent nouns -> CAMEO sector, from the PETRARCH
Phoenix agent dictionary (Phoenix.agents.txt, MIT, openeventdata/petrarch2 @ 676801c).

Only entries whose code is appended to an actor code ("[~GOV]", "[~GOVFRM]": the sector is
the first three letters) are kept; prepended codes ("[NGO~]") are skipped. Substitution sets
("!PERSON! = MAN, MEN, ...") are expanded, "_" joins words, plurals follow PETRARCH: regular
ones unless "{}" (none) or "{X}" (irregular). Phrases of at most three words, lower case; the
first code seen for a phrase wins. Output is sorted and deterministic.

Usage: python3 scripts/build-agents.py [/path/to/shared/eval/events/petrarch2-dictionaries]
"""
import os
import re
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/eval/events/petrarch2-dictionaries"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates", "entities", "data", "agents.tsv")


# CAMEO sector and religion codes (CAMEO manual ch. 3); anything else in the source (PPL, ...)
# is not a CAMEO sector and is skipped.
SECTORS = set("""GOV MIL REB OPP CRM BUS CVL JUD MED HLH COP LEG EDU UAF AGR MUS REL CHR SPY LAB
HIN ENV BUD REF PTY JEW NGO ELI HRI RAD IGO MNC SET IMG INS SEP""".split())
# Nouns the source lists as agents but news uses mostly for other things ("a Syrian
# settlement" is a peace deal).
AMBIGUOUS = {"settlement", "settlements"}


def plural(w):
    if w.endswith("man"):
        return w[:-3] + "men"
    if re.search(r"(s|x|ch|sh)$", w):
        return w + "es"
    if re.search(r"[^aeiou]y$", w):
        return w[:-1] + "ies"
    return w + "s"


def main():
    subs = {}
    out = {}
    path = os.path.join(SRC, "Phoenix.agents.txt")
    for raw in open(path, encoding="utf-8", errors="replace"):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("<!--"):
            continue
        m = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
        if m:
            subs[m.group(1)] = [x.strip() for x in m.group(2).split(",") if x.strip()]
            continue
        m = re.match(r"^(.*?)\s*(\{[^}]*\})?\s*\[([^\]]*)\]\s*$", line)
        if not m:
            continue
        phrase, plur, code = m.group(1).strip(), m.group(2), m.group(3).strip()
        if not code.startswith("~"):
            continue
        sector = code[1:4]
        if sector not in SECTORS:
            continue
        forms = [phrase]
        for key, vals in subs.items():
            if any(key in f for f in forms):
                forms = [f.replace(key, v) for f in forms for v in vals]
        for f in forms:
            words = [w for w in re.split(r"[_\s]+", f.lower()) if w]
            if not words or len(words) > 3 or any(not re.fullmatch(r"[a-z][a-z'.-]*", w) for w in words):
                continue
            base = " ".join(words)
            if base in AMBIGUOUS:
                continue
            out.setdefault(base, sector)
            if plur is None:
                out.setdefault(" ".join(words[:-1] + [plural(words[-1])]), sector)
            elif plur.strip("{} "):
                irr = plur.strip("{} ").lower().replace("_", " ")
                out.setdefault(irr, sector)
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write("# agent noun\tsector  (PETRARCH Phoenix.agents.txt, MIT; scripts/build-agents.py)\n")
        for k in sorted(out):
            fh.write(f"{k}\t{out[k]}\n")
    print(f"{len(out)} agent phrases -> {OUT}")


main()
