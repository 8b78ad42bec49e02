"""Tour-guide devices.

Revision ID: 0002_devices
Revises: 0001_initial
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_api.models import UTCDateTime

revision = "0002_devices"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guide_device",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("venue_id", sa.String(100), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("key_prefix", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_guide_device_key_hash", "guide_device", ["key_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_guide_device_key_hash", table_name="guide_device")
    op.drop_table("guide_device")
