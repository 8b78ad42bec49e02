"""The action server: rasa_sdk's Sanic app, bound to loopback, answering only the Rasa server.

``python -m actions.server`` (what ``make run`` starts). Configuration, read once at start:

* ``ACTION_SERVER_TOKEN`` (required, ≥ 16 characters): the Rasa server sends it as the ``token``
  query parameter (``endpoints.yml``); ``Authorization: Bearer <token>`` works too;
* ``ACTION_SERVER_HOST`` (default ``127.0.0.1``), ``ACTION_SERVER_PORT`` (default ``5055``).

``GET /health`` stays open and says only ``{"status": "ok"}``; every other route needs the token.
"""

from __future__ import annotations

import hmac
import logging
import os
from dataclasses import dataclass, field

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from common.logsafe import RedactingFilter, event
from common.secret_rules import require_secret

logger = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/health"})


@dataclass(frozen=True)
class ActionServerSettings:
    """Where the action server listens and the token its caller must present."""

    token: str = field(repr=False)
    host: str = "127.0.0.1"
    port: int = 5055
    actions_package: str = "actions"

    @classmethod
    def from_env(cls) -> ActionServerSettings:
        """Read once from the environment; ValueError names a missing or weak token."""
        return cls(
            token=require_secret("ACTION_SERVER_TOKEN", os.environ.get("ACTION_SERVER_TOKEN")),
            host=os.environ.get("ACTION_SERVER_HOST", "").strip() or "127.0.0.1",
            port=int(os.environ.get("ACTION_SERVER_PORT", "").strip() or 5055),
        )


def presented_token(request: Request) -> str:
    """The token of a request: ``?token=`` (Rasa's ``endpoints.yml``) or a bearer header."""
    scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and bearer:
        return bearer
    return str(request.args.get("token") or "")


def is_authorised(request: Request, token: str) -> bool:
    """True for open paths and for requests presenting ``token`` (constant-time compare)."""
    if request.path in OPEN_PATHS:
        return True
    return hmac.compare_digest(presented_token(request).encode(), token.encode())


def build_app(executor: ActionExecutor, settings: ActionServerSettings) -> Sanic:
    """rasa_sdk's app (no CORS: browsers never call it) plus the token check on every request.

    rasa_sdk's error handler answers the (authorised) caller with the error; its log line goes
    through :class:`RedactingFilter`, which keeps the traceback's frames but not its messages.
    """
    app = create_app(executor, cors_origins=None)

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if is_authorised(request, settings.token):
            return None
        logger.warning(event("actions.request.refused", path=request.path))
        return response.json({"error": "missing or invalid token"}, status=401)

    @app.on_request
    async def accept_calls_without_domain(request: Request) -> None:
        mark_domain_not_sent(request)

    return app


def mark_domain_not_sent(request: Request) -> None:
    """Lets an action run when Rasa sent no domain.

    ``endpoints.yml`` enables Rasa's selective domain: the 130 KB domain goes only to actions that
    declare ``send_domain: true``, the others render through Rasa's responses and never read it.
    Rasa 3.6 then omits the ``domain`` key, which rasa_sdk 3.21 answers with 449 ("missing domain
    context", a retry protocol of newer Rasa versions). An empty domain in the parsed body tells the
    SDK the call is complete as it is.
    """
    if request.method != "POST" or request.path != "/webhook":
        return
    try:
        body = request.json
    except Exception:  # noqa: BLE001 - a malformed body is rasa_sdk's to refuse
        return
    if isinstance(body, dict) and "domain" not in body:
        body["domain"] = {}


def configure_logging() -> None:
    """key=value lines on stderr, redacted (no tourist text, no query string)."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s level=%(levelname)s logger=%(name)s %(message)s")
    )
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def main() -> None:
    """Serve the actions until interrupted."""
    configure_logging()
    try:
        settings = ActionServerSettings.from_env()
    except ValueError as error:
        raise SystemExit(f"action server: {error}") from None
    executor = ActionExecutor()
    executor.register_package(settings.actions_package)
    app = build_app(executor, settings)
    logger.info(event("actions.server.start", host=settings.host, port=settings.port))
    app.run(
        host=settings.host,
        port=settings.port,
        single_process=True,
        access_log=False,
        motd=False,
    )


if __name__ == "__main__":
    main()
