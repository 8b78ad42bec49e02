"""``GET /api/identity/sandbox/sms`` (staff token): the texts the sandbox SMS sender kept for a
number, so end-to-end tests and local demos can read a code without a real SMS provider.

Answers 404 in production and whenever the app sends through a real provider: it only ever shows
what the sandbox kept in memory, and is the sandbox sender's interface over HTTP.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from platform_api.api.deps import CurrentStaff, SettingsDep
from platform_api.complaints.errors import ApiError, EnvelopeRoute
from platform_api.identity.routes import SmsDep
from platform_api.identity.service import normalise_phone
from platform_api.identity.sms import SandboxSmsSender

router = APIRouter(
    prefix="/api/identity/sandbox",
    tags=["identity"],
    dependencies=[CurrentStaff],
    route_class=EnvelopeRoute,
)


class SandboxTexts(BaseModel):
    """The texts kept for one number, oldest first."""

    texts: list[str]


@router.get("/sms", response_model=SandboxTexts)
def sandbox_texts(
    settings: SettingsDep,
    sms: SmsDep,
    phone: Annotated[str, Query(min_length=3, max_length=32)],
) -> SandboxTexts:
    """What the sandbox sender kept for ``phone`` (404 ``no_sandbox`` outside the sandbox)."""
    if settings.environment == "production" or not isinstance(sms, SandboxSmsSender):
        raise ApiError(404, "no sandbox SMS sender in this environment", code="no_sandbox")
    return SandboxTexts(texts=list(sms.sent.get(normalise_phone(phone), [])))
