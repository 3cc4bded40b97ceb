"""The global do-not-call list as operators manage it: add (import), list, remove (audited).

Results asking for do-not-call go on the list through `result_effects.add_to_do_not_call`.
A listed number is never handed out again in any campaign; laptops drop it at their next sync
(`crud/sync.py`). Every number an operator adds or removes gets a `DoNotCallChange` row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from sync.hub.crud.result_effects import dialect_insert
from sync.hub.models import (
    CallResult,
    Campaign,
    Contact,
    DoNotCall,
    DoNotCallChange,
    Household,
    User,
)
from sync.protocol import BAD_NUMBER, FINISHED, RETRYABLE

CHUNK = 1000  # numbers per statement (SQLite allows 32k bound values)


def listed(session: Session, phones: Sequence[str]) -> set[str]:
    """Which of `phones` (E.164) are on the list."""
    found: set[str] = set()
    for start in range(0, len(phones), CHUNK):
        chunk = phones[start : start + CHUNK]
        found.update(session.exec(select(DoNotCall.phone).where(col(DoNotCall.phone).in_(chunk))))
    return found


def add_numbers(
    session: Session, phones: Iterable[str], *, by: str, reason: str, now: datetime
) -> int:
    """Put E.164 numbers on the list, effective in every campaign at once; how many were new.

    Their households and people become `dnc` (not handed out, dropped by laptops at sync).
    """
    added = 0
    unique = sorted(set(phones))
    for start in range(0, len(unique), CHUNK):
        chunk = unique[start : start + CHUNK]
        new = sorted(set(chunk) - listed(session, chunk))
        if not new:
            continue
        # A result asking the same may land meanwhile: the number is listed either way.
        session.execute(
            dialect_insert(session)(DoNotCall).on_conflict_do_nothing(index_elements=["phone"]),
            [{"phone": phone, "added_at": now} for phone in new],
        )
        session.execute(
            dialect_insert(session)(DoNotCallChange),
            [
                {"phone": phone, "action": "added", "at": now, "by": by, "reason": reason}
                for phone in new
            ],
        )
        session.execute(update(Household).where(col(Household.phone).in_(new)).values(state="dnc"))
        session.execute(update(Contact).where(col(Contact.phone).in_(new)).values(state="dnc"))
        added += len(new)
    return added


@dataclass
class Removal:
    phone: str
    listed_since: datetime
    source_result_id: str | None
    reopened: int  # people who can be called again


def remove_number(
    session: Session, phone: str, *, by: str, reason: str, now: datetime
) -> Removal | None:
    """Take a number off the list (None when it is not on it), with an audit row.

    Its people get back the state their own calls left them in: done after a finishing
    outcome or their last retry, bad after wrong number or disconnected, otherwise open.
    """
    entry = session.get(DoNotCall, phone, with_for_update=True)
    if entry is None:
        return None
    session.delete(entry)
    session.add(
        DoNotCallChange(
            phone=phone,
            action="removed",
            at=now,
            by=by,
            reason=reason,
            listed_since=entry.added_at,
            source_result_id=entry.source_result_id,
        )
    )
    people = session.execute(
        sa_select(
            col(Contact.id),
            col(Contact.household_id),
            col(Contact.last_disposition),
            col(Contact.attempts),
            col(Campaign.max_attempts),
        )
        .join(Campaign, col(Campaign.id) == col(Contact.campaign_id))
        .where(col(Contact.phone) == phone, col(Contact.state) == "dnc")
    ).all()
    reopened = 0
    for person in people:
        state = _state_after(person)
        reopened += state == "open"
        session.execute(update(Contact).where(col(Contact.id) == person.id).values(state=state))
    for household_id in sorted({person.household_id for person in people}):
        states = set(
            session.exec(select(Contact.state).where(Contact.household_id == household_id))
        )
        state = "open" if "open" in states else "bad" if "bad" in states else "done"
        session.execute(
            update(Household)
            .where(col(Household.id) == household_id, col(Household.state) == "dnc")
            .values(state=state)
        )
    session.flush()
    return Removal(phone, entry.added_at, entry.source_result_id, reopened)


def _state_after(person: Any) -> str:
    disposition = person.last_disposition
    if disposition in FINISHED:
        return "done"
    if disposition in BAD_NUMBER:
        return "bad"
    if disposition in RETRYABLE and person.attempts >= person.max_attempts:
        return "done"
    return "open"


EXPORT_COLUMNS = ("phone", "added_at", "added_by", "source")


def iter_listed(session: Session) -> Iterator[tuple[str, datetime, str, str]]:
    """Every listed number in order: when, by whom (an operator's name for an import, the
    volunteer's email for a call) and from what (the import's reason or the call result)."""
    latest_add = (
        sa_select(func.max(DoNotCallChange.id).label("id"), col(DoNotCallChange.phone))
        .where(col(DoNotCallChange.action) == "added")
        .group_by(col(DoNotCallChange.phone))
        .subquery()
    )
    rows = session.execute(
        sa_select(
            col(DoNotCall.phone),
            col(DoNotCall.added_at),
            col(DoNotCall.source_result_id),
            col(DoNotCallChange.by),
            col(DoNotCallChange.reason),
            col(User.email),
        )
        .outerjoin(latest_add, latest_add.c.phone == col(DoNotCall.phone))
        .outerjoin(DoNotCallChange, col(DoNotCallChange.id) == latest_add.c.id)
        .outerjoin(CallResult, col(CallResult.id) == col(DoNotCall.source_result_id))
        .outerjoin(User, col(User.id) == col(CallResult.volunteer_id))
        .order_by(col(DoNotCall.phone))
        .execution_options(yield_per=CHUNK)
    )
    for phone, added_at, result_id, by, reason, email in rows:
        if result_id:
            yield phone, added_at, email or "", f"call result {result_id}"
        else:
            yield phone, added_at, by or "", reason or ""


def is_organizer(session: Session, email: str) -> bool:
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    return user is not None and user.role == "organizer" and user.active
