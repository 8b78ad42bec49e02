"""The public benchmark sets are TEST data: none of their sentences may be training data.

The benchmarks live in ``../shared/benchmarks`` next to the repository; without them these tests fail.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
NLU_DATA = ROOT / "nlu_data"
MIN_CHARS = 8


def normalise(text: str) -> str:
    """Case-, width-, space- and punctuation-insensitive form of a sentence."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(
        r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}", lambda m: m.group(1) or m.group(2), text
    )
    return re.sub(r"[\W_]+", "", text)


def distinctive_texts(paths: list[Path]) -> set[str]:
    """Normalised texts of JSON-lines files, long enough to be distinctive."""
    sentences: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = normalise(json.loads(line).get("text", ""))
                if len(text) >= MIN_CHARS:
                    sentences.add(text)
    return sentences


def benchmark_sentences() -> set[str]:
    """Normalised benchmark texts long enough to be distinctive."""
    return distinctive_texts(sorted(BENCHMARKS.glob("*.jsonl")))


def training_sentences(nlu_dir: Path = NLU_DATA) -> list[tuple[Path, str]]:
    """Every example of every NLU file, with its file."""
    found: list[tuple[Path, str]] = []
    for path in sorted(nlu_dir.rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in document.get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                example = re.sub(r"^\s*-\s*", "", line).strip()
                if example:
                    found.append((path, example))
    return found


@pytest.fixture(scope="module")
def benchmark() -> set[str]:
    # A missing folder must fail: skipping would let leaked benchmark sentences pass unnoticed.
    if not BENCHMARKS.is_dir():
        pytest.fail(
            f"benchmarks not found at {BENCHMARKS} (the shared folder next to the repository)"
        )
    sentences = benchmark_sentences()
    assert len(sentences) > 1000, "benchmark files were not read"
    return sentences


def test_training_data_is_not_empty() -> None:
    assert len(training_sentences()) > 1000


def find_leaks(nlu_dir: Path, benchmark: set[str]) -> list[tuple[str, str]]:
    """(file, example) pairs whose example is a benchmark sentence."""
    return [(p.name, s) for p, s in training_sentences(nlu_dir) if normalise(s) in benchmark]


def test_no_benchmark_sentence_in_training_data(benchmark: set[str]) -> None:
    leaks = find_leaks(NLU_DATA, benchmark)
    assert not leaks, f"benchmark sentences in nlu_data: {leaks[:10]}"


def test_leak_detector_catches_a_copied_sentence(benchmark: set[str], tmp_path: Path) -> None:
    rows = [
        json.loads(r)
        for r in (BENCHMARKS / "nlu_kdconv_zh.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    copied = next(r["text"] for r in rows if len(normalise(r["text"])) >= 12) + " "
    (tmp_path / "nlu.yml").write_text(
        yaml.safe_dump(
            {
                "nlu": [
                    {
                        "intent": "thank",
                        "examples": f"- 我想问一下峨眉山金顶的索道几点停运\n- {copied}\n",
                    }
                ]
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    assert find_leaks(tmp_path, benchmark) == [("nlu.yml", copied.strip())]


def own_evaluation_sentences() -> set[str]:
    """Normalised texts of our held-out and development sets (eval/heldout, eval/dev)."""
    return distinctive_texts(sorted((ROOT / "eval").glob("*/*.jsonl")))


def test_no_held_out_or_development_sentence_in_training_data() -> None:
    own = own_evaluation_sentences()
    assert len(own) > 1000, "eval/heldout and eval/dev were not read"
    leaks = find_leaks(NLU_DATA, own)
    assert not leaks, f"held-out or development sentences in nlu_data: {leaks[:10]}"


def test_development_and_held_out_sets_hold_no_benchmark_sentence(benchmark: set[str]) -> None:
    """Calibrating on eval/dev must never mean calibrating on a benchmark."""
    leaks = [
        (path.name, text)
        for path in sorted((ROOT / "eval").glob("*/*.jsonl"))
        for text in (
            json.loads(line).get("text", "")
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        )
        if normalise(text) in benchmark
    ]
    assert not leaks, f"benchmark sentences in eval/: {leaks[:10]}"
