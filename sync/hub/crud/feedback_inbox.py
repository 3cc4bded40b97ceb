"""Volunteers' feedback as the console's inbox: with names, read or unread, starred."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, String, cast, delete, exists, func
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from sync.hub.models import Campaign, Feedback, FeedbackRead, StarredItem, User

PAGE_SIZE = 50
SHOW = ("all", "unread", "starred")


@dataclass(frozen=True)
class Message:
    id: int
    text: str
    created_at: datetime
    volunteer: str
    volunteer_email: str
    campaign: str
    read_at: datetime | None
    starred: bool


def _starred() -> ColumnElement[bool]:
    # Stars name their item as text (a result's UUID, a message's id).
    return exists().where(
        col(StarredItem.kind) == "feedback",
        col(StarredItem.item_id) == cast(col(Feedback.id), String),
    )


def _query(show: str, search: str) -> Select[Feedback, str, str, str, datetime, bool]:
    statement = (
        sa_select(
            Feedback,
            col(User.name),
            col(User.email),
            col(Campaign.name),
            col(FeedbackRead.read_at),
            _starred().label("starred"),
        )
        .outerjoin(User, col(User.id) == col(Feedback.volunteer_id))
        .outerjoin(Campaign, col(Campaign.id) == col(Feedback.campaign_id))
        .outerjoin(FeedbackRead, col(FeedbackRead.feedback_id) == col(Feedback.id))
        .order_by(col(Feedback.id).desc())
    )
    if show == "unread":
        statement = statement.where(col(FeedbackRead.feedback_id).is_(None))
    elif show == "starred":
        statement = statement.where(_starred())
    if search:
        statement = statement.where(
            func.lower(col(Feedback.text)).contains(search.lower(), autoescape=True)
        )
    return statement


def _message(row: tuple[Feedback, str, str, str, datetime, bool]) -> Message:
    feedback, name, email, campaign, read_at, starred = row
    assert feedback.id is not None
    return Message(
        id=feedback.id,
        text=feedback.text,
        created_at=feedback.created_at,
        volunteer=name or email or "(account removed)",
        volunteer_email=email or "",
        campaign=campaign or "",
        read_at=read_at,
        starred=bool(starred),
    )


def messages(
    session: Session, show: str = "all", search: str = "", *, before: int | None = None
) -> tuple[list[Message], int | None]:
    """A page of messages, newest first, and the `before` of the next page, if any."""
    statement = _query(show, search).limit(PAGE_SIZE + 1)
    if before is not None:
        statement = statement.where(col(Feedback.id) < before)
    rows = session.execute(statement).all()
    found = [_message(tuple(row)) for row in rows[:PAGE_SIZE]]
    return found, (found[-1].id if len(rows) > PAGE_SIZE and found else None)


def iter_messages(session: Session, show: str = "all", search: str = "") -> Iterator[Message]:
    before: int | None = None
    while True:
        statement = _query(show, search).limit(500)
        if before is not None:
            statement = statement.where(col(Feedback.id) < before)
        rows = [_message(tuple(row)) for row in session.execute(statement).all()]
        session.rollback()
        yield from rows
        if len(rows) < 500:
            return
        before = rows[-1].id


def unread_count(session: Session) -> int:
    unread = ~exists().where(col(FeedbackRead.feedback_id) == col(Feedback.id))
    return int(
        session.execute(sa_select(func.count()).select_from(Feedback).where(unread)).one()[0]
    )


def set_read(session: Session, feedback_id: int, user_id: int, read: bool) -> bool:
    """Mark a message read or unread; False when there is no such message. Flushes."""
    if session.get(Feedback, feedback_id) is None:
        return False
    if not read:
        session.execute(delete(FeedbackRead).where(col(FeedbackRead.feedback_id) == feedback_id))
        session.flush()
        return True
    try:
        with session.begin_nested():
            session.add(FeedbackRead(feedback_id=feedback_id, read_by=user_id))
    except IntegrityError:  # already read (by someone else, maybe at the same moment)
        pass
    return True
