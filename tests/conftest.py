"""Test-suite wiring shared by both environments.

``tests/bot`` and ``tests/channels/rasa`` need Rasa (run under .venv/rasa); every other folder needs
the application environment (.venv/app). Each interpreter collects only what it can import.
"""

from __future__ import annotations

import importlib.util
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

_IN_RASA_ENV = importlib.util.find_spec("rasa") is not None

if _IN_RASA_ENV:
    collect_ignore_glob = [
        d + "/*"
        for d in (
            "actions",
            "knowledge_base",
            "platform_api",
            "common",
            "e2e",
            "nlu_data",
            "scripts",
        )
    ] + ["channels/test_*"]
else:
    collect_ignore_glob = ["bot/*", "channels/rasa/*"]
