"""alerts: the customer's alert rules and quiet hours, every alert given, the fraud
engine's learned state

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_rules",
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("threshold_minor", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id", "kind"),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("dedupe_key", sa.String(length=128), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("transaction_id", sa.Integer(), nullable=True),
        sa.Column("card_id", sa.String(length=64), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("body_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("handoff_reference", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deliver_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_id", "kind", "dedupe_key"),
    )
    op.create_index("ix_alerts_customer_created", "alerts", ["customer_id", "created_at"])
    op.create_index("ix_alerts_status_due", "alerts", ["status", "deliver_after"])
    op.create_table(
        "fraud_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("transactions_seen", sa.BigInteger(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("customer_preferences", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alert_quiet_start", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("alert_quiet_end", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("alert_daily_limit", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customer_preferences", schema=None) as batch_op:
        batch_op.drop_column("alert_daily_limit")
        batch_op.drop_column("alert_quiet_end")
        batch_op.drop_column("alert_quiet_start")
    op.drop_table("fraud_state")
    op.drop_index("ix_alerts_status_due", table_name="alerts")
    op.drop_index("ix_alerts_customer_created", table_name="alerts")
    op.drop_table("alerts")
    op.drop_table("alert_rules")
