"""A tokenizer for all eight languages in one pipeline.

Text is split into runs of one script. Han runs go through jieba (with the Sichuan tourism user
dictionary loaded by :class:`~rasa.nlu.tokenizers.jieba_tokenizer.JiebaTokenizer`), hiragana runs, katakana
words (mostly loanwords), Hangul words and Latin/Cyrillic words become tokens of their own. Sub-word similarity (Japanese
okurigana, Korean particles, French/German inflection) is left to the character n-gram featurizer.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HIRAGANA = "\u3040-\u309f"
_KATAKANA = "\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_KANA = _HIRAGANA + _KATAKANA
_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
_WORD = f"[^\\W_{_HAN}{_KANA}{_HANGUL}]+"
_RUNS = re.compile(
    f"(?P<han>[{_HAN}]+)|(?P<hiragana>[{_HIRAGANA}]+)|(?P<katakana>[{_KATAKANA}]+)"
    f"|(?P<hangul>[{_HANGUL}]+)"
    f"|(?P<word>{_WORD}(?:['’]{_WORD})*)"
)


def split_runs(text: str) -> list[tuple[str, str, int]]:
    """Splits ``text`` into (kind, run, start) triples; punctuation and spaces are dropped."""
    return [(m.lastgroup or "word", m.group(), m.start()) for m in _RUNS.finditer(text)]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class MultilingualTokenizer(JiebaTokenizer):
    """Script-aware tokenizer: jieba for Chinese characters, word runs for everything else."""

    @staticmethod
    def supported_languages() -> list[str] | None:
        """Any language: the tokenizer decides per script run."""
        return None

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Same options as JiebaTokenizer (``dictionary_path`` for user dictionaries)."""
        return JiebaTokenizer.get_default_config()

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Tokenizes ``attribute`` of ``message`` run by run."""
        import jieba

        text = message.get(attribute)
        tokens: list[Token] = []
        for kind, run, start in split_runs(text):
            if kind == "han":
                tokens.extend(
                    Token(word, start + offset)
                    for word, offset, _ in jieba.tokenize(run)
                    if word.strip()
                )
            else:
                tokens.append(Token(run, start))
        if not tokens:
            tokens.append(Token(text, 0))
        return self._apply_token_pattern(tokens)
