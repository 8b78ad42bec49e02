"""Alembic migrations of the platform database (``alembic upgrade heads``, run at start-up)."""
