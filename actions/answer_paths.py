"""Which answer a tourist's practical question gets, and what to say when no entry answers it.

Pure helpers of ``action_answer_knowledge``: the topic of an intent (an address question that asks
*how to get there* gets the route), and the reply to a practical question no knowledge-base entry
answers — the festivals expected soon when it asks about festivals, else the tourism hotline's entry
(never a refusal, never another place's facts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from actions.clients.platform_api import PlatformApiClient
from knowledge_base.answer_paths import (
    PRACTICAL_TYPES,
    render_festivals,
    render_no_information,
)
from knowledge_base.schema import Entry

HOTLINE_ENTRY = "topic-tourism-hotline-12301"
"""The sourced help line (its facts say 12301 was merged into 12345)."""
FESTIVALS_SHOWN = 3
PRACTICAL_INTENTS = frozenset({"ask_practical_info"})
"""Intents answered only by a practical entry (topic or event), never by a previous place."""
DIRECTIONS = re.compile(
    r"how (do|can|should|would) (i|we|you) (get|go)|get(ting)? (there|to)|route|from chengdu"
    r"|from the (station|airport)|by (bus|train|metro|subway|taxi)|way to (get|go)|how far"
    r"|nearest (station|train|airport)"
    r"|怎么去|怎么走|如何去|怎样去|坐什么车|怎么坐车|怎么过去|怎么到|到.{0,8}怎么|乘车|路线|交通"
    r"|高铁站|火车站|多远|远吗|远不远|zen ?me ?(qu|zou)"
    r"|行き方|どうやって行|アクセス|までの|遠い|最寄り|가는 (방법|법|길)|어떻게 가|교통|멀어"
    r"|comment (aller|se rendre|y aller|rejoindre)|itinéraire|depuis chengdu|loin d"
    r"|wie komm|anfahrt|anreise|von chengdu|wie weit"
    r"|cómo (llego|llegar|ir|se llega)|desde chengdu|forma .{0,12}de (ir|llegar)|a qué distancia"
    r"|как (добраться|доехать|попасть|проехать)|из чэнду|далеко",
    re.IGNORECASE,
)
FESTIVALS = re.compile(
    r"festival|temple fair|lantern|节|節|庙会|廟會|灯会|祭り|廟会|축제|묘회|등불"
    r"|fête|foire|fest\b|feste|laternen|fiesta|feria|праздник|фестивал|ярмарк",
    re.IGNORECASE,
)


WHEN = re.compile(
    r"什么时候|几号|几月|哪天|哪几天|日期|いつ|何日|何月|언제|며칠|날짜|\bwhen\b|\bdates?\b|quand|\bwann\b"
    r"|termin|cuándo|cuando|fechas?|когда|дат[аыу]|числа",
    re.IGNORECASE,
)
"""A question about when something takes place (a festival's dates)."""


WHAT_ABOUT = re.compile(
    r"呢\s*[？?]?\s*$|^(那|那么)|は\s*[？?]?\s*$|^じゃあ|(은|는)요\s*[?？]?\s*$"
    r"|^(and|what about|how about|ok,? (and|what about))\b|^(et|quid de)\b|^(und|was ist mit)\b"
    r"|^¿?\s*(y|qué tal|y qué hay de)\b|^(а|и|как насчёт|как насчет)\s"
    r"|^(alors|donc|dann|entonces|тогда|では|じゃ|그럼|那么|那)\b|^¿?\s*entonces\b"
    r"|\bi (meant|mean)\b|je voulais dire|ich meinte|quería decir|имел[аи]? в виду|のことです"
    r"|말한 거예요|말이에요|我是说|我说的是|^(ne|ni)\b|\bne\s*[?？]?\s*$",
    re.IGNORECASE,
)
"""A short follow-up that names another place and asks nothing new: "黄龙呢", "what about Jinli?"."""
WHAT_ABOUT_MAX_CHARS = 60
DESCRIPTION_TOPIC = "info"


def carried_topic(
    intent: str, text: str, previous: tuple[str, str] | None, topics: Mapping[str, str]
) -> str | None:
    """The previous question's topic for "and X?" after a fact question, else None.

    ``previous`` is the intent and text of the tourist's message before this one.

    "门票多少钱" then "黄龙呢" asks Huanglong's ticket, not its description: the NLU reads the second
    message as a request for information, so the topic of the question before it carries over.
    """
    if topics.get(intent, DESCRIPTION_TOPIC) != DESCRIPTION_TOPIC or previous is None:
        return None
    text = text.strip()
    if len(text) > WHAT_ABOUT_MAX_CHARS or not WHAT_ABOUT.search(text):
        return None
    previous_intent, previous_text = previous
    if previous_intent not in topics:
        return None
    topic = topic_for(previous_intent, previous_text, topics)
    return topic if topic not in (DESCRIPTION_TOPIC, "practical") else None


CHEAPEST_WAY = re.compile(
    r"(cheapest|best|fastest|easiest) way to (get|go)|moyen .{0,20}(aller|rejoindre|se rendre)"
    r"|forma .{0,15}de (ir|llegar)|günstigste.{0,12}(Weg|Anreise|hin)|способ .{0,15}добраться"
    r"|最便宜.{0,4}(去|走|到)|怎么去最|安い行き方|가장 싼.{0,6}(가는|방법)",
    re.IGNORECASE,
)
"""A ticket-sounding question that asks for the way there ("cheapest way to get to Emei")."""
TICKET_WORDS = re.compile(
    r"\btickets?\b|\bbillets?\b|\bentradas?\b|Eintritt|\bбилет|门票|票价|入場料|チケット|입장료|입장권",
    re.IGNORECASE,
)
"""Ticket words in a question the NLU read as a request for information."""


def topic_for(intent: str, text: str, topics: Mapping[str, str]) -> str:
    """The answer topic of ``intent``; an address question asking how to get there gets the route,
    a ticket question asking the cheapest way there too, and "and the tickets for X?" read as a
    request for information gets the ticket."""
    topic = topics.get(intent, "info")
    if topic in ("location", "info") and DIRECTIONS.search(text):
        return "directions"
    if topic == "ticket" and CHEAPEST_WAY.search(text):
        return "directions"
    if topic == "info" and intent == "ask_attraction_info" and TICKET_WORDS.search(text):
        return "ticket"
    return topic


def answers_practically(entry: Entry) -> bool:
    """Topics and events answer practical questions; a place found by search does not."""
    return entry.type in PRACTICAL_TYPES


async def answer_without_entry(
    client: PlatformApiClient, text: str, language: str, today: dt.date
) -> str:
    """Festivals expected soon for a festival question, else the hotline entry (best effort)."""
    if FESTIVALS.search(text):
        events = await client.upcoming_events(today, limit=FESTIVALS_SHOWN)
        return render_festivals(events, language)
    hotline = await client.get_entry(HOTLINE_ENTRY)
    return render_no_information(hotline, language)


def event_topic(entry: Entry, topic: str, text: str) -> str:
    """A festival asked *when* gets its dates ("hours"), whatever the intent's topic said."""
    if entry.type == "event" and topic in ("info", "hours", "practical") and WHEN.search(text):
        return "hours"
    return topic
