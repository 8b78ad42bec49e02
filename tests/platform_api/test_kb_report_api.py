"""``make kb-report --api``: the unanswered questions come from the platform's staff route."""

from __future__ import annotations

from fastapi.testclient import TestClient

from knowledge_base.report import fetch_unanswered
from tests.platform_api.conftest import STAFF_TOKEN


def test_report_reads_the_unanswered_questions_from_the_route(client: TestClient) -> None:
    for place, lang in [("南京路", "zh"), ("南京路", "zh"), ("Great Wall", "en")]:
        created = client.post(
            "/api/kb/unanswered", json={"place": place, "language": lang, "question": f"{place}?"}
        )
        assert created.status_code in (200, 201), created.text

    found = fetch_unanswered("http://testserver", STAFF_TOKEN, client=client)

    assert found.available and found.total == 3
    assert found.places[0] == ("南京路", 2)
    assert {r[2] for r in found.recent} == {"南京路", "Great Wall"}


def test_a_refused_token_or_none_is_reported_not_raised(client: TestClient) -> None:
    refused = fetch_unanswered("http://testserver", "not-the-staff-token", client=client)
    assert not refused.available and "HTTP 401" in refused.note
    assert "PLATFORM_STAFF_API_TOKEN" in fetch_unanswered("http://testserver", None).note
