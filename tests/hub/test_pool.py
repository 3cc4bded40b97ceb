"""The hub's PostgreSQL pool hands out only live connections, without a ping per request."""

from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import text

from sync.hub.db import make_engine
from tests.support.databases import PG_ADMIN_URL


@pytest.mark.postgres
def test_a_pooled_connection_the_server_ended_is_replaced_not_handed_out(
    postgres_url: str,
) -> None:
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as connection:
            ended = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as conn:
            # What a restore (DROP DATABASE ... WITH (FORCE)) or a server restart does.
            conn.execute("SELECT pg_terminate_backend(%s)", (ended,))
            gone = "SELECT 1 FROM pg_stat_activity WHERE pid = %s"
            while conn.execute(gone, (ended,)).fetchone() is not None:
                time.sleep(0.01)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != ended
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
