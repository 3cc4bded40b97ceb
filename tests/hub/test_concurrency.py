"""Proof: concurrent volunteers never hold the same household at the same time.

Fifty clients (threads, each a volunteer with its own token) reserve again and again from one
small list through REAL `phonebank-hub serve` processes, some releasing as they go, while short
holds expire under them. Two checks:

1. From the responses: a household granted twice was free again (its earlier hold expired, or
   its holder had asked to release it) before the later grant was made.
2. From the database: no two rows of reservation_items for the same household have
   overlapping [granted_at, min(expires_at, released_at)) intervals, and fences grow.

Variants: SQLite with one hub, PostgreSQL with one hub, PostgreSQL with TWO hubs.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
import requests
from sqlalchemy import text
from sqlalchemy.engine import Engine

from sync.hub import migrate
from sync.hub.crud import users as users_crud
from sync.hub.db import make_engine, session_scope
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.hub.conftest import password_hash
from tests.support.databases import postgres_database
from tests.support.hub_process import HubProcess
from tests.support.hub_seed import seed_list

CLIENTS = 50
ROUNDS = 6
HOUSEHOLDS = 200
LIST_SIZE = 5
HOLD_SECONDS = 2  # short, so holds expire and households are re-granted during the run


@dataclass
class Grant:
    reservation_id: int
    fence: int
    created_at: datetime
    expires_at: datetime
    households: set[str]
    contacts: set[int]
    released_from: datetime | None = None  # when its holder started asking to release it


@dataclass
class Tally:
    grants: list[Grant] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _tokens(engine: Engine, count: int) -> list[str]:
    tokens = []
    with session_scope(engine) as session:
        for n in range(count):
            user = users_crud.create_user(
                session, f"caller{n}@example.org", f"Caller {n}", password_hash=password_hash()
            )
            token, _ = users_crud.issue_token(session, user, "load")
            tokens.append(token)
    return tokens


def _volunteer(
    index: int, token: str, urls: list[str], start: threading.Barrier, tally: Tally, list_id: int
) -> None:
    http = requests.Session()
    http.headers.update(
        {"Authorization": f"Bearer {token}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    )
    chooser = random.Random(index)
    start.wait()
    try:
        for round_ in range(ROUNDS):
            url = urls[(index + round_) % len(urls)]
            response = http.post(
                f"{url}/api/v1/reservations", json={"call_list_id": list_id}, timeout=60
            )
            with tally.lock:
                tally.statuses.append(response.status_code)
            if response.status_code != 201:
                continue
            body = response.json()
            grant = Grant(
                reservation_id=body["id"],
                fence=body["fence"],
                created_at=datetime.fromisoformat(body["created_at"]),
                expires_at=datetime.fromisoformat(body["expires_at"]),
                households={c["household"] for c in body["contacts"]},
                contacts={c["id"] for c in body["contacts"]},
            )
            if len(grant.contacts) != len(body["contacts"]):
                with tally.lock:
                    tally.errors.append(f"reservation {grant.reservation_id} repeats a contact")
            if chooser.random() < 0.4:
                grant.released_from = datetime.now(grant.created_at.tzinfo)
                released = http.post(
                    f"{url}/api/v1/reservations/{grant.reservation_id}/release", timeout=60
                )
                with tally.lock:
                    tally.statuses.append(released.status_code)
            with tally.lock:
                tally.grants.append(grant)
    except Exception as exc:  # reported by the test, not lost in a thread
        with tally.lock:
            tally.errors.append(f"client {index}: {exc!r}")


def _hammer(database_url: str, hubs: list[HubProcess], engine: Engine, list_id: int) -> Tally:
    tokens = _tokens(engine, CLIENTS)
    tally = Tally()
    start = threading.Barrier(CLIENTS)
    urls = [hub.url for hub in hubs]
    threads = [
        threading.Thread(target=_volunteer, args=(i, token, urls, start, tally, list_id))
        for i, token in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def _overlaps_in_responses(grants: list[Grant]) -> list[str]:
    by_household: dict[str, list[Grant]] = defaultdict(list)
    for grant in grants:
        for household in grant.households:
            by_household[household].append(grant)
    problems = []
    for household, held in by_household.items():
        held.sort(key=lambda g: g.fence)
        for earlier, later in itertools.pairwise(held):
            free_from = earlier.expires_at
            if earlier.released_from is not None:
                free_from = min(free_from, earlier.released_from)
            if later.created_at < free_from:
                problems.append(
                    f"household {household}: reservation {later.reservation_id} granted at "
                    f"{later.created_at} while {earlier.reservation_id} held it until {free_from}"
                )
            if later.created_at < earlier.created_at:
                problems.append(f"household {household}: fences out of grant order")
    return problems


OVERLAPS = text(
    """
    SELECT a.household_id, a.reservation_id, b.reservation_id
    FROM reservation_items a
    JOIN reservation_items b
      ON a.household_id = b.household_id AND a.id < b.id
    WHERE a.granted_at < (CASE WHEN b.released_at IS NOT NULL AND b.released_at < b.expires_at
                               THEN b.released_at ELSE b.expires_at END)
      AND b.granted_at < (CASE WHEN a.released_at IS NOT NULL AND a.released_at < a.expires_at
                               THEN a.released_at ELSE a.expires_at END)
    """
)
FENCES_OUT_OF_ORDER = text(
    """
    SELECT a.household_id FROM reservation_items a
    JOIN reservation_items b ON a.household_id = b.household_id
    WHERE a.granted_at < b.granted_at AND a.reservation_id > b.reservation_id
    """
)


def _prove(database_url: str, hub_count: int, hub_factory: Callable[..., HubProcess]) -> None:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    seeded = seed_list(
        engine,
        households=HOUSEHOLDS,
        members=2,
        list_size=LIST_SIZE,
        hold_seconds=HOLD_SECONDS,
        cooldown_seconds=0,
    )
    hubs = [hub_factory(database_url) for _ in range(hub_count)]

    tally = _hammer(database_url, hubs, engine, seeded.list_id)
    for hub in hubs:
        hub.stop()

    with engine.connect() as connection:
        overlaps = connection.execute(OVERLAPS).all()
        disorder = connection.execute(FENCES_OUT_OF_ORDER).all()
        items = connection.execute(text("SELECT count(*) FROM reservation_items")).scalar_one()
    engine.dispose()
    assert tally.errors == []
    assert set(tally.statuses) <= {200, 201, 409}, sorted(set(tally.statuses))
    assert len(tally.grants) >= CLIENTS  # the run really reserved, concurrently
    assert items == sum(len(g.households) for g in tally.grants)
    grants_per_household = Counter(h for g in tally.grants for h in g.households)
    assert max(grants_per_household.values()) > 1  # households really changed hands
    assert _overlaps_in_responses(tally.grants) == []
    assert overlaps == []
    assert disorder == []


def test_no_household_is_ever_held_twice_sqlite(
    tmp_path: Path, hub_factory: Callable[..., HubProcess]
) -> None:
    _prove(f"sqlite:///{tmp_path}/hub.db", 1, hub_factory)


@pytest.mark.postgres
def test_no_household_is_ever_held_twice_postgres(
    hub_factory: Callable[..., HubProcess],
) -> None:
    with postgres_database() as url:
        _prove(url, 1, hub_factory)


@pytest.mark.postgres
def test_no_household_is_ever_held_twice_two_hubs_one_postgres(
    hub_factory: Callable[..., HubProcess],
) -> None:
    with postgres_database() as url:
        _prove(url, 2, hub_factory)


def test_one_volunteer_asking_many_times_at_once_gets_one_list(
    database_url: str, engine: Engine, hub_factory: Callable[..., HubProcess]
) -> None:
    """The cooldown holds under a race: ten simultaneous requests, one list, nine 429s."""
    seeded = seed_list(engine, households=100, list_size=5, cooldown_seconds=600)
    (token,) = _tokens(engine, 1)
    hub = hub_factory(database_url)
    start = threading.Barrier(10)
    answers: list[tuple[int, str | None]] = []

    def ask() -> None:
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {token}"
        start.wait()
        response = http.post(
            f"{hub.url}/api/v1/reservations", json={"call_list_id": seeded.list_id}, timeout=60
        )
        answers.append((response.status_code, response.headers.get("Retry-After")))

    threads = [threading.Thread(target=ask) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(status for status, _ in answers) == [201] + [429] * 9
    assert all(int(wait or 0) > 0 for status, wait in answers if status == 429)
