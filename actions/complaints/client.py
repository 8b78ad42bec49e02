"""The platform's complaint and hand-off routes, as the action server calls them.

:class:`CaseApiClient` is the platform client (:class:`~actions.clients.platform_api.PlatformApiClient`:
same settings, same bot token, same connection pool) with the case routes added. Every method
raises :class:`~actions.clients.platform_api.PlatformApiError` when the platform is unreachable,
refuses the request or answers something unexpected; ``status_code`` tells which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from actions.clients.platform_api import PlatformApiClient, PlatformApiError

MAX_TRANSCRIPT_TURNS = 60
MAX_TURN_CHARS = 4000


@dataclass(frozen=True)
class ComplaintDraft:
    """What the complaint form collected, in the platform's terms."""

    category: str
    description: str
    phone: str = field(repr=False)
    language: str
    channel: str
    user_id: str = field(repr=False)
    venue_id: str | None = None
    merchant: str | None = None
    occurred_on: dt.date | None = None
    amount_fen: int | None = None
    evidence_urls: tuple[str, ...] = ()
    transcript: tuple[dict[str, str], ...] = ()
    escalation_reference: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The ``POST /api/complaints`` body (empty optional fields left out)."""
        body: dict[str, Any] = {
            "category": self.category,
            "description": self.description,
            "phone": self.phone,
            "language": self.language,
            "channel": self.channel,
            "user_id": self.user_id,
        }
        optional = {
            "venue_id": self.venue_id,
            "merchant": self.merchant,
            "occurred_on": self.occurred_on.isoformat() if self.occurred_on else None,
            "amount_fen": self.amount_fen,
            "evidence_urls": list(self.evidence_urls) or None,
            "transcript": list(self.transcript) or None,
            "escalation_reference": self.escalation_reference,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        return body


@dataclass(frozen=True)
class FiledComplaint:
    """The case the platform opened: its reference and when staff must respond."""

    reference: str
    status: str
    due_at: dt.datetime


@dataclass(frozen=True)
class ComplaintStatus:
    """What the tourist may know about their case."""

    reference: str
    status: str
    due_at: dt.datetime
    latest_reply: str | None
    outcome: str | None


@dataclass(frozen=True)
class HandoffOpened:
    """The platform's answer to a hand-off request.

    ``live`` is True when staff are on duty and the conversation is now theirs; otherwise
    ``complaint_reference`` / ``due_at`` name the case opened instead, and ``office_hours``
    says when staff answer chats live.
    """

    reference: str
    live: bool
    office_hours: str | None = None
    complaint_reference: str | None = None
    due_at: dt.datetime | None = None


def _datetime(value: object) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class CaseApiClient(PlatformApiClient):
    """Platform client with the complaint and hand-off routes."""

    async def file_complaint(self, draft: ComplaintDraft) -> FiledComplaint:
        """``POST /api/complaints``: open a case; 4xx means the platform refused the details."""
        path = "/api/complaints"
        body = await self._request("POST", path, json=draft.as_json())
        try:
            return FiledComplaint(
                reference=str(body["reference"]),
                status=str(body["status"]),
                due_at=_datetime(body["due_at"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise PlatformApiError(f"POST {path}: answer is not a filed complaint") from exc

    async def complaint_status(self, reference: str, phone: str) -> ComplaintStatus | None:
        """``GET /api/complaints/{reference}?phone=``; None when no case has both (404)."""
        path = f"/api/complaints/{quote(reference, safe='')}"
        try:
            body = await self._request("GET", path, params={"phone": phone})
        except PlatformApiError as error:
            if error.status_code in (404, 422):
                return None
            raise
        try:
            latest = body.get("latest_reply")
            if latest is None and body.get("replies"):
                latest = body["replies"][-1]
            return ComplaintStatus(
                reference=str(body["reference"]),
                status=str(body["status"]),
                due_at=_datetime(body["due_at"]),
                latest_reply=str(latest["text"]) if isinstance(latest, dict) else None,
                outcome=str(body["outcome"]) if body.get("outcome") else None,
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise PlatformApiError("GET /api/complaints/{reference}: answer is not a case") from exc

    async def open_handoff(
        self,
        *,
        sender_id: str,
        channel: str,
        language: str,
        reason: str,
        transcript: list[dict[str, str]],
    ) -> HandoffOpened:
        """``POST /api/escalations``: hand the conversation to staff.

        In office hours the answer is ``active`` (the bot pauses and the channel relays); out of
        hours it is not, and the caller opens a complaint case instead.
        """
        path = "/api/escalations"
        last_user = next((t["text"] for t in reversed(transcript) if t["role"] == "user"), "")
        body = await self._request(
            "POST",
            path,
            json={
                "sender_id": sender_id,
                "channel": channel,
                "language": language,
                "reason": reason,
                "last_user_message": last_user[:MAX_TURN_CHARS],
                "transcript": transcript[-MAX_TRANSCRIPT_TURNS:],
            },
        )
        try:
            due = body.get("due_at")
            return HandoffOpened(
                reference=str(body["reference"]),
                live=bool(body["active"]),
                office_hours=str(body["office_hours"]) if body.get("office_hours") else None,
                complaint_reference=(
                    str(body["complaint_reference"]) if body.get("complaint_reference") else None
                ),
                due_at=_datetime(due) if due else None,
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise PlatformApiError(f"POST {path}: answer is not a hand-off") from exc

    async def hand_back(self, sender_id: str) -> bool:
        """``POST /api/conversations/{sender_id}/handoff/end``: the bot answers again.

        True when a hand-off was active, False when there was none (409 ``not_handed_off``).
        """
        try:
            await self._request(
                "POST", f"/api/conversations/{quote(sender_id, safe='')}/handoff/end"
            )
        except PlatformApiError as error:
            if error.status_code in (404, 409):
                return False
            raise
        return True


@lru_cache(maxsize=1)
def get_case_client() -> CaseApiClient:
    """The process-wide case client (one connection pool), built on first use."""
    return CaseApiClient()
