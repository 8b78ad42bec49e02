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
* Rasa opens a new HTTP session, hence a new TCP connection, for every action-server call
  (``EndpointConfig.request``); here the calls share one keep-alive session per event loop and
  endpoint settings (:func:`request_keep_alive`), so a knowledge turn no longer pays a connection
  set-up on both sides.
* The encoders then run with one thread each (``SENTENCE_ENCODER_THREADS=1``, OpenBLAS limited to
  one thread, OpenMP threads that sleep rather than spin): measured here, a 2-thread e5 cost 7x the
  CPU of a 1-thread one per message as soon as other processes share the two cores (its threads
  spin at every layer's barrier waiting for a descheduled peer).

Everything else is Rasa's own ``rasa`` command, unchanged.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import aiohttp
from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core import tracker_store
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import FileNotFoundException
from rasa.utils import endpoints


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


_SESSIONS: dict[tuple[Any, ...], aiohttp.ClientSession] = {}
IDLE_CONNECTION_S = 15.0
"""Idle keep-alive connections are dropped after this (well below the action server's 120 s)."""


def _shared_session(config: endpoints.EndpointConfig) -> aiohttp.ClientSession:
    """The keep-alive session of this event loop for ``config``'s headers and credentials (the
    options of Rasa's ``EndpointConfig.session``, plus the idle-connection limit)."""
    basic = config.basic_auth or {}
    key = (
        id(asyncio.get_running_loop()),
        tuple(sorted((config.headers or {}).items())),
        tuple(sorted(basic.items())),
    )
    session = _SESSIONS.get(key)
    if session is None or session.closed:
        session = aiohttp.ClientSession(
            headers=config.headers,
            auth=aiohttp.BasicAuth(basic["username"], basic["password"]) if basic else None,
            timeout=aiohttp.ClientTimeout(total=endpoints.DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_CONNECTION_S),
        )
        _SESSIONS[key] = session
    return session


async def close_keep_alive_sessions() -> None:
    """Close the running event loop's shared sessions (at shutdown, or at the end of a test)."""
    loop = id(asyncio.get_running_loop())
    for key in [key for key in _SESSIONS if key[0] == loop]:
        await _SESSIONS.pop(key).close()


async def request_keep_alive(
    self: endpoints.EndpointConfig,
    method: str = "post",
    subpath: str | None = None,
    content_type: str | None = "application/json",
    compress: bool = False,
    **kwargs: Any,
) -> Any:
    """Drop-in for ``EndpointConfig.request`` (same arguments, result and errors) over a shared
    keep-alive session instead of a new session per call."""
    headers = {"Content-Type": content_type} if content_type else {}
    headers.update(kwargs.pop("headers", None) or {})
    headers.update(self.headers or {})
    ssl_context = None
    if self.cafile:
        try:
            ssl_context = ssl.create_default_context(cafile=self.cafile)
        except FileNotFoundError as error:
            raise FileNotFoundException(
                f"Failed to find certificate file, '{os.path.abspath(self.cafile)}' does not exist."
            ) from error
    async with _shared_session(self).request(
        method,
        endpoints.concat_url(self.url, subpath),
        headers=headers,
        params=self.combine_parameters(kwargs),
        compress=compress,
        ssl=ssl_context,
        **kwargs,
    ) as response:
        if response.status >= 400:
            raise endpoints.ClientResponseError(
                response.status, response.reason, await response.content.read()
            )
        try:
            return await response.json()
        except aiohttp.ContentTypeError:
            return None


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
    endpoints.EndpointConfig.request = request_keep_alive  # type: ignore[method-assign]
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
