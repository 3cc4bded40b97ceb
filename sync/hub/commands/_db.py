"""Open the hub database for a command, upgrading the schema first."""

from __future__ import annotations

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from sync.hub import migrate
from sync.hub.cli import CommandError
from sync.hub.core.config import Settings
from sync.hub.db import make_engine


def safe_url(url: str) -> str:
    """The database URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def open_database(settings: Settings) -> Engine:
    """A migrated engine; a wrong URL or unreachable server is a CommandError, not a traceback."""
    url = settings.resolved_database_url()
    try:
        engine = make_engine(url)
        migrate.upgrade(engine)
    except (SQLAlchemyError, ArgumentError, ImportError, OSError) as exc:
        first_line = (str(exc).splitlines() or [""])[0].removeprefix("(psycopg.OperationalError) ")
        raise CommandError(
            f"cannot open the database {safe_url(url)}: {type(exc).__name__}: {first_line}"
        ) from exc
    return engine
