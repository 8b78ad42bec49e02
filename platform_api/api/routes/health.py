"""``GET /api/health``: liveness plus database and knowledge-base readiness, as booleans only.

Nothing internal is revealed: no environment name, no error text or class, no path.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request

from common.logsafe import event
from platform_api.api.deps import RetrieverDep
from platform_api.core.db import ping
from platform_api.kb import Retriever
from platform_api.schemas import HealthResponse, KbStatus

router = APIRouter(prefix="/api/health", tags=["health"])
logger = logging.getLogger(__name__)

_PROBE_ID = "health-check-probe"


def kb_status(retriever: Retriever) -> KbStatus:
    """Whether the index answers a lookup; never raises (the cause goes to the log only)."""
    try:
        retriever.get(_PROBE_ID)
    except Exception as exc:  # noqa: BLE001 - a broken KB must not break the health check
        logger.warning(event("health.kb_unavailable", error=type(exc).__name__))
        return KbStatus(loaded=False)
    return KbStatus(loaded=True)


@router.get("", response_model=HealthResponse)
def health(request: Request, retriever: RetrieverDep) -> HealthResponse:
    """``status`` is ``ok`` when the database answers, ``degraded`` otherwise.

    The knowledge base is reported but does not change ``status``: escalations work without it.
    """
    database_ok = ping(request.app.state.engine)
    return HealthResponse(
        status="ok" if database_ok else "degraded",
        database=database_ok,
        kb=kb_status(retriever),
    )
