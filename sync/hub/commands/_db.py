"""Open the hub database for a command, upgrading the schema first."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from sync.hub import migrate
from sync.hub.core.config import Settings
from sync.hub.db import make_engine


def open_database(settings: Settings) -> Engine:
    engine = make_engine(settings.resolved_database_url())
    migrate.upgrade(engine)
    return engine
