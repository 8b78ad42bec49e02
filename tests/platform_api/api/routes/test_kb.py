"""``GET /api/kb/search`` and ``GET /api/kb/entries/{id}`` with a fake retriever."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from knowledge_base.schema import Entry
from platform_api.kb import KbUnavailableError


def test_kb_search_returns_ranked_results(
    client: TestClient, fake_retriever: Any, jiuzhaigou: Entry
) -> None:
    response = client.get("/api/kb/search", params={"q": "九寨沟门票多少钱", "lang": "zh", "k": 2})

    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "九寨沟门票多少钱"
    assert body["lang"] == "zh"
    assert body["results"][0] == {
        "id": "jiuzhaigou",
        "name": {"zh": jiuzhaigou.names.zh, "en": jiuzhaigou.names.en},
        "score": 1.0,
        "type": "scenic_area",
    }
    assert [r["id"] for r in body["results"]] == ["jiuzhaigou", "wuhou-shrine"]
    assert fake_retriever.calls == [("九寨沟门票多少钱", "zh", 2)]


def test_kb_search_defaults_lang_none_and_k_5(client: TestClient, fake_retriever: Any) -> None:
    body = client.get("/api/kb/search", params={"q": "  Wuhou Shrine  "}).json()

    assert body["lang"] is None
    assert body["results"][0]["id"] == "wuhou-shrine"
    assert fake_retriever.calls == [("Wuhou Shrine", None, 5)]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x", "k": 0},
        {"q": "x", "k": 21},
        {"q": "x", "k": "many"},
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 501},
        {"q": "x", "lang": "xx"},
        {"q": "x", "lang": "zh'; DROP TABLE"},
    ],
)
def test_kb_search_rejects_bad_input_with_422(
    client: TestClient, fake_retriever: Any, params: dict[str, object]
) -> None:
    response = client.get("/api/kb/search", params=params)

    assert response.status_code == 422
    assert "detail" in response.json()
    assert fake_retriever.calls == []


@pytest.mark.parametrize("k", [1, 20])
def test_kb_search_accepts_k_bounds(client: TestClient, k: int) -> None:
    assert client.get("/api/kb/search", params={"q": "x" * 500, "k": k}).status_code == 200


def test_kb_entry_returns_full_entry_as_json(client: TestClient, jiuzhaigou: Entry) -> None:
    response = client.get("/api/kb/entries/jiuzhaigou")

    assert response.status_code == 200
    body = response.json()
    assert body == jiuzhaigou.model_dump(mode="json")
    assert body["id"] == "jiuzhaigou"
    assert body["names"]["en"] == jiuzhaigou.names.en


@pytest.mark.parametrize("entry_id", ["no-such-place", "UPPER", "x" * 100])
def test_kb_entry_unknown_id_is_404(client: TestClient, entry_id: str) -> None:
    response = client.get(f"/api/kb/entries/{entry_id}")

    assert response.status_code == 404
    assert response.json() == {"detail": f"no knowledge-base entry with id {entry_id!r}"}


def test_kb_entry_overlong_id_is_422(client: TestClient) -> None:
    assert client.get(f"/api/kb/entries/{'x' * 101}").status_code == 422


def _index_not_built_errors() -> list[Exception]:
    errors: list[Exception] = [KbUnavailableError("knowledge base index is not built")]
    try:
        from knowledge_base.retriever import IndexNotBuiltError
    except ImportError:  # the retriever module is optional for these tests
        return errors
    return [*errors, IndexNotBuiltError("knowledge base index is not built")]


@pytest.mark.parametrize("error", _index_not_built_errors(), ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("path", ["/api/kb/search?q=九寨沟", "/api/kb/entries/jiuzhaigou"])
def test_kb_index_not_built_is_503(
    client: TestClient,
    use_retriever: Callable[[object], None],
    broken_retriever: type,
    error: Exception,
    path: str,
) -> None:
    use_retriever(broken_retriever(error))

    response = client.get(path)

    assert response.status_code == 503
    assert response.json() == {"detail": "knowledge base index is not built"}


def test_kb_validation_runs_before_index_check(
    client: TestClient, use_retriever: Callable[[object], None], broken_retriever: type
) -> None:
    use_retriever(broken_retriever(KbUnavailableError("not built")))

    assert client.get("/api/kb/search", params={"q": "x", "k": 0}).status_code == 422


def test_kb_unexpected_retriever_error_is_json_500(
    app: Any, use_retriever: Callable[[object], None], broken_retriever: type
) -> None:
    use_retriever(broken_retriever(RuntimeError("boom at /internal/path")))

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/kb/search", params={"q": "x"})

    assert response.status_code == 500
    assert response.json() == {"detail": "internal server error"}
