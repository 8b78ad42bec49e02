"""What the actions that talk to the platform share: the platform client and today's date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rasa_sdk import Action

from actions.clients.platform_api import PlatformApiClient, get_platform_api_client


class PlatformAction(Action):
    """An action that asks the platform API; tests inject the client and the date."""

    def __init__(
        self,
        client: PlatformApiClient | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        """``client`` defaults to the process-wide platform client, built on first use."""
        self._client = client
        self._today = today

    @property
    def client(self) -> PlatformApiClient:
        """The injected client, or the shared one."""
        return self._client or get_platform_api_client()
