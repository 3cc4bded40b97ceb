"""Results that say which number was dialed: a bad number that is not the household's
closes only that number for that person (SPEC §2 household rules, issue 11)."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.crud.export import export_results
from sync.hub.db import session_scope
from sync.hub.models import Contact, DoNotCall, Household
from tests.hub.conftest import Account, reserve
from tests.hub.test_results import post, stored
from tests.support.hub_seed import Clock, SeededList, result_body, seed_list

API = "/api/v1"
CELL = "+16145550777"


def two_numbers(engine: Engine) -> SeededList:
    """A household of two people, the first with a cell of their own (and a second
    household, so the list is still held after the first's result)."""
    seeded = seed_list(engine, households=2, members=2)
    home = seeded.phones[0]
    with session_scope(engine) as session:
        first = session.get(Contact, seeded.contact_ids[0])
        assert first is not None
        first.phones = [
            {"e164": home, "as_imported": "(614) 555-0100", "extension": "", "kind": "home"},
            {"e164": CELL, "as_imported": "614.555.0777", "extension": "", "kind": "cell"},
        ]
        first.phone_as_imported = "(614) 555-0100"
    return seeded


def states(engine: Engine, seeded: SeededList) -> tuple[str, list[str]]:
    with Session(engine) as session:
        household = session.get(Household, seeded.household_ids[0])
        assert household is not None
        people = [session.get(Contact, cid) for cid in seeded.contact_ids[:2]]
        return household.state, [p.state for p in people if p is not None]


def synced_phones(client: TestClient, account: Account, contact_id: int) -> list[str]:
    """The numbers a laptop syncing now is given for the contact."""
    body = client.get(f"{API}/sync", headers=account.headers).json()
    for reservation in body["reservations"]:
        for contact in reservation["contacts"]:
            if contact["id"] == contact_id:
                return [p["e164"] for p in contact["phones"]]
    raise AssertionError(f"contact {contact_id} not in the sync")


def first_person(reservation: dict[str, Any], seeded: SeededList) -> dict[str, Any]:
    return next(c for c in reservation["contacts"] if c["id"] == seeded.contact_ids[0])


def test_wrong_number_on_a_second_number_leaves_the_household_callable(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = two_numbers(engine)
    reservation = reserve(client, volunteer, seeded.list_id)
    person = first_person(reservation, seeded)
    assert [p["e164"] for p in person["phones"]] == [seeded.phones[0], CELL]
    body = result_body(
        person, reservation, disposition="wrong_number", script_version=0, dialed_phone=CELL
    )

    response = post(client, volunteer, body)

    assert response.json()["results"][0]["status"] == "created"
    assert stored(engine, body["id"]).dialed_phone == CELL
    # The household and both people stay open: only the cell was wrong, and only for them.
    assert states(engine, seeded) == ("open", ["open", "open"])
    with Session(engine) as session:
        contact = session.get(Contact, seeded.contact_ids[0])
        assert contact is not None
        assert [p.get("bad") for p in contact.phones] == [None, "wrong_number"]
    # The next laptop is no longer handed the bad number.
    assert synced_phones(client, volunteer, seeded.contact_ids[0]) == [seeded.phones[0]]
    # The export names the number dialed, as the file wrote it.
    with Session(engine) as session:
        out = io.StringIO()
        export_results(session, seeded.campaign_id, out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["phone"], row["phone_as_imported"]) == (CELL, "614.555.0777")


def test_wrong_number_on_the_household_number_closes_the_household(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = two_numbers(engine)
    reservation = reserve(client, volunteer, seeded.list_id)
    person = first_person(reservation, seeded)
    body = result_body(
        person,
        reservation,
        disposition="wrong_number",
        script_version=0,
        dialed_phone=seeded.phones[0],
    )

    assert post(client, volunteer, body).json()["results"][0]["status"] == "created"

    assert states(engine, seeded) == ("bad", ["bad", "bad"])


def test_a_result_without_dialed_phone_keeps_the_household_rule_and_repeats_as_duplicate(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = two_numbers(engine)
    reservation = reserve(client, volunteer, seeded.list_id)
    person = first_person(reservation, seeded)
    # What a laptop from before `dialed_phone` sends: the field absent.
    body = result_body(person, reservation, disposition="wrong_number", script_version=0)
    assert "dialed_phone" not in body

    first = post(client, volunteer, body)
    again = post(client, volunteer, body)

    assert first.json()["results"][0]["status"] == "created"
    assert again.json()["results"][0]["status"] == "duplicate"
    assert stored(engine, body["id"]).dialed_phone is None
    assert states(engine, seeded) == ("bad", ["bad", "bad"])


def test_a_dialed_phone_that_is_not_e164_is_refused_with_the_field_named(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = two_numbers(engine)
    reservation = reserve(client, volunteer, seeded.list_id)
    person = first_person(reservation, seeded)
    body = result_body(person, reservation, dialed_phone="614-555-0777")

    response = post(client, volunteer, body)

    assert response.status_code == 422
    assert "dialed_phone" in response.text


def listed_numbers(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return set(session.exec(select(DoNotCall.phone)))


def test_do_not_call_on_a_second_number_lists_that_number_not_the_households(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = two_numbers(engine)
    # In another campaign, someone whose own number is that cell.
    elsewhere = seed_list(engine, households=1, phones=[CELL], name="Elsewhere")
    reservation = reserve(client, volunteer, seeded.list_id)
    person = first_person(reservation, seeded)
    body = result_body(
        person, reservation, disposition="do_not_call", script_version=0, dialed_phone=CELL
    )

    assert post(client, volunteer, body).json()["results"][0]["status"] == "created"

    assert listed_numbers(engine) == {CELL}
    # The person who asked is closed; the household and their housemate stay callable.
    assert states(engine, seeded) == ("open", ["dnc", "open"])
    # Whoever has that cell as their own number is closed by it too.
    with Session(engine) as session:
        household = session.get(Household, elsewhere.household_ids[0])
        assert household is not None and household.state == "dnc"


def test_do_not_call_on_the_household_number_lists_it_for_everyone_there(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = two_numbers(engine)
    reservation = reserve(client, volunteer, seeded.list_id)
    person = first_person(reservation, seeded)
    home = seeded.phones[0]
    body = result_body(
        person, reservation, disposition="do_not_call", script_version=0, dialed_phone=home
    )

    assert post(client, volunteer, body).json()["results"][0]["status"] == "created"

    assert listed_numbers(engine) == {home}
    assert states(engine, seeded) == ("dnc", ["dnc", "dnc"])
