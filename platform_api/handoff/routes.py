"""``/api/conversations/{sender_id}/...``: what the bot/channel asks about one conversation.

All routes need the service token (``Authorization: Bearer <PLATFORM_BOT_API_TOKEN>``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from platform_api.api.deps import CurrentBot, SessionDep
from platform_api.complaints.errors import ApiError, EnvelopeRoute
from platform_api.handoff import outbox, service
from platform_api.handoff.schemas import HandoffState, OutboxItem, OutboxPage, TextBody

router = APIRouter(
    prefix="/api/conversations",
    tags=["handoff"],
    dependencies=[CurrentBot],
    route_class=EnvelopeRoute,
)
SenderPath = Annotated[str, Path(min_length=1, max_length=128)]


@router.get("/{sender_id}/handoff", response_model=HandoffState)
def handoff_state(session: SessionDep, sender_id: SenderPath) -> HandoffState:
    """Whether the conversation is handed off (the bot stays silent and relays while it is)."""
    escalation = service.active_for(session, sender_id)
    if escalation is None:
        return HandoffState(active=False)
    return HandoffState(
        active=True,
        reference=escalation.reference,
        language=escalation.language,
        since=escalation.created_at,
    )


@router.post("/{sender_id}/handoff/messages", status_code=201, response_model=HandoffState)
def relay_tourist_message(
    session: SessionDep, sender_id: SenderPath, body: TextBody
) -> HandoffState:
    """Append the tourist's message to the active handoff (409 ``not_handed_off`` otherwise)."""
    service.tourist_message(session, sender_id, body.text)
    return handoff_state(session, sender_id)


@router.post("/{sender_id}/handoff/end", response_model=HandoffState)
def end_handoff(session: SessionDep, sender_id: SenderPath) -> HandoffState:
    """The tourist asked for the bot back: end the handoff (409 when none is active)."""
    escalation = service.active_for(session, sender_id)
    if escalation is None:
        raise ApiError(409, "this conversation is not handed off to staff", code="not_handed_off")
    service.end_handoff(session, escalation, by="tourist", staff=False)
    return HandoffState(active=False, reference=escalation.reference)


@router.get("/{sender_id}/outbox", response_model=OutboxPage)
def peek_outbox(session: SessionDep, sender_id: SenderPath) -> OutboxPage:
    """Undelivered messages for the tourist, oldest first (nothing is marked delivered)."""
    rows = outbox.pending(session, sender_id)
    return OutboxPage(messages=[OutboxItem.model_validate(row) for row in rows])


@router.post("/{sender_id}/outbox/claim", response_model=OutboxPage)
def claim_outbox(session: SessionDep, sender_id: SenderPath) -> OutboxPage:
    """Take the undelivered messages (marked delivered atomically: each is returned once)."""
    rows = outbox.claim(session, sender_id)
    return OutboxPage(messages=[OutboxItem.model_validate(row) for row in rows])
