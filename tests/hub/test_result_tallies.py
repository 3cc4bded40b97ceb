"""The dashboard's running totals (crud/result_tallies): kept as results are stored, they
equal a recount of the results after every kind of write — corrections in and out of order,
quarantined results, resent batches, another volunteer naming someone else's result."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import dashboard, result_tallies
from sync.hub.models import CallResult, Campaign, ResultTally
from tests.hub.conftest import Account, reserve
from tests.support.hub_seed import T0, Clock, add_script, result_body, seed_list

API = "/api/v1"


def post(client: TestClient, account: Account, *results: dict[str, Any]) -> None:
    response = client.post(
        f"{API}/results", json={"results": list(results)}, headers=account.headers
    )
    assert response.status_code in (200, 201, 409), response.text


def tallies(engine: Engine, campaign_id: int) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        rows = session.exec(select(ResultTally).where(ResultTally.campaign_id == campaign_id)).all()
        return sorted((t.kind, t.key, t.volunteer_id, t.n, t.last_at) for t in rows)


def recounted(engine: Engine, campaign_id: int) -> list[tuple[Any, ...]]:
    """The tallies `rebuild` makes from the results, rolled back afterwards."""
    with Session(engine) as session:
        result_tallies.rebuild(session, campaign_id)
        rows = session.exec(select(ResultTally).where(ResultTally.campaign_id == campaign_id)).all()
        counted = sorted((t.kind, t.key, t.volunteer_id, t.n, t.last_at) for t in rows)
        session.rollback()
        return counted


def calls_made_directly(engine: Engine, campaign_id: int) -> int:
    """The counted results less those a correction of the same volunteer replaces, by SQL
    over the results (how `calls_made` was counted before the tallies)."""
    with Session(engine) as session:
        counted = session.exec(
            select(func.count()).where(
                CallResult.campaign_id == campaign_id, col(CallResult.quarantined).is_(False)
            )
        ).one()
        old = aliased(CallResult)
        replaced = session.exec(
            select(func.count(func.distinct(old.id)))
            .select_from(CallResult)
            .join(old, col(old.id) == col(CallResult.supersedes))
            .where(
                CallResult.campaign_id == campaign_id,
                col(CallResult.quarantined).is_(False),
                old.campaign_id == campaign_id,
                col(old.quarantined).is_(False),
                old.volunteer_id == CallResult.volunteer_id,
            )
        ).one()
        return int(counted) - int(replaced)


def test_tallies_equal_a_recount_after_every_kind_of_write(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=8, list_size=4)
    cid = seeded.campaign_id
    add_script(engine, cid, questions=("support", "issue"))
    caller, other = make_user(), make_user()
    mine, theirs = reserve(client, caller, seeded.list_id), reserve(client, other, seeded.list_id)
    clock.advance(hours=3)
    a, b, c, d = mine["contacts"][:4]

    def body(contact: dict[str, Any], hours: float, **fields: Any) -> dict[str, Any]:
        reservation = theirs if contact in theirs["contacts"] else mine
        return result_body(contact, reservation, ended_at=T0 + timedelta(hours=hours), **fields)

    first = body(a, 0.5, answers={"support": "yes", "issue": None})
    batches: list[tuple[Account, list[dict[str, Any]]]] = [
        (caller, [first, body(b, 1.2, disposition="no_answer"), body(c, 1.5, disposition="busy")]),
        # A correction of the first call: the first no longer counts toward the calls made.
        (caller, [body(a, 2.1, answers={"support": "no"}, supersedes=first["id"])]),
        # A second correction of the same call takes nothing more away.
        (caller, [body(a, 2.2, answers={"issue": "rent"}, supersedes=first["id"])]),
        # Not held by this volunteer: quarantined, counted nowhere.
        (caller, [body(theirs["contacts"][0], 2.3)]),
        # Another volunteer naming the caller's call: quarantined, the call still counts.
        (other, [body(theirs["contacts"][1], 2.4, supersedes=first["id"])]),
    ]
    original = body(d, 2.5, answers={"support": "undecided"})
    correction = body(d, 2.6, disposition="refused", supersedes=original["id"])
    batches += [
        (caller, [correction]),  # the correction arrives before the call it corrects
        (caller, [original]),
        (caller, [first, original]),  # a batch sent again: duplicates, counted once
    ]
    for account, results in batches:
        post(client, account, *results)
        assert tallies(engine, cid) == recounted(engine, cid)
        expected = calls_made_directly(engine, cid)
        with Session(engine) as session:
            assert campaigns_crud.calls_made(session, cid) == expected

    # 3 + 2 corrections + d's two, less the two calls replaced (the first and d's original).
    with Session(engine) as session:
        assert campaigns_crud.calls_made(session, cid) == 3 + 2 + 2 - 2
        campaign = session.get(Campaign, cid)
        assert campaign is not None
        figures = dashboard.dashboard(session, campaign, clock())
    assert (figures.funnel.attempts, figures.funnel.reached, figures.funnel.answered_first) == (
        7,
        4,
        3,  # support answered: first, its first correction, d's original; null is not
    )
    by_hour = {bar.start: bar.calls for bar in figures.hours if bar.calls}
    assert by_hour == {T0: 1, T0 + timedelta(hours=1): 2, T0 + timedelta(hours=2): 4}
    callers = {v.id: (v.calls, v.reached) for v in figures.volunteers}
    assert callers[caller.id] == (7, 4)
    assert callers.get(other.id, (0, 0)) == (0, 0)  # no counted call
