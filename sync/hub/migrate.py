"""Schema migrations (Alembic), run by `serve` and every command that opens the database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from sync.hub import word_search

MIGRATIONS = Path(__file__).with_name("migrations")

# The initial schema as one revision per responsibility, in the order their foreign keys
# need (`make migration-initial` regenerates them from the models until the first release).
# A new table goes in the group it belongs to; `initial_groups` refuses one left out.
INITIAL_REVISIONS: tuple[tuple[str, frozenset[str]], ...] = (
    ("accounts", frozenset({
        "users", "api_tokens", "login_failures", "known_devices", "console_sessions",
        "hub_meta",
    })),
    ("campaigns", frozenset({
        "campaigns", "campaign_members", "script_versions", "script_drafts", "call_lists",
        "do_not_call", "do_not_call_changes", "contact_uploads",
    })),
    ("contacts and reservations", frozenset({
        "households", "contacts", "reservations", "reservation_items",
    })),
    ("results", frozenset({
        "call_results", "held_effects", "result_tallies", "choice_tallies", "cap_alerts",
    })),
    ("console", frozenset({"feedback", "feedback_reads", "starred_items"})),
)  # fmt: skip


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


def initial_groups() -> tuple[tuple[str, frozenset[str]], ...]:
    """INITIAL_REVISIONS, checked to name every table of the models exactly once."""
    import sync.hub.models  # noqa: F401  (registers the tables)

    named = [table for _, tables in INITIAL_REVISIONS for table in tables]
    models = set(SQLModel.metadata.tables)
    left_out, unknown = models - set(named), set(named) - models
    if left_out or unknown or len(named) != len(set(named)):
        raise ValueError(
            f"migrate.INITIAL_REVISIONS: tables not in a group {sorted(left_out)}, not in the"
            f" models {sorted(unknown)}, or named twice"
        )
    return INITIAL_REVISIONS


def make_initial_revisions(engine: Engine) -> None:
    """Autogenerate 0001..000N, one per group, against `engine` (an empty scratch database):
    each revision sees only its group's tables, then the database is brought to it."""
    for number, (message, tables) in enumerate(initial_groups(), start=1):
        with engine.begin() as connection:
            config = alembic_config(connection)
            config.attributes["only_tables"] = tables
            command.revision(config, message=message, autogenerate=True, rev_id=f"{number:04d}")
        upgrade(engine)
