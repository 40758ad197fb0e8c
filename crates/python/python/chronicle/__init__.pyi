"""Type stubs of the chronicle package (see __init__.py for the docstrings)."""

import os
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple, Union

import pyarrow

Article = Union[str, Mapping[str, Any]]
__version__: str
EVENT_FILTERS: Tuple[str, ...]
QUOTE_FILTERS: Tuple[str, ...]

class ExtractError(ValueError): ...

def extract(
    text: Optional[str] = ...,
    *,
    html: Optional[str] = ...,
    published: Optional[Any] = ...,
    url: Optional[str] = ...,
    id: Optional[str] = ...,
    title: Optional[str] = ...,
    source: Optional[str] = ...,
) -> Dict[str, Any]: ...
def extract_many(
    articles: Iterable[Article],
    *,
    threads: Optional[int] = ...,
    published: Optional[Any] = ...,
    chunk: int = ...,
    errors: str = ...,
) -> Iterator[Dict[str, Any]]: ...

class Store:
    def __init__(self, db: Union[str, os.PathLike[str]] = ...) -> None: ...
    def ingest(self, articles: Iterable[Article], *, threads: Optional[int] = ..., chunk: int = ...) -> int: ...
    def events(
        self,
        *,
        actor: Optional[str] = ...,
        source: Optional[str] = ...,
        target: Optional[str] = ...,
        cameo: Optional[str] = ...,
        plover: Optional[str] = ...,
        modality: Optional[str] = ...,
        since: Optional[str] = ...,
        until: Optional[str] = ...,
        place: Optional[str] = ...,
        bbox: Optional[Union[str, Tuple[float, float, float, float]]] = ...,
        article: Optional[str] = ...,
        clustered: Optional[bool] = ...,
        limit: Optional[int] = ...,
        offset: Optional[int] = ...,
        min_confidence: Optional[float] = ...,
        after: Optional[int] = ...,
    ) -> pyarrow.Table: ...
    def events_text(self, **filters: Any) -> Tuple[List[str], List[List[str]]]: ...
    def quotes(
        self,
        *,
        speaker: Optional[str] = ...,
        text: Optional[str] = ...,
        article: Optional[str] = ...,
        limit: Optional[int] = ...,
        offset: Optional[int] = ...,
    ) -> pyarrow.Table: ...
    def actors(self, name: Optional[str] = ..., limit: Optional[int] = ...) -> pyarrow.Table: ...
    def articles(self, q: Optional[str] = ..., limit: int = ...) -> pyarrow.Table: ...
    def records(self) -> Iterator[Dict[str, Any]]: ...
    def export(self, format: str, path: Union[str, os.PathLike[str]]) -> None: ...
