"""Organizers' stars on results and feedback messages (shared by every organizer)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sync.hub.models import CallResult, Feedback, StarredItem

KINDS = ("result", "feedback")


class NothingToStar(LookupError):
    """No result or feedback message with that id."""


def _exists(session: Session, kind: str, item_id: str) -> bool:
    if kind == "result":
        found = session.exec(select(CallResult.seq).where(CallResult.id == item_id)).first()
        return found is not None
    if kind == "feedback" and item_id.isdigit() and len(item_id) < 10:
        return session.get(Feedback, int(item_id)) is not None
    return False


def set_star(session: Session, kind: str, item_id: str, user_id: int, starred: bool) -> None:
    """Star or unstar an item (doing it twice is harmless). Flushes; the caller commits."""
    if kind not in KINDS or not _exists(session, kind, item_id):
        raise NothingToStar(f"there is no {kind} {item_id[:40]!r} to star")
    if not starred:
        session.execute(
            delete(StarredItem).where(
                col(StarredItem.kind) == kind, col(StarredItem.item_id) == item_id
            )
        )
        session.flush()
        return
    try:
        with session.begin_nested():
            session.add(StarredItem(kind=kind, item_id=item_id, starred_by=user_id))
    except IntegrityError:  # already starred (by someone else, maybe at the same moment)
        pass
