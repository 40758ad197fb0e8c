#!/usr/bin/env python3
"""Per-record diff of the PETRARCH unit tests: gold vs predicted (source6, target3, code).

Usage: scripts/petrarch-diff.py GOLD.jsonl [--bin target/release/chronicle] [--category C]
       [--fails] [-- extra chronicle args, e.g. --verbs FILE]
Runs `chronicle extract` on the gold texts (same published date as `chronicle eval events`)
and prints, per record, PASS/FAIL with both triple lists, then pass counts by category.
The pass rule is the scorer's (crates/eval/src/events.rs): multiset equality.
"""
import argparse, collections, json, subprocess, sys


def key(code, n):
    code = (code or "").strip()
    if " " in code or '"' in code:
        return code.upper()
    return code.replace("*", "")[:n].upper()


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("--bin", default="target/release/chronicle")
    ap.add_argument("--category")
    ap.add_argument("--fails", action="store_true")
    a = ap.parse_args(argv)
    recs = []
    with open(a.gold) as f:
        for line in f:
            r = json.loads(line)
            if not r.get("valid", True) or r.get("expect") == "unspecified":
                continue
            recs.append(r)
    inp = "".join(
        json.dumps({"id": f"{k}", "text": r["text"], "published": r.get("date")}) + "\n"
        for k, r in enumerate(recs)
    )
    out = subprocess.run([a.bin, *extra, "extract", "--quiet", "-"], input=inp, capture_output=True,
                         text=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    pred = {}
    for line in out.stdout.splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        evs = []
        for e in rec.get("events", []):
            s = (e.get("source") or {}).get("code")
            t = (e.get("target") or {}).get("code")
            evs.append((key(s, 6), key(t, 3), (e.get("cameo") or "").strip()))
        pred[rec["id"]] = evs
    by = collections.defaultdict(lambda: [0, 0])
    for k, r in enumerate(recs):
        gold = [] if r.get("expect", "events") != "events" else [
            (key(e.get("source"), 6), key(e.get("target"), 3), e.get("code", "").strip())
            for e in r.get("events", [])]
        p = pred.get(str(k), [])
        ok = collections.Counter(gold) == collections.Counter(p)
        cat = r.get("category", "?")
        by[cat][0] += ok
        by[cat][1] += 1
        if a.category and cat != a.category:
            continue
        if a.fails and ok:
            continue
        print(f"{'PASS' if ok else 'FAIL'} {r['id']} [{r.get('expect')}] {r['text']}")
        print(f"   gold: {sorted(gold)}\n   pred: {sorted(p)}")
    tot = [sum(v[0] for v in by.values()), sum(v[1] for v in by.values())]
    for c, (p, n) in sorted(by.items()):
        print(f"{c:12} {p:3}/{n:3}")
    print(f"{'ALL':12} {tot[0]:3}/{tot[1]:3} = {tot[0] / max(tot[1], 1):.4f}")


if __name__ == "__main__":
    main()
