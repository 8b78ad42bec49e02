"""Visitors' names and documents, phone numbers, and their masked forms.

Mainland resident ID numbers are checked with ``stdnum.cn.ric`` (length, birth date, check digit);
passports are 5-9 letters and digits with at least one digit (foreign passports vary too much for
more). Phones go through ``phonenumbers`` (mainland numbers without a country code, others with
``+``). Only masked forms (``110***********7777``, ``138****0661``) ever leave these functions for
the tracker after a booking is made, or for logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import phonenumbers
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

DocumentProblem = Literal["missing_document", "bad_cn_id", "missing_name"]

_CN_ID = re.compile(
    r"(?<![0-9A-Za-z])(\d{17}[0-9Xx]|\d{6}[ \-]?\d{8}[ \-]?\d{3}[0-9Xx])(?![0-9A-Za-z])"
)
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{15,18}[Xx]?(?![0-9A-Za-z])")
_PASSPORT = re.compile(
    r"(?<![0-9A-Za-z])(?=[A-Za-z0-9]*\d)([A-Za-z]{0,2}\d{5,9}|[A-Za-z0-9]{6,9})(?![0-9A-Za-z])"
)
_DOC_WORDS = re.compile(
    r"身份证号?码?|身份證號?碼?|证件号?码?|护照号?码?|護照號?碼?|名字|姓名|我叫|パスポート(?:番号)?|"
    r"旅券番号|名前|氏名|です|여권(?:\s*번호)?|이름|입니다|[:：,，;；/]|"
    r"(?<!\w)(?:passport(?:\s+(?:number|no\.?))?|id(?:\s+(?:card|number|no\.?))?|name|my|is|"
    r"numéro|passeport|nom|reisepass(?:nummer)?|pass|ausweis(?:nummer)?|pasaporte|número|nombre|"
    r"паспорт|номер|имя|меня\s+зовут|and|et|und|y|и)(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Visitor:
    """One named visitor with a document, as the platform wants it."""

    name: str
    id_type: Literal["cn_id", "passport"]
    id_number: str

    def as_json(self) -> dict[str, str]:
        """The platform's ``visitor`` object."""
        return {"name": self.name, "id_type": self.id_type, "id_number": self.id_number}

    def masked(self) -> dict[str, str]:
        """The same with the document number masked, for summaries and the tracker."""
        return {
            "name": self.name,
            "id_type": self.id_type,
            "id_number": mask_document(self.id_number),
        }


def mask_document(number: str) -> str:
    """``110101199003077777`` -> ``110***********7777``; short numbers keep only 2 at the end."""
    if len(number) <= 6:
        return "*" * (len(number) - 2) + number[-2:]
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_phone(number: str) -> str:
    """``13835180661`` -> ``138****0661``; ``+447700900123`` -> ``+44*******0123``."""
    digits = number.strip()
    if len(digits) <= 7:
        return "*" * (len(digits) - 2) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def read_visitor(text: str) -> Visitor | DocumentProblem:
    """A visitor from a reply like "张三 110101199003077777" or "John Smith, passport E1234567".

    Returns the problem instead when the document is missing, a mainland ID number fails its
    check, or no name is left once the number is taken out.
    """
    number: str | None = None
    id_type: Literal["cn_id", "passport"] = "passport"
    if m := _CN_ID.search(text):
        candidate = re.sub(r"[ \-]", "", m.group(1)).upper()
        try:
            number = ric.validate(candidate)
        except stdnum_exceptions.ValidationError:
            return "bad_cn_id"
        id_type, span = "cn_id", m.span()
    elif _ID_LIKE.search(text) and not re.search(
        r"passport|护照|護照|パスポート|여권|passeport|pass|pasaporte|паспорт", text, re.I
    ):
        return "bad_cn_id"
    elif m := _PASSPORT.search(text):
        number, span = m.group(1).upper(), m.span()
    if number is None:
        return "missing_document"
    rest = (text[: span[0]] + " " + text[span[1] :]).strip()
    rest = _DOC_WORDS.sub(" ", rest)
    name = re.sub(r"\s+", " ", rest).strip(" .。-")
    if not name or not re.search(r"[^\W\d_]", name):
        return "missing_name"
    return Visitor(name=name[:60], id_type=id_type, id_number=number)


def read_phone(text: str) -> str | None:
    """A valid phone number in E.164 form (mainland numbers may come without +86), else None."""
    for match in phonenumbers.PhoneNumberMatcher(text, "CN"):
        if phonenumbers.is_valid_number(match.number):
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    digits = re.sub(r"[\s\-()]", "", text)
    try:
        parsed = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return None


def national_phone(e164: str) -> str:
    """``+8613835180661`` -> ``13835180661`` (mainland numbers); others stay in E.164."""
    return e164[3:] if e164.startswith("+86") else e164
