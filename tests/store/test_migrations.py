"""The migrations build exactly the tables the models describe, on SQLite and PostgreSQL:
a column added to a model without a migration (or the other way round) fails here. The
newest migration also goes down and up again."""

from __future__ import annotations

import asyncio
from typing import Any

import sqlalchemy as sa
from alembic import command
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


def _transaction_columns(url: str) -> set[str]:
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            return {column["name"] for column in sa.inspect(connection).get_columns("transactions")}
    finally:
        engine.dispose()


async def test_the_purpose_code_migration_goes_down_and_up_again(database: Database) -> None:
    config = database.alembic_config()
    assert "purpose_code" in _transaction_columns(database.url)

    await asyncio.to_thread(command.downgrade, config, "0012")
    assert "purpose_code" not in _transaction_columns(database.url)
    assert "merchant_category_code" in _transaction_columns(database.url)

    await asyncio.to_thread(command.upgrade, config, "head")
    assert _differences(database.url) == []
