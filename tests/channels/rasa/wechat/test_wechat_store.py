"""The store's semantics are the same in memory and in Redis (skipped when Redis is absent)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from channels.wechat.store import MemoryStore, RedisStore, Store


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    redis_store = RedisStore("redis://127.0.0.1:6379/0", prefix=f"test-store-{uuid.uuid4().hex}:")
    try:
        await redis_store.ping()
    except Exception as error:  # noqa: BLE001
        await redis_store.close()
        pytest.skip(f"Redis not reachable on loopback: {type(error).__name__}")
    yield redis_store
    await redis_store.close()


async def test_claims_compare_and_delete_counters_and_expiry(store: Store) -> None:
    assert await store.set("k", "pending", 5, only_new=True)
    assert not await store.set("k", "other", 5, only_new=True)  # a second claim fails
    assert await store.get("k") == "pending"
    assert not await store.delete_if_equals("k", "other")
    assert await store.delete_if_equals("k", "pending") and await store.get("k") is None
    assert await store.decrement_if_exists("n") is None
    await store.set("n", "2", 5)
    assert [await store.decrement_if_exists("n") for _ in range(3)] == [1, 0, -1]
    await store.set("short", "x", 0.2)
    await asyncio.sleep(0.35)
    assert await store.get("short") is None
    await store.delete("n")
    assert await store.get("n") is None


async def test_memory_store_sweeps_expired_keys() -> None:
    memory = MemoryStore()
    memory.SWEEP_EVERY_S = 0.0
    memory._next_sweep = 0.0
    for n in range(100):
        await memory.set(f"evt:{n}", "x", 0.01)
    await asyncio.sleep(0.05)
    await memory.set("fresh", "y", 10)
    assert list(memory._data) == ["fresh"]
