"""Real-name data: document and phone checks (python-stdnum, phonenumbers) and masking.

Full values are stored; responses and logs show :func:`mask_id` / :func:`mask_phone` forms only.
"""

from __future__ import annotations

import re

import phonenumbers
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumValidationError

_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")


def normalise_cn_id(value: str) -> str:
    """A valid mainland resident ID number (18 characters, upper-case X), or ValueError.

    :func:`stdnum.cn.ric.validate` checks the length, birth date, region and check character.
    """
    try:
        return str(ric.validate(value.strip().upper()))
    except StdnumValidationError:
        raise ValueError("not a valid mainland ID number (check digit or birth date)") from None


def normalise_passport(value: str) -> str:
    """A passport number: 5-20 letters and digits (spaces and dashes removed), or ValueError.

    Passport formats differ by country and have no public checksum, so only the shape is checked.
    """
    cleaned = re.sub(r"[\s\-]", "", value).upper()
    if not _PASSPORT.fullmatch(cleaned):
        raise ValueError("a passport number has 5 to 20 letters and digits")
    return cleaned


def normalise_document(id_type: str, id_number: str) -> str:
    """The stored form of a ``cn_id`` or ``passport`` number (ValueError when invalid)."""
    if id_type == "cn_id":
        return normalise_cn_id(id_number)
    if id_type == "passport":
        return normalise_passport(id_number)
    raise ValueError("id_type must be cn_id or passport")


def normalise_phone(value: str) -> str:
    """E.164 form of a mainland (default region CN) or international (+…) number, or ValueError."""
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_id(value: str) -> str:
    """``510104199001011234`` → ``510***********1234``; short numbers keep 1 + 2 characters."""
    if len(value) >= 10:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    if len(value) <= 3:
        return "*" * len(value)
    return value[:1] + "*" * (len(value) - 3) + value[-2:]


def mask_phone(value: str) -> str:
    """``+8613812345678`` → ``+86138****5678`` (country code, first 3 and last 4 digits kept)."""
    try:
        number = phonenumbers.parse(value, "CN")
        national = str(number.national_number)
        prefix = f"+{number.country_code}"
    except phonenumbers.NumberParseException:
        national, prefix = re.sub(r"\D", "", value), ""
    if len(national) <= 7:
        return prefix + "*" * len(national)
    return prefix + national[:3] + "*" * (len(national) - 7) + national[-4:]
