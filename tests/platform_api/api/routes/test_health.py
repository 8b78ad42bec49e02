"""``GET /api/health``."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from platform_api.api.deps import get_kb_retriever
from platform_api.kb import KbUnavailableError
from tests.platform_api.conftest import BrokenRetriever


def test_health_reports_database_and_loaded_kb(client: TestClient) -> None:
    response = client.get("/api/health")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "environment": "ci",
        "database": True,
        "kb": {"loaded": True, "detail": None},
    }


def test_health_reports_kb_not_built_without_failing(app: FastAPI, client: TestClient) -> None:
    app.dependency_overrides[get_kb_retriever] = lambda: BrokenRetriever(
        KbUnavailableError("knowledge base index is not built; run make build-index")
    )

    body = client.get("/api/health").json()

    assert body["status"] == "ok"
    assert body["kb"] == {
        "loaded": False,
        "detail": "knowledge base index is not built; run make build-index",
    }


def test_health_hides_unexpected_kb_errors(app: FastAPI, client: TestClient) -> None:
    app.dependency_overrides[get_kb_retriever] = lambda: BrokenRetriever(
        RuntimeError("/secret/path exploded")
    )

    body = client.get("/api/health").json()

    assert body["kb"] == {"loaded": False, "detail": "knowledge base error: RuntimeError"}


def test_health_is_degraded_when_database_is_down(app: FastAPI, client: TestClient) -> None:
    app.state.engine.dispose()
    app.state.engine = __import__("platform_api.core.db", fromlist=["make_engine"]).make_engine(
        "sqlite:////nonexistent-dir/never/platform.db"
    )

    body = client.get("/api/health").json()

    assert body["status"] == "degraded"
    assert body["database"] is False
