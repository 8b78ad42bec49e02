"""``GET /api/health/ready`` and the start-up warm-up of the knowledge base."""

from __future__ import annotations

import threading
import time

from fastapi import FastAPI
from fastapi.testclient import TestClient

from knowledge_base.schema import Entry
from platform_api.kb import KbUnavailableError
from tests.platform_api.conftest import BOT_TOKEN, FakeHit, FakeRetriever


class GatedRetriever(FakeRetriever):
    """Searches block until ``gate`` is set, like a first query loading the encoder."""

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__(entries)
        self.gate = threading.Event()

    def search(self, query: str, *, lang: str | None = None, k: int = 5) -> list[FakeHit]:
        assert self.gate.wait(timeout=10)
        return super().search(query, lang=lang, k=k)


def _wait_for(client: TestClient, status: int, timeout_s: float = 5.0) -> dict[str, str]:
    deadline = time.monotonic() + timeout_s
    while True:
        response = client.get("/api/health/ready")
        if response.status_code == status or time.monotonic() > deadline:
            assert response.status_code == status, response.json()
            body: dict[str, str] = response.json()
            return body
        time.sleep(0.02)


def test_ready_after_the_warm_up_answered_a_query(client: TestClient, app: FastAPI) -> None:
    assert _wait_for(client, 200) == {"status": "ready"}
    assert app.state.kb_warmup.ready


def test_warm_up_runs_one_real_search(app: FastAPI, fake_retriever: FakeRetriever) -> None:
    with TestClient(app) as client:
        _wait_for(client, 200)

    assert len(fake_retriever.calls) == 1
    query, lang, k = fake_retriever.calls[0]
    assert query and lang == "zh" and k == 1


def test_not_ready_while_warming_but_the_server_keeps_answering(
    app: FastAPI, jiuzhaigou: Entry
) -> None:
    gated = GatedRetriever([jiuzhaigou])
    app.state.kb_retriever = gated
    with TestClient(app, headers={"Authorization": f"Bearer {BOT_TOKEN}"}) as client:
        warming = client.get("/api/health/ready")
        health = client.get("/api/health")
        entry = client.get("/api/kb/entries/jiuzhaigou")
        gated.gate.set()
        ready = _wait_for(client, 200)

    assert (warming.status_code, warming.json()) == (503, {"status": "warming"})
    assert health.status_code == 200 and entry.status_code == 200
    assert ready == {"status": "ready"}


def test_failed_warm_up_is_503_and_retried_when_asked_again(
    app: FastAPI, broken_retriever: type, fake_retriever: FakeRetriever
) -> None:
    app.state.kb_retriever = broken_retriever(
        KbUnavailableError("no index at /srv/kb; run make kb")
    )
    with TestClient(app) as client:
        failed = _wait_for(client, 503)
        while failed["status"] == "warming":
            failed = _wait_for(client, 503)
        app.state.kb_warmup._retriever = fake_retriever  # the index got built meanwhile
        ready = _wait_for(client, 200)

    assert failed == {"status": "failed"}  # nothing internal: no path, no message
    assert ready == {"status": "ready"}


def test_ready_is_503_before_the_lifespan_ran(app: FastAPI) -> None:
    client = TestClient(app)  # no `with`: the lifespan (and its warm-up) never starts

    response = client.get("/api/health/ready")

    assert (response.status_code, response.json()) == (503, {"status": "starting"})
