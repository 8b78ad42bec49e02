"""``-m security``: the platform API fuzzed from its own OpenAPI schema (schemathesis + hypothesis).

Every operation gets generated requests (valid and invalid bodies, query strings, path values,
including SQL-injection, script and control-character strings hypothesis finds), sent in-process
with the credentials its prefix needs, and must never answer 5xx. Bounded: ``EXAMPLES`` requests per
operation. The number of cases tried is written to ``reports/fuzz_platform.json``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from tests.platform_api.conftest import BOT_TOKEN, STAFF_TOKEN

pytestmark = [pytest.mark.security, pytest.mark.slow]
EXAMPLES = 12
REPORT = Path(__file__).resolve().parents[3] / "reports" / "fuzz_platform.json"
PARTNER = ("dujiangyan", "fuzz-partner-key-0123456789")


def headers_for(path: str, staff_session: str) -> dict[str, str]:
    """The credential a real caller of ``path`` sends (so the fuzz reaches the handler)."""
    if path.startswith("/api/staff") or path.startswith("/console"):
        return {"Authorization": f"Bearer {staff_session}"}
    if path.startswith("/api/partners"):
        return {"X-Partner-Key": PARTNER[1]}
    if path.startswith(("/api/analytics", "/api/escalations", "/api/kb/unanswered")):
        return {"Authorization": f"Bearer {STAFF_TOKEN}"}
    return {"Authorization": f"Bearer {BOT_TOKEN}"}


@pytest.fixture
def fuzz_app(settings, fake_retriever, monkeypatch) -> FastAPI:  # type: ignore[no-untyped-def]
    from pydantic import SecretStr

    from platform_api.main import create_app

    settings.partner_keys = {PARTNER[0]: SecretStr(PARTNER[1])}
    settings.payment_sandbox_secret = SecretStr("fuzz-sandbox-secret-0123456789")
    settings.staff_admin_user = "fuzz-admin"
    settings.staff_admin_password = SecretStr("Quartz-lantern-river-8462")
    application = create_app(settings)
    application.state.kb_retriever = fake_retriever
    return application


def fuzz_operation(  # type: ignore[no-untyped-def]
    operation,
    headers: Callable[[str, str], dict[str, str]],
    staff_session: str,
    tried: Counter[str],
    statuses: Counter[int],
    failures: list[str],
) -> None:
    """Up to ``EXAMPLES`` generated requests to ``operation``; a 5xx is recorded (and shrunk)."""
    label = f"{operation.method.upper()} {operation.path}"

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def exercise(case) -> None:  # type: ignore[no-untyped-def]
        tried[label] += 1
        try:  # in-process, an unhandled error surfaces as the exception itself
            response = case.call(headers=headers(operation.path, staff_session))
        except Exception as error:  # noqa: BLE001 - that is a 500 for the caller
            statuses[500] += 1
            failures.append(f"{label} -> {type(error).__name__}")
            raise AssertionError(label) from None
        statuses[response.status_code // 100 * 100] += 1
        if response.status_code >= 500:
            failures.append(f"{label} -> {response.status_code}")
            raise AssertionError(f"{label} answered {response.status_code}")

    try:
        exercise()
    except AssertionError:
        pass  # recorded; the other operations are fuzzed too


def test_no_operation_answers_5xx_to_generated_requests(fuzz_app: FastAPI) -> None:
    with TestClient(fuzz_app) as client:
        login = client.post(
            "/api/staff/login",
            json={"username": "fuzz-admin", "password": "Quartz-lantern-river-8462"},
        )
        staff_session = login.json().get("access_token", "") if login.status_code == 200 else ""
        schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
        tried: Counter[str] = Counter()
        statuses: Counter[int] = Counter()
        failures: list[str] = []
        for result in schema.get_all_operations():
            fuzz_operation(result.ok(), headers_for, staff_session, tried, statuses, failures)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        json.dumps(
            {
                "operations": len(tried),
                "cases": sum(tried.values()),
                "statuses": {str(k): v for k, v in sorted(statuses.items())},
                "server_errors": sorted(set(failures)),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    assert sum(tried.values()) >= len(tried) * 2
    assert failures == [], sorted(set(failures))
