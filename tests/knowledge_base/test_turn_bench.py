"""``knowledge_base.turn_bench``: figures, targets and the table ``make bench`` prints."""

from __future__ import annotations

import json
import socket

import pytest

from knowledge_base import turn_bench
from knowledge_base.turn_bench import PhaseResult, spare_ports, summary, table, targets_met


def _phase(
    kind: str, clients: int, latencies: list[float], seconds: float, errors: int = 0
) -> PhaseResult:
    return PhaseResult(kind, clients, len(latencies) + errors, errors, seconds, latencies)


def _results(kb_seconds: float = 10.0, kb_errors: int = 0) -> list[PhaseResult]:
    fast = [float(ms) for ms in range(100, 200)]
    return [
        _phase("static", 10, fast, 5.0),
        _phase("kb", 10, fast, kb_seconds, kb_errors),
        _phase("static", 50, fast * 2, 10.0),
        _phase("kb", 50, fast * 2, 12.0),
    ]


def test_summary_has_the_figures_of_the_issue() -> None:
    figures = summary(_results())

    assert figures["static_turn_rps_10"] == 20.0 and figures["kb_turn_rps_10"] == 10.0
    assert figures["kb_vs_static"] == 0.5
    assert figures["kb_turn_p95_ms_10"] == 194.1
    assert figures["kb_turn_p99_ms_50"] == figures["static_turn_p99_ms_50"] == 198.0
    assert figures["errors"] == 0 and figures["turns"] == 600


def test_targets_need_the_ratio_the_p99_and_no_errors() -> None:
    assert not targets_met(summary(_results(kb_seconds=10.0)))  # 0.5x static
    assert targets_met(summary(_results(kb_seconds=5.5)))  # 0.91x
    assert not targets_met(summary(_results(kb_seconds=5.5, kb_errors=1)))


def test_failed_turns_count_as_errors_not_throughput() -> None:
    figures = summary(_results(kb_seconds=5.0, kb_errors=50))

    assert figures["kb_turn_rps_10"] == 20.0 and figures["errors"] == 50


def test_table_shows_targets_next_to_figures() -> None:
    text = table(summary(_results()))

    assert ">= 0.8x static msg/s (now 0.5x)" in text
    assert text.count("p99 < 2000 ms") == 2
    assert "errors: 0 of 600 turns" in text


def test_spare_ports_are_free_and_distinct() -> None:
    ports = spare_ports(3)

    assert len(set(ports)) == 3
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


def test_the_command_line_prints_the_table_then_the_figures_as_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = summary(_results(kb_seconds=5.5))
    figures["turn_targets_met"] = targets_met(figures)
    monkeypatch.setattr(turn_bench, "run", lambda: figures)

    assert turn_bench.main([]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("turn") and json.loads(lines[-1]) == figures

    monkeypatch.setattr(turn_bench, "run", lambda: {"turn_bench": "skipped: no model"})
    assert turn_bench.main([]) == 2
