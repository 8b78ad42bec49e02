"""WeChat Official Account channel (``channels.wechat.WeChatInput`` in ``credentials.yml``).

The Rasa-free parts (``crypto``, ``messages``, ``text``, ``store``) import without Rasa, so the
simulator and the application-environment tests use them too; ``WeChatInput`` (which needs Rasa) is
imported lazily when Rasa asks this package for it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["WeChatInput"]


def __getattr__(name: str) -> Any:
    """``WeChatInput`` on first access (Rasa's ``class_from_module_path`` does ``getattr``)."""
    if name == "WeChatInput":
        from channels.wechat.channel import WeChatInput

        return WeChatInput
    raise AttributeError(name)
