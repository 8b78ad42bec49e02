"""Visitors' documents and phones: checked with the libraries, masked before they are shown."""

from __future__ import annotations

import pytest

from actions.bookings.identity import (
    Visitor,
    mask_document,
    mask_phone,
    national_phone,
    read_phone,
    read_visitor,
)

VALID_ID = "11010519491231002X"  # the checksum example of GB 11643
BAD_CHECK_DIGIT = "110105194912310021"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (f"张伟 {VALID_ID}", "张伟"),
        (f"李娜，身份证{VALID_ID.lower()}", "李娜"),
        (f"Zhang Wei, ID {VALID_ID}", "Zhang Wei"),
    ],
)
def test_mainland_id_numbers_with_a_valid_checksum_are_accepted(text: str, name: str) -> None:
    visitor = read_visitor(text)
    assert visitor == Visitor(name=name, id_type="cn_id", id_number=VALID_ID)


@pytest.mark.parametrize("text", [f"张伟 {BAD_CHECK_DIGIT}", "Wang Fang 110105194913310020"])
def test_a_wrong_check_digit_or_birth_date_is_a_clear_problem(text: str) -> None:
    assert read_visitor(text) == "bad_cn_id"


@pytest.mark.parametrize(
    ("text", "name", "number"),
    [
        ("John Smith passport E12345678", "John Smith", "E12345678"),
        ("Marie Dupont passeport 12AB34567", "Marie Dupont", "12AB34567"),
        ("田中太郎 パスポート TK1234567", "田中太郎", "TK1234567"),
        ("Иван Петров паспорт 751234567", "Иван Петров", "751234567"),
    ],
)
def test_passports_for_foreign_visitors(text: str, name: str, number: str) -> None:
    assert read_visitor(text) == Visitor(name=name, id_type="passport", id_number=number)


def test_a_missing_document_or_name_is_said() -> None:
    assert read_visitor("John Smith") == "missing_document"
    assert read_visitor(f"ID {VALID_ID}") == "missing_name"


def test_masks_keep_only_the_ends() -> None:
    assert mask_document(VALID_ID) == "110***********002X"
    assert mask_phone("+8613835180661") == "+86*******0661"
    assert VALID_ID not in str(Visitor("A", "cn_id", VALID_ID).masked())


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("13835180661", "+8613835180661"),
        ("my phone is 138-3518-0661", "+8613835180661"),
        ("+49 30 901820", "+4930901820"),
        ("+81 90-1234-5678", "+819012345678"),
    ],
)
def test_phones_mainland_and_international(text: str, e164: str) -> None:
    assert read_phone(text) == e164


@pytest.mark.parametrize("text", ["12345", "hello", "1383518"])
def test_invalid_phones_are_refused(text: str) -> None:
    assert read_phone(text) is None


def test_national_form_of_mainland_numbers() -> None:
    assert national_phone("+8613835180661") == "13835180661"
    assert national_phone("+4930901820") == "+4930901820"
