"""Customer-service messages WeChat did not take, kept for the tourist's next message.

When a send fails (WeChat refuses it, e.g. 45015 outside the 48-hour window or 45047 over the
count, or does not answer: 5xx, timeout), that text and the rest of its batch are kept here, in the
shared store, for 48 hours (at most :data:`MAX_KEPT`, the newest). The tourist's next message opens
a new window; the channel then sends them after its answer, headed by the ``undelivered`` notice
(:meth:`take` hands them to exactly one process). A send that timed out may still have reached
the tourist, so such a text can arrive twice (at least once rather than lost).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from channels.wechat.store import Store
from common.logsafe import event, pseudonym

logger = logging.getLogger(__name__)

KEEP_S = 48 * 3600.0
MAX_KEPT = 10


class Undelivered:
    """Per-tourist list of texts still to be delivered."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def _key(openid: str) -> str:
        return f"undelivered:{openid}"

    async def keep(self, openid: str, texts: Sequence[str], errcode: int) -> None:
        """Keep ``texts`` (after any already kept) for the next message."""
        if not texts:
            return
        current = await self.store.get(self._key(openid))
        kept = [*(json.loads(current) if current else []), *texts][-MAX_KEPT:]
        await self.store.set(self._key(openid), json.dumps(kept, ensure_ascii=False), KEEP_S)
        logger.warning(
            event(
                "wechat.undelivered.kept",
                conversation=pseudonym(openid),
                errcode=errcode,
                messages=len(texts),
                kept=len(kept),
            )
        )

    async def count(self, openid: str) -> int:
        """How many texts are waiting."""
        current = await self.store.get(self._key(openid))
        return len(json.loads(current)) if current else 0

    async def take(self, openid: str) -> list[str]:
        """The waiting texts, removed (only one caller gets a given list)."""
        current = await self.store.get(self._key(openid))
        if not current or not await self.store.delete_if_equals(self._key(openid), current):
            return []
        return [str(text) for text in json.loads(current)]
