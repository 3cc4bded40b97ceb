"""Browser fixtures for the console: Debian's chromium driven by Playwright, against a real
hub process on loopback (SQLite, then PostgreSQL).

    def test_x(console_hub, page, sign_in):
        sign_in(page, console_hub)                      # as the organizer
        page.goto(console_hub.url + "/console/dashboard")

Reuse them from another test folder with
`from tests.console.conftest import browser, page, console_hub, sign_in  # noqa: F401`.
Playwright's own browser download is never used (`executable_path`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.console.seed import ORGANIZER_EMAIL, ORGANIZER_PASSWORD, add_user
from tests.e2e.seed import VOLUNTEER_EMAIL, VOLUNTEER_PASSWORD, seed_hub
from tests.hub.conftest import (  # noqa: F401  (in-process fixtures for the console's pages)
    client,
    clock,
    engine,
    hub_app,
    make_user,
    organizer,
    volunteer,
)
from tests.support.hub_process import HubProcess, hub_factory  # noqa: F401  (a fixture)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}
WAIT_MS = 30_000  # how long an expectation waits for the page (a condition, not a sleep)


def launch_chromium(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the test session."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required in CI (Debian package chromium, see Makefile)")
        pytest.skip(f"{CHROMIUM} not installed (Debian package chromium; `make system-deps`)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page at 1280x800."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(WAIT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@dataclass
class ConsoleHub:
    hub: HubProcess
    database_url: str
    campaign_id: int
    list_name: str
    organizer_email: str = ORGANIZER_EMAIL
    organizer_password: str = ORGANIZER_PASSWORD
    volunteer_email: str = VOLUNTEER_EMAIL
    volunteer_password: str = VOLUNTEER_PASSWORD

    @property
    def url(self) -> str:
        return self.hub.url

    @property
    def api_url(self) -> str:
        return self.hub.api_url


@pytest.fixture
def console_hub(
    database_url: str,
    tmp_path: Path,
    hub_factory: Callable[..., HubProcess],  # noqa: F811
) -> ConsoleHub:
    """A running hub with the e2e seed (volunteer Sam Rivera, campaign, GOTV script, list
    Ohio of 12 people) and an organizer, Ana Organizer."""
    seeded = seed_hub(database_url, tmp_path)
    add_user(database_url, ORGANIZER_EMAIL, "Ana Organizer", "organizer")
    hub = hub_factory(database_url)
    return ConsoleHub(hub, database_url, seeded.campaign_id, seeded.list_name)


def sign_in_as(page: Any, hub: ConsoleHub, email: str, password: str, path: str = "") -> None:
    """Sign in through the form, as a person would; ends on the page the console shows next."""
    page.goto(hub.url + "/console/login" + (f"?next={path}" if path else ""))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture
def sign_in() -> Callable[..., None]:
    """`sign_in(page, console_hub)` as the organizer, or with `email=`, `password=`."""

    def do(page: Any, hub: ConsoleHub, email: str = "", password: str = "", path: str = "") -> None:
        sign_in_as(
            page, hub, email or hub.organizer_email, password or hub.organizer_password, path
        )

    return do
