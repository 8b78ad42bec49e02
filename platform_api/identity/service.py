"""Request a code, confirm it, and what a verified conversation may see.

Rules: a number gets at most ``max_codes_per_phone_hour`` codes an hour whoever asks; a
conversation waits ``resend_interval_s`` between requests; a code is confirmed only by the
conversation that asked for it, before it expires and within ``max_attempts`` tries; codes are
compared as salted SHA-256 hashes in constant time. A confirmed code links the conversation to the
number for ``link_ttl_s``; records (bookings, complaints) are those filed with that number on any
channel.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from platform_api.bookings.models import Booking
from platform_api.complaints.errors import ApiError
from platform_api.complaints.models import Complaint
from platform_api.identity.models import PhoneChallenge, VerifiedPhone
from platform_api.identity.settings import IdentitySettings
from platform_api.identity.sms import SmsSender, code_message
from platform_api.models import utcnow

DEFAULT_REGION = "CN"


def normalise_phone(raw: str) -> str:
    """E.164 of a mainland or international number; 400 ``invalid_phone`` otherwise."""
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ApiError(400, "not a valid phone number", code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(phone: str) -> str:
    """``+86138****8000``: enough for the tourist to recognise it, not to read it."""
    return phone[:-8] + "****" + phone[-4:] if len(phone) > 8 else "****"


def _hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    """A sent challenge: its public id, where it went (masked) and until when it is valid."""

    challenge_id: str
    phone_masked: str
    expires_at: dt.datetime


def request_code(
    session: Session,
    sms: SmsSender,
    settings: IdentitySettings,
    *,
    sender_id: str,
    channel: str,
    phone: str,
    language: str,
    now: dt.datetime | None = None,
) -> Issued:
    """Send a new 6-digit code to ``phone`` for ``sender_id`` (429 ``too_many_codes`` when limited)."""
    now = now or utcnow()
    e164 = normalise_phone(phone)
    hour_ago = now - dt.timedelta(hours=1)
    sent_to_phone = session.scalar(
        select(func.count())
        .select_from(PhoneChallenge)
        .where(PhoneChallenge.phone == e164, PhoneChallenge.created_at > hour_ago)
    )
    last_of_sender = session.scalar(
        select(func.max(PhoneChallenge.created_at)).where(PhoneChallenge.sender_id == sender_id)
    )
    if (sent_to_phone or 0) >= settings.max_codes_per_phone_hour or (
        last_of_sender is not None
        and now - last_of_sender < dt.timedelta(seconds=settings.resend_interval_s)
    ):
        raise ApiError(429, "too many codes requested; try again later", code="too_many_codes")
    code = f"{secrets.randbelow(1_000_000):06d}"
    salt = secrets.token_hex(16)
    challenge = PhoneChallenge(
        public_id=secrets.token_urlsafe(24)[:32],
        sender_id=sender_id,
        channel=channel,
        phone=e164,
        salt=salt,
        code_hash=_hash(salt, code),
        created_at=now,
        expires_at=now + dt.timedelta(seconds=settings.code_ttl_s),
    )
    session.add(challenge)
    session.commit()
    sms.send(e164, code_message(code, language, settings.code_ttl_s // 60))
    return Issued(challenge.public_id, mask_phone(e164), challenge.expires_at)


def confirm_code(
    session: Session,
    settings: IdentitySettings,
    *,
    challenge_id: str,
    sender_id: str,
    code: str,
    now: dt.datetime | None = None,
) -> VerifiedPhone:
    """Link ``sender_id`` to the challenge's number when ``code`` is right.

    404 for an unknown challenge or one another conversation asked for; 410 ``expired`` or
    ``spent`` (too many wrong codes); 400 ``wrong_code`` with the attempts left.
    """
    now = now or utcnow()
    challenge = session.scalar(
        select(PhoneChallenge).where(PhoneChallenge.public_id == challenge_id)
    )
    if challenge is None or not hmac.compare_digest(challenge.sender_id, sender_id):
        raise ApiError(404, "no such verification for this conversation", code="not_found")
    if challenge.verified_at is not None:
        raise ApiError(410, "this code was already used", code="used")
    if now >= challenge.expires_at:
        raise ApiError(410, "the code has expired; ask for a new one", code="expired")
    if challenge.attempts >= settings.max_attempts:
        raise ApiError(410, "too many wrong codes; ask for a new one", code="spent")
    if not hmac.compare_digest(challenge.code_hash, _hash(challenge.salt, code.strip())):
        challenge.attempts += 1
        session.commit()
        left = settings.max_attempts - challenge.attempts
        raise ApiError(400, f"wrong code; {left} attempts left", code="wrong_code")
    challenge.verified_at = now
    link = VerifiedPhone(
        sender_id=sender_id,
        channel=challenge.channel,
        phone=challenge.phone,
        verified_at=now,
        expires_at=now + dt.timedelta(seconds=settings.link_ttl_s),
    )
    session.add(link)
    session.commit()
    return link


def verified_phone(session: Session, sender_id: str, now: dt.datetime | None = None) -> str | None:
    """The number ``sender_id`` verified most recently and still holds, if any."""
    now = now or utcnow()
    return session.scalar(
        select(VerifiedPhone.phone)
        .where(VerifiedPhone.sender_id == sender_id, VerifiedPhone.expires_at > now)
        .order_by(VerifiedPhone.verified_at.desc())
        .limit(1)
    )


def records(session: Session, phone: str) -> tuple[list[Booking], list[Complaint]]:
    """Bookings and complaints filed with ``phone`` on any channel, newest first."""
    bookings = list(
        session.scalars(select(Booking).where(Booking.phone == phone).order_by(Booking.id.desc()))
    )
    complaints = list(
        session.scalars(
            select(Complaint).where(Complaint.phone == phone).order_by(Complaint.id.desc())
        )
    )
    return bookings, complaints
