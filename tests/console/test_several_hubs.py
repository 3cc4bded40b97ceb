"""Console sessions live in the database: any hub process serves any signed-in organizer."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx

from tests.console.seed import ORGANIZER_EMAIL, ORGANIZER_PASSWORD, add_user
from tests.support.hub_process import HubProcess


def test_a_session_from_one_hub_process_works_on_another_and_signing_out_ends_it_on_both(
    database_url: str, hub_factory: Callable[..., HubProcess]
) -> None:
    add_user(database_url, ORGANIZER_EMAIL, "Ana Organizer", "organizer")
    first, second = hub_factory(database_url), hub_factory(database_url)
    with httpx.Client(base_url=first.url) as one, httpx.Client(base_url=second.url) as two:
        form = one.get("/console/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token
        signed_in = one.post(
            "/console/login",
            data={"email": ORGANIZER_EMAIL, "password": ORGANIZER_PASSWORD,
                  "csrf_token": token.group(1)},
        )  # fmt: skip
        assert signed_in.status_code == 303
        two.cookies = one.cookies  # the same browser, now reaching the other process
        page = two.get("/console/exports")
        assert page.status_code == 200
        assert "Ana Organizer" in page.text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf
        out = two.post("/console/logout", data={"csrf_token": csrf.group(1)})
        assert out.status_code == 303
        one.cookies.clear()
        one.cookies.set("phonebank_console", signed_in.cookies["phonebank_console"],
                        domain="127.0.0.1", path="/console")  # fmt: skip
        after = one.get("/console/exports")
        assert after.status_code == 303
        assert after.headers["location"].startswith("/console/login")
