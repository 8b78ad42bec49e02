#!/usr/bin/env python
"""Add ``pred_language`` to each JSON row: ``predict_langid.py IN.jsonl OUT.jsonl``.

Each row needs a ``text`` field; detection is batched, single message, no prior.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.components.langid import LanguageGuesser


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input", type=Path)
    parser.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    rows = [
        json.loads(line)
        for line in args.input.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    guesses = LanguageGuesser().detect_batch([str(r.get("text", "")) for r in rows])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as out:
        for row, guess in zip(rows, guesses, strict=False):
            out.write(
                json.dumps({**row, "pred_language": guess.language}, ensure_ascii=False) + "\n"
            )
    print(f"wrote {len(rows)} rows to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
