#!/usr/bin/env python3
"""Learn the list of ordinary lower-case English words from the news corpora, so a
capitalised word at the start of a sentence ("Improvements in ...") is not taken for a
name. Writes crates/entities/data/common-lower.txt: one word per line, words seen in lower
case at least MIN times and in lower case more often than capitalised mid-sentence.

Usage: python3 scripts/learn-common-words.py /work/shared/corpora/*/*.jsonl
"""
import collections
import json
import re
import sys

MIN = 4
WORD = re.compile(r"[A-Za-z][a-z]+(?:-[a-z]+)*")


def main():
    lower = collections.Counter()
    cap_mid = collections.Counter()
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            for line in f:
                text = json.loads(line).get("text") or ""
                prev = "."
                for m in re.finditer(r"\S+", text):
                    tok = m.group(0)
                    w = WORD.match(tok.strip("\"'“‘(["))
                    if w:
                        word = w.group(0)
                        if word.islower():
                            lower[word] += 1
                        elif prev[-1:] not in ".!?:\"”" and word[0].isupper():
                            cap_mid[word.lower()] += 1
                    prev = tok
    words = sorted(w for w, n in lower.items() if n >= MIN and n > cap_mid[w])
    with open("crates/entities/data/common-lower.txt", "w", encoding="utf-8") as f:
        f.write("# lower-case words from news corpora (scripts/learn-common-words.py)\n")
        for w in words:
            f.write(w + "\n")
    print(len(words), "words")


if __name__ == "__main__":
    main()
