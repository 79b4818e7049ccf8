"""link requests remember the chat user to link once the bank approves

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("link_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link_channel", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("link_user", sa.String(length=256), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("link_requests", schema=None) as batch_op:
        batch_op.drop_column("link_user")
        batch_op.drop_column("link_channel")
