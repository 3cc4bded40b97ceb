"""The migrations build exactly the tables the hub's models describe, on SQLite and
PostgreSQL: a model changed without its migration would leave production databases (which
only ever run the migrations) without the column or index the code then uses."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import sync.hub.models  # noqa: F401  (registers the tables)
from sync.hub.migrate import alembic_config, in_models, initial_groups


def test_the_migrated_schema_is_the_models_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_as_batch": True, "include_object": in_models},
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_the_migrations_are_at_their_head(engine: Engine) -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert len(heads) == 1, f"the migrations branch: heads {heads}"
    assert tuple(current) == tuple(heads)


def test_every_table_has_its_place_in_the_initial_revisions() -> None:
    # `make migration-initial` writes one revision per group: a table left out of every
    # group would be missing from them (and from every database made by the migrations).
    groups = initial_groups()
    assert {table for _, tables in groups for table in tables} == set(SQLModel.metadata.tables)
