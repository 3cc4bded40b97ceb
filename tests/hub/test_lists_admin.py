"""`phonebank-hub lists CAMPAIGN_ID`: the lists with their counts; rename, archive, merge and
remove them, and what volunteers' pickers, reservations and the export show afterwards."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.db import session_scope
from sync.hub.models import CallList, Contact, Household
from tests.hub.conftest import Account, reserve
from tests.support.hub_process import run_hub_cli
from tests.support.hub_seed import add_script, result_body, seed_list


def lists_cli(database_url: str, campaign_id: int, *args: str) -> tuple[int, str, str]:
    done = run_hub_cli(database_url, "lists", str(campaign_id), *args)
    return done.returncode, done.stdout, done.stderr


def picker(client: TestClient, account: Account) -> dict[str, int]:
    (campaign,) = client.get("/api/v1/campaigns", headers=account.headers).json()
    return {cl["name"]: cl["remaining"] for cl in campaign["lists"]}


def test_lists_shows_each_list_with_its_counts(
    database_url: str, client: TestClient, engine: Engine, volunteer: Account
) -> None:
    ohio = seed_list(engine, households=6, members=2, list_size=2)
    seed_list(engine, households=3, campaign_id=ohio.campaign_id, name="Texas")
    add_script(engine, ohio.campaign_id)
    held = reserve(client, volunteer, ohio.list_id)
    first = held["contacts"][0]
    client.post(
        "/api/v1/results", json={"results": [result_body(first, held)]}, headers=volunteer.headers
    )
    code, out, err = lists_cli(database_url, ohio.campaign_id)
    assert code == 0, err
    rows = [line.split() for line in out.splitlines()]
    assert rows[0] == [
        "id", "list", "status", "contacts", "households", "to", "call", "held", "done", "results"
    ]  # fmt: skip
    # Ohio: 12 people in 6 households; Ben holds 2 and has called one person of one of them
    # (the household stays open until its other member is called too).
    assert rows[1] == [str(ohio.list_id), "Ohio", "active", "12", "6", "4", "2", "0", "1"]
    assert rows[2][1:] == ["Texas", "active", "3", "3", "3", "0", "0", "0"]

    missing = run_hub_cli(database_url, "lists", "999")
    assert missing.returncode == 2 and missing.stderr == "error: there is no campaign with id 999\n"


def test_rename_and_archive_reach_volunteers_pickers(
    database_url: str, client: TestClient, engine: Engine, volunteer: Account
) -> None:
    ohio = seed_list(engine, households=4, list_size=2)
    seed_list(engine, households=2, campaign_id=ohio.campaign_id, name="Texas")
    assert picker(client, volunteer) == {"Ohio": 4, "Texas": 2}

    code, out, _ = lists_cli(database_url, ohio.campaign_id, "rename", "ohio", "Ohio — North")
    assert (code, out) == (0, "renamed 'Ohio' to 'Ohio — North'\n")
    code, _, err = lists_cli(database_url, ohio.campaign_id, "rename", "Texas", "OHIO — north")
    assert code == 2 and "already has a list called 'Ohio — North'" in err
    assert picker(client, volunteer) == {"Ohio — North": 4, "Texas": 2}

    code, out, _ = lists_cli(database_url, ohio.campaign_id, "archive", str(ohio.list_id))
    assert out == "archived 'Ohio — North': no more names are handed out from it\n"
    assert picker(client, volunteer) == {"Texas": 2}
    refused = client.post(
        "/api/v1/reservations", json={"call_list_id": ohio.list_id}, headers=volunteer.headers
    )
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "The organizers have closed the list 'Ohio — North': no more names are "
        "handed out from it. Choose another list.",
        "code": "list_closed",
        "params": {"list": "Ohio — North"},
        "reason": "archived",
    }
    lists_cli(database_url, ohio.campaign_id, "restore", "Ohio — North")
    assert reserve(client, volunteer, ohio.list_id)["call_list_id"] == ohio.list_id

    code, _, err = lists_cli(database_url, ohio.campaign_id, "archive", "Kansas")
    assert code == 2
    assert err == (
        f"error: campaign {ohio.campaign_id} has no list 'Kansas' (its lists: "
        "'Ohio — North', 'Texas'); nothing was changed\n"
    )


def test_merge_waits_until_nobody_holds_the_list_and_keeps_results(
    database_url: str,
    client: TestClient,
    engine: Engine,
    make_user: Callable[..., Account],
) -> None:
    ben = make_user("volunteer", name="Ben")
    old = seed_list(engine, households=3, list_size=3, name="Universe v1")
    # v2 shares one phone with v1 (the same household, imported again) and adds two.
    new = seed_list(
        engine,
        households=3,
        campaign_id=old.campaign_id,
        name="Universe v2",
        phones=[old.phones[0], "+16145550911", "+16145550912"],
    )
    add_script(engine, old.campaign_id)
    held = reserve(client, ben, old.list_id)
    called = held["contacts"][0]
    result = result_body(called, held, notes="call after 6")
    client.post("/api/v1/results", json={"results": [result]}, headers=ben.headers)

    code, _, err = lists_cli(database_url, old.campaign_id, "merge", "Universe v1", "Universe v2")
    assert code == 2
    assert "cannot merge 'Universe v1' now: volunteers hold 2 of its households" in err
    client.post(f"/api/v1/reservations/{held['id']}/release", headers=ben.headers)

    code, out, err = lists_cli(database_url, old.campaign_id, "merge", "Universe v1", "Universe v2")
    assert code == 0, err
    assert out == (
        "merged 'Universe v1' into 'Universe v2': 3 contacts moved (1 joined a household "
        "already in 'Universe v2'); 'Universe v1' is gone, its results stay\n"
    )
    with Session(engine) as session:
        assert session.get(CallList, old.list_id) is None
        households = session.exec(
            select(Household.phone, Household.state).where(Household.call_list_id == new.list_id)
        ).all()
        assert len(households) == 5  # 3 + 3 sharing one phone
        shared = session.exec(
            select(Contact).where(Contact.phone == old.phones[0]).order_by(col(Contact.id))
        ).all()
        assert {c.call_list_id for c in shared} == {new.list_id}
        assert len({c.household_id for c in shared}) == 1
    exported = run_hub_cli(database_url, "export-results", str(old.campaign_id)).stdout
    (row,) = [line for line in exported.splitlines() if "call after 6" in line]
    assert f",{called['first_name']},{called['last_name']}," in row and ",Universe v2," in row
    assert picker(client, ben) == {"Universe v2": 4}  # the called household is done


def test_remove_keeps_the_people_results_name_and_frees_the_name(
    database_url: str, client: TestClient, engine: Engine, volunteer: Account
) -> None:
    ohio = seed_list(engine, households=5, list_size=2)
    empty = seed_list(engine, households=2, campaign_id=ohio.campaign_id, name="Spare")
    add_script(engine, ohio.campaign_id)
    held = reserve(client, volunteer, ohio.list_id)
    called = held["contacts"][0]
    body = {"results": [result_body(called, held, notes="moved to Dayton")]}
    client.post("/api/v1/results", json=body, headers=volunteer.headers)

    code, _, err = lists_cli(database_url, ohio.campaign_id, "remove", "Ohio")
    assert code == 2 and "cannot remove 'Ohio' now: volunteers hold 1 of its households" in err
    client.post(f"/api/v1/reservations/{held['id']}/release", headers=volunteer.headers)

    code, out, err = lists_cli(database_url, ohio.campaign_id, "remove", "Ohio")
    assert code == 0, err
    assert out.startswith("removed 'Ohio': 4 uncalled contacts deleted; 1 called contact kept")
    code, out, _ = lists_cli(database_url, ohio.campaign_id, "remove", "Spare")
    assert out == "removed 'Spare': 2 contacts deleted\n"
    with Session(engine) as session:
        assert session.get(CallList, empty.list_id) is None
        left = session.exec(select(Contact.id).where(Contact.campaign_id == ohio.campaign_id))
        assert list(left) == [called["id"]]

    assert picker(client, volunteer) == {}
    listed = lists_cli(database_url, ohio.campaign_id)[1]
    assert "no lists yet" in listed
    everything = lists_cli(database_url, ohio.campaign_id, "--all")[1].splitlines()
    assert "Ohio (removed " in everything[1] and " removed " in everything[1]
    exported = run_hub_cli(database_url, "export-results", str(ohio.campaign_id)).stdout
    assert "moved to Dayton" in exported and called["last_name"] in exported
    # The name is free again: the next import may call its list "Ohio".
    with session_scope(engine) as session:
        fresh = campaigns_crud.get_or_create_list(session, ohio.campaign_id, "Ohio")
        assert fresh.id != ohio.list_id and fresh.status == "active"
