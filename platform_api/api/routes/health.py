"""``GET /api/health``: liveness plus database and knowledge-base readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request

from platform_api.api.deps import RetrieverDep, SettingsDep
from platform_api.core.db import ping
from platform_api.kb import Retriever, is_index_not_built
from platform_api.schemas import HealthResponse, KbStatus

router = APIRouter(prefix="/api/health", tags=["health"])

_PROBE_ID = "health-check-probe"


def kb_status(retriever: Retriever) -> KbStatus:
    """Whether the index answers a lookup; never raises.

    The first call loads the index (the retriever is cached by the knowledge base), so the
    health check doubles as a warm-up.
    """
    try:
        retriever.get(_PROBE_ID)
    except Exception as exc:  # noqa: BLE001 - a broken KB must not break the health check
        if is_index_not_built(exc):
            return KbStatus(loaded=False, detail=str(exc) or "index not built")
        return KbStatus(loaded=False, detail=f"knowledge base error: {type(exc).__name__}")
    return KbStatus(loaded=True)


@router.get("", response_model=HealthResponse)
def health(request: Request, settings: SettingsDep, retriever: RetrieverDep) -> HealthResponse:
    """``status`` is ``ok`` when the database answers, ``degraded`` otherwise.

    The knowledge base is reported but does not change ``status``: escalations work without it.
    """
    database_ok = ping(request.app.state.engine)
    return HealthResponse(
        status="ok" if database_ok else "degraded",
        environment=settings.environment,
        database=database_ok,
        kb=kb_status(retriever),
    )
