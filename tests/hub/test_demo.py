"""The demo: a campaign a volunteer can sign in to and call from at once, created once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from sync.hub.commands import demo
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import users as users_crud
from sync.hub.models import CallList, Campaign, Contact, Household, ScriptVersion, User
from tests.support.hub_process import run_hub_cli

FICTIONAL = re.compile(r"\+1(614|216|513|330|937|512|214|713|210|817|401|802)5550[1]\d\d")
EXPECTED_OUTPUT_TAIL = """\
  Ohio: 750 contacts
  Rhode Island: 250 contacts
  Texas: 750 contacts
  Vermont: 250 contacts
Sign in with:
  volunteer  volunteer@example.org  password: demo-volunteer
  organizer  organizer@example.org  password: demo-organizer
"""


def test_demo_creates_2000_fictional_contacts_in_4_lists_once(
    engine: Engine, database_url: str
) -> None:
    first = run_hub_cli(database_url, "demo")

    assert first.returncode == 0, first.stderr
    assert first.stdout == (
        'Created the demo campaign "Get out the vote — March 4" (id 1): 4 lists, '
        "2,000 contacts, script version 1.\n" + EXPECTED_OUTPUT_TAIL
    )
    with Session(engine) as session:
        campaign = session.exec(select(Campaign)).one()
        assert (campaign.name, campaign.goal) == ("Get out the vote — March 4", 10_000)
        assert (campaign.calling_hours_start, campaign.calling_hours_end) == ("00:00", "23:59")
        contacts = session.exec(
            select(Contact, CallList.name).join(CallList, col(CallList.id) == Contact.call_list_id)
        ).all()
        assert len(contacts) == 2000
        assert {c.phone for c, _ in contacts if not FICTIONAL.fullmatch(c.phone)} == set()
        zones = {(name, c.timezone) for c, name in contacts}
        assert zones == {
            ("Ohio", "America/New_York"),
            ("Texas", "America/Chicago"),
            ("Rhode Island", "America/New_York"),
            ("Vermont", "America/New_York"),
        }
        assert all(set(c.extra) == {"age", "precinct", "city"} for c, _ in contacts)
        sizes = session.exec(
            select(func.count()).select_from(Contact).group_by(col(Contact.household_id))
        ).all()
        assert set(sizes) == {1, 2, 3}
        assert sum(sizes) == 2000
        script = session.exec(select(ScriptVersion)).one()
        assert [q["id"] for q in script.questions][:2] == ["support", "issue"]
        roles = {u.email: u.role for u in session.exec(select(User))}
        assert roles == {
            "volunteer@example.org": "volunteer",
            "organizer@example.org": "organizer",
        }
        assert users_crud.authenticate(session, "volunteer@example.org", "demo-volunteer")

    again = run_hub_cli(database_url, "demo")

    assert again.returncode == 0, again.stderr
    assert again.stdout == (
        'The demo campaign "Get out the vote — March 4" already exists (id 1); '
        "nothing was added.\n" + EXPECTED_OUTPUT_TAIL
    )
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Campaign)).one() == 1
        assert session.exec(select(func.count()).select_from(Contact)).one() == 2000
        assert session.exec(select(func.count()).select_from(Household)).one() == 880


def test_the_demo_volunteer_signs_in_and_sees_the_lists(engine: Engine, client: TestClient) -> None:
    with Session(engine) as session:
        info = demo.create_demo(session)
        session.commit()
    assert (info.created, info.contacts, info.script_version) == (True, 2000, 1)

    login = client.post(
        "/api/v1/auth/login",
        json={"email": info.volunteer_email, "password": info.volunteer_password},
    )
    assert login.status_code == 200, login.text
    token = login.json()["token"]
    campaigns = client.get("/api/v1/campaigns", headers={"Authorization": f"Bearer {token}"})
    assert campaigns.status_code == 200
    [shown] = campaigns.json()
    assert shown["id"] == info.campaign_id
    assert sorted(lst["name"] for lst in shown["lists"]) == [
        "Ohio",
        "Rhode Island",
        "Texas",
        "Vermont",
    ]


def test_a_real_campaign_with_the_demo_name_is_not_mistaken_for_the_demo(engine: Engine) -> None:
    with Session(engine) as session:
        real_id = campaigns_crud.create_campaign(session, demo.CAMPAIGN_NAME, 500).id
        session.commit()
        info = demo.create_demo(session)
        session.commit()
        again = demo.create_demo(session)
        session.commit()
    assert info.created and info.campaign_id != real_id
    assert info.campaign_name == f"{demo.CAMPAIGN_NAME} (demo)"
    assert (again.created, again.campaign_id) == (False, info.campaign_id)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Campaign)).one() == 2


def test_missing_demo_files_are_a_clear_error_and_nothing_is_created(
    engine: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "RESOURCES", tmp_path)
    monkeypatch.setattr(demo, "SCRIPT_FILE", tmp_path / "scripts" / "gotv.yaml")
    done = run_hub_cli(database_url, "demo")
    assert done.returncode == 2
    assert done.stderr.startswith("error: the demo's data files are missing or unreadable")
    assert "Traceback" not in done.stderr
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Campaign)).one() == 0
        assert session.exec(select(func.count()).select_from(User)).one() == 0
