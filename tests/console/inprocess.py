"""The console in-process (TestClient), signed in through the real sign-in form."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from sync.hub.console.auth import SESSION_COOKIE, csrf_token_for

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def login_form_token(client: TestClient) -> str:
    page = client.get("/console/login")
    assert page.status_code == 200
    found = _CSRF.search(page.text)
    assert found, "the sign-in form has no CSRF token"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str) -> Response:
    """Post the sign-in form as a browser would (its CSRF cookie and field)."""
    token = login_form_token(client)
    return client.post(
        "/console/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


class Console:
    """An organizer's browser, in-process: `console.get(path)`, `console.post(path, data)`."""

    def __init__(self, client: TestClient, email: str, password: str) -> None:
        self.client = client
        response = sign_in(client, email, password)
        assert response.status_code == 303, response.text
        self.session = client.cookies.get(SESSION_COOKIE)
        assert self.session
        self.csrf = csrf_token_for(self.session)

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict[str, str] | None = None, **kwargs: Any) -> Response:
        form = {"csrf_token": self.csrf, **(data or {})}
        return self.client.post(path, data=form, follow_redirects=False, **kwargs)
