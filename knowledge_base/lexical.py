"""BM25 lexical search.

Chinese (after Traditional -> Simplified folding) is cut by jieba in search mode; kana and Hangul
runs give character bigrams; other scripts give lower-cased words plus character 3-grams, so
inflected French/German/Russian words still overlap with the English names.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from knowledge_base.textfold import to_simplified

_HAN = r"\u3400-\u9fff\uf900-\ufaff"
_KANA_HANGUL = r"\u3040-\u30ff\uac00-\ud7af"
_TOKEN_RUNS = re.compile(rf"([{_HAN}]+)|([{_KANA_HANGUL}]+)|([^\W_]+)")
_STOP = frozenset(
    "the a an of in on at to is are do does what where how when which can i you me my it "
    "le la les de des du un une et est ou où quel quelle der die das und ist wie wo was ein eine "
    "el los las del y es que dónde cómo qué en и в на что где как это".split()
)
_ZH_STOP = frozenset("的 了 吗 呢 是 在 有 我 你 去 和 怎么 什么 哪里 哪儿 多少 几".split())

K1 = 1.2
B = 0.75


def _jieba_cut(text: str) -> list[str]:
    import jieba  # imported lazily: jieba loads its dictionary on first use

    jieba.setLogLevel(60)
    return [t for t in jieba.lcut_for_search(text) if t.strip()]


def tokenize(text: str) -> list[str]:
    """Tokens for BM25 (see the module docstring)."""
    text = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    tokens: list[str] = []
    for han, kana_hangul, word in _TOKEN_RUNS.findall(text):
        if han:
            tokens.extend(t for t in _jieba_cut(han) if t not in _ZH_STOP)
            if len(han) == 1:
                continue
            tokens.extend(han[i : i + 2] for i in range(len(han) - 1))
        elif kana_hangul:
            tokens.append(kana_hangul)
            tokens.extend(kana_hangul[i : i + 2] for i in range(len(kana_hangul) - 1))
        elif word and word not in _STOP:
            tokens.append(word)
            if len(word) > 3 and not word.isdigit():
                padded = f"#{word}#"
                tokens.extend("~" + padded[i : i + 3] for i in range(len(padded) - 2))
    return tokens


class BM25:
    """Okapi BM25 over pre-tokenised documents; scores are raw BM25 values."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = K1, b: float = B) -> None:
        self.k1, self.b = k1, b
        self._tfs = [Counter(doc) for doc in documents]
        self._lengths = [len(doc) for doc in documents]
        self._avg = (sum(self._lengths) / len(self._lengths)) if self._lengths else 0.0
        df: Counter[str] = Counter()
        for tf in self._tfs:
            df.update(tf.keys())
        n = len(documents)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def __len__(self) -> int:
        return len(self._tfs)

    def scores(self, query_tokens: Sequence[str]) -> list[float]:
        """BM25 score of every document."""
        out = [0.0] * len(self._tfs)
        for token in set(query_tokens):
            idf = self.idf.get(token)
            if idf is None:
                continue
            for i, tf in enumerate(self._tfs):
                freq = tf.get(token)
                if freq:
                    norm = self.k1 * (1 - self.b + self.b * self._lengths[i] / self._avg)
                    out[i] += idf * freq * (self.k1 + 1) / (freq + norm)
        return out

    def coverage(self, query_tokens: Sequence[str], doc: int) -> float:
        """Share of the query's IDF mass found in document ``doc`` (0..1)."""
        unique = set(query_tokens)
        if not unique:
            return 0.0
        top_idf = max(self.idf.values(), default=1.0)
        total = sum(self.idf.get(t, top_idf) for t in unique)
        found = sum(self.idf[t] for t in unique if t in self._tfs[doc])
        return found / total if total else 0.0


class LexicalIndex:
    """BM25 over one document per entry id."""

    def __init__(self, docs: dict[str, str]) -> None:
        self.ids = list(docs)
        self.bm25 = BM25([tokenize(text) for text in docs.values()])

    def search(self, query: str, k: int = 10) -> list[tuple[str, float, float]]:
        """Up to ``k`` (entry id, BM25 score, query coverage) with a positive score, best first."""
        tokens = tokenize(query)
        scores = self.bm25.scores(tokens)
        order = sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: -scores[i])[:k]
        return [(self.ids[i], scores[i], self.bm25.coverage(tokens, i)) for i in order]
