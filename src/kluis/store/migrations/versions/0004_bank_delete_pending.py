"""bank deletes still owed, accounts dropped by narrowing, the anonymous erasure log

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "bank_delete_pending",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dropped_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "pending_bank_deletes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bank_url", sa.String(length=512), nullable=False),
        sa.Column("bank_consent_id_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "erasure_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("erased_on", sa.Date(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("bank_deletes_pending", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("erasure_log")
    op.drop_table("pending_bank_deletes")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("dropped_at")

    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_column("bank_delete_pending")
