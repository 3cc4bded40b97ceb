"""Managing a campaign's call lists: counts, rename, archive, merge, remove.

A list is changed only while nobody holds any of its households (a volunteer's laptop names
the list and its contacts); results always stay, and the contacts they are about stay with
them, so exports keep every name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, exists, func, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from sync.hub.crud.campaigns import CampaignError, get_campaign
from sync.hub.models import (
    CallList,
    CallResult,
    Contact,
    Household,
    Reservation,
    ReservationItem,
)
from sync.hub.types import utcnow

LIST_STATUSES = ("active", "archived")
# A household's state after a merge of two with one phone: the more final one wins.
_FINALITY = {"open": 0, "done": 1, "bad": 2, "dnc": 3}


class ListError(CampaignError):
    """A change to a list that is not allowed now; the message says why."""


@dataclass(frozen=True)
class ListSummary:
    id: int
    name: str
    status: str
    contacts: int
    households: int
    open: int  # households that may still be handed out (or are held now)
    held: int  # households held by a volunteer now
    done: int  # households finished (done, bad number, do-not-call)
    results: int


def find_list(session: Session, campaign_id: int, ref: str | int) -> CallList:
    """A campaign's list by name (exact, then ignoring case) or by id; ListError if none."""
    if get_campaign(session, int(campaign_id)) is None:
        raise ListError(f"there is no campaign with id {campaign_id}")
    lists = [cl for cl in _lists(session, campaign_id) if cl.status != "removed"]
    text = str(ref).strip()
    for matches in (
        lambda cl: cl.name == text,
        lambda cl: cl.name.lower() == text.lower(),
        lambda cl: text.isdigit() and cl.id == int(text),
    ):
        found = [cl for cl in lists if matches(cl)]
        if len(found) == 1:
            return found[0]
    names = ", ".join(repr(cl.name) for cl in lists) or "none yet"
    raise ListError(f"campaign {campaign_id} has no list {text!r} (its lists: {names})")


def _lists(session: Session, campaign_id: int) -> list[CallList]:
    statement = select(CallList).where(CallList.campaign_id == campaign_id)
    return list(session.exec(statement.order_by(col(CallList.name))).all())


def list_summaries(
    session: Session, campaign_id: int, *, now: datetime | None = None, removed: bool = False
) -> list[ListSummary]:
    """Each list of the campaign with its counts: one grouped query per table."""
    now = now or utcnow()
    lists = [cl for cl in _lists(session, campaign_id) if removed or cl.status != "removed"]
    held = col(Household.held_until) > now
    households = {
        row[0]: row[1:]
        for row in session.exec(
            select(
                Household.call_list_id,
                func.count(),
                func.sum(case((col(Household.state) == "open", 1), else_=0)),
                func.sum(case((held & (col(Household.state) == "open"), 1), else_=0)),
            )
            .where(Household.campaign_id == campaign_id)
            .group_by(col(Household.call_list_id))
        )
    }
    contacts = dict(
        session.exec(
            select(Contact.call_list_id, func.count())
            .where(Contact.campaign_id == campaign_id)
            .group_by(col(Contact.call_list_id))
        ).all()
    )
    results = dict(
        session.exec(
            select(Contact.call_list_id, func.count())
            .select_from(CallResult)
            .join(Contact, col(Contact.id) == col(CallResult.contact_id))
            .where(CallResult.campaign_id == campaign_id)
            .group_by(col(Contact.call_list_id))
        ).all()
    )
    summaries = []
    for cl in lists:
        assert cl.id is not None
        total, open_, held_now = households.get(cl.id, (0, 0, 0))
        summaries.append(
            ListSummary(
                id=cl.id,
                name=cl.name,
                status=cl.status,
                contacts=int(contacts.get(cl.id, 0)),
                households=int(total or 0),
                open=int(open_ or 0),
                held=int(held_now or 0),
                done=int(total or 0) - int(open_ or 0),
                results=int(results.get(cl.id, 0)),
            )
        )
    return summaries


def held_households(session: Session, call_list_id: int, now: datetime | None = None) -> int:
    """Households of the list a volunteer holds now and has not finished."""
    now = now or utcnow()
    statement = select(func.count()).where(
        Household.call_list_id == call_list_id,
        col(Household.held_until) > now,
        Household.state == "open",
    )
    return int(session.exec(statement).one())


def _refuse_if_held(session: Session, call_list: CallList, doing: str, now: datetime) -> None:
    assert call_list.id is not None
    held = held_households(session, call_list.id, now)
    if held:
        raise ListError(
            f"cannot {doing} {call_list.name!r} now: volunteers hold {held:,} of its "
            "households. Try again when their lists are finished or have expired "
            "(or archive it, which stops new lists at once)"
        )


def _check_new_name(session: Session, call_list: CallList, name: str) -> str:
    name = name.strip()
    if not name:
        raise ListError("the new list name is empty")
    if len(name) > 200:
        raise ListError("the list name is longer than 200 characters")
    if "\0" in name:
        raise ListError("the list name contains a NUL character")
    clash = session.exec(
        select(CallList).where(
            CallList.campaign_id == call_list.campaign_id,
            func.lower(col(CallList.name)) == name.lower(),
            CallList.id != call_list.id,
        )
    ).first()
    if clash is not None:
        raise ListError(
            f"the campaign already has a list called {clash.name!r}; "
            "merge the two lists instead, or choose another name"
        )
    return name


def rename_list(session: Session, call_list: CallList, name: str) -> bool:
    """A new name (volunteers see it at their next sync). False when unchanged. Flushes.

    Allowed while the list is held: laptops know lists by id, not name."""
    name = _check_new_name(session, call_list, name)
    if name == call_list.name:
        return False
    call_list.name = name
    session.add(call_list)
    session.flush()
    return True


def set_list_status(session: Session, call_list: CallList, status: str) -> bool:
    """archived: no new lists are handed out and it leaves volunteers' pickers (lists held
    now can still be called); active again. False when unchanged. Flushes."""
    if status not in LIST_STATUSES:
        raise ListError(f"a list is {' or '.join(LIST_STATUSES)}; got {status!r}")
    if call_list.status == status:
        return False
    call_list.status = status
    session.add(call_list)
    session.flush()
    return True


@dataclass(frozen=True)
class MergeOutcome:
    contacts: int  # moved into the target list
    households_moved: int
    households_joined: int  # joined a household of the same phone in the target


def merge_lists(
    session: Session, source: CallList, target: CallList, *, now: datetime | None = None
) -> MergeOutcome:
    """Move every contact of `source` into `target`, then remove `source`. Flushes.

    People sharing a phone across the two lists become one household (the more final state
    wins: a number known bad or on the do-not-call list stays so); their results and
    history stay. Refused while either list is held.
    """
    now = now or utcnow()
    if source.id == target.id:
        raise ListError("a list cannot be merged into itself")
    if source.campaign_id != target.campaign_id:
        raise ListError("lists of different campaigns cannot be merged")
    assert source.id is not None and target.id is not None
    _refuse_if_held(session, source, "merge", now)
    _refuse_if_held(session, target, "merge into", now)
    moved_contacts = int(
        session.exec(select(func.count()).where(Contact.call_list_id == source.id)).one()
    )
    source_households = int(
        session.exec(select(func.count()).where(Household.call_list_id == source.id)).one()
    )
    theirs = aliased(Household)
    pairs = session.exec(
        select(Household, theirs)
        .join(theirs, col(theirs.phone) == col(Household.phone))
        .where(Household.call_list_id == source.id, theirs.call_list_id == target.id)
    ).all()
    for mine, kept in pairs:
        assert mine.id is not None and kept.id is not None
        session.execute(
            update(Contact)
            .where(col(Contact.household_id) == mine.id)
            .values(household_id=kept.id, call_list_id=target.id)
        )
        if _FINALITY.get(mine.state, 0) > _FINALITY.get(kept.state, 0):
            kept.state = mine.state
        kept.attempts = max(kept.attempts, mine.attempts)
        session.add(kept)
        # The source household's grant history goes with it: it is one phone now.
        session.execute(delete(ReservationItem).where(col(ReservationItem.household_id) == mine.id))
        session.flush()
        session.execute(delete(Household).where(col(Household.id) == mine.id))
    session.execute(
        update(Household)
        .where(col(Household.call_list_id) == source.id)
        .values(call_list_id=target.id)
    )
    session.execute(
        update(Contact).where(col(Contact.call_list_id) == source.id).values(call_list_id=target.id)
    )
    session.execute(
        update(Reservation)
        .where(col(Reservation.call_list_id) == source.id)
        .values(call_list_id=target.id)
    )
    session.execute(delete(CallList).where(col(CallList.id) == source.id))
    session.flush()
    return MergeOutcome(moved_contacts, source_households - len(pairs), len(pairs))


@dataclass(frozen=True)
class RemoveOutcome:
    contacts_deleted: int
    contacts_kept: int  # called people: their results name them
    list_deleted: bool


def remove_list(
    session: Session, call_list: CallList, *, now: datetime | None = None
) -> RemoveOutcome:
    """Delete the list's people nobody has called; keep those with results (as a removed
    list, renamed so the name is free, shown in exports only). Refused while held. Flushes.
    """
    now = now or utcnow()
    assert call_list.id is not None
    _refuse_if_held(session, call_list, "remove", now)
    called = exists().where(col(CallResult.contact_id) == col(Contact.id))
    deleted = session.execute(
        delete(Contact)
        .where(col(Contact.call_list_id) == call_list.id, ~called)
        .execution_options(synchronize_session=False)
    )
    left = exists().where(col(Contact.household_id) == col(Household.id))
    empty = select(Household.id).where(Household.call_list_id == call_list.id, ~left)
    session.execute(
        delete(ReservationItem)
        .where(col(ReservationItem.household_id).in_(empty))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        delete(Household)
        .where(col(Household.call_list_id) == call_list.id, ~left)
        .execution_options(synchronize_session=False)
    )
    kept = int(session.exec(select(func.count()).where(Contact.call_list_id == call_list.id)).one())
    if kept == 0:
        session.execute(
            delete(ReservationItem)
            .where(
                col(ReservationItem.reservation_id).in_(
                    select(Reservation.id).where(Reservation.call_list_id == call_list.id)
                )
            )
            .execution_options(synchronize_session=False)
        )
        session.execute(delete(Reservation).where(col(Reservation.call_list_id) == call_list.id))
        session.execute(delete(CallList).where(col(CallList.id) == call_list.id))
    else:
        call_list.status = "removed"
        call_list.name = _removed_name(session, call_list, now)
        session.add(call_list)
    session.flush()
    return RemoveOutcome(int(getattr(deleted, "rowcount", 0) or 0), kept, kept == 0)


def _removed_name(session: Session, call_list: CallList, now: datetime) -> str:
    base = f"{call_list.name[:160]} (removed {now:%Y-%m-%d})"
    name, n = base, 1
    while session.exec(
        select(CallList.id).where(
            CallList.campaign_id == call_list.campaign_id,
            CallList.name == name,
            CallList.id != call_list.id,
        )
    ).first():
        n += 1
        name = f"{base} {n}"
    return name
