"""The complaint form: ``complaint_form`` asks, ``validate_complaint_form`` reads the answers,
``action_submit_complaint`` files the case with the platform.

Order: category (buttons and numbers 1-7), where (a knowledge-base place the gazetteer recognises,
else the merchant as written), when, amount, what happened, evidence (only on channels that carry
images), phone, then a summary to confirm. "cancel" / "stop" (or the ``stop`` intent) at any
question leaves the form and files nothing; an answer that does not fit gets a message saying what
is expected and the same question again, keeping the answers already given. After filing, the
phone number is removed from the conversation's slots; logs never carry it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clients.platform_api import PlatformApiError
from actions.complaints import parsing
from actions.complaints.client import CaseApiClient, ComplaintDraft, get_case_client
from actions.complaints.texts import (
    CHINA_TIME,
    category_label,
    china_time,
    local_date,
    response_text,
)
from actions.knowledge import session_language
from common.logsafe import event, pseudonym

logger = logging.getLogger(__name__)

FORM_SLOTS: tuple[str, ...] = (
    "complaint_category",
    "complaint_place",
    "complaint_date",
    "complaint_amount",
    "complaint_description",
    "complaint_evidence",
    "complaint_phone",
    "complaint_confirm",
)
STATE_SLOTS: tuple[str, ...] = ("complaint_venue_id", "complaint_cancelled", "complaint_language")
IMAGE_CHANNELS = frozenset({"wechat", "widget"})
"""Channels that carry pictures; elsewhere the evidence question is skipped unless the message
metadata says ``"images": true``."""
NO_EVIDENCE = "none"
NO_AMOUNT = "none"
MIN_DESCRIPTION_CHARS = 4
STOP_CONFIDENCE = 0.5
MAX_STOP_CHARS = 40


def latest_metadata(tracker: Tracker) -> dict[str, Any]:
    """The channel's metadata of the latest user message (``{}`` when none)."""
    for item in reversed(tracker.events):
        if item.get("event") == "user":
            metadata = item.get("metadata")
            return metadata if isinstance(metadata, dict) else {}
    return {}


def carries_images(tracker: Tracker) -> bool:
    """Whether the tourist's channel can send pictures."""
    if latest_metadata(tracker).get("images") is True:
        return True
    return (tracker.get_latest_input_channel() or "") in IMAGE_CHANNELS


def wants_to_stop(tracker: Tracker) -> bool:
    """ "cancel", "算了", "やめる"…: a stop word, or the ``stop`` intent on a short message."""
    text = str(tracker.latest_message.get("text") or "")
    if parsing.is_cancel(text):
        return True
    intent = tracker.latest_message.get("intent") or {}
    return (
        intent.get("name") == "stop"
        and float(intent.get("confidence") or 0.0) >= STOP_CONFIDENCE
        and len(text) <= MAX_STOP_CHARS
    )


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Values of ``entity`` in the latest message."""
    return [
        str(item.get("value"))
        for item in tracker.latest_message.get("entities") or []
        if item.get("entity") == entity and item.get("value") is not None
    ]


def reset_events() -> list[EventType]:
    """Clear every slot of the complaint form (phone included)."""
    return [SlotSet(slot, None) for slot in (*FORM_SLOTS, *STATE_SLOTS)]


def start_events(tracker: Tracker) -> list[EventType]:
    """A fresh form that keeps the language it starts in (``complaint_language``)."""
    return [*reset_events(), SlotSet("complaint_language", session_language(tracker))]


def keep_form_language(tracker: Tracker, slot: str) -> list[EventType]:
    """Set the ``language`` slot back to the form's language.

    Short answers ("昨日", "300元", "はい") are read by the language identifier on their own: a
    Japanese "昨日" looks Chinese. The questions of one form stay in the language it started in
    (an explicit request, ``language_locked``, still wins in every response).
    """
    form_language = tracker.get_slot(slot)
    if form_language and tracker.get_slot("language") != form_language:
        return [SlotSet("language", form_language)]
    return []


class ActionStartComplaint(Action):
    """Forget an earlier, unfinished complaint before the form starts."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_start_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Slots of the form cleared; the form's language remembered."""
        return start_events(tracker)


class ValidateComplaintForm(FormValidationAction):
    """Reads each answer of ``complaint_form``; invalid answers are asked again."""

    def __init__(self, today: Callable[[], dt.date] | None = None) -> None:
        """``today`` (China's date by default) bounds the date of the incident."""
        self._today = today or (lambda: dt.datetime.now(CHINA_TIME).date())

    def name(self) -> str:
        """Name of the action in the domain."""
        return "validate_complaint_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Validate the answer, then keep the questions in the form's language."""
        events = await super().run(dispatcher, tracker, domain)
        return [*keep_form_language(tracker, "complaint_language"), *events]

    def domain_slots(self, domain: DomainDict) -> list[str]:
        """The form's slots, known here: Rasa sends this action no domain (selective domain).

        Never equal to :meth:`required_slots`, so this action always names the next question.
        """
        return [*FORM_SLOTS, "complaint_cancelled"]

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The questions still to ask: none after a stop, no evidence where pictures can't come.

        After a stop the list is the (filled) ``complaint_cancelled`` slot alone, so the form ends.
        """
        if tracker.get_slot("complaint_cancelled"):
            return ["complaint_cancelled"]
        return [
            slot for slot in FORM_SLOTS if slot != "complaint_evidence" or carries_images(tracker)
        ]

    def _stopped(self, slot: str) -> dict[str, Any]:
        return {slot: None, "complaint_cancelled": True}

    def validate_complaint_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A number 1-7 or a category named in any language."""
        if wants_to_stop(tracker):
            return self._stopped("complaint_category")
        found = parsing.category(str(value or ""))
        if found is None:
            dispatcher.utter_message(response="utter_complaint_category_invalid")
        return {"complaint_category": found}

    def validate_complaint_place(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A knowledge-base place (``attraction`` entity) or the merchant's name as written."""
        if wants_to_stop(tracker):
            return self._stopped("complaint_place")
        text = str(value or "").strip()
        venues = entity_values(tracker, "attraction")
        if len(text) < 2 and not venues:
            dispatcher.utter_message(response="utter_complaint_place_invalid")
            return {"complaint_place": None}
        return {"complaint_place": text[:200], "complaint_venue_id": venues[0] if venues else None}

    def validate_complaint_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A date within the last year, not in the future ("yesterday", "12月5日", "2026-12-05")."""
        if wants_to_stop(tracker):
            return self._stopped("complaint_date")
        day = parsing.occurred_on(str(value or ""), entity_values(tracker, "date"), self._today())
        if day is None:
            dispatcher.utter_message(response="utter_complaint_date_invalid")
            return {"complaint_date": None}
        return {"complaint_date": day.isoformat()}

    def validate_complaint_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An amount in yuan (kept in fen), or "none"."""
        if wants_to_stop(tracker):
            return self._stopped("complaint_amount")
        fen = parsing.amount_fen(str(value or ""))
        if fen is None:
            dispatcher.utter_message(response="utter_complaint_amount_invalid")
            return {"complaint_amount": None}
        return {"complaint_amount": str(fen) if fen else NO_AMOUNT}

    def validate_complaint_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """What happened, in the tourist's words (a few characters at least)."""
        if wants_to_stop(tracker):
            return self._stopped("complaint_description")
        text = str(value or "").strip()
        if len(text) < MIN_DESCRIPTION_CHARS:
            dispatcher.utter_message(response="utter_complaint_description_invalid")
            return {"complaint_description": None}
        return {"complaint_description": text[:4000]}

    def validate_complaint_evidence(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Pictures the channel attached or links to them, or "skip"."""
        if wants_to_stop(tracker):
            return self._stopped("complaint_evidence")
        urls = parsing.evidence_urls(str(value or ""), latest_metadata(tracker))
        if urls:
            return {"complaint_evidence": " ".join(urls)}
        if parsing.is_skip(str(value or "")):
            return {"complaint_evidence": NO_EVIDENCE}
        dispatcher.utter_message(response="utter_complaint_evidence_invalid")
        return {"complaint_evidence": None}

    def validate_complaint_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A valid phone number (mainland numbers without a country code), kept in E.164."""
        if wants_to_stop(tracker):
            return self._stopped("complaint_phone")
        phone = parsing.phone_e164(str(value or ""))
        if phone is None:
            for candidate in entity_values(tracker, "phone"):
                phone = parsing.phone_e164(candidate)
                if phone:
                    break
        if phone is None:
            dispatcher.utter_message(response="utter_complaint_phone_invalid")
        return {"complaint_phone": phone}

    def validate_complaint_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes files the complaint; no (or stop) files nothing."""
        if wants_to_stop(tracker):
            return self._stopped("complaint_confirm")
        answer = parsing.yes_or_no(str(value or ""))
        if answer is None:
            intent = (tracker.latest_message.get("intent") or {}).get("name")
            answer = {"affirm": True, "deny": False}.get(str(intent))
        if answer is None:
            dispatcher.utter_message(response="utter_complaint_confirm_invalid")
            return {"complaint_confirm": None}
        if not answer:
            return self._stopped("complaint_confirm")
        return {"complaint_confirm": "yes"}


class ActionAskComplaintCategory(Action):
    """Asks for the category with numbered choices and one button per category."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_ask_complaint_category"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """One message: the question, the numbered list and the buttons."""
        language = session_language(tracker)
        labels = [category_label(domain, key, language) for key in parsing.CATEGORIES]
        choices = "\n".join(f"{number}. {label}" for number, label in enumerate(labels, 1))
        dispatcher.utter_message(
            response="utter_ask_complaint_category",
            choices=choices,
            buttons=[
                {"title": f"{number}. {label}", "payload": str(number)}
                for number, label in enumerate(labels, 1)
            ],
        )
        return []


def summary_fields(tracker: Tracker, domain: DomainDict, language: str) -> dict[str, str]:
    """The values the summary shows, in the tourist's language (the phone masked)."""
    amount = tracker.get_slot("complaint_amount")
    evidence = tracker.get_slot("complaint_evidence")
    day = tracker.get_slot("complaint_date")
    phone = tracker.get_slot("complaint_phone") or ""
    return {
        "category": category_label(domain, str(tracker.get_slot("complaint_category")), language),
        "place": str(tracker.get_slot("complaint_place") or ""),
        "date": local_date(dt.date.fromisoformat(day), language) if day else "-",
        "amount": (
            f"¥{int(amount) / 100:,.2f}"
            if amount and amount != NO_AMOUNT
            else response_text(domain, "utter_complaint_none", language)
        ),
        "description": str(tracker.get_slot("complaint_description") or ""),
        "evidence": (
            str(len(evidence.split()))
            if evidence and evidence != NO_EVIDENCE
            else response_text(domain, "utter_complaint_none", language)
        ),
        "phone": parsing.mask_phone(phone) if phone else "-",
    }


class ActionAskComplaintConfirm(Action):
    """Shows what will be filed and asks whether to file it."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_ask_complaint_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The summary with yes / no buttons."""
        language = session_language(tracker)
        fields = summary_fields(tracker, domain, language)
        key = (
            "utter_ask_complaint_confirm"
            if fields["evidence"] == response_text(domain, "utter_complaint_none", language)
            or not carries_images(tracker)
            else "utter_ask_complaint_confirm_with_evidence"
        )
        dispatcher.utter_message(
            response=key,
            buttons=[
                {
                    "title": response_text(domain, "utter_complaint_button_yes", language),
                    "payload": "/affirm",
                },
                {
                    "title": response_text(domain, "utter_complaint_button_no", language),
                    "payload": "/deny",
                },
            ],
            **fields,
        )
        return []


def draft_from(tracker: Tracker, language: str) -> ComplaintDraft:
    """The complaint the form's slots describe."""
    amount = tracker.get_slot("complaint_amount")
    evidence = tracker.get_slot("complaint_evidence")
    venue = tracker.get_slot("complaint_venue_id")
    day = tracker.get_slot("complaint_date")
    return ComplaintDraft(
        category=str(tracker.get_slot("complaint_category")),
        description=str(tracker.get_slot("complaint_description")),
        phone=str(tracker.get_slot("complaint_phone")),
        language=language,
        channel=tracker.get_latest_input_channel() or "rest",
        user_id=tracker.sender_id,
        venue_id=str(venue) if venue else None,
        merchant=None if venue else str(tracker.get_slot("complaint_place")),
        occurred_on=dt.date.fromisoformat(day) if day else None,
        amount_fen=int(amount) if amount and amount != NO_AMOUNT else None,
        evidence_urls=tuple(evidence.split()) if evidence and evidence != NO_EVIDENCE else (),
        escalation_reference=tracker.get_slot("handoff_reference"),
    )


class ActionSubmitComplaint(Action):
    """Files the confirmed complaint and gives the tourist its reference and response time."""

    def __init__(self, client: CaseApiClient | None = None) -> None:
        """``client`` defaults to the process-wide case client."""
        self._client = client

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_submit_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Reference and deadline, or a message that nothing was filed and why."""
        language = session_language(tracker)
        if (
            tracker.get_slot("complaint_cancelled")
            or tracker.get_slot("complaint_confirm") != "yes"
        ):
            dispatcher.utter_message(response="utter_complaint_cancelled")
            return reset_events()
        client = self._client or get_case_client()
        draft = draft_from(tracker, language)
        try:
            filed = await client.file_complaint(draft)
        except PlatformApiError as error:
            logger.warning(
                event(
                    "complaint.file_failed",
                    status=error.status_code or "-",
                    conversation=pseudonym(tracker.sender_id),
                )
            )
            refused = error.status_code is not None and 400 <= error.status_code < 500
            dispatcher.utter_message(
                response="utter_complaint_refused" if refused else "utter_complaint_not_filed"
            )
            return reset_events()
        logger.info(
            event(
                "complaint.filed",
                reference=filed.reference,
                category=draft.category,
                language=language,
                conversation=pseudonym(tracker.sender_id),
            )
        )
        dispatcher.utter_message(
            response="utter_complaint_filed",
            reference=filed.reference,
            due=china_time(filed.due_at, language),
        )
        return [
            *reset_events(),
            SlotSet("complaint_reference", filed.reference),
            SlotSet("handoff_reference", None),
        ]
