"""Personal numbers removed from tourist text before it is stored for staff or editors."""

from __future__ import annotations

import re

REMOVED = "[number removed]"
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# Passport-like: one or two letters then 6-9 digits (E12345678, G1234567, PE1234567).
_PASSPORT = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{1,2}\d{6,9}(?![0-9A-Za-z])")
# Phone, ID card (18 characters, last may be X), bank card: 7+ digits, spaces/dashes allowed inside.
_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z.])\+?\d[\d \-]{5,}\d[\dXx]?(?![0-9A-Za-z.])")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def strip_personal_numbers(text: str) -> str:
    """``text`` with phone, ID-card, passport and bank-card numbers and e-mail addresses removed.

    Short numbers (prices, times, dates, party sizes) are kept: editors need the wording.
    """
    text = _EMAIL.sub(REMOVED, text)
    text = _PASSPORT.sub(REMOVED, text)
    return _LONG_NUMBER.sub(lambda m: m.group() if _DATE.fullmatch(m.group()) else REMOVED, text)
