"""Chronicle in Python: news articles in, a sourced record of world events out.

>>> import chronicle
>>> rec = chronicle.extract("Russian forces shelled Kharkiv on Tuesday.", published="2025-12-03")
>>> [(e["cameo"], e["source"]["code"], e["target"]["code"]) for e in rec["events"]]

``extract`` returns the contract record (``../shared/CONTRACT.md``) as a dict: exactly the
JSON line ``chronicle extract`` prints for the same article, parsed. ``extract_many``
streams records in input order, extracting on Rust threads with the GIL released.
``Store`` opens the store the CLI writes (a SQLite file, or a ``postgres://`` URL) and
answers queries as ``pyarrow.Table`` objects (``.to_pandas()``, ``polars.from_arrow``).
"""

from __future__ import annotations

import itertools
import json
import os
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple, Union

from . import _chronicle

__version__ = _chronicle.__version__
#: The keyword arguments of :meth:`Store.events` and :meth:`Store.quotes`: the store's one
#: filter definition, the same names as ``chronicle query``'s flags and the HTTP API's
#: parameters.
EVENT_FILTERS = tuple(_chronicle.EVENT_FILTERS)
QUOTE_FILTERS = tuple(_chronicle.QUOTE_FILTERS)

__all__ = ["extract", "extract_many", "Store", "ExtractError", "EVENT_FILTERS", "QUOTE_FILTERS", "__version__"]

Article = Union[str, Mapping[str, Any]]

# Columns of ``Store.events`` read as numbers (the others are text).
_INT_COLUMNS = ("quad", "killed", "wounded", "num_mentions", "num_sources", "num_articles")
_FLOAT_COLUMNS = ("goldstein", "lat", "lon", "confidence")


class ExtractError(ValueError):
    """An input that is not an article (the reason says why); ``extract_many`` yields it
    in the article's place when ``errors="yield"``."""


def _article_json(article: Article, **fields: Any) -> str:
    if isinstance(article, str):
        obj: Dict[str, Any] = {}
        key = "html" if fields.pop("html_input", False) else "text"
        obj[key] = article
    elif isinstance(article, Mapping):
        obj = dict(article)
    else:
        raise TypeError(f"an article is a str or a mapping, not {type(article).__name__}")
    for k, v in fields.items():
        if v is not None:
            obj[k] = str(v) if k == "published" else v
    return json.dumps(obj, ensure_ascii=False)


def extract(
    text: Optional[str] = None,
    *,
    html: Optional[str] = None,
    published: Optional[Any] = None,
    url: Optional[str] = None,
    id: Optional[str] = None,
    title: Optional[str] = None,
    source: Optional[str] = None,
) -> Dict[str, Any]:
    """Extract one article: ``text`` (plain text) or ``html`` (a raw page), with its
    publication date (``YYYY-MM-DD``, RFC 3339 or a ``datetime.date``) that relative dates
    are resolved against. Returns the contract record as a dict."""
    if (text is None) == (html is None):
        raise ValueError("give the article as text= or html=, one of them")
    line = _article_json(
        html if html is not None else text,  # type: ignore[arg-type]
        html_input=html is not None,
        published=published,
        url=url,
        id=id,
        title=title,
        source=source,
    )
    try:
        return json.loads(_chronicle.extract_json(line, id or "python"))
    except ValueError as e:
        raise ExtractError(str(e)) from None


def extract_many(
    articles: Iterable[Article],
    *,
    threads: Optional[int] = None,
    published: Optional[Any] = None,
    chunk: int = 256,
    errors: str = "raise",
) -> Iterator[Dict[str, Any]]:
    """Extract an iterable of articles (strings of text, or dicts as ``chronicle extract``
    reads JSONL lines: ``text`` or ``html``, ``published``, ``url``, ``id``, ...), yielding
    records in input order. ``threads`` Rust threads (default: all cores) work on ``chunk``
    articles at a time with the GIL released. An input that is not an article raises
    ``ExtractError`` (``errors="raise"``), is yielded as one (``"yield"``) or is left out
    (``"skip"``)."""
    if errors not in ("raise", "yield", "skip"):
        raise ValueError('errors is "raise", "yield" or "skip"')
    threads = threads or os.cpu_count() or 1
    it = iter(articles)
    n = 0
    while True:
        batch = list(itertools.islice(it, max(chunk, threads)))
        if not batch:
            return
        lines: List[Tuple[str, str]] = []
        for a in batch:
            n += 1
            default = {"published": published} if published is not None and not (
                isinstance(a, Mapping) and "published" in a
            ) else {}
            lines.append((_article_json(a, **default), f"item {n}"))
        for ok, err in _chronicle.extract_many_json(lines, threads):
            if ok is not None:
                yield json.loads(ok)
            elif errors == "raise":
                raise ExtractError(err)
            elif errors == "yield":
                yield ExtractError(err)  # type: ignore[misc]


def _pyarrow():
    try:
        import pyarrow
    except ImportError as e:  # pragma: no cover - pyarrow is a dependency
        raise ImportError("Store queries return pyarrow tables: pip install pyarrow") from e
    return pyarrow


def _params(filters: Mapping[str, Any]) -> List[Tuple[str, str]]:
    out = []
    for k, v in filters.items():
        if v is None:
            continue
        if k == "bbox" and not isinstance(v, str):
            v = ",".join(str(x) for x in v)
        elif isinstance(v, bool):
            v = "true" if v else "false"
        out.append((k, str(v)))
    return out


class Store:
    """A Chronicle store: the SQLite file the CLI writes (``chronicle.db``), or a
    ``postgres://`` URL. Queries take the same filters as ``chronicle query`` (keyword
    arguments: ``place="UKR"``, ``cameo="19"``, ``since="2025-12"``, ``min_confidence=0.5``,
    ``bbox=(35, 47, 39, 49.5)``) and return ``pyarrow.Table`` objects."""

    def __init__(self, db: Union[str, "os.PathLike[str]"] = "chronicle.db") -> None:
        self._db = os.fspath(db)
        self._s = _chronicle._Store(self._db)

    def __repr__(self) -> str:
        return f"chronicle.Store({self._db!r})"

    def ingest(self, articles: Iterable[Article], *, threads: Optional[int] = None, chunk: int = 256) -> int:
        """Extract and store articles (as ``extract_many`` takes them); returns how many
        were stored. Inputs that are not articles raise ``ExtractError`` naming them, after
        the others of their chunk are stored."""
        threads = threads or os.cpu_count() or 1
        it = iter(articles)
        stored, n = 0, 0
        while True:
            batch = list(itertools.islice(it, chunk))
            if not batch:
                return stored
            lines = []
            for a in batch:
                n += 1
                lines.append((_article_json(a), f"item {n}"))
            k, rejected = self._s.ingest_json(lines, threads)
            stored += k
            if rejected:
                raise ExtractError("; ".join(f"{i}: {why}" for i, why in rejected))

    def events(self, **filters: Any):
        """Events as a ``pyarrow.Table`` with the columns of ``chronicle query events
        --format csv`` (numbers as numbers, missing values as nulls)."""
        pa = _pyarrow()
        cols, rows = self._s.events_csv(_params(filters))
        arrays = []
        for i, name in enumerate(cols):
            cells = [r[i] for r in rows]
            if name in _INT_COLUMNS:
                arrays.append(pa.array([int(c) if c != "" else None for c in cells], pa.int64()))
            elif name in _FLOAT_COLUMNS:
                arrays.append(pa.array([float(c) if c != "" else None for c in cells], pa.float64()))
            else:
                arrays.append(pa.array(cells, pa.string()))
        return pa.Table.from_arrays(arrays, names=cols)

    def events_text(self, **filters: Any) -> Tuple[List[str], List[List[str]]]:
        """The CSV cells of ``events`` as text, exactly as ``chronicle query events
        --format csv`` writes them: (column names, rows)."""
        return self._s.events_csv(_params(filters))

    def quotes(self, **filters: Any):
        """Quotes (``speaker``, ``text``, ``article``, ``limit``, ``offset``) as a table."""
        return self._table(self._s.quotes_json(_params(filters)))

    def actors(self, name: Optional[str] = None, limit: Optional[int] = None):
        """Actors, one row per actor code, most mentioned first."""
        return self._table(self._s.actors_json(name, limit))

    def articles(self, q: Optional[str] = None, limit: int = 20):
        """Full-text search (``q``: FTS5 on SQLite, websearch on PostgreSQL), or the list."""
        return self._table(self._s.articles_json(q, limit))

    def records(self) -> Iterator[Dict[str, Any]]:
        """Every stored record as the contract dict."""
        for line in self._s.records_json():
            yield json.loads(line)

    def export(self, format: str, path: Union[str, "os.PathLike[str]"]) -> None:
        """Write the store: ``jsonl`` (the records), ``csv`` (the events' CSV columns) or
        ``parquet`` (the events table)."""
        path = os.fspath(path)
        if format == "jsonl":
            with open(path, "w", encoding="utf-8") as f:
                for line in self._s.records_json():
                    f.write(line + "\n")
        elif format == "csv":
            import csv

            cols, rows = self._s.events_csv([])
            with open(path, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(cols)
                w.writerows(rows)
        elif format == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(self.events(), path)
        else:
            raise ValueError(f"format {format!r}: one of jsonl, csv, parquet")

    @staticmethod
    def _table(js: str):
        pa = _pyarrow()
        rows = json.loads(js)
        return pa.Table.from_pylist(rows) if rows else pa.table({})
