"""Caps on the lists one volunteer may take from a campaign per hour and per rolling day
(campaign policy, 0 = no cap), in-process on SQLite and PostgreSQL: past a cap the hub
answers 429 saying which cap and when more names may come; given-back lists still count."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import cap_alerts
from sync.hub.db import session_scope
from sync.hub.models import CapAlert
from tests.hub.conftest import Account, reserve
from tests.support.hub_seed import Clock, seed_list


def set_caps(engine: Engine, campaign_id: int, per_hour: int, per_day: int) -> None:
    with session_scope(engine) as session:
        campaign = campaigns_crud.get_campaign(session, campaign_id)
        assert campaign is not None
        campaigns_crud.update_campaign(
            session, campaign, max_lists_per_hour=per_hour, max_lists_per_day=per_day
        )


def ask(client: TestClient, account: Account, list_id: int) -> tuple[int, dict[str, object], str]:
    response = client.post(
        "/api/v1/reservations", json={"call_list_id": list_id}, headers=account.headers
    )
    return response.status_code, response.json(), response.headers.get("Retry-After", "")


def test_lists_past_the_hourly_and_daily_caps_are_refused_with_when(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=40, list_size=2, cooldown_seconds=0)
    set_caps(engine, seeded.campaign_id, per_hour=2, per_day=3)
    volunteer, other = make_user(), make_user()

    first = reserve(client, volunteer, seeded.list_id)
    released = client.post(f"/api/v1/reservations/{first['id']}/release", headers=volunteer.headers)
    assert released.status_code < 300, released.text  # given back: it still counts
    clock.advance(seconds=1)
    reserve(client, volunteer, seeded.list_id)
    clock.advance(seconds=1)
    status, body, retry_after = ask(client, volunteer, seeded.list_id)
    assert status == 429
    assert body["detail"] == (
        "You have had 2 lists from 'Campaign Ohio' in the last hour, the most its organizers "
        "allow. "
        "You can ask for more names in 60 minutes."
    )
    assert retry_after == str(3600 - 2) == str(body["retry_after"])
    # Someone else is not held back by it.
    reserve(client, other, seeded.list_id)

    clock.advance(seconds=3600 - 2 + 1)  # the first list has left the hour
    reserve(client, volunteer, seeded.list_id)  # the third today
    clock.advance(seconds=1)
    status, body, retry_after = ask(client, volunteer, seeded.list_id)
    assert status == 429
    assert "3 lists from 'Campaign Ohio' in the last 24 hours" in str(body["detail"])
    assert "in 23 hours" in str(body["detail"])
    assert retry_after == str(24 * 3600 - 3602)

    clock.advance(seconds=24 * 3600 - 3602)  # a day after the first: one more may come
    reserve(client, volunteer, seeded.list_id)


def test_no_cap_by_default_and_caps_are_checked(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=30, list_size=2, cooldown_seconds=0)
    for _ in range(6):
        reserve(client, volunteer, seeded.list_id)
        clock.advance(seconds=1)
    with session_scope(engine) as session:
        campaign = campaigns_crud.get_campaign(session, seeded.campaign_id)
        assert campaign is not None
        for caps, message in (
            ({"max_lists_per_hour": -1}, "lists per hour must be between 0 (no cap)"),
            ({"max_lists_per_day": 10_001}, "lists per day must be between 0 (no cap)"),
            (
                {"max_lists_per_hour": 5, "max_lists_per_day": 2},
                "lists per day (2) cannot be fewer than lists per hour (5)",
            ),
        ):
            with pytest.raises(campaigns_crud.CampaignError, match=re.escape(message)):
                campaigns_crud.update_campaign(session, campaign, **caps)


def test_an_organizer_sets_a_cap_on_the_campaign_page(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    from tests.hub.test_console_do_not_call import Organizer

    seeded = seed_list(engine, households=20, list_size=2, cooldown_seconds=0)
    volunteer = make_user()
    organizer = Organizer(client, engine, make_user("organizer"))
    saved = organizer.post(
        f"/console/campaigns/{seeded.campaign_id}", lists_per_hour="1", lists_per_day="4"
    )
    assert saved.status_code == 200
    assert "Saved: lists per hour, lists per day." in saved.text
    assert 'name="lists_per_hour" value="1"' in saved.text
    refused = organizer.post(f"/console/campaigns/{seeded.campaign_id}", lists_per_day="-3")
    assert refused.status_code == 400
    assert "Lists per day must be between 0 (no cap) and 10,000, got -3." in refused.text

    reserve(client, volunteer, seeded.list_id)
    clock.advance(seconds=60)
    status, body, _ = ask(client, volunteer, seeded.list_id)
    assert status == 429
    assert "1 list from 'Campaign Ohio' in the last hour" in str(body["detail"])
    assert "in 59 minutes" in str(body["detail"])


def test_refusals_by_a_cap_are_counted_for_organizers_once_per_volunteer_cap_and_hour(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=40, list_size=2, cooldown_seconds=0)
    set_caps(engine, seeded.campaign_id, per_hour=1, per_day=0)
    volunteer, other = make_user(), make_user()
    reserve(client, volunteer, seeded.list_id)
    reserve(client, other, seeded.list_id)
    for _ in range(2):
        clock.advance(seconds=60)
        assert ask(client, volunteer, seeded.list_id)[0] == 429
    clock.advance(seconds=3600)  # the next hour: a new list, then one more refusal
    reserve(client, volunteer, seeded.list_id)
    assert ask(client, volunteer, seeded.list_id)[0] == 429

    with Session(engine) as session:
        rows = session.exec(select(CapAlert).order_by(col(CapAlert.hour))).all()
        assert [(r.volunteer_id, r.cap, r.refusals) for r in rows] == [
            (volunteer.id, "hour", 2),
            (volunteer.id, "hour", 1),
        ]
        alerts = cap_alerts.recent(session, clock.now, campaign_id=seeded.campaign_id)
    assert [(a.volunteer_name, a.what, a.refusals) for a in alerts] == [
        (volunteer.user.name, "1 list per hour", 3)
    ]
    clock.advance(hours=25)  # shown for a day
    with Session(engine) as session:
        assert cap_alerts.recent(session, clock.now) == []
