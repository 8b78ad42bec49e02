"""Every booking, payment and partner route refuses callers without the right credential."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from tests.platform_api.bookings.kit import DAY

PREFIXES = (
    "/api/bookings",
    "/api/hotel-bookings",
    "/api/partners",
    "/api/payments",
    "/api/venues",
    "/api/hotels",
)
PUBLIC = {
    ("GET", "/api/venues/{venue_id}/slots"),  # availability: public, rate-limited
    ("GET", "/api/hotels"),  # availability: public, rate-limited
    ("POST", "/api/payments/sandbox/notify"),  # signature instead of a token
    ("GET", "/api/payments/sandbox/pay/{reference}"),  # link token
    ("POST", "/api/payments/sandbox/pay/{reference}"),  # link token
}
SAMPLE = {"reference": "BK-20300501-00000001", "venue_id": "dujiangyan", "hotel_id": "hotel-x",
          "date": str(DAY)}  # fmt: skip


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    found = set()
    for context in iter_route_contexts(app.routes):
        route, path = context.original_route, context.path or ""
        if isinstance(route, APIRoute) and path.startswith(PREFIXES):
            found.update((method, path) for method in route.methods)
    return sorted(found)


@pytest.mark.security
def test_protected_routes_refuse_anonymous_callers(app: FastAPI, api: TestClient) -> None:
    routes = [r for r in _routes(app) if r not in PUBLIC]
    assert len(routes) >= 15
    for method, path in routes:
        url = re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m.group(1)], path)
        response = api.request(method, url, json={}, headers={"Authorization": ""})
        assert response.status_code in (401, 403), (method, path, response.status_code)
        assert set(response.json()) == {"error"}, (method, path)


@pytest.mark.security
def test_public_routes_are_the_listed_ones(app: FastAPI) -> None:
    assert PUBLIC <= set(_routes(app))
