"""Signing in to the console: the cookie, its storage, throttling, roles, deactivation."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from sync.hub.console.auth import SESSION_COOKIE
from sync.hub.models import ConsoleSession, User
from sync.hub.security import token_digest
from tests.console.inprocess import Console, login_form_token, sign_in
from tests.hub.conftest import Account


def test_signing_in_sets_an_httponly_lax_cookie_whose_value_is_stored_only_hashed(
    client: TestClient, engine: Engine, organizer: Account
) -> None:
    response = sign_in(client, organizer.email, organizer.password)
    assert response.status_code == 303
    assert response.headers["location"] == "/console"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "=")
    )
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "path=/console" in flags
    assert "secure" not in flags  # plain http on loopback: a Secure cookie would be dropped
    token = client.cookies.get(SESSION_COOKIE)
    assert token
    with Session(engine) as session:
        stored = session.exec(select(ConsoleSession.token_hash)).all()
    assert stored == [token_digest(token)]  # the digest only, never the token itself


def test_over_https_the_cookie_is_secure(hub_app: object, organizer: Account) -> None:
    with TestClient(hub_app, base_url="https://hub.example.org") as client:  # type: ignore[arg-type]
        response = sign_in(client, organizer.email, organizer.password)
    assert response.status_code == 303
    assert "secure" in response.headers["set-cookie"].lower()


def test_after_sign_in_the_console_opens_where_the_organizer_was_going(
    client: TestClient, organizer: Account
) -> None:
    going = client.get("/console/exports", follow_redirects=False)
    assert going.status_code == 303
    assert going.headers["location"] == "/console/login?next=%2Fconsole%2Fexports"
    form = client.get(going.headers["location"])
    assert 'name="next" value="/console/exports"' in form.text
    token = login_form_token(client)
    response = client.post(
        "/console/login",
        data={"email": organizer.email, "password": organizer.password, "csrf_token": token,
              "next": "/console/exports"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.headers["location"] == "/console/exports"


def test_sign_in_never_sends_the_browser_to_another_site(
    client: TestClient, organizer: Account
) -> None:
    for target in ("https://evil.example/", "//evil.example/console", "/api/v1/feedback"):
        token = login_form_token(client)
        response = client.post(
            "/console/login",
            data={"email": organizer.email, "password": organizer.password,
                  "csrf_token": token, "next": target},
            follow_redirects=False,
        )  # fmt: skip
        assert response.headers["location"] == "/console", target


def test_a_wrong_password_says_so_and_stays_on_the_form(
    client: TestClient, organizer: Account
) -> None:
    response = sign_in(client, organizer.email, "not the password")
    assert response.status_code == 401
    assert "Wrong email or password." in response.text
    assert f'value="{organizer.email}"' in response.text  # the email is kept, not retyped
    assert SESSION_COOKIE not in client.cookies


def test_failed_sign_ins_are_throttled_like_the_api(client: TestClient, organizer: Account) -> None:
    for _ in range(5):  # the API's allowance (Settings.login_free_failures)
        assert sign_in(client, organizer.email, "wrong").status_code == 401
    blocked = sign_in(client, organizer.email, organizer.password)
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.text
    # The same record: the API refuses this account too now.
    api = client.post(
        "/api/v1/auth/login", json={"email": organizer.email, "password": organizer.password}
    )
    assert api.status_code == 429


def test_a_volunteer_who_signs_in_gets_the_organizers_only_page(
    client: TestClient, volunteer: Account
) -> None:
    assert sign_in(client, volunteer.email, volunteer.password).status_code == 303
    page = client.get("/console/dashboard")
    assert page.status_code == 403
    assert "Organizers only" in page.text
    assert "Volunteers make their calls in the Phonebank app" in page.text
    assert "Sign out" in page.text  # and a way out


def test_a_deactivated_account_cannot_sign_in_and_its_open_session_stops(
    client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    organizer = make_user("organizer")
    console = Console(client, organizer.email, organizer.password)
    assert console.get("/console/exports").status_code == 200
    with Session(engine) as session:
        session.execute(update(User).where(col(User.id) == organizer.id).values(active=False))
        session.commit()
    gone = console.get("/console/exports", follow_redirects=False)
    assert gone.status_code == 303
    assert gone.headers["location"].startswith("/console/login")
    client.cookies.clear()
    again = sign_in(client, organizer.email, organizer.password)
    assert again.status_code == 403
    assert "deactivated" in again.text


def test_signing_out_ends_the_session_on_the_hub_not_only_in_the_browser(
    client: TestClient, organizer: Account
) -> None:
    console = Console(client, organizer.email, organizer.password)
    stolen = console.session
    out = console.post("/console/logout")
    assert out.status_code == 303
    assert out.headers["location"] == "/console/login"
    replay = client.get(
        "/console/exports", headers={"Cookie": f"{SESSION_COOKIE}={stolen}"},
        follow_redirects=False,
    )  # fmt: skip
    assert replay.status_code == 303


def test_a_console_session_is_not_an_api_token(client: TestClient, organizer: Account) -> None:
    console = Console(client, organizer.email, organizer.password)
    api = client.get("/api/v1/feedback", headers={"Authorization": f"Bearer {console.session}"})
    assert api.status_code == 401
