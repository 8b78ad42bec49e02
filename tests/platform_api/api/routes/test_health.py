"""``GET /api/health``: status and readiness booleans, nothing internal."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from platform_api.core.db import make_engine
from platform_api.kb import KbUnavailableError


def test_health_reports_database_and_loaded_kb(client: TestClient) -> None:
    response = client.get("/api/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "kb": {"loaded": True}}


def test_health_reports_kb_not_built_without_failing(
    client: TestClient, use_retriever: Callable[[object], None], broken_retriever: type
) -> None:
    use_retriever(broken_retriever(KbUnavailableError("index not built; run make build-index")))

    body = client.get("/api/health").json()

    assert body == {"status": "ok", "database": True, "kb": {"loaded": False}}


@pytest.mark.security
def test_health_reveals_no_environment_error_class_or_path(
    client: TestClient, use_retriever: Callable[[object], None], broken_retriever: type
) -> None:
    use_retriever(broken_retriever(RuntimeError("/secret/path exploded")))

    text = client.get("/api/health").text

    for internal in ("/secret/path", "RuntimeError", "ci", "environment", "sqlite", "detail"):
        assert internal not in text


def test_health_is_degraded_when_database_is_down(app: FastAPI, client: TestClient) -> None:
    app.state.engine = make_engine("sqlite:////nonexistent-dir/never/platform.db")

    body = client.get("/api/health").json()

    assert body["status"] == "degraded"
    assert body["database"] is False
