#!/usr/bin/env bash
# Seed corpora for the fuzz targets (fuzz/fuzz_targets; see ARCHITECTURE.md, "Fuzzing").
#
#   scripts/fuzz-seeds.sh              seeds from ../shared (eval pages, corpora) into
#                                      fuzz/corpus-shared/<target>/ (git-ignored: licensed
#                                      data, never committed); skips without ../shared
#   scripts/fuzz-seeds.sh --committed  rewrites fuzz/seeds/<target>/ (committed) from the
#                                      project's own fixtures only: crates/cli/fixtures and
#                                      the seed article, wrapped in hand-written HTML, WARC,
#                                      RSS/Atom and JSON framing
#
# A seed's first bytes are what the target reads as its selector (see each target's header):
# readers: 1 byte (file kind), html: 1 byte (declared charset), time: 2 bytes (publication
# date), pipeline: 3 bytes (text/HTML, publication date).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "fuzz-seeds.sh needs python3"; exit 2; }

MODE=shared
[ "${1:-}" = "--committed" ] && MODE=committed
if [ "$MODE" = shared ] && [ ! -d ../shared ]; then
  echo "skipped: ../shared is absent (no extra seeds; the committed ones in fuzz/seeds remain)"
  exit 0
fi

MODE="$MODE" python3 - <<'PY'
import datetime, glob, gzip, hashlib, json, os, shutil

mode = os.environ["MODE"]
out_root = "fuzz/seeds" if mode == "committed" else "fuzz/corpus-shared"
TARGETS = ["jsonl", "readers", "html", "time", "pipeline"]
MAX = {"jsonl": 16384, "readers": 65536, "html": 65536, "time": 4096, "pipeline": 16384}
DCT0 = datetime.date(2025, 12, 3)

for t in TARGETS:
    shutil.rmtree(os.path.join(out_root, t), ignore_errors=True)
    os.makedirs(os.path.join(out_root, t))

count = {t: 0 for t in TARGETS}

def put(target, data, name=None):
    if isinstance(data, str):
        data = data.encode()
    data = data[: MAX[target]]
    name = name or hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(out_root, target, name), "wb") as f:
        f.write(data)
    count[target] += 1

def date_bytes(published):
    """The two bytes fuzz/src/lib.rs `date_from` reads as this day (None -> 0)."""
    if not published:
        return b"\0\0"
    try:
        d = datetime.date.fromisoformat(published[:10])
    except ValueError:
        return b"\0\0"
    v = 0x4000 + (d - DCT0).days
    if not 3 <= v <= 0x7FFF:
        return b"\0\0"
    return v.to_bytes(2, "little")

def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

def page(a, charset="utf-8"):
    paras = "".join(f"<p>{esc(p)}</p>\n" for p in a["text"].split("\n\n"))
    title = esc(a.get("title") or a["id"])
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">'
        f"<title>{title} | Chronicle sample</title>"
        f'<meta property="article:published_time" content="{a.get("published") or ""}">'
        f'<meta name="author" content="Staff"><link rel="canonical" href="https://example.org/{a["id"]}">'
        "<script>var x = '<p>not text</p>';</script><style>p{color:red}</style></head>"
        f'<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>'
        f"<article><h1>{title}</h1>\n{paras}</article>"
        "<footer><ul><li><a href='/a'>About</a></li><li>&copy; Example</li></ul></footer>"
        "</body></html>"
    )

def warc_record(kind, ct, body, uri, date="2024-03-05T10:00:00Z"):
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: {date}\r\n"
        f"WARC-Record-ID: <urn:uuid:{uri}>\r\nWARC-Target-URI: https://example.org/{uri}\r\n"
        f"Content-Type: {ct}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head + body + b"\r\n\r\n"

def http(ct, body, extra=""):
    return f"HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\n{extra}\r\n".encode() + body

def warc(articles):
    recs = [warc_record("warcinfo", "application/warc-fields", b"software: chronicle-seeds", "i"),
            warc_record("request", "application/http; msgtype=request", b"GET / HTTP/1.1\r\n\r\n", "q")]
    for i, a in enumerate(articles):
        body = page(a).encode()
        if i % 3 == 1:
            # chunked and gzipped transfer, as crawlers store them
            z = gzip.compress(body, mtime=0)
            chunked = b"%x\r\n" % len(z) + z + b"\r\n0\r\n\r\n"
            rec = http("text/html", chunked, "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n")
        elif i % 3 == 2:
            rec = http("text/html; charset=windows-1251", page(a, "windows-1251").encode("cp1251", "replace"))
        else:
            rec = http("text/html; charset=utf-8", body)
        recs.append(warc_record("response", "application/http; msgtype=response", rec, a["id"]))
    recs.append(warc_record("response", "application/http; msgtype=response", http("image/png", b"\x89PNG"), "png"))
    recs.append(warc_record("resource", "text/html", page(articles[0]).encode(), "res"))
    return b"".join(recs)

def rss(articles):
    items = "".join(
        f"<item><title>{esc(a.get('title') or a['id'])}</title><link>https://example.org/{a['id']}</link>"
        f"<guid>{a['id']}</guid><pubDate>{rfc822(a.get('published'))}</pubDate>"
        f"<description>{esc('<p>' + a['text'].split(chr(10))[0] + '</p>')}</description></item>\n"
        for a in articles)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Chronicle sample</title>\n{items}<item><title>Empty</title></item></channel></rss>'

def atom(articles):
    entries = "".join(
        f"<entry><id>urn:{a['id']}</id><title>{esc(a.get('title') or a['id'])}</title>"
        f"<updated>{(a.get('published') or '2025-12-03')[:10]}T10:00:00Z</updated>"
        f"<author><name>Staff</name></author><content type=\"text\">{esc(a['text'][:600])}</content></entry>\n"
        for a in articles)
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Chronicle sample</title>\n{entries}</feed>'

def rfc822(p):
    try:
        d = datetime.date.fromisoformat((p or "2025-12-03")[:10])
    except ValueError:
        d = DCT0
    return d.strftime("%a, %d %b %Y 10:00:00 GMT")

def chunks(lines, size):
    buf = []
    for l in lines:
        if sum(len(x) + 1 for x in buf) + len(l) + 1 > size and buf:
            yield "\n".join(buf) + "\n"
            buf = []
        buf.append(l)
    if buf:
        yield "\n".join(buf) + "\n"

def text_seeds(articles, per_target_limit):
    """time and pipeline seeds from articles with text."""
    for a in articles[:per_target_limit]:
        db = date_bytes(a.get("published"))
        text = a["text"]
        put("time", db + text.encode()[: MAX["time"] - 2])
        put("pipeline", b"\0" + db + text.encode())

if mode == "committed":
    def load(path):
        with open(path, encoding="utf-8") as f:
            return [json.loads(l) for l in f if l.strip()]
    seed = load("crates/cli/fixtures/seed-peace-talks.jsonl")
    sample = load("crates/cli/fixtures/sample-corpus.jsonl")
    arts = seed + sample
    seed_lines = open("crates/cli/fixtures/seed-peace-talks.jsonl", encoding="utf-8").read().splitlines()
    sample_lines = open("crates/cli/fixtures/sample-corpus.jsonl", encoding="utf-8").read().splitlines()
    # jsonl: the fixtures in pieces under the size limit, plus the reader's edge cases
    for i, c in enumerate(chunks(seed_lines + sample_lines, 8192)):
        put("jsonl", c, f"fixture-{i:02}")
    put("jsonl", "\ufeff" + seed_lines[0] + "\r\n\r\n" + '{"id":"b","text":"x"}' + "\n{broken\n" +
        '{"id":7,"html":"<p>Hi.</p>","published":"2025-12-03T10:00:00+02:00","tags":["a",1]}' + "\n" +
        '{"text":"\\u00ff\\ud83d\\ude00","published":"2025/12/03","title":null}' + "\n" + '{"id":"x"}\n[1]\n"s"\n{"text":1}\n', "edge-cases")
    # readers: one seed per format
    R = {n: i for i, n in enumerate(["in.jsonl", "in.jsonl.gz", "in.json", "in.txt", "in.html",
                                      "in.warc", "in.warc.gz", "in.xml", "in"])}
    gz_here = 0x10
    put("readers", bytes([R["in.jsonl"]]) + "\n".join(seed_lines + sample_lines[:3]).encode(), "jsonl")
    put("readers", bytes([R["in.jsonl.gz"] | gz_here]) + "\n".join(sample_lines[3:8]).encode(), "jsonl-gz-here")
    put("readers", bytes([R["in.jsonl.gz"]]) + gzip.compress("\n".join(sample_lines[8:10]).encode(), mtime=0), "jsonl-gz-raw")
    put("readers", bytes([R["in.json"]]) + json.dumps(seed[0], indent=2, ensure_ascii=False).encode(), "json")
    put("readers", bytes([R["in.json"]]) + json.dumps(sample[:4]).encode(), "json-array")
    put("readers", bytes([R["in.txt"]]) + seed[0]["text"].encode(), "txt")
    put("readers", bytes([R["in.html"]]) + page(seed[0]).encode(), "html")
    put("readers", bytes([R["in.html"]]) + page(sample[0], "windows-1251").encode("cp1251", "replace"), "html-1251")
    put("readers", bytes([R["in.warc"]]) + warc(sample[:4]), "warc")
    put("readers", bytes([R["in.warc.gz"] | gz_here]) + warc(sample[4:7]), "warc-gz-here")
    put("readers", bytes([R["in.warc.gz"]]) + b"".join(gzip.compress(r, mtime=0) for r in [warc(sample[7:9])]), "warc-gz-raw")
    put("readers", bytes([R["in.xml"]]) + rss(sample[:6]).encode(), "rss")
    put("readers", bytes([R["in.xml"]]) + atom(sample[6:10]).encode(), "atom")
    put("readers", bytes([R["in"]]) + rss(sample[10:12]).encode(), "sniff-rss")
    put("readers", bytes([R["in"]]) + page(sample[12]).encode(), "sniff-html")
    put("readers", bytes([R["in"]]) + "\n".join(sample_lines[13:15]).encode(), "sniff-jsonl")
    # html: pages around fixture text, in several charsets and shapes
    put("html", b"\0" + page(seed[0]).encode(), "seed-page")
    put("html", b"\x03" + page(sample[1], "windows-1251").encode("cp1251", "replace"), "cp1251-declared")
    put("html", b"\0" + b"\xef\xbb\xbf" + page(sample[2]).encode(), "bom")
    put("html", b"\0" + "<html><body>".encode() + "".join(
        f"<div class='c'><span>{esc(p)}</span><br><br></div>" for p in sample[3]["text"].split("\n\n")).encode() +
        b"<div>" * 600 + b"</div>" * 600 + b"</body></html>", "deep-divs")
    put("html", b"\0" + ("<p>" + esc(sample[4]["text"]) + "</p>").encode(), "fragment")
    put("html", b"\x04" + page(sample[5], "shift_jis").encode(), "sjis-declared")
    # time and pipeline: the fixtures' texts with their dates
    text_seeds(arts, 100)
    put("pipeline", b"\x01" + date_bytes(seed[0]["published"]) + page(seed[0]).encode(), "seed-html")
    put("pipeline", b"\x01\0\0" + page(sample[0]).encode(), "html-undated")
    put("time", b"\0\0" + seed[0]["text"].encode()[:4000], "seed-undated")
    put("time", b"\x01\0" + b"On 31 December 9999 and a day later, the year 1 and a year earlier, Q4 and week 53.", "edges")
else:
    # ../shared: evaluation pages and corpus articles (licensed: never committed)
    pages = sorted(glob.glob("../shared/eval/html/*/raw/**/*.html.gz", recursive=True))
    pages = [p for p in pages if not p.endswith("expected.html.gz")]
    for p in pages:
        b = gzip.open(p).read()
        put("html", b"\0" + b)
        put("readers", bytes([4]) + b)
    for p in pages[:40]:
        b = gzip.open(p).read()
        put("pipeline", b"\x01\0\x40" + b)
    arts = []
    for c in sorted(glob.glob("../shared/corpora/*/*.jsonl")):
        with open(c, encoding="utf-8") as f:
            lines = [l for _, l in zip(range(400), f)]
        for c2 in list(chunks([l.rstrip("\n") for l in lines], 12000))[:10]:
            put("jsonl", c2)
        arts += [json.loads(l) for l in lines[:60] if l.strip()]
    arts = [a for a in arts if a.get("text")]
    text_seeds(arts, 240)

for t in TARGETS:
    print(f"{out_root}/{t}: {count[t]} seeds")
PY
