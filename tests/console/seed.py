"""Data for the console's tests and screenshots, put in the way real users would: accounts
through the hub's command line, calls and feedback through the API, as laptops send them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.support.hub_process import run_hub_cli

ORGANIZER_EMAIL = "ana@example.org"
ORGANIZER_PASSWORD = "a long organizer passphrase"
VOLUNTEER_PASSWORD = "a long volunteer passphrase"


def add_user(database_url: str, email: str, name: str, role: str = "volunteer") -> None:
    password = ORGANIZER_PASSWORD if role == "organizer" else VOLUNTEER_PASSWORD
    done = run_hub_cli(
        database_url, "add-user", email, "--name", name, "--role", role, stdin=password + "\n"
    )
    assert done.returncode == 0, done.stderr


@dataclass
class Laptop:
    """One volunteer's app, reduced to the API calls it makes."""

    api_url: str
    email: str
    password: str = VOLUNTEER_PASSWORD
    token: str = ""

    def __post_init__(self) -> None:
        self.http = httpx.Client(
            base_url=self.api_url, headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)}, timeout=30
        )
        response = self.http.post(
            "/auth/login",
            json={"email": self.email, "password": self.password, "device_name": "test"},
        )
        response.raise_for_status()
        self.token = response.json()["token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def list_id(self, campaign_id: int, name: str) -> int:
        campaigns = self.http.get("/campaigns").raise_for_status().json()
        for campaign in campaigns:
            if campaign["id"] == campaign_id:
                for call_list in campaign["lists"]:
                    if call_list["name"] == name:
                        return int(call_list["id"])
        raise AssertionError(f"no list {name!r} in campaign {campaign_id}")

    def reserve(self, list_id: int) -> dict[str, Any]:
        response = self.http.post("/reservations", json={"call_list_id": list_id})
        assert response.status_code == 201, response.text
        return dict(response.json())

    def send(self, results: list[dict[str, Any]]) -> None:
        response = self.http.post("/results", json={"results": results})
        assert response.is_success, response.text
        assert all(r["status"] == "created" for r in response.json()["results"]), response.text

    def feedback(self, text: str, campaign_id: int | None = None) -> None:
        body = {"text": text, "campaign_id": campaign_id}
        self.http.post("/feedback", json=body).raise_for_status()

    def close(self) -> None:
        self.http.close()


def result(
    contact: dict[str, Any],
    reservation: dict[str, Any],
    *,
    disposition: str = "contacted",
    answers: dict[str, Any] | None = None,
    notes: str = "",
    ended_at: datetime | None = None,
) -> dict[str, Any]:
    ended = ended_at or datetime.now(UTC)
    return {
        "id": str(uuid.uuid4()),
        "contact_id": contact["id"],
        "reservation_id": reservation["id"],
        "fence": reservation["fence"],
        "disposition": disposition,
        "answers": answers or {},
        "notes": notes,
        "started_at": (ended - timedelta(minutes=3)).isoformat(),
        "ended_at": ended.isoformat(),
        "script_version": 1,
    }
