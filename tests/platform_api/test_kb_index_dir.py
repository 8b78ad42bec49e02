"""``PLATFORM_KB_INDEX_DIR`` selects the index the platform's retriever loads (and warms)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowledge_base import retriever as retriever_module
from knowledge_base.build import build_index
from knowledge_base.encoder import HashEncoder
from knowledge_base.settings import get_kb_settings
from platform_api.core.config import Settings
from platform_api.main import create_app
from tests.platform_api.conftest import BOT_TOKEN, STAFF_TOKEN


@pytest.fixture
def hash_encoder_kb(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The knowledge base configured for the model-free encoder (``KB_ENCODER=hash``), no cache."""
    monkeypatch.setenv("KB_ENCODER", "hash")
    get_kb_settings.cache_clear()
    monkeypatch.setattr(retriever_module, "_CACHE", {})
    yield
    get_kb_settings.cache_clear()


def app_warmup_state(client: TestClient) -> str:
    """The lifespan's knowledge-base warm-up state (idle, warming, ready, failed)."""
    state: str = client.app.state.kb_warmup.state  # type: ignore[attr-defined]
    return state


def _app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index_dir: Path) -> TestClient:
    monkeypatch.setenv("PLATFORM_KB_INDEX_DIR", str(index_dir))
    monkeypatch.setenv("PLATFORM_DATABASE_URL", f"sqlite:///{tmp_path / 'platform.db'}")
    monkeypatch.setenv("PLATFORM_STAFF_API_TOKEN", STAFF_TOKEN)
    monkeypatch.setenv("PLATFORM_BOT_API_TOKEN", BOT_TOKEN)
    return TestClient(create_app(Settings(_env_file=None)))  # type: ignore[call-arg]


@pytest.mark.usefixtures("hash_encoder_kb")
def test_kb_index_dir_is_the_index_the_platform_serves_and_warms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_index(HashEncoder(), root=tmp_path / "kb")

    with _app(tmp_path, monkeypatch, tmp_path / "kb" / "current") as client:
        deadline = time.monotonic() + 30
        while app_warmup_state(client) == "warming" and time.monotonic() < deadline:
            time.sleep(0.05)  # the warm-up's own state: polling /ready would hit its rate limit
        ready = client.get("/api/health/ready")
        search = client.get("/api/kb/search", params={"q": "九寨沟门票", "k": 1})

    assert ready.status_code == 200
    assert search.status_code == 200 and search.json()["results"][0]["id"] == "jiuzhaigou"
    assert list(retriever_module._CACHE) == [(tmp_path / "kb" / "current", "hash")]


@pytest.mark.usefixtures("hash_encoder_kb")
def test_kb_index_dir_without_an_index_is_503_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _app(tmp_path, monkeypatch, tmp_path / "nothing-built") as client:
        search = client.get("/api/kb/search", params={"q": "九寨沟门票"})

    assert search.status_code == 503
    assert "nothing-built" in search.json()["detail"]
