"""Access to the knowledge base's retriever without importing its heavy parts eagerly.

The platform only relies on this contract of ``knowledge_base.retriever``::

    get_retriever(index_dir) -> Retriever   # cached per directory; may raise IndexNotBuiltError
    Retriever.search(query, lang=..., k=...) -> list[Hit]   # Hit: .entry, .score, .entry_id
    Retriever.get(entry_id) -> Entry | None
    Retriever.match_alias(text) -> str | None                 # entry id named in the text
    Retriever.entries -> Mapping[str, Entry]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from knowledge_base.schema import Entry


class KbHit(Protocol):
    """One search hit as returned by the knowledge base."""

    @property
    def entry(self) -> Entry: ...

    @property
    def score(self) -> float: ...

    @property
    def entry_id(self) -> str: ...


class Retriever(Protocol):
    """What the routes need from the knowledge base."""

    def search(self, query: str, *, lang: str | None = ..., k: int = ...) -> Sequence[KbHit]: ...

    def get(self, entry_id: str) -> Entry | None: ...

    def match_alias(self, text: str) -> str | None: ...

    @property
    def entries(self) -> Mapping[str, Entry]: ...


class KbUnavailableError(RuntimeError):
    """The knowledge base cannot answer: index not built or module missing (HTTP 503)."""


def is_index_not_built(exc: BaseException) -> bool:
    """True when ``exc`` means "no usable index": ours or the knowledge base's error."""
    if isinstance(exc, KbUnavailableError):
        return True
    try:
        from knowledge_base.retriever import IndexNotBuiltError
    except ImportError:
        return any(cls.__name__ == "IndexNotBuiltError" for cls in type(exc).__mro__)
    return isinstance(exc, IndexNotBuiltError)


def load_retriever(index_dir: Path | None = None) -> Retriever:
    """The knowledge base's cached retriever, or :class:`KbUnavailableError`.

    ``index_dir`` (``PLATFORM_KB_INDEX_DIR``) selects the index directory; without it the
    knowledge base uses its own default (``KB_INDEX_DIR``, else ``build/kb/current``).
    """
    try:
        from knowledge_base.retriever import get_retriever
    except ImportError as exc:
        raise KbUnavailableError(f"knowledge base module is not available: {exc}") from exc
    try:
        return get_retriever(index_dir) if index_dir is not None else get_retriever()
    except Exception as exc:
        if is_index_not_built(exc):
            raise KbUnavailableError(str(exc) or "knowledge base index is not built") from exc
        raise


class LazyRetriever:
    """Loads the real retriever on first use, so request validation (422) runs first.

    While the index is not built every call raises :class:`KbUnavailableError`; once it is
    built the next call picks it up without restarting the API.
    """

    def __init__(self, index_dir: Path | None = None) -> None:
        self._index_dir = index_dir

    def _retriever(self) -> Retriever:
        return load_retriever(self._index_dir)

    def search(self, query: str, *, lang: str | None = None, k: int = 5) -> Sequence[KbHit]:
        """Delegate to the knowledge base's ``search``."""
        return self._retriever().search(query, lang=lang, k=k)

    def get(self, entry_id: str) -> Entry | None:
        """Delegate to the knowledge base's ``get``."""
        return self._retriever().get(entry_id)

    def match_alias(self, text: str) -> str | None:
        """Delegate to the knowledge base's ``match_alias``."""
        return self._retriever().match_alias(text)

    @property
    def entries(self) -> Mapping[str, Entry]:
        """All entries of the loaded knowledge base, by id."""
        return self._retriever().entries
