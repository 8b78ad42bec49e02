"""``/api/kb/unanswered``: questions about places the knowledge base lacks, for content editors."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient


def _file(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/kb/unanswered", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def test_the_bot_files_a_question_and_staff_list_it_newest_first(
    client: TestClient, staff_headers: dict[str, str]
) -> None:
    _file(client, place="春熙路", language="zh", question="春熙路怎么走")
    _file(client, place="Great Wall", language="EN", question="How much is the Great Wall?")

    body = client.get("/api/kb/unanswered", headers=staff_headers).json()

    assert body["count"] == 2
    assert [row["place"] for row in body["data"]] == ["Great Wall", "春熙路"]
    assert body["data"][0]["language"] == "en"
    assert body["data"][0]["reason"] == "unknown_place"
    assert body["data"][1]["question"] == "春熙路怎么走"


def test_the_most_asked_places_come_first(
    client: TestClient, staff_headers: dict[str, str]
) -> None:
    for place in ("太古里", "春熙路", "太古里", "太古里", "春熙路", "Louvre"):
        _file(client, place=place, language="zh", question=f"{place}几点开门")

    top = client.get("/api/kb/unanswered", headers=staff_headers).json()["top_places"]

    assert top[:2] == [{"place": "太古里", "count": 3}, {"place": "春熙路", "count": 2}]


def test_staff_can_filter_by_language(client: TestClient, staff_headers: dict[str, str]) -> None:
    _file(client, place="에펠탑", language="ko", question="에펠탑 입장료")
    _file(client, place="Eiffelturm", language="de", question="Was kostet der Eiffelturm?")

    body = client.get("/api/kb/unanswered?language=ko", headers=staff_headers).json()

    assert body["count"] == 1
    assert body["data"][0]["place"] == "에펠탑"


@pytest.mark.security
@pytest.mark.parametrize(
    ("question", "secret"),
    [
        ("我的电话13812345678，春熙路怎么走", "13812345678"),
        ("call me on +86 28 8765 4321 about the Great Wall", "8765 4321"),
        ("身份证510104199001011234，太古里要预约吗", "510104199001011234"),
        ("passport E12345678, Louvre tickets?", "E12345678"),
        ("write to tourist@example.com about the Louvre", "tourist@example.com"),
    ],
)
def test_personal_numbers_are_never_stored(
    client: TestClient, staff_headers: dict[str, str], question: str, secret: str
) -> None:
    stored = _file(client, place="X", language="en", question=question)

    listed = client.get("/api/kb/unanswered", headers=staff_headers).json()["data"][0]
    assert secret not in stored["question"]
    assert secret not in listed["question"]
    assert len(listed["question"]) > 10  # the wording is kept for the editors


def test_prices_times_and_dates_are_kept(client: TestClient) -> None:
    question = "2 tickets at 9:30 on 2026-12-01 for 120 yuan to the Great Wall?"

    assert (
        _file(client, place="Great Wall", language="en", question=question)["question"] == question
    )


@pytest.mark.security
def test_filing_needs_the_bot_token_and_listing_the_staff_token(
    client: TestClient, staff_headers: dict[str, str]
) -> None:
    body = {"place": "太古里", "language": "zh", "question": "太古里几点开门"}

    assert client.post("/api/kb/unanswered", json=body, headers=staff_headers).status_code == 401
    assert client.get("/api/kb/unanswered").status_code == 401  # the bot token is not enough
    assert (
        client.get("/api/kb/unanswered", headers={"Authorization": "Bearer x"}).status_code == 401
    )


@pytest.mark.parametrize(
    "body",
    [
        {"place": "x", "question": "y"},
        {"place": "x", "language": "not a language", "question": "y"},
        {"place": "x" * 201, "language": "en"},
        {"language": "en", "question": "y" * 1001},
        {"language": "en", "surprise": 1},
        {"language": "en", "reason": "DROP TABLE"},
    ],
)
def test_bad_bodies_are_rejected_with_422(client: TestClient, body: dict[str, Any]) -> None:
    assert client.post("/api/kb/unanswered", json=body).status_code == 422
