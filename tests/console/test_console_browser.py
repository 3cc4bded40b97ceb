"""The console in a real headless Chromium against a real hub process (SQLite, PostgreSQL)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.console.conftest import ConsoleHub
from tests.console.seed import Laptop, result


def test_an_organizer_signs_in_and_sees_the_dashboard_change_as_results_arrive(
    console_hub: ConsoleHub, page: Any, sign_in: Any
) -> None:
    sign_in(page, console_hub)
    expect(page).to_have_url(f"{console_hub.url}/console/dashboard/{console_hub.campaign_id}")
    expect(page.locator("[data-figure=calls-made]")).to_have_text("0")
    expect(page.locator("#volunteers")).to_have_count(0)

    laptop = Laptop(
        console_hub.api_url, console_hub.volunteer_email, console_hub.volunteer_password
    )
    list_id = laptop.list_id(console_hub.campaign_id, console_hub.list_name)
    reservation = laptop.reserve(list_id)
    contacts = reservation["contacts"]
    laptop.send(
        [
            result(contacts[0], reservation, answers={"support": "yes"}),
            result(contacts[1], reservation, disposition="no_answer"),
        ]
    )
    laptop.close()

    # The page refreshes itself: no reload, no sleep; wait on what it shows.
    expect(page.locator("[data-figure=calls-made]")).to_have_text("2")
    volunteers = page.locator("#volunteers tbody tr")
    expect(volunteers).to_have_count(1)
    expect(volunteers.first).to_contain_text("Sam Rivera")
    expect(volunteers.first).to_contain_text("Holding Ohio")
    funnel = page.locator("#funnel")
    expect(funnel).to_contain_text("Reached someone")
    expect(page.locator("[data-figure=reached]")).to_have_text("1")
