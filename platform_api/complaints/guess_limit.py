"""Limit phone guesses on a case reference (the status route is an oracle otherwise).

In-process: each platform instance counts separately, so with N instances an attacker gets at
most N × the budget per window, still far from the 10^8 mainland numbers.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

MAX_FAILURES = 10
WINDOW_SECONDS = 3600.0


class GuessLimiter:
    """Counts wrong phones per reference within a sliding window."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW_SECONDS) -> None:
        """``max_failures`` wrong phones per ``window`` seconds, then the reference is refused."""
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, reference: str, now: float) -> deque[float]:
        times = self._failures[reference]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def blocked(self, reference: str) -> bool:
        """True while ``reference`` has used up its wrong guesses."""
        with self._lock:
            return len(self._recent(reference, time.monotonic())) >= self.max_failures

    def failed(self, reference: str) -> None:
        """Record one wrong phone for ``reference``."""
        with self._lock:
            now = time.monotonic()
            self._recent(reference, now).append(now)
