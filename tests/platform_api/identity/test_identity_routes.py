"""``/api/identity``: a code texted to the number, confirmed by the conversation that asked, opens
the bookings and complaints filed with that number on another channel. The SMS provider is the
one true external boundary: the sandbox sender keeps the texts, and the tests read the code there."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from platform_api.identity.settings import IdentitySettings, get_identity_settings
from platform_api.identity.sms import SandboxSmsSender
from tests.platform_api.conftest import BOT_TOKEN

BOT = {"Authorization": f"Bearer {BOT_TOKEN}"}
PHONE = "138 0013 8000"
E164 = "+8613800138000"
WIDGET = "web-0123456789abcdef0123456789abcdef"
WECHAT = "wechat-openid-oABC123"


@pytest.fixture
def sms(client: TestClient) -> SandboxSmsSender:
    sender = SandboxSmsSender()
    client.app.state.sms_sender = sender  # type: ignore[attr-defined]
    return sender


@pytest.fixture
def fast_settings(client: TestClient) -> IdentitySettings:
    settings = IdentitySettings(resend_interval_s=0, max_codes_per_phone_hour=3, max_attempts=3)
    client.app.dependency_overrides[get_identity_settings] = lambda: settings  # type: ignore[attr-defined]
    return settings


def ask_code(
    client: TestClient, sender: str = WIDGET, phone: str = PHONE, language: str = "en"
) -> Any:
    return client.post(
        "/api/identity/challenges",
        headers=BOT,
        json={"sender_id": sender, "channel": "socketio", "phone": phone, "language": language},
    )


def texted_code(sms: SandboxSmsSender, phone: str = E164) -> str:
    match = re.search(r"\b(\d{6})\b", sms.sent[phone][-1])
    assert match, sms.sent[phone][-1]
    return match.group(1)


def confirm(client: TestClient, challenge_id: str, code: str, sender: str = WIDGET) -> Any:
    return client.post(
        f"/api/identity/challenges/{challenge_id}/confirm",
        headers=BOT,
        json={"sender_id": sender, "code": code},
    )


def file_complaint(client: TestClient, sender: str, phone: str, channel: str) -> str:
    response = client.post(
        "/api/complaints",
        headers=BOT,
        json={
            "category": "service_quality",
            "merchant": "Scenic-area shuttle bus",
            "description": "The shuttle bus left before the time on the ticket.",
            "phone": phone,
            "language": "zh",
            "channel": channel,
            "user_id": sender,
        },
    )
    assert response.status_code == 201, response.text
    reference: str = response.json()["reference"]
    return reference


def test_verified_number_opens_complaints_filed_on_another_channel(
    client: TestClient, sms: SandboxSmsSender, fast_settings: IdentitySettings
) -> None:
    on_wechat = file_complaint(client, WECHAT, "+86 138-0013-8000", "wechat")
    someone_else = file_complaint(client, "wechat-other", "+8613900139000", "wechat")
    assert (
        client.get(f"/api/identity/conversations/{WIDGET}/records", headers=BOT).status_code == 403
    )

    sent = ask_code(client)
    assert sent.status_code == 201, sent.text
    assert sent.json()["phone_masked"] == "+86138****8000"
    assert "Your verification code is" in sms.sent[E164][-1]
    verified = confirm(client, sent.json()["challenge_id"], texted_code(sms))
    assert verified.status_code == 200 and verified.json()["verified"] is True

    records = client.get(f"/api/identity/conversations/{WIDGET}/records", headers=BOT)
    assert records.status_code == 200
    body = records.json()
    assert [c["reference"] for c in body["complaints"]] == [on_wechat]
    assert body["complaints"][0]["channel"] == "wechat"
    assert someone_else not in records.text and "13900139000" not in records.text
    assert E164 not in records.text  # the number only ever leaves masked


def test_code_is_texted_in_the_tourists_language_and_never_stored_in_clear(
    client: TestClient, sms: SandboxSmsSender, fast_settings: IdentitySettings
) -> None:
    from sqlalchemy import select

    from platform_api.identity.models import PhoneChallenge

    ask_code(client, language="ja")
    code = texted_code(sms)

    assert "認証コード" in sms.sent[E164][-1]
    with client.app.state.session_factory() as session:  # type: ignore[attr-defined]
        row = session.scalars(select(PhoneChallenge)).one()
    assert code not in (row.code_hash, row.salt, row.public_id)
    assert len(row.code_hash) == 64


def test_wrong_codes_are_counted_and_the_challenge_is_then_spent(
    client: TestClient, sms: SandboxSmsSender, fast_settings: IdentitySettings
) -> None:
    challenge = ask_code(client).json()["challenge_id"]
    right = texted_code(sms)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    first = confirm(client, challenge, wrong)
    assert first.status_code == 400
    assert first.json()["error"]["code"] == "wrong_code"
    assert "2 attempts left" in first.json()["error"]["message"]
    confirm(client, challenge, wrong)
    confirm(client, challenge, wrong)
    spent = confirm(client, challenge, right)

    assert spent.status_code == 410 and spent.json()["error"]["code"] == "spent"
    assert (
        client.get(f"/api/identity/conversations/{WIDGET}/records", headers=BOT).status_code == 403
    )


def test_only_the_conversation_that_asked_can_confirm(
    client: TestClient, sms: SandboxSmsSender, fast_settings: IdentitySettings
) -> None:
    challenge = ask_code(client).json()["challenge_id"]

    stolen = confirm(client, challenge, texted_code(sms), sender="web-attacker")

    assert stolen.status_code == 404
    assert (
        client.get("/api/identity/conversations/web-attacker/records", headers=BOT).status_code
        == 403
    )


def test_expired_code_is_refused(
    client: TestClient, sms: SandboxSmsSender, fast_settings: IdentitySettings
) -> None:
    from platform_api.identity import service

    with client.app.state.session_factory() as session:  # type: ignore[attr-defined]
        issued = service.request_code(
            session,
            sms,
            fast_settings,
            sender_id=WIDGET,
            channel="socketio",
            phone=PHONE,
            language="en",
            now=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=fast_settings.code_ttl_s + 1),
        )

    expired = confirm(client, issued.challenge_id, texted_code(sms))

    assert expired.status_code == 410 and expired.json()["error"]["code"] == "expired"


def test_a_used_code_cannot_be_replayed(
    client: TestClient, sms: SandboxSmsSender, fast_settings: IdentitySettings
) -> None:
    challenge = ask_code(client).json()["challenge_id"]
    code = texted_code(sms)
    assert confirm(client, challenge, code).status_code == 200

    assert confirm(client, challenge, code).json()["error"]["code"] == "used"


def test_a_number_gets_a_bounded_number_of_texts_per_hour(
    client: TestClient, sms: SandboxSmsSender, fast_settings: IdentitySettings
) -> None:
    statuses = [ask_code(client, sender=f"web-{n}").status_code for n in range(4)]

    assert statuses == [201, 201, 201, 429]
    assert len(sms.sent[E164]) == 3


def test_a_conversation_waits_before_asking_again(
    client: TestClient, sms: SandboxSmsSender
) -> None:
    client.app.dependency_overrides[get_identity_settings] = lambda: IdentitySettings()  # type: ignore[attr-defined]

    assert ask_code(client).status_code == 201
    again = ask_code(client)

    assert again.status_code == 429 and again.json()["error"]["code"] == "too_many_codes"


@pytest.mark.parametrize("phone", ["12345", "not a number", "+86 000 0000 0000"])
def test_invalid_numbers_get_a_clear_400(
    client: TestClient, sms: SandboxSmsSender, fast_settings: IdentitySettings, phone: str
) -> None:
    response = ask_code(client, phone=phone)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_phone"
    assert sms.sent == {}


@pytest.mark.security
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/identity/challenges"),
        ("post", "/api/identity/challenges/abc/confirm"),
        ("get", f"/api/identity/conversations/{WIDGET}/records"),
    ],
)
def test_routes_need_the_service_token(client: TestClient, method: str, path: str) -> None:
    response = getattr(client, method)(path, headers={"Authorization": "Bearer wrong-token-000000"})

    assert response.status_code == 401
