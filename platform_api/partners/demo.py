"""Sandbox demo data for a local demo: ``python -m platform_api.partners.demo``.

Pushes INVENTED slots (and a crowd count and weather) through the partner API for every venue
in ``PLATFORM_PARTNER_KEYS`` that is a knowledge-base attraction, and an invented hotel for every
other id there, for the next ``--days`` days, so a local demo can book and pay in the sandbox.
Everything is pushed with ``source: "sandbox demo"``: the API marks it ``demo: true`` and it must
never be presented as a real price, capacity, count or forecast. Prices are deliberately token
amounts (¥1.00 adult) so nobody mistakes them for the venue's.

Opt-in and local only: refuses when ``PLATFORM_ENVIRONMENT=production`` or when the target is not
a loopback address. Run it with the same environment as the platform (``source var/secrets.env``
and the same ``PLATFORM_PARTNER_KEYS``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import sys
from typing import Any
from urllib.parse import urlparse

import httpx

from platform_api.bookings.localtime import LOCAL_TZ
from platform_api.core.config import Settings, get_settings
from platform_api.partners.catalog import entry_info
from platform_api.partners.models import SOURCE_DEMO

DEMO_SLOTS = (("09:00", "11:00"), ("11:00", "13:00"), ("13:00", "15:00"), ("15:00", "17:00"))
DEMO_PRICES_FEN = {"adult": 100, "concession": 50, "child": 50, "senior": 50}
"""Token amounts (¥1.00 / ¥0.50), obviously not real prices."""


def _is_loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def demo_payloads(
    settings: Settings, today: dt.date, days: int
) -> list[tuple[str, dict[str, Any]]]:
    """The (path, body) pairs to PUT, in order (attractions first, then hotels)."""
    attractions = [v for v in settings.partner_keys if entry_info(v) is not None]
    hotels = [v for v in settings.partner_keys if entry_info(v) is None]
    calls: list[tuple[str, dict[str, Any]]] = []
    prices = [{"category": c, "amount_fen": a} for c, a in DEMO_PRICES_FEN.items()]
    for venue in attractions:
        for offset in range(days):
            day = today + dt.timedelta(days=offset)
            slots = [
                {"start": start, "end": end, "capacity": 20, "prices": prices}
                for start, end in DEMO_SLOTS
            ]
            calls.append(
                (
                    f"/api/partners/venues/{venue}/slots/{day}",
                    {"slots": slots, "source": SOURCE_DEMO},
                )
            )
        calls.append(
            (f"/api/partners/venues/{venue}/visitors", {"count": 123, "source": SOURCE_DEMO})
        )
        calls.append(
            (
                f"/api/partners/venues/{venue}/weather",
                {"condition": "sandbox demo", "temperature_c": 20.0, "source": SOURCE_DEMO},
            )
        )
    first = entry_info(attractions[0]) if attractions else None
    city = first.city if first and first.city else "Chengdu"
    for hotel in hotels:
        calls.append(
            (
                f"/api/partners/hotels/{hotel}",
                {
                    "name": "沙箱演示酒店 Sandbox Demo Hotel",
                    "city": city,
                    "near": attractions,
                    "room_types": [{"code": "twin", "name": "Demo twin room", "max_guests": 2}],
                    "source": SOURCE_DEMO,
                },
            )
        )
        nights = [
            {
                "date": str(today + dt.timedelta(days=offset)),
                "room_type": "twin",
                "rooms": 5,
                "price_fen": 100,
            }
            for offset in range(days + 1)
        ]
        calls.append(
            (f"/api/partners/hotels/{hotel}/inventory", {"nights": nights, "source": SOURCE_DEMO})
        )
    return calls


def main(argv: list[str] | None = None) -> int:
    """Push the demo data; 0 on success, 2 when refused or nothing is configured."""
    parser = argparse.ArgumentParser(description="Push SANDBOX DEMO slots for a local demo.")
    parser.add_argument("--base-url", default=None, help="default: PLATFORM_PUBLIC_BASE_URL")
    parser.add_argument("--days", type=int, default=3, help="days from today (China time)")
    args = parser.parse_args(argv)
    settings = get_settings()
    base = (args.base_url or settings.public_base_url).rstrip("/")
    if settings.environment == "production" or not _is_loopback(base):
        print("refused: demo data is for a local platform (loopback, non-production) only")
        return 2
    if not settings.partner_keys:
        print(
            "no PLATFORM_PARTNER_KEYS: set e.g. "
            "PLATFORM_PARTNER_KEYS=dujiangyan:<key>,hotel-demo:<key> for the platform and here"
        )
        return 2
    today = dt.datetime.now(LOCAL_TZ).date()
    failures = 0
    with httpx.Client(base_url=base, timeout=10.0) as client:
        for path, body in demo_payloads(settings, today, max(1, min(args.days, 30))):
            venue = path.split("/")[4]
            key = settings.partner_keys[venue].get_secret_value()
            response = client.put(path, json=body, headers={"X-Partner-Key": key})
            ok = response.status_code == 200
            failures += not ok
            print(f"{'ok ' if ok else 'ERR'} PUT {path} -> {response.status_code}")
    print("pushed SANDBOX DEMO data (source 'sandbox demo'; not real prices or counts)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
