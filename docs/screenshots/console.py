"""Screenshots of the organizer console: docs/screenshots/console-*.png at 1280x800.

    .venv/bin/python -m docs.screenshots.console      # needs Debian's chromium

Seeds a throwaway hub the way real use would (the `demo` campaign, volunteers added with
`add-user`, a day of calls and feedback sent over the API as laptops send them), starts a
real hub process, signs in as the demo organizer in headless Chromium and shoots each page.
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.console.conftest import VIEWPORT, launch_chromium  # noqa: E402
from tests.console.seed import Laptop, add_user, result  # noqa: E402
from tests.support.hub_process import run_hub_cli, running_hub  # noqa: E402

OUT = REPO / "docs" / "screenshots"
VOLUNTEERS = [
    ("maria@example.org", "Maria Gonzalez"),
    ("dev@example.org", "Dev Patel"),
    ("ruth@example.org", "Ruth Okafor"),
    ("tom@example.org", "Tom Becker"),
    ("linh@example.org", "Linh Nguyen"),
]
ISSUES = [
    "Healthcare costs. My insulin went up again this year.",
    "The schools. Class sizes at Lincoln Elementary are over 30.",
    "Rent. We might have to move out of the neighborhood.",
    "Roads and the bus line on Route 9 that got cut.",
    "Jobs — the plant closing hit our whole street.",
    "Childcare, honestly. Nobody can afford it.",
]
NOTES = [
    "Asked for a yard sign; lives on a corner lot.",
    "Wants a call back after 6 pm, works days.",
    "Prefers Spanish, daughter translated.",
    "Very enthusiastic, offered to volunteer on Saturday.",
    "Moved here last year, not sure she's registered at this address.",
    "Needs a ride to the polls, no car since March.",
    "",
    "",
]
FEEDBACK = [
    ("maria@example.org", "Several people on the Ohio list asked whether early voting is open "
     "on Sunday. Can we add that to the script?"),
    ("dev@example.org", "The Texas list has a lot of disconnected numbers in the 713 area code."),
    ("ruth@example.org", "Great script — the polling place question really starts good "
     "conversations."),
]  # fmt: skip
DISPOSITIONS = ["contacted"] * 5 + ["no_answer"] * 4 + ["left_message"] * 2 + ["busy", "refused"]


def seed(database_url: str) -> None:
    done = run_hub_cli(database_url, "demo")
    assert done.returncode == 0, done.stderr
    for email, name in VOLUNTEERS:
        add_user(database_url, email, name)


def calls(api_url: str, rng: random.Random) -> None:
    now = datetime.now(UTC)
    lists = ["Ohio", "Texas", "Ohio", "Rhode Island", "Vermont"]
    for index, (email, _) in enumerate(VOLUNTEERS):
        laptop = Laptop(api_url, email)
        list_id = laptop.list_id(1, lists[index])
        for round_ in range(4 - index % 2):
            reservation = laptop.reserve(list_id)
            contacts = reservation["contacts"]
            last = round_ == 3 - index % 2 and index < 3  # still holding the last list
            batch = []
            called = contacts[: len(contacts) // 2] if last else contacts
            # A busy afternoon today and yesterday evening; each list called in order.
            times = sorted(
                now - timedelta(hours=rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 20, 21, 22, 23]),
                                minutes=rng.randint(0, 59))
                for _ in called
            )  # fmt: skip
            for contact, ended in zip(called, times, strict=True):
                disposition = rng.choice(DISPOSITIONS)
                answers: dict[str, Any] = {}
                if disposition == "contacted":
                    answers["support"] = rng.choice(["yes", "yes", "yes", "undecided", "no"])
                    if answers["support"] == "yes":
                        answers["plan"] = rng.choice([True, True, False])
                        wants = rng.sample(["ride", "reminder", "info"], rng.randint(0, 2))
                        answers["help"] = wants or ["none"]
                    elif answers["support"] == "undecided":
                        answers["issue"] = rng.choice(ISSUES)
                        answers["enthusiasm"] = rng.randint(1, 5)
                notes = rng.choice(NOTES) if disposition == "contacted" else ""
                batch.append(
                    result(contact, reservation, disposition=disposition, answers=answers,
                           notes=notes, ended_at=min(ended, now))
                )  # fmt: skip
            laptop.send(batch)
        laptop.close()
    for email, text in FEEDBACK:
        laptop = Laptop(api_url, email)
        laptop.feedback(text, 1)
        laptop.close()


def do_not_call(database_url: str, api_url: str, folder: Path) -> None:
    """Numbers volunteers were asked not to call, a vendor's file, and one taken off again."""
    laptop = Laptop(api_url, "volunteer@example.org", "demo-volunteer")
    reservation = laptop.reserve(laptop.list_id(1, "Vermont"))
    laptop.send(
        [result(contact, reservation, disposition="do_not_call")
         for contact in reservation["contacts"][:3]]
    )  # fmt: skip
    laptop.close()
    suppression = folder / "vendor-suppression.csv"
    suppression.write_text(
        "HomePhone,CellPhone\n" + "".join(f"(614) 555-{n:04d},\n" for n in range(150, 162)),
        encoding="utf-8",
    )
    by = ("--by", "organizer@example.org")
    for args in (
        ("import", str(suppression), *by),
        ("remove", "(614) 555-0153", "--reason", "Opt-out recorded against the wrong person", *by),
    ):
        done = run_hub_cli(database_url, "dnc", *args)
        assert done.returncode == 0, done.stderr


FLOODER = ("jordan@example.org", "Jordan Miles")


def flood(database_url: str, api_url: str, folder: Path) -> None:
    """One volunteer sends far more wrong numbers (and a few do-not-calls) in an hour than
    anyone calls: past the threshold they wait on the Review page."""

    def cli(*args: str) -> str:
        done = run_hub_cli(database_url, *args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    campaign = cli(
        "create-campaign", "Franklin County follow-up", "--goal", "500", "--list-size", "60",
        "--cooldown", "0", "--calling-hours", "00:00-23:59",
    ).strip()  # fmt: skip
    cli("load-script", campaign, str(REPO / "resources" / "scripts" / "gotv.yaml"))
    first = ["Alma", "Ben", "Carla", "Dmitri", "Esther", "Felix", "Gloria", "Hank", "Ines", "Joel"]
    last = ["Reyes", "Walsh", "Kim", "Novak", "Brooks", "Haddad", "Ortiz", "Stein"]
    people = folder / "franklin.csv"
    people.write_text(
        "first_name,last_name,phone\n"
        + "".join(f"{first[k % 10]},{last[k % 8]},(380) 555-{100 + k:04d}\n" for k in range(44)),
        encoding="utf-8",
    )
    cli("import-contacts", campaign, str(people), "--list", "Franklin North")
    add_user(database_url, *FLOODER)
    laptop = Laptop(api_url, FLOODER[0])
    reservation = laptop.reserve(laptop.list_id(int(campaign), "Franklin North"))
    now = datetime.now(UTC)
    contacts = reservation["contacts"]
    laptop.send(
        [result(contact, reservation, ended_at=now - timedelta(minutes=44 - k),
                disposition="do_not_call" if k % 11 == 10 else "wrong_number")
         for k, contact in enumerate(contacts)]
    )  # fmt: skip
    laptop.close()


DNC_UPLOAD = (
    "name,phone\nPat Quinn,(513) 555-0142\nLee Ortiz,513-555-01\nKim Park,\n"
    "Sam Roy,+1 216 555 0119\nAl Diaz,216-555-0120 x3\n"
)


def upload_opt_outs(page: Any, url: str) -> None:
    """The Do not call page just after an upload, its report on top."""
    page.goto(url + "/console/do-not-call")
    page.get_by_label("CSV file of numbers").set_input_files(
        {"name": "opt-outs-march.csv", "mimeType": "text/csv", "buffer": DNC_UPLOAD.encode()}
    )
    page.get_by_role("button", name="Upload and add").click()
    page.wait_for_selector("#import-report")


def members_only(page: Any, url: str) -> None:
    """The follow-up campaign closed to two members (its "Who may call" card in view)."""
    page.once("dialog", lambda dialog: dialog.accept())
    page.goto(url + "/console/campaigns/2")
    page.get_by_role("button", name="Close to members only").click()
    page.wait_for_selector("#access-state:text('Closed')")
    page.get_by_label("Add members").fill(f"{FLOODER[0]}, maria@example.org\ndev@example.org")
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_selector("#members")
    page.locator("#access").scroll_into_view_if_needed()


def shoot(url: str, only: set[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    shots: list[Path] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport=VIEWPORT, timezone_id="America/New_York")
        page = context.new_page()

        def snap(name: str) -> None:
            if only and name not in only:
                return
            path = OUT / f"console-{name}.png"
            page.screenshot(path=str(path))
            shots.append(path)

        page.goto(url + "/console/login")
        snap("signin")
        page.get_by_label("Email").fill("organizer@example.org")
        page.get_by_label("Password").fill("demo-organizer")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        page.goto(url + "/console/dashboard/1")  # again: times in the browser's zone
        snap("dashboard")
        for name, path in PAGES:
            response = page.goto(url + path)
            if response is None or not response.ok:
                continue
            if name == "listening":  # an organizer has starred a quote
                page.locator("#items .item").nth(2).get_by_role("button", name="Star").click()
            if name == "feedback":  # and read the oldest message
                page.locator("#messages .item").last.get_by_role("button", name="Mark read").click()
            page.evaluate("window.scrollTo(0, 0)")
            snap(name)
        if not only or "dnc" in only:
            upload_opt_outs(page, url)
            snap("dnc")
        if not only or "campaign-access" in only:
            members_only(page, url)
            snap("campaign-access")
        context.close()
        # What a volunteer sees who signs in to the console.
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.goto(url + "/console/login")
        page.get_by_label("Email").fill("volunteer@example.org")
        page.get_by_label("Password").fill("demo-volunteer")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        snap("organizers-only")
        browser.close()
    return shots


PAGES = [
    ("listening", "/console/listening/1"),
    ("feedback", "/console/feedback"),
    ("exports", "/console/exports"),
    ("review", "/console/review"),
]


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{Path(folder) / 'hub.db'}"
        seed(database_url)
        with running_hub(database_url) as hub:
            calls(hub.api_url, random.Random(4))
            do_not_call(database_url, hub.api_url, Path(folder))
            flood(database_url, hub.api_url, Path(folder))
            for path in shoot(hub.url, set(argv)):
                print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
