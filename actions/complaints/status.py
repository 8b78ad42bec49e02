"""``check_complaint_status``: the tourist gives the case reference and the phone number it was
filed with, and hears the status, the latest staff reply and the deadline.

The platform answers only when both match (404 otherwise), so nobody reads someone else's case;
the bot says the same thing for an unknown reference and for a wrong phone. The phone is removed
from the slots after the look-up.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clients.platform_api import PlatformApiError
from actions.complaints import parsing
from actions.complaints.client import CaseApiClient, get_case_client
from actions.complaints.form import entity_values, keep_form_language, wants_to_stop
from actions.complaints.texts import china_time
from actions.knowledge import session_language
from common.logsafe import event, pseudonym

logger = logging.getLogger(__name__)

STATUS_SLOTS: tuple[str, ...] = (
    "status_reference",
    "status_phone",
    "status_cancelled",
    "status_language",
)


def _phone_in(tracker: Tracker, text: str) -> str | None:
    for candidate in [*entity_values(tracker, "phone"), text]:
        phone = parsing.phone_e164(candidate)
        if phone:
            return phone
    return None


class ActionStartComplaintStatus(Action):
    """Clears an earlier look-up and takes the reference / phone the request already names."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_start_complaint_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """``status_reference`` from the message (else the case filed in this conversation)."""
        text = str(tracker.latest_message.get("text") or "")
        found = parsing.reference(text) or tracker.get_slot("complaint_reference")
        phone = _phone_in(tracker, text) if parsing.reference(text) else None
        return [
            SlotSet("status_reference", found),
            SlotSet("status_phone", phone),
            SlotSet("status_cancelled", None),
            SlotSet("status_language", session_language(tracker)),
        ]


class ValidateComplaintStatusForm(FormValidationAction):
    """Reads the reference and the phone."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "validate_complaint_status_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Validate the answer, then keep the questions in the look-up's language."""
        events = await super().run(dispatcher, tracker, domain)
        return [*keep_form_language(tracker, "status_language"), *events]

    def domain_slots(self, domain: DomainDict) -> list[str]:
        """The form's slots (Rasa sends this action no domain); never equal to the required ones."""
        return list(STATUS_SLOTS)

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Reference then phone; nothing more after a stop."""
        if tracker.get_slot("status_cancelled"):
            return ["status_cancelled"]
        return ["status_reference", "status_phone"]

    def validate_status_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A reference like ``TS-20261207-0001``."""
        if wants_to_stop(tracker):
            return {"status_reference": None, "status_cancelled": True}
        found = parsing.reference(str(value or ""))
        if found is None:
            dispatcher.utter_message(response="utter_status_reference_invalid")
        return {"status_reference": found}

    def validate_status_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The phone number the case was filed with."""
        if wants_to_stop(tracker):
            return {"status_phone": None, "status_cancelled": True}
        phone = _phone_in(tracker, str(value or ""))
        if phone is None:
            dispatcher.utter_message(response="utter_complaint_phone_invalid")
        return {"status_phone": phone}


class ActionComplaintStatus(Action):
    """Asks the platform for the case and tells the tourist what staff have done."""

    def __init__(self, client: CaseApiClient | None = None) -> None:
        """``client`` defaults to the process-wide case client."""
        self._client = client

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_complaint_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Status, latest reply and deadline; the same "not found" for any mismatch."""
        cleared: list[EventType] = [SlotSet(slot, None) for slot in STATUS_SLOTS]
        if tracker.get_slot("status_cancelled"):
            dispatcher.utter_message(response="utter_complaint_cancelled")
            return cleared
        language = session_language(tracker)
        reference = str(tracker.get_slot("status_reference"))
        client = self._client or get_case_client()
        try:
            case = await client.complaint_status(reference, str(tracker.get_slot("status_phone")))
        except PlatformApiError as error:
            if error.status_code == 429:  # too many wrong phones for this reference
                dispatcher.utter_message(
                    response="utter_complaint_status_too_many_attempts", reference=reference
                )
                return cleared
            logger.warning(
                event(
                    "complaint.status_failed",
                    status=error.status_code or "-",
                    conversation=pseudonym(tracker.sender_id),
                )
            )
            dispatcher.utter_message(response="utter_complaint_status_unavailable")
            return cleared
        if case is None:
            dispatcher.utter_message(
                response="utter_complaint_status_not_found", reference=reference
            )
            return cleared
        dispatcher.utter_message(
            response=f"utter_complaint_status_{case.status}"
            if case.status in {"open", "in_progress", "resolved"}
            else "utter_complaint_status_open",
            reference=case.reference,
            due=china_time(case.due_at, language),
        )
        if case.latest_reply:
            dispatcher.utter_message(
                response="utter_complaint_latest_reply", reply=case.latest_reply
            )
        elif case.status != "resolved":
            dispatcher.utter_message(response="utter_complaint_no_reply_yet")
        if case.outcome:
            dispatcher.utter_message(response="utter_complaint_outcome", outcome=case.outcome)
        return [*cleared, SlotSet("complaint_reference", case.reference)]
