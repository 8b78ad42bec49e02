"""Booking API speed (``make bench``): throughput and p50/p95 latency at 1 and 20 clients.

Starts the platform API as a subprocess (``uvicorn server:app``, as ``make run`` does) on a free
loopback port with a throwaway SQLite database and throwaway secrets, pushes one day of slots
through the partner API, then runs closed-loop clients with no pause. Each iteration is one hold
(``POST /api/bookings`` with an Idempotency-Key) and one read (``GET /api/bookings/{reference}``);
every HTTP call counts as a request. Prints a table and, last, one JSON line with
``booking_api_rps_1``, ``booking_api_rps_20``, ``booking_api_p50_ms_20``, ``booking_api_p95_ms_20``
and ``errors``; the same figures go to ``build/timings/bench_booking.json``.

``python -m scripts.bench_booking [--seconds 10] [--clients 1,20]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "build" / "timings" / "bench_booking.json"
VENUE = "dujiangyan"
VISITOR = {"name": "压测游客", "id_type": "passport", "id_number": "BENCH0001"}
"""Invented load-test data; the slots pushed are marked ``sandbox demo`` and live in a temp DB."""


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_platform(port: int, workdir: Path, tokens: dict[str, str]) -> subprocess.Popen[bytes]:
    """``uvicorn server:app`` on ``port`` with a temp database, its log in ``workdir``."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PLATFORM_DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "PLATFORM_STAFF_API_TOKEN": tokens["staff"],
        "PLATFORM_BOT_API_TOKEN": tokens["bot"],
        "PLATFORM_PARTNER_KEYS": f"{VENUE}:{tokens['partner']}",
        "PLATFORM_PAYMENT_SANDBOX_SECRET": tokens["sandbox"],
        "PLATFORM_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "PLATFORM_KB_INDEX_DIR": str(workdir / "no-index"),  # no encoder load: bookings only
        "PLATFORM_BOOKING_SWEEP_SECONDS": "0",
        "LOG_ID_SALT": tokens["salt"],
    }
    log = (workdir / "platform.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1",
         "--port", str(port), "--no-access-log", "--log-level", "warning"],
        cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_up(base: str, process: subprocess.Popen[bytes], timeout_s: float = 60.0) -> None:
    """Wait until ``GET /api/health`` answers."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the platform API exited during start-up (see its log)")
        try:
            if httpx.get(f"{base}/api/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the platform API did not start in time")


def push_slots(base: str, partner_key: str) -> int:
    """Tomorrow's (China time) big sandbox-demo slot; returns its id."""
    day = (dt.datetime.now(ZoneInfo("Asia/Shanghai")) + dt.timedelta(days=1)).date()
    body = {
        "source": "sandbox demo",
        "slots": [
            {"start": "09:00", "end": "17:00", "capacity": 1_000_000,
             "prices": [{"category": "adult", "amount_fen": 100}]}
        ],
    }  # fmt: skip
    response = httpx.put(
        f"{base}/api/partners/venues/{VENUE}/slots/{day}",
        json=body,
        headers={"X-Partner-Key": partner_key},
        timeout=10.0,
    )
    response.raise_for_status()
    return int(response.json()["slots"][0]["slot_id"])


def run_level(base: str, token: str, slot_id: int, clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` closed-loop clients for ``seconds``: hold + read per iteration."""
    latencies: list[tuple[str, float]] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    body = {
        "venue_id": VENUE, "slot_id": slot_id,
        "tickets": [{"category": "adult", "visitor": VISITOR}],
        "phone": "13800138000", "language": "en", "channel": "bench", "user_id": "bench",
    }  # fmt: skip

    def client() -> None:
        nonlocal errors
        mine: list[tuple[str, float]] = []
        failed = 0
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=30.0) as http:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                try:
                    hold = http.post(
                        "/api/bookings",
                        json=body,
                        headers={"Idempotency-Key": secrets.token_hex(8)},
                    )
                except httpx.HTTPError:
                    failed += 1
                    continue
                mine.append(("hold", time.perf_counter() - started))
                if hold.status_code != 201:
                    failed += 1
                    continue
                started = time.perf_counter()
                try:
                    read = http.get(f"/api/bookings/{hold.json()['reference']}")
                except httpx.HTTPError:
                    failed += 1
                    continue
                mine.append(("read", time.perf_counter() - started))
                failed += read.status_code != 200
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began

    def pct(values: list[float], q: int) -> float:
        if not values:
            return float("nan")
        if len(values) == 1:
            return values[0] * 1000
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000

    every = [value for _, value in latencies]
    holds = [value for kind, value in latencies if kind == "hold"]
    reads = [value for kind, value in latencies if kind == "read"]
    return {
        "clients": clients,
        "requests": len(every),
        "seconds": round(elapsed, 2),
        "rps": round(len(every) / elapsed, 1),
        "p50_ms": round(pct(every, 50), 1),
        "p95_ms": round(pct(every, 95), 1),
        "hold_p50_ms": round(pct(holds, 50), 1),
        "hold_p95_ms": round(pct(holds, 95), 1),
        "read_p50_ms": round(pct(reads, 50), 1),
        "read_p95_ms": round(pct(reads, 95), 1),
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table and the final JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per concurrency level")
    parser.add_argument("--clients", default="1,20", help="comma-separated client counts")
    args = parser.parse_args(argv)
    levels = [int(item) for item in args.clients.split(",") if item.strip()]
    tokens = {
        name: secrets.token_urlsafe(24) for name in ("staff", "bot", "partner", "sandbox", "salt")
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="bench-booking-") as tmp:
        workdir = Path(tmp)
        print(f"==> [bench-booking] platform API on {base} (temp SQLite)", flush=True)
        process = start_platform(port, workdir, tokens)
        try:
            wait_up(base, process)
            slot_id = push_slots(base, tokens["partner"])
            rows = []
            for clients in levels:
                print(f"==> [bench-booking] {clients} client(s), {args.seconds:.0f} s", flush=True)
                rows.append(run_level(base, tokens["bot"], slot_id, clients, args.seconds))
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    print(
        f"{'clients':>8}{'requests':>10}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'hold p50':>10}{'hold p95':>10}{'read p50':>10}{'read p95':>10}{'errors':>8}"
    )
    for row in rows:
        print(
            f"{row['clients']:>8}{row['requests']:>10}{row['rps']:>8}{row['p50_ms']:>8}"
            f"{row['p95_ms']:>8}{row['hold_p50_ms']:>10}{row['hold_p95_ms']:>10}"
            f"{row['read_p50_ms']:>10}{row['read_p95_ms']:>10}{row['errors']:>8}"
        )
    by_clients = {row["clients"]: row for row in rows}
    figures: dict[str, Any] = {"errors": sum(row["errors"] for row in rows)}
    for clients, row in by_clients.items():
        figures[f"booking_api_rps_{clients}"] = row["rps"]
        figures[f"booking_api_p50_ms_{clients}"] = row["p50_ms"]
        figures[f"booking_api_p95_ms_{clients}"] = row["p95_ms"]
    figures["booking_api_load_average_1m"] = round(os.getloadavg()[0], 2)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps({**figures, "levels": rows}, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
