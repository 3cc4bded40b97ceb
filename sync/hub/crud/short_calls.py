"""Seconds-long "contacted" calls in bulk: someone who answered and talked takes longer, so
a volunteer sending many of them is faking calls (marking households done without calling).
Beyond `ALLOWED_PER_HOUR` in an hour from one volunteer, further ones are quarantined
(stored, not applied: the households stay to be called), for an organizer to look at.

A few are normal (a quick "not interested, bye" recorded as contacted), so only the bulk is
refused. The hour's count is read only for a batch that has such a call: the others pay
nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from sync.hub.crud.result_checks import safe_utc
from sync.hub.models import CallResult
from sync.messages import Code, Message
from sync.protocol import Disposition, ResultIn

SHORTEST_CONTACT = timedelta(seconds=5)
ALLOWED_PER_HOUR = 10
WINDOW = timedelta(hours=1)
REASON = Message(
    Code.SHORT_CONTACTS_HELD,
    {"seconds": SHORTEST_CONTACT.seconds, "allowed": ALLOWED_PER_HOUR},
)


def is_short_contact(result: ResultIn) -> bool:
    started, ended = safe_utc(result.started_at), safe_utc(result.ended_at)
    if result.disposition != Disposition.contacted or started is None or ended is None:
        return False
    return timedelta(0) <= ended - started < SHORTEST_CONTACT


class ShortContactCount:
    """The volunteer's accepted short contacted calls of the last hour, counted on as the
    batch is judged."""

    def __init__(self, session: Session, volunteer_id: int, now: datetime) -> None:
        self._session, self._volunteer_id, self._now = session, volunteer_id, now
        self._count: int | None = None

    def _stored(self) -> int:
        rows = self._session.exec(
            select(CallResult.started_at, CallResult.ended_at)
            .where(
                CallResult.volunteer_id == self._volunteer_id,
                CallResult.disposition == Disposition.contacted.value,
                col(CallResult.received_at) > self._now - WINDOW,
                col(CallResult.quarantined).is_(False),
            )
            .limit(10_000)
        ).all()
        return sum(1 for started, ended in rows if ended - started < SHORTEST_CONTACT)

    def reason(self, result: ResultIn) -> Message | None:
        """Why this (otherwise acceptable) result is quarantined as bulk, or None; counts
        it when it is a short contact that is let through."""
        if not is_short_contact(result):
            return None
        if self._count is None:
            self._count = self._stored()
        if self._count >= ALLOWED_PER_HOUR:
            return REASON
        self._count += 1
        return None
