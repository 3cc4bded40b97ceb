"""Campaign membership: a closed campaign is seen and called for only by its members (and
organizers); an open one by every volunteer.

What organizers depend on: a volunteer outside a closed campaign learns nothing of it (its
name, lists, voters, extra fields, script) from any route the hub serves, cannot reserve
from its lists, and is told "not found" exactly as for an id that does not exist. Routes
are walked from the app's own list (tests/security/routes.py), so a new one is covered.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from sync.hub.crud import membership
from sync.hub.db import session_scope
from sync.hub.models import Campaign, Contact, ScriptVersion
from sync.protocol import API_PREFIX, PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.hub.conftest import Account, reserve
from tests.security.routes import ORGANIZER_ONLY, fresh_headers, private_endpoints
from tests.security.test_another_volunteer import unique_names
from tests.support.hub_process import HubProcess, run_hub_cli
from tests.support.hub_seed import Clock, SeededList, add_script, seed_list


def closed_campaign(engine: Engine) -> tuple[SeededList, set[str]]:
    """A closed campaign with names found nowhere else, and those names."""
    tag = uuid.uuid4().hex[:8]
    seeded = seed_list(engine, households=6, members=2, list_size=3, name=f"Secret{tag}")
    add_script(engine, seeded.campaign_id)
    unique_names(engine, seeded.contact_ids)
    secrets = {f"Secret{tag}"}
    with session_scope(engine) as session:
        campaign = session.get(Campaign, seeded.campaign_id)
        assert campaign is not None
        campaign.open = False
        session.add(campaign)
        for version in session.exec(
            select(ScriptVersion).where(ScriptVersion.campaign_id == seeded.campaign_id)
        ):
            version.title = f"ScriptTitle{tag}"
            session.add(version)
        for contact in session.exec(
            select(Contact).where(Contact.campaign_id == seeded.campaign_id)
        ):
            secrets |= {contact.first_name, contact.last_name, contact.extra["note"]}
    return seeded, secrets | {f"ScriptTitle{tag}"}


def script_id_of(engine: Engine, campaign_id: int) -> int:
    with session_scope(engine) as session:
        version = session.exec(
            select(ScriptVersion).where(ScriptVersion.campaign_id == campaign_id)
        ).one()
        assert version.id is not None
        return version.id


def test_a_volunteer_outside_a_closed_campaign_learns_nothing_of_it_on_any_route(
    hub_app: FastAPI,
    client: TestClient,
    engine: Engine,
    make_user: Callable[..., Account],
    clock: Clock,
) -> None:
    seeded, secrets = closed_campaign(engine)
    open_list = seed_list(engine, households=4, name="Everyone")
    outsider, member, organizer = make_user(), make_user(), make_user("organizer")
    with session_scope(engine) as session:
        membership.add_members(session, seeded.campaign_id, [member.email])
    script_id = script_id_of(engine, seeded.campaign_id)
    path_values = {"reservation_id": 1, "campaign_id": seeded.campaign_id, "script_id": script_id}
    bodies: dict[str, dict[str, Any]] = {
        "ReservationRequest": {"call_list_id": seeded.list_id},
        "ResultsIn": {"results": []},
        "FeedbackIn": {"campaign_id": seeded.campaign_id, "text": "hello"},
        "LanguagesIn": {"languages": ["es"]},  # one's own languages: nobody else's to aim at
    }
    schema = hub_app.openapi()
    answers: dict[str, Any] = {}
    leaks: dict[str, set[str]] = {}
    for method, path in private_endpoints(hub_app):
        operation = schema["paths"][path][method.lower()]
        names = re.findall(r"\{([^}]+)\}", path)
        assert all(n in path_values for n in names), f"{method} {path}: teach this test {names}"
        body = None
        if "requestBody" in operation:
            ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            body = bodies[ref.rsplit("/", 1)[-1]]
        url = path.format(**{n: path_values[n] for n in names})
        response = client.request(method, url, json=body, headers=fresh_headers(engine, outsider))
        assert response.status_code < 500, (method, path, response.text)
        found = {secret for secret in secrets if secret in response.text}
        if found:
            leaks[f"{method} {path}"] = found
        answers[f"{method} {path}"] = response
    assert leaks == {}
    # The refusals say "not found", as for an id that does not exist.
    reservation = answers[f"POST {API_PREFIX}/reservations"]
    assert reservation.status_code == 404
    assert reservation.json()["detail"] == f"There is no call list with id {seeded.list_id}."
    assert answers[f"GET {API_PREFIX}/scripts/{{script_id}}"].status_code == 404
    assert answers[f"POST {API_PREFIX}/feedback"].status_code == 404
    for method, path in ORGANIZER_ONLY:
        assert answers[f"{method} {path}"].status_code == 403
    # The outsider still sees and calls for the open campaign.
    campaigns = answers[f"GET {API_PREFIX}/campaigns"].json()
    assert [c["id"] for c in campaigns] == [open_list.campaign_id]
    assert reserve(client, outsider, open_list.list_id)["campaign_id"] == open_list.campaign_id

    # A member sees it everywhere and gets names; so does an organizer.
    for account in (member, organizer):
        listed = client.get(f"{API_PREFIX}/campaigns", headers=account.headers).json()
        assert seeded.campaign_id in [c["id"] for c in listed]
        synced = client.get(f"{API_PREFIX}/sync", headers=account.headers).json()
        assert seeded.campaign_id in [c["id"] for c in synced["campaigns"]]
        assert script_id in [s["id"] for s in synced["scripts"]]
    assert reserve(client, member, seeded.list_id)["campaign_id"] == seeded.campaign_id


def _post(url: str, body: object, token: str | None = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_members_chosen_with_the_cli_are_the_only_volunteers_a_served_hub_gives_names(
    database_url: str,
    engine: Engine,
    make_user: Callable[..., Account],
    hub_factory: Callable[..., HubProcess],
) -> None:
    created = run_hub_cli(database_url, "create-campaign", "Closed", "--goal", "10", "--closed")
    assert created.returncode == 0, created.stderr
    campaign_id = int(created.stdout)
    seeded = seed_list(engine, households=30, campaign_id=campaign_id, name="Precinct 9")
    chosen, other = make_user(), make_user()
    added = run_hub_cli(database_url, "members", str(campaign_id), "add", chosen.email.upper())
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines() == [
        f"campaign {campaign_id} is closed: members only",
        chosen.email,
    ]
    unknown = run_hub_cli(database_url, "members", str(campaign_id), "add", "no@example.org")
    assert unknown.returncode == 2
    assert "no account for no@example.org; nothing was changed" in unknown.stderr

    hub = hub_factory(database_url)
    ask = {"call_list_id": seeded.list_id}
    status, body = _post(hub.api_url + "/reservations", ask, other.token)
    assert (status, body["detail"]) == (404, f"There is no call list with id {seeded.list_id}.")
    status, body = _post(hub.api_url + "/reservations", ask, chosen.token)
    assert status == 201, body
    assert len(body["contacts"]) == 20  # the campaign's list size

    # Opening it lets everyone in; removing a member of a closed one shuts them out.
    opening = run_hub_cli(database_url, "members", str(campaign_id), "open")
    assert opening.stdout.startswith(f"campaign {campaign_id} is open"), opening
    opened = _post(hub.api_url + "/reservations", ask, other.token)
    assert opened[0] == 201, opened
    assert run_hub_cli(database_url, "members", str(campaign_id), "close").returncode == 0
    removed = run_hub_cli(database_url, "members", str(campaign_id), "remove", chosen.email)
    assert removed.stdout.splitlines() == [f"campaign {campaign_id} is closed: members only"]
