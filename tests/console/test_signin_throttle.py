"""The console's sign-in form has the API sign-in's protection, against a real hub process.

What an organizer depends on: after too many wrong passwords the form says how long to wait
and until what time (with Retry-After), instead of a bare refusal; a flood of bad sign-ins
through the form is refused from memory (the address's block, before routing), never with
a 5xx, and checks no more passwords than the allowance.
"""

from __future__ import annotations

import os
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from playwright.sync_api import expect

from sync.hub.core.config import Settings
from tests.console.conftest import ConsoleHub, sign_in_as

SETTINGS = Settings()
WAIT = re.compile(
    r"Too many failed sign-in attempts\. Please wait (\d+) seconds and try again "
    r"\(at (\d\d:\d\d:\d\d) UTC\)\."
)


def _look(page: Any, tmp_path: Path, name: str) -> None:
    """A screenshot to look at (PHONEBANK_SCREENSHOTS=folder keeps it)."""
    folder = Path(os.environ.get("PHONEBANK_SCREENSHOTS", tmp_path))
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _says_until_when(text: str, seconds_at_most: int, asked: datetime, answered: datetime) -> int:
    """The wait the message states, checked against the clock time it states (UTC): the
    wait was counted from a moment between the request and its answer."""
    found = WAIT.search(text)
    assert found, text
    seconds, at = int(found.group(1)), found.group(2)
    assert 1 <= seconds <= seconds_at_most
    stated = datetime.combine(asked.date(), datetime.strptime(at, "%H:%M:%S").time(), UTC)
    if stated < asked - timedelta(hours=12):  # the wait ends after midnight
        stated += timedelta(days=1)
    counted_from = stated - timedelta(seconds=seconds)
    slack = timedelta(seconds=2)  # whole seconds, rounded up
    assert asked - slack <= counted_from <= answered + slack, (at, seconds, asked, answered)
    return seconds


def test_too_many_wrong_passwords_show_the_wait_and_its_end_on_the_form(
    console_hub: ConsoleHub, page: Any, tmp_path: Path
) -> None:
    for _ in range(SETTINGS.login_free_failures):
        sign_in_as(page, console_hub, console_hub.organizer_email, "not the password")
        expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    # The right password too must wait now (guessing on until it is right is useless).
    asked = datetime.now(UTC)
    sign_in_as(page, console_hub, console_hub.organizer_email, console_hub.organizer_password)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Too many failed sign-in attempts")
    answered = datetime.now(UTC)
    _says_until_when(alert.inner_text(), SETTINGS.login_base_delay_seconds, asked, answered)
    # The form is still there, the email kept, to try again at that time.
    expect(page.get_by_label("Email")).to_have_value(console_hub.organizer_email)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    _look(page, tmp_path, "console-sign-in-throttled")


def _login_form(session: requests.Session, url: str) -> str:
    form = session.get(url + "/console/login", timeout=10)
    assert form.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert found
    return found.group(1)


def test_a_flood_through_the_console_form_is_refused_from_memory_never_5xx(
    console_hub: ConsoleHub,
) -> None:
    url = console_hub.url
    guesses = 200
    csrf = _login_form(requests.Session(), url)
    cookie = {"phonebank_console_login": csrf}
    start = threading.Barrier(guesses)

    def guess(n: int) -> tuple[requests.Response, datetime, datetime]:
        body = {"email": f"stranger{n}@example.org", "password": f"guess {n}", "csrf_token": csrf}
        start.wait()
        asked = datetime.now(UTC)
        answer = requests.post(
            url + "/console/login", data=body, cookies=cookie, timeout=120, allow_redirects=False
        )
        return answer, asked, datetime.now(UTC)

    with ThreadPoolExecutor(guesses) as pool:
        answers = list(pool.map(guess, range(guesses)))
    statuses = Counter(a.status_code for a, _, _ in answers)
    # Every stranger is new: only the address's allowance of passwords is ever checked.
    assert statuses == {401: SETTINGS.login_address_free_failures, 429: 170}, statuses
    for answer, asked, answered in answers:
        if answer.status_code == 429:
            limit = SETTINGS.login_base_delay_seconds
            seconds = _says_until_when(answer.text, limit, asked, answered)
            assert abs(int(answer.headers["Retry-After"]) - seconds) <= 1
            assert "<form" in answer.text  # the sign-in page, not a bare error
    # Refused before routing from now on: the hub answers at once, and the log says why.
    again = requests.post(
        url + "/console/login",
        data={"email": console_hub.organizer_email, "password": "x", "csrf_token": csrf},
        cookies=cookie,
        timeout=10,
    )
    assert again.status_code == 429 and WAIT.search(again.text)
    log = console_hub.hub.log_text()
    assert "too many failures for this address" in log
    assert "database is locked" not in log and "Traceback" not in log
