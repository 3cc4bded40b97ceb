"""The organizer dashboard's figures over one campaign.

The figures over results (calls made, funnel, calls per hour, volunteers' calls) read the
running totals `crud/result_tallies` keeps as results are stored: a few thousand rows at any
size. The households by list are counted through `ix_households_pool` and
`ix_households_retry` (bench/bench_dashboard.py times both at 1M contacts and 1M results),
reused for a few seconds over a large campaign, as `crud/campaigns` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func
from sqlmodel import Session, col, select

from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import result_tallies
from sync.hub.crud.campaigns import _reused_if_large  # the shared "large campaign" cache
from sync.hub.models import (
    CallList,
    CallResult,
    Campaign,
    Contact,
    Household,
    Reservation,
    ReservationItem,
    ScriptVersion,
    User,
)
from sync.hub.script_file import ID_PATTERN

REACHED = "contacted"  # the disposition of a call where someone answered and talked
HOURS = 24


@dataclass(frozen=True)
class ListFigures:
    id: int
    name: str
    households: int = 0
    left: int = 0  # open and not held now (retries waiting for their time included)
    held: int = 0  # in a volunteer's list now
    done: int = 0  # finished: called, do-not-call or a bad number
    retry: int = 0  # open, waiting for another try (no answer, busy, call-back)


@dataclass(frozen=True)
class Funnel:
    attempts: int
    reached: int
    answered_first: int
    first_question: str | None  # its text, from the newest script version


@dataclass(frozen=True)
class HourBar:
    start: datetime  # UTC, on the hour
    calls: int


@dataclass
class VolunteerFigures:
    id: int
    name: str
    calls: int = 0
    reached: int = 0
    last_result_at: datetime | None = None
    holding: list[str] = field(default_factory=list)  # names of the lists held now
    holding_since: datetime | None = None


@dataclass(frozen=True)
class Dashboard:
    campaign: Campaign
    calls_made: int
    lists: list[ListFigures]
    funnel: Funnel
    hours: list[HourBar]
    volunteers: list[VolunteerFigures]
    at: datetime

    @property
    def holding_now(self) -> int:
        return sum(1 for v in self.volunteers if v.holding)

    @property
    def households_left(self) -> int:
        return sum(f.left for f in self.lists)


def dashboard(session: Session, campaign: Campaign, now: datetime) -> Dashboard:
    assert campaign.id is not None
    question = first_question(session, campaign.id)
    totals = volunteer_totals(session, campaign.id, question[0] if question else None)
    return Dashboard(
        campaign=campaign,
        calls_made=campaigns_crud.calls_made(session, campaign.id),
        lists=list_figures(session, campaign.id, now),
        funnel=funnel(session, campaign.id, totals),
        hours=calls_per_hour(session, campaign.id, now),
        volunteers=volunteer_figures(session, campaign.id, now, totals),
        at=now,
    )


# ---------------------------------------------------------------- lists


def list_figures(session: Session, campaign_id: int, now: datetime) -> list[ListFigures]:
    """Households of each list by where they stand now."""
    lists = campaigns_crud.lists_of(session, campaign_id)
    ids = [cl.id for cl in lists if cl.id is not None]
    if not ids:
        return []

    def count() -> tuple[list[tuple[int, str, bool, int]], dict[int, int]]:
        # One index-only pass by list and state, then the time-dependent parts from small
        # ranges: open households held now (ix_households_pool's held range), and retries
        # waiting (ix_households_retry) less those held now. Testing each household's hold
        # in the pass (a third grouping column) cost half as much again, and the retries'
        # hold test read the table for every waiting household (bench/notes-hub.md).
        list_id = col(Household.call_list_id)
        in_lists, is_open = list_id.in_(ids), Household.state == "open"
        held_now = col(Household.held_until) > now
        waiting = col(Household.next_call_at).is_not(None)

        def per_list(*where: Any) -> dict[int, int]:
            rows = session.exec(select(list_id, func.count()).where(*where).group_by(list_id))
            return {int(i): int(n) for i, n in rows.all()}

        by_state = session.exec(
            select(list_id, col(Household.state), func.count())
            .where(in_lists)
            .group_by(list_id, col(Household.state))
        ).all()
        held = per_list(in_lists, is_open, held_now)
        due = per_list(in_lists, is_open, waiting)
        due_held = per_list(in_lists, is_open, waiting, held_now)
        rows: list[tuple[int, str, bool, int]] = []
        for i, state, n in by_state:
            if state == "open":
                rows.append((int(i), "open", True, held.get(int(i), 0)))
                rows.append((int(i), "open", False, int(n) - held.get(int(i), 0)))
            else:
                rows.append((int(i), str(state), False, int(n)))
        return rows, {i: n - due_held.get(i, 0) for i, n in due.items()}

    by_state, retry = _reused_if_large(
        "dashboard_lists", session, campaign_id, count, lambda c: sum(r[3] for r in c[0])
    )
    counts: dict[int, dict[str, int]] = {i: {"households": 0, "left": 0, "held": 0} for i in ids}
    for list_id, state, is_held, n in by_state:
        figures = counts[list_id]
        figures["households"] += n
        if state != "open":
            figures["done"] = figures.get("done", 0) + n
        elif is_held:
            figures["held"] += n
        else:
            figures["left"] += n
    return [
        ListFigures(
            id=cl.id,
            name=cl.name,
            households=counts[cl.id]["households"],
            left=counts[cl.id]["left"],
            held=counts[cl.id]["held"],
            done=counts[cl.id].get("done", 0),
            retry=int(retry.get(cl.id, 0)),
        )
        for cl in lists
        if cl.id is not None
    ]


# ---------------------------------------------------------------- results


def first_question(session: Session, campaign_id: int) -> tuple[str, str] | None:
    """(id, text) of the first question of the campaign's newest script version."""
    questions = session.exec(
        select(ScriptVersion.questions)
        .where(ScriptVersion.campaign_id == campaign_id)
        .order_by(col(ScriptVersion.version).desc())
        .limit(1)
    ).first()
    if not questions or not isinstance(questions[0], dict):
        return None
    first = questions[0]
    return str(first.get("id", "")), str(first.get("text", ""))


# (volunteer, disposition, results, last call, of them reached with the first question answered)
VolunteerTotals = list[tuple[int, str, int, datetime | None, int]]


def volunteer_totals(
    session: Session, campaign_id: int, question_id: str | None = None
) -> VolunteerTotals:
    """Results by volunteer and disposition, each group's last call, and on the reached
    group how many answered the first question: from the running totals, shared by the
    funnel and the volunteers' table."""
    answered = (
        result_tallies.answered_by_volunteer(session, campaign_id, question_id)
        if question_id is not None and ID_PATTERN.fullmatch(question_id)
        else {}
    )
    return [
        (v, d, n, last, answered.get(v, 0) if d == REACHED else 0)
        for v, d, n, last in result_tallies.by_volunteer_and_disposition(session, campaign_id)
    ]


def funnel(session: Session, campaign_id: int, totals: VolunteerTotals | None = None) -> Funnel:
    """Calls made (not quarantined) → someone reached → the first question answered."""
    question = first_question(session, campaign_id)
    if totals is None:
        totals = volunteer_totals(session, campaign_id, question[0] if question else None)
    attempts = sum(row[2] for row in totals)
    reached = sum(row[2] for row in totals if row[1] == REACHED)
    answered = sum(row[4] for row in totals)
    return Funnel(attempts, reached, answered, question[1] if question else None)


def calls_per_hour(session: Session, campaign_id: int, now: datetime) -> list[HourBar]:
    """Calls that ended in each of the last 24 hours (UTC hours; the current one last)."""
    current = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    first = current - timedelta(hours=HOURS - 1)
    calls = result_tallies.calls_by_hour(session, campaign_id, first)
    return [
        HourBar(start, calls.get(start, 0))
        for start in (first + timedelta(hours=i) for i in range(HOURS))
    ]


def volunteer_figures(
    session: Session, campaign_id: int, now: datetime, totals: VolunteerTotals | None = None
) -> list[VolunteerFigures]:
    """Everyone who made calls or holds a list now: calls, people reached, last call.

    Holding a list first (longest-held first), then by most recent call.
    """
    totals = volunteer_totals(session, campaign_id) if totals is None else totals
    figures: dict[int, VolunteerFigures] = {}
    for volunteer_id, disposition, n, last, _ in totals:
        row = figures.setdefault(volunteer_id, VolunteerFigures(volunteer_id, ""))
        row.calls += n
        row.reached += n if disposition == REACHED else 0
        if last is not None and (row.last_result_at is None or last > row.last_result_at):
            row.last_result_at = last
    # A live reservation with a household still to call: open, and no result for it from
    # this reservation (as reservation_views.unhandled_households counts; a finished list
    # stays "active" until it expires).
    handled = (
        select(col(CallResult.seq))
        .join(Contact, col(Contact.id) == col(CallResult.contact_id))
        .where(
            col(CallResult.reservation_id) == col(Reservation.id),
            col(CallResult.volunteer_id) == col(Reservation.volunteer_id),
            col(CallResult.quarantined) == False,  # noqa: E712
            col(Contact.household_id) == col(ReservationItem.household_id),
        )
    )
    still_held = (
        select(col(ReservationItem.id))
        .join(Household, col(Household.id) == col(ReservationItem.household_id))
        .where(
            col(ReservationItem.reservation_id) == col(Reservation.id),
            col(Household.state) == "open",
            ~exists(handled),
        )
        .exists()
    )
    holding = session.exec(
        select(col(Reservation.volunteer_id), col(CallList.name), col(Reservation.created_at))
        .join(CallList, col(CallList.id) == col(Reservation.call_list_id))
        .where(
            Reservation.campaign_id == campaign_id,
            Reservation.status == "active",
            col(Reservation.expires_at) > now,
            still_held,
        )
        .order_by(col(Reservation.created_at))
    ).all()
    for volunteer_id, list_name, since in holding:
        row = figures.setdefault(volunteer_id, VolunteerFigures(volunteer_id, ""))
        if list_name not in row.holding:
            row.holding.append(list_name)
        if row.holding_since is None or since < row.holding_since:
            row.holding_since = since
    if figures:
        names = session.exec(
            select(col(User.id), col(User.name), col(User.email)).where(
                col(User.id).in_(list(figures))
            )
        ).all()
        for user_id, name, email in names:
            if user_id is not None:
                figures[user_id].name = name or email

    def order(v: VolunteerFigures) -> tuple[bool, float, float]:
        since = v.holding_since.timestamp() if v.holding_since else 0.0
        last = v.last_result_at.timestamp() if v.last_result_at else 0.0
        return (not v.holding, since, -last)

    return sorted(figures.values(), key=order)
