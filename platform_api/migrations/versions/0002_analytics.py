"""Conversation events from Rasa's event broker.

Revision ID: 0002_analytics
Revises: 0001_initial
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_api.models import UTCDateTime

revision = "0002_analytics"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_event",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),
        sa.Column("conversation", sa.String(32), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("intent", sa.String(64), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("action", sa.String(64), nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
    )
    for column in ("conversation", "event", "intent", "language", "channel", "occurred_at"):
        op.create_index(f"ix_conversation_event_{column}", "conversation_event", [column])


def downgrade() -> None:
    op.drop_table("conversation_event")
