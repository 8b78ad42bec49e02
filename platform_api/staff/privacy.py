"""Masking of phone and ID numbers for lists, logs and staff who are not entitled to them."""

from __future__ import annotations

import re

_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])\+?\d[\d \-]{5,}\d[\dXx]?(?![0-9A-Za-z])")
_PASSPORT = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{1,2}\d{6,9}(?![0-9A-Za-z])")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def mask_phone(phone: str) -> str:
    """``+8613812345678`` → ``+86*******5678`` (country code and last four digits kept)."""
    if not phone:
        return ""
    digits = phone.lstrip("+")
    country = "86" if digits.startswith("86") else digits[:2]
    rest = digits[len(country) :]
    if len(rest) <= 4:
        return "+" + country + "*" * len(rest)
    return f"+{country}{'*' * (len(rest) - 4)}{rest[-4:]}"


def _mask_number(match: re.Match[str]) -> str:
    value = match.group()
    if _DATE.fullmatch(value):
        return value
    digits = [c for c in value if c.isalnum()]
    return "*" * (len(digits) - 4) + "".join(digits[-4:]) if len(digits) > 4 else "****"


def mask_text(text: str) -> str:
    """``text`` with phone, ID-card, bank-card and passport numbers masked to their last 4 characters."""
    text = _PASSPORT.sub(_mask_number, text)
    return _LONG_NUMBER.sub(_mask_number, text)
