"""A real hub app served by uvicorn in a thread on 127.0.0.1 (fast to start), on a
migrated SQLite file, plus helpers to seed accounts, lists and scripts.

    def test_x(live_hub):
        hub = live_hub()                 # serving; hub.url, hub.engine, hub.app
        hub.add_volunteer("v@example.org")
        seeded = hub.seed(households=5)  # tests.support.hub_seed.seed_list
        hub.stop(); hub.start()          # same port, same database
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import select

from sync.hub import migrate, security
from sync.hub.crud import users as users_crud
from sync.hub.db import make_engine, session_scope
from sync.hub.main import create_app
from sync.hub.models import CallResult, DoNotCall
from tests.support import hub_seed
from tests.support.hub_process import free_port

if TYPE_CHECKING:
    from desktop.services.core import PhonebankCore

PASSWORD = "correct horse battery staple"
EMAIL = "vera@example.org"  # the volunteer the `hub` fixture adds
START_TIMEOUT = 15.0


@cache
def _password_hash() -> str:
    return security.hash_password(PASSWORD)


class LiveHub:
    def __init__(self, database_url: str) -> None:
        self.engine: Engine = make_engine(database_url)
        migrate.upgrade(self.engine)
        self.app = create_app(self.engine)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> LiveHub:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:  # start-up: poll with a deadline
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the in-thread hub did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=15)
        self._server = None
        self._thread = None

    def close(self) -> None:
        self.stop()
        self.engine.dispose()

    # ------------------------------------------------------------ data

    def add_volunteer(self, email: str, name: str = "Vera Volunteer") -> int:
        with session_scope(self.engine) as session:
            user = users_crud.create_user(
                session, email, name, "volunteer", password_hash=_password_hash()
            )
            session.flush()
            assert user.id is not None
            return user.id

    def token_for(self, email: str) -> str:
        with session_scope(self.engine) as session:
            user = users_crud.user_by_email(session, email)
            assert user is not None
            token, _ = users_crud.issue_token(session, user, "tests")
            return token

    def seed(self, **kwargs: Any) -> hub_seed.SeededList:
        seeded = hub_seed.seed_list(self.engine, **kwargs)
        hub_seed.add_script(self.engine, seeded.campaign_id, questions=("support", "issue"))
        return seeded

    def results(self) -> list[CallResult]:
        with session_scope(self.engine) as session:
            return list(session.exec(select(CallResult)).all())

    def dnc(self) -> set[str]:
        with session_scope(self.engine) as session:
            return {row.phone for row in session.exec(select(DoNotCall)).all()}


@pytest.fixture
def live_hub(tmp_path: Path) -> Iterator[Callable[[], LiveHub]]:
    hubs: list[LiveHub] = []

    def start() -> LiveHub:
        hub = LiveHub(f"sqlite:///{tmp_path / f'hub{len(hubs)}.db'}")
        hubs.append(hub)
        return hub.start()

    yield start
    for hub in hubs:
        hub.close()


@pytest.fixture
def live_hub_on(database_url: str) -> Iterator[Callable[[], LiveHub]]:
    """Like `live_hub`, on each database of the `database_url` fixture (SQLite, PostgreSQL)."""
    hubs: list[LiveHub] = []

    def start() -> LiveHub:
        assert not hubs, "one hub per database"
        hub = LiveHub(database_url)
        hubs.append(hub)
        return hub.start()

    yield start
    for hub in hubs:
        hub.close()


def signed_in_with_list(
    hub: LiveHub, core: PhonebankCore, households: int = 6
) -> tuple[int, list[int]]:
    """`core` signed in as EMAIL holding a fresh list of `households`: (list id, contact ids)."""
    seeded = hub.seed(households=households, list_size=households)
    core.sign_in(hub.url, EMAIL, PASSWORD)
    assert core.sync_once().ok
    outcome = core.request_names(seeded.list_id)
    assert outcome.kind == "reserved", outcome
    mine = core.my_list()
    assert mine is not None
    return seeded.list_id, [row.id for row in mine.rows]
