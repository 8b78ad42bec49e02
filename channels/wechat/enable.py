"""``python -m channels.wechat.enable SRC DST``: ``SRC`` without the WeChat channel, into ``DST``.

``make run`` serves the WeChat channel only when ``WECHAT_TOKEN`` is set; otherwise Rasa gets this
copy of ``credentials.yml``, because Rasa refuses a credentials file with unset ``${VAR}`` values.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

WECHAT_SECTION = "channels.wechat.WeChatInput"


def without_wechat(source: Path, target: Path) -> None:
    """Write ``source`` minus the WeChat section to ``target`` (other sections unchanged)."""
    data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    data.pop(WECHAT_SECTION, None)
    target.parent.mkdir(parents=True, exist_ok=True)
    header = f"# Generated from {source.name} without {WECHAT_SECTION} (WECHAT_TOKEN is not set).\n"
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True) if data else ""
    target.write_text(header + body, encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m channels.wechat.enable SRC DST")
    without_wechat(Path(sys.argv[1]), Path(sys.argv[2]))
