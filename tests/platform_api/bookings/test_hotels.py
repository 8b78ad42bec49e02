"""Hotels: partner profile and nightly inventory, search by city or nearby attraction, book, pay, cancel."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from tests.platform_api.bookings.kit import DAY, PARTNER_KEYS, VENUE, visitor

HOTEL = "hotel-test-riverside"
HEADERS = {"X-Partner-Key": PARTNER_KEYS[HOTEL]}
CHECK_OUT = DAY + dt.timedelta(days=2)


def _setup_hotel(api: TestClient, rooms: int = 2) -> None:
    profile = {
        "name": "Test Riverside Inn",
        "city": "Dujiangyan",
        "near": [VENUE],
        "room_types": [
            {"code": "twin", "name": "Twin room", "max_guests": 2},
            {"code": "family", "name": "Family room", "max_guests": 4},
        ],
    }
    assert (
        api.put(f"/api/partners/hotels/{HOTEL}", json=profile, headers=HEADERS).status_code == 200
    )
    nights = [
        {
            "date": str(DAY + dt.timedelta(days=i)),
            "room_type": code,
            "rooms": rooms,
            "price_fen": price,
        }
        for i in range(3)
        for code, price in (("twin", 30000 + i * 1000), ("family", 50000))
    ]
    response = api.put(
        f"/api/partners/hotels/{HOTEL}/inventory", json={"nights": nights}, headers=HEADERS
    )
    assert response.status_code == 200, response.text


def _search(api: TestClient, **params: object) -> list[dict[str, object]]:
    query = {"check_in": str(DAY), "check_out": str(CHECK_OUT), **params}
    response = api.get("/api/hotels", params=query)
    assert response.status_code == 200, response.text
    hotels: list[dict[str, object]] = response.json()["hotels"]
    return hotels


def _book(api: TestClient, rooms: int = 1, guests: int = 2, key: str | None = None):
    body = {
        "hotel_id": HOTEL,
        "room_type": "twin",
        "check_in": str(DAY),
        "check_out": str(CHECK_OUT),
        "rooms": rooms,
        "guests": [visitor(60 + i) for i in range(guests)],
        "phone": "13800138000",
        "language": "zh",
        "channel": "wechat",
        "user_id": "u-hotel",
    }
    return api.post(
        "/api/hotel-bookings", json=body, headers={"Idempotency-Key": key} if key else {}
    )


def test_hotel_search_by_city_or_nearby_attraction(api: TestClient) -> None:
    _setup_hotel(api)

    by_city = _search(api, city="dujiangyan", guests=2)
    near = _search(api, near=VENUE, guests=3)

    assert [h["hotel_id"] for h in by_city] == [HOTEL]
    twin = by_city[0]["room_types"][0]  # type: ignore[index]
    assert twin["code"] == "twin" and twin["nightly_fen"] == [30000, 31000]
    assert twin["total_fen"] == 61000 and twin["available_rooms"] == 2
    assert [r["code"] for r in near[0]["room_types"]] == ["family"]  # type: ignore[index]
    assert _search(api, city="Leshan") == []
    assert (
        api.get("/api/hotels", params={"check_in": str(DAY), "check_out": str(DAY)}).status_code
        == 422
    )


def test_hotel_book_pay_cancel(api: TestClient) -> None:
    _setup_hotel(api)

    created = _book(api)
    assert created.status_code == 201, created.text
    data = created.json()
    assert data["reference"].startswith("HB-20300501-") and data["amount_fen"] == 61000
    assert api.post(data["pay_url"]).status_code == 200
    booking = api.get(f"/api/hotel-bookings/{data['reference']}").json()
    assert (booking["status"], booking["room_type"], booking["rooms"]) == ("confirmed", "twin", 1)
    assert booking["guests"][0]["id_number"].count("*") == 11
    assert _search(api, city="Dujiangyan")[0]["room_types"][0]["available_rooms"] == 1  # type: ignore[index]

    cancelled = api.post(f"/api/hotel-bookings/{data['reference']}/cancel").json()

    assert (cancelled["status"], cancelled["refund_fen"]) == ("cancelled", 61000)
    assert _search(api, city="Dujiangyan")[0]["room_types"][0]["available_rooms"] == 2  # type: ignore[index]


def test_hotel_sold_out_nights_and_guest_limits(api: TestClient) -> None:
    _setup_hotel(api, rooms=1)
    assert _book(api).status_code == 201

    again = _book(api, guests=1)
    too_many = _book(api, rooms=1, guests=3)

    assert (again.status_code, again.json()["error"]["code"]) == (409, "sold_out")
    assert (too_many.status_code, too_many.json()["error"]["code"]) == (422, "too_many_guests")
    assert [r["code"] for r in _search(api, city="Dujiangyan")[0]["room_types"]] == ["family"]  # type: ignore[index]


def test_hotel_partner_key_scope(api: TestClient) -> None:
    response = api.put(
        f"/api/partners/hotels/{HOTEL}",
        json={
            "name": "x",
            "city": "y",
            "room_types": [{"code": "a", "name": "a", "max_guests": 1}],
        },
        headers={"X-Partner-Key": PARTNER_KEYS[VENUE]},
    )
    assert response.status_code == 403
    ticket_ref = api.get("/api/hotel-bookings/BK-20300501-00000001")
    assert ticket_ref.status_code == 404
