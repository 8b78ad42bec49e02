"""Application factory: settings → engine → routers, CORS, rate limits, request logging, errors.

The process's app is built by ``server.py`` (so importing this module needs no configuration).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from common.logsafe import event
from platform_api.api.routes import analytics, escalations, health, kb, ready, unanswered
from platform_api.bookings import routes as booking_routes
from platform_api.core.config import Settings, get_settings
from platform_api.core.db import create_all, make_engine, make_session_factory
from platform_api.core.ratelimit import PublicRateLimit, check_public_rate_limit
from platform_api.devices.routes import routes as device_routes
from platform_api.identity import routes as identity_routes
from platform_api.identity import sandbox_routes as identity_sandbox_routes
from platform_api.partners import routes as partner_routes
from platform_api.payments import routes as payment_routes
from platform_api.staff import setup as staff_setup
from platform_api.warmup import start_kb_warmup
from platform_api.widget import routes as widget_routes

logger = logging.getLogger("platform_api")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Create missing tables at startup (until Alembic), warm the knowledge base in the
    background (``/api/health/ready`` says when), dispose the pool at shutdown."""
    create_all(app.state.engine)
    start_kb_warmup(app)
    yield
    app.state.engine.dispose()


async def log_requests(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """One key=value line per request: method, route template (no ids, no query string, no
    headers), status, time."""
    started = time.perf_counter()
    status_code = 500
    try:
        response = await call_next(request)
        status_code = response.status_code
        return response
    finally:
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info(
            event(
                "http.request",
                method=request.method,
                # the route's template, not the raw path: a path may hold a conversation id
                # (/api/conversations/{sender_id}/outbox/claim) or a reference
                path=getattr(request.scope.get("route"), "path", request.url.path),
                status=status_code,
                ms=f"{elapsed_ms:.1f}",
            )
        )


async def unhandled_error(request: Request, exc: Exception) -> JSONResponse:
    """Last resort: log the traceback, answer JSON without internals."""
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse(status_code=500, content={"detail": "internal server error"})


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the platform API for ``settings`` (default: :func:`get_settings`)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="智游天府 platform API",
        summary="Escalations to human staff and the Sichuan tourism knowledge base.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.session_factory = make_session_factory(app.state.engine)

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.middleware("http")(log_requests)
    app.add_exception_handler(Exception, unhandled_error)

    app.state.public_rate_limit = PublicRateLimit(settings)
    for module in (health, ready, kb):  # public routes: rate-limited per client address
        app.include_router(module.router, dependencies=[Depends(check_public_rate_limit)])
    app.include_router(escalations.router)  # staff and bot tokens only
    app.include_router(unanswered.router)  # staff and bot tokens only
    app.include_router(widget_routes.router)  # public: the chat widget bundle and its demo page
    app.include_router(identity_routes.router)  # phone verification across channels (bot token)
    app.include_router(identity_sandbox_routes.router)  # sandbox SMS texts (staff, not prod)
    staff_setup.install(app)  # complaints, handoff, /api/staff, /console
    app.include_router(booking_routes.router)  # bookings: structured errors, own auth per route
    app.include_router(partner_routes.router)  # partner keys; live data (bot token)
    app.include_router(payment_routes.router)  # signed notify, sandbox pay page
    app.include_router(analytics.router)  # staff token
    app.include_router(device_routes)  # guide devices (staff, bot, device key) and nearby places
    return app
