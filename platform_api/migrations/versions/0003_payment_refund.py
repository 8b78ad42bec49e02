"""Refunds owed to tourists, retried until the payment provider accepts them.

Revision ID: 0003_payment_refund
Revises: 0002_bookings
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_api.models import UTCDateTime

revision = "0003_payment_refund"
down_revision = "0002_bookings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_refund",
        sa.Column("refund_no", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("transaction_id", sa.String(length=64), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("refund_no"),
    )
    op.create_index("ix_payment_refund_reference", "payment_refund", ["reference"])
    op.create_index("ix_payment_refund_status", "payment_refund", ["status"])


def downgrade() -> None:
    op.drop_index("ix_payment_refund_status", table_name="payment_refund")
    op.drop_index("ix_payment_refund_reference", table_name="payment_refund")
    op.drop_table("payment_refund")
