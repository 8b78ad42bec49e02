"""Structured errors ``{"error": {"code", "message"}}`` for the case, handoff and staff routes.

:class:`EnvelopeRoute` is the ``route_class`` of those routers: it turns the HTTP and validation
errors raised by their dependencies and handlers into the envelope, without touching the rest of
the app. Validation messages name the field and the rule, never the submitted value.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    423: "locked",
    429: "too_many_requests",
    503: "unavailable",
}


class ApiError(HTTPException):
    """An HTTP error with a machine-readable ``code``."""

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=message, headers=headers)
        self.code = code or CODES.get(status_code, "error")


def error_body(code: str, message: str) -> dict[str, Any]:
    """The envelope."""
    return {"error": {"code": code, "message": message}}


def validation_message(errors: Sequence[Any]) -> str:
    """``"phone: not a valid phone number; category: Input should be ..."`` (no input values)."""
    parts = []
    for item in errors:
        location = ".".join(str(p) for p in item.get("loc", ()) if p not in ("body", "query"))
        message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{location}: {message}" if location else message)
    return "; ".join(parts) or "invalid input"


def _from_validation(exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    if any(item.get("type") == "json_invalid" for item in errors):
        return JSONResponse(status_code=400, content=error_body("bad_json", "body is not JSON"))
    return JSONResponse(
        status_code=422, content=error_body("invalid_input", validation_message(errors))
    )


def _from_http(exc: StarletteHTTPException) -> JSONResponse:
    code = exc.code if isinstance(exc, ApiError) else CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else "request refused"
    return JSONResponse(
        status_code=exc.status_code, content=error_body(code, message), headers=exc.headers
    )


class EnvelopeRoute(APIRoute):
    """An ``APIRoute`` whose errors come out as the envelope."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap FastAPI's handler: validation → 422/400 envelope, HTTP errors → envelope."""
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except RequestValidationError as exc:
                return _from_validation(exc)
            except StarletteHTTPException as exc:  # FastAPI's and Starlette's
                return _from_http(exc)

        return handler
