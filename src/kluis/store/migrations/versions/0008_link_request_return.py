"""link requests remember the platform page to send the browser back to

Messenger's account linking opens our link page with a `redirect_uri`; once the bank has
decided, the browser goes back there (with our authorisation code when it approved).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("link_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("return_uri", sa.String(length=1024), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("link_requests", schema=None) as batch_op:
        batch_op.drop_column("return_uri")
