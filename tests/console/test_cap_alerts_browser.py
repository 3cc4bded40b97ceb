"""Organizers see when a volunteer was refused names by a campaign's cap on lists: on the
dashboard (a banner) and where they manage that volunteer, in a real headless Chromium
against a real hub process (SQLite, PostgreSQL). Refusals are counted one row per volunteer,
cap and hour, however often the laptop asks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from sqlmodel import select

from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.db import make_engine, session_scope
from sync.hub.models import CapAlert
from tests.console.conftest import ConsoleHub
from tests.console.seed import Laptop


def test_a_volunteer_at_the_cap_is_shown_on_the_dashboard_and_the_volunteers_page(
    console_hub: ConsoleHub, page: Any, sign_in: Any, tmp_path: Path
) -> None:
    engine = make_engine(console_hub.database_url)
    with session_scope(engine) as session:
        campaign = campaigns_crud.get_campaign(session, console_hub.campaign_id)
        assert campaign is not None
        campaigns_crud.update_campaign(
            session, campaign, max_lists_per_hour=1, cooldown_seconds=0, list_size=2
        )
    laptop = Laptop(
        console_hub.api_url, console_hub.volunteer_email, console_hub.volunteer_password
    )
    list_id = laptop.list_id(console_hub.campaign_id, console_hub.list_name)
    laptop.reserve(list_id)
    for _ in range(3):  # the laptop asks again: refused each time, one alert row
        refused = laptop.http.post("/reservations", json={"call_list_id": list_id})
        assert refused.status_code == 429, refused.text
        assert "the most its organizers allow" in refused.json()["detail"]
    with session_scope(engine) as session:
        rows = session.exec(select(CapAlert)).all()
        assert [(r.cap, r.allowed, r.refusals) for r in rows] == [("hour", 1, 3)]
    engine.dispose()

    sign_in(page, console_hub)
    page.goto(f"{console_hub.url}/console/dashboard/{console_hub.campaign_id}")
    banner = page.locator("#cap-alerts")
    expect(banner).to_contain_text("refused names by a cap on lists")
    expect(banner).to_contain_text("Sam Rivera reached 1 list per hour: refused 3 times")
    _look(page, tmp_path, "cap-alert-dashboard")

    banner.get_by_role("link", name="Manage Sam Rivera").click()
    row = page.locator(f"tr[data-email='{console_hub.volunteer_email}']")
    alert = row.locator(".cap-alert")
    expect(alert).to_contain_text("Reached 1 list per hour · Get out the vote")
    expect(alert).to_contain_text("refused 3 times, last at")
    expect(alert).not_to_contain_text('">')  # nothing of the markup shows
    _look(page, tmp_path, "cap-alert-volunteers")


def test_the_dashboard_has_no_banner_while_no_cap_was_reached(
    console_hub: ConsoleHub, page: Any, sign_in: Any
) -> None:
    sign_in(page, console_hub)
    page.goto(f"{console_hub.url}/console/dashboard/{console_hub.campaign_id}")
    expect(page.locator("#calls-made")).to_be_visible()
    expect(page.locator("#cap-alerts")).to_have_count(0)


def _look(page: Any, tmp_path: Path, name: str) -> None:
    """A screenshot to look at (PHONEBANK_SCREENSHOTS=folder keeps it)."""
    folder = Path(os.environ.get("PHONEBANK_SCREENSHOTS", tmp_path))
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
