"""The platform's analytics consumer: Rasa's broker queue on RabbitMQ → ``conversation_event``.

``python -m platform_api.analytics.consumer`` (started by the production profile) reads
``ANALYTICS_AMQP_URL`` and ``RABBITMQ_EVENTS_QUEUE`` once, declares the queue as Rasa's Pika broker
does (durable), and stores each event with :func:`store_event`. A message is acknowledged only
after its row is committed, so a consumer that dies mid-way loses nothing (RabbitMQ redelivers and
the fingerprint absorbs the duplicate). A message that is not a tracker event is rejected without
requeue and logged by kind only (never its content).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from dataclasses import dataclass

import aio_pika
from aio_pika.abc import AbstractIncomingMessage
from sqlalchemy.orm import Session, sessionmaker

from common.logsafe import RedactingFilter, event
from platform_api.analytics.events import BadEvent, parse_event, store_event
from platform_api.core.config import get_settings
from platform_api.core.db import make_engine, make_session_factory

logger = logging.getLogger("platform_api.analytics")


@dataclass(frozen=True)
class ConsumerSettings:
    """Where the events come from (read once from the environment)."""

    amqp_url: str
    queue: str

    @classmethod
    def from_environment(cls) -> ConsumerSettings:
        """``ANALYTICS_AMQP_URL`` and ``RABBITMQ_EVENTS_QUEUE``."""
        return cls(
            amqp_url=os.environ.get("ANALYTICS_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
            queue=os.environ.get("RABBITMQ_EVENTS_QUEUE", "tianfu_events"),
        )


def handle_body(factory: sessionmaker[Session], body: bytes) -> str:
    """Store one message's event; returns what happened (stored, duplicate, skipped)."""
    values = parse_event(body)
    if values is None:
        return "skipped"
    with factory() as session:
        return "stored" if store_event(session, values) else "duplicate"


async def consume(
    settings: ConsumerSettings, factory: sessionmaker[Session], stop: asyncio.Event
) -> None:
    """Consume until ``stop`` is set; reconnects on its own (``connect_robust``)."""
    connection = await aio_pika.connect_robust(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=50)
        queue = await channel.declare_queue(settings.queue, durable=True)

        async def on_message(message: AbstractIncomingMessage) -> None:
            try:
                outcome = await asyncio.to_thread(handle_body, factory, message.body)
            except BadEvent as error:
                logger.warning(event("analytics.rejected", reason=str(error)))
                await message.reject(requeue=False)
                return
            except Exception:  # noqa: BLE001 - database trouble: leave it queued for later
                logger.exception("analytics.store_failed")
                await message.nack(requeue=True)
                await asyncio.sleep(1.0)
                return
            await message.ack()
            if outcome == "stored":
                logger.debug(event("analytics.stored"))

        tag = await queue.consume(on_message)
        logger.info(event("analytics.consuming", queue=settings.queue))
        await stop.wait()
        await queue.cancel(tag)


def main() -> None:
    """Run the consumer until SIGINT/SIGTERM."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
    # The platform API migrates the schema at its start; until then a store fails and the
    # message stays queued (nack + requeue), so the consumer never races the migration.
    engine = make_engine(get_settings().database_url)
    factory = make_session_factory(engine)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await consume(ConsumerSettings.from_environment(), factory, stop)

    asyncio.run(run())


if __name__ == "__main__":
    main()
