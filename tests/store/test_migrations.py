"""The migrations build exactly the tables the models describe, on SQLite and PostgreSQL:
a column added to a model without a migration (or the other way round) fails here."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kluis.store.database import Database, sync_url
from kluis.store.models import Base


def _differences(url: str) -> list[Any]:
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": False}
            )
            found = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    # alembic's own bookkeeping table is not a model
    return [diff for diff in found if "alembic_version" not in repr(diff)]


async def test_the_migrated_schema_is_the_models_schema(database: Database) -> None:
    assert _differences(database.url) == []
