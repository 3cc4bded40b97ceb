"""Alembic environment: the hub passes its engine in through `config.attributes`."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlmodel import SQLModel

import sync.hub.models  # noqa: F401  (registers the tables)
from sync.hub.migrate import in_models

target_metadata = SQLModel.metadata
connection = context.config.attributes["connection"]
# `make migration-initial` writes one revision per group of tables (migrate.py).
only_tables = context.config.attributes.get("only_tables")


def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if not in_models(obj, name, type_):
        return False
    if only_tables is None:
        return True
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in only_tables


context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things
    compare_type=True,
    include_object=include,
)
with context.begin_transaction():
    context.run_migrations()
