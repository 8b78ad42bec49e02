"""Partner keys: ``X-Partner-Key`` must be one of ``PLATFORM_PARTNER_KEYS`` and cover the venue.

A key may be listed for several venues (``a:k1,b:k1``, e.g. a weather feed); it writes only those.
Unknown or missing key → 401 ``invalid_partner_key``; a known key for another venue → 403
``forbidden_venue``.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Path

from platform_api.api.deps import SettingsDep
from platform_api.bookings.errors import ApiError
from platform_api.core.config import Settings
from platform_api.partners.catalog import VENUE_ID_PATTERN


def venues_for_key(settings: Settings, presented: str) -> set[str]:
    """Every venue id whose configured key equals ``presented`` (constant-time comparisons)."""
    given = presented.encode("utf-8")
    return {
        venue_id
        for venue_id, key in settings.partner_keys.items()
        if hmac.compare_digest(given, key.get_secret_value().encode("utf-8"))
    }


def require_partner_for(settings: Settings, presented: str | None, venue_id: str) -> None:
    """Raise ApiError unless ``presented`` is a partner key that covers ``venue_id``."""
    venues = venues_for_key(settings, presented) if presented else set()
    if not venues:
        raise ApiError(401, "invalid_partner_key", "missing or unknown X-Partner-Key")
    if venue_id not in venues:
        raise ApiError(403, "forbidden_venue", "this partner key may not write this venue")


PartnerKeyHeader = Annotated[str | None, Header(alias="X-Partner-Key", max_length=256)]


def require_venue_partner(
    settings: SettingsDep,
    venue_id: Annotated[str, Path(pattern=VENUE_ID_PATTERN)],
    x_partner_key: PartnerKeyHeader = None,
) -> None:
    """Route dependency: the key covers the path's ``venue_id`` (checked before the body)."""
    require_partner_for(settings, x_partner_key, venue_id)


def require_hotel_partner(
    settings: SettingsDep,
    hotel_id: Annotated[str, Path(pattern=VENUE_ID_PATTERN)],
    x_partner_key: PartnerKeyHeader = None,
) -> None:
    """Route dependency: the key covers the path's ``hotel_id``."""
    require_partner_for(settings, x_partner_key, hotel_id)


VenuePartner = Depends(require_venue_partner)
HotelPartner = Depends(require_hotel_partner)
