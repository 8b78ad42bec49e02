"""``make kb`` while the platform runs: the new entries are served without a restart."""

from __future__ import annotations

import shutil
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

FIXTURES = Path(__file__).resolve().parents[1] / "knowledge_base" / "fixtures" / "entries"
NEW_ENTRY = """\
id: second-park
type: park
names: {zh: 第二公园, en: Second Park}
description: {zh: 测试。, en: Test., ja: テスト。, ko: 테스트., fr: Essai., de: Test., es: Prueba., ru: Тест.}
sources: [https://example.org/second-park.html]
"""


@pytest.fixture
def entries_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Fixture entries, the model-free encoder, a fast pointer check, no cached index."""
    entries = tmp_path / "entries"
    shutil.copytree(FIXTURES, entries)
    monkeypatch.setenv("KB_ENCODER", "hash")
    get_kb_settings.cache_clear()
    monkeypatch.setattr(retriever_module, "_CACHE", {})
    monkeypatch.setattr(retriever_module, "ENTRIES_DIR", entries)
    monkeypatch.setattr(retriever_module, "RELOAD_CHECK_SECONDS", 0.05)
    yield entries
    get_kb_settings.cache_clear()


def _client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index_dir: Path) -> TestClient:
    monkeypatch.setenv("PLATFORM_KB_INDEX_DIR", str(index_dir))
    monkeypatch.setenv("PLATFORM_DATABASE_URL", f"sqlite:///{tmp_path / 'platform.db'}")
    monkeypatch.setenv("PLATFORM_STAFF_API_TOKEN", STAFF_TOKEN)
    monkeypatch.setenv("PLATFORM_BOT_API_TOKEN", BOT_TOKEN)
    return TestClient(create_app(Settings(_env_file=None)))  # type: ignore[call-arg]


def test_a_rebuilt_index_goes_live_without_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries_dir: Path
) -> None:
    root = tmp_path / "kb"
    build_index(HashEncoder(), entries_dir, root)
    with _client(tmp_path, monkeypatch, root / "current") as client:
        assert client.get("/api/kb/entries/cliff-buddha-park").status_code == 200
        assert client.get("/api/kb/entries/second-park").status_code == 404

        (entries_dir / "second-park.yml").write_text(NEW_ENTRY, encoding="utf-8")
        build_index(HashEncoder(), entries_dir, root)  # what `make kb` does

        deadline = time.monotonic() + 30
        status = 404
        while status != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
            status = client.get("/api/kb/entries/second-park").status_code
            # Until the swap, the complete old index answers: never a 5xx.
            assert status in (200, 404)
        assert status == 200
        found = client.get("/api/kb/search", params={"q": "第二公园", "k": 1}).json()
        assert found["results"][0]["id"] == "second-park"
        assert client.get("/api/kb/entries/cliff-buddha-park").status_code == 200
