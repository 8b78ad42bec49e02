"""Knowledge-base settings, read from the environment once per process (on first use, not at import).

* ``KB_INDEX_DIR``: the index the retriever loads (default ``build/kb/current``); the platform API's
  ``PLATFORM_KB_INDEX_DIR`` overrides it for the platform process.
* ``KB_BUILD_ROOT``: where ``make kb`` writes index versions (default ``build/kb``).
* ``KB_ENCODER``: ``use`` (default), ``e5`` or ``hash`` (tests only).
* ``KB_E5_DIR``: the converted e5 model folder (default ``build/encoders/e5-small``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class KbSettings:
    """Where the knowledge base's index and encoders live, and which encoder answers."""

    index_dir: Path
    build_root: Path
    encoder: str
    e5_dir: Path


@lru_cache(maxsize=1)
def get_kb_settings() -> KbSettings:
    """The process-wide settings (tests call ``get_kb_settings.cache_clear()`` after changing env)."""
    build = REPO_ROOT / "build"
    return KbSettings(
        index_dir=Path(os.environ.get("KB_INDEX_DIR") or build / "kb" / "current"),
        build_root=Path(os.environ.get("KB_BUILD_ROOT") or build / "kb"),
        encoder=os.environ.get("KB_ENCODER") or "use",
        e5_dir=Path(os.environ.get("KB_E5_DIR") or build / "encoders" / "e5-small"),
    )
