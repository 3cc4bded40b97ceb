"""Language follow-up: volunteers have languages (organizers set them, and the volunteers
themselves); a language barrier that names the language heard sends the household back to
the pool for volunteers who speak it, and only to them (SQLite and PostgreSQL grants)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.hub.crud.export import export_results
from sync.hub.models import Contact, Household, User
from tests.hub.conftest import Account, reserve
from tests.hub.test_results import post, stored
from tests.support.hub_process import run_hub_cli
from tests.support.hub_seed import Clock, result_body, seed_list

API = "/api/v1"


def set_languages(client: TestClient, account: Account, languages: list[str]) -> list[str]:
    response = client.patch(
        f"{API}/auth/me", json={"languages": languages}, headers=account.headers
    )
    assert response.status_code == 200, response.text
    return list(response.json()["languages"])


def ask(client: TestClient, account: Account, list_id: int) -> tuple[int, dict[str, object]]:
    response = client.post(
        f"{API}/reservations", json={"call_list_id": list_id}, headers=account.headers
    )
    return response.status_code, response.json()


def test_a_language_barrier_goes_only_to_volunteers_who_speak_it(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=2, list_size=5)
    first, english_only, speaker = make_user(), make_user(), make_user()
    assert set_languages(client, speaker, ["es", "en"]) == ["es", "en"]
    reservation = reserve(client, first, seeded.list_id)
    person = next(c for c in reservation["contacts"] if c["id"] == seeded.contact_ids[0])
    body = result_body(
        person, reservation, disposition="language_barrier", script_version=0, heard_language="es"
    )
    assert post(client, first, body).json()["results"][0]["status"] == "created"

    assert stored(engine, body["id"]).heard_language == "es"
    with Session(engine) as session:
        household = session.get(Household, seeded.household_ids[0])
        contact = session.get(Contact, seeded.contact_ids[0])
        assert household is not None and contact is not None
        # Open again, for Spanish speakers, now: the first caller's hold on it ended.
        assert (household.state, household.language, contact.state) == ("open", "es", "open")
    # The other household is still held: nobody else but a Spanish speaker gets anything.
    status, refusal = ask(client, english_only, seeded.list_id)
    assert status == 409 and "speaks their language" in str(refusal["detail"])
    granted = reserve(client, speaker, seeded.list_id)
    assert [c["id"] for c in granted["contacts"]] == [seeded.contact_ids[0]]

    with Session(engine) as session:
        out = io.StringIO()
        export_results(session, seeded.campaign_id, out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["disposition"], row["heard_language"]) == ("language_barrier", "es")


def test_a_language_barrier_without_a_language_finishes_the_person_as_before(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=2, list_size=5)
    caller, speaker = make_user(), make_user()
    set_languages(client, speaker, ["es"])
    reservation = reserve(client, caller, seeded.list_id)
    person = next(c for c in reservation["contacts"] if c["id"] == seeded.contact_ids[0])
    body = result_body(person, reservation, disposition="language_barrier", script_version=0)
    post(client, caller, body)
    with Session(engine) as session:
        household = session.get(Household, seeded.household_ids[0])
        assert household is not None and (household.state, household.language) == ("done", None)
    assert ask(client, speaker, seeded.list_id)[0] == 409


def test_volunteers_set_their_own_languages_and_see_them_at_sign_in(
    client: TestClient, volunteer: Account
) -> None:
    assert client.get(f"{API}/auth/me", headers=volunteer.headers).json()["languages"] == []
    assert set_languages(client, volunteer, ["vi", "es", "vi"]) == ["vi", "es"]
    bad = client.patch(f"{API}/auth/me", json={"languages": ["Spanish"]}, headers=volunteer.headers)
    assert bad.status_code == 422
    assert client.get(f"{API}/auth/me", headers=volunteer.headers).json()["languages"] == [
        "vi",
        "es",
    ]
    assert client.patch(f"{API}/auth/me", json={"languages": []}).status_code == 401


def test_organizers_set_languages_from_the_command_line(
    database_url: str, engine: Engine, volunteer: Account
) -> None:
    done = run_hub_cli(database_url, "users", "languages", volunteer.email, "ES, en")
    assert (done.returncode, done.stdout) == (0, f"{volunteer.email} speaks: es, en\n")
    shown = run_hub_cli(database_url, "users", "languages", volunteer.email)
    assert shown.stdout == f"{volunteer.email} speaks: es, en\n"
    refused = run_hub_cli(database_url, "users", "languages", volunteer.email, "es,Spanish")
    assert refused.returncode == 2
    assert "'Spanish' is not a language code" in refused.stderr
    assert "Traceback" not in refused.stderr
    cleared = run_hub_cli(database_url, "users", "languages", volunteer.email, "")
    assert cleared.stdout == f"{volunteer.email} speaks: (no languages set)\n"
    with Session(engine) as session:
        user = session.get(User, volunteer.id)
        assert user is not None and user.languages == []
