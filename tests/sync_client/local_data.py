"""Put a campaign, a script and a reserved list straight into a laptop store (no hub),
for tests of the store and services logic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desktop.store import Store, catalog, meta, reservations
from desktop.store.sql import Connection
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

NOW = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # 10:00 in New York


def script(campaign_id: int = 1) -> Script:
    return Script(
        id=7,
        campaign_id=campaign_id,
        version=2,
        title="GOTV",
        intro="Hi {first_name}, I'm {volunteer_name} {unknown} {0} {",
        questions=[
            Question(
                id="support",
                text="Can we count on you?",
                kind=QuestionKind.choice,
                options=[Option(value="yes", label="Yes"), Option(value="no", label="No")],
            ),
            Question(id="issues", text="Issues?", kind=QuestionKind.multi, options=[]),
            Question(id="comment", text="Anything else?", kind=QuestionKind.text),
        ],
        closing="Thanks {first_name}!",
    )


def reservation(
    households: int = 3,
    members: int = 2,
    *,
    reservation_id: int = 11,
    first_contact_id: int = 100,
    now: datetime = NOW,
    hold: timedelta = timedelta(hours=1),
    timezone: str = "America/New_York",
) -> ReservationPublic:
    people = []
    cid = first_contact_id
    for h in range(households):
        phone = f"+1614555{reservation_id:02d}{h:02d}"[:12]
        for m in range(members):
            people.append(
                ContactPublic(
                    id=cid,
                    first_name=f"First{h}{m}",
                    last_name=f"Last{h}",
                    phone=phone,
                    timezone=timezone,
                    household=f"hh{reservation_id}-{h}",
                    extra={"age": str(30 + m), "precinct": f"P{h}"},
                )
            )
            cid += 1
    return ReservationPublic(
        id=reservation_id,
        campaign_id=1,
        call_list_id=5,
        fence=reservation_id,
        expires_at=now + hold,
        next_request_at=now + timedelta(minutes=10),
        contacts=people,
    )


def seed(
    store: Store,
    *,
    households: int = 3,
    members: int = 2,
    policy: Policy | None = None,
    volunteer_name: str = "Vera",
) -> ReservationPublic:
    """A campaign (id 1) with list 5, its script (version 2) and a reservation (id 11)."""
    r = reservation(households, members)

    def keep(conn: Connection) -> None:
        catalog.replace_campaigns(
            conn,
            [
                CampaignPublic(
                    id=1,
                    name="Get out the vote",
                    goal=1000,
                    calls_made=10,
                    script=ScriptRef(id=7, version=2),
                    policy=policy or Policy(calling_hours_start="09:00", calling_hours_end="21:00"),
                    lists=[CallListPublic(id=5, name="Ohio", remaining=40)],
                )
            ],
        )
        catalog.save_script(conn, script())
        reservations.save_reservation(conn, r, NOW)
        meta.put(conn, meta.VOLUNTEER_NAME, volunteer_name)

    store.run_write(keep)
    return r
