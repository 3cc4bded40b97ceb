"""Who may call what: every route the hub registers, without and with bad tokens.

The route list comes from the app itself, so a route added later is covered automatically;
the two tables in tests/security/routes.py say which routes are public and which are for
organizers only. A new organizer-only route that is missing from ORGANIZER_ONLY makes
`test_volunteers_get_403_exactly_on_organizer_routes` fail until it is added. What one
volunteer may do to another's things is in test_another_volunteer.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.models import ApiToken
from sync.hub.types import utcnow
from tests.hub.conftest import Account
from tests.security.routes import (
    ORGANIZER_ONLY,
    PUBLIC,
    concrete,
    endpoints,
    fresh_headers,
    private_endpoints,
)


def call(client: TestClient, method: str, path: str, headers: dict[str, str]) -> int:
    response = client.request(method, concrete(path), headers=headers, json={})
    return response.status_code


def test_the_tables_name_only_real_routes(hub_app: FastAPI) -> None:
    served = set(endpoints(hub_app))
    assert ("GET", "/api/v1/campaigns") in served  # the listing works at all
    assert served >= PUBLIC, PUBLIC - served
    # The export route may not be registered yet while it is being written.
    assert ORGANIZER_ONLY - served <= {("GET", "/api/v1/campaigns/{campaign_id}/export.csv")}


CREDENTIALS = ["none", "garbage", "overlong", "expired", "revoked", "not-bearer"]


def bad_headers(engine: Engine, account: Account, credentials: str) -> dict[str, str]:
    """Authorization headers that must not let anyone in (`account`'s token is spoilt)."""
    if credentials == "none":
        return {}
    if credentials == "garbage":
        return {"Authorization": "Bearer not-a-real-token"}
    if credentials == "overlong":
        return {"Authorization": "Bearer " + "a" * 5000}
    if credentials == "not-bearer":
        return {"Authorization": f"Basic {account.token}"}
    with Session(engine) as session:
        row = session.exec(select(ApiToken).where(ApiToken.user_id == account.id)).one()
        if credentials == "expired":
            row.expires_at = utcnow() - timedelta(seconds=1)
        else:
            row.revoked_at = utcnow()
        session.add(row)
        session.commit()
    return account.headers


def test_every_private_route_answers_401_without_a_valid_token(
    hub_app: FastAPI, client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    wrong = {}
    for credentials in CREDENTIALS:
        headers = bad_headers(engine, make_user(), credentials)
        for method, path in endpoints(hub_app):
            if (method, path) in PUBLIC:
                continue
            status = call(client, method, path, headers)
            if status != 401:
                wrong[f"{credentials}: {method} {path}"] = status
    routes = len(private_endpoints(hub_app))
    print(
        f"matrix: {routes} private routes x {len(CREDENTIALS)} bad credentials, {len(wrong)} wrong"
    )
    assert wrong == {}


def test_volunteers_get_403_exactly_on_organizer_routes(
    hub_app: FastAPI, client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    volunteer, organizer = make_user("volunteer"), make_user("organizer")
    wrong = {}
    for method, path in endpoints(hub_app):
        if (method, path) in PUBLIC:
            continue
        as_volunteer = call(client, method, path, fresh_headers(engine, volunteer))
        as_organizer = call(client, method, path, fresh_headers(engine, organizer))
        expected_403 = (method, path) in ORGANIZER_ONLY
        if (as_volunteer == 403) != expected_403 or as_volunteer == 401:
            wrong[f"{method} {path} as volunteer"] = as_volunteer
        if as_organizer in (401, 403) or as_organizer >= 500:
            wrong[f"{method} {path} as organizer"] = as_organizer
        if as_volunteer >= 500:
            wrong[f"{method} {path} as volunteer"] = as_volunteer
    routes = len(private_endpoints(hub_app))
    print(f"matrix: {routes} private routes x volunteer, organizer, {len(wrong)} wrong")
    assert wrong == {}


def test_public_routes_answer_without_a_token(client: TestClient) -> None:
    assert client.get("/openapi.json").status_code == 200
    # No Swagger UI or ReDoc: their pages would load scripts from the internet.
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    login = client.post("/api/v1/auth/login", json={"email": "x@y.org", "password": "z"})
    assert login.status_code == 401
    assert login.json() == {
        "detail": "Wrong email or password.",
        "code": "wrong_credentials",
        "params": {},
    }


MALFORMED_BODIES = [
    b"{not json",
    b"",
    b"null",
    b"[1, 2]",
    b'{"results": "many"}',
    b'{"call_list_id": "x", "text": 5, "email": []}',
    b"\xff\xfe\x00garbage",
]


def test_malformed_bodies_get_a_4xx_json_answer_never_500(
    hub_app: FastAPI, client: TestClient, engine: Engine, organizer: Account
) -> None:
    paths = hub_app.openapi()["paths"]
    with_body = [
        (method.upper(), path)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]
    assert ("POST", "/api/v1/auth/login") in with_body
    wrong = {}
    for method, path in with_body:
        for body in MALFORMED_BODIES:
            response = client.request(
                method,
                concrete(path),
                content=body,
                headers={**fresh_headers(engine, organizer), "Content-Type": "application/json"},
            )
            if not 400 <= response.status_code < 500 or "detail" not in response.json():
                wrong[f"{method} {path} {body[:20]!r}"] = response.status_code
    assert wrong == {}


def test_out_of_range_ids_in_paths_never_get_500(
    hub_app: FastAPI, client: TestClient, engine: Engine, organizer: Account
) -> None:
    wrong = {}
    for number in ["0", "-1", "3000000000", "99999999999999999999999"]:
        for method, path in endpoints(hub_app):
            if "{" not in path:
                continue
            url = re.sub(r"\{[^}]+\}", number, path)
            headers = fresh_headers(engine, organizer)
            response = client.request(method, url, headers=headers, json={})
            if response.status_code >= 500 or response.status_code in (401, 403):
                wrong[f"{method} {url}"] = response.status_code
    assert wrong == {}


def test_out_of_range_ids_in_bodies_never_get_500(client: TestClient, volunteer: Account) -> None:
    wrong = {}
    for number in [-1, 0, 3000000000, 10**25]:
        bodies = {
            "/api/v1/feedback": {"campaign_id": number, "text": "hello"},
            "/api/v1/reservations": {"call_list_id": number},
        }
        for path, body in bodies.items():
            response = client.post(path, json=body, headers=volunteer.headers)
            if not 400 <= response.status_code < 500:
                wrong[f"{path} {number}"] = response.status_code
    assert wrong == {}


def test_openapi_lists_every_refusal_a_route_answers(hub_app: FastAPI) -> None:
    """Clients are generated from, and read, the OpenAPI description: every private route
    names 401 and 426; a route with a body 413 and 422; organizer-only routes 403."""
    schema = hub_app.openapi()
    missing: dict[str, set[str]] = {}
    for method, path in private_endpoints(hub_app):
        operation = schema["paths"].get(path, {}).get(method.lower())
        if operation is None:  # a documentation page
            continue
        wanted = {"401", "426"}
        if "requestBody" in operation:
            wanted |= {"413", "422"}
        if (method, path) in ORGANIZER_ONLY:
            wanted.add("403")
        gaps = wanted - set(operation["responses"])
        if gaps:
            missing[f"{method} {path}"] = gaps
    assert missing == {}
    login = schema["paths"]["/api/v1/auth/login"]["post"]["responses"]
    assert {"401", "413", "422", "426", "429"} <= set(login)
