"""Fixtures for the platform API: throwaway SQLite, a fake KB retriever, a TestClient."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

from knowledge_base.schema import Entry
from platform_api.core.config import Settings
from platform_api.main import create_app

STAFF_TOKEN = "test-staff-token-7f3a"
BOT_TOKEN = "test-bot-token-91c2"
ENTRIES_DIR = Path(__file__).resolve().parents[2] / "knowledge_base" / "data" / "entries"


@dataclass(frozen=True)
class FakeHit:
    """Same shape as ``knowledge_base.retriever.Hit``."""

    entry: Entry
    score: float

    @property
    def entry_id(self) -> str:
        return self.entry.id


class FakeRetriever:
    """Scores an entry 1.0 when any of its names occurs in the query (or vice versa)."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = {entry.id: entry for entry in entries}
        self.calls: list[tuple[str, str | None, int]] = []

    def search(self, query: str, *, lang: str | None = None, k: int = 5) -> list[FakeHit]:
        self.calls.append((query, lang, k))
        needle = query.lower()
        hits = []
        for entry in self.entries.values():
            names = [name.lower() for name in entry.all_names()]
            score = 1.0 if any(n in needle or needle in n for n in names) else 0.1
            hits.append(FakeHit(entry=entry, score=score))
        hits.sort(key=lambda hit: (-hit.score, hit.entry_id))
        return hits[:k]

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def match_alias(self, text: str) -> str | None:
        needle = text.lower()
        for entry in self.entries.values():
            if any(name.lower() in needle for name in entry.all_names()):
                return entry.id
        return None


class BrokenRetriever:
    """Raises ``error`` from every call, e.g. an ``IndexNotBuiltError``."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def search(self, query: str, *, lang: str | None = None, k: int = 5) -> list[FakeHit]:
        raise self.error

    def get(self, entry_id: str) -> Entry | None:
        raise self.error

    def match_alias(self, text: str) -> str | None:
        raise self.error

    @property
    def entries(self) -> dict[str, Entry]:
        raise self.error


def make_entry(**overrides: object) -> Entry:
    """A minimal valid entry (Chengdu Wuhou Shrine) with ``overrides`` applied."""
    data: dict[str, object] = {
        "id": "wuhou-shrine",
        "type": "museum",
        "names": {"zh": "成都武侯祠博物馆", "en": "Chengdu Wuhou Shrine Museum"},
        "aliases": ["武侯祠", "Wuhou Shrine"],
        "description": {
            "zh": "纪念诸葛亮和刘备的祠庙。",
            "en": "Shrine to Zhuge Liang and Liu Bei.",
        },
    }
    data.update(overrides)
    return Entry.model_validate(data)


@pytest.fixture(scope="session")
def jiuzhaigou() -> Entry:
    """The real sample entry from the knowledge base's data folder."""
    raw = yaml.safe_load((ENTRIES_DIR / "jiuzhaigou.yml").read_text(encoding="utf-8"))
    return Entry.model_validate(raw)


@pytest.fixture
def fake_retriever(jiuzhaigou: Entry) -> FakeRetriever:
    return FakeRetriever([jiuzhaigou, make_entry()])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings isolated from the developer's environment and ``.env``."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="ci",
        database_url=f"sqlite:///{tmp_path / 'platform.db'}",
        staff_api_token=STAFF_TOKEN,
        bot_api_token=BOT_TOKEN,
        cors_origins=["http://localhost:3000"],
    )


@pytest.fixture
def app(settings: Settings, fake_retriever: FakeRetriever) -> Iterator[FastAPI]:
    application = create_app(settings)
    application.state.kb_retriever = fake_retriever  # what the routes and the warm-up use
    yield application


def wait_until_warm(app: FastAPI, timeout_s: float = 10.0) -> None:
    """Wait for the lifespan's knowledge-base warm-up to finish (it runs in a thread)."""
    deadline = time.monotonic() + timeout_s
    while app.state.kb_warmup.state == "warming" and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.fixture
def client(app: FastAPI, fake_retriever: FakeRetriever) -> Iterator[TestClient]:
    """A client with the lifespan run (tables created in the throwaway database), sending the bot
    token by default as the action server does; staff requests pass their own header."""
    with TestClient(app, headers={"Authorization": f"Bearer {BOT_TOKEN}"}) as test_client:
        wait_until_warm(app)
        fake_retriever.calls.clear()  # tests count their own searches, not the warm-up's
        yield test_client


@pytest.fixture
def staff_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {STAFF_TOKEN}"}


@pytest.fixture
def escalation_payload() -> dict[str, str]:
    return {
        "sender_id": "wx-oAbc123",
        "channel": "wechat",
        "language": "zh",
        "reason": "complaint",
        "last_user_message": "我要投诉，转人工",
    }


@pytest.fixture
def use_retriever(app: FastAPI) -> Callable[[object], None]:
    """Swap the knowledge-base retriever of this test's app for ``retriever``."""

    def _use(retriever: object) -> None:
        app.state.kb_retriever = retriever

    return _use


@pytest.fixture
def broken_retriever() -> type[BrokenRetriever]:
    """The :class:`BrokenRetriever` class, for tests that simulate a missing index."""
    return BrokenRetriever
