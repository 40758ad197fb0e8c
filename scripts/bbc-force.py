#!/usr/bin/env python3
"""Force events (CAMEO roots 18-20) per article, per BBC section.

    target/release/chronicle extract ../shared/corpora/bbc_news_2225/bbc_news_2225.jsonl \
        > /tmp/bbc.jsonl
    python3 scripts/bbc-force.py /tmp/bbc.jsonl [--show SECTION] [--odd]

Reads `chronicle extract` records (JSONL) whose ids carry the section (bbc-<section>-NNN)
and prints, per section: articles, force events, force events per article. `--show
SECTION` also prints each force event of that section (id, code, confidence, sentence
excerpt) for inspection; `--odd` counts only odd-numbered articles (those the topic
table of scripts/learn-topic.py was not trained on).
"""
import json
import sys
from collections import Counter


def main():
    args = sys.argv[1:]
    show = None
    odd = "--odd" in args
    if odd:
        args.remove("--odd")
    if "--show" in args:
        i = args.index("--show")
        show = args[i + 1]
        del args[i : i + 2]
    path = args[0] if args else "/dev/stdin"
    arts, force = Counter(), Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            parts = r.get("id", "").split("-")
            if len(parts) != 3:
                continue
            section = parts[1]
            if odd and not (parts[2].isdigit() and int(parts[2]) % 2 == 1):
                continue
            arts[section] += 1
            text = r.get("text") or ""
            for e in r.get("events") or []:
                if e.get("root") in ("18", "19", "20"):
                    force[section] += 1
                    if section == show:
                        s0, s1 = e.get("sentence") or [0, 0]
                        sent = text[s0:s1].replace("\n", " ")[:160] if text else ""
                        conf = e.get("confidence")
                        print(f"  {r['id']}\t{e['cameo']}\t{conf}\t{e.get('modality')}\t{sent}")
    print("section\tarticles\tforce\tper_article")
    for s in sorted(arts):
        print(f"{s}\t{arts[s]}\t{force[s]}\t{force[s] / arts[s]:.4f}")


if __name__ == "__main__":
    main()
