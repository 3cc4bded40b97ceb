"""Schema migrations (Alembic), run by `serve` and every command that opens the database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from sync.hub import word_search

MIGRATIONS = Path(__file__).with_name("migrations")


def in_models(obj: object, name: str | None, type_: str, *_: object) -> bool:
    """Whether autogenerate compares this object: the trigram indexes are made by
    `word_search` where PostgreSQL can (not by the models), so never proposed for dropping."""
    return not (type_ == "index" and name in word_search.INDEXES)


def alembic_config(connection: object | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema. Safe to run from several processes."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two hub processes starting at once must not both create the tables.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(727274)")
        command.upgrade(alembic_config(connection), "head")


def make_revision(engine: Engine, message: str) -> None:
    """Autogenerate a revision against `engine` (a scratch database at head)."""
    with engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)
