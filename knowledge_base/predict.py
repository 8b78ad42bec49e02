"""Batch retrieval: ``python -m knowledge_base.predict IN OUT``.

IN holds JSON rows (JSON Lines, or one JSON array) with ``text`` and optional ``lang``; OUT gets
each row back as JSON Lines with ``results``: up to 5 ``{"id", "name": {"zh", "en"}, "score"}``,
best first, empty when nothing is good enough.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from knowledge_base.retriever import Hit, get_retriever

BATCH = 64
TOP_K = 5


def read_rows(path: Path) -> list[dict[str, Any]]:
    """JSON Lines or a JSON array of objects."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return list(json.loads(text))
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def hit_json(hit: Hit) -> dict[str, Any]:
    """The output shape of one hit."""
    names = hit.entry.names
    return {
        "id": hit.entry_id,
        "name": {"zh": names.zh, "en": names.en},
        "score": round(hit.score, 6),
    }


def predict(rows: list[dict[str, Any]], k: int = TOP_K) -> Iterator[dict[str, Any]]:
    """Rows with ``results`` added, computed in batches."""
    retriever = get_retriever()
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        results = retriever.search_many([str(row.get("text", "")) for row in batch], k=k)
        for row, hits in zip(batch, results, strict=True):
            yield {**row, "results": [hit_json(h) for h in hits]}


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input", type=Path)
    parser.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    rows = read_rows(args.input)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as fh:
        for row in predict(rows):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
