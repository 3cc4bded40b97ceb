"""The Review page in a real headless Chromium against a real hub process (SQLite,
PostgreSQL): one volunteer's flood of wrong numbers arrives over the API, the ones past the
hourly threshold wait, and an organizer's approval marks that household uncallable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from sync.hub.crud.effect_review import REVIEW_AFTER_PER_HOUR
from tests.console.conftest import ConsoleHub
from tests.console.seed import ORGANIZER_EMAIL, Laptop, add_user, result
from tests.e2e.seed import query as hub_query
from tests.e2e.seed import seed_hub
from tests.support.hub_process import HubProcess

PEOPLE = REVIEW_AFTER_PER_HOUR + 6


@pytest.fixture
def flooded_hub(
    database_url: str, tmp_path: Path, hub_factory: Callable[..., HubProcess]
) -> ConsoleHub:
    """A hub whose one list has PEOPLE households, one of them per number."""
    rows = "".join(f"Voter{k},Number{k},+1614555{k:04d}\n" for k in range(100, 100 + PEOPLE))
    seeded = seed_hub(database_url, tmp_path, contacts="first_name,last_name,phone\n" + rows)
    add_user(database_url, ORGANIZER_EMAIL, "Ana Organizer", "organizer")
    hub = hub_factory(database_url)
    return ConsoleHub(hub, database_url, seeded.campaign_id, seeded.list_name)


def household_state(database_url: str, phone: str) -> str:
    found = hub_query(
        database_url,
        "SELECT DISTINCT h.state FROM households h JOIN contacts c ON c.household_id = h.id "
        f"WHERE c.phone = '{phone}'",
    )
    assert len(found) == 1, found
    return str(found[0][0])


def test_an_approved_wrong_number_is_applied_to_its_household(
    flooded_hub: ConsoleHub, page: Any, sign_in: Any
) -> None:
    hub = flooded_hub
    laptop = Laptop(hub.api_url, hub.volunteer_email, hub.volunteer_password)
    list_id = laptop.list_id(hub.campaign_id, hub.list_name)
    sent: list[str] = []  # phones, in the order the results were sent
    while len(sent) < PEOPLE:
        reservation = laptop.reserve(list_id)
        contacts = reservation["contacts"]
        laptop.send([result(c, reservation, disposition="wrong_number") for c in contacts])
        sent += [c["phone"] for c in contacts]
    assert len(sent) == PEOPLE
    waiting = sent[REVIEW_AFTER_PER_HOUR:]
    assert household_state(hub.database_url, sent[0]) == "bad"  # under the threshold: applied
    assert {household_state(hub.database_url, p) for p in waiting} == {"open"}

    sign_in(page, hub)
    review_link = page.locator("nav.mainnav a", has_text="Review")
    expect(review_link.locator(".badge")).to_have_text(str(len(waiting)))
    review_link.click()
    expect(page.locator("#review-count")).to_have_text(f"{len(waiting)} waiting")
    rows = page.locator("#held tbody tr")
    expect(rows).to_have_count(len(waiting))
    chosen = waiting[0]
    row = page.locator(f'#held tr[data-phone="{chosen}"]')
    expect(row).to_contain_text("Sam Rivera")
    expect(row).to_contain_text("wrong number")
    expect(row).to_contain_text("Voter")
    row.get_by_role("button", name="Approve").click()

    expect(page.locator("#notice")).to_have_text(
        f"Approved for {chosen}: household marked uncallable."
    )
    expect(rows).to_have_count(len(waiting) - 1)
    expect(review_link.locator(".badge")).to_have_text(str(len(waiting) - 1))
    assert household_state(hub.database_url, chosen) == "bad"
    assert {household_state(hub.database_url, p) for p in waiting[1:]} == {"open"}
