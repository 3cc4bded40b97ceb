"""The console's management pages in a real headless Chromium against a real hub process
(SQLite, PostgreSQL): what an organizer does there reaches volunteers' laptops over the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.console.conftest import ConsoleHub
from tests.console.seed import Laptop

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "scripts" / "gotv.yaml"
BROKEN = (
    "title: Election day\nintro: Hi {first_name}\nquestions:\n"
    "  - id: support\n    text: Will you vote?\n    kind: yesno\n    next: ride\n"
)
GOOD = (
    "title: Election day\n"
    "intro: Hi {first_name}, this is {volunteer_name} with the campaign.\n"
    "questions:\n"
    "  - id: support\n    text: Will you vote on Tuesday?\n    kind: choice\n    options:\n"
    "      - {value: yes, label: Yes, next: ride}\n"
    "      - {value: no, label: Not this time, next: end}\n"
    "  - id: ride\n    text: Do you need a ride?\n    kind: yesno\n"
    "closing: Thank you, see you at the polls!\n"
)


def accept_confirmations(page: Any) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def test_deactivating_a_volunteer_stops_their_laptop_at_once(
    console_hub: ConsoleHub, page: Any, sign_in: Any
) -> None:
    laptop = Laptop(
        console_hub.api_url, console_hub.volunteer_email, console_hub.volunteer_password
    )
    assert laptop.http.get("/campaigns").status_code == 200
    sign_in(page, console_hub)
    accept_confirmations(page)
    page.goto(console_hub.url + "/console/volunteers")
    page.get_by_placeholder("Search name or email").fill("sam")
    page.get_by_role("button", name="Search").click()
    row = page.locator(f"tr[data-email='{console_hub.volunteer_email}']")
    expect(row).to_contain_text("Sam Rivera")
    expect(row).to_contain_text("Active")
    row.locator("summary").click()
    row.get_by_role("button", name="Deactivate").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Deactivated Sam Rivera (sam@example.org): signed out of every laptop"
    )
    expect(page.locator(f"tr[data-email='{console_hub.volunteer_email}']")).to_contain_text(
        "Deactivated"
    )
    # The very next call of Sam's laptop is refused, and so is signing in again.
    assert laptop.http.get("/campaigns").status_code == 401
    assert laptop.http.get("/sync").status_code == 401
    signin = laptop.http.post(
        "/auth/login",
        json={"email": console_hub.volunteer_email, "password": laptop.password},
    )
    assert signin.status_code == 403 and "deactivated" in signin.json()["detail"]
    laptop.close()

    # A new volunteer with a password that breaks the policy is refused, and nothing is added.
    page.get_by_label("Name", exact=True).fill("Bo Diaz")
    page.get_by_label("Email", exact=True).fill("bo@example.org")
    page.get_by_label("Password", exact=True).fill("password1234")
    page.get_by_role("button", name="Add volunteer").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The password is too easy to guess: This is a very common password."
    )
    expect(page.locator("tr[data-email='bo@example.org']")).to_have_count(0)


def test_a_broken_then_a_good_script_reaches_volunteers_only_once_published(
    console_hub: ConsoleHub, page: Any, sign_in: Any, tmp_path: Path
) -> None:
    laptop = Laptop(
        console_hub.api_url, console_hub.volunteer_email, console_hub.volunteer_password
    )

    def live_version() -> int:
        (campaign,) = laptop.http.get("/campaigns").json()
        return int(campaign["script"]["version"])

    assert live_version() == 1
    sign_in(page, console_hub)
    accept_confirmations(page)
    page.goto(f"{console_hub.url}/console/scripts/{console_hub.campaign_id}")
    broken = tmp_path / "election.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    page.get_by_label("YAML file").set_input_files(str(broken))
    page.get_by_role("button", name="Check and preview").click()
    # load-script's own message: question, field and line.
    expect(page.locator("#script-error")).to_have_text(
        "election.yaml: question 'support': field 'next': unknown question 'ride' "
        "(use a question id or 'end') (line 7); nothing was stored"
    )

    good = tmp_path / "election.yaml"
    good.write_text(GOOD, encoding="utf-8")
    page.get_by_label("YAML file").set_input_files(str(good))
    page.get_by_role("button", name="Check and preview").click()
    expect(page.locator("h1")).to_have_text("Election day")
    expect(page.locator(".intro")).to_have_text(
        "Hi Maria, this is Ana Organizer with the campaign."
    )
    assert live_version() == 1  # a draft: volunteers still have version 1

    # Walk one branch to its end, then the other.
    expect(page.locator("#question-text")).to_have_text("Will you vote on Tuesday?")
    page.locator("#answers").get_by_role("button", name="Yes").click()
    expect(page.locator("#question-text")).to_have_text("Do you need a ride?")
    page.locator("#answers").get_by_role("button", name="No").click()
    expect(page.locator("#closing")).to_have_text("Thank you, see you at the polls!")
    expect(page.locator("#trail li")).to_have_text(
        ["1. Will you vote on Tuesday? — Yes", "2. Do you need a ride? — No"]
    )
    page.get_by_role("link", name="Start over").click()
    page.locator("#answers").get_by_role("button", name="Not this time").click()
    expect(page.locator("#closing")).to_be_visible()
    expect(page.locator("#trail li")).to_have_count(1)

    page.get_by_role("button", name="Publish as version 2").click()
    expect(page.get_by_role("status")).to_have_text(
        "Published as version 2: volunteers get it at their next sync."
    )
    expect(page.locator("#live-version")).to_have_text("2")
    assert live_version() == 2
    synced = laptop.http.get("/sync").json()
    assert "Election day" in [s["title"] for s in synced["scripts"]]
    laptop.close()


def test_a_csv_with_bad_rows_is_imported_with_its_report(
    console_hub: ConsoleHub, page: Any, sign_in: Any, tmp_path: Path
) -> None:
    voters = tmp_path / "precinct 12.csv"
    voters.write_text(
        "first_name,last_name,phone,precinct\n"
        "Ada,Lovelace,(614) 555-0131,12A\n"
        "Alan,Turing,614-555-01,12A\n"
        ",Hopper,614-555-0133,12B\n"
        "Ada,Lovelace,614.555.0131,12A\n"
        "Katherine,Johnson,+1 614 555 0134,12B\n",
        encoding="utf-8",
    )
    sign_in(page, console_hub)
    page.goto(f"{console_hub.url}/console/contacts/{console_hub.campaign_id}")
    page.get_by_label("CSV file").set_input_files(str(voters))
    page.get_by_role("button", name="Upload and import").click()

    expect(page.locator("h1")).to_have_text("Import report: precinct 12.csv")
    expect(page.locator("[data-figure=imported]")).to_have_text("2")
    expect(page.locator("[data-figure=rejected]")).to_have_text("3")
    rows = page.locator("#rejects tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("3")
    expect(rows.nth(0)).to_contain_text("bad phone")
    expect(rows.nth(1)).to_contain_text("missing first name")
    expect(rows.nth(2)).to_contain_text("duplicate of line 2")

    href = page.locator("#download-rejects").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    download = httpx.get(console_hub.url + href, cookies=cookies, timeout=30)
    assert download.status_code == 200
    assert download.headers["content-disposition"] == (
        'attachment; filename="precinct_12.rejects.csv"'
    )
    lines = download.text.splitlines()
    assert lines[0] == "first_name,last_name,phone,precinct,line,reason"
    assert lines[1].startswith("Alan,Turing,614-555-01,12A,3,bad phone")

    # The new list is on volunteers' pickers with its two people.
    laptop = Laptop(
        console_hub.api_url, console_hub.volunteer_email, console_hub.volunteer_password
    )
    (campaign,) = laptop.http.get("/campaigns").json()
    assert {cl["name"]: cl["remaining"] for cl in campaign["lists"]}["precinct 12"] == 2
    laptop.close()
    page.get_by_role("link", name="Back to contacts").click()
    expect(page.locator("#lists")).to_contain_text("precinct 12")
    expect(page.locator("#uploads")).to_contain_text("precinct 12.csv")


def test_pausing_a_campaign_and_archiving_a_list_reach_laptops(
    console_hub: ConsoleHub, page: Any, sign_in: Any
) -> None:
    laptop = Laptop(
        console_hub.api_url, console_hub.volunteer_email, console_hub.volunteer_password
    )
    list_id = laptop.list_id(console_hub.campaign_id, console_hub.list_name)
    sign_in(page, console_hub)
    accept_confirmations(page)
    page.goto(f"{console_hub.url}/console/campaigns/{console_hub.campaign_id}")
    page.get_by_label("List size (households)").fill("3")
    page.get_by_label("Hold a list for (hours)").fill("1.5")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_have_text(
        "Saved: list size, hold. Laptops get the change at their next sync."
    )
    (campaign,) = laptop.http.get("/sync").json()["campaigns"]
    assert campaign["policy"]["list_size"] == 3 and campaign["policy"]["hold_seconds"] == 5400

    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("status")).to_contain_text("Paused")
    refused = laptop.http.post("/reservations", json={"call_list_id": list_id})
    assert refused.status_code == 409 and refused.json()["reason"] == "paused"
    page.get_by_role("button", name="Resume").click()
    expect(page.locator("h1")).to_contain_text("Active")
    assert len({c["household"] for c in laptop.reserve(list_id)["contacts"]}) == 3

    row = page.locator(f"tr[data-list='{console_hub.list_name}']")
    row.locator("summary").click()
    row.get_by_role("button", name="Archive list").click()
    expect(page.get_by_role("status")).to_contain_text(f"Archived {console_hub.list_name}")
    (campaign,) = laptop.http.get("/campaigns").json()
    assert campaign["lists"] == []
    laptop.close()


def test_an_organizer_sets_a_volunteers_languages_and_the_laptop_sees_them(
    console_hub: ConsoleHub, page: Any, sign_in: Any, tmp_path: Path
) -> None:
    sign_in(page, console_hub)
    page.goto(console_hub.url + "/console/volunteers")
    row = page.locator(f"tr[data-email='{console_hub.volunteer_email}']")
    row.locator("summary").click()
    row.get_by_label("Languages Sam Rivera speaks").fill("es, en")
    row.get_by_role("button", name="Set languages").click()
    expect(page.get_by_role("status")).to_contain_text("Sam Rivera speaks es, en.")
    expect(page.locator(f"tr[data-email='{console_hub.volunteer_email}']")).to_contain_text(
        "es, en"
    )
    page.screenshot(path=str(tmp_path / "volunteers-languages.png"), full_page=True)
    laptop = Laptop(
        console_hub.api_url, console_hub.volunteer_email, console_hub.volunteer_password
    )
    assert laptop.http.get("/auth/me").json()["languages"] == ["es", "en"]
    laptop.close()


def test_the_script_preview_reads_the_script_in_each_of_its_languages(
    console_hub: ConsoleHub, page: Any, sign_in: Any, tmp_path: Path
) -> None:
    sign_in(page, console_hub)
    page.goto(f"{console_hub.url}/console/scripts/{console_hub.campaign_id}/versions/1")
    languages = page.locator("#script-languages")
    expect(languages).to_contain_text("en (the script's own)")
    expect(page.locator("#question-text")).to_have_text("Can we count on your vote on Tuesday?")

    languages.get_by_role("link", name="es").click()
    expect(page.locator("h1")).to_have_text("Salga a votar — 4 de marzo")
    expect(page.locator(".intro")).to_contain_text("Hola, ¿puedo hablar con Maria?")
    expect(page.locator("#question-text")).to_have_text("¿Podemos contar con su voto el martes?")
    page.locator("#answers").get_by_role("button", name="Sí").click()
    expect(page.locator("#question-text")).to_have_text("¿Sabe dónde está su lugar de votación?")
    expect(page.locator("#trail li")).to_have_text(
        ["1. ¿Podemos contar con su voto el martes? — Sí"]
    )
    expect(page.locator(".map")).to_contain_text("¿Qué es lo más importante para usted este año?")
    page.screenshot(path=str(tmp_path / "script-preview-es.png"), full_page=True)

    # Back to English halfway: the same answers, the same place in the script.
    page.locator("#script-languages").get_by_role("link", name="en (the script's own)").click()
    expect(page.locator("#question-text")).to_have_text("Do you know where your polling place is?")
    expect(page.locator("#trail li")).to_have_text(
        ["1. Can we count on your vote on Tuesday? — Yes"]
    )
