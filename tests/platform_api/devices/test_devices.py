"""Guide devices on the platform: registration, hashed keys, key check, offline FAQ, nearby places."""

from __future__ import annotations

import hashlib

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select

from knowledge_base.schema import Entry
from platform_api.devices.models import GuideDevice
from tests.platform_api.conftest import ENTRIES_DIR, FakeRetriever, make_entry

pytestmark = pytest.mark.security


@pytest.fixture
def leshan() -> Entry:
    raw = yaml.safe_load((ENTRIES_DIR / "leshan-giant-buddha.yml").read_text(encoding="utf-8"))
    return Entry.model_validate(raw)


@pytest.fixture(autouse=True)
def kb_with_leshan(use_retriever, jiuzhaigou: Entry, leshan: Entry) -> FakeRetriever:
    retriever = FakeRetriever([jiuzhaigou, leshan, make_entry()])
    use_retriever(retriever)
    return retriever


def register(client: TestClient, staff_headers: dict[str, str], **body: str) -> dict:
    payload = {"name": "gate 1 device", "language": "en", "venue_id": "leshan-giant-buddha"}
    payload.update(body)
    response = client.post("/api/devices", json=payload, headers=staff_headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_registration_needs_staff_and_stores_only_the_key_hash(
    client: TestClient, staff_headers: dict[str, str], app
) -> None:
    body = {"name": "d", "language": "en", "venue_id": "leshan-giant-buddha"}
    assert client.post("/api/devices", json=body).status_code == 401  # bot token is not staff
    created = register(client, staff_headers)
    key = created["api_key"]
    assert key.startswith("gd_") and len(key) > 40
    with app.state.session_factory() as session:
        row = session.scalars(select(GuideDevice)).one()
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in (row.key_prefix, row.name)
    listed = client.get("/api/devices", headers=staff_headers).json()
    assert listed[0]["venue_id"] == "leshan-giant-buddha" and "api_key" not in listed[0]


def test_registration_refuses_unknown_venue_and_language(
    client: TestClient, staff_headers: dict[str, str]
) -> None:
    bad_venue = {"name": "d", "language": "en", "venue_id": "great-wall"}
    assert client.post("/api/devices", json=bad_venue, headers=staff_headers).status_code == 422
    bad_lang = {"name": "d", "language": "it", "venue_id": "leshan-giant-buddha"}
    assert client.post("/api/devices", json=bad_lang, headers=staff_headers).status_code == 422


def test_verify_gives_language_and_venue_and_refuses_revoked(
    client: TestClient, staff_headers: dict[str, str]
) -> None:
    created = register(client, staff_headers, language="ja")
    ok = client.post("/api/devices/verify", json={"api_key": created["api_key"]})
    assert ok.status_code == 200
    assert ok.json() == {
        "device_id": created["id"],
        "language": "ja",
        "venue_id": "leshan-giant-buddha",
    }
    no_token = client.post(
        "/api/devices/verify",
        json={"api_key": created["api_key"]},
        headers={"Authorization": "Bearer nope"},
    )
    assert no_token.status_code == 401
    assert client.post("/api/devices/verify", json={"api_key": "gd_wrong"}).status_code == 404
    revoke = client.patch(
        f"/api/devices/{created['id']}", json={"active": False}, headers=staff_headers
    )
    assert revoke.status_code == 200 and revoke.json()["active"] is False
    assert (
        client.post("/api/devices/verify", json={"api_key": created["api_key"]}).status_code == 404
    )


def test_faq_in_the_device_language_with_speech_text(
    client: TestClient, staff_headers: dict[str, str]
) -> None:
    created = register(client, staff_headers, language="en")
    assert client.get("/api/devices/faq").status_code == 401
    assert client.get("/api/devices/faq", headers={"X-Device-Key": "gd_x"}).status_code == 401
    response = client.get("/api/devices/faq", headers={"X-Device-Key": created["api_key"]})
    assert response.status_code == 200
    faq = response.json()
    assert faq["name"] == "Leshan Giant Buddha" and faq["language"] == "en"
    topics = {item["topic"]: item for item in faq["items"]}
    assert {"about", "ticket", "hours"} <= set(topics)
    ticket = topics["ticket"]
    assert ticket["question"] == "How much is the ticket for Leshan Giant Buddha?"
    assert "80 yuan" in ticket["answer"]  # the fixture entry's full-price mountain ticket
    assert "http" in ticket["answer"] and "http" not in ticket["speech"]
    assert "- " not in ticket["speech"] and "80 yuan" in ticket["speech"]
    assert " to " in topics["hours"]["speech"] and "–" not in topics["hours"]["speech"]
    # a Chinese device gets the Chinese FAQ of the same venue
    zh = register(client, staff_headers, language="zh")
    zh_faq = client.get("/api/devices/faq", headers={"X-Device-Key": zh["api_key"]}).json()
    assert zh_faq["name"] == "乐山大佛"
    assert any("80元" in item["speech"] for item in zh_faq["items"])


def test_nearby_places_closest_first(client: TestClient) -> None:
    # Leshan Giant Buddha's sourced coordinates are in the fixture entry; a point next to them
    response = client.get("/api/places/nearby", params={"lat": 29.55, "lon": 103.77, "lang": "en"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results and results[0]["id"] == "leshan-giant-buddha"
    assert results[0]["distance_km"] < 5
    assert all(r["id"] != "jiuzhaigou" for r in results)  # about 400 km away
    far = client.get("/api/places/nearby", params={"lat": 39.9, "lon": 116.4}).json()
    assert far["results"] == []
    assert client.get("/api/places/nearby", params={"lat": 100, "lon": 0}).status_code == 422
