"""Reply text → text a tour-guide device can read aloud (no Rasa import; the platform uses it too).

No Markdown, no emoji, no URLs; prices in yuan and time ranges said in words of the language
("¥80" → "80 yuan", "08:30–17:30" → "8:30 to 17:30"); bullet lists become sentences.
"""

from __future__ import annotations

import re

from channels.wechat.text import strip_markdown

_URL = re.compile(r"(?:https?://|www\.)[!-~]*?(?=[.,;:!?)\]]*(?:\s|$|[^!-~]))", re.IGNORECASE)
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f900-\U0001f9ff\u2190-\u21ff"
    "\u2b00-\u2bff\ufe0f\u200d\u20e3]"
)
_YUAN_BEFORE = re.compile(r"(?:¥|￥|RMB|CNY)\s?(\d+(?:[.,]\d+)?)", re.IGNORECASE)
_YUAN_AFTER = re.compile(r"(\d+(?:[.,]\d+)?)\s?(?:RMB|CNY)\b", re.IGNORECASE)
_TIME_RANGE = re.compile(r"\b0?(\d{1,2}:\d{2})\s*[-–—~至到]\s*0?(\d{1,2}:\d{2})\b")
_TIME = re.compile(r"\b0(\d:\d{2})\b")
_NUMBER_RANGE = re.compile(r"(?<![\d:.])(\d+)\s*[–—~]\s*(\d+)(?![\d:])")
_BULLET = re.compile(r"^\s*(?:•|-|\*|\d+[.)])\s+", re.MULTILINE)
_EMPTY_PARENS = re.compile(r"[(（]\s*[)）]")
_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?，。；：！？)])")

YUAN: dict[str, str] = {
    "zh": "{n}元",
    "ja": "{n}元",
    "ko": "{n}위안",
    "en": "{n} yuan",
    "fr": "{n} yuans",
    "de": "{n} Yuan",
    "es": "{n} yuanes",
    "ru": "{n} юаней",
}
TIME_RANGE: dict[str, str] = {
    "zh": "{a}至{b}",
    "ja": "{a}から{b}まで",
    "ko": "{a}부터 {b}까지",
    "en": "{a} to {b}",
    "fr": "{a} à {b}",
    "de": "{a} bis {b}",
    "es": "{a} a {b}",
    "ru": "с {a} до {b}",
}
RANGE_WORD: dict[str, str] = {
    "zh": "至",
    "ja": "から",
    "ko": "부터",
    "en": "to",
    "fr": "au",
    "de": "bis",
    "es": "a",
    "ru": "до",
}
_SPACED_DASH = re.compile(r"\s+[–—]\s+")
_SENTENCE_END = {"zh": "。", "ja": "。"}


def _sentence(line: str, lang: str) -> str:
    end = _SENTENCE_END.get(lang, ".")
    stripped = line.rstrip()
    if not stripped or stripped[-1] in ".!?。！？:：;；":
        return stripped
    return stripped + end


def to_speech(text: str, lang: str) -> str:
    """``text`` as plain sentences for text-to-speech in ``lang``."""
    lines_in = []
    for line in strip_markdown(text).splitlines():
        if _URL.search(line):  # "Source: https://..." must not end on a dangling colon
            line = _URL.sub("", line).rstrip().rstrip(":：").rstrip()
        lines_in.append(line)
    out = "\n".join(lines_in)
    out = _EMOJI.sub("", out)
    yuan = YUAN.get(lang, YUAN["en"])
    out = _YUAN_BEFORE.sub(lambda m: yuan.format(n=m.group(1)), out)
    out = _YUAN_AFTER.sub(lambda m: yuan.format(n=m.group(1)), out)
    time_range = TIME_RANGE.get(lang, TIME_RANGE["en"])
    out = _TIME_RANGE.sub(lambda m: time_range.format(a=m.group(1), b=m.group(2)), out)
    out = _TIME.sub(r"\1", out)
    out = _NUMBER_RANGE.sub(lambda m: time_range.format(a=m.group(1), b=m.group(2)), out)
    out = _SPACED_DASH.sub(f" {RANGE_WORD.get(lang, RANGE_WORD['en'])} ", out)
    out = _BULLET.sub("", out)
    out = out.replace("←", "")
    out = _EMPTY_PARENS.sub("", out)
    lines = [_SPACES.sub(" ", line).strip() for line in out.splitlines()]
    lines = [_SPACE_BEFORE_PUNCT.sub(r"\1", line) for line in lines if line.strip(" :：-")]
    joiner = "" if lang in _SENTENCE_END else " "
    return joiner.join(_sentence(line, lang) for line in lines).strip()
