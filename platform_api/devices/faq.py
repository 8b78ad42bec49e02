"""The offline FAQ of a venue in one language, built from its knowledge-base entry.

One question per topic whose fact is sourced (an unconfirmed fact is left out: a device offline
cannot tell the tourist to verify it), answered with the same renderer as the chat, plus the
text-to-speech form of each answer.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from channels.guide_speech import to_speech
from knowledge_base.answers import free_text, render_answer
from knowledge_base.schema import Entry

QUESTIONS_FILE = Path(__file__).with_name("faq_questions.yml")
TOPIC_FACTS: dict[str, str] = {
    "ticket": "ticket",
    "hours": "opening_hours",
    "location": "address",
    "directions": "transport",
    "contact": "phone",
    "reservation": "reservation",
    "accessibility": "accessibility",
    "best_season": "best_season",
    "duration": "visit_duration",
    "food": "food_nearby",
}


@cache
def _questions() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    return {str(k): {str(lang): str(q) for lang, q in v.items()} for k, v in data.items()}


def build_faq(entry: Entry, lang: str, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The FAQ items of ``entry`` in ``lang``: ``topic``, ``question``, ``answer``, ``speech``."""
    name = entry.names.get(lang)
    questions = _questions()
    items: list[dict[str, Any]] = []
    about = free_text(entry.description, lang)
    if about:
        items.append(
            {
                "topic": "about",
                "question": questions["about"][lang].format(name=name),
                "answer": about,
                "speech": to_speech(about, lang),
            }
        )
    for topic, fact_name in TOPIC_FACTS.items():
        fact = getattr(entry, fact_name)
        if fact.value is None:
            continue
        answer = render_answer(entry, topic, lang, today=today)  # type: ignore[arg-type]
        items.append(
            {
                "topic": topic,
                "question": questions[topic][lang].format(name=name),
                "answer": answer,
                "speech": to_speech(answer, lang),
            }
        )
    return items
