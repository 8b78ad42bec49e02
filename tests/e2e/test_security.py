"""End to end, secure by default: tokens, forged calls, long messages, CORS, secrets and logs,
checked on the servers started by scripts/run_all.sh (tests/e2e/conftest.py)."""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import yaml

from common.languages import SUPPORTED_LANGUAGES
from tests.e2e.conftest import ROOT, STAFF_TOKEN, Stack, run_all_env

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.security]

NOTICES = yaml.safe_load((ROOT / "channels" / "notices.yml").read_text("utf-8"))
GREETINGS = yaml.safe_load((ROOT / "bot" / "i18n" / "zh.yml").read_text("utf-8"))["utter_greet"]
MARKER = "Quokka-Marmalade-4711"
TOURIST_TEXT = f"{MARKER} 我的手机 13912345678，身份证 51010719900307123X，九寨沟门票多少钱"


def say(stack: Stack, sender: str, message: str, timeout: float = 60) -> httpx.Response:
    return httpx.post(
        f"{stack.rasa}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=timeout,
    )


def texts(response: httpx.Response) -> list[str]:
    response.raise_for_status()
    return [m["text"] for m in response.json() if "text" in m]


def test_security_tracker_routes_need_the_rasa_token(stack: Stack) -> None:
    say(stack, "tracker-owner", "你好").raise_for_status()
    url = f"{stack.rasa}/conversations/tracker-owner/tracker"

    anonymous = httpx.get(url, timeout=30)
    wrong = httpx.get(url, params={"token": "not-the-token-at-all"}, timeout=30)
    allowed = httpx.get(url, params={"token": stack.secrets["RASA_AUTH_TOKEN"]}, timeout=30)

    assert anonymous.status_code == wrong.status_code == 401
    assert allowed.status_code == 200 and allowed.json()["sender_id"] == "tracker-owner"


def test_security_forged_action_server_call_is_refused(stack: Stack) -> None:
    forged = {
        "next_action": "action_human_handoff",
        "sender_id": "forged-victim",
        "tracker": {"sender_id": "forged-victim", "latest_message": {"text": "x"}, "events": []},
        "domain": {},
        "version": "3.6.21",
    }

    response = httpx.post(f"{stack.actions}/webhook", json=forged, timeout=30)

    assert response.status_code == 401
    staff = httpx.get(
        f"{stack.platform}/api/escalations",
        headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
        timeout=30,
    )
    assert all(e["sender_id"] != "forged-victim" for e in staff.json()["data"])
    assert httpx.get(f"{stack.actions}/health", timeout=30).json() == {"status": "ok"}


def test_security_100_kb_message_is_answered_politely_while_others_go_on(stack: Stack) -> None:
    huge = "九寨沟的门票多少钱，怎么去，几点开门？" * 5300  # about 100 KB of UTF-8 text
    assert len(huge.encode("utf-8")) > 100_000

    with ThreadPoolExecutor(max_workers=2) as pool:
        started = time.monotonic()
        long_reply = pool.submit(say, stack, "flood-zh", huge, 30)
        time.sleep(0.05)
        normal_reply = pool.submit(say, stack, "bystander", "你好", 30)
        long_texts, normal_texts = texts(long_reply.result()), texts(normal_reply.result())
        elapsed = time.monotonic() - started

    assert long_texts and long_texts[0].startswith(NOTICES["too_long"]["zh"].split("（")[0])
    assert normal_texts and normal_texts[0] in GREETINGS
    assert elapsed < 15


@pytest.mark.parametrize(
    ("language", "sample"),
    [
        ("ko", "주자이거우 입장료는 얼마인가요? "),
        ("ru", "Сколько стоит билет? "),
        ("ja", "入場料はいくらですか。"),
    ],
)
def test_security_long_message_notice_is_in_the_tourists_language(
    stack: Stack, language: str, sample: str
) -> None:
    reply = texts(say(stack, f"flood-{language}", sample * 2000))

    assert reply and reply[0].startswith(NOTICES["too_long"][language][:6])


@pytest.mark.parametrize(
    "body",
    [
        b"[1, 2, 3]",
        b"this is not json",
        b'{"message": "no sender"}',
        b'{"sender": "x", "message": 3}',
    ],
)
def test_security_malformed_bodies_get_a_clear_400(stack: Stack, body: bytes) -> None:
    response = httpx.post(f"{stack.rasa}/webhooks/rest/webhook", content=body, timeout=30)

    assert response.status_code == 400 and "error" in response.json()


@pytest.mark.parametrize("message", ["", "   ", "\n\t"])
def test_security_empty_message_gets_a_polite_reply(stack: Stack, message: str) -> None:
    reply = texts(say(stack, "empty-sender", message))

    assert reply and reply[0] in {NOTICES["empty"][lang] for lang in SUPPORTED_LANGUAGES}


@pytest.mark.parametrize(
    ("service", "path"),
    [("rasa", "/webhooks/rest/webhook"), ("rasa", "/model/parse"), ("platform", "/api/kb/search")],
)
def test_security_cors_preflight_from_an_unconfigured_origin_gets_no_allow_origin(
    stack: Stack, service: str, path: str
) -> None:
    base = stack.rasa if service == "rasa" else stack.platform
    response = httpx.options(
        f"{base}{path}",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=30,
    )

    assert "access-control-allow-origin" not in response.headers


def test_security_servers_listen_on_loopback_only(stack: Stack) -> None:
    listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True, check=False).stdout
    ports = {
        stack.rasa.rsplit(":", 1)[1],
        stack.actions.rsplit(":", 1)[1],
        stack.platform.rsplit(":", 1)[1],
    }
    for line in listening.splitlines():
        local = line.split()[3]
        if local.rsplit(":", 1)[1] in ports:
            assert local.rsplit(":", 1)[0] in {"127.0.0.1", "[::1]"}, line


def test_security_logs_hold_no_tourist_text_query_or_token(stack: Stack) -> None:
    texts(say(stack, "log-check", TOURIST_TEXT))
    texts(say(stack, "log-check", f"{MARKER} " * 400))  # over the limit: refused
    httpx.get(f"{stack.platform}/api/kb/search", params={"q": f"{MARKER} pandas"}, timeout=30)
    httpx.get(
        f"{stack.rasa}/conversations/log-check/tracker",
        params={"token": stack.secrets["RASA_AUTH_TOKEN"]},
        timeout=30,
    )
    time.sleep(2)  # let the servers flush their logs

    logs = {
        path.name: path.read_text("utf-8", errors="replace") for path in stack.log_dir.glob("*.log")
    }

    assert {"rasa.log", "actions.log", "platform.log"} <= set(logs)
    for name, text in logs.items():
        for needle in (MARKER, "13912345678", "51010719900307123X", "log-check", "pandas"):
            assert needle not in text, f"{needle!r} in {name}"
        for secret in stack.secrets.values():
            assert secret not in text, f"a secret in {name}"


def test_security_placeholder_secrets_stop_the_run_before_any_server_starts(
    tmp_path: Path,
) -> None:
    env = run_all_env(
        tmp_path,
        RASA_AUTH_TOKEN="changeme",
        RASA_PORT="15105",
        ACTIONS_PORT="15155",
        PLATFORM_PORT="18100",
    )

    result = subprocess.run(
        ["bash", "scripts/run_all.sh"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "refusing to start: RASA_AUTH_TOKEN is a placeholder" in result.stdout + result.stderr
    assert "starting" not in result.stdout


@pytest.mark.parametrize(
    ("command", "variable"),
    [
        ([".venv/app/bin/python", "-m", "actions.server"], "ACTION_SERVER_TOKEN"),
        ([".venv/app/bin/python", "server.py"], "PLATFORM_BOT_API_TOKEN"),
    ],
)
def test_security_each_server_refuses_a_placeholder_secret_at_start(
    tmp_path: Path, command: list[str], variable: str
) -> None:
    env = run_all_env(tmp_path, ACTION_SERVER_TOKEN="changeme", PLATFORM_BOT_API_TOKEN="changeme")
    env["PYTHONPATH"] = str(ROOT)

    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode != 0
    assert f"{variable} is a placeholder" in result.stderr
