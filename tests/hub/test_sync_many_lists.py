"""Sync for a volunteer holding many lists: the same answer, at a cost that does not grow with
the number of lists (one sync used to run several queries per list and timed out at 75)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, or_, select

from sync.hub.crud.reservation_views import RECENT, reservation_public, reservation_status
from sync.hub.db import session_scope
from sync.hub.models import CallResult, Contact, Household, Reservation
from sync.protocol import ReservationStatus, SyncResponse
from tests.hub.conftest import Account, reserve
from tests.support.hub_seed import T0, Clock, add_script, result_body, seed_list

API = "/api/v1"
_names = itertools.count(1)


@contextmanager
def counting_statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement `engine` sends while the block runs."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def hold_lists(
    client: TestClient, engine: Engine, volunteer: Account, campaign_id: int, count: int
) -> list[dict[str, Any]]:
    """`count` lists of the campaign for `volunteer`: the first has a result (one person
    called, a housemate still to call), the second is given back, the third finished."""
    held = []
    for _ in range(count):
        seeded = seed_list(
            engine, households=3, members=2, campaign_id=campaign_id, name=f"List {next(_names)}"
        )
        held.append(reserve(client, volunteer, seeded.list_id))
    first, released, finished = held[0], held[1], held[2]
    results = [result_body(first["contacts"][0], first, script_version=1)]
    results += [result_body(c, finished, script_version=1) for c in finished["contacts"][::2]]
    response = client.post(f"{API}/results", json={"results": results}, headers=volunteer.headers)
    assert response.status_code == 201, response.text
    client.post(f"{API}/reservations/{released['id']}/release", headers=volunteer.headers)
    return held


def reservation_contacts(session: Session, reservation: Reservation) -> list[Contact]:
    """What sync sent for one reservation before it was batched (the reference): people of
    the households it was the last to be granted still to call, and those it already
    recorded a result for."""
    granted = select(Household.id).where(Household.reservation_id == reservation.id)
    called = select(CallResult.contact_id).where(
        CallResult.reservation_id == reservation.id,
        col(CallResult.contact_id).is_not(None),
    )
    query = (
        select(Contact)
        .where(
            col(Contact.household_id).in_(granted),
            or_(col(Contact.state) == "open", col(Contact.id).in_(called)),
        )
        .order_by(col(Contact.household_id), col(Contact.id))
    )
    return list(session.exec(query))


def reference_reservations(engine: Engine, volunteer_id: int, clock: Clock) -> list[Any]:
    """What sync reported before it was batched: each reservation on its own, by the
    per-reservation functions granting and releasing still use."""
    with session_scope(engine) as session:
        query = (
            select(Reservation)
            .where(
                Reservation.volunteer_id == volunteer_id,
                or_(
                    col(Reservation.expires_at) > clock.now - RECENT,
                    col(Reservation.ended_at) > clock.now - RECENT,
                ),
            )
            .order_by(col(Reservation.id))
        )
        out = []
        for reservation in session.exec(query):
            status = reservation_status(session, reservation, clock.now)
            active = status == ReservationStatus.active
            contacts = reservation_contacts(session, reservation) if active else []
            public = reservation_public(
                session, reservation, now=clock.now, contacts=contacts, status=status
            )
            out.append(public.model_dump(mode="json"))
        return out


def test_sync_costs_the_same_for_3_lists_as_for_30_and_says_the_same(
    client: TestClient,
    engine: Engine,
    make_user: Callable[..., Account],
    clock: Clock,
) -> None:
    campaign = seed_list(engine, households=1, list_size=3, cooldown_seconds=0, name="Seed")
    add_script(engine, campaign.campaign_id, version=1)
    few, many = make_user(), make_user()
    hold_lists(client, engine, few, campaign.campaign_id, 3)
    hold_lists(client, engine, many, campaign.campaign_id, 15)
    # Lists granted after version 2 came out need it; the earlier ones keep version 1.
    add_script(engine, campaign.campaign_id, version=2, created_at=T0 + timedelta(minutes=1))
    clock.advance(minutes=2)
    hold_lists(client, engine, many, campaign.campaign_id, 15)
    clock.advance(minutes=2)

    client.get(f"{API}/sync", headers=few.headers)  # the database's first sync sets its epoch
    answers, counts = {}, {}
    for account in (few, many):
        with counting_statements(engine) as statements:
            response = client.get(f"{API}/sync", headers=account.headers)
        assert response.status_code == 200, response.text
        answers[account.id] = SyncResponse.model_validate(response.json())
        counts[account.id] = len(statements)
        assert response.json()["reservations"] == reference_reservations(engine, account.id, clock)

    statuses = [r.status for r in answers[many.id].reservations]
    assert statuses.count(ReservationStatus.active) == 26  # 30 less 2 released, 2 finished
    assert sum(len(r.contacts) for r in answers[many.id].reservations) == 26 * 6
    assert [s.version for s in answers[many.id].scripts] == [1, 2]
    assert [s.version for s in answers[few.id].scripts] == [1, 2]
    assert counts[many.id] == counts[few.id]
