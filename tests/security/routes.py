"""The hub's routes as the app itself lists them, and which of them are public or for
organizers only. Every security test walks this list, so a route added later is covered
without anyone remembering to add it."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy.engine import Engine

from sync.hub.crud import users as users_crud
from sync.hub.db import session_scope
from sync.hub.models import User
from tests.hub.conftest import Account

# (method, path template) that anyone may call. (Swagger UI and ReDoc are off: their pages
# load scripts from a CDN.)
PUBLIC = {
    ("POST", "/api/v1/auth/login"),
    ("GET", "/openapi.json"),
}
# (method, path template) that volunteers are refused (403).
ORGANIZER_ONLY = {
    ("GET", "/api/v1/campaigns/{campaign_id}/export.csv"),
    ("GET", "/api/v1/feedback"),
}


# The organizer console's HTML pages (sync/hub/console): signed in with a browser session
# cookie, not a bearer token; tests/security/test_console_matrix.py walks them.
CONSOLE_PREFIX = "/console"
# Console pages anyone may open (sign-in) and "/" (a redirect to the console).
CONSOLE_PUBLIC = {
    ("GET", "/"),
    ("GET", "/console/login"),
    ("POST", "/console/login"),
}
# Console pages for anyone signed in, volunteers too (signing out).
CONSOLE_SIGNED_IN = {("POST", "/console/logout")}


def is_console(path: str) -> bool:
    return path == "/" or path == CONSOLE_PREFIX or path.startswith(CONSOLE_PREFIX + "/")


def all_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path template) the app serves, HEAD and OPTIONS aside.

    API routes come from the OpenAPI schema (FastAPI's public view of every included
    router); pages outside the schema (the console) are plain routes on the app itself.
    """
    found = set()
    for path, operations in app.openapi()["paths"].items():
        for method in operations:
            found.add((method.upper(), path))
    # Included routers are nested in FastAPI's route list: walk it whole.
    for route in iter_route_contexts(app.routes):
        if route.path is not None and route.methods:
            for method in route.methods:
                found.add((method, route.path))
    return {(m, p) for m, p in found if m not in ("HEAD", "OPTIONS")}


def endpoints(app: FastAPI) -> list[tuple[str, str]]:
    """Every API (method, path template): bearer tokens, JSON. The console is apart."""
    found = {(m, p) for m, p in all_routes(app) if not is_console(p)}
    return sorted(found, key=lambda e: (e[1], e[0]))


def console_endpoints(app: FastAPI) -> list[tuple[str, str]]:
    """Every console page (method, path template), the public ones included."""
    found = {(m, p) for m, p in all_routes(app) if is_console(p)}
    return sorted(found, key=lambda e: (e[1], e[0]))


def private_endpoints(app: FastAPI) -> list[tuple[str, str]]:
    return [e for e in endpoints(app) if e not in PUBLIC]


def concrete(path: str, value: object = 1) -> str:
    """The path with every {parameter} replaced by `value`."""
    return re.sub(r"\{[^}]+\}", str(value), path)


def fresh_headers(engine: Engine, account: Account) -> dict[str, str]:
    """A new token for each call, so a route that signs out cannot spoil the next one."""
    with session_scope(engine) as session:
        user = session.get(User, account.id)
        assert user is not None
        token, _ = users_crud.issue_token(session, user, "matrix")
    return {"Authorization": f"Bearer {token}"}
