"""Conversation figures for the staff dashboard (from the analytics consumer's events)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from platform_api.analytics.events import summary
from platform_api.api.deps import CurrentStaff, SessionDep

router = APIRouter(prefix="/api/analytics", tags=["analytics"], dependencies=[CurrentStaff])


@router.get("/summary")
def conversation_summary(
    session: SessionDep, days: Annotated[int, Query(ge=1, le=366)] = 7
) -> dict[str, Any]:
    """Conversations per channel and language and the fallback rate over the last ``days``."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    return summary(session, since)
