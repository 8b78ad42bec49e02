"""``/api/identity/...`` (service token): the conversation asks for a code, confirms it, and reads
the verified tourist's bookings and complaints from every channel.

The action server calls these for the tourist of ``sender_id`` (any channel: WeChat, widget, REST,
guide device). A conversation sees records only after confirming a code sent to their number.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from platform_api.api.deps import CurrentBot, SessionDep
from platform_api.complaints.errors import ApiError, EnvelopeRoute
from platform_api.identity import service
from platform_api.identity.settings import IdentitySettings, get_identity_settings
from platform_api.identity.sms import SandboxSmsSender, SmsSender

router = APIRouter(
    prefix="/api/identity",
    tags=["identity"],
    dependencies=[CurrentBot],
    route_class=EnvelopeRoute,
)
SettingsDep = Annotated[IdentitySettings, Depends(get_identity_settings)]
SenderId = Annotated[str, Field(min_length=1, max_length=128)]


def get_sms_sender(request: Request) -> SmsSender:
    """The app's SMS sender (the sandbox one until a provider is configured)."""
    sender: SmsSender | None = getattr(request.app.state, "sms_sender", None)
    if sender is None:
        sender = SandboxSmsSender()
        request.app.state.sms_sender = sender
    return sender


SmsDep = Annotated[SmsSender, Depends(get_sms_sender)]


class CodeRequest(BaseModel):
    """Send a code to ``phone`` for the conversation ``sender_id``."""

    model_config = ConfigDict(extra="forbid")

    sender_id: SenderId
    channel: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_\-]{0,31}$")]
    phone: Annotated[str, Field(min_length=3, max_length=32)]
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}$")] = "zh"


class CodeSent(BaseModel):
    """``challenge_id`` goes back with the code; the number is shown masked."""

    challenge_id: str
    phone_masked: str
    expires_at: dt.datetime


class CodeConfirm(BaseModel):
    """The code the tourist typed, from the conversation that asked for it."""

    model_config = ConfigDict(extra="forbid")

    sender_id: SenderId
    code: Annotated[str, Field(pattern=r"^\s*\d{6}\s*$")]


class Verified(BaseModel):
    """The conversation holds ``phone_masked`` until ``expires_at``."""

    verified: bool = True
    phone_masked: str
    expires_at: dt.datetime


class BookingSummary(BaseModel):
    """A booking as the conversation may list it (no visitor names or ID numbers)."""

    reference: str
    kind: str
    status: str
    venue_id: str
    visit_start: dt.datetime
    channel: str


class ComplaintSummary(BaseModel):
    """A complaint as the conversation may list it."""

    reference: str
    category: str
    status: str
    channel: str
    created_at: dt.datetime


class Records(BaseModel):
    """Everything filed with the verified number, on any channel."""

    phone_masked: str
    bookings: list[BookingSummary]
    complaints: list[ComplaintSummary]


@router.post("/challenges", status_code=201, response_model=CodeSent)
def request_code(
    session: SessionDep, sms: SmsDep, settings: SettingsDep, body: CodeRequest
) -> CodeSent:
    """Text a 6-digit code to the number (400 ``invalid_phone``, 429 ``too_many_codes``)."""
    issued = service.request_code(
        session,
        sms,
        settings,
        sender_id=body.sender_id,
        channel=body.channel,
        phone=body.phone,
        language=body.language,
    )
    return CodeSent(
        challenge_id=issued.challenge_id,
        phone_masked=issued.phone_masked,
        expires_at=issued.expires_at,
    )


@router.post("/challenges/{challenge_id}/confirm", response_model=Verified)
def confirm_code(
    session: SessionDep,
    settings: SettingsDep,
    challenge_id: Annotated[str, Path(min_length=1, max_length=32)],
    body: CodeConfirm,
) -> Verified:
    """Check the code (400 ``wrong_code``, 404, 410 ``expired``/``spent``/``used``)."""
    link = service.confirm_code(
        session, settings, challenge_id=challenge_id, sender_id=body.sender_id, code=body.code
    )
    return Verified(phone_masked=service.mask_phone(link.phone), expires_at=link.expires_at)


@router.get("/conversations/{sender_id}/records", response_model=Records)
def records(
    session: SessionDep, sender_id: Annotated[str, Path(min_length=1, max_length=128)]
) -> Records:
    """Bookings and complaints of the conversation's verified number (403 ``not_verified``)."""
    phone = service.verified_phone(session, sender_id)
    if phone is None:
        raise ApiError(403, "verify a phone number first", code="not_verified")
    bookings, complaints = service.records(session, phone)
    return Records(
        phone_masked=service.mask_phone(phone),
        bookings=[
            BookingSummary(
                reference=b.reference,
                kind=str(b.kind),
                status=str(b.status),
                venue_id=b.venue_id,
                visit_start=b.visit_start,
                channel=b.channel,
            )
            for b in bookings
        ],
        complaints=[
            ComplaintSummary(
                reference=c.reference,
                category=c.category,
                status=c.status,
                channel=c.channel,
                created_at=c.created_at,
            )
            for c in complaints
        ],
    )
