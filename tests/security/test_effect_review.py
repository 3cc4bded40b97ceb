"""One volunteer's flood of wrong numbers or do-not-calls is held for an organizer.

300 fake `wrong_number` results used to make every household of a list uncallable for good,
and `do_not_call` would fill the global list. Past `REVIEW_AFTER_PER_HOUR` such effects from
one volunteer are stored as results but not applied: the households stay callable until an
organizer approves (applied then) or rejects (never) each one. On a real hub process.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.crud import effect_review
from sync.hub.db import session_scope
from sync.hub.models import DoNotCall, HeldEffect, Household
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.hub.conftest import Account
from tests.support.hub_process import HubProcess
from tests.support.hub_seed import T0, result_body, seed_list

LIMIT = effect_review.REVIEW_AFTER_PER_HOUR


def _post(url: str, token: str, body: object) -> tuple[int, Any]:
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {token}",
        PROTOCOL_HEADER: str(PROTOCOL_VERSION),
    }
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _states(engine: Engine, ids: list[int]) -> dict[int, str]:
    with Session(engine) as session:
        rows = session.exec(select(Household).where(Household.id.in_(ids)))  # type: ignore[union-attr]
        return {h.id: h.state for h in rows if h.id is not None}


def test_wide_effects_beyond_the_hourly_threshold_wait_for_an_organizer(
    database_url: str,
    engine: Engine,
    make_user: Callable[..., Account],
    hub_factory: Callable[..., HubProcess],
) -> None:
    n = LIMIT + 10
    seed_list(engine, households=n + 4, list_size=n + 4)
    volunteer, organizer = make_user(), make_user("organizer")
    hub = hub_factory(database_url)
    status, mine = _post(hub.api_url + "/reservations", volunteer.token, {"call_list_id": 1})
    assert status == 201, mine
    contacts = mine["contacts"]
    # In the order they were made (effects are applied in that order).
    made = [
        result_body(
            c,
            mine,
            disposition="wrong_number" if k < n else "do_not_call",
            script_version=0,
            ended_at=T0 + timedelta(seconds=k),
        )
        for k, c in enumerate(contacts)
    ]
    status, sent = _post(hub.api_url + "/results", volunteer.token, {"results": made})
    assert status == 201
    assert {o["status"] for o in sent["results"]} == {"created"}  # stored, never refused

    household = {c["id"]: int(c["household"]) for c in contacts}
    states = _states(engine, list(household.values()))
    applied = [household[c["id"]] for c in contacts[:LIMIT]]
    waiting = [household[c["id"]] for c in contacts[LIMIT:]]
    assert [states[h] for h in applied] == ["bad"] * LIMIT
    assert [states[h] for h in waiting] == ["open"] * (len(contacts) - LIMIT)
    with Session(engine) as session:
        assert session.exec(select(DoNotCall)).all() == []
        queue = effect_review.pending(session)
    assert [q.household_id for q in queue] == waiting
    assert [q.kind for q in queue] == ["bad_number"] * 10 + ["do_not_call"] * 4
    assert "held for review" in hub.log_text()

    # The organizer approves one of each kind and rejects the rest of the first.
    with session_scope(engine) as session:
        effect_review.decide(session, queue[0].id, organizer.id, approve=True)  # type: ignore[arg-type]
        effect_review.decide(session, queue[1].id, organizer.id, approve=False)  # type: ignore[arg-type]
        effect_review.decide(session, queue[-1].id, organizer.id, approve=True)  # type: ignore[arg-type]
    states = _states(engine, waiting)
    assert states[queue[0].household_id] == "bad"
    assert states[queue[1].household_id] == "open"
    assert states[queue[-1].household_id] == "dnc"
    with Session(engine) as session:
        assert [d.phone for d in session.exec(select(DoNotCall))] == [queue[-1].phone]
        assert len(effect_review.pending(session)) == len(queue) - 3
        decided = session.get(HeldEffect, queue[1].id)
        assert decided is not None and decided.status == "rejected"
        assert decided.decided_by == organizer.id
