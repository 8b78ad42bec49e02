"""Staff authentication: a static bearer token compared in constant time."""

from __future__ import annotations

import hmac

from pydantic import SecretStr


def token_matches(presented: str, expected: SecretStr) -> bool:
    """True when ``presented`` equals the configured token (constant-time, UTF-8 safe)."""
    secret = expected.get_secret_value()
    if not secret:
        return False
    return hmac.compare_digest(presented.encode("utf-8"), secret.encode("utf-8"))
