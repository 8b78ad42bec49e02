"""``make kb-report``: the page has the figures, charts, tables and the unanswered questions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from knowledge_base.report import main, read_unanswered
from platform_api.core.db import Base
from platform_api.models import UnansweredQuestion

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "entries"


def _db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'platform.db'}"
    engine = create_engine(url)
    Base.metadata.create_all(engine, tables=[UnansweredQuestion.__table__])  # type: ignore[list-item]
    now = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    with Session(engine) as session:
        for i, (place, lang) in enumerate(
            [("南京路", "zh"), ("南京路", "zh"), ("Great Wall", "en"), ("故宫", "zh")]
        ):
            session.add(
                UnansweredQuestion(
                    place=place,
                    language=lang,
                    question=f"{place}?",
                    created_at=now + dt.timedelta(minutes=i),
                )
            )
        session.commit()
    engine.dispose()
    return url


def test_report_with_the_platforms_unanswered_questions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "kb-report.html"
    assert main(["--entries", str(FIXTURES), "--out", str(out), "--db", _db(tmp_path)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 2  # overview and per-venue charts
    assert "venue slots filled with a specific source: 4/6 = 0.67" in page
    assert "<td>cliff-buddha-park</td><td>5A</td><td>4/6</td><td>address, phone</td>" in page
    assert "<td>park.example.cn</td><td>2</td>" in page  # source domains
    assert "<td>cliff-buddha-park</td><td>reservation</td><td>2021-03-15</td>" in page  # stale
    assert "<td>cliff-buddha-park</td><td>phone</td>" in page  # the conflict
    assert "4 question(s) recorded" in page and "<td>南京路</td><td>2</td>" in page
    printed = capsys.readouterr().out
    assert "entries: 1 (venues 1)" in printed
    assert "filled facts with the source's own date: 3/4 = 0.75" in printed
    assert "5A areas missing hours/ticket/transport: 0 of 1" in printed
    assert "unanswered questions: 4; most asked: 南京路 (2)" in printed


def test_report_without_a_database_skips_the_questions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "kb-report.html"
    assert main(["--entries", str(FIXTURES), "--out", str(out), "--no-db"]) == 0
    assert "no platform database found" in out.read_text(encoding="utf-8")
    assert "unanswered questions: skipped" in capsys.readouterr().out


def test_a_database_without_the_table_is_skipped_not_fatal(tmp_path: Path) -> None:
    found = read_unanswered(f"sqlite:///{tmp_path / 'empty.db'}")
    assert not found.available and "could not read" in found.note
