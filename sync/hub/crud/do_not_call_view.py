"""The do-not-call list as people read it: a page of numbers (searched, in number order)
with where each came from, the removals' audit, and the list as a CSV file.

A page is one keyset read of `do_not_call` by phone, then the details of just those numbers:
it stays quick however long the list is.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from sync.hub.crud.do_not_call import EXPORT_COLUMNS, iter_listed
from sync.hub.crud.export import safe_cell
from sync.hub.models import CallResult, DoNotCall, DoNotCallChange, User

PAGE_SIZE = 50
_PHONE_LIKE = re.compile(r"[\d\s+().\-]+")


@dataclass(frozen=True)
class Listed:
    """One number on the list and where it came from."""

    phone: str
    added_at: datetime
    by: str  # the volunteer's email for a call; the operator for an import or an addition
    by_name: str  # the volunteer's name for a call, else ""
    source: str  # "import of FILE", "added in the console"..., or "" for a call
    result_id: str | None  # the call that asked for it


def _matches(search: str) -> ColumnElement[bool] | None:
    """A number's digits anywhere in it, or a word in who added it and why."""
    term = search.strip()
    if not term:
        return None
    if _PHONE_LIKE.fullmatch(term) and any(ch.isdigit() for ch in term):
        return col(DoNotCall.phone).contains(re.sub(r"\D", "", term), autoescape=True)
    needle = term.lower()
    by_operator = exists().where(
        col(DoNotCallChange.phone) == col(DoNotCall.phone),
        col(DoNotCallChange.action) == "added",
        or_(
            func.lower(col(DoNotCallChange.by)).contains(needle, autoescape=True),
            func.lower(col(DoNotCallChange.reason)).contains(needle, autoescape=True),
        ),
    )
    by_volunteer = exists().where(
        col(CallResult.id) == col(DoNotCall.source_result_id),
        col(User.id) == col(CallResult.volunteer_id),
        or_(
            func.lower(col(User.email)).contains(needle, autoescape=True),
            func.lower(col(User.name)).contains(needle, autoescape=True),
        ),
    )
    return or_(by_operator, by_volunteer)


def count(session: Session, search: str = "", cap: int | None = None) -> int:
    """How many numbers are listed (that match `search`); counting stops at `cap` + 1, so a
    search that matches most of a long list answers "more than `cap`" quickly."""
    condition = _matches(search)
    if condition is None:
        return int(session.execute(sa_select(func.count()).select_from(DoNotCall)).scalar_one())
    matching = sa_select(col(DoNotCall.phone)).where(condition)
    if cap is not None:
        matching = matching.limit(cap + 1)
    counted = sa_select(func.count()).select_from(matching.subquery())
    return int(session.execute(counted).scalar_one())


def page(
    session: Session, search: str = "", after: str = "", size: int = PAGE_SIZE
) -> tuple[list[Listed], str]:
    """Up to `size` numbers after `after` (in number order), and where the next page starts
    ("" when this is the last)."""
    statement = select(DoNotCall).order_by(col(DoNotCall.phone)).limit(size + 1)
    condition = _matches(search)
    if condition is not None:
        statement = statement.where(condition)
    if after:
        statement = statement.where(col(DoNotCall.phone) > after)
    entries = list(session.exec(statement))
    more = len(entries) > size
    entries = entries[:size]
    listed = _details(session, entries)
    return listed, entries[-1].phone if more else ""


def _details(session: Session, entries: Sequence[DoNotCall]) -> list[Listed]:
    phones = [entry.phone for entry in entries]
    latest = (
        sa_select(func.max(DoNotCallChange.id))
        .where(col(DoNotCallChange.phone).in_(phones), col(DoNotCallChange.action) == "added")
        .group_by(col(DoNotCallChange.phone))
    )
    added = {
        change.phone: change
        for change in session.exec(
            select(DoNotCallChange).where(col(DoNotCallChange.id).in_(latest))
        )
    }
    result_ids = [entry.source_result_id for entry in entries if entry.source_result_id]
    callers = {
        result_id: (email, name)
        for result_id, email, name in session.execute(
            sa_select(col(CallResult.id), col(User.email), col(User.name))
            .join(User, col(User.id) == col(CallResult.volunteer_id))
            .where(col(CallResult.id).in_(result_ids))
        )
    }
    out = []
    for entry in entries:
        if entry.source_result_id:
            email, name = callers.get(entry.source_result_id, ("", ""))
            out.append(Listed(entry.phone, entry.added_at, email, name, "", entry.source_result_id))
        else:
            change = added.get(entry.phone)
            by, reason = (change.by, change.reason) if change else ("", "")
            out.append(Listed(entry.phone, entry.added_at, by, "", reason, None))
    return out


def removals(session: Session, limit: int = 20, phone: str = "") -> list[DoNotCallChange]:
    """The latest numbers taken off the list, newest first (one number's when `phone`)."""
    statement = (
        select(DoNotCallChange)
        .where(col(DoNotCallChange.action) == "removed")
        .order_by(col(DoNotCallChange.id).desc())
        .limit(limit)
    )
    if phone:
        statement = statement.where(col(DoNotCallChange.phone) == phone)
    return list(session.exec(statement))


def iter_csv(session: Session, rows_per_chunk: int = 1000) -> Iterator[str]:
    """`phone,added_at,added_by,source` for every listed number, in chunks of CSV text: the
    file `phonebank-hub dnc export` writes (cells defused against spreadsheet formulas)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for n, (phone, added_at, by, source) in enumerate(iter_listed(session), 1):
        when = added_at.replace(microsecond=0).isoformat()
        writer.writerow([safe_cell(cell) for cell in (phone, when, by, source)])
        if n % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
