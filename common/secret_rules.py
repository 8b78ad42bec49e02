"""What makes a configured secret unusable: the one rule every process applies at start."""

from __future__ import annotations

MIN_SECRET_LENGTH = 16
PLACEHOLDER_SECRETS: frozenset[str] = frozenset(
    {"changeme", "change-me", "change_me", "secret", "password", "token", "test", "dev", "none"}
)


def secret_problem(token: str | None) -> str | None:
    """Why ``token`` cannot be used as a secret (``"is not set"``, ...), or None when it can."""
    if token is None or not token.strip():
        return "is not set"
    if token.strip().lower() in PLACEHOLDER_SECRETS:
        return "is a placeholder"
    if len(token) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    return None


def require_secret(name: str, token: str | None) -> str:
    """``token`` when usable, else ValueError naming the variable ``name`` and the problem."""
    problem = secret_problem(token)
    if problem:
        raise ValueError(
            f"{name} {problem}: set a random secret of at least {MIN_SECRET_LENGTH} characters "
            "(`make run` generates local ones into var/secrets.env)"
        )
    return str(token)
