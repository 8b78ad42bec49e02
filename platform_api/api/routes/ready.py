"""``GET /api/health/ready``: 200 only once the knowledge base is warm (load balancer probe)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from platform_api.schemas import ReadyResponse

router = APIRouter(prefix="/api/health", tags=["health"])


@router.get(
    "/ready",
    response_model=ReadyResponse,
    responses={503: {"model": ReadyResponse, "description": "Still warming up, or warm-up failed"}},
)
async def ready(request: Request, response: Response) -> ReadyResponse:
    """``ready`` after the start-up warm-up answered a query; 503 with the warm-up state before.

    A failed warm-up (e.g. the index was not built yet) is retried in the background.
    """
    warmup = getattr(request.app.state, "kb_warmup", None)
    if warmup is None:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return ReadyResponse(status="starting")
    if warmup.state == "failed":
        warmup.start()
    if not warmup.ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return ReadyResponse(status=warmup.state)
    return ReadyResponse(status="ready")
