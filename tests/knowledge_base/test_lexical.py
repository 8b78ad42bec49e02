"""Tests for BM25 tokenisation and scoring."""

from __future__ import annotations

from knowledge_base.lexical import BM25, LexicalIndex, tokenize


def test_tokenize_chinese_uses_jieba_and_folds_traditional() -> None:
    tokens = tokenize("九寨溝門票")
    assert "门票" in tokens
    assert "九寨" in tokens


def test_tokenize_latin_words_and_char_ngrams() -> None:
    tokens = tokenize("Pandas sehen")
    assert "pandas" in tokens and "sehen" in tokens
    assert "~pan" in tokens


def test_tokenize_drops_stopwords() -> None:
    assert "the" not in tokenize("the museum")


def test_bm25_ranks_matching_document_first() -> None:
    bm25 = BM25([["panda", "base"], ["giant", "buddha"], ["panda", "panda", "park", "zoo"]])
    scores = bm25.scores(["buddha"])
    assert scores[1] > 0 and scores[0] == scores[2] == 0


def test_lexical_index_search_returns_coverage() -> None:
    index = LexicalIndex({"a": "Leshan Giant Buddha carved into a cliff", "b": "Giant panda base"})
    results = index.search("giant buddha cliff")
    assert results[0][0] == "a"
    assert 0.9 <= results[0][2] <= 1.0
    assert results[1][2] < results[0][2]
