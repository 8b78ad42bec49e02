"""Hand-over to a person: records an escalation on the platform for the complaint/service staff."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.platform_api import (
    PlatformApiClient,
    PlatformApiError,
    get_platform_api_client,
)
from actions.knowledge import session_language
from common.logsafe import event, pseudonym

logger = logging.getLogger(__name__)


class ActionHumanHandoff(Action):
    """Files an escalation with the platform API and tells the tourist staff will follow up."""

    def __init__(self, client: PlatformApiClient | None = None) -> None:
        """``client`` defaults to the process-wide platform client (one connection pool)."""
        self._client = client

    def name(self) -> str:
        """Name of the action in the domain."""
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Acknowledges the request; the escalation is best effort (the hotline is always given)."""
        client = self._client or get_platform_api_client()
        try:
            reference = await client.create_escalation(
                sender_id=tracker.sender_id,
                channel=tracker.get_latest_input_channel() or "unknown",
                language=session_language(tracker),
                reason="human_handoff",
                last_user_message=tracker.latest_message.get("text") or "",
            )
            logger.info(
                event(
                    "handoff.escalation_filed",
                    reference=reference,
                    conversation=pseudonym(tracker.sender_id),
                )
            )
        except PlatformApiError as error:
            logger.warning(
                event(
                    "handoff.escalation_failed",
                    status=error.status_code or "-",
                    conversation=pseudonym(tracker.sender_id),
                )
            )
        dispatcher.utter_message(response="utter_human_handoff")
        return []
