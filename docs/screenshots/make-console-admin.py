"""Redo docs/screenshots/console-{volunteers,campaigns,campaign,scripts,script-preview,
contacts,contacts-report}.png: the console's management pages at 1280x800.

    .venv/bin/python docs/screenshots/make-console-admin.py

A demo hub in a temporary folder (the demo campaign, a few volunteers added from a CSV, one
deactivated, some calls sent over the API as laptops send them, a second campaign), served on
a free loopback port; Debian's chromium through Playwright signs in as the demo organizer.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "docs" / "screenshots"
PEOPLE = """name,email
Ben Okafor,ben.okafor@example.org
Maria Santos,maria.santos@example.org
Li Wei,li.wei@example.org
Jamal Carter,jamal.carter@example.org
Priya Natarajan,priya.natarajan@example.org
Tomás Herrera,tomas.herrera@example.org
"""
VOTERS = """first_name,last_name,phone,precinct,city
Ada,Lovelace,(614) 555-0131,OH-012A,Columbus
Alan,Turing,614-555-01,OH-012A,Columbus
,Hopper,614-555-0133,OH-013B,Columbus
Ada,Lovelace,614.555.0131,OH-012A,Columbus
Katherine,Johnson,+1 614 555 0134,OH-013B,Columbus
Dorothy,Vaughan,(614) 555-0135,OH-013B,Columbus
"""
BROKEN = """title: Early vote push
intro: Hi {first_name}, I'm {volunteer_name} with the campaign.
questions:
  - id: plan
    text: Do you plan to vote early?
    kind: yesno
    next: when
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def hub(data: Path, *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "sync.hub", "--data-dir", str(data), *args],
        input=stdin, capture_output=True, text=True, check=True, cwd=REPO,
    )  # fmt: skip
    return done.stdout


def calls(api: str, email: str, password: str, count: int) -> None:
    """A volunteer's laptop: sign in, take a list, send `count` results."""
    http = httpx.Client(base_url=api, timeout=30, headers={"X-Phonebank-Protocol": "1"})
    token = http.post("/auth/login", json={"email": email, "password": password}).json()["token"]
    http.headers["Authorization"] = f"Bearer {token}"
    (campaign,) = [c for c in http.get("/campaigns").json() if c["script"]]
    reservation = http.post("/reservations", json={"call_list_id": campaign["lists"][0]["id"]})
    granted = reservation.json()
    now = datetime.now(UTC)
    results = []
    for n, contact in enumerate(granted["contacts"][:count]):
        results.append(
            {
                "id": str(uuid.uuid4()),
                "contact_id": contact["id"],
                "reservation_id": granted["id"],
                "fence": granted["fence"],
                "disposition": ["contacted", "no_answer", "contacted", "left_message"][n % 4],
                "answers": {"support": "yes"} if n % 2 == 0 else {},
                "notes": "",
                "started_at": (now - timedelta(minutes=3 * n + 3)).isoformat(),
                "ended_at": (now - timedelta(minutes=3 * n)).isoformat(),
                "script_version": 1,
            }
        )
    http.post("/results", json={"results": results}).raise_for_status()
    http.close()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="phonebank-shots-"))
    data = work / "hub"
    hub(data, "demo")
    (work / "volunteers.csv").write_text(PEOPLE, encoding="utf-8")
    imported = hub(data, "users", "import", str(work / "volunteers.csv"))
    passwords = dict(line.split(",")[0::3] for line in imported.splitlines()[1:])
    hub(data, "users", "deactivate", "li.wei@example.org")
    hub(data, "create-campaign", "Early vote — Ohio", "--goal", "2500")
    hub(data, "campaigns", "pause", "2")
    hub(data, "create-campaign", "Spring primary", "--goal", "4000")
    hub(data, "campaigns", "archive", "3")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sync.hub", "--data-dir", str(data), "serve", "--port", str(port)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/console/login", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        calls(base + "/api/v1", "volunteer@example.org", "demo-volunteer", 12)
        calls(base + "/api/v1", "ben.okafor@example.org", passwords["ben.okafor@example.org"], 7)
        shoot(base, work)
    finally:
        server.terminate()
        server.wait(timeout=10)


def snap(page: Any, name: str) -> None:
    """A screenshot; Chromium now and then fails one on a busy machine: try again."""
    page.wait_for_load_state("networkidle")
    for attempt in range(3):
        try:
            page.screenshot(path=OUT / name)
            return
        except PlaywrightError:
            if attempt == 2:
                raise


def shoot(base: str, work: Path) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(base + "/console/login")
        page.get_by_label("Email").fill("organizer@example.org")
        page.get_by_label("Password").fill("demo-organizer")
        page.get_by_role("button", name="Sign in").click()

        page.goto(base + "/console/volunteers")
        row = page.locator("tr[data-email='jamal.carter@example.org']")
        row.locator("summary").click()
        snap(page, "console-volunteers.png")

        page.goto(base + "/console/campaigns")
        snap(page, "console-campaigns.png")
        page.goto(base + "/console/campaigns/1")
        page.locator("tr[data-list='Rhode Island'] summary").click()
        snap(page, "console-campaign.png")

        (work / "early-vote.yaml").write_text(BROKEN, encoding="utf-8")
        page.goto(base + "/console/scripts/1")
        page.get_by_label("YAML file").set_input_files(str(REPO / "resources/scripts/gotv.yaml"))
        page.get_by_role("button", name="Check and preview").click()
        page.locator("#answers").get_by_role("button", name="Undecided").click()
        page.get_by_label("Their answer").fill("Schools, and the price of groceries")
        page.get_by_role("button", name="Next").click()
        snap(page, "console-script-preview.png")
        page.goto(base + "/console/scripts/1")
        page.get_by_label("YAML file").set_input_files(str(work / "early-vote.yaml"))
        page.get_by_role("button", name="Check and preview").click()
        snap(page, "console-scripts.png")

        (work / "precinct-12.csv").write_text(VOTERS, encoding="utf-8")
        page.goto(base + "/console/contacts/1")
        page.get_by_label("CSV file").set_input_files(str(work / "precinct-12.csv"))
        page.get_by_role("button", name="Upload and import").click()
        snap(page, "console-contacts-report.png")
        page.goto(base + "/console/contacts/1")
        snap(page, "console-contacts.png")
        browser.close()


if __name__ == "__main__":
    main()
