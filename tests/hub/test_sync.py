"""Sync: what a laptop downloads, the epoch, and the cursor that detects a forgetful hub."""

from __future__ import annotations

import shutil
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.hub import migrate
from sync.hub.crud import users as users_crud
from sync.hub.crud.meta import get_epoch
from sync.hub.db import make_engine, session_scope
from sync.hub.main import create_app
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, SyncResponse
from tests.hub.conftest import Account, password_hash, reserve
from tests.support.hub_seed import T0, Clock, add_script, install_clock, result_body, seed_list

API = "/api/v1"


def sync(client: TestClient, account: Account, cursor: str | None = None) -> SyncResponse:
    params = {"cursor": cursor} if cursor is not None else {}
    response = client.get(f"{API}/sync", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return SyncResponse.model_validate(response.json())


def test_a_sync_carries_everything_the_laptop_needs(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=4, list_size=2)
    add_script(engine, seeded.campaign_id, version=1, questions=("support",))
    add_script(engine, seeded.campaign_id, version=2, questions=("support", "issue"))
    reservation = reserve(client, volunteer, seeded.list_id)
    result = result_body(reservation["contacts"][0], reservation, script_version=2)
    client.post(f"{API}/results", json={"results": [result]}, headers=volunteer.headers)

    body = sync(client, volunteer)

    assert not body.reset
    assert body.epoch and body.cursor.startswith(body.epoch + ".")
    assert [c.id for c in body.campaigns] == [seeded.campaign_id]
    assert [(s.campaign_id, s.version) for s in body.scripts] == [(seeded.campaign_id, 2)]
    assert [q.id for q in body.scripts[0].questions] == ["support", "issue"]
    assert [(r.id, r.status) for r in body.reservations] == [(reservation["id"], "active")]
    assert {c.id for c in body.reservations[0].contacts} == {
        c["id"] for c in reservation["contacts"]
    }
    progress = body.progress[str(seeded.campaign_id)]
    assert (progress.goal, progress.calls_made, progress.mine) == (1000, 1, 1)
    assert body.server_time == T0
    assert body.dnc == []


def test_a_laptop_keeps_the_script_version_its_list_was_granted_with(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=4, list_size=2)
    add_script(engine, seeded.campaign_id, version=1)
    reserve(client, volunteer, seeded.list_id)
    add_script(engine, seeded.campaign_id, version=2, created_at=T0 + timedelta(minutes=5))
    clock.advance(minutes=10)

    body = sync(client, volunteer)

    assert [s.version for s in body.scripts] == [1, 2]
    clock.advance(days=2)  # the list expired: only the newest version is needed
    assert [s.version for s in sync(client, volunteer).scripts] == [2]


def test_the_cursor_is_kept_until_the_hub_forgets(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=4, list_size=2)
    first = sync(client, volunteer)
    reservation = reserve(client, volunteer, seeded.list_id)
    client.post(
        f"{API}/results",
        json={"results": [result_body(reservation["contacts"][0], reservation, script_version=0)]},
        headers=volunteer.headers,
    )

    second = sync(client, volunteer, first.cursor)  # an older cursor of this hub: fine
    epoch, results_seen, reservations_seen, mark = second.cursor.split(".")

    assert not second.reset
    assert second.epoch == first.epoch
    assert second.cursor != first.cursor
    assert not sync(client, volunteer, second.cursor).reset
    assert not sync(client, volunteer, "").reset  # the first sync of a laptop
    stale = [
        "garbage",
        "a.b.c",
        f"{epoch}.1",
        f"{epoch}.-1.0.{mark}",
        f"{epoch}.{results_seen}.{reservations_seen}",  # the fingerprint is missing
        f"{epoch}.{results_seen}.{reservations_seen}.000000000000",  # other rows now
        f"0123456789abcdef.{results_seen}.{reservations_seen}.{mark}",  # another hub's epoch
        f"{epoch}.{int(results_seen) + 1}.{reservations_seen}.{mark}",  # ahead: restored
        f"{epoch}.{results_seen}.{int(reservations_seen) + 1}.{mark}",
        f"{epoch}.{2**70}.{reservations_seen}.{mark}",
        "x" * 5000,
    ]
    for cursor in stale:
        assert sync(client, volunteer, cursor).reset, cursor


def test_a_hub_restored_from_an_older_backup_tells_laptops_to_start_over(
    tmp_path: Path,
) -> None:
    live_path, backup_path = tmp_path / "live.db", tmp_path / "backup.db"
    live = make_engine(f"sqlite:///{live_path}")
    migrate.upgrade(live)
    app = create_app(live)
    install_clock(app)
    with TestClient(app) as client:
        client.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
        seeded = seed_list(live, households=4, list_size=2)
        volunteer = _account_in(live)
        sync(client, volunteer)  # the epoch exists before the backup
        live.dispose()
        for suffix in ("", "-wal"):
            if Path(f"{live_path}{suffix}").exists():
                shutil.copy(f"{live_path}{suffix}", f"{backup_path}{suffix}")
        reservation = reserve(client, volunteer, seeded.list_id)
        after = sync(client, volunteer)
    backup = make_engine(f"sqlite:///{backup_path}")
    with TestClient(create_app(backup)) as restored:
        restored.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
        body = sync(restored, volunteer, after.cursor)
    backup.dispose()
    live.dispose()

    assert body.reset
    assert body.epoch == after.epoch  # same database, older contents
    assert reservation["id"] not in [r.id for r in body.reservations]


def _account_in(engine: Engine) -> Account:
    with session_scope(engine) as session:
        user = users_crud.create_user(
            session, "restore@example.org", "Restore", "volunteer", password_hash=password_hash()
        )
        token, _ = users_crud.issue_token(session, user, "tests")
    return Account(user=user, token=token, email="restore@example.org")


def test_the_epoch_is_made_once_even_when_processes_race(database_url: str) -> None:
    engines = [make_engine(database_url) for _ in range(4)]
    migrate.upgrade(engines[0])
    barrier = threading.Barrier(len(engines))
    epochs: list[str] = []

    def read(engine: Engine) -> None:
        barrier.wait()
        with Session(engine) as session:
            epochs.append(get_epoch(session))
            session.commit()

    threads = [threading.Thread(target=read, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()

    assert len(epochs) == 4 and len(set(epochs)) == 1


def test_laptops_hear_of_do_not_call_numbers_they_hold(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    first = seed_list(engine, households=1)
    second = seed_list(engine, households=1, phones=first.phones)  # same person, other campaign
    holder, caller = make_user(), make_user()
    held = reserve(client, holder, first.list_id)
    called = reserve(client, caller, second.list_id)
    assert sync(client, holder).dnc == []

    client.post(
        f"{API}/results",
        json={
            "results": [
                result_body(
                    called["contacts"][0], called, disposition="do_not_call", script_version=0
                )
            ]
        },
        headers=caller.headers,
    )

    assert sync(client, holder).dnc == [held["contacts"][0]["phone"]]
    assert sync(client, make_user()).dnc == []  # only laptops that hold the number


def test_ended_reservations_are_reported_without_contacts(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=4, list_size=2, cooldown_seconds=0)
    released = reserve(client, volunteer, seeded.list_id)
    client.post(f"{API}/reservations/{released['id']}/release", headers=volunteer.headers)
    finished = reserve(client, volunteer, seeded.list_id)
    results = [result_body(c, finished, script_version=0) for c in finished["contacts"]]
    client.post(f"{API}/results", json={"results": results}, headers=volunteer.headers)

    body = sync(client, volunteer)

    assert [(r.id, r.status, r.contacts) for r in body.reservations] == [
        (released["id"], "released", []),
        (finished["id"], "finished", []),
    ]
    clock.advance(days=8)
    assert sync(client, volunteer).reservations == []


def test_counting_a_volunteers_results_grows_linearly_with_them(
    engine: Engine, volunteer: Account
) -> None:
    """A volunteer with thousands of results: their "mine" count is part of every sync. It
    was quadratic on SQLite (4.5 s of one sync after 5,000 results); measured here in SQLite
    VM steps, which do not depend on the machine's speed."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's VM step counter")
    from sqlalchemy import insert

    from sync.hub.crud.sync import _my_results_by_campaign
    from sync.hub.models import CallResult

    def steps_for(count: int) -> int:
        with session_scope(engine) as session:
            session.execute(
                insert(CallResult),
                [
                    {"id": str(uuid.uuid4()), "campaign_id": 1, "volunteer_id": volunteer.id,
                     "disposition": "no_answer", "answers": {}, "notes": "", "content_hash": "x",
                     "started_at": T0,
                     "ended_at": T0}
                    for _ in range(count)
                ],
            )  # fmt: skip
        counter = [0]
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            raw.set_progress_handler(lambda: counter.__setitem__(0, counter[0] + 1) or 0, 100)
            with Session(bind=conn) as session:
                mine = _my_results_by_campaign(session, volunteer.id)
            raw.set_progress_handler(None, 0)
        assert sum(mine.values()) >= count
        return counter[0]

    small = steps_for(500)  # 500 results
    large = steps_for(1500)  # 2,000 results: 4x as many
    assert large < 6 * small, (small, large)  # quadratic is ~16x (15,130 -> 240,520 steps)
