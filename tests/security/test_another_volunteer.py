"""The "another volunteer" column: volunteer B aims every route at volunteer A's things.

A holds a list of names, has recorded results on it (one of them "never call again") and has
sent feedback. B then calls every private route the app serves, with A's ids in the path
and bodies that point at A's reservation, contacts, fence and results. What A and the voters
depend on:

- nothing B gets back names, numbers or notes of A's voters, or A's feedback;
- B cannot give A's list back, record results on it or correct A's results: A's list, its
  voters' call history and A's results are exactly as before;
- B's own list from the same call list never contains A's households.

Path parameters are filled by name and bodies by their schema, both from the app's own
OpenAPI description: a new route is aimed at A's things without anyone listing it, and a
route whose parameter or body this test cannot aim makes it fail until it is taught how.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from sync.hub.db import session_scope
from sync.hub.models import Contact
from sync.protocol import API_PREFIX
from tests.hub.conftest import Account, reserve
from tests.security.routes import ORGANIZER_ONLY, fresh_headers, private_endpoints
from tests.support.hub_seed import Clock, add_script, result_body, seed_list


def unique_names(engine: Engine, contact_ids: list[int]) -> None:
    """Give every voter a name found nowhere else, so a leak is a plain substring search."""
    with session_scope(engine) as session:
        for contact_id in contact_ids:
            contact = session.get(Contact, contact_id)
            assert contact is not None
            contact.first_name = f"First{uuid.uuid4().hex[:10]}"
            contact.last_name = f"Last{uuid.uuid4().hex[:10]}"
            contact.extra = {"note": f"Extra{uuid.uuid4().hex[:10]}"}
            session.add(contact)


def snapshot(engine: Engine, reservation_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """What B must not be able to change: A's list, its households, voters and results."""
    queries = {
        "reservation": "SELECT id, volunteer_id, status, expires_at, ended_at "
        f"FROM reservations WHERE id = {reservation_id}",
        "items": "SELECT household_id, expires_at, released_at FROM reservation_items "
        f"WHERE reservation_id = {reservation_id} ORDER BY household_id",
        "households": "SELECT id, reservation_id, held_until, fence, state FROM households "
        f"WHERE id IN (SELECT household_id FROM reservation_items "
        f"WHERE reservation_id = {reservation_id}) ORDER BY id",
        "contacts": "SELECT c.id, c.state, c.attempts, c.last_disposition, c.call_back_at "
        "FROM contacts c JOIN reservation_items i ON i.household_id = c.household_id "
        f"WHERE i.reservation_id = {reservation_id} ORDER BY c.id",
        "results": "SELECT id, volunteer_id, disposition, notes, quarantined, content_hash "
        "FROM call_results WHERE reservation_id = "
        f"{reservation_id} AND volunteer_id = (SELECT volunteer_id FROM reservations "
        f"WHERE id = {reservation_id}) ORDER BY id",
    }
    with engine.connect() as conn:
        return {
            name: [tuple(row) for row in conn.execute(text(sql))] for name, sql in queries.items()
        }


def test_another_volunteer_can_neither_see_nor_touch_a_volunteers_voters(
    hub_app: FastAPI,
    client: TestClient,
    engine: Engine,
    make_user: Callable[..., Account],
    clock: Clock,
) -> None:
    seeded = seed_list(engine, households=12, members=2, list_size=4)
    add_script(engine, seeded.campaign_id)
    unique_names(engine, seeded.contact_ids)
    a, b = make_user("volunteer"), make_user("volunteer")

    a_list = reserve(client, a, seeded.list_id)
    a_contacts = a_list["contacts"]
    a_results = [
        result_body(a_contacts[0], a_list, notes=f"NoteOfA{uuid.uuid4().hex[:10]}"),
        result_body(a_contacts[2], a_list, disposition="do_not_call"),
    ]
    sent = client.post(f"{API_PREFIX}/results", json={"results": a_results}, headers=a.headers)
    assert [r["status"] for r in sent.json()["results"]] == ["created", "created"]
    a_feedback = f"FeedbackOfA{uuid.uuid4().hex[:10]}"
    feedback = {"campaign_id": seeded.campaign_id, "text": a_feedback}
    assert client.post(f"{API_PREFIX}/feedback", json=feedback, headers=a.headers).is_success
    a_dnc_phone = a_contacts[2]["phone"]

    # Everything of A's that B must never be shown.
    secrets = {a_feedback, a_results[0]["notes"]}
    for contact in a_contacts:
        secrets |= {contact["first_name"], contact["last_name"], contact["phone"]}
        secrets |= set(contact["extra"].values())
    before = snapshot(engine, a_list["id"])

    # B's aim at A's things: path parameters by name, bodies by schema.
    path_values = {
        "reservation_id": a_list["id"],
        "campaign_id": seeded.campaign_id,
        "script_id": 1,
    }
    on_a_list = result_body(a_contacts[1], a_list, notes="B was here")
    correcting_a = result_body(
        a_contacts[0], a_list, disposition="wrong_number", supersedes=a_results[0]["id"]
    )
    reusing_a_id = {**result_body(a_contacts[0], a_list, notes="B"), "id": a_results[0]["id"]}
    bodies: dict[str, dict[str, Any]] = {
        "ReservationRequest": {"call_list_id": seeded.list_id},
        "ResultsIn": {"results": [on_a_list, correcting_a, reusing_a_id]},
        "FeedbackIn": {"campaign_id": seeded.campaign_id, "text": "hello from B"},
        "LanguagesIn": {"languages": ["es"]},  # one's own languages: nobody else's to aim at
    }

    schema = hub_app.openapi()
    answers: dict[str, Any] = {}
    leaks: dict[str, set[str]] = {}
    failures: dict[str, int] = {}
    for method, path in private_endpoints(hub_app):
        operation = schema["paths"][path][method.lower()]
        names = re.findall(r"\{([^}]+)\}", path)
        unknown = [n for n in names if n not in path_values]
        assert not unknown, f"{method} {path}: teach this test how to aim {unknown} at A"
        url = path.format(**{n: path_values[n] for n in names})
        body = None
        if "requestBody" in operation:
            ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            body_name = ref.rsplit("/", 1)[-1]
            assert body_name in bodies, f"{method} {path}: teach this test a {body_name} for B"
            body = bodies[body_name]
        response = client.request(method, url, json=body, headers=fresh_headers(engine, b))
        key = f"{method} {path}"
        if response.status_code >= 500 or response.status_code == 401:
            failures[key] = response.status_code
        found = {secret for secret in secrets if secret in response.text}
        if found:
            leaks[key] = found
        answers[key] = response
    print(f"another volunteer: {len(answers)} private routes aimed at A, {len(leaks)} leaks")
    assert failures == {}
    assert leaks == {}

    # What each refusal looks like to B, route by route.
    release = answers[f"POST {API_PREFIX}/reservations/{{reservation_id}}/release"]
    assert release.status_code == 404
    assert release.json() == {
        "detail": f"You have no reservation with id {a_list['id']}.",
        "code": "unknown_reservation",
        "params": {"id": a_list["id"]},
    }
    outcomes = answers[f"POST {API_PREFIX}/results"].json()["results"]
    assert [o["status"] for o in outcomes] == ["quarantined", "quarantined", "conflict"]
    assert outcomes[0]["reason"].startswith("not found, or not yours")  # not "another's"
    b_list = answers[f"POST {API_PREFIX}/reservations"]
    assert b_list.status_code == 201
    a_households = {c["household"] for c in a_contacts}
    assert not a_households & {c["household"] for c in b_list.json()["contacts"]}
    b_sync = answers[f"GET {API_PREFIX}/sync"].json()
    assert [r["id"] for r in b_sync["reservations"]] == [b_list.json()["id"]]
    assert a_dnc_phone not in b_sync["dnc"]
    assert b_sync["progress"][str(seeded.campaign_id)]["mine"] == 0
    for method, path in ORGANIZER_ONLY:
        assert answers[f"{method} {path}"].status_code == 403

    # A's list, its voters' history and A's results are exactly as they were.
    assert snapshot(engine, a_list["id"]) == before
    a_sync = client.get(f"{API_PREFIX}/sync", headers=a.headers).json()
    assert [r["id"] for r in a_sync["reservations"]] == [a_list["id"]]
    assert a_sync["reservations"][0]["status"] == "active"
    assert a_sync["progress"][str(seeded.campaign_id)]["mine"] == 2
