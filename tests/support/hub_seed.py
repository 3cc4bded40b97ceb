"""Hub test data written straight into the tables, and a clock tests can move.

`seed_list(engine, households=30)` makes a campaign with one call list of households (each
with `members` contacts sharing a phone); `add_script` publishes a script version;
`result_body(...)` builds one wire result for POST /api/v1/results.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from sync.hub.db import session_scope
from sync.hub.models import CallList, Campaign, Contact, Household, ScriptVersion

_phones = itertools.count(100_000)
T0 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # 10:00 in New York, 00:00 in Tokyo


class Clock:
    """The hub's `now` for tests: set `app.state.clock = clock` and move it by hand."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class SeededList:
    campaign_id: int
    list_id: int
    household_ids: list[int] = field(default_factory=list)
    contact_ids: list[int] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


def new_phone() -> str:
    return f"+1614{next(_phones):07d}"


def seed_list(
    engine: Engine,
    *,
    households: int = 30,
    members: int = 1,
    list_size: int = 5,
    hold_seconds: int = 3600,
    cooldown_seconds: int = 600,
    hours: tuple[str, str] = ("00:00", "23:59"),
    zones: tuple[str, ...] = ("America/New_York",),
    retry_after_seconds: int = 4 * 3600,
    max_attempts: int = 3,
    phones: list[str] | None = None,
    campaign_id: int | None = None,
    name: str = "Ohio",
) -> SeededList:
    """A call list of `households` households (zones round-robin), in a new campaign unless
    `campaign_id` is given. `phones` reuses numbers (e.g. the same person in two campaigns)."""
    with session_scope(engine) as session:
        if campaign_id is None:
            campaign = Campaign(
                name=f"Campaign {name}",
                goal=1000,
                list_size=list_size,
                hold_seconds=hold_seconds,
                cooldown_seconds=cooldown_seconds,
                calling_hours_start=hours[0],
                calling_hours_end=hours[1],
                retry_after_seconds=retry_after_seconds,
                max_attempts=max_attempts,
            )
            session.add(campaign)
            session.flush()
            assert campaign.id is not None
            campaign_id = campaign.id
        call_list = CallList(campaign_id=campaign_id, name=name)
        session.add(call_list)
        session.flush()
        assert call_list.id is not None
        seeded = SeededList(campaign_id=campaign_id, list_id=call_list.id)
        for n in range(households):
            phone = phones[n] if phones else new_phone()
            zone = zones[n % len(zones)]
            household = Household(
                campaign_id=campaign_id, call_list_id=call_list.id, phone=phone, timezone=zone
            )
            session.add(household)
            session.flush()
            assert household.id is not None
            seeded.household_ids.append(household.id)
            seeded.phones.append(phone)
            for m in range(members):
                contact = Contact(
                    household_id=household.id,
                    call_list_id=call_list.id,
                    campaign_id=campaign_id,
                    first_name=f"Person{n}",
                    last_name=f"Member{m}",
                    phone=phone,
                    timezone=zone,
                    extra={"precinct": str(n)},
                )
                session.add(contact)
                session.flush()
                assert contact.id is not None
                seeded.contact_ids.append(contact.id)
    return seeded


def add_script(
    engine: Engine,
    campaign_id: int,
    version: int = 1,
    questions: tuple[str, ...] = ("support",),
    created_at: datetime = T0 - timedelta(days=1),
) -> None:
    """Publish a script version of text questions (published before T0 unless told)."""
    with session_scope(engine) as session:
        session.add(
            ScriptVersion(
                campaign_id=campaign_id,
                version=version,
                created_at=created_at,
                title="GOTV",
                intro="Hi {first_name}",
                questions=[
                    {"id": q, "text": f"{q}?", "kind": "text", "options": []} for q in questions
                ],
            )
        )


def result_body(
    contact: dict[str, Any],
    reservation: dict[str, Any],
    *,
    disposition: str = "contacted",
    ended_at: datetime = T0,
    result_id: uuid.UUID | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """One result as a laptop sends it, for `contact` of `reservation` (JSON dicts)."""
    body: dict[str, Any] = {
        "id": str(result_id or uuid.uuid4()),
        "contact_id": contact["id"],
        "reservation_id": reservation["id"],
        "fence": reservation["fence"],
        "disposition": disposition,
        "answers": {},
        "notes": "",
        "started_at": (ended_at - timedelta(minutes=2)).isoformat(),
        "ended_at": ended_at.isoformat(),
        "script_version": 1,
    }
    body.update(fields)
    return body


def install_clock(app: FastAPI) -> Clock:
    """Give an in-process hub a clock starting at T0 (its `now` for every request)."""
    clock = Clock()
    app.state.clock = clock
    return clock
