"""Hotel booking actions against the real platform: search near an attraction, choose, hold, pay."""

from __future__ import annotations

import datetime as dt

import httpx
from rasa_sdk import Action

from actions.bookings.hotel_form import (
    ActionAskHotelChoice,
    ActionAskHotelConfirmed,
    ActionStartHotelBooking,
    ActionSubmitHotelBooking,
    ValidateHotelBookingForm,
    read_nights,
)
from actions.clients.platform_api import PlatformApiClient
from tests.actions.bookings.kit import (
    BOT_TOKEN,
    HOTEL,
    HOTEL_KEY,
    VENUE,
    Conversation,
    cn_id,
    pay,
    responses,
    visit_day,
)

NEAR = [{"entity": "attraction", "value": VENUE, "start": 0, "end": 1}]


async def push_hotel(http: httpx.AsyncClient, first: dt.date, nights: int, rooms: int) -> None:
    """A test hotel near the venue with ``rooms`` twin rooms at 300 CNY a night."""
    headers = {"X-Partner-Key": HOTEL_KEY}
    profile = {
        "name": "Riverside Test Hotel",
        "city": "Dujiangyan",
        "near": [VENUE],
        "room_types": [{"code": "twin", "name": "Twin room", "max_guests": 2}],
    }
    assert (
        await http.put(f"/api/partners/hotels/{HOTEL}", json=profile, headers=headers)
    ).status_code == 200
    nights_body = {
        "nights": [
            {
                "date": (first + dt.timedelta(days=i)).isoformat(),
                "room_type": "twin",
                "rooms": rooms,
                "price_fen": 30000,
            }
            for i in range(nights)
        ]
    }
    response = await http.put(
        f"/api/partners/hotels/{HOTEL}/inventory", json=nights_body, headers=headers
    )
    assert response.status_code == 200, response.text


def asks(api: PlatformApiClient) -> dict[str, Action]:
    return {a.name(): a for a in (ActionAskHotelChoice(api), ActionAskHotelConfirmed(api))}


def test_nights_in_eight_languages() -> None:
    for text, n in [
        ("3 nights", 3),
        ("住两晚", 2),
        ("2泊", 2),
        ("2박", 2),
        ("3 nuits", 3),
        ("3 Nächte", 3),
        ("3 noches", 3),
        ("3 ночи", 3),
    ]:
        assert read_nights(text) == n, text


async def test_book_a_hotel_near_an_attraction_and_pay(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    day = visit_day()
    await push_hotel(http, day, nights=3, rooms=2)
    conv = Conversation(language="en", sender="hotel-guest")
    validate = ValidateHotelBookingForm(api)
    conv.user("book a hotel near Dujiangyan from tomorrow for 2 nights", "book_hotel", NEAR)
    await conv.run(ActionStartHotelBooking(api))
    assert conv.slots["hotel_place"] == f"near:{VENUE}"
    assert conv.slots["hotel_check_in"] == day.isoformat()
    assert conv.slots["hotel_check_out"] == (day + dt.timedelta(days=2)).isoformat()
    conv.form = "hotel_booking_form"
    assert await conv.ask(asks(api)) == "hotel_guests"
    await conv.answer("2 adults", validate)
    assert await conv.ask(asks(api)) == "hotel_choice"
    offer = conv.said[-1]
    assert offer["response"] == "utter_ask_hotel_choice"
    assert "Riverside Test Hotel" in offer["choices"] and "CN¥600.00" in offer["choices"]
    await conv.answer("1", validate)
    assert await conv.ask(asks(api)) == "hotel_guest"
    said = await conv.answer("Mary Brown", validate)
    assert responses(said) == ["utter_booking_missing_document"]
    await conv.answer(f"Mary Brown {cn_id(41)}", validate)
    assert await conv.ask(asks(api)) == "booking_phone"
    await conv.answer("+44 20 7946 0958", validate)
    assert await conv.ask(asks(api)) == "hotel_confirmed"
    summary = conv.said[-1]
    assert summary["amount"] == "CN¥600.00" and cn_id(41) not in str(summary)
    await conv.answer("yes", validate)
    said = await conv.run(ActionSubmitHotelBooking(api))
    assert responses(said) == ["utter_booking_held"]
    reference = said[0]["reference"]
    assert reference.startswith("HB-") and conv.slots["hotel_guest"] is None
    await pay(http, reference, 60000)
    booking = await http.get(
        f"/api/bookings/{reference}", headers={"Authorization": f"Bearer {BOT_TOKEN}"}
    )
    assert booking.json()["status"] == "confirmed"


async def test_no_free_rooms_and_bad_dates_are_explained(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    day = visit_day()
    await push_hotel(http, day, nights=1, rooms=1)
    conv = Conversation(language="zh", sender="hotel-zh")
    validate = ValidateHotelBookingForm(api)
    conv.user("都江堰附近订酒店", "book_hotel", NEAR)
    await conv.run(ActionStartHotelBooking(api))
    conv.form = "hotel_booking_form"
    assert await conv.ask(asks(api)) == "hotel_check_in"
    await conv.answer("明天", validate)
    assert await conv.ask(asks(api)) == "hotel_check_out"
    said = await conv.answer("今天", validate)
    assert responses(said) == ["utter_hotel_bad_dates"]
    await conv.answer("住三晚", validate)  # only one night has rooms
    await conv.ask(asks(api))
    await conv.answer("两个人", validate)
    assert await conv.ask(asks(api)) == "hotel_choice"
    assert responses(conv.said[-1:]) == ["utter_hotel_none"]
    assert conv.slots["requested_slot"] is None  # the ask action ended the form
    assert conv.slots["booking_outcome"] == "done"
    said = await conv.run(ActionSubmitHotelBooking(api))
    assert said == [] and conv.slots["hotel_place"] is None
