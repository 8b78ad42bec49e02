"""``platform_api.main``: app factory, CORS, JSON errors."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_main_cors_allows_configured_origin(client: TestClient) -> None:
    response = client.options(
        "/api/escalations",
        headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"},
    )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_main_cors_ignores_other_origins(client: TestClient) -> None:
    response = client.get("/api/health", headers={"Origin": "https://evil.example"})

    assert "access-control-allow-origin" not in response.headers


def test_main_unknown_route_is_json_404(client: TestClient) -> None:
    response = client.get("/api/nope")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_main_wrong_method_is_json_405(client: TestClient) -> None:
    response = client.delete("/api/escalations")

    assert response.status_code == 405
    assert "detail" in response.json()


def test_main_module_app_is_importable() -> None:
    import server
    from platform_api.main import app

    assert server.app is app
    assert set(app.openapi()["paths"]) == {
        "/api/health",
        "/api/health/ready",
        "/api/escalations",
        "/api/escalations/{reference}",
        "/api/kb/search",
        "/api/kb/entries/{entry_id}",
        "/api/kb/resolve",
        "/api/kb/upcoming-events",
    }
