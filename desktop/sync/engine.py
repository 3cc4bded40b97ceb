"""The sync engine: send the outbox, download changes, make a queued "Get names".

One round (`sync_once`) never raises for network trouble; it returns a `RoundResult` that
says what happened and, after a transient failure, when to try again (`retry_in`: 5, 10,
20 ... seconds, capped at 300, with jitter). Rounds never overlap (a lock).

Rules (SPEC §3): an outbox row is done only after a 2xx for it; downloaded data and the new
cursor are written in ONE transaction, cursor last; a reset (the hub did not know our
cursor) re-sends every result still on the laptop; 401 and 426 delete nothing.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

from pydantic import ValidationError

from desktop.store import Store, catalog, contacts, meta, reservations, results
from desktop.store.sql import Connection
from desktop.store.timefmt import from_text, to_text
from desktop.sync.push import OutboxSender, RoundProgress
from desktop.sync.reserve import ReserveResult, reserve_now, reserved
from sync.client.errors import (
    HubCallError,
    HubUnreachable,
    Unauthorized,
    UpgradeRequired,
)
from sync.client.http import HubClient
from sync.messages import Code, Message
from sync.protocol import ReservationStatus, SyncResponse

log = logging.getLogger("phonebank.sync")

BATCH_SIZE = 200
BACKOFF_START = 5.0
BACKOFF_CAP = 300.0
# Contacts of an expired list stay this long, so a call in progress can still be saved.
EXPIRY_GRACE = timedelta(minutes=15)
# A result saved this recently means the volunteer is calling: a next list may be fetched.
ACTIVE_CALLING = timedelta(minutes=30)
AHEAD_PAUSE = timedelta(minutes=10)
# After a failed token renewal (the old token still works), the next try waits this long.
RENEW_PAUSE = timedelta(minutes=10)


@dataclass(frozen=True)
class RoundResult:
    ok: bool
    online: bool
    pushed: int = 0
    feedback_sent: int = 0
    pulled: bool = False
    reset: bool = False
    dnc: int = 0
    minimized: int = 0
    retry_in: float | None = None
    message: str = ""  # English (logs); `msg` is the same as a code, for the UI
    msg: Message | None = None
    needs_sign_in: bool = False
    needs_upgrade: bool = False
    reserved: ReserveResult | None = None
    arrived: dict[int, ReserveResult] = field(default_factory=dict)  # RoundProgress.arrived
    reservations_changed: bool = False  # a list arrived, was released or expired


def utcnow() -> datetime:
    return datetime.now(UTC)


class SyncEngine(OutboxSender):
    """Runs sync rounds for one store. `client_factory` returns a HubClient for the signed-in
    account, or None when nobody is signed in."""

    def __init__(
        self,
        store: Store,
        client_factory: Callable[[], HubClient | None],
        *,
        clock: Callable[[], datetime] = utcnow,
        rng: Callable[[], float] = random.random,
        batch_size: int = BATCH_SIZE,
        fetch_ahead: bool = True,
        keep_token: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.client_factory = client_factory
        # Stores a renewed token (the keyring) before any request uses it; None: no renewal.
        self.keep_token = keep_token
        self._renew_not_before: datetime | None = None
        self.clock = clock
        self.rng = rng
        self.batch_size = batch_size
        self.fetch_ahead = fetch_ahead
        self._ahead_not_before: datetime | None = None
        self.failures = 0
        self.online: bool | None = None
        self.syncing = False
        self._lock = threading.Lock()
        self._rejected_retried = False  # results refused as malformed: once per app start

    def backoff(self) -> float:
        """Seconds until the next try after `self.failures` failures in a row (±20%)."""
        base = min(BACKOFF_CAP, BACKOFF_START * 2 ** max(0, self.failures - 1))
        return min(BACKOFF_CAP, base * (0.8 + 0.4 * self.rng()))

    @contextlib.contextmanager
    def paused(self, timeout: float = -1) -> Iterator[bool]:
        """Hold off sync rounds (sign-in/out wipe data; closing the store) while inside.
        Yields False if a running round did not finish within `timeout` seconds."""
        acquired = self._lock.acquire(timeout=timeout)
        try:
            yield acquired
        finally:
            if acquired:
                self._lock.release()

    def sync_once(self) -> RoundResult:
        with self._lock:
            self.syncing = True
            try:
                return self._round()
            finally:
                self.syncing = False

    # ------------------------------------------------------------ one round

    def _round(self) -> RoundResult:
        client = self.client_factory()
        if client is None:
            not_signed_in = Message(Code.NOT_SIGNED_IN_HERE)
            return RoundResult(
                ok=False,
                online=bool(self.online),
                needs_sign_in=True,
                message=str(not_signed_in),
                msg=not_signed_in,
            )
        progress = RoundProgress()
        try:
            if not self._rejected_retried:
                self.store.run_write(results.retry_rejected)
                self._rejected_retried = True
            self._renew_token(client)
            self._push_results(client, progress)
            self._push_feedback(client, progress)
            self._push_languages(client)
            self._push_releases(client, progress)
            response = client.sync(self._cursor())
            self._apply(response, progress)
            if response.reset:
                self._push_results(client, progress)
            progress.reserved = self._queued_get_names(client, progress)
            if progress.reserved is None and self.fetch_ahead:
                progress.reserved = self._fetch_ahead(client)
            self._finish_ok(progress)
        except Unauthorized as exc:
            return self._failed(progress, exc.msg, needs_sign_in=True, online=True)
        except UpgradeRequired as exc:
            return self._failed(progress, exc.msg, needs_upgrade=True, online=True)
        except HubCallError as exc:
            self.failures += 1
            online = not isinstance(exc, HubUnreachable)
            return self._failed(progress, exc.msg, online=online, retry_in=self.backoff())
        except ValidationError as exc:  # a reply that passed JSON but not our models
            self.failures += 1
            return self._failed(
                progress,
                Message(Code.ANSWER_NOT_UNDERSTOOD, {"n": exc.error_count()}),
                online=True,
                retry_in=self.backoff(),
            )
        except Exception as exc:  # a bug or a local disk problem: report it, retry later
            log.exception("sync round failed unexpectedly")
            self.failures += 1
            return self._failed(
                progress,
                Message(Code.SYNC_FAILED, {"kind": type(exc).__name__}),
                online=bool(self.online),
                retry_in=self.backoff(),
            )
        self.failures = 0
        self.online = True
        if progress.pushed or progress.reset or progress.reserved or progress.dnc:
            log.info(
                "sync: %d results sent, reset=%s, %d do-not-call, %d contacts removed, %s",
                progress.pushed,
                progress.reset,
                progress.dnc,
                progress.minimized,
                progress.reserved.kind if progress.reserved else "no new list",
            )
        done = _ok_message(progress)
        return RoundResult(
            ok=True,
            online=True,
            pushed=progress.pushed,
            feedback_sent=progress.feedback_sent,
            pulled=progress.pulled,
            reset=progress.reset,
            dnc=progress.dnc,
            minimized=progress.minimized,
            message=str(done),
            msg=done,
            reserved=progress.reserved,
            arrived=progress.arrived,
            reservations_changed=progress.reservations_changed,
        )

    def _failed(
        self,
        progress: RoundProgress,
        msg: Message,
        *,
        online: bool,
        needs_sign_in: bool = False,
        needs_upgrade: bool = False,
        retry_in: float | None = None,
    ) -> RoundResult:
        self.online = online
        now = self.clock()
        message = str(msg)

        def record(conn: Connection) -> None:
            meta.put(conn, meta.LAST_ERROR, msg.to_json())
            if needs_sign_in:
                meta.put(conn, meta.NEEDS_SIGN_IN, "1")
            if needs_upgrade:
                meta.put(conn, meta.NEEDS_UPGRADE, "1")

        try:
            self.store.run_write(record)
        except Exception:  # the store itself failing: the report still says what happened
            log.exception("could not record the sync failure")
        log.info("sync failed at %s: %s", to_text(now), message)
        return RoundResult(
            ok=False,
            online=online,
            pushed=progress.pushed,
            feedback_sent=progress.feedback_sent,
            pulled=progress.pulled,
            retry_in=retry_in,
            message=message,
            msg=msg,
            needs_sign_in=needs_sign_in,
            needs_upgrade=needs_upgrade,
        )

    def _renew_token(self, client: HubClient) -> None:
        """Past half its life the token is replaced: the new one is stored (keyring) before
        this round uses it. A failed renewal changes nothing: the old token still works, the
        round goes on, and the renewal is tried again later (a lost reply too: the hub
        accepts the old token for a short overlap and gives another new one)."""
        if self.keep_token is None:
            return
        now = self.clock()
        with self.store.read() as conn:
            raw = meta.get(conn, meta.TOKEN_RENEW_AFTER)
        if (raw is not None and from_text(raw) > now) or (self._renew_not_before or now) > now:
            return
        try:
            renewal = client.renew()
        except Exception as exc:  # whatever went wrong, the old token still works
            self._renew_not_before = now + RENEW_PAUSE
            reason = exc.msg if isinstance(exc, HubCallError) else type(exc).__name__
            log.info("token not renewed (the old one is kept): %s", reason)
            return
        if renewal.renewed and renewal.token:
            self.keep_token(renewal.token)
            client.token = renewal.token
            log.info("token renewed; the next renewal from %s", to_text(renewal.renew_after))
        after = to_text(renewal.renew_after)
        self.store.run_write(lambda conn: meta.put(conn, meta.TOKEN_RENEW_AFTER, after))

    def _cursor(self) -> str | None:
        with self.store.read() as conn:
            return meta.get(conn, meta.CURSOR)

    # ------------------------------------------------------------ pull

    def _apply(self, response: SyncResponse, progress: RoundProgress) -> None:
        """Everything the hub sent and the new cursor, in one transaction (cursor last),
        on the database worker."""
        now = self.clock()

        def store(conn: Connection) -> None:
            if response.reset:
                log.info("the hub did not know our cursor: re-sending every kept result")
                results.resend_all(conn)
                catalog.wipe(conn)
                reservations.forget_cleared(conn)
                progress.reset = True
            catalog.replace_campaigns(conn, response.campaigns)
            for script in response.scripts:
                catalog.save_script(conn, script)
            catalog.apply_progress(conn, response.progress)
            for reservation in response.reservations:
                # Contacts are added only the first time a list is seen: a list that adds
                # some and is still active has just arrived.
                if reservations.save_reservation(conn, reservation, now):
                    progress.reservations_changed = True
                    if reservation.status is ReservationStatus.active:
                        progress.arrived[reservation.call_list_id] = reserved(
                            reservation.id, len(reservation.contacts)
                        )
            reservations.expire_missing(conn, (r.id for r in response.reservations), now)
            progress.dnc += contacts.mark_dnc(conn, response.dnc)
            meta.put(conn, meta.EPOCH, response.epoch)
            meta.put(conn, meta.CURSOR, response.cursor)

        self.store.run_write(store)
        progress.pulled = True

    def _queued_get_names(self, client: HubClient, progress: RoundProgress) -> ReserveResult | None:
        with self.store.read() as conn:
            raw = meta.get(conn, meta.PENDING_GET_NAMES)
        if not raw:
            return None
        try:
            call_list_id = int(raw)
        except ValueError:
            self.store.run_write(_forget_queued_get_names)
            return None
        arrived = progress.arrived.get(call_list_id)
        if arrived is not None:  # asked before, and the hub granted it: its answer was lost
            self.store.run_write(_forget_queued_get_names)
            return arrived
        outcome = reserve_now(self.store, client, call_list_id, self.clock())
        if outcome.kind in ("empty", "error"):
            self.store.run_write(_forget_queued_get_names)
        # cooling_down: stays queued and is tried again at a later round.
        return outcome

    def _fetch_ahead(self, client: HubClient) -> ReserveResult | None:
        """SPEC §3.9: while the volunteer is calling and the names left are few, get the
        next list of the same call list ahead, once the hub's cooldown allows it."""
        now = self.clock()
        with self.store.read() as conn:
            newest = reservations.newest_reservation(conn)
            if newest is None or newest.status != "active" or newest.expires_at <= now:
                return None
            if newest.next_request_at > now or (self._ahead_not_before or now) > now:
                return None
            last_call = results.last_created_at(conn)
            if last_call is None or now - last_call > ACTIVE_CALLING:
                return None
            campaign = catalog.campaign(conn, newest.campaign_id)
            list_size = campaign.policy.list_size if campaign else 20
            left = contacts.open_households(conn, reservations.reservations_with_contacts(conn))
        if left > max(1, list_size // 5):
            return None
        outcome = reserve_now(self.store, client, newest.call_list_id, now)
        if outcome.kind != "reserved":
            # Cooling down or nobody left: don't ask again at every round.
            self._ahead_not_before = outcome.retry_at or now + AHEAD_PAUSE
            log.info("no list fetched ahead: %s", outcome.message)
            return None
        return outcome

    def _finish_ok(self, progress: RoundProgress) -> None:
        now = self.clock()
        with self.store.read() as conn:
            over = reservations.lists_over(conn, now, EXPIRY_GRACE)
        # A transaction per list: a Save & next queued on the worker waits for one list's
        # deletes at most (bench/notes-save-during-sync.md).
        for reservation_id in over:
            progress.minimized += self.store.run_write(
                partial(reservations.minimize_list, reservation_id=reservation_id, now=now,
                        grace=EXPIRY_GRACE)
            )  # fmt: skip

        def finish(conn: Connection) -> None:
            reservations.forget_old(conn, now)
            meta.put(conn, meta.LAST_SYNC_AT, to_text(now))
            meta.put(conn, meta.LAST_ERROR, None)
            meta.put(conn, meta.NEEDS_SIGN_IN, None)
            meta.put(conn, meta.NEEDS_UPGRADE, None)

        self.store.run_write(finish)
        if progress.minimized:  # contacts of finished lists removed: leave no trace on disk
            self.store.scrub()


def _forget_queued_get_names(conn: Connection) -> None:
    meta.put(conn, meta.PENDING_GET_NAMES, None)


def _ok_message(p: RoundProgress) -> Message:
    got = p.reserved is not None and p.reserved.kind == "reserved"
    names = int(p.reserved.msg.params.get("n", 0)) if got and p.reserved else 0
    return Message(Code.SYNC_DONE, {"sent": p.pushed, "names": names, "reserved": int(got)})
