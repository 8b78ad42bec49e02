"""A ``make kb`` build goes live without a restart, and a half-built index is never served."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from knowledge_base import retriever as retriever_module
from knowledge_base.build import build_index
from knowledge_base.encoder import HashEncoder
from knowledge_base.index import CURRENT, point_current
from knowledge_base.retriever import LiveIndex, Retriever

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "entries"
NEW_ENTRY = """\
id: second-park
type: park
names: {zh: 第二公园, en: Second Park}
description: {zh: 测试。, en: Test., ja: テスト。, ko: 테스트., fr: Essai., de: Test., es: Prueba., ru: Тест.}
sources: [https://example.org/second-park.html]
"""


@pytest.fixture
def kb(tmp_path: Path) -> tuple[Path, Path]:
    """(entries dir, build root) with one built version."""
    entries = tmp_path / "entries"
    shutil.copytree(FIXTURES, entries)
    build_index(HashEncoder(), entries, tmp_path / "kb")
    return entries, tmp_path / "kb"


def _live(kb: tuple[Path, Path]) -> LiveIndex:
    entries, root = kb
    return LiveIndex(root / CURRENT, "hash", entries_dir=entries, check_seconds=0)


def test_a_new_build_goes_live_in_the_background(kb: tuple[Path, Path]) -> None:
    entries, root = kb
    live = _live(kb)
    old = live.get()
    assert set(old.entries) == {"cliff-buddha-park"}
    assert live.check() is None  # the pointer has not moved: nothing to do

    (entries / "second-park.yml").write_text(NEW_ENTRY, encoding="utf-8")
    build_index(HashEncoder(), entries, root)
    thread = live.check()
    assert thread is not None
    thread.join(timeout=60)

    fresh = live.get()
    assert fresh is not old and set(fresh.entries) == {"cliff-buddha-park", "second-park"}
    assert live.reloads == 1
    assert fresh.search("第二公园", k=1)[0].entry_id == "second-park"
    assert set(old.entries) == {"cliff-buddha-park"}  # requests holding the old one finish on it


def test_the_old_index_answers_until_the_new_one_is_fully_loaded(
    kb: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    entries, root = kb
    live = _live(kb)
    old = live.get()
    release = threading.Event()
    real_open = retriever_module.open_retriever

    def slow_open(*args: object, **kwargs: object) -> Retriever:
        assert release.wait(timeout=30)
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(retriever_module, "open_retriever", slow_open)
    (entries / "second-park.yml").write_text(NEW_ENTRY, encoding="utf-8")
    build_index(HashEncoder(), entries, root)
    thread = live.check()
    assert thread is not None
    for _ in range(5):
        assert live.get() is old  # still loading: the complete old index answers
    assert live.check() is None  # one reload at a time
    release.set()
    thread.join(timeout=60)
    assert "second-park" in live.get().entries


def test_a_half_built_or_broken_version_is_never_served(kb: tuple[Path, Path]) -> None:
    _, root = kb
    live = _live(kb)
    old = live.get()
    broken = root / "20990101T000000000000-broken"
    broken.mkdir()
    (broken / "manifest.json").write_text("{}", encoding="utf-8")  # no index, no passages
    point_current(root, broken.name)

    thread = live.check()
    assert thread is not None
    thread.join(timeout=60)

    assert live.get() is old and live.reloads == 0
    assert "cliff-buddha-park" in live.get().entries


def test_entries_edited_but_not_rebuilt_keep_the_built_index(kb: tuple[Path, Path]) -> None:
    entries, _ = kb
    live = _live(kb)
    old = live.get()
    (entries / "second-park.yml").write_text(NEW_ENTRY, encoding="utf-8")  # no `make kb` yet
    assert live.check() is None
    assert live.get() is old


def test_build_switches_the_pointer_only_after_writing_the_version(kb: tuple[Path, Path]) -> None:
    entries, root = kb
    first = (root / CURRENT).resolve()
    version = build_index(HashEncoder(), entries, root)
    assert (root / CURRENT).resolve() == version.resolve() != first
    for name in ("index.faiss", "passages.jsonl", "manifest.json"):
        assert (version / name).is_file()
