"""Runs Rasa's command line (``python -m bot.rasa_server run ...``) with fixes to its hot path.

* Rasa 3.6 checks every action server response with ``jsonschema.validate``, which first validates
  the *schema itself* against its metaschema on every call: measured here, about 35 ms of the Rasa
  process's CPU per custom action, more than parsing the message. This module validates the schema
  once and reuses the validator; responses are still checked against the same schema and a bad one
  still raises the same ``ValidationError``.
* Rasa parses a message (the NLU graph: two sentence encoders, the classifier, the gate's
  nearest-neighbour search) synchronously in its event loop, so every conversation waits for every
  other one's parse. Here the parse runs in a small thread pool (:class:`ServingSettings`): the
  encoders and numpy release the GIL, so one conversation's parse overlaps another one's and the
  event loop's own work (action calls, responses) on the second core.
* The encoders then run with one thread each (``SENTENCE_ENCODER_THREADS=1``, OpenBLAS limited to
  one thread, OpenMP threads that sleep rather than spin): measured here, a 2-thread e5 cost 7x the
  CPU of a 1-thread one per message as soon as other processes share the two cores (its threads
  spin at every layer's barrier waiting for a descheduled peer).

Everything else is Rasa's own ``rasa`` command, unchanged.
"""

from __future__ import annotations

import asyncio
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core import tracker_store
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.trackers import DialogueStateTracker


@dataclass(frozen=True)
class ServingSettings:
    """How the Rasa server parses messages (read once, at start-up).

    ``parse_workers`` (``RASA_PARSE_WORKERS``, default 2, one per core; 0: parse in the event loop as
    Rasa does); ``encoder_threads`` (``SENTENCE_ENCODER_THREADS``, default 1): threads of one
    encoder call.
    """

    parse_workers: int = 2
    encoder_threads: int = 1

    @classmethod
    def from_env(cls) -> ServingSettings:
        """From the environment; a malformed value is a start-up error."""
        workers = os.environ.get("RASA_PARSE_WORKERS", "").strip()
        threads = os.environ.get("SENTENCE_ENCODER_THREADS", "").strip()
        return cls(
            parse_workers=int(workers) if workers else cls.parse_workers,
            encoder_threads=int(threads) if threads else cls.encoder_threads,
        )


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


_PARSE_POOL: ThreadPoolExecutor | None = None
_RASA_PARSE_MESSAGE = MessageProcessor.parse_message


async def parse_message_off_loop(
    self: MessageProcessor,
    message: UserMessage,
    tracker: DialogueStateTracker | None = None,
    only_output_properties: bool = True,
) -> dict[str, Any]:
    """Drop-in for ``MessageProcessor.parse_message`` that runs the NLU graph in the parse pool.

    Same result as Rasa's (same graph, same post-processing); only where it runs differs. An HTTP
    NLU interpreter, or no pool, takes Rasa's own path.
    """
    if self.http_interpreter or _PARSE_POOL is None:
        return await _RASA_PARSE_MESSAGE(self, message, tracker, only_output_properties)
    if tracker is None:
        tracker = DialogueStateTracker.from_events(message.sender_id, [])
    parse_data = await asyncio.get_running_loop().run_in_executor(
        _PARSE_POOL, self._parse_message_with_graph, message, tracker, only_output_properties
    )
    self._update_full_retrieval_intent(parse_data)
    self._check_for_unseen_features(parse_data)
    return parse_data


def limit_native_threads(encoder_threads: int) -> None:
    """One-thread native pools for the encoders: OpenBLAS now, OpenMP (e5) before it loads."""
    os.environ["SENTENCE_ENCODER_THREADS"] = str(encoder_threads)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=encoder_threads, user_api="blas")


def install(settings: ServingSettings | None = None) -> None:
    """Makes Rasa's remote actions use the cached validator, its SQL tracker store survive a
    database restart and, with ``settings``, its parses run in a thread pool with one-thread
    encoders."""
    global _PARSE_POOL
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    tracker_store.create_engine_kwargs = engine_kwargs_with_pre_ping
    if settings is None:
        return
    limit_native_threads(settings.encoder_threads)
    if settings.parse_workers > 0:
        if _PARSE_POOL is None:
            _PARSE_POOL = ThreadPoolExecutor(settings.parse_workers, thread_name_prefix="nlu-parse")
        MessageProcessor.parse_message = parse_message_off_loop  # type: ignore[method-assign]


def main() -> int:
    """``rasa`` with the fixes installed; arguments as for the ``rasa`` command."""
    install(ServingSettings.from_env())
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
