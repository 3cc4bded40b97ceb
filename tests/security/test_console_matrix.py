"""Who may open which console page: every console route the hub serves, as anonymous, a
volunteer, an organizer and a deactivated organizer, and every form without its CSRF token.

The route list comes from the app (tests/security/routes.py), so a page added later is
covered without being listed here. Console pages are HTML: "refused" is a redirect to the
sign-in page (anonymous) or a 403 page, never JSON and never a 500.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col

from sync.hub.console.auth import SESSION_COOKIE, csrf_token_for
from sync.hub.crud import console_sessions
from sync.hub.db import session_scope
from sync.hub.models import User
from tests.hub.conftest import Account
from tests.security.routes import (
    CONSOLE_PUBLIC,
    CONSOLE_SIGNED_IN,
    concrete,
    console_endpoints,
)
from tests.support.hub_seed import seed_list

WHO = ["anonymous", "volunteer", "organizer", "deactivated organizer"]


def console_cookie(engine: Engine, account: Account) -> str:
    with session_scope(engine) as session:
        user = session.get(User, account.id)
        assert user is not None
        token, _ = console_sessions.start_session(session, user)
    return token


def deactivate(engine: Engine, account: Account) -> None:
    with session_scope(engine) as session:
        session.execute(update(User).where(col(User.id) == account.id).values(active=False))


Sessions = Callable[[str], "str | None"]


@pytest.fixture
def sessions(engine: Engine, make_user: Callable[..., Account]) -> Sessions:
    """`sessions(who)`: a new console session cookie for that kind of visitor (None for
    anonymous), so a route that signs out cannot spoil the next. Campaign 1 and its list
    exist, so pages with an id have something to show. The deactivated organizer's session
    was opened while the account was active: it must stop working."""
    seed_list(engine, households=3)
    # Account 1 is the one the walk's forms act on (/console/volunteers/1/deactivate...),
    # so that they leave the visitors' own accounts alone.
    make_user("volunteer", email="walked-over@example.org")
    accounts = {
        "volunteer": make_user("volunteer"),
        "organizer": make_user("organizer"),
        "deactivated organizer": make_user("organizer"),
    }
    deactivate(engine, accounts["deactivated organizer"])

    def cookie(who: str) -> str | None:
        return None if who == "anonymous" else console_cookie(engine, accounts[who])

    return cookie


def visit(
    client: TestClient, method: str, path: str, cookie: str | None, *, csrf: bool = True
) -> tuple[int, str, str]:
    headers = {"Cookie": f"{SESSION_COOKIE}={cookie}"} if cookie else {}
    data = {"csrf_token": csrf_token_for(cookie)} if cookie and csrf else {}
    response = client.request(
        method, concrete(path), headers=headers, data=data if method == "POST" else None,
        follow_redirects=False,
    )  # fmt: skip
    return response.status_code, response.headers.get("location", ""), response.text


def test_the_console_has_pages_to_walk(hub_app: FastAPI) -> None:
    routes = set(console_endpoints(hub_app))
    assert ("GET", "/console/dashboard/{campaign_id}") in routes
    assert routes >= CONSOLE_PUBLIC | CONSOLE_SIGNED_IN


def test_every_console_route_for_every_kind_of_visitor(
    hub_app: FastAPI, client: TestClient, sessions: Sessions
) -> None:
    wrong: dict[str, object] = {}
    routes = console_endpoints(hub_app)
    for method, path in routes:
        if (method, path) in CONSOLE_PUBLIC:
            continue
        for who in WHO:
            status, location, text = visit(client, method, path, sessions(who))
            where = f"{method} {path} as {who}"
            if status >= 500 or "Traceback" in text:
                wrong[where] = status
            elif who in ("anonymous", "deactivated organizer"):
                if status != 303 or not location.startswith("/console/login"):
                    wrong[where] = (status, location)
            elif who == "volunteer" and (method, path) not in CONSOLE_SIGNED_IN:
                if status != 403 or "Organizers only" not in text:
                    wrong[where] = status
            elif status in (401, 403):
                wrong[where] = status
    print(f"console matrix: {len(routes)} routes x {len(WHO)} visitors, {len(wrong)} wrong")
    assert wrong == {}


def test_every_console_form_is_refused_without_its_csrf_token(
    hub_app: FastAPI, client: TestClient, sessions: Sessions
) -> None:
    organizer = sessions("organizer")
    assert organizer is not None
    wrong = {}
    posts = [(m, p) for m, p in console_endpoints(hub_app) if m == "POST"]
    assert ("POST", "/console/logout") in posts
    for method, path in posts:
        if (method, path) in CONSOLE_PUBLIC:
            continue
        status, _, text = visit(client, method, path, organizer, csrf=False)
        if status != 403 or "Form refused" not in text:
            wrong[f"{path} without a token"] = status
        forged = client.post(
            concrete(path),
            headers={"Cookie": f"{SESSION_COOKIE}={organizer}"},
            data={"csrf_token": csrf_token_for("another session")},
            follow_redirects=False,
        )
        if forged.status_code != 403:
            wrong[f"{path} with another session's token"] = forged.status_code
    assert wrong == {}
    # The organizer is still signed in: the refusals changed nothing.
    assert visit(client, "GET", "/console/dashboard/1", organizer)[0] == 200


def test_the_sign_in_form_is_refused_without_its_token(
    client: TestClient, make_user: Callable[..., Account]
) -> None:
    organizer = make_user("organizer")
    form = {"email": organizer.email, "password": organizer.password}
    response = client.post("/console/login", data=form, follow_redirects=False)
    assert response.status_code == 403
    assert "Form refused" in response.text
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
