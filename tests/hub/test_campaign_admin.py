"""Changing a campaign after it started (`phonebank-hub campaigns ...`): duplicate names,
policy edits that laptops get at their next sync, pause and archive as volunteers see them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.hub.models import Campaign
from tests.hub.conftest import Account, reserve
from tests.support.hub_process import run_hub_cli
from tests.support.hub_seed import add_script, result_body, seed_list


def sync(client: TestClient, account: Account, cursor: str | None = None) -> dict[str, Any]:
    params = {"cursor": cursor} if cursor else {}
    response = client.get("/api/v1/sync", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_second_campaign_of_the_same_name_is_refused(database_url: str) -> None:
    first = run_hub_cli(database_url, "create-campaign", "GOTV Ohio", "--goal", "100")
    assert first.returncode == 0, first.stderr
    again = run_hub_cli(database_url, "create-campaign", "  gotv ohio ", "--goal", "50")
    assert again.returncode == 2
    assert again.stderr == (
        f"error: there is already a campaign called 'gotv ohio' (id {first.stdout.strip()}); "
        "choose another name; no campaign was created\n"
    )
    other = run_hub_cli(database_url, "create-campaign", "GOTV Texas", "--goal", "50")
    rename = run_hub_cli(
        database_url, "campaigns", "edit", other.stdout.strip(), "--name", "GOTV OHIO"
    )
    assert rename.returncode == 2 and "already a campaign called 'GOTV OHIO'" in rename.stderr


def test_policy_edits_reach_a_laptop_at_its_next_sync(
    database_url: str,
    client: TestClient,
    engine: Engine,
    volunteer: Account,
    clock: object,
) -> None:
    seeded = seed_list(engine, households=20, list_size=2, cooldown_seconds=0)
    before = sync(client, volunteer)
    (campaign,) = before["campaigns"]
    assert campaign["policy"]["list_size"] == 2 and campaign["goal"] == 1000

    edit = run_hub_cli(
        database_url,
        "campaigns",
        "edit",
        str(seeded.campaign_id),
        "--goal",
        "2500",
        "--list-size",
        "4",
        "--hold",
        "1800",
        "--cooldown",
        "120",
        "--calling-hours",
        "08:30-20:00",
        "--retry-after",
        "3600",
        "--max-attempts",
        "5",
    )
    assert edit.returncode == 0, edit.stderr
    assert edit.stdout == (
        f"campaign {seeded.campaign_id}: changed goal, list_size, hold_seconds, "
        "cooldown_seconds, calling_hours, retry_after_seconds, max_attempts; "
        "laptops get it at their next sync\n"
    )
    after = sync(client, volunteer, before["cursor"])
    assert after["reset"] is False
    (campaign,) = after["campaigns"]
    assert campaign["goal"] == 2500 and after["progress"][str(seeded.campaign_id)]["goal"] == 2500
    assert campaign["policy"] == {
        "list_size": 4,
        "hold_seconds": 1800,
        "cooldown_seconds": 120,
        "calling_hours_start": "08:30",
        "calling_hours_end": "20:00",
        "retry_after_seconds": 3600,
        "max_attempts": 5,
    }
    # The next list is granted under the new rules (the test clock is 10:00 in New York).
    granted = reserve(client, volunteer, seeded.list_id)
    assert len({c["household"] for c in granted["contacts"]}) == 4

    same = run_hub_cli(database_url, "campaigns", "edit", str(seeded.campaign_id), "--goal", "2500")
    assert "nothing changed" in same.stdout
    for args, message in (
        (["--list-size", "0"], "list size must be between 1 and 200, got 0"),
        (["--calling-hours", "21:00-08:00"], "must be after their start"),
        (["--hold", "10"], "hold must be at least 60 seconds"),
        ([], "nothing to change"),
    ):
        bad = run_hub_cli(database_url, "campaigns", "edit", str(seeded.campaign_id), *args)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr
    with Session(engine) as session:
        stored = session.get(Campaign, seeded.campaign_id)
        assert stored is not None and stored.list_size == 4  # the refused edits changed nothing


def test_a_paused_campaign_stays_visible_but_hands_out_no_lists(
    database_url: str, client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    ben, cy = make_user("volunteer"), make_user("volunteer")
    seeded = seed_list(engine, households=20, list_size=2)
    add_script(engine, seeded.campaign_id)
    held = reserve(client, ben, seeded.list_id)

    paused = run_hub_cli(database_url, "campaigns", "pause", str(seeded.campaign_id))
    assert paused.stdout == (
        f"'Campaign Ohio' (id {seeded.campaign_id}) is now paused: volunteers see it, but no "
        "new lists are handed out\n"
    )
    (listed,) = client.get("/api/v1/campaigns", headers=cy.headers).json()
    assert listed["status"] == "paused" and listed["lists"][0]["id"] == seeded.list_id
    refused = client.post(
        "/api/v1/reservations", json={"call_list_id": seeded.list_id}, headers=cy.headers
    )
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "The organizers have paused 'Campaign Ohio': no new names are handed out for "
        "now. Lists you already have can still be called.",
        "code": "campaign_paused",
        "params": {"campaign": "Campaign Ohio"},
        "reason": "paused",
    }
    # Ben's list still counts: his result is taken as usual.
    result = result_body(held["contacts"][0], held)
    stored = client.post("/api/v1/results", json={"results": [result]}, headers=ben.headers)
    assert stored.status_code == 201 and stored.json()["results"][0]["status"] == "created"

    run_hub_cli(database_url, "campaigns", "resume", str(seeded.campaign_id))
    assert reserve(client, cy, seeded.list_id)["campaign_id"] == seeded.campaign_id


def test_an_archived_campaign_leaves_pickers_and_syncs_but_keeps_its_results(
    database_url: str, client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    ben = make_user("volunteer")
    old = seed_list(engine, households=10, list_size=2, name="Old")
    current = seed_list(engine, households=10, list_size=2, name="Current")
    add_script(engine, old.campaign_id)
    held = reserve(client, ben, old.list_id)
    result = result_body(held["contacts"][0], held, notes="wants a yard sign")
    assert client.post("/api/v1/results", json={"results": [result]}, headers=ben.headers)

    archived = run_hub_cli(database_url, "campaigns", "archive", str(old.campaign_id))
    assert "is now archived: gone from volunteers' pickers; its results are kept" in (
        archived.stdout
    )
    listed = client.get("/api/v1/campaigns", headers=ben.headers).json()
    assert [c["id"] for c in listed] == [current.campaign_id]
    snapshot = sync(client, ben)
    assert [c["id"] for c in snapshot["campaigns"]] == [current.campaign_id]
    assert str(old.campaign_id) not in snapshot["progress"]
    # Ben's list of the archived campaign is still his to finish offline, with its script.
    assert [r["id"] for r in snapshot["reservations"]] == [held["id"]]
    assert [s["campaign_id"] for s in snapshot["scripts"]] == [old.campaign_id]
    refused = client.post(
        "/api/v1/reservations", json={"call_list_id": old.list_id}, headers=ben.headers
    )
    assert refused.status_code == 409 and refused.json()["reason"] == "archived"
    assert "its organizers archived it" in refused.json()["detail"]

    exported = run_hub_cli(database_url, "export-results", str(old.campaign_id))
    assert exported.returncode == 0 and "wants a yard sign" in exported.stdout
    table = run_hub_cli(database_url, "campaigns", "list").stdout.splitlines()
    assert [line.split()[:2] for line in table] == [
        [str(old.campaign_id), "archived"],
        [str(current.campaign_id), "active"],
    ]
    assert "1 of 1,000 calls  Campaign Old" in table[0]
