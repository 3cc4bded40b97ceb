"""A laptop store holding a big list, written straight through the store's own functions
(no hub): one reservation of `contacts` names in households of 1-3, a campaign, its
script, and optionally a signed-in account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop.paths import DATABASE_NAME, SETTINGS_NAME
from desktop.settings import Settings
from desktop.store import Store, catalog, meta, reservations
from sync.protocol import (
    CallListPublic,
    CampaignPublic,
    ContactPublic,
    Option,
    Policy,
    Question,
    QuestionKind,
    ReservationPublic,
    Script,
    ScriptRef,
)

CAMPAIGN_ID, LIST_ID, RESERVATION_ID, SCRIPT_ID = 1, 5, 11, 7
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
HOUSEHOLD_SIZES = (1, 2, 1, 3, 1)  # repeated: 1.6 people per household


def script() -> Script:
    choice = [Option(value="yes", label="Yes"), Option(value="no", label="No")]
    return Script(
        id=SCRIPT_ID,
        campaign_id=CAMPAIGN_ID,
        version=1,
        title="Get out the vote",
        intro="Hi {first_name}, I'm {volunteer_name}, a volunteer with the campaign.",
        questions=[
            Question(id="support", text="Can we count on you?", kind=QuestionKind.choice,
                     options=choice),
            Question(id="vote_plan", text="Do you know where you vote?",
                     kind=QuestionKind.choice, options=choice),
            Question(id="comment", text="Anything else?", kind=QuestionKind.text),
        ],
        closing="Thanks {first_name}!",
    )  # fmt: skip


def reservation(contacts: int, now: datetime) -> ReservationPublic:
    people = []
    household = 0
    while len(people) < contacts:
        size = HOUSEHOLD_SIZES[household % len(HOUSEHOLD_SIZES)]
        phone = f"+1614{2_000_000 + household:07d}"
        for member in range(min(size, contacts - len(people))):
            people.append(
                ContactPublic(
                    id=1_000 + len(people),
                    first_name=f"First{len(people)}",
                    last_name=f"Family{household}",
                    phone=phone,
                    timezone=ZONES[household % len(ZONES)],
                    household=f"hh{household}",
                    extra={"age": str(20 + (household + member) % 70), "precinct": "P12"},
                )
            )
        household += 1
    return ReservationPublic(
        id=RESERVATION_ID,
        campaign_id=CAMPAIGN_ID,
        call_list_id=LIST_ID,
        fence=RESERVATION_ID,
        expires_at=now + timedelta(days=2),
        next_request_at=now + timedelta(minutes=10),
        contacts=people,
    )


def seed(
    data_dir: Path,
    contacts: int,
    *,
    hub_url: str | None = None,
    email: str = "vera@example.org",
) -> Path:
    """Write the store in `data_dir`; with `hub_url`, signed in as `email` there (the token
    itself goes into the keyring separately). Returns the database file."""
    now = datetime.now(UTC)
    store = Store(data_dir / DATABASE_NAME)
    try:
        with store.write() as conn:
            catalog.replace_campaigns(
                conn,
                [
                    CampaignPublic(
                        id=CAMPAIGN_ID,
                        name="Get out the vote",
                        goal=1_000_000,
                        calls_made=0,
                        script=ScriptRef(id=SCRIPT_ID, version=1),
                        policy=Policy(calling_hours_start="00:00", calling_hours_end="23:59"),
                        lists=[CallListPublic(id=LIST_ID, name="Ohio", remaining=contacts)],
                    )
                ],
            )
            catalog.save_script(conn, script())
            reservations.save_reservation(conn, reservation(contacts, now), now)
            meta.put(conn, meta.VOLUNTEER_NAME, "Vera")
            if hub_url:
                meta.put(conn, meta.HUB_URL, hub_url)
                meta.put(conn, meta.EMAIL, email)
                meta.put(conn, meta.VOLUNTEER_ID, 2)
                meta.put(conn, meta.ROLE, "volunteer")
    finally:
        store.close()
    if hub_url:  # what signing in leaves in the settings file (no secrets)
        settings = Settings()
        settings.hub_url, settings.email = hub_url, email
        settings.last_campaign_id, settings.last_list_id = CAMPAIGN_ID, LIST_ID
        settings.save(data_dir / "config" / SETTINGS_NAME)
    return data_dir / DATABASE_NAME
