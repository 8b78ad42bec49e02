"""``identity_form``: the phone number (the platform texts it a code), then the code.

``action_start_identity`` skips both questions when this conversation already verified a number
that the platform still holds (``identity_verified``). ``validate_identity_form`` reads each answer:
the number goes straight to the platform, which texts the code; only the masked number and the
platform's challenge id are kept. A wrong code is counted by the platform, which refuses the code
after its limit; "cancel"/"stop" ends the form like the other forms.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.bookings.common import (
    REQUESTED_SLOT,
    BookingAction,
    language_of,
    log_failure,
    logger,
    platform_down,
    text_of,
    wants_to_stop,
)
from actions.bookings.identity import read_phone
from actions.clients.platform_api import PlatformApiError
from actions.complaints.form import keep_form_language
from actions.identity.reading import channel_of, read_code
from common.logsafe import event, pseudonym

PHONE = "identity_phone"
"""The masked number the code went to (never the number itself)."""
CODE = "identity_code"
"""``verified`` once the platform accepted the code (never the code itself)."""
CHALLENGE = "identity_challenge"
VERIFIED = "identity_verified"
"""The masked number this conversation verified; kept for the session."""
OUTCOME = "identity_outcome"
"""Why the form ended early: ``stopped``, ``unavailable`` or ``refused`` (already said why)."""
LANGUAGE = "identity_language"
MARK = "verified"
FLOW_SLOTS = (PHONE, CODE, CHALLENGE, OUTCOME)


def forget() -> list[EventType]:
    """Clear the flow's slots (the verified marker stays)."""
    return [SlotSet(name, None) for name in (*FLOW_SLOTS, LANGUAGE)]


def end_form(outcome: str) -> list[EventType]:
    """End the form early, saying why to the action that follows it."""
    return [SlotSet(OUTCOME, outcome), SlotSet(REQUESTED_SLOT, None)]


class ActionStartIdentity(BookingAction):
    """Starts the verification, or lets the listing go ahead when the number is still verified."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_start_identity"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Both form slots filled with the marker when the platform still holds the number."""
        events: list[EventType] = [*forget(), SlotSet(LANGUAGE, language_of(tracker))]
        if not tracker.get_slot(VERIFIED):
            return events
        try:
            records = await self.client.identity_records(tracker.sender_id)
        except PlatformApiError as error:
            log_failure("identity.records_failed", tracker, error)
            return events
        if records is None:  # the platform's link expired: verify again
            return [*events, SlotSet(VERIFIED, None)]
        return [*events, SlotSet(PHONE, MARK), SlotSet(CODE, MARK)]


class ValidateIdentityForm(BookingAction):
    """Reads the number (and has the code texted) and then the code."""

    def name(self) -> str:
        """Name of the action in the domain."""
        return "validate_identity_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Events for the requested slot, in the form's language."""
        requested = tracker.get_slot(REQUESTED_SLOT)
        if not requested:
            return []
        language = keep_form_language(tracker, LANGUAGE)
        if wants_to_stop(tracker):
            return [*language, *end_form("stopped")]
        if requested == PHONE:
            return [*language, *await self._phone(dispatcher, tracker)]
        if requested == CODE:
            return [*language, *await self._code(dispatcher, tracker)]
        return language

    async def _phone(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        phone = read_phone(text_of(tracker))
        if phone is None:
            dispatcher.utter_message(response="utter_identity_bad_phone")
            return [SlotSet(PHONE, None)]
        try:
            sent = await self.client.request_phone_code(
                sender_id=tracker.sender_id,
                channel=channel_of(tracker),
                phone=phone,
                language=language_of(tracker),
            )
        except PlatformApiError as error:
            log_failure("identity.code_request_failed", tracker, error)
            if error.code == "invalid_phone":
                dispatcher.utter_message(response="utter_identity_bad_phone")
                return [SlotSet(PHONE, None)]
            if error.status_code == 429:
                dispatcher.utter_message(response="utter_identity_too_many_codes")
                return end_form("refused")
            return end_form("unavailable")
        logger.info(event("identity.code_sent", conversation=pseudonym(tracker.sender_id)))
        return [
            SlotSet(PHONE, str(sent.get("phone_masked") or "****")),
            SlotSet(CHALLENGE, str(sent["challenge_id"])),
        ]

    async def _code(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        code = read_code(text_of(tracker))
        if code is None:
            dispatcher.utter_message(response="utter_identity_code_unclear")
            return [SlotSet(CODE, None)]
        try:
            verified = await self.client.confirm_phone_code(
                str(tracker.get_slot(CHALLENGE) or "-"), sender_id=tracker.sender_id, code=code
            )
        except PlatformApiError as error:
            log_failure("identity.confirm_failed", tracker, error)
            if error.code == "wrong_code":
                dispatcher.utter_message(response="utter_identity_wrong_code")
                return [SlotSet(CODE, None)]
            if platform_down(error):
                return end_form("unavailable")
            # spent (too many wrong codes), expired, used, or a challenge that is not ours
            response = "utter_identity_code_spent" if error.code == "spent" else None
            dispatcher.utter_message(response=response or "utter_identity_code_expired")
            return end_form("refused")
        logger.info(event("identity.verified", conversation=pseudonym(tracker.sender_id)))
        return [
            SlotSet(CODE, MARK),
            SlotSet(VERIFIED, str(verified.get("phone_masked") or "****")),
        ]
