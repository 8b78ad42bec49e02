"""``platform_api.kb``: loading the knowledge base's retriever lazily and safely."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from platform_api.api.deps import get_kb_retriever
from platform_api.core.config import Settings
from platform_api.kb import KbUnavailableError, LazyRetriever, is_index_not_built, load_retriever
from platform_api.main import create_app


class IndexNotBuiltError(RuntimeError):
    """Stands in for ``knowledge_base.retriever.IndexNotBuiltError`` (matched by name)."""


class IndexMismatchError(IndexNotBuiltError):
    """Subclasses count as "not built" too."""


def _install_retriever_module(monkeypatch: pytest.MonkeyPatch, module: object) -> None:
    monkeypatch.setitem(sys.modules, "knowledge_base.retriever", module)


def test_kb_load_retriever_without_module_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    _install_retriever_module(monkeypatch, None)  # makes the import raise ImportError

    with pytest.raises(KbUnavailableError, match="not available"):
        load_retriever()


def test_kb_load_retriever_passes_index_dir_when_accepted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[Path | None] = []
    module = types.ModuleType("knowledge_base.retriever")

    def get_retriever(index_dir: Path | None = None) -> str:
        seen.append(index_dir)
        return "retriever"

    module.get_retriever = get_retriever  # type: ignore[attr-defined]
    module.IndexNotBuiltError = IndexNotBuiltError  # type: ignore[attr-defined]
    _install_retriever_module(monkeypatch, module)

    assert load_retriever(tmp_path) == "retriever"
    assert load_retriever() == "retriever"
    assert seen == [tmp_path, None]


@pytest.mark.parametrize("error_type", [IndexNotBuiltError, IndexMismatchError])
def test_kb_load_retriever_maps_index_not_built(
    monkeypatch: pytest.MonkeyPatch, error_type: type[Exception]
) -> None:
    module = types.ModuleType("knowledge_base.retriever")

    def get_retriever() -> None:
        raise error_type("no index under var/kb; run make build-index")

    module.get_retriever = get_retriever  # type: ignore[attr-defined]
    module.IndexNotBuiltError = IndexNotBuiltError  # type: ignore[attr-defined]
    _install_retriever_module(monkeypatch, module)

    with pytest.raises(KbUnavailableError, match="make build-index"):
        load_retriever()


def test_kb_is_index_not_built_by_name_without_module(monkeypatch: pytest.MonkeyPatch) -> None:
    _install_retriever_module(monkeypatch, None)

    assert is_index_not_built(IndexMismatchError())
    assert is_index_not_built(KbUnavailableError())
    assert not is_index_not_built(RuntimeError())


def test_kb_lazy_retriever_delegates(monkeypatch: pytest.MonkeyPatch) -> None:
    class Real:
        def search(self, query: str, *, lang: str | None = None, k: int = 5) -> list[Any]:
            return [("hit", query, lang, k)]

        def get(self, entry_id: str) -> Any:
            return None

    monkeypatch.setattr("platform_api.kb.load_retriever", lambda index_dir=None: Real())
    lazy = LazyRetriever()

    assert lazy.search("熊猫", lang="zh", k=3) == [("hit", "熊猫", "zh", 3)]
    assert lazy.get("x") is None


def test_kb_routes_answer_503_when_module_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """End to end without a dependency override: the real lazy path yields 503, not 500."""
    _install_retriever_module(monkeypatch, None)
    app = create_app(
        Settings(
            _env_file=None,  # type: ignore[call-arg]
            environment="ci",
            database_url=f"sqlite:///{tmp_path / 'p.db'}",
            staff_api_token="test-staff-token-7f3a",
            bot_api_token="test-bot-token-91c2",
        )
    )
    assert get_kb_retriever not in app.dependency_overrides

    with TestClient(app) as client:
        search = client.get("/api/kb/search", params={"q": "熊猫基地"})
        entry = client.get("/api/kb/entries/jiuzhaigou")
        health = client.get("/api/health").json()

    assert search.status_code == entry.status_code == 503
    assert "knowledge base module is not available" in search.json()["detail"]
    assert health["kb"]["loaded"] is False
