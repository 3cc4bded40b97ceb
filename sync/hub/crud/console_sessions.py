"""The organizer console's browser sessions: a random cookie, stored only as its SHA-256.

Every request looks its session up in the database (no state in the hub process), so any
hub process behind one database serves any signed-in organizer, and deactivating an
account ends its sessions at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from sync.hub import security
from sync.hub.crud.users import plausible_token_digest
from sync.hub.models import ConsoleSession, User
from sync.hub.types import utcnow

DEFAULT_SESSION_TTL = timedelta(hours=12)


def start_session(
    session: Session, user: User, ttl: timedelta = DEFAULT_SESSION_TTL
) -> tuple[str, datetime]:
    """A new session cookie value for `user`. Flushes; the caller commits."""
    assert user.id is not None
    token = security.new_token()
    expires_at = utcnow() + ttl
    session.add(
        ConsoleSession(
            user_id=user.id, token_hash=security.token_digest(token), expires_at=expires_at
        )
    )
    session.flush()
    return token, expires_at


def user_for_session(session: Session, token: str) -> User | None:
    """The active account a session cookie belongs to; None when unknown, expired, ended or
    the account is deactivated."""
    digest = plausible_token_digest(token)
    if digest is None:
        return None
    statement = (
        select(User)
        .join(ConsoleSession, col(ConsoleSession.user_id) == col(User.id))
        .where(
            ConsoleSession.token_hash == digest,
            col(ConsoleSession.revoked_at).is_(None),
            ConsoleSession.expires_at > utcnow(),
            col(User.active).is_(True),
        )
    )
    return session.exec(statement).first()


def end_session(session: Session, token: str) -> None:
    """Sign out: the cookie stops working on every hub process. Flushes."""
    digest = plausible_token_digest(token)
    if digest is None:
        return
    session.execute(
        update(ConsoleSession)
        .where(col(ConsoleSession.token_hash) == digest, col(ConsoleSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    session.flush()


def end_sessions_of(session: Session, user_id: int) -> int:
    """End every console session of an account (e.g. when it is deactivated). Flushes."""
    done = session.execute(
        update(ConsoleSession)
        .where(col(ConsoleSession.user_id) == user_id, col(ConsoleSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    session.flush()
    return int(done.rowcount or 0)  # type: ignore[attr-defined]
