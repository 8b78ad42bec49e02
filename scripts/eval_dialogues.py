"""Multi-turn dialogue evaluation (``make eval-dialogues``).

Starts the three servers as ``make run`` does, on spare loopback ports with throwaway logs, secrets
and database (:func:`knowledge_base.turn_bench.running_servers`), waits until the knowledge base is
warm, replays every conversation of ``eval/dialogues/<lang>.yml`` over Rasa's REST channel (a fresh
sender id per conversation) and scores each bot reply with :mod:`scripts.dialogue_checks`.

Prints a per-language table with the acceptance targets, writes ``reports/dialogues.json`` (figures
and every turn) and appends one line to ``reports/dialogues_trend.jsonl``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from common.languages import SUPPORTED_LANGUAGES
from scripts import dialogue_checks as checks

REPO_ROOT = Path(__file__).resolve().parent.parent
DIALOGUE_DIR = REPO_ROOT / "eval" / "dialogues"
REPORT_DIR = REPO_ROOT / "reports"
CANNED_KEYS = (
    "utter_out_of_scope",
    "utter_default",
    "utter_realtime_unavailable",
    "utter_booking_unavailable",
    "utter_kb_error",
    "utter_unsupported_language",
)
"""Bot texts that answer no question (fallback, out of scope, "not connected", errors)."""
CONCURRENT_CONVERSATIONS = 3
TURN_TIMEOUT_S = 60.0

METRICS = ("language", "fully", "right_place", "wrong_place", "answered", "usable")
LABELS = {
    "language": "right reply language",
    "fully": "fully in that language",
    "right_place": "right place",
    "wrong_place": "wrong place",
    "answered": "answered the question",
    "usable": "usable fact",
}
TARGETS: dict[str, tuple[str, float]] = {
    "wrong_place": ("<=", 0.01),
    "right_place": (">=", 0.97),
    "language": (">=", 0.99),
    "fully": (">=", 0.97),
    "answered": (">=", 0.90),
}
"""Acceptance targets of issue 14; every one is checked in every language and overall."""


@dataclass(frozen=True)
class Turn:
    """One tourist message and what a good reply does."""

    user: str
    lang: str
    place: str | None
    asks: str


@dataclass(frozen=True)
class Dialogue:
    """One conversation of a language file."""

    id: str
    language: str
    turns: tuple[Turn, ...]


@dataclass
class TurnResult:
    """A replayed turn, its reply and every check (None: the check does not apply)."""

    dialogue: str
    turn: int
    user: str
    expected: dict[str, Any]
    reply: list[str]
    checks: dict[str, bool | None] = field(default_factory=dict)
    foreign: list[str] = field(default_factory=list)
    detected_language: str | None = None
    error: str | None = None


# ----------------------------------------------------------------- data


def load_dialogues(directory: Path, entry_ids: Iterable[str]) -> list[Dialogue]:
    """Every conversation of ``directory/<lang>.yml``, validated against the knowledge base."""
    known = set(entry_ids) | {checks.UNKNOWN}
    dialogues: list[Dialogue] = []
    seen: set[str] = set()
    for lang in SUPPORTED_LANGUAGES:
        path = directory / f"{lang}.yml"
        if not path.exists():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in data.get("dialogues", []):
            dialogue = _dialogue(raw, lang, known)
            if dialogue.id in seen:
                raise ValueError(f"{path}: duplicate dialogue id {dialogue.id}")
            seen.add(dialogue.id)
            dialogues.append(dialogue)
    return dialogues


def _dialogue(raw: dict[str, Any], lang: str, known: set[str]) -> Dialogue:
    turns = []
    for item in raw["turns"]:
        turn = Turn(str(item["user"]), item["lang"], item.get("place"), item["asks"])
        where = f"{raw['id']}: {turn.user!r}"
        if turn.lang not in SUPPORTED_LANGUAGES:
            raise ValueError(f"{where}: unknown reply language {turn.lang}")
        if turn.place is not None and turn.place not in known:
            raise ValueError(f"{where}: unknown entry id {turn.place}")
        if turn.asks not in checks.ASKS:
            raise ValueError(f"{where}: unknown asks {turn.asks}")
        turns.append(turn)
    if not 2 <= len(turns) <= 5:
        raise ValueError(f"{raw['id']}: {len(turns)} turns (2-5 expected)")
    return Dialogue(str(raw["id"]), lang, tuple(turns))


def canned_texts(i18n_dir: Path = REPO_ROOT / "bot" / "i18n") -> list[str]:
    """Every language's variations of the responses in :data:`CANNED_KEYS`."""
    texts: list[str] = []
    for path in sorted(i18n_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in CANNED_KEYS:
            texts.extend(
                str(v.get("text", v)) if isinstance(v, dict) else str(v) for v in data.get(key, [])
            )
    return texts


# ----------------------------------------------------------------- scoring


def score_turn(
    result: TurnResult,
    turn: Turn,
    index: checks.NameIndex,
    guesser: checks.Guesser,
    canned: Sequence[str],
) -> TurnResult:
    """Fill ``result.checks`` for one reply."""
    reply = "\n".join(result.reply)
    detected = checks.reply_language(reply, index, guesser, turn.lang) if reply.strip() else "none"
    result.detected_language = detected
    result.foreign = checks.foreign_segments(reply, turn.lang, index, guesser)
    has_place = turn.place is not None
    fact = turn.asks in checks.FACT_ASKS and turn.place != checks.UNKNOWN
    result.checks = {
        "language": bool(reply.strip()) and detected in (turn.lang, None),
        "fully": bool(reply.strip()) and not result.foreign,
        "right_place": checks.right_place(reply, turn.place, turn.lang, index)
        if has_place and turn.place
        else None,
        "wrong_place": checks.wrong_place(reply, turn.place, index)
        if has_place and turn.place
        else None,
        "answered": checks.answered(result.reply, turn.asks, turn.place, canned),
        "usable": checks.usable_fact(reply, turn.asks) if fact else None,
    }
    return result


def figures(results: Sequence[TurnResult]) -> dict[str, dict[str, Any]]:
    """Per language (and ``all``): for each metric the share of turns it applies to, and n."""
    groups: dict[str, list[TurnResult]] = {"all": list(results)}
    for result in results:
        groups.setdefault(str(result.expected["lang"]), []).append(result)
    out: dict[str, dict[str, Any]] = {}
    for name in [*SUPPORTED_LANGUAGES, "all"]:
        rows = groups.get(name, [])
        entry: dict[str, Any] = {"turns": len(rows)}
        for metric in METRICS:
            values = [r.checks[metric] for r in rows if r.checks.get(metric) is not None]
            entry[metric] = round(sum(bool(v) for v in values) / len(values), 4) if values else None
            entry[f"{metric}_n"] = len(values)
        out[name] = entry
    return out


def targets_met(table: dict[str, dict[str, Any]]) -> dict[str, bool]:
    """Each target, met in every language and overall."""
    met = {}
    for metric, (op, bound) in TARGETS.items():
        values = [row[metric] for row in table.values() if row.get(metric) is not None]
        met[metric] = bool(values) and all(v <= bound if op == "<=" else v >= bound for v in values)
    return met


def render_table(table: dict[str, dict[str, Any]]) -> str:
    """The per-language table with the targets in the last column."""
    names = [n for n in [*SUPPORTED_LANGUAGES, "all"] if table.get(n, {}).get("turns")]
    lines = [f"{'':<24}" + "".join(f"{n:>7}" for n in names) + "   target"]
    for metric in METRICS:
        cells = "".join(
            f"{'-' if table[n][metric] is None else f'{100 * table[n][metric]:.1f}':>7}"
            for n in names
        )
        op, bound = TARGETS.get(metric, ("", 0.0))
        target = f"{op} {100 * bound:.0f} %" if op else "(reported)"
        lines.append(f"{LABELS[metric]:<24}{cells}   {target}")
    lines.append(f"{'turns':<24}" + "".join(f"{table[n]['turns']:>7}" for n in names))
    return "\n".join(lines)


# ----------------------------------------------------------------- replay


async def replay(url: str, dialogues: Sequence[Dialogue]) -> list[TurnResult]:
    """Every conversation, turn after turn, a few conversations at a time."""
    queue: asyncio.Queue[Dialogue] = asyncio.Queue()
    for dialogue in dialogues:
        queue.put_nowait(dialogue)
    results: dict[str, list[TurnResult]] = {}

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            dialogue = queue.get_nowait()
            results[dialogue.id] = await _conversation(client, url, dialogue)
            done = len(results)
            if done % 25 == 0:
                print(f"==> [eval-dialogues] {done}/{len(dialogues)} conversations", flush=True)

    async with httpx.AsyncClient(timeout=TURN_TIMEOUT_S) as client:
        await asyncio.gather(*(worker(client) for _ in range(CONCURRENT_CONVERSATIONS)))
    return [r for d in dialogues for r in results.get(d.id, [])]


async def _conversation(
    client: httpx.AsyncClient, url: str, dialogue: Dialogue
) -> list[TurnResult]:
    sender = f"dialogue-{dialogue.id}-{uuid.uuid4().hex[:12]}"
    out = []
    for number, turn in enumerate(dialogue.turns, start=1):
        texts: list[str] = []
        error = None
        try:
            response = await client.post(url, json={"sender": sender, "message": turn.user})
            body = response.json() if response.status_code == 200 else []
            texts = [str(m["text"]) for m in body if isinstance(m, dict) and m.get("text")]
            error = None if response.status_code == 200 else f"HTTP {response.status_code}"
        except (httpx.HTTPError, ValueError) as exc:
            error = type(exc).__name__
        result = TurnResult(dialogue.id, number, turn.user, asdict(turn), texts)  # scored later
        result.error = error
        out.append(result)
    return out


# ----------------------------------------------------------------- reports


def commit_hash() -> str:
    """HEAD's hash, ``+dirty`` when the tracked files differ from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "diff", "--quiet", "HEAD", "--"], cwd=REPO_ROOT, check=False
        ).returncode
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_reports(
    table: dict[str, dict[str, Any]], met: dict[str, bool], results: Sequence[TurnResult]
) -> Path:
    """``reports/dialogues.json`` and one more line of ``reports/dialogues_trend.jsonl``."""
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = {"commit": commit_hash(), "date": dt.datetime.now().isoformat(timespec="seconds")}
    targets = {m: {"target": f"{op} {bound}", "met": met[m]} for m, (op, bound) in TARGETS.items()}
    report = {**stamp, "figures": table, "targets": targets, "turns": [asdict(r) for r in results]}
    path = REPORT_DIR / "dialogues.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    trend = {**stamp, "figures": table, "targets_met": met}
    with (REPORT_DIR / "dialogues_trend.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(trend, ensure_ascii=False) + "\n")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Replay, score, report; exit 0 (figures are reported, not enforced), 2 without a model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DIALOGUE_DIR, help="folder of <lang>.yml files")
    parser.add_argument(
        "--url",
        help="REST webhook of an already running stack "
        "(e.g. http://127.0.0.1:45005/webhooks/rest/webhook); default: start own servers",
    )
    parser.add_argument("--lang", action="append", help="only these languages (repeatable)")
    parser.add_argument(
        "--out", type=Path, help="write the full report here instead of reports/ (no trend line)"
    )
    args = parser.parse_args(argv)

    from bot.components.langid import LanguageGuesser
    from knowledge_base.store import load_entries
    from knowledge_base.turn_bench import _wait_ready, running_servers

    entries = load_entries()
    dialogues = load_dialogues(args.dir, entries)
    if args.lang:
        dialogues = [d for d in dialogues if d.language in args.lang]
    print(f"==> [eval-dialogues] {len(dialogues)} conversations, "
          f"{sum(len(d.turns) for d in dialogues)} turns")  # fmt: skip
    if not (REPO_ROOT / "models" / "current").exists():
        print("==> [eval-dialogues] no trained model (models/current); run `make train`")
        return 2
    index = checks.NameIndex.from_entries(entries)
    guesser = LanguageGuesser()
    guesser.warm_up()
    canned = canned_texts()
    if args.url:
        results = asyncio.run(replay(args.url, dialogues))
    else:
        with tempfile.TemporaryDirectory(prefix="eval-dialogues-") as tmp:
            print("==> [eval-dialogues] starting the servers")
            with running_servers(Path(tmp)) as ports:
                asyncio.run(_wait_ready(ports["platform"]))
                url = f"http://127.0.0.1:{ports['rasa']}/webhooks/rest/webhook"
                results = asyncio.run(replay(url, dialogues))
    turns = {(d.id, n): t for d in dialogues for n, t in enumerate(d.turns, start=1)}
    for result in results:
        score_turn(result, turns[(result.dialogue, result.turn)], index, guesser, canned)
    table = figures(results)
    met = targets_met(table)
    print(render_table(table))
    print(
        "targets met: " + ", ".join(f"{LABELS[m]} {'yes' if ok else 'NO'}" for m, ok in met.items())
    )
    if args.out:
        report = {"figures": table, "targets_met": met, "turns": [asdict(r) for r in results]}
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"==> [eval-dialogues] report: {args.out}")
        return 0
    path = write_reports(table, met, results)
    print(
        f"==> [eval-dialogues] report: {path.relative_to(REPO_ROOT)}, trend: reports/dialogues_trend.jsonl"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
