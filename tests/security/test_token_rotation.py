"""Token lifetime and rotation, against a real hub process on loopback (SQLite, PostgreSQL).

What a laptop depends on: past half its life a token is exchanged for a new one (full
lifetime) and before that the hub says "not yet" and when; the old token keeps working for
a short overlap only, so a lost reply can be asked again with it (another new token, the
unreceived one revoked) and then stops; deactivation and a password change revoke renewed
tokens too; no token reaches the hub's log. Time is moved by ageing the token's row in the
database, never by sleeping.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import requests
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from sync.hub import security
from sync.hub.core.config import Settings
from sync.hub.crud import users as users_crud
from sync.hub.db import session_scope
from sync.hub.models import ApiToken, User
from sync.hub.types import utcnow
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.hub.conftest import Account
from tests.support.hub_process import HubProcess

TTL = timedelta(days=Settings().token_ttl_days)
OVERLAP = timedelta(seconds=Settings().token_overlap_seconds)


@pytest.fixture
def hub(database_url: str, hub_factory: Callable[..., HubProcess]) -> HubProcess:
    return hub_factory(database_url)


def call(hub: HubProcess, method: str, path: str, token: str) -> requests.Response:
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": f"Bearer {token}"}
    return requests.request(method, f"{hub.url}/api/v1{path}", headers=headers, timeout=10)


def renew(hub: HubProcess, token: str) -> requests.Response:
    return call(hub, "POST", "/auth/renew", token)


def works(hub: HubProcess, token: str) -> bool:
    status = call(hub, "GET", "/auth/me", token).status_code
    assert status in (200, 401), status
    return status == 200


def row_of(engine: Engine, token: str) -> ApiToken:
    with Session(engine) as session:
        digest = security.token_digest(token)
        return session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).one()


def age(engine: Engine, token: str, by: timedelta) -> None:
    """Let `by` pass for this token: its issue and expiry move that much into the past."""
    with Session(engine) as session:
        row = session.exec(
            select(ApiToken).where(ApiToken.token_hash == security.token_digest(token))
        ).one()
        row.created_at -= by
        row.expires_at -= by
        session.add(row)
        session.commit()


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_before_half_its_life_a_token_is_not_renewed_and_told_when(
    hub: HubProcess, engine: Engine, volunteer: Account
) -> None:
    answer = renew(hub, volunteer.token)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["renewed"] is False and body["token"] is None
    row = row_of(engine, volunteer.token)
    assert when(body["expires_at"]) == row.expires_at
    assert when(body["renew_after"]) == row.created_at + TTL / 2
    assert works(hub, volunteer.token)
    with Session(engine) as session:  # "not yet" wrote nothing
        assert len(session.exec(select(ApiToken)).all()) == 1


def test_past_half_its_life_a_token_is_replaced_and_the_old_one_lives_only_the_overlap(
    hub: HubProcess, engine: Engine, volunteer: Account
) -> None:
    age(engine, volunteer.token, TTL / 2 + timedelta(minutes=1))
    before = utcnow()
    answer = renew(hub, volunteer.token)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["renewed"] is True
    new = body["token"]
    assert new and new != volunteer.token
    # A full lifetime again, renewable from half of it.
    assert before + TTL <= when(body["expires_at"]) <= utcnow() + TTL
    assert when(body["renew_after"]) == when(body["expires_at"]) - TTL / 2
    assert works(hub, new)
    # Stored hashed, like every token.
    assert row_of(engine, new).token_hash == security.token_digest(new)
    # The old token works during the overlap (a lost reply can be asked again)...
    assert works(hub, volunteer.token)
    old = row_of(engine, volunteer.token)
    assert before + OVERLAP <= old.expires_at <= utcnow() + OVERLAP
    # ...and not after it; the new one is untouched by that.
    age(engine, volunteer.token, OVERLAP + timedelta(seconds=1))
    assert not works(hub, volunteer.token)
    assert renew(hub, volunteer.token).status_code == 401
    assert works(hub, new)
    # The new token is not half-way: "not yet".
    assert renew(hub, new).json()["renewed"] is False


def test_a_lost_reply_is_asked_again_with_the_old_token(
    hub: HubProcess, engine: Engine, volunteer: Account
) -> None:
    age(engine, volunteer.token, TTL / 2 + timedelta(minutes=1))
    lost = renew(hub, volunteer.token).json()["token"]
    overlap_end = row_of(engine, volunteer.token).expires_at
    again = renew(hub, volunteer.token).json()
    assert again["renewed"] is True and again["token"] not in (lost, volunteer.token)
    assert works(hub, again["token"])
    # The token the laptop never received is revoked: one live successor at most...
    assert not works(hub, lost)
    # ...and asking again does not lengthen the old token's overlap.
    assert row_of(engine, volunteer.token).expires_at == overlap_end


def test_renewals_at_once_leave_one_live_successor(
    hub: HubProcess, engine: Engine, volunteer: Account
) -> None:
    age(engine, volunteer.token, TTL / 2 + timedelta(minutes=1))
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: renew(hub, volunteer.token), range(8)))
    assert [a.status_code for a in answers] == [200] * 8
    new = [a.json()["token"] for a in answers]
    assert len(set(new)) == 8
    assert sum(works(hub, token) for token in new) == 1
    old_id = row_of(engine, volunteer.token).id
    with Session(engine) as session:
        live = session.exec(
            select(ApiToken).where(
                ApiToken.renewed_from_id == old_id, col(ApiToken.revoked_at).is_(None)
            )
        ).all()
    assert len(live) == 1


@pytest.mark.parametrize("change", ["deactivate", "password"])
def test_a_renewed_token_is_revoked_by_deactivation_and_password_change(
    hub: HubProcess, engine: Engine, volunteer: Account, change: str
) -> None:
    age(engine, volunteer.token, TTL / 2 + timedelta(minutes=1))
    new = renew(hub, volunteer.token).json()["token"]
    assert works(hub, new) and works(hub, volunteer.token)
    with session_scope(engine) as session:
        user = session.get(User, volunteer.id)
        assert user is not None
        if change == "deactivate":
            users_crud.set_active(session, user, False)
        else:
            assert users_crud.set_password(session, user, security.hash_password("x" * 16)) == 2
    assert not works(hub, new)
    assert not works(hub, volunteer.token)
    assert renew(hub, new).status_code == 401


def test_renewal_refuses_bad_tokens_and_logs_no_token(
    hub: HubProcess, engine: Engine, volunteer: Account
) -> None:
    for bad in ["", "not-a-token", "a" * 5000]:
        answer = renew(hub, bad)
        assert answer.status_code == 401, (bad[:20], answer.text)
        assert answer.json()["code"] == "not_signed_in"
    age(engine, volunteer.token, TTL / 2 + timedelta(minutes=1))
    new = renew(hub, volunteer.token).json()["token"]
    log = hub.log_text()
    assert "renewed" in log
    assert volunteer.token not in log and new not in log
