"""Token rotation: a sliding lifetime without signing anyone out on a flaky network.

A token past half its life is replaced by a new one (full lifetime) when the laptop asks
(POST /auth/renew); the old one's expiry is cut to a short overlap from then. Within that
overlap the laptop may ask again with the old token (its reply was lost): it gets another
new token and the one it never received is revoked, so each token has at most one live
successor. Deactivation and a password change revoke every live token, renewed ones too
(`users.revoke_all_tokens`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from sync.hub.crud import users as users_crud
from sync.hub.models import ApiToken, User


@dataclass(frozen=True)
class Renewal:
    token: str | None  # the new token; None: the presented one is not half-way yet
    expires_at: datetime  # of the token to use from now on
    renew_after: datetime
    user_id: int
    token_id: int  # the presented token's row, for the log (never the token itself)


def renew(
    session: Session, token: str, *, now: datetime, ttl: timedelta, overlap: timedelta
) -> Renewal | None:
    """Replace `token` if it is past half its life; None when it does not let anyone in
    (unknown, expired, revoked, deactivated account). Flushes; the caller commits."""
    digest = users_crud.plausible_token_digest(token)
    if digest is None:
        return None
    found = session.exec(
        select(ApiToken, User)
        .join(User, col(ApiToken.user_id) == col(User.id))
        .where(
            ApiToken.token_hash == digest,
            col(ApiToken.revoked_at).is_(None),
            ApiToken.expires_at > now,
            col(User.active).is_(True),
        )
        # Two renewals of one token at once (PostgreSQL) take turns; SQLite's BEGIN
        # IMMEDIATE already serializes them.
        .with_for_update(of=ApiToken)
    ).first()
    if found is None:
        return None
    row, user = found
    assert row.id is not None and user.id is not None
    half_way = users_crud.renew_after(row.created_at, row.expires_at)
    replaced = session.exec(
        select(ApiToken.id).where(
            ApiToken.renewed_from_id == row.id, col(ApiToken.revoked_at).is_(None)
        )
    ).first()
    if now < half_way and replaced is None:
        return Renewal(None, row.expires_at, half_way, user.id, row.id)
    if replaced is not None:
        # Asked again with the old token: the reply carrying its successor never arrived.
        session.execute(
            update(ApiToken)
            .where(col(ApiToken.renewed_from_id) == row.id, col(ApiToken.revoked_at).is_(None))
            .values(revoked_at=now)
        )
    new_token, expires_at = users_crud.issue_token(
        session, user, row.device_name, ttl, now=now, renewed_from_id=row.id
    )
    row.expires_at = min(row.expires_at, now + overlap)  # the overlap is never extended
    session.add(row)
    session.flush()
    return Renewal(new_token, expires_at, users_crud.renew_after(now, expires_at), user.id, row.id)
