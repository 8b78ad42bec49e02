"""Cross-channel identity: phone challenges (hashed codes) and verified conversation links.

Revision ID: 0002_identity
Revises: 0001_initial
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_api.models import UTCDateTime

revision = "0002_identity"
down_revision = "0001_initial"
branch_labels = ("identity",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_challenge",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("salt", sa.String(32), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("verified_at", UTCDateTime(), nullable=True),
    )
    op.create_index(
        "ix_identity_challenge_public_id", "identity_challenge", ["public_id"], unique=True
    )
    op.create_index("ix_identity_challenge_sender_id", "identity_challenge", ["sender_id"])
    op.create_index("ix_identity_challenge_phone", "identity_challenge", ["phone"])
    op.create_index("ix_identity_challenge_created_at", "identity_challenge", ["created_at"])
    op.create_table(
        "identity_link",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("verified_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_identity_link_sender_id", "identity_link", ["sender_id"])
    op.create_index("ix_identity_link_phone", "identity_link", ["phone"])


def downgrade() -> None:
    op.drop_index("ix_identity_link_phone", table_name="identity_link")
    op.drop_index("ix_identity_link_sender_id", table_name="identity_link")
    op.drop_table("identity_link")
    for column in ("created_at", "phone", "sender_id", "public_id"):
        op.drop_index(f"ix_identity_challenge_{column}", table_name="identity_challenge")
    op.drop_table("identity_challenge")
