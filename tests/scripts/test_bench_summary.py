"""``make bench``'s last line merges every benchmark's report."""

from __future__ import annotations

import json

from scripts.bench_summary import REQUIRED, merged


def test_reports_are_merged_and_errors_summed(tmp_path) -> None:
    a = tmp_path / "a.json"
    b = tmp_path / "b.json"
    a.write_text(json.dumps({"kb_vs_static": 0.9, "errors": 2, "levels": [1, 2]}))
    b.write_text(json.dumps({"prod_two_rasa_vs_one": 1.6, "prod_errors": 1}))
    figures = merged((a, b, tmp_path / "missing.json"))
    assert figures["kb_vs_static"] == 0.9 and figures["prod_two_rasa_vs_one"] == 1.6
    assert figures["errors"] == 3
    assert "levels" not in figures
    assert set(REQUIRED) <= set(figures)
    assert figures["booking_api_rps_20"] is None  # missing figures are null, never invented
