"""What the console's Review page shows of the held effects (crud/effect_review.py): who
sent them, about whom, with which disposition and when; and deciding a volunteer's all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select as sa_select  # sqlmodel's takes at most 4 columns
from sqlmodel import Session, col, select

from sync.hub.crud import effect_review
from sync.hub.models import CallResult, Campaign, Contact, HeldEffect, User

KIND_LABELS = {
    "bad_number": "Household marked uncallable",
    "do_not_call": "Number put on the do-not-call list",
}


@dataclass(frozen=True)
class Waiting:
    id: int
    volunteer_id: int
    volunteer: str  # name, else email
    volunteer_email: str
    campaign: str
    contact: str  # the person called ("" when the contact is gone)
    phone: str
    disposition: str
    kind: str
    effect: str  # what approving does, in words
    at: datetime  # when the result arrived
    called_at: datetime | None  # when the call ended, by the laptop's clock


@dataclass(frozen=True)
class VolunteerCount:
    volunteer_id: int
    volunteer: str
    count: int


def count_pending(session: Session) -> int:
    query = select(func.count()).select_from(HeldEffect).where(HeldEffect.status == "pending")
    return int(session.exec(query).one())


def waiting(session: Session, limit: int = 200) -> list[Waiting]:
    """The oldest `limit` pending effects, with names (one query)."""
    query = (
        sa_select(
            HeldEffect,
            User,
            col(Campaign.name),
            col(CallResult.disposition),
            col(CallResult.ended_at),
            col(Contact.first_name),
            col(Contact.last_name),
        )
        .join(User, col(User.id) == col(HeldEffect.volunteer_id))
        .join(Campaign, col(Campaign.id) == col(HeldEffect.campaign_id))
        .outerjoin(CallResult, col(CallResult.id) == col(HeldEffect.result_id))
        .outerjoin(Contact, col(Contact.id) == col(CallResult.contact_id))
        .where(col(HeldEffect.status) == "pending")
        .order_by(col(HeldEffect.id))
        .limit(limit)
    )
    found = []
    for held, user, campaign, disposition, ended, first, last in session.execute(query).all():
        assert held.id is not None and user.id is not None
        person = f"{first or ''} {last or ''}".strip()
        found.append(
            Waiting(
                id=held.id,
                volunteer_id=user.id,
                volunteer=user.name or user.email,
                volunteer_email=user.email,
                campaign=campaign,
                contact=person,
                phone=held.phone,
                disposition=(disposition or "").replace("_", " "),
                kind=held.kind,
                effect=KIND_LABELS.get(held.kind, held.kind),
                at=held.created_at,
                called_at=ended,
            )
        )
    return found


def by_volunteer(session: Session) -> list[VolunteerCount]:
    """Pending effects per volunteer, most first."""
    count = func.count(col(HeldEffect.id))
    query = (
        select(User.id, User.name, User.email, count)
        .join(HeldEffect, col(HeldEffect.volunteer_id) == col(User.id))
        .where(HeldEffect.status == "pending")
        .group_by(col(User.id), col(User.name), col(User.email))
        .order_by(count.desc(), col(User.id))
    )
    return [
        VolunteerCount(int(uid or 0), name or email, int(n))
        for uid, name, email, n in session.exec(query).all()
    ]


def decide_all_of(session: Session, volunteer_id: int, organizer_id: int, approve: bool) -> int:
    """Approve or reject every pending effect of one volunteer, oldest first. Flushes; the
    caller commits. Returns how many were decided."""
    ids = session.exec(
        select(HeldEffect.id)
        .where(HeldEffect.status == "pending", HeldEffect.volunteer_id == volunteer_id)
        .order_by(col(HeldEffect.id))
    ).all()
    for held_id in ids:
        assert held_id is not None
        effect_review.decide(session, held_id, organizer_id, approve)
    return len(ids)
