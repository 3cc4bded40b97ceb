"""A number on the do-not-call list that is a person's second (or later) number is never
dialed: the hub leaves it out of the numbers it hands laptops, tells the laptops holding
that person at their next sync, and an import keys a person on their first number not on
the list (issue 11). The household's own number keeps its rule: everyone with it is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.models import Contact, Household
from tests.hub.conftest import Account, reserve
from tests.hub.test_dialed_phone import CELL, first_person, states, synced_phones, two_numbers
from tests.hub.test_results import post
from tests.support.hub_process import run_hub_cli
from tests.support.hub_seed import Clock, result_body, seed_list
from tests.support.voter_files import imported, write_rows

API = "/api/v1"


def dnc_import(database_url: str, tmp_path: Path, *numbers: str) -> None:
    """What an organizer does: `phonebank-hub dnc import FILE`."""
    file = tmp_path / "dnc.csv"
    file.write_text("phone\n" + "".join(f"{n}\n" for n in numbers), encoding="utf-8")
    done = run_hub_cli(database_url, "dnc", "import", str(file))
    assert done.returncode == 0, done.stderr


def numbers(contact: dict[str, Any]) -> list[str]:
    return [p["e164"] for p in contact["phones"]]


def test_a_listed_second_number_is_not_handed_out_and_the_person_stays_callable(
    client: TestClient,
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    volunteer: Account,
    clock: Clock,
) -> None:
    seeded = two_numbers(engine)
    dnc_import(database_url, tmp_path, CELL)

    reservation = reserve(client, volunteer, seeded.list_id)

    person = first_person(reservation, seeded)
    assert numbers(person) == [seeded.phones[0]]  # the cell is not theirs to dial any more
    assert person["phone"] == seeded.phones[0]
    # Only the cell was listed: the household and both people stay open.
    assert states(engine, seeded) == ("open", ["open", "open"])
    assert synced_phones(client, volunteer, seeded.contact_ids[0]) == [seeded.phones[0]]


def test_a_second_number_listed_after_the_grant_reaches_its_holder_at_the_next_sync(
    client: TestClient,
    engine: Engine,
    make_user: Callable[..., Account],
    clock: Clock,
) -> None:
    seeded = two_numbers(engine)
    holder = make_user()
    reservation = reserve(client, holder, seeded.list_id)
    assert numbers(first_person(reservation, seeded)) == [seeded.phones[0], CELL]
    assert client.get(f"{API}/sync", headers=holder.headers).json()["dnc"] == []
    # In another campaign the cell is someone's own number, and they ask not to be called.
    elsewhere = seed_list(engine, households=2, phones=[CELL, "+16145550999"], name="Other")
    caller = make_user()
    theirs = reserve(client, caller, elsewhere.list_id)
    other = next(c for c in theirs["contacts"] if c["phone"] == CELL)
    body = result_body(other, theirs, disposition="do_not_call", script_version=0)
    assert post(client, caller, body).json()["results"][0]["status"] == "created"

    synced = client.get(f"{API}/sync", headers=holder.headers).json()

    # The holder's laptop is told the number, and the person comes without it.
    assert synced["dnc"] == [CELL]
    person = next(
        c for r in synced["reservations"] for c in r["contacts"] if c["id"] == seeded.contact_ids[0]
    )
    assert numbers(person) == [seeded.phones[0]]
    # Their household's number is not listed: they and their household stay callable.
    assert states(engine, seeded) == ("open", ["open", "open"])


def test_an_expired_list_still_hears_of_a_listed_second_number(
    client: TestClient,
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    volunteer: Account,
    clock: Clock,
) -> None:
    """Laptops may still call an expired list offline: the number is reported for it too."""
    seeded = two_numbers(engine)
    reserve(client, volunteer, seeded.list_id)
    clock.advance(hours=2)  # past the one-hour hold
    dnc_import(database_url, tmp_path, CELL)

    synced = client.get(f"{API}/sync", headers=volunteer.headers).json()

    assert [r["status"] for r in synced["reservations"]] == ["expired"]
    assert synced["dnc"] == [CELL]


def test_import_keys_a_person_on_their_first_number_not_on_the_list(
    client: TestClient,
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    campaign_id: int,
    volunteer: Account,
    clock: Clock,
) -> None:
    """An NGP VAN export: Maria's home number is listed (her cell is not), Omar's cell is
    listed, both of Lee's numbers are."""
    dnc_import(database_url, tmp_path, "+16145550123", "+16145550134", "+16145550145")
    dnc_import(database_url, tmp_path, "+16145550146")
    header = ["VanID", "FirstName", "LastName", "HomePhone", "CellPhone"]
    rows = [
        {"VanID": "1", "FirstName": "Maria", "LastName": "Lopez",
         "HomePhone": "614-555-0123", "CellPhone": "(614) 555-0124"},
        {"VanID": "2", "FirstName": "Omar", "LastName": "Haddad",
         "HomePhone": "614-555-0133", "CellPhone": "(614) 555-0134"},
        {"VanID": "3", "FirstName": "Lee", "LastName": "Chen",
         "HomePhone": "614-555-0145", "CellPhone": "(614) 555-0146"},
    ]  # fmt: skip
    file = write_rows(tmp_path / "van.csv", header, rows)

    out = imported(database_url, campaign_id, file, "--list", "Precinct 4")

    said = " ".join(out.split())
    assert "1 contact on the do-not-call list won't be called" in said
    assert "2 other numbers on the do-not-call list won't be dialed" in said
    with Session(engine) as session:
        people = {c.first_name: c for c in session.exec(select(Contact))}
        # Every number is kept as the file had it, in order (the export gives them back).
        assert [p["e164"] for p in people["Maria"].phones] == ["+16145550123", "+16145550124"]
        assert (people["Maria"].phone, people["Maria"].phone_as_imported) == (
            "+16145550124",
            "(614) 555-0124",
        )
        assert people["Omar"].phone == "+16145550133"
        assert {n: people[n].state for n in people} == {
            "Maria": "open",
            "Omar": "open",
            "Lee": "dnc",
        }
        households = {h.phone: h.state for h in session.exec(select(Household))}
    assert households == {"+16145550124": "open", "+16145550133": "open", "+16145550145": "dnc"}
    list_id = people["Maria"].call_list_id

    reservation = reserve(client, volunteer, list_id)

    granted = {c["first_name"]: numbers(c) for c in reservation["contacts"]}
    assert granted == {"Maria": ["+16145550124"], "Omar": ["+16145550133"]}

    # Re-importing the same file finds the same people (nothing added, nothing changed).
    again = imported(database_url, campaign_id, file, "--list", "Precinct 4")
    assert "3 unchanged" in " ".join(again.split())
    with Session(engine) as session:
        assert len(session.exec(select(Contact)).all()) == 3
