"""Structured errors for the bookings, payments and partner routers.

Every error these routers return is ``{"error": {"code": ..., "message": ...}}``: the service code
raises :class:`ApiError`; :class:`StructuredErrorRoute` (the routers' ``route_class``) turns it,
FastAPI's validation errors and ``HTTPException`` into that shape, and any other exception into a
500 ``internal_error`` without internals (the traceback goes to the redacted log).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

logger = logging.getLogger("platform_api.bookings")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_error",
    429: "rate_limited",
}


class ApiError(Exception):
    """An error the client can act on: HTTP status, a stable machine code and a readable message."""

    def __init__(
        self, status_code: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(code)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.headers = headers


def error_response(
    status_code: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """The JSON error body every route of these routers uses."""
    return JSONResponse(
        status_code=status_code,
        content={"error": {"code": code, "message": message}},
        headers=headers,
    )


def _validation_message(errors: Sequence[Any]) -> str:
    """Which fields are wrong and why, without echoing the input (it may hold ID numbers)."""
    parts = []
    for item in errors[:5]:
        location = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
        parts.append(f"{location or 'body'}: {item.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


class StructuredErrorRoute(APIRoute):
    """An ``APIRoute`` whose every failure is a structured JSON error."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap FastAPI's handler (which also parses the body and solves dependencies)."""
        handler = super().get_route_handler()

        async def structured_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except ApiError as error:
                return error_response(error.status_code, error.code, error.message, error.headers)
            except RequestValidationError as error:
                return error_response(422, "validation_error", _validation_message(error.errors()))
            except HTTPException as error:
                code = _HTTP_CODES.get(error.status_code, "error")
                message = error.detail if isinstance(error.detail, str) else code
                return error_response(error.status_code, code, message, error.headers)
            except Exception:
                logger.exception("unhandled error on %s %s", request.method, request.url.path)
                return error_response(500, "internal_error", "internal server error")

        return structured_handler
