"""The ticket booking, checking and cancelling actions against the real platform app."""

from __future__ import annotations

import httpx
import pytest
from rasa_sdk import Action

from actions.bookings.manage import (
    ActionAskCancelConfirmed,
    ActionCancelBooking,
    ActionShowBooking,
    ActionStartBookingCancel,
    ActionStartBookingLookup,
    ValidateBookingCancelForm,
    ValidateBookingLookupForm,
)
from actions.bookings.ticket_form import (
    ActionAskBookingConfirmed,
    ActionAskBookingSlot,
    ActionAskBookingTickets,
    ActionAskBookingVisitors,
    ActionStartTicketBooking,
    ActionSubmitTicketBooking,
    ValidateTicketBookingForm,
)
from actions.clients.platform_api import PlatformApiClient
from tests.actions.bookings.kit import (
    VENUE,
    Conversation,
    cn_id,
    pay,
    push_slots,
    responses,
    visit_day,
)

PHONE = "13835180661"
ATTRACTION = [{"entity": "attraction", "value": VENUE, "start": 0, "end": 1}]


def ask_actions(api: PlatformApiClient) -> dict[str, Action]:
    return {
        a.name(): a
        for a in (
            ActionAskBookingSlot(api),
            ActionAskBookingTickets(api),
            ActionAskBookingVisitors(api),
            ActionAskBookingConfirmed(api),
            ActionAskCancelConfirmed(api),
        )
    }


async def book_until_summary(
    conv: Conversation, api: PlatformApiClient, first: str, visitors: list[str]
) -> None:
    """Start with ``first``, pick the first slot, give the visitors and the phone."""
    asks = ask_actions(api)
    validate = ValidateTicketBookingForm(api)
    conv.user(first, "book_ticket", ATTRACTION)
    await conv.run(ActionStartTicketBooking(api))
    conv.form = "ticket_booking_form"
    assert await conv.ask(asks) == "booking_slot"
    await conv.answer("1", validate)
    assert await conv.ask(asks) == "booking_visitors_done"
    for text in visitors:
        await conv.answer(text, validate)
        await conv.ask(asks)
    assert conv.slots["requested_slot"] == "booking_phone"
    await conv.answer(PHONE, validate)
    assert await conv.ask(asks) == "booking_confirmed"


async def test_book_pay_check_and_cancel_in_english(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    day = visit_day()
    await push_slots(http, day)
    conv = Conversation(language="en")
    asks = ask_actions(api)
    validate = ValidateTicketBookingForm(api)

    conv.user(
        "book 2 adults and a child for Dujiangyan tomorrow morning", "book_ticket", ATTRACTION
    )
    await conv.run(ActionStartTicketBooking(api))
    assert conv.slots["booking_date"] == day.isoformat()
    assert conv.slots["booking_part_of_day"] == "morning"
    assert conv.slots["booking_tickets"] == {"adult": 2, "child": 1}

    conv.form = "ticket_booking_form"
    assert await conv.ask(asks) == "booking_slot"
    offer = conv.said[-1]
    assert offer["response"] == "utter_ask_booking_slot"
    assert offer["choices"].startswith(
        "1. 09:00–10:00 (5 left)"
    )  # morning asked: morning slot only
    assert "14:00" not in offer["choices"]
    assert [b["payload"] for b in offer["buttons"]] == ["1"]
    await conv.answer("1", validate)

    assert await conv.ask(asks) == "booking_visitors_done"
    assert conv.said[-1]["number"] == 1 and conv.said[-1]["total"] == 3
    said = await conv.answer("Zhang Wei 110105194912310021", validate)  # wrong check digit
    assert responses(said) == ["utter_booking_bad_cn_id"]
    assert conv.slots["booking_visitors"] == []
    await conv.answer(f"Zhang Wei {cn_id(1)}", validate)
    await conv.ask(asks)
    said = await conv.answer("John Smith passport E12345678", validate)
    assert responses(said) == ["utter_booking_visitor_saved"]
    assert [v["name"] for v in conv.slots["booking_visitors"]] == ["Zhang Wei", "John Smith"]
    await conv.ask(asks)
    assert conv.said[-1]["number"] == 3
    await conv.answer(f"Li Xiaoming {cn_id(2, birth='20180101')}", validate)
    assert conv.slots["booking_visitors_done"] is True
    assert [v["category"] for v in conv.slots["booking_visitors"]] == ["adult", "adult", "child"]

    assert await conv.ask(asks) == "booking_phone"
    said = await conv.answer("12345", validate)
    assert responses(said) == ["utter_booking_bad_phone"]
    await conv.answer(PHONE, validate)
    assert await conv.ask(asks) == "booking_confirmed"
    summary = conv.said[-1]
    assert summary["amount"] == "CN¥200.00"  # 2 x 80 + 40
    assert cn_id(1) not in str(summary) and PHONE not in str(summary)
    assert "0661" in summary["phone"]

    await conv.answer("yes", validate, intent="affirm")
    assert await conv.ask(asks) is None
    before_submit = dict(conv.slots)
    events_before_submit = list(conv.events)
    said = await conv.run(ActionSubmitTicketBooking(api))
    held = said[0]
    assert held["response"] == "utter_booking_held"
    reference = held["reference"]
    assert reference.startswith("BK-") and held["pay_url"]
    # documents and phone are gone from the tracker; only the masked phone stays
    for name in ("booking_visitors", "booking_phone", "booking_tickets", "booking_slot"):
        assert conv.slots[name] is None
    assert conv.slots["last_booking"] == {
        "reference": reference,
        "phone": "+86*******0661",
        "status": "held",
    }

    # a retried turn (same conversation, same summary) gets the same booking, holds nothing more
    retry = Conversation(language="en", slots=before_submit, events=events_before_submit)
    again = await retry.run(ActionSubmitTicketBooking(api))
    assert again[0]["reference"] == reference
    mine = (await http.get("/api/bookings", params={"phone": "+86" + PHONE}, headers=_bot())).json()
    assert [b["reference"] for b in mine["bookings"]] == [reference]
    slots = (
        await http.get(
            f"/api/venues/{VENUE}/slots", params={"date": day.isoformat()}, headers=_bot()
        )
    ).json()
    assert {s["start"]: s["remaining"] for s in slots["slots"]} == {"09:00": 2, "14:00": 20}

    # paid through the sandbox, then checked in the same conversation: no phone needed
    await pay(http, reference, 20000)
    conv.form = None
    conv.user("did my payment go through?", "check_booking")
    await conv.run(ActionStartBookingLookup(api))
    assert conv.slots["booking_ref"] == reference
    conv.form = "booking_lookup_form"
    assert await conv.ask(asks) is None
    said = await conv.run(ActionShowBooking(api))
    assert responses(said) == ["utter_booking_status_confirmed"]
    assert said[0]["reference"] == reference
    assert conv.slots["booking_check_phone"] is None
    assert conv.slots["last_booking"]["status"] == "confirmed"

    # cancelled: the refund is stated before the tourist confirms
    conv.form = None
    conv.user("please cancel my tickets", "cancel_booking")
    await conv.run(ActionStartBookingCancel(api))
    conv.form = "booking_cancel_form"
    assert await conv.ask(asks) == "cancel_confirmed"
    assert responses(conv.said[-2:]) == ["utter_cancel_refund_full", "utter_ask_cancel_confirmed"]
    assert conv.said[-1]["refund"] == "CN¥200.00"
    await conv.answer("yes", ValidateBookingCancelForm(api), intent="affirm")
    assert await conv.ask(asks) is None
    said = await conv.run(ActionCancelBooking(api))
    assert responses(said) == ["utter_booking_cancelled"]
    assert said[0]["refund"] == "CN¥200.00"
    booking = (await http.get(f"/api/bookings/{reference}", headers=_bot())).json()
    assert booking["status"] == "cancelled" and booking["refund_fen"] == 20000


def _bot() -> dict[str, str]:
    from tests.actions.bookings.kit import BOT_TOKEN

    return {"Authorization": f"Bearer {BOT_TOKEN}"}


async def test_chinese_booking_reads_chinese_answers(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    await push_slots(http, visit_day())
    conv = Conversation(language="zh", sender="zh-conversation")
    await book_until_summary(
        conv, api, "明天上午都江堰两张成人票", [f"张伟 {cn_id(11)}", f"李娜，身份证{cn_id(12)}"]
    )
    summary = conv.said[-1]
    assert summary["amount"] == "¥160.00"
    assert summary["date"].startswith(f"{visit_day().year}年")
    assert "成人" in summary["tickets"] and "身份证" in summary["visitors"]
    await conv.answer("确认", ValidateTicketBookingForm(api))
    said = await conv.run(ActionSubmitTicketBooking(api))
    assert said[0]["response"] == "utter_booking_held"


async def test_stop_leaves_the_form_at_any_point_and_books_nothing(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    await push_slots(http, visit_day())
    conv = Conversation(language="de", sender="de-conversation")
    validate = ValidateTicketBookingForm(api)
    conv.user("Tickets für Dujiangyan morgen", "book_ticket", ATTRACTION)
    await conv.run(ActionStartTicketBooking(api))
    conv.form = "ticket_booking_form"
    await conv.ask(ask_actions(api))
    await conv.answer("1", validate)
    assert await conv.ask(ask_actions(api)) == "booking_tickets"
    await conv.answer("abbrechen", validate)
    assert conv.slots["requested_slot"] is None and conv.slots["booking_outcome"] == "stopped"
    said = await conv.run(ActionSubmitTicketBooking(api))
    assert responses(said) == ["utter_booking_stopped"]
    assert conv.slots["booking_slot"] is None and conv.slots["attraction"] == VENUE
    mine = (await http.get("/api/bookings", params={"phone": "+86" + PHONE}, headers=_bot())).json()
    assert mine["bookings"] == []


async def test_no_at_the_summary_books_nothing(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    await push_slots(http, visit_day())
    conv = Conversation(language="fr", sender="fr-conversation")
    await book_until_summary(
        conv, api, "un billet pour Dujiangyan demain", ["Marie Dupont passeport 12AB34567"]
    )
    await conv.answer("non", ValidateTicketBookingForm(api))
    said = await conv.run(ActionSubmitTicketBooking(api))
    assert responses(said) == ["utter_booking_stopped"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yesterday", "utter_booking_date_past"),
        ("the day after tomorrow", "utter_booking_closed_day"),
    ],
)
async def test_past_and_closed_days_are_explained_and_the_attraction_kept(
    api: PlatformApiClient, http: httpx.AsyncClient, text: str, expected: str
) -> None:
    await push_slots(http, visit_day())  # only tomorrow has slots
    conv = Conversation(language="en")
    conv.user("book tickets for Dujiangyan", "book_ticket", ATTRACTION)
    await conv.run(ActionStartTicketBooking(api))
    conv.form = "ticket_booking_form"
    assert await conv.ask(ask_actions(api)) == "booking_date"
    said = await conv.answer(text, ValidateTicketBookingForm(api))
    assert responses(said) == [expected]
    assert conv.slots["booking_date"] is None and conv.slots["attraction"] == VENUE
    said = await conv.answer("tomorrow", ValidateTicketBookingForm(api))
    assert said == [] and conv.slots["booking_date"] == visit_day().isoformat()


async def test_sold_out_slots_and_days_are_explained(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    await push_slots(http, visit_day(), capacity=0)
    conv = Conversation(language="en")
    conv.user("book 1 ticket for Dujiangyan tomorrow", "book_ticket", ATTRACTION)
    await conv.run(ActionStartTicketBooking(api))
    conv.form = "ticket_booking_form"
    await conv.ask(ask_actions(api))
    assert "sold out" in conv.said[-1]["choices"]
    said = await conv.answer("9:00", ValidateTicketBookingForm(api))
    assert responses(said) == ["utter_booking_slot_sold_out"]
    said = await conv.answer("2", ValidateTicketBookingForm(api))
    assert said == [] and conv.slots["booking_slot_info"]["start"] == "14:00"

    await push_slots(http, visit_day(), capacity=0, second=0)
    conv = Conversation(language="en")
    conv.user("book tickets for Dujiangyan", "book_ticket", ATTRACTION)
    await conv.run(ActionStartTicketBooking(api))
    conv.slots["requested_slot"] = "booking_date"
    conv.form = "ticket_booking_form"
    said = await conv.answer("tomorrow", ValidateTicketBookingForm(api))
    assert responses(said) == ["utter_booking_sold_out_day"]


async def test_too_many_tickets_and_missing_categories_are_explained(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    await push_slots(http, visit_day(), capacity=2)
    conv = Conversation(language="en")
    conv.user("book tickets for Dujiangyan tomorrow", "book_ticket", ATTRACTION)
    await conv.run(ActionStartTicketBooking(api))
    conv.form = "ticket_booking_form"
    await conv.ask(ask_actions(api))
    await conv.answer("1", ValidateTicketBookingForm(api))
    assert await conv.ask(ask_actions(api)) == "booking_tickets"
    said = await conv.answer("3 adults", ValidateTicketBookingForm(api))
    assert responses(said) == ["utter_booking_tickets_too_many"]
    assert said[0]["remaining"] == 2
    said = await conv.answer("1 adult and 1 senior", ValidateTicketBookingForm(api))
    assert responses(said) == ["utter_booking_category_unavailable"]
    said = await conv.answer("2 adults", ValidateTicketBookingForm(api))
    assert said == [] and conv.slots["booking_tickets"] == {"adult": 2}


async def test_another_conversation_needs_the_phone_the_booking_was_made_with(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    await push_slots(http, visit_day())
    conv = Conversation(language="en", sender="booker")
    await book_until_summary(conv, api, "1 ticket Dujiangyan tomorrow", [f"Zhang Wei {cn_id(21)}"])
    await conv.answer("yes", ValidateTicketBookingForm(api))
    reference = (await conv.run(ActionSubmitTicketBooking(api)))[0]["reference"]

    other = Conversation(language="en", sender="someone-else")
    other.user(f"check booking {reference.lower()}", "check_booking")
    await other.run(ActionStartBookingLookup(api))
    assert other.slots["booking_ref"] == reference and other.slots["booking_check_phone"] is None
    other.form = "booking_lookup_form"
    assert await other.ask({}) == "booking_check_phone"
    said = await other.answer("13900000000", ValidateBookingLookupForm(api))
    assert responses(said) == ["utter_booking_not_found"]
    assert other.slots["booking_ref"] is None
    assert await other.ask({}) == "booking_ref"
    await other.answer(reference, ValidateBookingLookupForm(api))
    assert await other.ask({}) == "booking_check_phone"
    said = await other.answer("138 3518 0661", ValidateBookingLookupForm(api))
    assert said == []
    said = await other.run(ActionShowBooking(api))
    assert responses(said) == ["utter_booking_status_held"] and said[0]["pay_url"]
    assert other.slots["booking_check_phone"] is None


async def test_a_platform_that_is_down_is_said_plainly_and_nothing_is_kept() -> None:
    down = PlatformApiClient("http://127.0.0.1:9", timeout_s=0.5, bot_token="x")
    conv = Conversation(language="ja")
    conv.user("都江堰のチケットを予約したい", "book_ticket", ATTRACTION)
    await conv.run(ActionStartTicketBooking(down))
    conv.form = "ticket_booking_form"
    assert await conv.ask({}) == "booking_date"
    said = await conv.answer("明日", ValidateTicketBookingForm(down))
    assert said == [] and conv.slots["booking_outcome"] == "unavailable"
    assert conv.slots["requested_slot"] is None
    said = await conv.run(ActionSubmitTicketBooking(down))
    assert responses(said) == ["utter_booking_platform_down"]


async def test_the_last_place_taken_meanwhile_is_explained_and_nothing_is_booked(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    await push_slots(http, visit_day(), capacity=1)
    first = Conversation(language="en", sender="first")
    second = Conversation(language="es", sender="second")
    await book_until_summary(first, api, "1 ticket Dujiangyan tomorrow", [f"Zhang Wei {cn_id(51)}"])
    await book_until_summary(
        second, api, "1 entrada Dujiangyan mañana", ["Ana García pasaporte PAA123456"]
    )
    await first.answer("yes", ValidateTicketBookingForm(api))
    await second.answer("sí", ValidateTicketBookingForm(api))
    assert responses(await first.run(ActionSubmitTicketBooking(api))) == ["utter_booking_held"]
    said = await second.run(ActionSubmitTicketBooking(api))
    assert responses(said) == ["utter_booking_sold_out"] and said[0]["slot"] == "09:00–10:00"
    assert second.slots["booking_visitors"] is None and second.slots["booking_phone"] is None


async def test_a_confident_stop_intent_leaves_the_form_but_not_an_answer_with_numbers(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    await push_slots(http, visit_day())
    conv = Conversation(language="en")
    conv.user("book tickets for Dujiangyan tomorrow", "book_ticket", ATTRACTION)
    await conv.run(ActionStartTicketBooking(api))
    conv.form = "ticket_booking_form"
    await conv.ask(ask_actions(api))
    await conv.answer("1", ValidateTicketBookingForm(api))
    assert await conv.ask(ask_actions(api)) == "booking_tickets"
    await conv.answer("2 adults", ValidateTicketBookingForm(api), intent="stop")
    assert conv.slots["booking_tickets"] == {"adult": 2}
    await conv.ask(ask_actions(api))
    await conv.answer("I don't want to continue", ValidateTicketBookingForm(api), intent="stop")
    assert conv.slots["booking_outcome"] == "stopped" and conv.slots["requested_slot"] is None


async def test_booking_the_same_again_later_is_a_new_booking_not_the_old_one(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    await push_slots(http, visit_day())
    conv = Conversation(language="en", sender="again")
    visitor = f"Zhang Wei {cn_id(61)}"
    await book_until_summary(conv, api, "1 ticket Dujiangyan tomorrow", [visitor])
    await conv.answer("yes", ValidateTicketBookingForm(api))
    first = (await conv.run(ActionSubmitTicketBooking(api)))[0]["reference"]
    conv.form = None
    conv.user("cancel my booking", "cancel_booking")
    await conv.run(ActionStartBookingCancel(api))
    conv.form = "booking_cancel_form"
    await conv.ask(ask_actions(api))
    await conv.answer("yes", ValidateBookingCancelForm(api))
    await conv.run(ActionCancelBooking(api))

    await book_until_summary(conv, api, "1 ticket Dujiangyan tomorrow", [visitor])
    await conv.answer("yes", ValidateTicketBookingForm(api))
    said = await conv.run(ActionSubmitTicketBooking(api))
    assert responses(said) == ["utter_booking_held"] and said[0]["reference"] != first


async def test_a_cancelled_booking_cannot_be_cancelled_again_said_in_the_tourists_language(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    await push_slots(http, visit_day())
    conv = Conversation(language="zh", sender="twice")
    await book_until_summary(conv, api, "明天都江堰一张票", [f"张伟 {cn_id(71)}"])
    await conv.answer("是", ValidateTicketBookingForm(api))
    await conv.run(ActionSubmitTicketBooking(api))
    for _ in range(2):
        conv.form = None
        conv.user("取消订单", "cancel_booking")
        await conv.run(ActionStartBookingCancel(api))
        conv.form = "booking_cancel_form"
        await conv.ask(ask_actions(api))
        if conv.slots["requested_slot"] == "cancel_confirmed":
            assert responses(conv.said[-2:]) == [
                "utter_cancel_refund_unpaid",
                "utter_ask_cancel_confirmed",
            ]
            await conv.answer("是", ValidateBookingCancelForm(api))
        said = await conv.run(ActionCancelBooking(api))
    assert responses(conv.said[-1:]) == ["utter_booking_cannot_cancel"]
    assert conv.said[-1]["status"] == "已取消"
    assert said == [] and conv.slots["booking_outcome"] is None


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("book tickets for Dujiangyan on 2099-12-31", "utter_booking_closed_day"),
        ("book tickets for Dujiangyan on 1999-01-01", "utter_booking_date_past"),
    ],
)
async def test_a_day_in_the_first_message_that_sells_nothing_is_explained_not_offered_empty(
    api: PlatformApiClient, http: httpx.AsyncClient, first: str, expected: str
) -> None:
    await push_slots(http, visit_day())  # only tomorrow has slots
    conv = Conversation(language="en")
    conv.user(first, "book_ticket", ATTRACTION)
    said = await conv.run(ActionStartTicketBooking(api))
    assert responses(said) == [expected]
    assert conv.slots.get("booking_date") is None  # the form asks for another day
    conv.form = "ticket_booking_form"
    assert await conv.ask(ask_actions(api)) == "booking_date"
