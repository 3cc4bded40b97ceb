"""SQLite hub: readers wait for no writer, and a write turn is never lost (sync/hub/db.py).

What the volunteers depend on: their token lookup is answered while a sign-in holds the
write lock (it used to queue behind it); a connection lost mid-transaction does not make
every later transaction wait for the busy timeout.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.hub.crud import users as users_crud
from sync.hub.db import read_only
from tests.hub.conftest import Account

WAIT = 10.0  # seconds a thread is given to finish: far more than any step here needs


@pytest.fixture
def sqlite_engine(engine: Engine) -> Engine:
    if engine.dialect.name != "sqlite":
        pytest.skip("the write lock and its turns are SQLite's")
    return engine


def test_a_token_lookup_is_answered_while_a_writer_holds_the_lock(
    sqlite_engine: Engine, volunteer: Account
) -> None:
    with Session(sqlite_engine) as writer:
        writer.execute(
            text("UPDATE users SET name = 'changing' WHERE id = :id"), {"id": volunteer.id}
        )
        found: list[str | None] = []

        def look_up() -> None:
            with Session(sqlite_engine) as reader:
                read_only(reader)
                user = users_crud.user_for_token(reader, volunteer.token)
                found.append(user.name if user else None)
                reader.commit()

        thread = threading.Thread(target=look_up)
        thread.start()
        thread.join(WAIT)
        assert not thread.is_alive() and found == [volunteer.user.name]  # the last commit
        writer.rollback()


def test_a_connection_lost_mid_transaction_gives_its_turn_back(sqlite_engine: Engine) -> None:
    lost = sqlite_engine.connect()
    lost.begin()
    lost.execute(text("SELECT 1"))
    lost.invalidate()  # as after a disk error: no COMMIT or ROLLBACK will come
    done = threading.Event()

    def write() -> None:
        with sqlite_engine.begin() as conn:
            conn.execute(text("INSERT INTO hub_meta (key, value) VALUES ('t', 'v')"))
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    assert done.wait(WAIT)
    thread.join(WAIT)
    lost.close()
