"""Sign-in: tokens, hashing, expiry, protocol header, malformed bodies.

Throttling of repeated bad sign-ins: tests/security/test_login_throttle.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub import security
from sync.hub.crud import users as users_crud
from sync.hub.models import ApiToken
from sync.hub.types import utcnow
from sync.protocol import PROTOCOL_HEADER, LoginResponse
from tests.hub.conftest import PASSWORD, Account

LOGIN = "/api/v1/auth/login"
CAMPAIGNS = "/api/v1/campaigns"


def login(client: TestClient, email: str, password: str = PASSWORD) -> Response:
    body = {"email": email, "password": password, "device_name": "laptop"}
    return client.post(LOGIN, json=body)


def test_login_returns_token_and_volunteer(client: TestClient, volunteer: Account) -> None:
    response = login(client, volunteer.email.upper())  # email is case-insensitive
    assert response.status_code == 200, response.text
    body = LoginResponse.model_validate(response.json())
    assert body.volunteer.id == volunteer.id
    assert body.volunteer.role == "volunteer"
    assert body.volunteer.name == volunteer.user.name
    assert body.expires_at is not None and body.expires_at > utcnow() + timedelta(days=29)
    headers = {"Authorization": f"Bearer {body.token}"}
    assert client.get(CAMPAIGNS, headers=headers).status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_401(
    client: TestClient, volunteer: Account
) -> None:
    wrong_password = login(client, volunteer.email, "nope")
    unknown_email = login(client, "nobody@example.org", "nope")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()
    assert "token" not in wrong_password.json()


def test_token_is_stored_only_as_a_hash(
    client: TestClient, engine: Engine, volunteer: Account
) -> None:
    token = login(client, volunteer.email).json()["token"]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM api_tokens")).all()
    assert len(rows) == 2  # the fixture's token and this one
    dump = repr(rows)
    assert token not in dump and volunteer.token not in dump
    with Session(engine) as session:
        assert users_crud.user_for_token(session, token) is not None


def test_expired_and_revoked_tokens_are_refused(
    client: TestClient, engine: Engine, volunteer: Account, make_user: Callable[..., Account]
) -> None:
    other = make_user()
    with Session(engine) as session:
        row = session.exec(select(ApiToken).where(ApiToken.user_id == volunteer.id)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
        assert users_crud.revoke_token(session, other.token)
        session.commit()
        assert users_crud.user_for_token(session, volunteer.token) is None
        assert users_crud.user_for_token(session, other.token) is None
    for account in (volunteer, other):
        response = client.get(CAMPAIGNS, headers=account.headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_old_protocol_gets_426_and_bad_header_400(client: TestClient, volunteer: Account) -> None:
    old = client.get(CAMPAIGNS, headers={**volunteer.headers, PROTOCOL_HEADER: "0"})
    assert old.status_code == 426
    assert "upgrade" in old.json()["detail"]
    bad = client.get(CAMPAIGNS, headers={**volunteer.headers, PROTOCOL_HEADER: "one"})
    assert bad.status_code == 400
    assert PROTOCOL_HEADER in bad.json()["detail"]


def test_malformed_login_bodies_get_4xx_json(client: TestClient) -> None:
    bodies = [
        b"{not json",
        b"[]",
        b'{"email": "a@b.org"}',
        b'{"email": 5, "password": null}',
        b'{"email": "a@b.org", "password": "' + b"x" * 5000 + b'"}',
        "\udcff".encode("utf-8", "surrogatepass"),
        # PostgreSQL text cannot hold NUL: refused up front, never a 500.
        b'{"email": "a\\u0000@b.org", "password": "x"}',
        b'{"email": "a@b.org", "password": "x\\u0000"}',
    ]
    for body in bodies:
        response = client.post(LOGIN, content=body, headers={"Content-Type": "application/json"})
        assert 400 <= response.status_code < 500, (body[:40], response.status_code)
        assert "detail" in response.json()


def test_me_and_logout_revokes_only_that_token(client: TestClient, volunteer: Account) -> None:
    other_laptop = login(client, volunteer.email).json()["token"]
    me = client.get("/api/v1/auth/me", headers=volunteer.headers)
    assert me.status_code == 200
    assert me.json() == {
        "id": volunteer.id,
        "name": volunteer.user.name,
        "role": "volunteer",
        "email": volunteer.email,
        "languages": [],
    }
    assert client.post("/api/v1/auth/logout", headers=volunteer.headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=volunteer.headers).status_code == 401
    still = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {other_laptop}"})
    assert still.status_code == 200


def test_unknown_email_costs_one_argon2_check_like_a_wrong_password(
    client: TestClient, volunteer: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str | None] = []
    real = security.verify_password

    def counting(password_hash: str | None, password: str) -> bool:
        checked.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(security, "verify_password", counting)
    assert login(client, "nobody@example.org", "nope").status_code == 401
    assert login(client, volunteer.email, "nope").status_code == 401
    assert checked == [None, volunteer.user.password_hash]  # None: checked against a dummy
