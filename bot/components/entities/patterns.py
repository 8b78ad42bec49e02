"""Phone numbers and our booking / complaint reference numbers.

Phones: Chinese mobiles (1[3-9] + 9 digits), landlines (0 + 2-3 digit area code + 7-8 digits),
400/800 service numbers, each optionally with a +86 / 0086 / 86 country code and spaces or hyphens
between digit groups. The value is the national number, digits only (``+86 28 8661 3333`` ->
``02886613333``). References: ``BK-YYYYMMDD-NNNN`` (booking), ``ESC-``/``CP-YYYYMMDD-NNNN``
(complaint), any case, with or without hyphens; the value is upper case with hyphens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEP = r"[ \-]?"
_CC = r"(?P<cc>(?:\+|00)?86[ \-]?|\(\+?86\)[ \-]?)?"
_PHONE = re.compile(
    r"(?<![0-9A-Za-z+])" + _CC + r"(?P<num>"
    rf"1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}"  # mobile 3-4-4
    rf"|[48]00{_SEP}\d{{3}}{_SEP}\d{{4}}"  # 400/800 3-3-4
    rf"|\(?0?\d{{2,3}}\)?{_SEP}\d{{3,4}}{_SEP}\d{{4}}"  # landline, 0 optional after +86
    r")(?![0-9A-Za-z])"
)
_REF = re.compile(
    r"(?<![A-Za-z0-9])(?P<kind>BK|ESC|CP)[ \-_]?(?P<date>20\d{6})[ \-_]?(?P<seq>\d{4})(?![0-9])",
    re.IGNORECASE,
)
REF_ENTITY = {"BK": "booking_ref", "ESC": "complaint_ref", "CP": "complaint_ref"}


@dataclass(frozen=True)
class Found:
    """A rule match: entity name, normalised value, offsets in the text."""

    entity: str
    value: object
    start: int
    end: int


def _normalise_phone(number: str, has_country_code: bool) -> str:
    digits = re.sub(r"\D", "", number)
    if re.fullmatch(r"1[3-9]\d{9}", digits) or re.fullmatch(r"[48]00\d{7}", digits):
        return digits
    if not digits.startswith("0"):
        if not has_country_code:
            return ""
        digits = "0" + digits
    # 0 + area code (2-3 digits) + 7-8 digit local number = 10-12 digits in total
    return digits if re.fullmatch(r"0[1-9]\d{8,10}", digits) else ""


def find_phones(text: str) -> list[Found]:
    """Phone numbers in ``text``."""
    found = []
    for m in _PHONE.finditer(text):
        value = _normalise_phone(m.group("num"), bool(m.group("cc")))
        if value:
            found.append(Found("phone", value, m.start(), m.end()))
    return found


def find_refs(text: str) -> list[Found]:
    """Booking and complaint references in ``text``."""
    return [
        Found(
            REF_ENTITY[m.group("kind").upper()],
            f"{m.group('kind').upper()}-{m.group('date')}-{m.group('seq')}",
            m.start(),
            m.end(),
        )
        for m in _REF.finditer(text)
    ]
