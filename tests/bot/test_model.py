"""The trained model (models/current) understands the first vertical slice in zh and en."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def agent() -> Any:
    from rasa.core.agent import Agent

    pointer = ROOT / "models" / "current"
    if not pointer.exists():
        pytest.fail("no trained model: `make test` trains it first")
    return Agent.load(str(ROOT / "models" / pointer.read_text().strip()))


def parse(agent: Any, text: str) -> dict[str, Any]:
    return asyncio.run(agent.parse_message(text))


@pytest.mark.parametrize(
    ("text", "intent", "language"),
    [
        ("你好", "greet", "zh"),
        ("hello", "greet", "en"),
        ("九寨沟门票多少钱", "ask_ticket_price", "zh"),
        ("How much is the Jiuzhaigou ticket?", "ask_ticket_price", "en"),
        ("我要转人工", "human_handoff", "zh"),
        ("are you a robot?", "bot_challenge", "en"),
        ("谢谢", "thank", "zh"),
        ("ありがとうございます", "thank", "ja"),
    ],
)
def test_intent_and_language(agent: Any, text: str, intent: str, language: str) -> None:
    result = parse(agent, text)
    assert result["intent"]["name"] == intent
    assert result["language"] == language


def test_reliable_language_is_emitted_as_an_entity_for_the_session_slot(agent: Any) -> None:
    entities = parse(agent, "How much is the Jiuzhaigou ticket?")["entities"]
    assert {"entity": "language", "value": "en"}.items() <= next(
        e for e in entities if e["entity"] == "language"
    ).items()


def test_unrelated_request_is_not_taken_for_a_travel_intent(agent: Any) -> None:
    assert parse(agent, "write a python function that sorts a linked list")["intent"]["name"] in {
        "out_of_scope",
        "nlu_fallback",
    }


def test_predict_nlu_keeps_rows_and_order(tmp_path: Path) -> None:
    rows = [
        {"text": "你好", "id": 1},
        {"text": "How much is the Jiuzhaigou ticket?", "id": 2, "lang": "en"},
    ]
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    subprocess.run(
        [sys.executable, "-m", "scripts.predict_nlu", str(source), str(target)],
        cwd=ROOT,
        check=True,
    )
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in out] == [1, 2]
    assert list(out[1])[:3] == ["text", "id", "lang"]
    assert out[0]["pred_intent"] == "greet" and out[0]["pred_language"] == "zh"
    assert 0.0 < out[1]["pred_confidence"] <= 1.0


def test_gate_reports_both_encoders_and_keeps_a_weather_question(agent: Any) -> None:
    result = parse(agent, "Will it rain in Leshan tomorrow afternoon?")
    assert set(result["gate_similarities"]) == {"use", "e5"}
    assert result["intent"]["name"] == "ask_weather"
    assert result["gate_margin"] > 0
