"""``/widget/widget.js`` and ``/widget/demo``: the bundle as built, the one-tag demo page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from platform_api.widget import routes
from platform_api.widget.config import WidgetSettings, get_widget_settings


@pytest.fixture
def bundle_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty static folder in place of the build output."""
    monkeypatch.setattr(routes, "STATIC_DIR", tmp_path)
    return tmp_path


def test_bundle_is_served_as_javascript(client: TestClient, bundle_dir: Path) -> None:
    (bundle_dir / "widget.js").write_text("/* bundle */ console.log('widget');", encoding="utf-8")

    response = client.get("/widget/widget.js")

    assert response.status_code == 200
    assert response.text == "/* bundle */ console.log('widget');"
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "etag" in response.headers


def test_missing_bundle_is_a_503_naming_the_build_command(
    client: TestClient, bundle_dir: Path
) -> None:
    response = client.get("/widget/widget.js")

    assert response.status_code == 503
    assert "make widget" in response.json()["detail"]


def test_demo_page_embeds_the_widget_with_one_script_tag(client: TestClient) -> None:
    client.app.dependency_overrides[get_widget_settings] = lambda: WidgetSettings(
        rasa_url="http://127.0.0.1:15005/"
    )

    response = client.get("/widget/demo")

    assert response.status_code == 200
    scripts = re.findall(r"<script\b[^>]*>", response.text)
    assert scripts == [
        '<script src="http://testserver/widget/widget.js" data-rasa="http://127.0.0.1:15005">'
    ]
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self' http://127.0.0.1:15005 ws://127.0.0.1:15005" in policy


def test_widget_rasa_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="PLATFORM_WIDGET_RASA_URL"):
        WidgetSettings(rasa_url="javascript:alert(1)")
