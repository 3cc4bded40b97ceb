"""The dashboard's figures (crud/dashboard.py) and its pages, in-process on both databases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.crud import dashboard as dashboard_crud
from sync.hub.crud import scripts as scripts_crud
from sync.hub.db import session_scope
from sync.hub.models import Campaign, Household
from sync.hub.script_file import load_script_file
from tests.console.inprocess import Console
from tests.hub.conftest import Account, reserve
from tests.support.hub_process import REPO_ROOT
from tests.support.hub_seed import T0, Clock, SeededList, result_body, seed_list

GOTV = REPO_ROOT / "resources" / "scripts" / "gotv.yaml"


@dataclass
class Calls:
    seeded: SeededList
    val: Account
    bo: Account
    reservation: dict[str, Any]


@pytest.fixture
def calls(
    engine: Engine, client: TestClient, clock: Clock, make_user: Callable[..., Account]
) -> Calls:
    """10 households; Val holds 5 and sent 4 results: reached and answered, reached without
    an answer, no answer (a retry), a wrong number three hours earlier. Bo sent nothing."""
    seeded = seed_list(engine, households=10, list_size=5)
    with session_scope(engine) as session:
        scripts_crud.publish_script(session, seeded.campaign_id, load_script_file(GOTV))
    val, bo = make_user(name="Val Caller"), make_user(name="Bo Idle")
    reservation = reserve(client, val, seeded.list_id)
    contacts = reservation["contacts"]
    results = [
        result_body(contacts[0], reservation, answers={"support": "yes"}),
        result_body(contacts[1], reservation),
        result_body(contacts[2], reservation, disposition="no_answer"),
        result_body(
            contacts[3], reservation, disposition="wrong_number", ended_at=T0 - timedelta(hours=3)
        ),
    ]
    sent = client.post("/api/v1/results", json={"results": results}, headers=val.headers)
    assert sent.is_success, sent.text
    return Calls(seeded, val, bo, reservation)


def figures(engine: Engine, campaign_id: int, clock: Clock) -> dashboard_crud.Dashboard:
    with Session(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        return dashboard_crud.dashboard(session, campaign, clock.now)


def test_the_dashboard_counts_lists_funnel_hours_and_callers(
    engine: Engine, clock: Clock, calls: Calls
) -> None:
    seeded, val = calls.seeded, calls.val
    d = figures(engine, seeded.campaign_id, clock)
    assert d.calls_made == 4
    [ohio] = d.lists
    # 5 never handed out + the no-answer one back in the pool; 1 still in Val's list;
    # reached twice and a wrong number are finished.
    assert (ohio.households, ohio.left, ohio.held, ohio.done, ohio.retry) == (10, 6, 1, 3, 1)
    assert (d.funnel.attempts, d.funnel.reached, d.funnel.answered_first) == (4, 2, 1)
    assert d.funnel.first_question == "Can we count on your vote on Tuesday?"
    assert len(d.hours) == 24
    assert d.hours[-1].start == T0  # the current hour is the last bar
    assert [(h.start, h.calls) for h in d.hours if h.calls] == [
        (T0 - timedelta(hours=3), 1),
        (T0, 3),
    ]
    [caller] = d.volunteers  # Bo has neither calls nor a list
    assert (caller.id, caller.name, caller.calls, caller.reached) == (val.id, "Val Caller", 4, 2)
    assert caller.last_result_at == T0
    assert caller.holding == ["Ohio"]
    assert d.holding_now == 1


def test_a_day_later_old_calls_have_left_the_chart_and_the_expired_hold_is_gone(
    engine: Engine, clock: Clock, calls: Calls
) -> None:
    clock.advance(hours=23)
    d = figures(engine, calls.seeded.campaign_id, clock)
    assert sum(h.calls for h in d.hours) == 3  # the wrong number (3 h before T0) has left
    assert d.volunteers[0].calls == 4  # the totals keep it
    assert d.volunteers[0].holding == []  # the hold lasted an hour
    assert d.lists[0].held == 0


def test_a_finished_list_is_not_held_any_more(
    engine: Engine, client: TestClient, clock: Clock, calls: Calls
) -> None:
    # Val calls the list's last household (the reservation itself stays "active").
    last = calls.reservation["contacts"][4]
    done = result_body(last, calls.reservation, ended_at=clock.now)
    sent = client.post("/api/v1/results", json={"results": [done]}, headers=calls.val.headers)
    assert sent.is_success, sent.text
    d = figures(engine, calls.seeded.campaign_id, clock)
    assert d.volunteers[0].holding == []
    assert d.holding_now == 0
    assert d.lists[0].held == 0


def test_the_dashboard_page_and_its_live_part_show_the_figures(
    client: TestClient, organizer: Account, calls: Calls
) -> None:
    seeded = calls.seeded
    console = Console(client, organizer.email, organizer.password)
    home = console.get("/console/dashboard", follow_redirects=False)
    assert home.headers["location"] == f"/console/dashboard/{seeded.campaign_id}"
    page = console.get(f"/console/dashboard/{seeded.campaign_id}")
    assert page.status_code == 200
    assert 'data-figure="calls-made">4<' in page.text
    assert f'data-refresh="/console/dashboard/{seeded.campaign_id}/live"' in page.text
    assert "Val Caller" in page.text and "Holding Ohio" in page.text
    live = console.get(f"/console/dashboard/{seeded.campaign_id}/live")
    assert live.status_code == 200
    assert "<html" not in live.text  # a fragment, swapped into the page
    assert 'data-figure="calls-made">4<' in live.text
    assert '<svg class="chart"' in live.text
    assert live.text.count('<rect class="bar-rect') == 2  # two hours had calls


def test_an_unknown_campaign_is_a_404_page(client: TestClient, organizer: Account) -> None:
    console = Console(client, organizer.email, organizer.password)
    for path in ("/console/dashboard/99", "/console/dashboard/99/live", "/console/dashboard/0"):
        page = console.get(path)
        assert page.status_code == 404, path
        assert "<html" in page.text and "Traceback" not in page.text


def test_without_campaigns_the_dashboard_says_what_to_do(
    client: TestClient, organizer: Account
) -> None:
    console = Console(client, organizer.email, organizer.password)
    page = console.get("/console/dashboard")
    assert page.status_code == 200
    assert "No campaigns yet" in page.text


def test_list_figures_count_every_mix_of_state_hold_and_retry(engine: Engine) -> None:
    """Each household in one place: done (any other state than open), held now, waiting to
    be tried again (a retry time set, not held now) or left; an expired hold is no hold."""
    seeded = seed_list(engine, households=24)
    second = seed_list(engine, households=6, campaign_id=seeded.campaign_id, name="Texas")
    states = ["open", "open", "done", "bad"]
    holds = [None, T0 + timedelta(hours=1), T0 - timedelta(hours=1)]  # none, live, expired
    retries = [None, T0 + timedelta(hours=2)]
    with session_scope(engine) as session:
        households = session.exec(
            select(Household).where(Household.campaign_id == seeded.campaign_id)
        ).all()
        for n, household in enumerate(sorted(households, key=lambda h: h.id or 0)):
            household.state = states[n % 4]
            household.held_until = holds[n // 4 % 3]
            household.next_call_at = retries[n // 12 % 2]
            session.add(household)
    expected = {}
    for list_id, first, size in ((seeded.list_id, 0, 24), (second.list_id, 24, 6)):
        mix = [(states[n % 4], holds[n // 4 % 3], retries[n // 12 % 2])
               for n in range(first, first + size)]  # fmt: skip
        live = [(s, h is not None and h > T0, r) for s, h, r in mix]
        expected[list_id] = (
            size,
            sum(1 for s, held, _ in live if s == "open" and not held),
            sum(1 for s, held, _ in live if s == "open" and held),
            sum(1 for s, _, _ in live if s != "open"),
            sum(1 for s, held, r in live if s == "open" and not held and r is not None),
        )
    with Session(engine) as session:
        figures = dashboard_crud.list_figures(session, seeded.campaign_id, T0)
    assert {f.id: (f.households, f.left, f.held, f.done, f.retry) for f in figures} == expected
    assert expected[seeded.list_id] == (24, 8, 4, 12, 4)
