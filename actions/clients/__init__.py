"""HTTP clients the action server uses to talk to other services (never their ORM models)."""

from __future__ import annotations

from actions.clients.platform_api import PlatformApiClient, PlatformApiError

__all__ = ["PlatformApiClient", "PlatformApiError"]
