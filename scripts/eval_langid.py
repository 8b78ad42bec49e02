#!/usr/bin/env python
"""Evaluate language identification: ours vs. "langdetect alone" and "lingua-8".

Reports accuracy per kind (single-words / word-pairs / sentences) and per
language on the lingua benchmark, plus accuracy on our own short-chat set.
Writes ``reports/langid.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.components.langid import LanguageGuesser
from common.languages import SUPPORTED_LANGUAGES, UNDETERMINED

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "benchmarks" / "langid_lingua.jsonl"
CHAT = ROOT / "tests/data/langid_chat.jsonl"
WORDS = ROOT / "tests/data/langid_words.jsonl"  # own hand-written words / pairs
KINDS = ("single-words", "word-pairs", "sentences")
Predictor = Callable[[Sequence[str]], list[str]]


def ours() -> Predictor:
    ident = LanguageGuesser()
    return lambda texts: [g.language for g in ident.detect_batch(texts)]


def langdetect_alone() -> Predictor:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    def one(text: str) -> str:
        DetectorFactory.seed = 0
        try:
            code = detect(text).split("-")[0]
        except LangDetectException:
            return UNDETERMINED
        return code if code in SUPPORTED_LANGUAGES else UNDETERMINED

    return lambda texts: [one(t) for t in texts]


def lingua8() -> Predictor:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    det = (
        LanguageDetectorBuilder.from_languages(
            *[
                Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper()))
                for c in SUPPORTED_LANGUAGES
            ]
        )
        .with_preloaded_language_models()
        .build()
    )

    def run(texts: Sequence[str]) -> list[str]:
        out = det.detect_languages_in_parallel_of(list(texts))
        return [lg.iso_code_639_1.name.lower() if lg else UNDETERMINED for lg in out]

    return run


def max_rss_mb() -> float:
    """Peak resident memory of this process so far (MB, Linux)."""
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def load(path: Path) -> list[dict]:
    return [json.loads(lg) for lg in path.read_text(encoding="utf-8").splitlines() if lg.strip()]


def score(rows: list[dict], preds: list[str], group: str | None) -> dict:
    """Accuracy overall and by language (and by ``group`` field if given)."""
    tot: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row, pred in zip(rows, preds, strict=False):
        keys = ["all", f"lang:{row['lang']}"]
        if group:
            keys += [f"{group}:{row[group]}", f"{group}:{row[group]}|{row['lang']}"]
        for k in keys:
            tot[k][0] += int(pred == row["lang"])
            tot[k][1] += 1
    return {k: {"acc": round(c / n, 4), "n": n} for k, (c, n) in sorted(tot.items())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", type=Path, default=BENCH)
    parser.add_argument("--chat", type=Path, default=CHAT)
    parser.add_argument("--words", type=Path, default=WORDS)
    parser.add_argument("--out", type=Path, default=ROOT / "reports/langid.json")
    args = parser.parse_args(argv)

    bench, chat, words = load(args.bench), load(args.chat), load(args.words)
    systems = {"ours": ours(), "langdetect": langdetect_alone(), "lingua8": lingua8()}
    report: dict = {"bench": str(args.bench), "chat": str(args.chat), "systems": {}}
    for name, predict in systems.items():
        t0 = time.perf_counter()
        bench_pred = predict([r["text"] for r in bench])
        secs = time.perf_counter() - t0
        chat_pred = predict([r["text"] for r in chat])
        words_pred = predict([r["text"] for r in words])
        report["systems"][name] = {
            "bench": score(bench, bench_pred, "kind"),
            "chat": score(chat, chat_pred, None),
            "words": score(words, words_pred, "kind"),
            "bench_seconds": round(secs, 2),
            "max_rss_mb": max_rss_mb(),
        }
        if name == "ours":
            report["ours_chat_errors"] = [
                {"text": r["text"], "lang": r["lang"], "pred": p}
                for r, p in zip(chat, chat_pred, strict=False)
                if p != r["lang"]
            ]

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print_table(report)
    print(f"\nwrote {args.out}")
    return 0


def print_table(report: dict) -> None:
    systems = report["systems"]
    names = list(systems)
    rows = [(f"kind:{k}", "bench") for k in KINDS] + [("all", "bench"), ("all", "chat")]
    rows += [("kind:word", "words"), ("kind:pair", "words"), ("kind:word-noaccent", "words")]
    rows += [(f"lang:{lg}", "bench") for lg in SUPPORTED_LANGUAGES]
    rows += [(f"kind:{k}|{lg}", "bench") for k in KINDS for lg in SUPPORTED_LANGUAGES]
    print(f"{'metric':<28}" + "".join(f"{n:>12}" for n in names))
    for key, part in rows:
        label = ("" if part == "bench" else part + " ") + key
        cells = [systems[n][part].get(key, {}).get("acc") for n in names]
        print(
            f"{label:<28}"
            + "".join(f"{c:>12.4f}" if c is not None else f"{'-':>12}" for c in cells)
        )
    print(f"{'bench seconds':<28}" + "".join(f"{systems[n]['bench_seconds']:>12}" for n in names))
    # peak RSS is cumulative: "ours" runs first, so its figure is ours alone
    print(
        f"{'peak RSS MB (cumulative)':<28}"
        + "".join(f"{systems[n]['max_rss_mb']:>12}" for n in names)
    )


if __name__ == "__main__":
    raise SystemExit(main())
