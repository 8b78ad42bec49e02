"""Request and response bodies of the device routes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from common.languages import SUPPORTED_LANGUAGES

LANG_PATTERN = "^(" + "|".join(SUPPORTED_LANGUAGES) + ")$"
VENUE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,99}$"


class DeviceCreate(BaseModel):
    """A device to register: a label for staff, its language and its venue."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)
    language: str = Field(pattern=LANG_PATTERN)
    venue_id: str = Field(pattern=VENUE_PATTERN, description="Knowledge-base entry id")


class DeviceUpdate(BaseModel):
    """Changes to a device; ``active: false`` revokes its key."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=100)
    language: str | None = Field(default=None, pattern=LANG_PATTERN)
    venue_id: str | None = Field(default=None, pattern=VENUE_PATTERN)
    active: bool | None = None


class DevicePublic(BaseModel):
    """A device as staff see it (never its key)."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    language: str
    venue_id: str
    key_prefix: str
    active: bool
    created_at: dt.datetime
    last_seen_at: dt.datetime | None


class DeviceCreated(DevicePublic):
    """The new device with its API key, shown this once."""

    api_key: str


class DeviceVerify(BaseModel):
    """A key a guide device presented to the Rasa channel."""

    model_config = ConfigDict(extra="forbid")
    api_key: str = Field(min_length=1, max_length=200)


class DeviceProfile(BaseModel):
    """What the guide channel applies to a verified device's conversations."""

    device_id: int
    language: str
    venue_id: str


class FaqResponse(BaseModel):
    """A venue's FAQ in the device's language, for offline use."""

    device_id: int
    venue_id: str
    language: str
    name: str
    generated_at: dt.datetime
    items: list[dict[str, Any]]


class NearbyPlace(BaseModel):
    """An attraction and its distance."""

    id: str
    name: str
    distance_km: float


class NearbyResponse(BaseModel):
    """Attractions nearest to a point, closest first."""

    results: list[NearbyPlace]
