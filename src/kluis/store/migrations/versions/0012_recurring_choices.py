"""recurring choices: the customer confirms or dismisses each recurring payment Kluis found

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recurring_choices",
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("payee", sa.String(length=160), nullable=False),
        sa.Column("choice", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id", "payee"),
    )


def downgrade() -> None:
    op.drop_table("recurring_choices")
