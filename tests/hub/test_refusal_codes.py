"""Every refusal the laptop handles carries its code and parameters beside the English detail
(sync/messages.py; docs/hub.md "Error codes"), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from sync.hub.core.config import Settings
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import users as users_crud
from sync.hub.db import session_scope
from sync.messages import Code, Message
from sync.protocol import MAX_BODY_BYTES, PROTOCOL_HEADER
from tests.hub.conftest import Account, reserve
from tests.support.hub_seed import T0, Clock, seed_list

API = "/api/v1"


def coded(response: Any, status: int, code: Code, **params: int | str) -> dict[str, Any]:
    """The body says `code` with `params`, and its detail is that message's English."""
    assert response.status_code == status, response.text
    body = dict(response.json())
    assert body["code"] == code.value, body
    assert body["params"] == params, body
    if isinstance(body["detail"], str):
        assert body["detail"] == str(Message(code, params))
    return body


def ask(client: TestClient, account: Account, list_id: int) -> Any:
    return client.post(
        f"{API}/reservations", json={"call_list_id": list_id}, headers=account.headers
    )


def test_sign_in_refusals_carry_their_codes(
    client: TestClient, hub_app: FastAPI, engine: Engine, make_user: Callable[..., Account]
) -> None:
    hub_app.state.settings = Settings(login_free_failures=2)
    account = make_user()
    login = {"email": account.email, "password": "wrong password!", "device_name": "t"}

    coded(client.post(f"{API}/auth/login", json=login), 401, Code.WRONG_CREDENTIALS)
    client.post(f"{API}/auth/login", json=login)
    throttled = client.post(f"{API}/auth/login", json=login)
    assert throttled.status_code == 429
    seconds = int(throttled.headers["Retry-After"])
    assert throttled.json()["code"] == Code.TOO_MANY_SIGN_INS.value
    assert throttled.json()["params"]["seconds"] == seconds
    assert throttled.json()["detail"] == str(Message.from_json(_as_json(throttled.json())))

    other = make_user()
    with session_scope(engine) as session:
        user = users_crud.get_user(session, other.id)
        assert user is not None
        users_crud.set_active(session, user, False)
    right = {"email": other.email, "password": other.password, "device_name": "t"}
    coded(client.post(f"{API}/auth/login", json=right), 403, Code.ACCOUNT_DEACTIVATED)


def _as_json(body: dict[str, Any]) -> str:
    return Message(Code(body["code"]), body["params"]).to_json()


def test_token_role_and_protocol_refusals_carry_their_codes(
    client: TestClient, volunteer: Account
) -> None:
    bad = {"Authorization": "Bearer not-a-token"}
    coded(client.get(f"{API}/sync", headers=bad), 401, Code.NOT_SIGNED_IN)
    # The hot route looks the token up itself: the same answer.
    refused = client.post(f"{API}/reservations", json={"call_list_id": 1}, headers=bad)
    coded(refused, 401, Code.NOT_SIGNED_IN)
    coded(client.get(f"{API}/feedback", headers=volunteer.headers), 403, Code.ORGANIZERS_ONLY)

    old = client.get(f"{API}/campaigns", headers={PROTOCOL_HEADER: "0", **volunteer.headers})
    assert coded(old, 426, Code.UPGRADE_REQUIRED)["min_protocol"] >= 1
    garbled = client.get(f"{API}/campaigns", headers={PROTOCOL_HEADER: "x", **volunteer.headers})
    coded(garbled, 400, Code.BAD_PROTOCOL_HEADER, header=PROTOCOL_HEADER, value="x")


def test_not_found_refusals_name_the_id(client: TestClient, volunteer: Account) -> None:
    coded(ask(client, volunteer, 4242), 404, Code.UNKNOWN_LIST, id=4242)
    released = client.post(f"{API}/reservations/77/release", headers=volunteer.headers)
    coded(released, 404, Code.UNKNOWN_RESERVATION, id=77)
    coded(
        client.get(f"{API}/scripts/88", headers=volunteer.headers), 404, Code.UNKNOWN_SCRIPT, id=88
    )
    feedback = {"campaign_id": 99, "text": "hello"}
    sent = client.post(f"{API}/feedback", json=feedback, headers=volunteer.headers)
    coded(sent, 404, Code.UNKNOWN_CAMPAIGN, id=99)


def test_body_refusals_carry_their_codes(client: TestClient, volunteer: Account) -> None:
    invalid = client.post(
        f"{API}/reservations", json={"call_list_id": "x"}, headers=volunteer.headers
    )
    assert invalid.status_code == 422
    body = invalid.json()
    assert isinstance(body["detail"], list)  # FastAPI's list of errors, as before
    assert body["code"] == Code.INVALID_REQUEST.value
    assert body["params"]["where"] == "body.call_list_id"

    too_big = client.post(
        f"{API}/results",
        content=b"x" * (MAX_BODY_BYTES + 1),
        headers={"Content-Type": "application/json", **volunteer.headers},
    )
    coded(too_big, 413, Code.TOO_LARGE, megabytes=MAX_BODY_BYTES // (1024 * 1024))


def test_reservation_refusals_say_why_with_a_code(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=2, list_size=2, cooldown_seconds=600)
    first, second = make_user(), make_user()
    reserve(client, first, seeded.list_id)

    coded(ask(client, second, seeded.list_id), 409, Code.LIST_BUSY, list="Ohio")
    clock.advance(seconds=90)
    cooling = coded(ask(client, first, seeded.list_id), 429, Code.COOLING_DOWN, seconds=510)
    assert cooling["retry_after"] == 510

    finished = seed_list(engine, households=0, name="Done")
    coded(ask(client, second, finished.list_id), 409, Code.LIST_FINISHED, list="Done")

    night = seed_list(engine, households=1, hours=("09:00", "10:00"), name="Late")
    clock.now = T0 + timedelta(hours=5)  # 15:00 in New York
    outside = ask(client, second, night.list_id)
    coded(outside, 409, Code.OUTSIDE_CALLING_HOURS, list="Late", start="09:00", end="10:00")

    with session_scope(engine) as session:
        campaign = campaigns_crud.get_campaign(session, night.campaign_id)
        assert campaign is not None
        campaigns_crud.set_status(session, campaign, "paused")
    paused = ask(client, second, night.list_id)
    assert coded(paused, 409, Code.CAMPAIGN_PAUSED, campaign="Campaign Late")["reason"] == "paused"


def test_the_cap_on_lists_carries_its_numbers(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=20, list_size=2, cooldown_seconds=0)
    with session_scope(engine) as session:
        campaign = campaigns_crud.get_campaign(session, seeded.campaign_id)
        assert campaign is not None
        campaigns_crud.update_campaign(session, campaign, max_lists_per_hour=1)
    reserve(client, volunteer, seeded.list_id)
    clock.advance(seconds=60)

    capped = coded(
        ask(client, volunteer, seeded.list_id),
        429,
        Code.LIST_CAP,
        cap=1,
        window="hour",
        campaign="Campaign Ohio",
        seconds=3540,
    )
    assert "You can ask for more names in 59 minutes." in capped["detail"]
