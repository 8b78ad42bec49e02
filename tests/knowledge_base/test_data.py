"""The real knowledge-base data validates, covers the 5A list, and the validator catches each error."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from knowledge_base.store import load_entries
from knowledge_base.validate import main, name_key, validate

ROOT = Path(__file__).resolve().parents[2]
SHARED_5A = ROOT.parent / "shared" / "data" / "sichuan_5a_list.json"
TODAY = dt.date(2026, 11, 29)

BASE = """\
id: {id}
type: scenic_area
names: {{zh: {zh}, en: {en}}}
aliases: [{aliases}]
description: {{zh: 测试。, en: Test., ja: テスト。, ko: 테스트., fr: Essai., de: Test., es: Prueba., ru: Тест.}}
sources: [https://example.org/{id}]
"""


def _entry(
    directory: Path,
    entry_id: str,
    *,
    file_id: str | None = None,
    zh: str | None = None,
    en: str | None = None,
    aliases: str = "",
    extra: str = "",
    drop_sources: bool = False,
) -> None:
    text = BASE.format(
        id=entry_id, zh=zh or f"测试{entry_id}", en=en or f"Test {entry_id}", aliases=aliases
    )
    if drop_sources:
        text = (
            "\n".join(line for line in text.splitlines() if not line.startswith("sources")) + "\n"
        )
    (directory / f"{file_id or entry_id}.yml").write_text(text + extra, encoding="utf-8")


def _problems(directory: Path) -> list[str]:
    return validate(directory, today=TODAY).problems


# ---------------------------------------------------------------- real data


def test_real_data_has_no_problems() -> None:
    report = validate()
    assert report.problems == []
    assert len(report.entries) >= 30


def test_cli_exits_zero_on_real_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert capsys.readouterr().out.startswith("OK: ")


def _covers(record: dict, entries: dict) -> bool:
    lat, lon = float(record["latitude"]), float(record["longitude"])
    title = name_key(record["title"])
    for entry in entries.values():
        coords = entry.coordinates.value
        if coords and abs(coords.lat - lat) < 1e-6 and abs(coords.lon - lon) < 1e-6:
            return True
        if any(name_key(n) == title for n in entry.all_names()):
            return True
    return False


@pytest.mark.skipif(not SHARED_5A.exists(), reason="shared 5A list not available")
def test_every_5a_record_is_covered() -> None:
    entries = load_entries()
    records = json.loads(SHARED_5A.read_text(encoding="utf-8"))
    missing = [r["title"] for r in records if not _covers(r, entries)]
    assert missing == []
    assert sum(e.a_level == "5A" for e in entries.values()) >= len(records)


def test_required_chengdu_sights_and_topics_exist() -> None:
    entries = load_entries()
    for entry_id in (
        "chengdu-panda-base",
        "wuhou-shrine",
        "jinli",
        "du-fu-thatched-cottage",
        "kuanzhai-alley",
        "wenshu-monastery",
        "jinsha-site-museum",
        "sichuan-museum",
        "chengdu-museum",
        "sanxingdui-museum",
        "mount-siguniang",
        "sichuan-provincial-library",
        "qingchengshan",
        "dujiangyan",
        "topic-tourism-hotline-12301",
        "topic-altitude-sickness",
    ):
        assert entry_id in entries
    assert any(e.type == "event" and e.event_dates.value for e in entries.values())


def test_panda_question_finds_panda_entries() -> None:
    tagged = {e.id for e in load_entries().values() if "pandas" in e.tags}
    assert {"chengdu-panda-base", "bifengxia"} <= tagged


# ---------------------------------------------------------------- validator catches errors


def test_valid_fixture_has_no_problems(tmp_path: Path) -> None:
    _entry(tmp_path, "a")
    _entry(tmp_path, "b")
    assert _problems(tmp_path) == []


def test_schema_error(tmp_path: Path) -> None:
    _entry(tmp_path, "a", extra="a_level: 9A\n")
    assert any("a.yml: schema error" in p and "a_level" in p for p in _problems(tmp_path))


def test_yaml_error(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("id: a\nnames: [oops\n", encoding="utf-8")
    assert any("a.yml: cannot read YAML" in p for p in _problems(tmp_path))


def test_duplicate_id(tmp_path: Path) -> None:
    _entry(tmp_path, "a")
    _entry(tmp_path, "a", file_id="a-copy", zh="别名", en="Other")
    problems = _problems(tmp_path)
    assert any("duplicate id 'a'" in p for p in problems)


def test_id_differs_from_file_name(tmp_path: Path) -> None:
    _entry(tmp_path, "a", file_id="b")
    assert any("b.yml: id 'a' differs from the file name" in p for p in _problems(tmp_path))


def test_duplicate_alias_case_and_space_insensitive(tmp_path: Path) -> None:
    _entry(tmp_path, "a", aliases="Emei Shan")
    _entry(tmp_path, "b", aliases="emeishan")
    assert any("'emeishan' of 'b' duplicates 'Emei Shan' of 'a'" in p for p in _problems(tmp_path))


def test_alias_equal_to_other_entrys_name(tmp_path: Path) -> None:
    _entry(tmp_path, "a", zh="峨眉山")
    _entry(tmp_path, "b", aliases="峨眉山")
    assert any("name/alias '峨眉山' of 'b' duplicates" in p for p in _problems(tmp_path))


def test_fact_without_source(tmp_path: Path) -> None:
    _entry(tmp_path, "a", extra="phone: {value: '028-1234567', last_verified: 2026-11-01}\n")
    assert any("a.yml: fact 'phone' has a value but no source" in p for p in _problems(tmp_path))


def test_fact_without_last_verified(tmp_path: Path) -> None:
    _entry(tmp_path, "a", extra="phone: {value: '028-1234567', source: 'https://example.org'}\n")
    assert any("fact 'phone' has a value but no last_verified" in p for p in _problems(tmp_path))


def test_entry_without_any_source(tmp_path: Path) -> None:
    _entry(tmp_path, "a", drop_sources=True)
    assert any("entry 'a' has no sources at all" in p for p in _problems(tmp_path))


def test_fact_source_counts_as_a_source(tmp_path: Path) -> None:
    _entry(
        tmp_path,
        "a",
        drop_sources=True,
        extra="phone: {value: '028-1', source: 'https://example.org/page.html', last_verified: 2026-11-01}\n",
    )
    assert _problems(tmp_path) == []


def test_last_verified_in_future(tmp_path: Path) -> None:
    _entry(
        tmp_path,
        "a",
        extra="last_verified: 2027-01-01\n"
        "phone: {value: '028-1', source: 'https://example.org/page.html', last_verified: 2026-12-01}\n",
    )
    problems = _problems(tmp_path)
    assert any("a.yml: last_verified 2027-01-01 is in the future" in p for p in problems)
    assert any("phone.last_verified 2026-12-01 is in the future" in p for p in problems)


def test_cli_reports_problems_and_exits_nonzero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _entry(tmp_path, "a", file_id="b")
    _entry(tmp_path, "c", drop_sources=True)
    assert main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "differs from the file name" in out and "no sources at all" in out


def test_empty_directory_is_a_problem(tmp_path: Path) -> None:
    assert any("no entry files" in p for p in _problems(tmp_path))


# ---------------------------------------------------------------- eight languages


def test_free_text_missing_a_language_is_refused(tmp_path: Path) -> None:
    _entry(tmp_path, "a", extra="tips: {zh: 早去。, en: Go early., ja: 早めに。}\n")
    problems = _problems(tmp_path)
    for lang in ("ko", "fr", "de", "es", "ru"):
        assert f"a.yml: entry 'a' field 'tips' misses language '{lang}'" in problems
    assert not any("'ja'" in p for p in problems)


def test_nested_text_and_caveat_missing_a_language_are_refused(tmp_path: Path) -> None:
    _entry(
        tmp_path,
        "a",
        extra="ticket:\n"
        "  value: {prices: [{amount: 10, label: {zh: 门票, en: Entrance}}]}\n"
        "  source: https://example.org/t\n"
        "  last_verified: 2026-11-01\n"
        "  caveat: {en: Prices from 2021.}\n",
    )
    problems = _problems(tmp_path)
    assert "a.yml: entry 'a' field 'ticket.value.prices[0].label' misses language 'ja'" in problems
    assert "a.yml: entry 'a' field 'ticket.caveat' misses language 'zh'" in problems


def test_cli_names_entry_field_and_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _entry(tmp_path, "a", extra="city: {zh: 成都市, en: Chengdu}\n")
    assert main([str(tmp_path)]) == 1
    assert "entry 'a' field 'city' misses language 'ru'" in capsys.readouterr().out
