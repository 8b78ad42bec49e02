"""The production profile (``make run-prod``) and what a tourist sees when parts of it fail.

One stack for the module: two Rasa and two action-server processes behind nginx, trackers in a
throwaway PostgreSQL database, locks in a private Redis (so stopping it touches nobody else),
events through RabbitMQ. The tests run in file order: first the profile, then the faults.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from scripts.prod_stack import ProdStack, postgres_available, running_prod, start_private_redis

pytestmark = [pytest.mark.e2e, pytest.mark.scaleout]
ROOT = Path(__file__).resolve().parents[3]
NOTICE_ZH = "系统暂时出了点问题"


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProdStack]:
    if not (ROOT / "models" / "current").exists():
        pytest.fail("no trained model: `make test` trains it before running the tests")
    if not postgres_available():
        pytest.skip("PostgreSQL is not reachable on loopback")
    with running_prod(tmp_path_factory.mktemp("prod"), private_redis=True) as stack:
        yield stack


def say(port: int, sender: str, text: str, timeout: float = 60.0) -> list[str]:
    """Texts of the bot's reply to ``text`` on the REST channel at ``port``."""
    reply = httpx.post(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=timeout,
    )
    assert reply.status_code == 200, reply.text
    return [message.get("text", "") for message in reply.json()]


def tracker(prod: ProdStack, port: int, sender: str) -> dict:
    token = prod.secrets["RASA_AUTH_TOKEN"]
    reply = httpx.get(
        f"http://127.0.0.1:{port}/conversations/{sender}/tracker",
        params={"token": token},
        timeout=30,
    )
    reply.raise_for_status()
    return reply.json()


def user_texts(tracker_json: dict) -> list[str]:
    return [event["text"] for event in tracker_json["events"] if event["event"] == "user"]


def listening_pid(port: int) -> int:
    for connection in psutil.net_connections(kind="tcp"):
        if connection.laddr and connection.laddr.port == port and connection.status == "LISTEN":
            assert connection.pid is not None
            return connection.pid
    raise AssertionError(f"nothing listens on {port}")


def wait_until_listening(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            listening_pid(port)
            return
        except AssertionError:
            time.sleep(1)
    raise AssertionError(f"port {port} did not come back within {seconds:.0f}s")


def test_one_conversation_continues_on_the_other_rasa_process(prod: ProdStack) -> None:
    first, second = prod.replica_ports("rasa")
    answer = say(first, "p-1", "乐山大佛门票多少钱")
    assert any("乐山大佛" in text for text in answer)
    follow_up = say(second, "p-1", "几点开门？")
    assert any("乐山大佛" in text for text in follow_up), follow_up
    shared = tracker(prod, first, "p-1")
    assert user_texts(shared) == ["乐山大佛门票多少钱", "几点开门？"]
    assert shared["slots"]["attraction"] == "leshan-giant-buddha"


def test_events_reach_the_platform_through_rabbitmq(prod: ProdStack) -> None:
    say(prod.rasa, "p-2", "How much is the Jiuzhaigou ticket?")
    headers = {"Authorization": f"Bearer {prod.secrets['PLATFORM_STAFF_API_TOKEN']}"}
    deadline = time.monotonic() + 30
    figures: dict = {}
    while time.monotonic() < deadline:
        figures = httpx.get(
            f"{prod.platform_url()}/api/analytics/summary", headers=headers, timeout=10
        ).json()
        if figures.get("conversations", 0) >= 2 and "en" in figures["conversations_per_language"]:
            break
        time.sleep(1)
    assert figures["conversations"] >= 2
    assert figures["conversations_per_channel"].get("rest", 0) >= 2
    assert {"zh", "en"} <= set(figures["conversations_per_language"])


@pytest.mark.faults
def test_killed_action_server_mid_conversation(prod: ProdStack) -> None:
    say(prod.rasa, "p-3", "峨眉山门票多少钱")
    victim = prod.replica_ports("actions")[0]
    os.kill(listening_pid(victim), signal.SIGKILL)
    for question in ("几点开门？", "怎么去？"):  # nginx sends these to the surviving action server
        answer = say(prod.rasa, "p-3", question)
        assert answer and all(NOTICE_ZH not in text for text in answer), answer
        assert any("峨眉山" in text for text in answer), answer
    wait_until_listening(victim, 120)  # the profile's supervisor starts it again
    assert user_texts(tracker(prod, prod.rasa, "p-3")) == [
        "峨眉山门票多少钱",
        "几点开门？",
        "怎么去？",
    ]


@pytest.mark.faults
def test_restarted_rasa_process_keeps_the_conversation(prod: ProdStack) -> None:
    victim, survivor = prod.replica_ports("rasa")
    say(victim, "p-4", "九寨沟门票多少钱")
    os.kill(listening_pid(victim), signal.SIGKILL)
    answer = say(prod.rasa, "p-4", "几点开门？")  # the front skips the dead process
    assert any("九寨沟" in text for text in answer), answer
    wait_until_listening(victim, 300)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if (
                httpx.get(
                    f"http://127.0.0.1:{victim}/status",
                    params={"token": prod.secrets["RASA_AUTH_TOKEN"]},
                    timeout=5,
                ).status_code
                == 200
            ):
                break
        except httpx.HTTPError:
            pass
        time.sleep(2)
    answer = say(victim, "p-4", "怎么去？")  # the restarted process reads the shared tracker
    assert any("九寨沟" in text for text in answer), answer
    assert len(user_texts(tracker(prod, survivor, "p-4"))) == 3


@pytest.mark.faults
def test_redis_stopped_then_back(prod: ProdStack) -> None:
    assert prod.redis is not None and prod.redis_port is not None
    say(prod.rasa, "p-5", "都江堰门票多少钱")
    prod.redis.terminate()
    prod.redis.wait(timeout=10)
    answer = say(prod.rasa, "p-5", "几点开门？")
    assert answer == [answer[0]] and NOTICE_ZH in answer[0]  # a clear notice, no trace
    prod.redis = start_private_redis(prod.redis_port, prod.workdir)
    answer = say(prod.rasa, "p-5", "几点开门？")
    assert any("都江堰" in text for text in answer), answer
    texts = user_texts(tracker(prod, prod.rasa, "p-5"))
    assert texts == ["都江堰门票多少钱", "几点开门？"]  # the refused turn left nothing half-done


@pytest.mark.faults
def test_postgresql_restarted(prod: ProdStack) -> None:
    if subprocess.run(["pg_lsclusters"], capture_output=True, check=False).returncode != 0:
        pytest.skip("pg_ctlcluster is not available")
    say(prod.rasa, "p-6", "青城山门票多少钱")
    restart = subprocess.run(
        ["pg_ctlcluster", "15", "main", "restart"], capture_output=True, text=True, check=False
    )
    if restart.returncode != 0:
        pytest.skip(f"cannot restart PostgreSQL here: {restart.stderr.strip()[:100]}")
    answers = []
    for _ in range(3):  # a stale pooled connection may cost one turn: the tourist is told to resend
        answer = say(prod.rasa, "p-6", "几点开门？")
        answers.append(answer)
        assert answer and all("Traceback" not in text for text in answer)
        if any("青城山" in text for text in answer):
            break
        assert NOTICE_ZH in answer[0], answer
    assert any("青城山" in text for text in answers[-1]), answers
    texts = user_texts(tracker(prod, prod.rasa, "p-6"))
    assert texts[0] == "青城山门票多少钱" and texts[-1] == "几点开门？"
    assert texts.count("青城山门票多少钱") == 1
