"""The laptop renews its token during a normal sync round, against a real hub (in a thread).

What a volunteer depends on: past half its life the token is exchanged and the new one kept
in the keyring before anything uses it, so the laptop stays signed in across restarts after
the old token dies; a renewal that fails (a lost reply, a hub error, a keyring that refuses)
never signs anyone out. Time: the laptop's clock is injected and the hub's token row is aged
in its database by the same amount.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from keyring.errors import KeyringError
from sqlmodel import Session, select

from desktop.services.core import PhonebankCore
from desktop.store import meta
from sync.hub import security
from sync.hub.core.config import Settings
from sync.hub.models import ApiToken
from sync.hub.types import utcnow
from tests.support.memory_keyring import MemoryKeyring
from tests.sync_client.live_hub import EMAIL, PASSWORD, LiveHub

TTL = timedelta(days=Settings().token_ttl_days)
OVERLAP = timedelta(seconds=Settings().token_overlap_seconds)
PAST_HALF = TTL / 2 + timedelta(minutes=1)


class Clock:
    """The laptop's time: now, moved on by the test."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


def kept_token(keyring: MemoryKeyring) -> str:
    (token,) = [v for (_, user), v in keyring.secrets.items() if not user.startswith("device:")]
    return token


def hub_row(hub: LiveHub, token: str) -> ApiToken:
    with Session(hub.engine) as session:
        digest = security.token_digest(token)
        return session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).one()


def age(hub: LiveHub, token: str, by: timedelta) -> None:
    """Let `by` pass for this token on the hub (its issue and expiry move into the past)."""
    with Session(hub.engine) as session:
        row = session.exec(
            select(ApiToken).where(ApiToken.token_hash == security.token_digest(token))
        ).one()
        row.created_at -= by
        row.expires_at -= by
        session.add(row)
        session.commit()


def renew_after(core: PhonebankCore) -> datetime | None:
    with core.store.read() as conn:
        raw = meta.get(conn, meta.TOKEN_RENEW_AFTER)
    return datetime.fromisoformat(raw) if raw else None


def signed_in(core: PhonebankCore) -> bool:
    account = core.saved_account()
    with core.store.read() as conn:
        asked = meta.get(conn, meta.NEEDS_SIGN_IN)
    return account is not None and account.has_token and not asked


def test_a_token_past_half_its_life_is_renewed_in_a_round_and_kept_in_the_keyring(
    hub: LiveHub,
    make_core: Callable[..., PhonebankCore],
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    clock = Clock()
    core = make_core(clock=clock)
    core.sign_in(hub.url, EMAIL, PASSWORD)
    old = kept_token(memory_keyring)
    first = renew_after(core)
    assert first is not None and first == hub_row(hub, old).created_at + TTL / 2
    assert core.sync_once().ok
    assert kept_token(memory_keyring) == old  # not half-way: not even asked

    age(hub, old, PAST_HALF)
    clock.offset = PAST_HALF
    before = utcnow()
    assert core.sync_once().ok
    new = kept_token(memory_keyring)
    assert new != old
    assert hub_row(hub, new).renewed_from_id == hub_row(hub, old).id
    after = renew_after(core)
    assert after is not None and before + TTL / 2 <= after <= utcnow() + TTL / 2
    # The old token dies after the overlap; the laptop does not need it.
    age(hub, old, OVERLAP + timedelta(seconds=1))
    assert core.sync_once().ok and signed_in(core)
    core.close()
    again = make_core(clock=clock)
    assert signed_in(again) and again.sync_once().ok


class LosesRenewReplies(requests.Session):
    """Delivers POST /auth/renew to the hub, then loses the reply (a dropped Wi-Fi)."""

    def __init__(self) -> None:
        super().__init__()
        self.lose = 1

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        response = super().request(method, url, *args, **kwargs)
        if url.endswith("/auth/renew") and self.lose:
            self.lose -= 1
            raise requests.ConnectionError("connection reset after the request was sent")
        return response


def test_a_lost_renewal_reply_keeps_the_old_token_and_the_next_try_gets_a_new_one(
    hub: LiveHub, make_core: Callable[..., PhonebankCore], memory_keyring: MemoryKeyring
) -> None:
    clock = Clock()
    core = make_core(clock=clock, http=LosesRenewReplies())
    core.sign_in(hub.url, EMAIL, PASSWORD)
    old = kept_token(memory_keyring)
    age(hub, old, PAST_HALF)
    clock.offset = PAST_HALF
    assert core.sync_once().ok  # the rest of the round went on with the old token
    assert kept_token(memory_keyring) == old and signed_in(core)
    clock.offset += timedelta(minutes=11)  # the engine's pause after a failed renewal
    assert core.sync_once().ok
    new = kept_token(memory_keyring)
    assert new != old and signed_in(core)
    with Session(hub.engine) as session:
        successors = session.exec(
            select(ApiToken).where(ApiToken.renewed_from_id == hub_row(hub, old).id)
        ).all()
    # The token whose reply was lost is revoked; the one the laptop holds is the live one.
    assert sorted(row.revoked_at is None for row in successors) == [False, True]
    assert hub_row(hub, new).revoked_at is None


class RenewalBroken(requests.Session):
    """The hub answers 500 to renewals (a hub bug) and works for everything else."""

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if url.endswith("/auth/renew"):
            broken = requests.Response()
            broken.status_code = 500
            broken._content = b'{"detail": "Internal error on the hub."}'
            return broken
        return super().request(method, url, *args, **kwargs)


def test_a_failing_renewal_never_signs_the_volunteer_out(
    hub: LiveHub, make_core: Callable[..., PhonebankCore], memory_keyring: MemoryKeyring
) -> None:
    clock = Clock()
    core = make_core(clock=clock, http=RenewalBroken())
    core.sign_in(hub.url, EMAIL, PASSWORD)
    old = kept_token(memory_keyring)
    age(hub, old, PAST_HALF)
    clock.offset = PAST_HALF
    for _ in range(2):
        result = core.sync_once()
        assert result.ok, result
        clock.offset += timedelta(minutes=11)
    assert kept_token(memory_keyring) == old and signed_in(core)


class RefusesWrites(MemoryKeyring):
    """A keyring that reads but no longer stores (locked, or its service gone)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("the keyring is locked")


def test_a_keyring_that_refuses_the_new_token_keeps_it_for_this_run(
    hub: LiveHub, make_core: Callable[..., PhonebankCore], memory_keyring: MemoryKeyring
) -> None:
    import keyring

    clock = Clock()
    core = make_core(clock=clock)
    core.sign_in(hub.url, EMAIL, PASSWORD)
    old = kept_token(memory_keyring)
    refusing = RefusesWrites()
    refusing.secrets = memory_keyring.secrets
    keyring.set_keyring(refusing)
    age(hub, old, PAST_HALF)
    clock.offset = PAST_HALF
    assert core.sync_once().ok
    assert kept_token(memory_keyring) == old  # the keyring kept what it had
    account = core.saved_account()
    assert account is not None and account.has_token and not account.remember
    age(hub, old, OVERLAP + timedelta(seconds=1))  # the old token is dead now
    assert core.sync_once().ok and signed_in(core)  # the new one, from memory
