"""Regressions found in a review of the hub: each test failed before its fix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.hub.conftest import Account
from tests.support.hub_seed import Clock, install_clock, result_body, seed_list

API = "/api/v1"


@pytest.fixture
def clock(hub_app: FastAPI) -> Clock:
    return install_clock(hub_app)


def reserve(client: TestClient, account: Account, list_id: int) -> dict[str, Any]:
    response = client.post(
        f"{API}/reservations", json={"call_list_id": list_id}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def post(client: TestClient, account: Account, *results: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        f"{API}/results", json={"results": list(results)}, headers=account.headers
    )
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


def sync(client: TestClient, account: Account) -> dict[str, Any]:
    response = client.get(f"{API}/sync", headers=account.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_sync_never_tells_a_volunteer_about_a_household_now_held_by_someone_else(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    # A 24-hour hold; a no-answer ends it and the household may be retried after an hour.
    seeded = seed_list(
        engine, households=2, list_size=2, hold_seconds=24 * 3600, retry_after_seconds=3600
    )
    first, second = make_user(), make_user()
    mine = reserve(client, first, seeded.list_id)
    called, kept = mine["contacts"]
    post(client, first, result_body(called, mine, disposition="no_answer", script_version=0))
    clock.advance(hours=1)
    theirs = reserve(client, second, seeded.list_id)
    assert [c["id"] for c in theirs["contacts"]] == [called["id"]]
    # The number is put on the do-not-call list while the second volunteer holds it.
    post(client, second, result_body(called, theirs, disposition="do_not_call", script_version=0))

    body = sync(client, first)

    (reservation,) = body["reservations"]
    assert reservation["status"] == "active"
    # Only what the first volunteer still holds: not the household handed to someone else.
    assert [c["id"] for c in reservation["contacts"]] == [kept["id"]]
    assert body["dnc"] == []
    assert sync(client, second)["dnc"] == [called["phone"]]


def test_sync_dnc_covers_an_expired_list_still_on_the_laptop_not_a_released_one(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    first = seed_list(engine, households=1, hold_seconds=3600)
    second = seed_list(engine, households=1, phones=first.phones, name="Elsewhere")
    holder, caller = make_user(), make_user()
    held = reserve(client, holder, first.list_id)
    clock.advance(hours=2)  # expired, but nobody else was given it: the laptop may still call
    called = reserve(client, caller, second.list_id)
    post(
        client,
        caller,
        result_body(called["contacts"][0], called, disposition="do_not_call", script_version=0),
    )

    assert sync(client, holder)["dnc"] == first.phones
    client.post(f"{API}/reservations/{held['id']}/release", headers=holder.headers)
    assert sync(client, holder)["dnc"] == []  # given back: the laptop no longer has it
