"""Sign-in throttling that cannot be raced: every attempt is counted before its password is
checked, per account (or known device) and per client address, in one short transaction.

Sliding window with a growing delay: the first `allowance` attempts in the window are free;
then each further one waits `base_delay` after the last, doubling up to `max_delay`. An
attempt that turns out right is taken back (and clears the account's failures), so only
wrong ones count. A laptop that signed in to the account before sends its device key and is
counted on its own (`device:` key): a stranger who only knows the email cannot lock the
owner out. The caller commits before it answers, and before any error is raised: on SQLite
this transaction holds the database's one write lock.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, text
from sqlmodel import Session, col, select

from sync.hub import security
from sync.hub.core.config import Settings
from sync.hub.crud.login_blocks import KnownBlocks
from sync.hub.crud.users import normalize_email, user_by_email
from sync.hub.models import KnownDevice, LoginFailure, User
from sync.hub.types import utcnow


@dataclass(frozen=True)
class Policy:
    account_allowance: int
    address_allowance: int
    window: timedelta
    base_delay: timedelta
    max_delay: timedelta

    def delay(self, over: int) -> timedelta:
        """The wait after the last attempt once `over` attempts beyond the allowance were made."""
        seconds = self.base_delay.total_seconds() * 2 ** min(over, 30)
        return timedelta(seconds=min(seconds, self.max_delay.total_seconds()))


@dataclass
class Attempt:
    """What the limiter decided for one sign-in attempt."""

    allowed: bool
    retry_after_seconds: int = 0
    retry_at: datetime | None = None
    user: User | None = None
    known_device: bool = False
    blocked_by: str = ""  # "account", "device" or "address": for the log
    failure_ids: list[int] = field(default_factory=list)  # this attempt's own records
    remembered: bool = False  # refused from this process's memory, no database asked


def _kind(key: str) -> str:
    return {"email": "account", "device": "device", "ip": "address"}[key.split(":", 1)[0]]


def device_digest(device_key: str) -> str:
    return hashlib.sha256(device_key.encode()).hexdigest()


def _is_known_device(session: Session, user: User | None, device_key: str) -> bool:
    if user is None or not device_key or len(device_key) > 200:
        return False
    found = session.exec(
        select(KnownDevice.id).where(
            KnownDevice.user_id == user.id, KnownDevice.key_hash == device_digest(device_key)
        )
    ).first()
    return found is not None


def _lock(session: Session, keys: list[str]) -> None:
    """Serialise attempts on the same keys. SQLite's BEGIN IMMEDIATE already does; on
    PostgreSQL a transaction-scoped advisory lock per key (in a fixed order: no deadlock)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(keys):
        lock_id = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


def _keys(first: str, address: str | None) -> list[str]:
    return [first[:400]] + ([f"ip:{address}"[:400]] if address else [])


def _refusal(
    until: datetime,
    now: datetime,
    blocked_by: str,
    user: User | None = None,
    known_device: bool = False,
    remembered: bool = False,
) -> Attempt:
    seconds = max(1, math.ceil((until - now).total_seconds()))
    return Attempt(False, seconds, until, user, known_device, blocked_by, remembered=remembered)


def refused_from_memory(
    blocks: KnownBlocks, email: str, address: str | None, device_key: str
) -> Attempt | None:
    """The refusal this process already knows for these keys, asking no database; None
    when it must ask. (With a device key the account's own key is not known here: whether
    the device is known decides which applies.)"""
    own = f"device:{device_digest(device_key)}" if device_key else ""
    first = own or f"email:{normalize_email(email)}"
    now = utcnow()
    block = blocks.blocking(_keys(first, address), now)
    if block is None:
        return None
    return _refusal(block.until, now, block.kind, remembered=True)


def begin_attempt(
    session: Session,
    email: str,
    address: str | None,
    device_key: str,
    policy: Policy,
    blocks: KnownBlocks | None = None,
) -> Attempt:
    """Count this attempt, or refuse it (and remember the blocks found in `blocks`).
    Flushes; the caller commits at once."""
    user = user_by_email(session, email)
    known = _is_known_device(session, user, device_key)
    first = f"device:{device_digest(device_key)}" if known else f"email:{normalize_email(email)}"
    keys = _keys(first, address)
    _lock(session, keys)
    now = utcnow()
    session.execute(delete(LoginFailure).where(col(LoginFailure.at) <= now - policy.window))
    worst: datetime | None = None
    blocked_by = ""
    for key in keys:
        allowance = policy.address_allowance if key.startswith("ip:") else policy.account_allowance
        times = sorted(
            session.exec(
                select(LoginFailure.at).where(
                    LoginFailure.key == key, LoginFailure.at > now - policy.window
                )
            ).all()
        )
        if len(times) < allowance:
            continue
        until = times[-1] + policy.delay(len(times) - allowance)
        if until <= now:
            continue
        if blocks is not None:
            blocks.remember(key, until, _kind(key))
        if worst is None or until > worst:
            worst, blocked_by = until, _kind(key)
    if worst is not None:
        return _refusal(worst, now, blocked_by, user, known)
    rows = [LoginFailure(key=key, at=now) for key in keys]
    session.add_all(rows)
    session.flush()
    ids = [row.id for row in rows if row.id is not None]
    return Attempt(True, user=user, known_device=known, failure_ids=ids)


def policy_from(settings: Settings) -> Policy:
    return Policy(
        account_allowance=settings.login_free_failures,
        address_allowance=settings.login_address_free_failures,
        window=timedelta(seconds=settings.login_window_seconds),
        base_delay=timedelta(seconds=settings.login_base_delay_seconds),
        max_delay=timedelta(seconds=settings.login_max_delay_seconds),
    )


def forgiven(session: Session, attempt: Attempt) -> None:
    """The password was right (a browser: no device to remember): take this attempt back
    and clear the account's failures."""
    user = attempt.user
    assert user is not None
    session.execute(delete(LoginFailure).where(col(LoginFailure.id).in_(attempt.failure_ids)))
    cleared = f"email:{normalize_email(user.email)}"
    session.execute(delete(LoginFailure).where(col(LoginFailure.key) == cleared[:400]))


def succeeded(session: Session, attempt: Attempt, device_key: str) -> str:
    """The password was right: take this attempt back, clear the failures it was counted
    against, and remember the device. Returns the device key the laptop should keep."""
    user = attempt.user
    assert user is not None and user.id is not None
    session.execute(delete(LoginFailure).where(col(LoginFailure.id).in_(attempt.failure_ids)))
    # A known laptop clears its own count only: the account's are a stranger's guesses.
    cleared = (
        f"device:{device_digest(device_key)}"
        if attempt.known_device
        else f"email:{normalize_email(user.email)}"
    )
    session.execute(delete(LoginFailure).where(col(LoginFailure.key) == cleared[:400]))
    if attempt.known_device:
        device = session.exec(
            select(KnownDevice).where(
                KnownDevice.user_id == user.id, KnownDevice.key_hash == device_digest(device_key)
            )
        ).one()
        device.last_seen_at = utcnow()
        session.add(device)
        session.flush()
        return device_key
    new_key = security.new_token()
    session.add(KnownDevice(user_id=user.id, key_hash=device_digest(new_key)))
    session.flush()
    return new_key
