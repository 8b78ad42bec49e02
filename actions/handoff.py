"""Hand-over to a person: the escalation, the pause of the bot, and the way back.

* ``action_human_handoff`` ("I want a human"): files the hand-off with the platform, with the
  conversation's transcript (read from the tracker's events), its language and channel, and tells
  the tourist the reference. While staff hold the conversation, the channel's relay
  (``channels/handoff_relay.py``) sends the tourist's messages to the console instead of the bot
  and brings back the staff's. Out of office hours the platform says so; the tourist is told and a
  complaint case is opened instead (by the platform when it opened one, else through the
  complaint form, which then carries the escalation's reference). When the hand-off cannot be
  filed the tourist is told exactly that: nobody will call back.
* ``action_hand_back`` ("hand back", "back to the bot"): the platform ends the hand-off.
* ``action_fallback``: a message the assistant does not understand gets ``utter_default``; the
  second one in a row hands the conversation to staff.
"""

from __future__ import annotations

import datetime as dt
import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clients.platform_api import PlatformApiError
from actions.complaints.client import (
    MAX_TRANSCRIPT_TURNS,
    MAX_TURN_CHARS,
    CaseApiClient,
    get_case_client,
)
from actions.complaints.form import start_events
from actions.complaints.texts import china_time, office_hours
from actions.knowledge import session_language
from common.logsafe import event, pseudonym

logger = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"
FALLBACKS_BEFORE_HANDOFF = 2


def transcript(tracker: Tracker, limit: int = MAX_TRANSCRIPT_TURNS) -> list[dict[str, str]]:
    """The conversation so far, oldest first: ``{"role": "user"|"bot", "text", "at"}``."""
    turns: list[dict[str, str]] = []
    for item in tracker.events:
        kind = item.get("event")
        text = item.get("text")
        if kind not in {"user", "bot"} or not isinstance(text, str) or not text.strip():
            continue
        turn = {"role": kind, "text": text[:MAX_TURN_CHARS]}
        stamp = item.get("timestamp")
        if isinstance(stamp, int | float):
            turn["at"] = dt.datetime.fromtimestamp(stamp, dt.UTC).isoformat()
        turns.append(turn)
    return turns[-limit:]


def fallbacks_in_a_row(tracker: Tracker) -> int:
    """How many of the latest user messages in a row the assistant did not understand."""
    count = 0
    for item in reversed(tracker.events):
        if item.get("event") != "user":
            continue
        intent = ((item.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != FALLBACK_INTENT:
            break
        count += 1
    return count


async def hand_off(
    client: CaseApiClient,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    reason: str,
) -> list[EventType]:
    """Files the hand-off and tells the tourist what happens next (never a promised call-back)."""
    language = session_language(tracker)
    conversation = pseudonym(tracker.sender_id)
    try:
        opened = await client.open_handoff(
            sender_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or "rest",
            language=language,
            reason=reason,
            transcript=transcript(tracker),
        )
    except PlatformApiError as error:
        logger.warning(
            event("handoff.failed", status=error.status_code or "-", conversation=conversation)
        )
        dispatcher.utter_message(response="utter_handoff_failed")
        return []
    logger.info(
        event(
            "handoff.filed",
            reference=opened.reference,
            live=opened.live,
            reason=reason,
            conversation=conversation,
        )
    )
    if opened.live:
        dispatcher.utter_message(response="utter_handoff_opened", reference=opened.reference)
        return [SlotSet("handoff_reference", opened.reference)]
    hours = office_hours(opened.office_hours, language) if opened.office_hours else "-"
    if opened.complaint_reference and opened.due_at:
        dispatcher.utter_message(
            response="utter_handoff_out_of_hours_case",
            hours=hours,
            reference=opened.complaint_reference,
            due=china_time(opened.due_at, language),
        )
        return [SlotSet("complaint_reference", opened.complaint_reference)]
    dispatcher.utter_message(response="utter_handoff_out_of_hours", hours=hours)
    return [
        *start_events(tracker),
        SlotSet("handoff_reference", opened.reference),
        FollowupAction("complaint_form"),
    ]


class ActionHumanHandoff(Action):
    """ "I want a human": the conversation goes to staff (or a case is opened out of hours)."""

    def __init__(self, client: CaseApiClient | None = None) -> None:
        """``client`` defaults to the process-wide case client."""
        self._client = client

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """See :func:`hand_off`."""
        return await hand_off(
            self._client or get_case_client(), dispatcher, tracker, reason="human_handoff"
        )


class ActionHandBack(Action):
    """ "Hand back": staff release the conversation and the assistant answers again."""

    def __init__(self, client: CaseApiClient | None = None) -> None:
        """``client`` defaults to the process-wide case client."""
        self._client = client

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_hand_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Ends the hand-off on the platform; says so, or that the assistant was already here."""
        client = self._client or get_case_client()
        try:
            ended = await client.hand_back(tracker.sender_id)
        except PlatformApiError as error:
            logger.warning(
                event(
                    "handoff.hand_back_failed",
                    status=error.status_code or "-",
                    conversation=pseudonym(tracker.sender_id),
                )
            )
            dispatcher.utter_message(response="utter_handoff_hand_back_failed")
            return []
        dispatcher.utter_message(
            response="utter_handoff_returned" if ended else "utter_handoff_not_active"
        )
        return [SlotSet("handoff_reference", None)]


class ActionFallback(Action):
    """Not understood: ask to rephrase; the second time in a row, hand over to staff."""

    def __init__(self, client: CaseApiClient | None = None) -> None:
        """``client`` defaults to the process-wide case client."""
        self._client = client

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """``utter_default``, or the hand-off after two misunderstood messages in a row."""
        if fallbacks_in_a_row(tracker) < FALLBACKS_BEFORE_HANDOFF:
            dispatcher.utter_message(response="utter_default")
            return []
        dispatcher.utter_message(response="utter_handoff_after_fallbacks")
        return await hand_off(
            self._client or get_case_client(), dispatcher, tracker, reason="repeated_fallback"
        )
