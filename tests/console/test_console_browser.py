"""The console in a real headless Chromium against a real hub process (SQLite, PostgreSQL)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.console.conftest import ConsoleHub
from tests.console.seed import Laptop, result


def test_an_organizer_signs_in_and_sees_the_dashboard_change_as_results_arrive(
    console_hub: ConsoleHub, page: Any, sign_in: Any
) -> None:
    # Anything the page's Content-Security-Policy blocked, or a script error, shows here.
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
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
    assert errors == []
    assert requested and all(url.startswith(console_hub.url + "/") for url in requested)


def test_an_organizer_finds_a_voters_words_in_the_listening_report(
    console_hub: ConsoleHub, page: Any, sign_in: Any
) -> None:
    laptop = Laptop(
        console_hub.api_url, console_hub.volunteer_email, console_hub.volunteer_password
    )
    list_id = laptop.list_id(console_hub.campaign_id, console_hub.list_name)
    reservation = laptop.reserve(list_id)
    contacts = reservation["contacts"]
    hostile = "<script>document.title='owned'</script> wants a lawn sign"
    laptop.send(
        [
            result(contacts[0], reservation, notes="Asked about early voting on Sunday"),
            result(contacts[1], reservation, notes=hostile,
                   answers={"support": "undecided", "issue": '=HYPERLINK("http://x","y")'}),
        ]
    )  # fmt: skip
    laptop.close()

    dialogs: list[str] = []

    def dialog_opened(dialog: Any) -> None:  # a script that ran would open one
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dialog_opened)
    sign_in(page, console_hub)
    page.get_by_role("link", name="Listening").click()
    expect(page.get_by_role("heading", name="Listening")).to_be_visible()
    page.get_by_label("Search the words").fill("early voting")
    page.get_by_role("button", name="Show").click()
    items = page.locator("#items .item")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Asked about early voting on Sunday")
    expect(items.first.locator("mark")).to_have_text("early voting")

    # Star it, then find it among the starred.
    items.first.get_by_role("button", name="Star").click()
    page.get_by_label("Search the words").fill("")
    page.get_by_label("Starred only").check()
    page.get_by_role("button", name="Show").click()
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("early voting")

    # What a volunteer typed is shown as text, never run.
    page.get_by_label("Starred only").uncheck()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text(hostile)).to_be_visible()
    expect(page.get_by_text('=HYPERLINK("http://x","y")')).to_be_visible()
    assert page.title() != "owned"
    assert dialogs == []
