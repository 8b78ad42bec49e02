"""Device API keys: random, shown once, stored as SHA-256 (keys are 256-bit random, so a fast
hash is enough; a slow password hash would only slow every request down)."""

from __future__ import annotations

import hashlib
import secrets

KEY_PREFIX = "gd_"


def new_key() -> str:
    """A fresh device API key."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    """SHA-256 hex of ``key`` (what the database stores and looks up)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
