"""Membership on the console's campaign page, in-process on SQLite and PostgreSQL: closing a
campaign, adding and removing members, and what volunteers' API then shows them."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.hub.crud import membership
from tests.hub.conftest import Account
from tests.hub.test_console_do_not_call import Organizer
from tests.support.hub_seed import seed_list


def campaigns_seen(client: TestClient, account: Account) -> list[int]:
    response = client.get("/api/v1/campaigns", headers=account.headers)
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()]


def members_shown(html: str) -> list[str]:
    return re.findall(r'<tr data-member="([^"]+)"', html)


def test_a_member_removed_from_a_closed_campaign_no_longer_sees_it(
    client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    campaign = seed_list(engine, households=3).campaign_id
    page = f"/console/campaigns/{campaign}"
    kept, removed = make_user(email="kept@example.org"), make_user(email="gone@example.org")
    outsider = make_user(email="outsider@example.org")
    organizer = Organizer(client, engine, make_user("organizer"))
    assert campaign in campaigns_seen(client, outsider)  # open: everyone

    shown = organizer.get(page)
    assert 'id="access-state">Open<' in shown.text
    closed = organizer.post(f"{page}/access", access="closed")
    assert closed.status_code == 200
    assert 'id="access-state">Closed<' in closed.text
    assert campaign not in campaigns_seen(client, outsider)

    added = organizer.post(f"{page}/members", emails="Kept@Example.org,\n gone@example.org")
    assert added.status_code == 200
    assert "Added kept@example.org, gone@example.org." in added.text
    assert members_shown(added.text) == ["gone@example.org", "kept@example.org"]
    assert campaign in campaigns_seen(client, kept)
    assert campaign in campaigns_seen(client, removed)

    gone = organizer.post(f"{page}/members/remove", email="gone@example.org")
    assert gone.status_code == 200
    assert "Removed gone@example.org. The campaign leaves their picker" in gone.text
    assert members_shown(gone.text) == ["kept@example.org"]
    assert campaign not in campaigns_seen(client, removed)
    assert campaign in campaigns_seen(client, kept)
    with Session(engine) as session:
        assert membership.members_of(session, campaign) == ["kept@example.org"]

    reopened = organizer.post(f"{page}/access", access="open")
    assert 'id="access-state">Open<' in reopened.text
    assert campaign in campaigns_seen(client, removed)


def test_unknown_emails_add_nobody_and_say_which(
    client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    campaign = seed_list(engine, households=3).campaign_id
    page = f"/console/campaigns/{campaign}"
    make_user(email="real@example.org")
    organizer = Organizer(client, engine, make_user("organizer"))

    refused = organizer.post(f"{page}/members", emails="real@example.org nobody@example.org")
    assert refused.status_code == 400
    assert "No account for nobody@example.org. Nobody was added." in unescape(refused.text)
    assert members_shown(refused.text) == []
    empty = organizer.post(f"{page}/members", emails=" , ")
    assert empty.status_code == 400
    assert "Type the email of an account to add." in empty.text
    not_member = organizer.post(f"{page}/members/remove", email="real@example.org")
    assert not_member.status_code == 404
    assert "real@example.org is not a member." in not_member.text
    bad = organizer.post(f"{page}/access", access="sideways")
    assert bad.status_code == 400
    assert (
        organizer.post("/console/campaigns/999/members", emails="real@example.org").status_code
        == 404
    )
