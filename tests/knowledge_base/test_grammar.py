"""Korean particles by final consonant and plural categories of the eight languages."""

from __future__ import annotations

import pytest

from knowledge_base.grammar import korean_particles, plural, plural_category


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("무후사<은/는> 무료입니다.", "무후사는 무료입니다."),
        ("청두박물관<은/는> 무료입니다.", "청두박물관은 무료입니다."),
        ("황룽<이/가> 있습니다.", "황룽이 있습니다."),
        ("주자이거우<이/가> 있습니다.", "주자이거우가 있습니다."),
        ("진리 거리<을/를> 봅니다.", "진리 거리를 봅니다."),
        ("아미산<을/를> 봅니다.", "아미산을 봅니다."),
        ("러산<과/와> 아미산", "러산과 아미산"),
        ("비펑샤<과/와> 황룽", "비펑샤와 황룽"),
        ("서울<으로/로> 갑니다", "서울로 갑니다"),
        ("광안<으로/로> 갑니다", "광안으로 갑니다"),
        ("두보초당(杜甫草堂)<은/는>", "두보초당(杜甫草堂)은"),
        ("'비펑샤'<은/는>", "'비펑샤'는"),
        ("12301<은/는>", "12301은"),
        ("Langzhong Ancient Town<은/는>", "Langzhong Ancient Town은"),
        ("Bifengxia<은/는>", "Bifengxia는"),
        ("마을 없음", "마을 없음"),
    ],
)
def test_korean_particle_follows_the_final_consonant(text: str, expected: str) -> None:
    assert korean_particles(text) == expected


def test_korean_particles_leave_no_marker_or_double_form() -> None:
    out = korean_particles("A<은/는> B<이/가> C<을/를> D<과/와>")
    assert "<" not in out and "(" not in out


@pytest.mark.parametrize(
    ("number", "category"),
    [
        (1, "one"),
        (21, "one"),
        (2, "few"),
        (34, "few"),
        (5, "many"),
        (11, "many"),
        (12, "many"),
        (111, "many"),
        (169, "many"),
        (80, "many"),
        (12.5, "other"),
    ],
)
def test_russian_plural_categories(number: float, category: str) -> None:
    assert plural_category("ru", number) == category


def test_plural_categories_of_other_languages() -> None:
    assert plural_category("en", 1) == "one" and plural_category("en", 2) == "other"
    assert plural_category("fr", 0) == "one" and plural_category("fr", 1.5) == "one"
    assert plural_category("fr", 2) == "other"
    assert {plural_category(lang, 1) for lang in ("zh", "ja", "ko")} == {"other"}


def test_plural_picks_the_form_and_accepts_a_plain_string() -> None:
    forms = {"one": "{n} юань", "few": "{n} юаня", "many": "{n} юаней", "other": "{n} юаня"}
    assert plural(forms, "ru", 21) == "{n} юань"
    assert plural(forms, "ru", 3) == "{n} юаня"
    assert plural(forms, "ru", 169) == "{n} юаней"
    assert plural("{n}元", "zh", 5) == "{n}元"
