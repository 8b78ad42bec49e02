"""Crowd and weather from partner data, with their age; stale data said to be stale; none said."""

from __future__ import annotations

import datetime as dt

import httpx

from actions.clients.platform_api import PlatformApiClient
from actions.live_data import ActionLiveData
from tests.actions.bookings.kit import PARTNER_KEY, VENUE, Conversation, responses

ATTRACTION = [{"entity": "attraction", "value": VENUE, "start": 0, "end": 1}]


async def push(http: httpx.AsyncClient, kind: str, body: dict[str, object]) -> None:
    response = await http.put(
        f"/api/partners/venues/{VENUE}/{kind}", json=body, headers={"X-Partner-Key": PARTNER_KEY}
    )
    assert response.status_code == 200, response.text


def ago(**delta: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(**delta)).isoformat()


async def test_fresh_crowd_figure_with_its_age(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    await push(http, "visitors", {"count": 1234, "capacity": 30000, "observed_at": ago(minutes=5)})
    conv = Conversation(language="en")
    conv.user("how busy is Dujiangyan now", "ask_crowd", ATTRACTION)
    said = await conv.run(ActionLiveData(api))
    assert responses(said) == ["utter_live_crowd"]
    assert said[0]["count"] == 1234 and said[0]["capacity"] == 30000
    assert said[0]["age"] == "5 minutes"
    assert conv.slots["attraction"] == VENUE


async def test_stale_figures_are_said_to_be_old(
    api: PlatformApiClient, http: httpx.AsyncClient
) -> None:
    await push(http, "visitors", {"count": 50, "observed_at": ago(hours=2)})
    await push(
        http, "weather", {"condition": "小雨", "temperature_c": 12.4, "observed_at": ago(hours=5)}
    )
    conv = Conversation(language="zh", slots={"attraction": VENUE})  # the place talked about
    conv.user("现在人多吗", "ask_crowd")
    said = await conv.run(ActionLiveData(api))
    assert responses(said) == ["utter_live_crowd_stale"]
    assert said[0]["age"] == "2小时"
    conv.user("天气怎么样", "ask_weather")
    said = await conv.run(ActionLiveData(api))
    assert responses(said) == ["utter_live_weather_stale"]
    assert said[0]["temperature"] == 12 and said[0]["condition"] == "小雨"


async def test_no_live_data_is_said_honestly(api: PlatformApiClient) -> None:
    conv = Conversation(language="ko")
    conv.user("주자이거우 날씨 어때요", "ask_weather", ATTRACTION)
    said = await conv.run(ActionLiveData(api))
    assert responses(said) == ["utter_live_no_weather"]
    conv = Conversation(language="en")
    conv.user("is it crowded?", "ask_crowd")
    assert responses(await conv.run(ActionLiveData(api))) == ["utter_live_which_venue"]


async def test_live_data_service_down_is_said_plainly() -> None:
    down = PlatformApiClient("http://127.0.0.1:9", timeout_s=0.5, bot_token="x")
    conv = Conversation(language="ru")
    conv.user("много ли людей в Дуцзянъяне", "ask_crowd", ATTRACTION)
    said = await conv.run(ActionLiveData(down))
    assert responses(said) == ["utter_live_unreachable"]
