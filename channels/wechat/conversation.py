"""The conversation state a channel may touch inside the Rasa process (Rasa's own stores).

A channel sets context slots (the venue of a QR code or a guide device, a device's language) by
appending ``SlotSet`` events to the tracker under the conversation's lock, exactly as Rasa's
authenticated ``POST /conversations/{id}/tracker/events`` does: nothing goes through NLU, so no
tourist can set them by typing ``/intent{...}``.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.shared.core.events import SlotSet

from common.logsafe import event, pseudonym

logger = logging.getLogger(__name__)


def _agent(app: Any) -> Any:
    ctx = getattr(app, "ctx", None)
    return getattr(ctx, "agent", None)


async def get_slot(app: Any, sender_id: str, name: str) -> Any:
    """A slot of an existing conversation (``None`` when unknown; never raises)."""
    try:
        agent = _agent(app)
        tracker = await agent.tracker_store.retrieve(sender_id) if agent else None
        return tracker.get_slot(name) if tracker else None
    except Exception:  # noqa: BLE001 - context is optional, a turn must never fail on it
        return None


async def set_slots(app: Any, sender_id: str, slots: dict[str, Any]) -> bool:
    """Append ``SlotSet`` events for ``slots`` to the conversation (created when new)."""
    agent = _agent(app)
    if agent is None or getattr(agent, "tracker_store", None) is None:
        return False
    try:
        async with agent.lock_store.lock(sender_id):
            tracker = await agent.tracker_store.get_or_create_tracker(sender_id)
            for name, value in slots.items():
                tracker.update(SlotSet(name, value))
            await agent.tracker_store.save(tracker)
    except Exception as error:  # noqa: BLE001
        logger.error(
            event(
                "channel.slots.failed",
                conversation=pseudonym(sender_id),
                error=type(error).__name__,
            )
        )
        return False
    return True


async def delete_conversation(app: Any, sender_id: str) -> bool:
    """Remove the conversation's tracker from Rasa's tracker store (in-memory, Redis or SQL)."""
    agent = _agent(app)
    store: Any = getattr(agent, "tracker_store", None) if agent else None
    if store is None:
        return False
    inner: Any = store
    while getattr(inner, "_tracker_store", None) is not None:  # FailSafe / Awaitable wrappers
        inner = inner._tracker_store
    try:
        async with agent.lock_store.lock(sender_id):
            if isinstance(getattr(inner, "store", None), dict):  # InMemoryTrackerStore
                inner.store.pop(sender_id, None)
                return True
            if hasattr(inner, "red") and hasattr(inner, "key_prefix"):  # RedisTrackerStore
                inner.red.delete(inner.key_prefix + sender_id)
                return True
            if hasattr(inner, "session_scope") and hasattr(inner, "SQLEvent"):  # SQLTrackerStore
                with inner.session_scope() as session:
                    session.query(inner.SQLEvent).filter_by(sender_id=sender_id).delete()
                    session.commit()
                return True
    except Exception as error:  # noqa: BLE001
        logger.error(
            event(
                "channel.erase.failed",
                conversation=pseudonym(sender_id),
                error=type(error).__name__,
            )
        )
        return False
    logger.warning(event("channel.erase.unsupported_store", store=type(inner).__name__))
    return False
