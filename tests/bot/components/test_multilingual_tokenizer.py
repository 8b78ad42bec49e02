"""MultilingualTokenizer: jieba for Han runs, whole runs for kana, Hangul, Latin and Cyrillic words."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.multilingual_tokenizer import MultilingualTokenizer, split_runs

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory: pytest.TempPathFactory) -> MultilingualTokenizer:
    config = {
        **MultilingualTokenizer.get_default_config(),
        "dictionary_path": str(ROOT / "bot" / "jieba_dict"),
    }
    storage = LocalModelStorage(tmp_path_factory.mktemp("tok"))
    return MultilingualTokenizer.create(
        config, storage, Resource("tok"), ExecutionContext(GraphSchema({}), "t")
    )


def tokens(tokenizer: MultilingualTokenizer, text: str) -> list[str]:
    return [t.text for t in tokenizer.tokenize(Message({TEXT: text}), TEXT)]


def test_chinese_is_segmented_by_jieba(tokenizer: MultilingualTokenizer) -> None:
    assert tokens(tokenizer, "九寨沟门票多少钱") == ["九寨沟", "门票", "多少钱"]


def test_mixed_scripts_are_split_at_script_boundaries(tokenizer: MultilingualTokenizer) -> None:
    assert tokens(tokenizer, "panda base 怎么去？") == ["panda", "base", "怎么", "去"]
    assert tokens(tokenizer, "九寨溝のチケット") == ["九寨溝", "の", "チケット"]
    assert tokens(tokenizer, "주자이거우 입장료 얼마예요?") == ["주자이거우", "입장료", "얼마예요"]
    assert tokens(tokenizer, "Сколько стоит билет?") == ["Сколько", "стоит", "билет"]


def test_offsets_point_into_the_original_text(tokenizer: MultilingualTokenizer) -> None:
    text = "Hi，九寨沟 l'entrée"
    for token in MultilingualTokenizer.tokenize(tokenizer, Message({TEXT: text}), TEXT):
        assert text[token.start : token.end] == token.text


def test_punctuation_only_text_still_yields_a_token(tokenizer: MultilingualTokenizer) -> None:
    assert tokens(tokenizer, "？！") == ["？！"]


def test_split_runs_labels_scripts() -> None:
    assert [kind for kind, _, _ in split_runs("A你かな한")] == ["word", "han", "hiragana", "hangul"]
