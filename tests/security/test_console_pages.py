"""Console pages never run user text, never load anything from elsewhere, never show a
traceback."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from sync.hub.crud import scripts as scripts_crud
from sync.hub.db import session_scope
from sync.hub.script_file import load_script_file
from tests.console.inprocess import Console
from tests.hub.conftest import Account, reserve
from tests.security.routes import concrete, console_endpoints
from tests.support.hub_process import REPO_ROOT
from tests.support.hub_seed import result_body, seed_list

SCRIPT_NOTE = "<script>alert('note')</script><img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example/","click me")'


@pytest.fixture
def hostile(
    engine: Engine, client: TestClient, make_user: Callable[..., Account]
) -> tuple[int, Account]:
    """A campaign whose volunteer (named with markup) sent markup and formulas."""
    seeded = seed_list(engine, households=2, list_size=2)
    with session_scope(engine) as session:
        script = load_script_file(REPO_ROOT / "resources" / "scripts" / "gotv.yaml")
        scripts_crud.publish_script(session, seeded.campaign_id, script)
    caller = make_user(name="<b>Bold</b> Caller")
    held = reserve(client, caller, seeded.list_id)
    results = [
        result_body(held["contacts"][0], held, notes=SCRIPT_NOTE,
                    answers={"support": "undecided", "issue": FORMULA}),
        result_body(held["contacts"][1], held, answers={"support": "<i>maybe</i>"}),
    ]  # fmt: skip
    sent = client.post("/api/v1/results", json={"results": results}, headers=caller.headers)
    assert sent.is_success, sent.text
    feedback = {"text": SCRIPT_NOTE, "campaign_id": seeded.campaign_id}
    assert client.post("/api/v1/feedback", json=feedback, headers=caller.headers).is_success
    return seeded.campaign_id, caller


def test_user_text_is_shown_as_text_on_every_page(
    client: TestClient, organizer: Account, hostile: tuple[int, Account]
) -> None:
    campaign_id, _ = hostile
    console = Console(client, organizer.email, organizer.password)
    pages = {
        "listening": console.get(f"/console/listening/{campaign_id}").text,
        "search": console.get(f"/console/listening/{campaign_id}", params={"q": "<script>"}).text,
        "feedback": console.get("/console/feedback").text,
        "dashboard": console.get(f"/console/dashboard/{campaign_id}").text,
    }
    for name, page in pages.items():
        assert "<script>alert" not in page, name
        assert "<img src=x" not in page, name
        assert "<b>Bold</b>" not in page and "<i>maybe</i>" not in page, name
    assert "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;" in pages["listening"]
    assert "<mark>&lt;script&gt;</mark>alert" in pages["search"]  # escaped, then marked
    assert "&lt;script&gt;" in pages["feedback"]
    assert "&lt;b&gt;Bold&lt;/b&gt; Caller" in pages["dashboard"]
    assert "=HYPERLINK(&#34;http://evil.example/&#34;" in pages["listening"]
    assert "&lt;i&gt;maybe&lt;/i&gt;" in pages["listening"]  # an unknown choice, counted


def test_exported_views_defuse_formulas(
    client: TestClient, organizer: Account, hostile: tuple[int, Account]
) -> None:
    campaign_id, _ = hostile
    console = Console(client, organizer.email, organizer.password)
    rows = list(csv.DictReader(io.StringIO(
        console.get(f"/console/listening/{campaign_id}/export.csv").text
    )))  # fmt: skip
    answer = next(r for r in rows if r["question"] != "Note")
    assert answer["text"] == "'" + FORMULA
    results = console.get(f"/console/exports/{campaign_id}/results.csv").text
    assert "'=HYPERLINK(" in results and ",=HYPERLINK(" not in results


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "poster", "data") and value:
                self.found.append(value)


def test_no_console_page_loads_anything_from_elsewhere(
    hub_app: FastAPI, client: TestClient, organizer: Account, hostile: tuple[int, Account]
) -> None:
    console = Console(client, organizer.email, organizer.password)
    seen = 0
    outside: dict[str, list[str]] = {}
    for method, path in console_endpoints(hub_app):
        if method != "GET":
            continue
        response = console.get(concrete(path))
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        seen += 1
        links = _Links()
        links.feed(response.text)
        for link in links.found:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                outside.setdefault(path, []).append(link)
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy, path
    assert seen >= 6  # sign-in, dashboard, listening, feedback, exports... were looked at
    assert outside == {}
    css = client.get("/console/static/console.css").text
    assert "url(" not in css and "@import" not in css


def test_a_failure_inside_a_page_is_a_friendly_500_page(
    client: TestClient, organizer: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.hub.crud import campaigns as campaigns_crud

    def broken(*_: object) -> object:
        raise RuntimeError("secret internals /etc/phonebank")

    console = Console(client, organizer.email, organizer.password)
    monkeypatch.setattr(campaigns_crud, "list_campaigns", broken)
    page = console.get("/console/exports")
    assert page.status_code == 500
    assert "Something went wrong on the hub" in page.text
    assert "secret internals" not in page.text and "Traceback" not in page.text


class _Forms(HTMLParser):
    """Each POST form's action and the CSRF token it carries ('' when it has none)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self.forms.append([values.get("action") or "", ""])
        elif tag == "input" and values.get("name") == "csrf_token" and self.forms:
            self.forms[-1][1] = values.get("value") or ""


def test_every_form_on_every_page_carries_this_sessions_token(
    hub_app: FastAPI, client: TestClient, organizer: Account, hostile: tuple[int, Account]
) -> None:
    console = Console(client, organizer.email, organizer.password)
    forms = _Forms()
    for method, path in console_endpoints(hub_app):
        if method == "GET" and path != "/console/login":  # its form has a pre-session token
            forms.feed(console.get(concrete(path)).text)
    actions = {action for action, _ in forms.forms}
    assert {"/console/logout", "/console/stars", "/console/feedback/1/read"} <= actions
    assert {token for _, token in forms.forms} == {console.csrf}
