"""Complaints, case history, evidence, outbox, staff accounts/sessions/audit; handoff columns.

Revision ID: 0002_complaints_staff
Revises: 0001_initial
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_api.models import UTCDateTime

revision = "0002_complaints_staff"
down_revision = "0001_initial"
branch_labels = ("complaints_staff",)
depends_on = None


def _schema() -> str | None:
    """The schema a ``schema_translate_map`` puts unqualified tables in (tests), else None.

    Alembic's ALTER TABLE statements do not go through the map, so they name it explicitly.
    """
    options = op.get_bind().get_execution_options()
    schema: str | None = (options.get("schema_translate_map") or {}).get(None)
    return schema


def upgrade() -> None:
    op.create_table(
        "reference_counter",
        sa.Column("prefix", sa.String(24), primary_key=True),
        sa.Column("last", sa.Integer(), nullable=False),
    )
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("venue_id", sa.String(100), nullable=True),
        sa.Column("merchant", sa.String(200), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("amount_fen", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(128), nullable=False),
        sa.Column("booking_references", sa.String(500), nullable=False),
        sa.Column("escalation_reference", sa.String(32), nullable=True),
        sa.Column("transcript", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("assigned_to", sa.String(64), nullable=True),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("resolve_due_at", UTCDateTime(), nullable=False),
        sa.Column("first_reply_at", UTCDateTime(), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("erased_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_complaint_reference", "complaint", ["reference"], unique=True)
    for column in (
        "category",
        "venue_id",
        "language",
        "channel",
        "user_id",
        "status",
        "assigned_to",
        "due_at",
        "created_at",
    ):
        op.create_index(f"ix_complaint_{column}", "complaint", [column])
    op.create_table(
        "complaint_evidence",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("complaint_id", sa.Integer(), sa.ForeignKey("complaint.id"), nullable=False),
        sa.Column("url", sa.String(1000), nullable=True),
        sa.Column("stored_name", sa.String(100), nullable=True),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_complaint_evidence_complaint_id", "complaint_evidence", ["complaint_id"])
    op.create_table(
        "case_entry",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("case_reference", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("visible_to_tourist", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_case_entry_case_reference", "case_entry", ["case_reference"])
    op.create_index("ix_case_entry_created_at", "case_entry", ["created_at"])
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_outbox_message_sender_id", "outbox_message", ["sender_id"])
    op.create_index("ix_outbox_message_delivered_at", "outbox_message", ["delivered_at"])
    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_login_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_staff_user_username", "staff_user", ["username"], unique=True)
    op.create_table(
        "staff_session",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("staff_user.id"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_staff_session_token_hash", "staff_session", ["token_hash"], unique=True)
    op.create_index("ix_staff_session_user_id", "staff_session", ["user_id"])
    op.create_table(
        "staff_audit",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_staff_audit_at", "staff_audit", ["at"])
    op.create_index("ix_staff_audit_actor", "staff_audit", ["actor"])
    with op.batch_alter_table("escalation", schema=_schema()) as batch:
        batch.add_column(sa.Column("transcript", sa.Text(), nullable=False, server_default="[]"))
        batch.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("in_office_hours", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("first_reply_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("ended_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("ended_by", sa.String(64), nullable=True))
        batch.create_index("ix_escalation_active", ["active"])


def downgrade() -> None:
    with op.batch_alter_table("escalation", schema=_schema()) as batch:
        batch.drop_index("ix_escalation_active")
        for column in ("ended_by", "ended_at", "first_reply_at", "in_office_hours", "active"):
            batch.drop_column(column)
        batch.drop_column("transcript")
    for table in (
        "staff_audit",
        "staff_session",
        "staff_user",
        "outbox_message",
        "case_entry",
        "complaint_evidence",
        "complaint",
        "reference_counter",
    ):
        op.drop_table(table)
