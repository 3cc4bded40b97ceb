"""The console's Review page, in-process on SQLite and PostgreSQL: the wrong numbers and
do-not-calls held because one volunteer sent too many in an hour, each approved (applied
then) or rejected (never), one by one or all of a volunteer's at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.crud import effect_review
from sync.hub.models import DoNotCall, HeldEffect, Household
from tests.hub.conftest import Account, reserve
from tests.hub.test_console_do_not_call import Organizer
from tests.support.hub_seed import T0, result_body, seed_list

PAGE = "/console/review"
LIMIT = effect_review.REVIEW_AFTER_PER_HOUR


def flood(
    client: TestClient, engine: Engine, volunteer: Account, wrong: int, dnc: int = 0
) -> list[HeldEffect]:
    """`volunteer` sends LIMIT + `wrong` wrong numbers then `dnc` do-not-calls in one go:
    the ones past the threshold are held. Returns what waits, oldest first."""
    size = LIMIT + wrong + dnc
    listed = seed_list(engine, households=size, list_size=size)
    mine = reserve(client, volunteer, listed.list_id)
    results = [
        result_body(
            c,
            mine,
            disposition="wrong_number" if k < LIMIT + wrong else "do_not_call",
            script_version=0,
            ended_at=T0 + timedelta(seconds=k),
        )
        for k, c in enumerate(mine["contacts"])
    ]
    sent = client.post("/api/v1/results", json={"results": results}, headers=volunteer.headers)
    assert sent.status_code == 201, sent.text
    with Session(engine) as session:
        return [h for h in effect_review.pending(session) if h.volunteer_id == volunteer.id]


def state(engine: Engine, household_id: int) -> str:
    with Session(engine) as session:
        household = session.get(Household, household_id)
        assert household is not None
        return household.state


def rows(html: str) -> list[str]:
    return re.findall(r'<tr data-held="(\d+)"', html)


def test_nothing_waiting_shows_no_badge(
    client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    organizer = Organizer(client, engine, make_user("organizer"))
    page = organizer.get(PAGE)
    assert page.status_code == 200
    assert "Nothing is waiting for review." in page.text
    assert 'id="nav-review-count"' not in page.text
    assert ">Review</a>" in page.text  # in the nav


def test_held_effects_are_listed_with_names_and_approved_or_rejected(
    client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    volunteer, account = make_user(name="Pat Flood"), make_user("organizer")
    organizer = Organizer(client, engine, account)
    held = flood(client, engine, volunteer, wrong=3, dnc=1)
    assert [h.kind for h in held] == ["bad_number"] * 3 + ["do_not_call"]

    page = organizer.get(PAGE)
    assert page.status_code == 200
    assert rows(page.text) == [str(h.id) for h in held]
    assert "Pat Flood" in page.text and "wrong number" in page.text
    assert "do not call" in page.text
    # The badge on every page's nav, here and on the dashboard.
    badge = re.compile(r'id="nav-review-count"[^>]*>4<')
    assert badge.search(page.text)
    assert badge.search(organizer.get("/console/campaigns").text)

    first, second, dnc = held[0], held[1], held[3]
    approved = organizer.post(f"{PAGE}/{first.id}", decision="approve")
    assert approved.status_code == 200
    assert f"Approved for {first.phone}" in approved.text
    assert re.search(r'id="nav-review-count"[^>]*>3<', approved.text)  # counted after
    assert state(engine, first.household_id) == "bad"
    rejected = organizer.post(f"{PAGE}/{second.id}", decision="reject")
    assert "the household stays callable" in rejected.text
    assert state(engine, second.household_id) == "open"
    organizer.post(f"{PAGE}/{dnc.id}", decision="approve")
    with Session(engine) as session:
        assert [d.phone for d in session.exec(select(DoNotCall))] == [dnc.phone]
        decided = session.get(HeldEffect, second.id)
        assert decided is not None
        assert (decided.status, decided.decided_by) == ("rejected", account.id)

    after = organizer.get(PAGE)
    assert rows(after.text) == [str(held[2].id)]
    assert re.search(r'id="nav-review-count"[^>]*>1<', after.text)
    # Deciding twice changes nothing.
    again = organizer.post(f"{PAGE}/{second.id}", decision="approve")
    assert "already rejected; nothing changed" in again.text
    assert state(engine, second.household_id) == "open"


def test_all_of_one_volunteer_at_once_leaves_the_others(
    client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    flooder, other = make_user(name="Flo"), make_user(name="Oz")
    organizer = Organizer(client, engine, make_user("organizer"))
    mine = flood(client, engine, flooder, wrong=5)
    theirs = flood(client, engine, other, wrong=2)
    page = organizer.get(PAGE)
    assert re.search(rf'data-volunteer="{flooder.id}">\s*<td>Flo', page.text)

    done = organizer.post(f"{PAGE}/volunteer/{flooder.id}", decision="reject")
    assert "Rejected all 5 of Flo's held effects" in unescape(done.text)
    assert {state(engine, h.household_id) for h in mine} == {"open"}
    assert rows(done.text) == [str(h.id) for h in theirs]

    done = organizer.post(f"{PAGE}/volunteer/{other.id}", decision="approve")
    assert "Approved all 2 of Oz's held effects" in unescape(done.text)
    assert {state(engine, h.household_id) for h in theirs} == {"bad"}
    assert "Nothing is waiting for review." in done.text


def test_bad_decisions_and_unknown_ids_are_clear_pages(
    client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    organizer = Organizer(client, engine, make_user("organizer"))
    assert organizer.post(f"{PAGE}/999", decision="approve").status_code == 404
    assert organizer.post(f"{PAGE}/volunteer/999", decision="approve").status_code == 404
    refused = organizer.post(f"{PAGE}/1", decision="apply everything")
    assert refused.status_code == 400
    assert "Traceback" not in refused.text
