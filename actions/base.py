"""What the actions that talk to the platform share: the platform client and today's date."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable

from rasa_sdk import Action

from actions.clients.platform_api import PlatformApiClient, get_platform_api_client


class PlatformAction(Action, ABC):
    """An action that asks the platform API; tests inject the client and the date.

    Abstract, so that rasa_sdk's package scan registers only the concrete actions.
    """

    def __init__(
        self,
        client: PlatformApiClient | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        """``client`` defaults to the process-wide platform client, built on first use."""
        self._client = client
        self._today = today

    @abstractmethod
    def name(self) -> str:
        """Name of the action in the domain."""

    @property
    def client(self) -> PlatformApiClient:
        """The injected client, or the shared one."""
        return self._client or get_platform_api_client()
