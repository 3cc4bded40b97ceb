"""Shared hub fixtures: a migrated database, the app in-process, accounts with tokens.

def test_x(client, make_user):
    volunteer = make_user()                     # role volunteer, a fresh token
    client.get("/api/v1/campaigns", headers=volunteer.headers)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from sync.hub import migrate
from sync.hub.crud import users as users_crud
from sync.hub.crud.campaigns import create_campaign
from sync.hub.db import make_engine, session_scope
from sync.hub.main import create_app
from sync.hub.models import User
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.support.hub_process import hub_factory  # noqa: F401  (a fixture for hub tests)
from tests.support.hub_seed import Clock, install_clock

PASSWORD = "correct horse battery staple"


@cache
def password_hash() -> str:
    """The test password's hash, made once with cheap argon2 parameters.

    argon2 is slow on purpose (~0.2 s a check here); a hash carries its own parameters, so
    logins of test accounts are checked cheaply while the hub's own hashing is unchanged.
    """
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A hub database at the newest schema (SQLite file, then PostgreSQL)."""
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def hub_app(engine: Engine) -> FastAPI:
    return create_app(engine)


@pytest.fixture
def client(hub_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(hub_app, raise_server_exceptions=False) as client:
        client.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
        yield client


@dataclass
class Account:
    user: User
    token: str
    email: str
    password: str = PASSWORD

    @property
    def id(self) -> int:
        assert self.user.id is not None
        return self.user.id

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


_numbers = itertools.count(1)


@pytest.fixture
def make_user(engine: Engine) -> Callable[..., Account]:
    """Create an account with a live token: `make_user(role="organizer", email=..., name=...)`."""

    def make(role: str = "volunteer", email: str | None = None, name: str = "") -> Account:
        email = email or f"{role}{next(_numbers)}@example.org"
        with session_scope(engine) as session:
            user = users_crud.create_user(
                session, email, name or email.split("@")[0], role, password_hash=password_hash()
            )
            token, _ = users_crud.issue_token(session, user, "tests")
        return Account(user=user, token=token, email=email)

    return make


@pytest.fixture
def volunteer(make_user: Callable[..., Account]) -> Account:
    return make_user("volunteer")


@pytest.fixture
def organizer(make_user: Callable[..., Account]) -> Account:
    return make_user("organizer")


@pytest.fixture
def clock(hub_app: FastAPI) -> Clock:
    """The hub's clock, under the test's control (see tests/support/hub_seed.py)."""
    return install_clock(hub_app)


def reserve(client: TestClient, account: Account, list_id: int) -> dict[str, Any]:
    """Reserve from `list_id` as `account`; the test fails unless the hub grants a list."""
    response = client.post(
        "/api/v1/reservations", json={"call_list_id": list_id}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.fixture
def campaign_id(engine: Engine) -> int:
    """A campaign to import voter files into (tests/hub/test_voter_files_*.py)."""
    with session_scope(engine) as session:
        campaign = create_campaign(session, "Voter files", 1000)
        assert campaign.id is not None
        return campaign.id
