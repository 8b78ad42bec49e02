"""Tests for hybrid retrieval: fusion order, thresholds, alias matching, the cached factory."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge_base import retriever as retriever_module
from knowledge_base.build import build_index, encode_entries
from knowledge_base.encoder import HashEncoder
from knowledge_base.index import IndexNotBuiltError
from knowledge_base.retriever import (
    Hit,
    Retriever,
    Signals,
    Thresholds,
    evidence,
    open_retriever,
    reciprocal_rank_fusion,
)
from knowledge_base.schema import Entry
from knowledge_base.settings import get_kb_settings

ENTRIES = [
    (
        "panda-base",
        "成都大熊猫繁育研究基地",
        "Chengdu Panda Base",
        ["熊猫基地", "xiongmao jidi"],
        "成都北郊的大熊猫保护与繁育基地，可以看到大熊猫和小熊猫。",
        "A breeding and research base in north Chengdu where you can see giant pandas and red pandas.",
    ),
    (
        "leshan-buddha",
        "乐山大佛",
        "Leshan Giant Buddha",
        ["樂山大佛", "leshan dafo"],
        "唐代在岷江、青衣江和大渡河交汇处的山崖上开凿的巨大石刻佛像。",
        "A giant stone Buddha carved into a cliff where three rivers meet, from the Tang dynasty.",
    ),
    (
        "wuhou",
        "武侯祠",
        "Wuhou Shrine",
        ["wuhouci"],
        "纪念诸葛亮和刘备的祠庙，三国文化圣地。",
        "A shrine to Zhuge Liang and Liu Bei, the centre of Three Kingdoms culture.",
    ),
]


def _entries() -> dict[str, Entry]:
    out = {}
    for eid, zh, en, aliases, dzh, den in ENTRIES:
        out[eid] = Entry.model_validate(
            {
                "id": eid,
                "type": "scenic_area",
                "names": {"zh": zh, "en": en},
                "aliases": aliases,
                "description": {"zh": dzh, "en": den},
                "sources": [f"https://example.org/{eid}"],
            }
        )
    return out


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    entries = _entries()
    enc = HashEncoder(512)
    return Retriever(
        entries,
        enc,
        encode_entries(enc, entries.values()),
        thresholds=Thresholds(dense=0.6, coverage=0.5, combined=1.2),
    )


def test_rrf_orders_by_summed_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion(
        {"a": ["x", "y", "z"], "b": ["y", "x"], "c": ["y"]}, {"a": 1.0, "b": 1.0, "c": 1.0}, k=10
    )
    assert [eid for eid, _ in fused] == ["y", "x", "z"]
    assert fused[0][1] == pytest.approx(1 / 12 + 1 / 11 + 1 / 11)


def test_rrf_weights_change_the_order() -> None:
    rankings = {"dense": ["x", "y"], "lexical": ["y", "x"]}
    assert reciprocal_rank_fusion(rankings, {"dense": 2.0, "lexical": 1.0})[0][0] == "x"
    assert reciprocal_rank_fusion(rankings, {"dense": 1.0, "lexical": 2.0})[0][0] == "y"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("熊猫基地几点开门", "panda-base"),
        ("樂山大佛門票", "leshan-buddha"),
        ("leshan dafo tickets", "leshan-buddha"),
        ("stone Buddha carved into a cliff", "leshan-buddha"),
        ("Zhuge Liang shrine", "wuhou"),
    ],
)
def test_search_finds_entry(retriever: Retriever, query: str, expected: str) -> None:
    hits = retriever.search(query)
    assert hits and hits[0].entry_id == expected
    assert all(isinstance(h, Hit) for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize("query", ["weather in Paris", "stock prices today", "今天股票涨了吗"])
def test_search_returns_empty_when_nothing_is_good_enough(retriever: Retriever, query: str) -> None:
    assert retriever.search(query) == []


def test_search_respects_k(retriever: Retriever) -> None:
    assert len(retriever.search("熊猫基地", k=1)) == 1


def test_alias_match_overrides_thresholds() -> None:
    signals = Signals(dense={"a": 0.01}, lexical={}, gazetteer=["a"])
    assert evidence(signals).convincing(Thresholds(0.99, 0.99, 9.0))
    assert not evidence(Signals({"a": 0.01}, {}, [])).convincing(Thresholds(0.99, 0.99, 9.0))


def test_combined_threshold_needs_agreement() -> None:
    agree = Signals(dense={"a": 0.5, "b": 0.1}, lexical={"a": (3.0, 0.5)}, gazetteer=[])
    split = Signals(dense={"a": 0.5, "b": 0.1}, lexical={"b": (3.0, 0.5)}, gazetteer=[])
    th = Thresholds(dense=0.9, coverage=0.9, combined=0.9)
    assert evidence(agree).convincing(th)
    assert not evidence(split).convincing(th)


def test_get_and_match_alias(retriever: Retriever) -> None:
    assert retriever.get("wuhou") is not None
    assert retriever.get("missing") is None
    assert retriever.match_alias("I want to see the wuhouci") == "wuhou"
    assert retriever.match_alias("nothing here") is None


def test_lexical_only_mode_needs_no_encoder() -> None:
    r = Retriever(_entries(), None, None, mode="lexical")
    assert r.search("Zhuge Liang Liu Bei shrine")[0].entry_id == "wuhou"


def _write_entries(directory: Path) -> Path:
    import yaml

    directory.mkdir(parents=True)
    for eid, entry in _entries().items():
        data = entry.model_dump(mode="json", exclude_defaults=True)
        (directory / f"{eid}.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
        )
    return directory


def test_open_retriever_loads_and_detects_stale(tmp_path: Path) -> None:
    entries_dir = _write_entries(tmp_path / "entries")
    enc = HashEncoder(64)
    build_index(enc, entries_dir, tmp_path / "kb")
    r = open_retriever(tmp_path / "kb" / "current", enc, entries_dir)
    assert set(r.entries) == {"panda-base", "leshan-buddha", "wuhou"}
    (entries_dir / "wuhou.yml").write_text((entries_dir / "wuhou.yml").read_text() + "\n# edit\n")
    with pytest.raises(IndexNotBuiltError, match="make kb"):
        open_retriever(tmp_path / "kb" / "current", enc, entries_dir)


def test_get_retriever_raises_when_index_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setenv("KB_INDEX_DIR", str(tmp_path / "missing"))
    get_kb_settings.cache_clear()
    request.addfinalizer(get_kb_settings.cache_clear)
    monkeypatch.setattr(retriever_module, "_CACHE", {})
    with pytest.raises(IndexNotBuiltError, match="make kb"):
        retriever_module.get_retriever()
    with pytest.raises(IndexNotBuiltError, match="make kb"):
        retriever_module.get_retriever(tmp_path / "elsewhere")


def test_get_retriever_opens_the_given_index_dir_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = build_index(HashEncoder(), root=tmp_path / "kb")
    monkeypatch.setattr(retriever_module, "_CACHE", {})

    opened = retriever_module.get_retriever(tmp_path / "kb" / "current", encoder="hash")

    assert opened.index is not None and opened.index.dimension == HashEncoder().dimension
    assert "jiuzhaigou" in opened.entries
    assert retriever_module.get_retriever(tmp_path / "kb" / "current", encoder="hash") is opened
    assert retriever_module.get_retriever(version, encoder="hash") is not opened


def test_predict_adds_results_rows(
    retriever: Retriever, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from knowledge_base import predict

    monkeypatch.setattr(predict, "get_retriever", lambda: retriever)
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"text": "樂山大佛門票", "lang": "zh"}\n{"text": "weather in Paris"}\n', encoding="utf-8"
    )
    assert predict.main([str(source), str(tmp_path / "out.jsonl")]) == 0
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert rows[0]["lang"] == "zh" and rows[0]["results"][0]["id"] == "leshan-buddha"
    assert rows[0]["results"][0]["name"] == {"zh": "乐山大佛", "en": "Leshan Giant Buddha"}
    assert len(rows[0]["results"]) <= 5
    assert rows[1]["results"] == []
