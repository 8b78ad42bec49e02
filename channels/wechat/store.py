"""A small key-value store with expiry: in memory (one process) or Redis (shared by processes).

The WeChat channel keeps its cross-request state here: message de-duplication, the access token,
the customer-service reply window, numbered choices, the venue of a QR scan and the last location.
With Redis every Rasa process of a deployment shares the same state, so a retry that lands on
another process is still recognised and only one process fetches the access token.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Protocol

_DECR_IF_EXISTS = """
if redis.call('exists', KEYS[1]) == 1 then return redis.call('decr', KEYS[1]) end
return nil
"""
_DELETE_IF_EQUALS = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class Store(Protocol):
    """What the channel needs from a store (every value is a string)."""

    async def get(self, key: str) -> str | None:
        """The value of ``key`` or ``None``."""

    async def set(self, key: str, value: str, ttl: float, *, only_new: bool = False) -> bool:
        """Set ``key`` for ``ttl`` seconds; with ``only_new`` only when absent. True when set."""

    async def delete(self, *keys: str) -> None:
        """Remove ``keys``."""

    async def delete_if_equals(self, key: str, value: str) -> bool:
        """Remove ``key`` only while it still holds ``value`` (True when removed)."""

    async def decrement_if_exists(self, key: str) -> int | None:
        """Decrement an existing counter; ``None`` when the key does not exist."""

    async def close(self) -> None:
        """Release connections."""


class MemoryStore:
    """Process-local store (the default; enough for one Rasa process)."""

    SWEEP_EVERY_S = 60.0

    def __init__(self) -> None:
        self._data: dict[str, tuple[str, float]] = {}
        self._next_sweep = time.monotonic() + self.SWEEP_EVERY_S

    def _sweep(self) -> None:
        """Drop expired keys now and then (LOCATION events alone add one key every 5 s)."""
        now = time.monotonic()
        if now >= self._next_sweep:
            self._data = {k: item for k, item in self._data.items() if item[1] > now}
            self._next_sweep = now + self.SWEEP_EVERY_S

    def _live(self, key: str) -> str | None:
        item = self._data.get(key)
        if item is None:
            return None
        if item[1] <= time.monotonic():
            del self._data[key]
            return None
        return item[0]

    async def get(self, key: str) -> str | None:
        return self._live(key)

    async def set(self, key: str, value: str, ttl: float, *, only_new: bool = False) -> bool:
        self._sweep()
        if only_new and self._live(key) is not None:
            return False
        self._data[key] = (value, time.monotonic() + ttl)
        return True

    async def delete(self, *keys: str) -> None:
        for key in keys:
            self._data.pop(key, None)

    async def delete_if_equals(self, key: str, value: str) -> bool:
        if self._live(key) == value:
            del self._data[key]
            return True
        return False

    async def decrement_if_exists(self, key: str) -> int | None:
        current = self._live(key)
        if current is None:
            return None
        value = int(current) - 1
        self._data[key] = (str(value), self._data[key][1])
        return value

    async def close(self) -> None:
        self._data.clear()


class RedisStore:
    """Store in Redis (``redis://host:port/db``), shared by every process that uses the same URL."""

    def __init__(self, url: str, prefix: str = "zytf:wechat:") -> None:
        from redis import asyncio as aioredis

        self._redis: Any = aioredis.from_url(url, decode_responses=True)
        self._prefix = prefix

    def _k(self, key: str) -> str:
        return self._prefix + key

    async def get(self, key: str) -> str | None:
        value = await self._redis.get(self._k(key))
        return None if value is None else str(value)

    async def set(self, key: str, value: str, ttl: float, *, only_new: bool = False) -> bool:
        result = await self._redis.set(self._k(key), value, px=max(1, int(ttl * 1000)), nx=only_new)
        return bool(result)

    async def delete(self, *keys: str) -> None:
        if keys:
            await self._redis.delete(*(self._k(key) for key in keys))

    async def delete_if_equals(self, key: str, value: str) -> bool:
        return bool(await self._redis.eval(_DELETE_IF_EQUALS, 1, self._k(key), value))

    async def decrement_if_exists(self, key: str) -> int | None:
        value = await self._redis.eval(_DECR_IF_EXISTS, 1, self._k(key))
        return None if value is None else int(value)

    async def ping(self) -> bool:
        """True when Redis answers."""
        return bool(await self._redis.ping())

    async def close(self) -> None:
        await self._redis.close()


def make_store(redis_url: str | None) -> Store:
    """Redis when a URL is configured, else process memory."""
    return RedisStore(redis_url) if redis_url else MemoryStore()


async def wait_for_value(
    store: Store, key: str, *, until: float, pending: str, poll: float = 0.05
) -> str | None:
    """Poll ``key`` until it holds something other than ``pending`` or ``until`` (monotonic) passes."""
    while True:
        value = await store.get(key)
        if value != pending or time.monotonic() >= until:
            return value
        await asyncio.sleep(poll)
