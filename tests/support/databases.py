"""Throwaway hub databases: a SQLite file, or a fresh PostgreSQL database per use."""

from __future__ import annotations

import atexit
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_ADMIN_URL = os.environ.get(
    "PHONEBANK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(_libpq(PG_ADMIN_URL), connect_timeout=3):
            return True
    except Exception:
        return False


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def require_postgres() -> None:
    """Skip without a server locally; in CI a missing server is a failure, not a skip."""
    if postgres_available():
        return
    if os.environ.get("CI"):
        pytest.fail("PostgreSQL at 127.0.0.1:5432 is required in CI but is not reachable")
    pytest.skip("PostgreSQL at 127.0.0.1:5432 not reachable (allowed only when CI is unset)")


_BASE_URL = PG_ADMIN_URL.rsplit("/", 1)[0]
_template: str | None = None  # a database at the newest schema, copied for each test


def _migrated_template() -> str:
    """Create (once per test process) a database at the newest schema to copy from.

    CREATE DATABASE ... TEMPLATE copies files, which is much cheaper than running the
    migrations for every test. The template is dropped when the test process exits.
    """
    global _template
    if _template is None:
        import psycopg

        from sync.hub import migrate
        from sync.hub.db import make_engine

        name = f"phonebank_tmpl_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(_libpq(PG_ADMIN_URL), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        engine = make_engine(f"{_BASE_URL}/{name}")
        migrate.upgrade(engine)
        engine.dispose()  # a template must have no open connections
        atexit.register(_drop, name)
        _template = name
    return _template


def _drop(name: str) -> None:
    import psycopg

    with psycopg.connect(_libpq(PG_ADMIN_URL), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def postgres_database(*, migrated: bool = True) -> Iterator[str]:
    """Create a database (at the newest schema, or empty), yield its URL, drop it after."""
    import psycopg

    require_postgres()
    name = f"phonebank_test_{uuid.uuid4().hex[:12]}"
    template = f' TEMPLATE "{_migrated_template()}"' if migrated else ""
    with psycopg.connect(_libpq(PG_ADMIN_URL), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{template}')
    try:
        yield f"{_BASE_URL}/{name}"
    finally:
        _drop(name)
