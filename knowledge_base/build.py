"""Build the knowledge-base index: ``python -m knowledge_base.build [--check] [--encoder use|e5]``.

Writes ``build/kb/<version>/`` (index.faiss, passages.jsonl, manifest.json) and points
``build/kb/current`` at it. ``--check`` exits 0 when the current index matches the entries and the
configured encoder, 1 when it is missing or stale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from knowledge_base.encoder import Encoder, get_encoder
from knowledge_base.index import (
    CURRENT,
    FaissIndex,
    IndexNotBuiltError,
    Passage,
    make_manifest,
    point_current,
    read_manifest,
    save_index,
)
from knowledge_base.schema import Entry
from knowledge_base.settings import get_kb_settings
from knowledge_base.store import DEFAULT_ENTRIES_DIR, corpus_hash, load_entries

# Bump when entry_passages changes, so `--check` asks for a rebuild.
PASSAGES_VERSION = 2
_CLAUSE = re.compile(r"[。；;！？!?]|(?<=[a-z])\. |, (?=it |and |with |where )")
_TOPIC_LABELS = {
    "ticket": ("门票 票价 价格", "tickets ticket price admission fee"),
    "opening_hours": ("开放时间 营业时间", "opening hours open close time"),
    "transport": ("交通 怎么去", "getting there transport bus train"),
    "address": ("地址 位置", "address location where"),
    "reservation": ("预约 实名", "reservation booking reserve"),
    "details": ("详情", "details"),
}


def entry_passages(entry: Entry) -> list[tuple[str, str, str]]:
    """(field, lang, text) triples for one entry; several per entry so unnamed questions match."""
    zh, en = entry.names.zh, entry.names.en
    out: list[tuple[str, str, str]] = [("names", "multi", " / ".join(entry.all_names()))]
    if entry.description.zh:
        out.append(("description", "zh", f"{zh}：{entry.description.zh}"))
    if entry.description.en:
        out.append(("description", "en", f"{en}: {entry.description.en}"))
    for lang, text in (("zh", entry.description.zh), ("en", entry.description.en)):
        clauses = [c.strip() for c in _CLAUSE.split(text or "") if len(c.strip()) >= 8]
        if len(clauses) > 1:
            name = zh if lang == "zh" else en
            out.extend(("clause", lang, f"{name}: {c}") for c in clauses)
    if entry.tips and entry.tips.zh:
        out.append(("tips", "zh", f"{zh}：{entry.tips.zh}"))
    if entry.tips and entry.tips.en:
        out.append(("tips", "en", f"{en}: {entry.tips.en}"))
    place = [p for p in (entry.city, entry.county) if p]
    tags = " ".join(t.replace("_", " ") for t in entry.tags)
    out.append(
        (
            "tags",
            "en",
            f"{en}: {entry.type.replace('_', ' ')}; {tags}; "
            + ", ".join(p.en or "" for p in place),
        )
    )
    for fact_name, (label_zh, label_en) in _TOPIC_LABELS.items():
        fact = getattr(entry, fact_name)
        value = fact.value
        if value is None:
            continue
        texts = _bilingual_of(value)
        if texts[0]:
            out.append((fact_name, "zh", f"{zh} {label_zh}：{texts[0]}"))
        if texts[1]:
            out.append((fact_name, "en", f"{en} {label_en}: {texts[1]}"))
    return out


def _bilingual_of(value: object) -> tuple[str, str]:
    zh = getattr(value, "zh", None)
    en = getattr(value, "en", None)
    if zh is not None or en is not None:
        return zh or "", en or ""
    for attr in ("rules", "concessions", "channels", "includes"):
        inner = getattr(value, attr, None)
        if inner is not None:
            return inner.zh or "", inner.en or ""
    return "", ""


def make_passages(entries: Iterable[Entry]) -> list[Passage]:
    """Numbered passages for all entries."""
    passages: list[Passage] = []
    for entry in entries:
        for field, lang, text in entry_passages(entry):
            passages.append(Passage(len(passages), entry.id, field, lang, text))
    return passages


def encode_entries(encoder: Encoder, entries: Iterable[Entry]) -> FaissIndex:
    """In-memory index of all passages of ``entries``."""
    passages = make_passages(entries)
    vectors = encoder.encode([p.text for p in passages], kind="passage")
    index = FaissIndex(encoder.dimension)
    index.add(passages, vectors)
    return index


def build_index(
    encoder: Encoder,
    entries_dir: Path = DEFAULT_ENTRIES_DIR,
    root: Path | None = None,
    keep: int = 3,
) -> Path:
    """Encode all passages, save a new version dir, point ``current`` at it, prune old versions."""
    root = root if root is not None else get_kb_settings().build_root
    digest = corpus_hash(entries_dir)
    index = encode_entries(encoder, load_entries(entries_dir).values())
    passages = index.passages
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    version = f"{stamp}-{digest[:10]}"
    manifest = make_manifest(encoder.model_id, encoder.dimension, digest, len(passages))
    manifest["passages_version"] = PASSAGES_VERSION
    save_index(index, root / version, manifest)
    point_current(root, version)
    _prune(root, keep)
    return root / version


def _prune(root: Path, keep: int) -> None:
    """Delete all but the newest ``keep`` version directories (never the current one)."""
    current = (root / CURRENT).resolve()
    versions = sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and not p.is_symlink() and (p / "manifest.json").exists()
    )
    for old in versions[:-keep]:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)


def check(
    encoder_model_id: str, entries_dir: Path = DEFAULT_ENTRIES_DIR, root: Path | None = None
) -> str:
    """'' when up to date, else why not."""
    root = root if root is not None else get_kb_settings().build_root
    try:
        manifest = read_manifest(root / CURRENT)
    except IndexNotBuiltError as exc:
        return str(exc)
    if manifest["corpus_hash"] != corpus_hash(entries_dir):
        return "entries changed since the index was built"
    if manifest["encoder_model_id"] != encoder_model_id:
        return f"index built with {manifest['encoder_model_id']}, configured {encoder_model_id}"
    if manifest.get("passages_version") != PASSAGES_VERSION:
        return "passage layout changed since the index was built"
    return ""


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if missing or stale")
    settings = get_kb_settings()
    parser.add_argument("--encoder", default=settings.encoder, choices=["use", "e5", "hash"])
    parser.add_argument("--entries", type=Path, default=DEFAULT_ENTRIES_DIR)
    parser.add_argument("--root", type=Path, default=settings.build_root)
    args = parser.parse_args(argv)
    encoder = get_encoder(args.encoder)
    if args.check:
        reason = check(encoder.model_id, args.entries, args.root)
        print(reason or "knowledge-base index is up to date")
        return 1 if reason else 0
    started = time.perf_counter()
    path = build_index(encoder, args.entries, args.root)
    print(f"built {path} in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
