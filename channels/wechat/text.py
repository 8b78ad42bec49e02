"""Text for WeChat: Markdown stripped, buttons as numbered choices, the channel's own notices."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from common.languages import SUPPORTED_LANGUAGES

TEXTS_FILE = Path(__file__).with_name("texts.yml")
DEFAULT_LANGUAGE = "zh"
"""WeChat tells us no language: Chinese until the conversation has one."""

_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"(\*\*|__)(.+?)\1", re.DOTALL)
_ITALIC = re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])")
_CODE = re.compile(r"`{1,3}([^`]*)`{1,3}")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_BULLET = re.compile(r"^(\s*)[*+\-]\s+", re.MULTILINE)
_QUOTE = re.compile(r"^\s{0,3}>\s?", re.MULTILINE)
_RULE = re.compile(r"^\s*([-*_]\s*){3,}$", re.MULTILINE)
_BLANKS = re.compile(r"\n{3,}")
_DIGITS = re.compile(r"^\s*(\d{1,2})\s*[.。)）]?\s*$")


def strip_markdown(text: str) -> str:
    """Plain text for a WeChat bubble: links keep their text and URL, emphasis and headings go."""
    out = _LINK.sub(lambda m: f"{m.group(1)} {m.group(2)}" if m.group(1) else m.group(2), text)
    out = _CODE.sub(r"\1", out)
    out = _BOLD.sub(r"\2", out)
    out = _ITALIC.sub(r"\2", out)
    out = _RULE.sub("", out)
    out = _HEADING.sub("", out)
    out = _QUOTE.sub("", out)
    out = _BULLET.sub(r"\1• ", out)
    return _BLANKS.sub("\n\n", out).strip()


def render_choices(
    text: str, buttons: Sequence[Mapping[str, Any]], language: str
) -> tuple[str, dict[str, str]]:
    """``text`` followed by ``1. title`` lines, and the map ``{"1": payload, ...}``."""
    lines = [strip_markdown(text)] if text.strip() else []
    lines.append(notice("choose_number", language))
    choices: dict[str, str] = {}
    for number, button in enumerate(buttons, start=1):
        title = strip_markdown(str(button.get("title") or button.get("payload") or ""))
        choices[str(number)] = str(button.get("payload") or button.get("title") or "")
        lines.append(f"{number}. {title}")
    return "\n".join(lines), choices


def choice_number(text: str) -> str | None:
    """``"2"`` for a reply that is just a number ("2", " 2. ", "２" full-width), else ``None``."""
    match = _DIGITS.match(text.translate(_FULL_WIDTH))
    return str(int(match.group(1))) if match else None


_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))
    return {str(key): {str(k): str(v) for k, v in texts.items()} for key, texts in data.items()}


def notice(key: str, language: str | None, **values: object) -> str:
    """The channel's ``key`` text in ``language`` (Chinese when unknown)."""
    texts = _catalogue()[key]
    lang = language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE
    return texts.get(str(lang), texts[DEFAULT_LANGUAGE]).format(**values)
