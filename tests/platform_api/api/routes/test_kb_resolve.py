"""``POST /api/kb/resolve`` and ``GET /api/kb/upcoming-events``: the knowledge action's lookups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from knowledge_base.schema import Entry
from knowledge_base.store import load_entries
from platform_api.kb import KbUnavailableError
from tests.platform_api.conftest import FakeRetriever


def _resolve(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/kb/resolve", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_resolve_prefers_the_nlu_entity_and_returns_the_full_entry(
    client: TestClient, fake_retriever: FakeRetriever, jiuzhaigou: Entry
) -> None:
    body = _resolve(
        client,
        text="Wuhou Shrine tickets",
        lang="en",
        entities=[
            {"entity": "topic", "value": "wuhou-shrine"},
            {"entity": "attraction", "value": "jiuzhaigou"},
        ],
    )

    assert body["match"] == "entity"
    assert body["kind"] == "named"
    assert body["results"] == [{"score": 1.0, "entry": jiuzhaigou.model_dump(mode="json")}]
    assert fake_retriever.calls == []


def test_resolve_ignores_unknown_entities_and_matches_an_alias(client: TestClient) -> None:
    body = _resolve(
        client, text="武侯祠门票多少钱", entities=[{"entity": "attraction", "value": "atlantis"}]
    )

    assert body["match"] == "alias"
    assert [r["entry"]["id"] for r in body["results"]] == ["wuhou-shrine"]


def test_resolve_follow_up_uses_the_previous_entry_without_searching(
    client: TestClient, fake_retriever: FakeRetriever
) -> None:
    body = _resolve(client, text="and how do I get there?", lang="en", previous="jiuzhaigou")

    assert body["match"] == "previous"
    assert body["results"][0]["entry"]["id"] == "jiuzhaigou"
    assert fake_retriever.calls == []


def test_resolve_searches_when_nothing_is_named(
    client: TestClient, fake_retriever: FakeRetriever
) -> None:
    body = _resolve(
        client,
        text="somewhere with lakes",
        lang="en",
        previous="jiuzhaigou",
        follow_previous=False,
        k=2,
    )

    assert body["match"] == "search"
    assert len(body["results"]) == 2
    assert fake_retriever.calls == [("somewhere with lakes", "en", 2)]


def test_resolve_blank_text_without_context_finds_nothing(
    client: TestClient, fake_retriever: FakeRetriever
) -> None:
    body = _resolve(client, text="   ")
    assert (body["match"], body["kind"], body["results"]) == ("none", "none", [])
    assert fake_retriever.calls == []


@pytest.mark.parametrize(
    "body",
    [
        {"text": "x", "k": 0},
        {"text": "x", "k": 21},
        {"text": "x" * 4001},
        {"text": "x", "surprise": 1},
        {},
        [],
    ],
)
def test_resolve_rejects_bad_bodies_with_422(client: TestClient, body: object) -> None:
    assert client.post("/api/kb/resolve", json=body).status_code == 422


@pytest.mark.security
def test_resolve_needs_the_bot_token(client: TestClient) -> None:
    response = client.post(
        "/api/kb/resolve", json={"text": "九寨沟"}, headers={"Authorization": "Bearer nope"}
    )

    assert response.status_code == 401


def test_resolve_index_not_built_is_503(
    client: TestClient, use_retriever: Callable[[object], None], broken_retriever: type
) -> None:
    use_retriever(broken_retriever(KbUnavailableError("knowledge base index is not built")))

    response = client.post("/api/kb/resolve", json={"text": "熊猫基地"})

    assert response.status_code == 503


@pytest.fixture
def real_entries(use_retriever: Callable[[object], None]) -> None:
    use_retriever(FakeRetriever(list(load_entries().values())))


@pytest.mark.usefixtures("real_entries")
@pytest.mark.parametrize(
    ("text", "previous", "expected"),
    [
        ("jiuzhaigo tix price??", "leshan-giant-buddha", "jiuzhaigou"),
        ("¿Cuál es el horario del templo Wuhou?", "emeishan", "wuhou-shrine"),
        ("주자이구 입장료 얼마예요?", "chengdu-panda-base", "jiuzhaigou"),
    ],
)
def test_resolve_a_newly_named_place_beats_the_previous_one(
    client: TestClient, fake_retriever: FakeRetriever, text: str, previous: str, expected: str
) -> None:
    body = _resolve(client, text=text, previous=previous)

    assert (body["kind"], body["match"]) == ("named", "alias")
    assert [r["entry"]["id"] for r in body["results"]] == [expected]


@pytest.mark.usefixtures("real_entries")
@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("南京路怎么走", "南京路"),  # places outside Sichuan: never added to this knowledge base
        ("故宫几点开门", "故宫"),
        ("How much is a ticket to the Great Wall?", "Great Wall"),
    ],
)
def test_resolve_an_unknown_place_gets_no_entry_and_no_search(
    client: TestClient, use_retriever: Callable[[object], None], text: str, place: str
) -> None:
    retriever = FakeRetriever(list(load_entries().values()))
    use_retriever(retriever)

    body = _resolve(client, text=text, lang="zh", previous="jiuzhaigou")

    assert body["kind"] == "unknown"
    assert body["unknown_place"] == place
    assert body["results"] == []
    assert body["match"] == "none"
    assert retriever.calls == []


@pytest.mark.usefixtures("real_entries")
def test_resolve_a_topic_question_goes_to_the_topic(client: TestClient) -> None:
    body = _resolve(client, text="Can I pay with Alipay?", previous="jiuzhaigou")

    assert body["kind"] == "topic"
    assert body["results"][0]["entry"]["id"] == "topic-payment-foreign-visitors"


@pytest.mark.usefixtures("real_entries")
def test_upcoming_events_are_the_festivals_of_the_coming_weeks(client: TestClient) -> None:
    response = client.get("/api/kb/upcoming-events", params={"today": "2026-11-29", "limit": 2})

    assert response.status_code == 200
    body = response.json()
    assert body["today"] == "2026-11-29"
    first = body["events"][0]
    assert first["date"] == "2027-01-23" and first["entry"]["names"]["en"].startswith("Zigong")
    assert len(body["events"]) <= 2


@pytest.mark.usefixtures("real_entries")
def test_upcoming_events_leave_out_excluded_entries(client: TestClient) -> None:
    everything = client.get(
        "/api/kb/upcoming-events", params={"today": "2026-11-29", "limit": 20}
    ).json()
    first_id = everything["events"][0]["entry"]["id"]

    rest = client.get(
        "/api/kb/upcoming-events",
        params={"today": "2026-11-29", "limit": 20, "exclude": [first_id]},
    ).json()

    assert [e["entry"]["id"] for e in rest["events"]] == [
        e["entry"]["id"] for e in everything["events"][1:]
    ]


@pytest.mark.usefixtures("real_entries")
def test_no_winter_festivals_in_spring(client: TestClient) -> None:
    body = client.get("/api/kb/upcoming-events", params={"today": "2026-04-01"}).json()

    assert all(e["date"] < "2026-06-16" for e in body["events"])


@pytest.mark.parametrize(
    "params", [{}, {"today": "yesterday"}, {"today": "2026-11-29", "limit": 0}]
)
def test_upcoming_events_reject_bad_input_with_422(
    client: TestClient, params: dict[str, object]
) -> None:
    assert client.get("/api/kb/upcoming-events", params=params).status_code == 422
