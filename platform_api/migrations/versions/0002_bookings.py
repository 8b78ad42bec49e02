"""Bookings, payments and partner data: venues, time slots, hotels, bookings, payments.

Revision ID: 0002_bookings
Revises: 0001_initial
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_api.models import UTCDateTime

revision = "0002_bookings"
down_revision = "0001_initial"
branch_labels = ("bookings",)
depends_on = None

TABLES = (
    "payment",
    "booking_visitor",
    "room_night",
    "booking",
    "time_slot",
    "room_type",
    "live_reading",
    "venue",
    "sandbox_order",
)


def upgrade() -> None:
    op.create_table(
        "sandbox_order",
        sa.Column("out_trade_no", sa.String(length=32), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("transaction_id", sa.String(length=64), nullable=True),
        sa.Column("paid_at", UTCDateTime(), nullable=True),
        sa.Column("refunded_fen", sa.Integer(), nullable=False),
        sa.Column("time_expire", UTCDateTime(), nullable=False),
        sa.Column("notify_url", sa.String(length=500), nullable=False),
        sa.Column("notify_body", sa.Text(), nullable=True),
        sa.Column("notify_attempts", sa.Integer(), nullable=False),
        sa.Column("notify_acknowledged", sa.Boolean(), nullable=False),
        sa.Column("next_notify_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("out_trade_no"),
    )
    op.create_table(
        "venue",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("near", sa.String(length=500), nullable=False),
        sa.Column("refund_cutoff_hours", sa.Integer(), nullable=False),
        sa.Column("refund_late_percent", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_venue_city"), "venue", ["city"], unique=False)
    op.create_index(op.f("ix_venue_kind"), "venue", ["kind"], unique=False)
    op.create_table(
        "live_reading",
        sa.Column("venue_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("observed_at", UTCDateTime(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venue.id"],
        ),
        sa.PrimaryKeyConstraint("venue_id", "kind"),
    )
    op.create_table(
        "room_type",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("hotel_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("max_guests", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hotel_id"],
            ["venue.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("hotel_id", "code", name="uq_room_type_hotel_code"),
    )
    op.create_index(op.f("ix_room_type_hotel_id"), "room_type", ["hotel_id"], unique=False)
    op.create_table(
        "time_slot",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("venue_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start", sa.String(length=5), nullable=False),
        sa.Column("end", sa.String(length=5), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.Column("prices", sa.JSON(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("reserved >= 0", name="ck_time_slot_reserved_nonnegative"),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venue.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("venue_id", "day", "start", name="uq_time_slot_venue_day_start"),
    )
    op.create_index(op.f("ix_time_slot_day"), "time_slot", ["day"], unique=False)
    op.create_index(op.f("ix_time_slot_venue_id"), "time_slot", ["venue_id"], unique=False)
    op.create_table(
        "booking",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("ticket", "hotel", name="booking_kind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("venue_id", sa.String(length=64), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=True),
        sa.Column("room_type_id", sa.Integer(), nullable=True),
        sa.Column("check_in", sa.Date(), nullable=True),
        sa.Column("check_out", sa.Date(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "held",
                "confirmed",
                "cancelled",
                "expired",
                name="booking_status",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("refund_fen", sa.Integer(), nullable=False),
        sa.Column("visit_start", UTCDateTime(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("transaction_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("paid_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_type_id"],
            ["room_type.id"],
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["time_slot.id"],
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venue.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    op.create_index(op.f("ix_booking_phone"), "booking", ["phone"], unique=False)
    op.create_index(op.f("ix_booking_reference"), "booking", ["reference"], unique=True)
    op.create_index(
        "ix_booking_status_expires_at", "booking", ["status", "expires_at"], unique=False
    )
    op.create_index(op.f("ix_booking_user_id"), "booking", ["user_id"], unique=False)
    op.create_index(op.f("ix_booking_venue_id"), "booking", ["venue_id"], unique=False)
    op.create_table(
        "room_night",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("room_type_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rooms", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.Column("price_fen", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("reserved >= 0", name="ck_room_night_reserved_nonnegative"),
        sa.ForeignKeyConstraint(
            ["room_type_id"],
            ["room_type.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("room_type_id", "day", name="uq_room_night_type_day"),
    )
    op.create_index(op.f("ix_room_night_day"), "room_night", ["day"], unique=False)
    op.create_index(
        op.f("ix_room_night_room_type_id"), "room_night", ["room_type_id"], unique=False
    )
    op.create_table(
        "booking_visitor",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("id_type", sa.String(length=16), nullable=False),
        sa.Column("id_number", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_booking_visitor_booking_id"), "booking_visitor", ["booking_id"], unique=False
    )
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("transaction_id", sa.String(length=64), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("refund_fen", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("paid_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider", "transaction_id", name="uq_payment_provider_transaction"),
    )
    op.create_index(op.f("ix_payment_booking_id"), "payment", ["booking_id"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
