"""The management pages' forms in-process (SQLite, PostgreSQL): what they refuse and say,
and what they change. The browser tests walk the main paths; these cover the rest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.console.auth import SESSION_COOKIE, csrf_token_for
from sync.hub.crud import console_sessions
from sync.hub.db import session_scope
from sync.hub.models import CallList, Campaign, Contact, ScriptDraft, User
from tests.hub.conftest import Account
from tests.support.hub_seed import seed_list


class Organizer:
    """The console as one signed-in organizer: GETs, and POSTs with the form's token."""

    def __init__(self, client: TestClient, engine: Engine, account: Account) -> None:
        with session_scope(engine) as session:
            user = session.get(User, account.id)
            assert user is not None
            self.cookie, _ = console_sessions.start_session(session, user)
        self.client, self.account = client, account
        client.cookies.set(SESSION_COOKIE, self.cookie)  # kept across the forms' redirects

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params=params)

    def post(self, path: str, data: dict[str, str] | None = None, **files: Any) -> Any:
        return self.client.post(
            path,
            data={**(data or {}), "csrf_token": csrf_token_for(self.cookie)},
            files=files or None,
            follow_redirects=True,
        )


@pytest.fixture
def ana(client: TestClient, engine: Engine, make_user: Callable[..., Account]) -> Organizer:
    return Organizer(client, engine, make_user("organizer", email="ana@example.org", name="Ana"))


def test_volunteers_added_one_and_many(ana: Organizer, engine: Engine) -> None:
    weak = ana.post(
        "/console/volunteers/add",
        {"name": "Bo Diaz", "email": "bo@example.org", "password": "bodiaz2024"},
    )
    assert weak.status_code == 400
    assert "The password is too short (10 characters; at least 12 are needed" in weak.text
    assert 'value="bo@example.org"' in weak.text  # the form keeps what was typed

    chosen = ana.post(
        "/console/volunteers/add",
        {"name": "Bo Diaz", "email": "Bo@Example.org", "password": "amber kettle orbit"},
    )
    assert chosen.status_code == 200
    assert "Added Bo Diaz (bo@example.org) as a volunteer." in chosen.text
    assert "Passwords to hand out" not in chosen.text  # typed by the organizer: not shown
    again = ana.post("/console/volunteers/add", {"name": "Bo", "email": "bo@example.org"})
    assert (
        again.status_code == 400 and "An account for bo@example.org already exists." in again.text
    )

    people = b"name,email,role\nCy Lee,cy@example.org,organizer\n,nobody@example.org,\n"
    imported = ana.post("/console/volunteers/import", file=("people.csv", people, "text/csv"))
    assert imported.status_code == 200
    assert "people.csv: added 1 account; 1 rows could not be added (below)." in imported.text
    assert '<td class="num">3</td><td>missing name</td>' in imported.text
    with Session(engine) as session:
        cy = session.exec(select(User).where(User.email == "cy@example.org")).one()
        assert cy.role == "organizer"
    assert imported.text.count('<code class="password">') == 1  # Cy's, shown this once

    refused = ana.post("/console/volunteers/import", file=("x.csv", b"first,last\n", "text/csv"))
    assert refused.status_code == 400
    assert "x.csv: line 1: the header row has no name or email column" in refused.text


def test_an_organizer_cannot_deactivate_themselves(ana: Organizer, engine: Engine) -> None:
    page = ana.post(f"/console/volunteers/{ana.account.id}/deactivate")
    assert page.status_code == 409
    assert "You cannot deactivate your own account: ask another organizer." in page.text
    with Session(engine) as session:
        me = session.get(User, ana.account.id)
        assert me is not None and me.active


def test_an_organizer_sets_the_languages_a_volunteer_speaks(
    ana: Organizer, engine: Engine, make_user: Callable[..., Account]
) -> None:
    ben = make_user("volunteer", email="ben@example.org", name="Ben")
    page = ana.post(f"/console/volunteers/{ben.id}/languages", {"languages": "ES, vi"})
    assert page.status_code == 200 and "Ben speaks es, vi." in page.text
    assert '<td class="small">es, vi</td>' in page.text  # the list shows them
    refused = ana.post(f"/console/volunteers/{ben.id}/languages", {"languages": "Spanish"})
    assert refused.status_code == 400
    assert "&#39;Spanish&#39; is not a language code" in refused.text
    with Session(engine) as session:
        user = session.get(User, ben.id)
        assert user is not None and user.languages == ["es", "vi"]


def test_reset_password_generates_one_and_signs_the_volunteer_out(
    ana: Organizer, client: TestClient, make_user: Callable[..., Account]
) -> None:
    ben = make_user("volunteer", email="ben@example.org", name="Ben")
    assert client.get("/api/v1/campaigns", headers=ben.headers).status_code == 200
    page = ana.post(f"/console/volunteers/{ben.id}/password", {"password": ""})
    assert "New password for Ben; signed out of 1 device." in page.text
    shown = page.text.split('<code class="password">')[1].split("</code>")[0]
    assert client.get("/api/v1/campaigns", headers=ben.headers).status_code == 401
    signin = client.post("/api/v1/auth/login", json={"email": "ben@example.org", "password": shown})
    assert signin.status_code == 200


def test_campaign_forms_say_what_is_wrong(ana: Organizer, engine: Engine) -> None:
    made = ana.post("/console/campaigns", {"name": "GOTV Ohio", "goal": "1000"})
    assert "Campaign created." in made.text
    duplicate = ana.post("/console/campaigns", {"name": "gotv ohio", "goal": "50"})
    assert duplicate.status_code == 400
    assert "There is already a campaign called &#39;gotv ohio&#39; (id 1)" in duplicate.text
    for form, message in (
        ({"name": "B", "goal": ""}, "Give the campaign&#39;s goal"),
        ({"name": "B", "goal": "ten"}, "Goal: &#39;ten&#39; is not a number."),
        ({"name": "B", "goal": "5", "list_size": "2.5"}, "List size must be a whole number"),
        ({"name": "B", "goal": "5", "hours_start": "21:00", "hours_end": "09:00"}, "after"),
    ):
        page = ana.post("/console/campaigns", form)
        assert page.status_code == 400 and message in page.text, form
    with Session(engine) as session:
        assert [c.name for c in session.exec(select(Campaign))] == ["GOTV Ohio"]

    edited = ana.post(
        "/console/campaigns/1",
        {"name": "GOTV Ohio", "goal": "1200", "hold_hours": "2", "cooldown_minutes": "0.5"},
    )
    assert "Saved: goal, hold, cooldown." in edited.text
    with Session(engine) as session:
        campaign = session.get(Campaign, 1)
        assert campaign is not None
        assert (campaign.goal, campaign.hold_seconds, campaign.cooldown_seconds) == (1200, 7200, 30)


def test_a_script_preview_walks_multiple_choice_and_free_text(
    ana: Organizer, engine: Engine
) -> None:
    seeded = seed_list(engine, households=2)
    script = (
        b"title: T\nintro: Hi {first_name} {last_name}\nquestions:\n"
        b"  - id: help\n    text: What would help?\n    kind: multi\n    options:\n"
        b"      - {value: ride, label: A ride}\n      - {value: info, label: Information}\n"
        b"  - id: why\n    text: Why?\n    kind: text\nclosing: Bye\n"
    )
    preview = ana.post(
        f"/console/scripts/{seeded.campaign_id}/upload", file=("t.yaml", script, "text/yaml")
    )
    assert preview.status_code == 200 and "Hi Maria Santos" in preview.text
    with Session(engine) as session:
        (draft,) = session.exec(select(ScriptDraft)).all()
    base = f"/console/scripts/drafts/{draft.id}"
    after_multi = ana.get(base, q="help", v=["ride", "info"])
    assert 'What would help? — <span class="a">A ride, Information</span>' in after_multi.text
    assert 'data-question="why"' in after_multi.text
    done = ana.get(base, step="help=ride|info", q="why", v="<b>schools</b>")
    assert 'Why? — <span class="a">&lt;b&gt;schools&lt;/b&gt;</span>' in done.text
    assert 'id="closing">Bye</div>' in done.text
    # An address that does not fit the script stops the walk where it stops fitting.
    stray = ana.get(base, step="why=skipped")
    assert 'data-question="help"' in stray.text
    empty = ana.post(
        f"/console/scripts/{seeded.campaign_id}/upload", file=("e.yaml", b"  \n", "text/yaml")
    )
    assert (
        empty.status_code == 400 and "e.yaml: the file is empty; nothing was stored" in empty.text
    )


def test_a_refused_contacts_file_imports_nothing(ana: Organizer, engine: Engine) -> None:
    seeded = seed_list(engine, households=1)
    refused = ana.post(
        f"/console/contacts/{seeded.campaign_id}/upload",
        file=("voters.csv", b"first_name,last_name\nAda,Lovelace\n", "text/csv"),
    )
    assert refused.status_code == 400
    assert "voters.csv: " in refused.text and "nothing was imported." in refused.text
    both = ana.post(
        f"/console/contacts/{seeded.campaign_id}/upload",
        {"list_name": "A", "list_column": "state"},
        file=("voters.csv", b"first_name,last_name,phone\n", "text/csv"),
    )
    assert both.status_code == 400 and "Give either a list name or a list column" in both.text
    assert ana.get("/console/contacts/uploads/999/rejects.csv").status_code == 404


def test_lists_are_merged_and_removed_from_the_campaign_page(
    ana: Organizer, engine: Engine
) -> None:
    ohio = seed_list(engine, households=3)
    texas = seed_list(engine, households=2, campaign_id=ohio.campaign_id, name="Texas")
    spare = seed_list(engine, households=1, campaign_id=ohio.campaign_id, name="Spare")
    page = ana.get(f"/console/campaigns/{ohio.campaign_id}")
    assert f'action="/console/campaigns/{ohio.campaign_id}/lists/{texas.list_id}/merge"' in (
        page.text
    )
    merged = ana.post(
        f"/console/campaigns/{ohio.campaign_id}/lists/{texas.list_id}/merge",
        {"into": str(ohio.list_id)},
    )
    assert "Merged Texas into Ohio: 2 contacts moved; their results stay." in merged.text
    removed = ana.post(f"/console/campaigns/{ohio.campaign_id}/lists/{spare.list_id}/remove")
    assert "Removed Spare: 1 uncalled contact deleted." in removed.text
    with Session(engine) as session:
        names = sorted(c.name for c in session.exec(select(CallList)))
        assert names == ["Ohio"]
        assert (
            len(session.exec(select(Contact).where(Contact.call_list_id == ohio.list_id)).all())
            == 5
        )
