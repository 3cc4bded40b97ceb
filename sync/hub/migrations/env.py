"""Alembic environment: the hub passes its engine in through `config.attributes`."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import sync.hub.models  # noqa: F401  (registers the tables)
from sync.hub.migrate import in_models

target_metadata = SQLModel.metadata
connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things
    compare_type=True,
    include_object=in_models,
)
with context.begin_transaction():
    context.run_migrations()
