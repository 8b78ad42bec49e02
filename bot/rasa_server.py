"""Runs Rasa's command line (``python -m bot.rasa_server run ...``) with one fix to its hot path.

Rasa 3.6 checks every action server response with ``jsonschema.validate``, which first validates the
*schema itself* against its metaschema on every call: measured here, about 35 ms of the Rasa
process's CPU per custom action, more than parsing the message. Every knowledge question paid it.
This module validates the schema once and reuses the validator; responses are still checked
against the same schema and a bad one still raises the same ``ValidationError``. Everything else is
Rasa's own ``rasa`` command, unchanged.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core import tracker_store
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def action_response_validator() -> Validator:
    """A validator of Rasa's action-server response format, its schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


_RASA_ENGINE_KWARGS = tracker_store.create_engine_kwargs


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Drop-in for ``RemoteAction._validate_action_result`` with the cached validator."""
    try:
        action_response_validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from "
            f"the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


def engine_kwargs_with_pre_ping(url: Any) -> dict[str, Any]:
    """Rasa's SQL tracker-store engine options plus ``pool_pre_ping``.

    Without it, after PostgreSQL restarts every pooled connection is dead: Rasa's fail-safe store
    then falls back to an empty in-memory tracker and the conversation loses its context. With it
    a dead connection is replaced before use (one ``SELECT 1`` per checkout).
    """
    kwargs = dict(_RASA_ENGINE_KWARGS(url))
    kwargs["pool_pre_ping"] = True
    return kwargs


def install() -> None:
    """Makes Rasa's remote actions use the cached validator, and its SQL tracker store survive a
    database restart."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    tracker_store.create_engine_kwargs = engine_kwargs_with_pre_ping


def main() -> int:
    """``rasa`` with the fix installed; arguments as for the ``rasa`` command."""
    install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
