"""bot.rasa_server: Rasa's remote actions still validate action-server responses, with the same
schema and the same error, through a validator whose schema is checked once."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_server


@pytest.fixture
def action() -> RemoteAction:
    rasa_server.install()
    return RemoteAction("action_answer_knowledge", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_a_valid_response_passes(action: RemoteAction) -> None:
    response = {
        "events": [{"event": "slot", "name": "attraction", "value": "jiuzhaigou"}],
        "responses": [{"text": "Jiuzhaigou: 169 CNY"}],
    }
    assert action._validate_action_result(response) is True


def test_an_invalid_response_raises_rasas_error(action: RemoteAction) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list"})


def test_the_schema_is_checked_once() -> None:
    assert rasa_server.action_response_validator() is rasa_server.action_response_validator()


def test_sql_tracker_store_engines_pre_ping_after_install() -> None:
    from rasa.core import tracker_store

    from bot import rasa_server

    original = tracker_store.create_engine_kwargs
    try:
        rasa_server.install()
        kwargs = tracker_store.create_engine_kwargs("postgresql://u@127.0.0.1/tianfu_rasa")
        assert kwargs["pool_pre_ping"] is True
        assert "pool_size" in kwargs  # Rasa's own options are kept
    finally:
        tracker_store.create_engine_kwargs = original
