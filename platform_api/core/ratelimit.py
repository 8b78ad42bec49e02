"""Rate limit of the public routes (slowapi / ``limits``), per client address.

Requests that present the staff or bot token are not limited: the action server asks the
knowledge base for every tourist's turn. Storage is in memory by default; set
``PLATFORM_RATE_LIMIT_STORAGE_URI`` (e.g. ``redis://...``) when several instances share the limit.
"""

from __future__ import annotations

import math
import time

from fastapi import HTTPException, Request, status
from limits import RateLimitItem, parse
from slowapi import Limiter
from slowapi.util import get_remote_address

from platform_api.core.config import Settings
from platform_api.core.security import token_matches


class PublicRateLimit:
    """One limiter per app: :meth:`check` is the FastAPI dependency of the public routers."""

    def __init__(self, settings: Settings) -> None:
        """Parse ``settings.public_rate_limit`` (e.g. ``60/minute``) once, at start."""
        self.settings = settings
        self.item: RateLimitItem = parse(settings.public_rate_limit)
        self.limiter = Limiter(
            key_func=get_remote_address,
            storage_uri=settings.rate_limit_storage_uri,
            enabled=settings.rate_limit_enabled,
        )

    def is_trusted(self, request: Request) -> bool:
        """True for requests carrying the bot or the staff bearer token."""
        scheme, _, presented = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not presented:
            return False
        return token_matches(presented, self.settings.bot_api_token) or token_matches(
            presented, self.settings.staff_api_token
        )

    def check(self, request: Request) -> None:
        """Count the request against its client's budget; 429 with ``Retry-After`` when spent."""
        if not self.limiter.enabled or self.is_trusted(request):
            return
        key = get_remote_address(request)
        if self.limiter.limiter.hit(self.item, "public", key):
            return
        reset_at, _ = self.limiter.limiter.get_window_stats(self.item, "public", key)
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail="too many requests; try again later",
            headers={"Retry-After": str(retry_after)},
        )


async def check_public_rate_limit(request: Request) -> None:
    """Dependency: apply the app's :class:`PublicRateLimit` (``app.state.public_rate_limit``)."""
    rate_limit: PublicRateLimit = request.app.state.public_rate_limit
    rate_limit.check(request)
