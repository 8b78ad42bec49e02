"""Message de-duplication: a WeChat retry never runs a turn a second time.

The first delivery of a message claims its key (``MsgId``, or sender + CreateTime for events) and
later stores the body it answered with. A retry that finds the claim waits (within its own time
budget) for that body and answers with it; if the first is still running, the retry answers
``success`` and the first delivery's turn sends its replies through the customer-service API.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from channels.wechat.store import Store, wait_for_value

PENDING = "\x00pending"
DEFAULT_TTL_S = 600.0
"""WeChat retries within about 15 s; ten minutes leaves a wide margin."""


@dataclass(frozen=True)
class Claim:
    """``first`` when this delivery runs the turn; else ``answer`` is the first delivery's body."""

    first: bool
    answer: str | None = None


class Deduplicator:
    """Claims and answers of message keys in a :class:`Store`."""

    def __init__(self, store: Store, ttl_s: float = DEFAULT_TTL_S) -> None:
        self.store = store
        self.ttl_s = ttl_s

    @staticmethod
    def _key(message_key: str) -> str:
        return f"dedup:{message_key}"

    async def claim(self, message_key: str, *, wait_until: float) -> Claim:
        """Claim ``message_key``, or wait until ``wait_until`` (monotonic) for the first's answer."""
        key = self._key(message_key)
        if await self.store.set(key, PENDING, self.ttl_s, only_new=True):
            return Claim(first=True)
        answer = await wait_for_value(self.store, key, until=wait_until, pending=PENDING)
        return Claim(first=False, answer=None if answer in (None, PENDING) else answer)

    async def answered(self, message_key: str, body: str) -> None:
        """Record the body the first delivery answered with."""
        await self.store.set(self._key(message_key), body, self.ttl_s)

    async def release(self, message_key: str) -> None:
        """Forget a claim whose handling failed before any side effect (a retry may try again)."""
        await self.store.delete_if_equals(self._key(message_key), PENDING)


def monotonic_deadline(seconds: float) -> float:
    """``time.monotonic() + seconds``."""
    return time.monotonic() + seconds
