"""Device routes: registration (staff), key check (bot token, used by the Rasa guide channel),
the offline FAQ (the device's own key) and nearby attractions (public, rate-limited).

Every route is a sync ``def``: FastAPI runs it in its threadpool.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, status

from platform_api.api.deps import CurrentBot, CurrentStaff, RetrieverDep, SessionDep
from platform_api.core.ratelimit import check_public_rate_limit
from platform_api.devices import crud
from platform_api.devices.faq import build_faq
from platform_api.devices.models import GuideDevice
from platform_api.devices.schemas import (
    LANG_PATTERN,
    DeviceCreate,
    DeviceCreated,
    DeviceProfile,
    DevicePublic,
    DeviceUpdate,
    DeviceVerify,
    FaqResponse,
    NearbyPlace,
    NearbyResponse,
)
from platform_api.kb import Retriever, is_index_not_built
from platform_api.models import utcnow

router = APIRouter(prefix="/api/devices", tags=["guide-devices"])
places = APIRouter(
    prefix="/api/places",
    tags=["knowledge-base"],
    dependencies=[Depends(check_public_rate_limit)],
)
EARTH_RADIUS_KM = 6371.0


def _kb_unavailable(exc: Exception) -> HTTPException:
    return HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "knowledge base index is not built")


def _require_venue(retriever: Retriever, venue_id: str) -> None:
    try:
        entry = retriever.get(venue_id)
    except Exception as exc:
        if is_index_not_built(exc):
            raise _kb_unavailable(exc) from exc
        raise
    if entry is None:
        raise HTTPException(422, f"no knowledge-base entry with id {venue_id!r}")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=DeviceCreated,
    dependencies=[CurrentStaff],
)
def register_device(
    session: SessionDep, retriever: RetrieverDep, device_in: DeviceCreate
) -> DeviceCreated:
    """Register a device (staff). The response carries its API key, which is never shown again."""
    _require_venue(retriever, device_in.venue_id)
    row, key = crud.create_device(session, device_in)
    return DeviceCreated(**DevicePublic.model_validate(row).model_dump(), api_key=key)


@router.get("", response_model=list[DevicePublic], dependencies=[CurrentStaff])
def list_devices(session: SessionDep) -> list[DevicePublic]:
    """Every registered device (staff), without keys."""
    return [DevicePublic.model_validate(row) for row in crud.list_devices(session)]


@router.patch("/{device_id}", response_model=DevicePublic, dependencies=[CurrentStaff])
def update_device(
    session: SessionDep, retriever: RetrieverDep, device_id: int, changes: DeviceUpdate
) -> DevicePublic:
    """Change a device's name, language or venue, or revoke it with ``active: false`` (staff)."""
    device = session.get(GuideDevice, device_id)
    if device is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no device {device_id}")
    if changes.venue_id:
        _require_venue(retriever, changes.venue_id)
    return DevicePublic.model_validate(crud.update_device(session, device, changes))


@router.post("/verify", response_model=DeviceProfile, dependencies=[CurrentBot])
def verify_device(session: SessionDep, body: DeviceVerify) -> DeviceProfile:
    """The language and venue of the device with this key (bot token; 404 for unknown or revoked)."""
    device = crud.device_by_key(session, body.api_key)
    if device is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown or revoked device key")
    return DeviceProfile(device_id=device.id, language=device.language, venue_id=device.venue_id)


@router.get("/faq", response_model=FaqResponse)
def device_faq(
    session: SessionDep,
    retriever: RetrieverDep,
    x_device_key: Annotated[str | None, Header(max_length=200)] = None,
) -> FaqResponse:
    """The FAQ of the device's venue in the device's language (``X-Device-Key``), for offline use."""
    device = crud.device_by_key(session, x_device_key) if x_device_key else None
    if device is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing, unknown or revoked device key")
    try:
        entry = retriever.get(device.venue_id)
    except Exception as exc:
        if is_index_not_built(exc):
            raise _kb_unavailable(exc) from exc
        raise
    if entry is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"the device's venue {device.venue_id!r} is not in the KB"
        )
    return FaqResponse(
        device_id=device.id,
        venue_id=device.venue_id,
        language=device.language,
        name=entry.names.get(device.language),
        generated_at=utcnow(),
        items=build_faq(entry, device.language),
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@places.get("/nearby", response_model=NearbyResponse)
def nearby(
    retriever: RetrieverDep,
    lat: Annotated[float, Query(ge=-90, le=90)],
    lon: Annotated[float, Query(ge=-180, le=180)],
    lang: Annotated[str, Query(pattern=LANG_PATTERN)] = "zh",
    k: Annotated[int, Query(ge=1, le=10)] = 5,
    radius_km: Annotated[float, Query(gt=0, le=500)] = 50.0,
) -> NearbyResponse:
    """Attractions with sourced coordinates within ``radius_km`` of (lat, lon), closest first."""
    try:
        entries = retriever.entries
    except Exception as exc:
        if is_index_not_built(exc):
            raise _kb_unavailable(exc) from exc
        raise
    found: list[NearbyPlace] = []
    for entry in entries.values():
        point = entry.coordinates.value
        if point is None or entry.type in {"topic", "event"}:
            continue
        km = distance_km(lat, lon, point.lat, point.lon)
        if km <= radius_km:
            found.append(NearbyPlace(id=entry.id, name=entry.names.get(lang), distance_km=km))
    found.sort(key=lambda place: (place.distance_km, place.id))
    return NearbyResponse(
        results=[p.model_copy(update={"distance_km": round(p.distance_km, 1)}) for p in found[:k]]
    )


routes = APIRouter()
"""Both routers, for ``platform_api.main`` to include in one line."""
routes.include_router(router)
routes.include_router(places)
