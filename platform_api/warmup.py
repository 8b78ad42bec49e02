"""Knowledge-base warm-up: load the encoder and index and answer one query before reporting ready.

It runs in a daemon thread started by the app's lifespan, so the event loop keeps serving
(liveness, escalations) while the model loads; ``GET /api/health/ready`` answers 503 until it is
done. A failed warm-up (e.g. index not built yet) is retried when readiness is asked again. A new
index built by ``make kb`` while the platform runs is loaded and warmed (name indexes included) in
the background before it is swapped in (:class:`knowledge_base.retriever.LiveIndex`).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Literal

from fastapi import FastAPI

from platform_api.api.deps import app_retriever
from platform_api.kb import Retriever
from platform_api.kb_resolve import place_resolver

logger = logging.getLogger("platform_api.warmup")

WarmupState = Literal["idle", "warming", "ready", "failed"]
WARMUP_QUERY = ("九寨沟门票多少钱", "zh")
"""One real search: loads the encoder, the index and the lexical tables, and runs the encoder once."""


class KbWarmup:
    """Warms one retriever once, in the background; thread-safe."""

    def __init__(self, retriever: Retriever) -> None:
        self._retriever = retriever
        self._state: WarmupState = "idle"
        self._lock = threading.Lock()

    @property
    def state(self) -> WarmupState:
        """``idle``, ``warming``, ``ready`` or ``failed``."""
        return self._state

    @property
    def ready(self) -> bool:
        """True once a query has been answered."""
        return self._state == "ready"

    def start(self) -> None:
        """Start warming in a daemon thread, unless warming or ready already."""
        with self._lock:
            if self._state in ("warming", "ready"):
                return
            self._state = "warming"
        threading.Thread(target=self.run, name="kb-warmup", daemon=True).start()

    def run(self) -> None:
        """Load and query the retriever in this thread; never raises."""
        started = time.perf_counter()
        query, lang = WARMUP_QUERY
        try:
            self._retriever.search(query, lang=lang, k=1)
            place_resolver(self._retriever.entries)  # names and misspelling indexes
        except Exception as exc:  # noqa: BLE001 - reported through readiness, never fatal
            logger.warning("knowledge-base warm-up failed: %s: %s", type(exc).__name__, exc)
            self._state = "failed"
            return
        self._state = "ready"
        logger.info("knowledge base warm in %.1fs", time.perf_counter() - started)


def _warm_names(retriever: object) -> None:
    """Build the place-name indexes of a freshly loaded knowledge base before it is swapped in."""
    entries = getattr(retriever, "entries", None)
    if entries is not None:
        place_resolver(entries)


def register_reload_warmer() -> None:
    """Have every hot-reloaded index (``make kb`` while running) warm the name indexes first."""
    try:
        from knowledge_base import retriever as kb_retriever
    except ImportError:  # the knowledge base is optional for the platform's other routes
        return
    if _warm_names not in kb_retriever.WARMERS:
        kb_retriever.WARMERS.append(_warm_names)


def start_kb_warmup(app: FastAPI) -> KbWarmup:
    """Attach a :class:`KbWarmup` of the app's retriever to ``app.state`` and start it."""
    register_reload_warmer()
    warmup = KbWarmup(app_retriever(app))
    app.state.kb_warmup = warmup
    warmup.start()
    return warmup
