"""The consumer reads a real RabbitMQ queue (loopback) and acknowledges only stored events."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from platform_api.analytics.consumer import ConsumerSettings, consume
from platform_api.analytics.models import ConversationEvent
from platform_api.core.db import make_engine, make_session_factory, migrate

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
pytestmark = pytest.mark.scaleout


async def _publish(queue: str, bodies: list[bytes]) -> None:
    import aio_pika

    connection = await aio_pika.connect(AMQP_URL, timeout=3)
    async with connection:
        channel = await connection.channel()
        await channel.declare_queue(queue, durable=True)
        for body in bodies:
            await channel.default_exchange.publish(aio_pika.Message(body=body), routing_key=queue)


async def _queue_depth(queue: str) -> int:
    import aio_pika

    connection = await aio_pika.connect(AMQP_URL, timeout=3)
    async with connection:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, durable=True, passive=True)
        depth = declared.declaration_result.message_count or 0
        await channel.queue_delete(queue)
        return depth


def test_events_from_rabbitmq_are_stored_once_and_bad_ones_dropped(tmp_path) -> None:
    queue = f"test_events_{uuid.uuid4().hex[:8]}"
    event = {
        "sender_id": "s1",
        "event": "user",
        "timestamp": 1_765_000_000.0,
        "text": "hi",
        "input_channel": "rest",
        "parse_data": {"intent": {"name": "greet", "confidence": 1.0}},
    }
    bodies = [json.dumps(event).encode(), json.dumps(event).encode(), b"garbage"]
    try:
        asyncio.run(_publish(queue, bodies))
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"RabbitMQ not reachable on loopback: {type(error).__name__}")
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    migrate(engine)
    factory = make_session_factory(engine)

    async def run() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(consume(ConsumerSettings(AMQP_URL, queue), factory, stop))
        for _ in range(100):
            await asyncio.sleep(0.05)
            with factory() as session:
                if session.query(ConversationEvent).count() >= 1 and _ >= 20:
                    break
        stop.set()
        await asyncio.wait_for(task, 10)

    asyncio.run(run())
    with factory() as session:
        assert session.query(ConversationEvent).count() == 1
    assert asyncio.run(_queue_depth(queue)) == 0  # all three acknowledged or rejected
