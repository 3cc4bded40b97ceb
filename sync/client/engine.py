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

from pydantic import ValidationError

from desktop.store import Store, catalog, contacts, meta, results
from desktop.store.timefmt import to_text
from sync.client.errors import (
    CoolingDown,
    HubCallError,
    HubError,
    HubUnreachable,
    ListEmpty,
    Unauthorized,
    UpgradeRequired,
)
from sync.client.http import HubClient
from sync.protocol import FeedbackIn, ResultIn, ResultOutcome, ResultStatus, SyncResponse

log = logging.getLogger("phonebank.sync")

BATCH_SIZE = 200
BACKOFF_START = 5.0
BACKOFF_CAP = 300.0
# Contacts of an expired list stay this long, so a call in progress can still be saved.
EXPIRY_GRACE = timedelta(minutes=15)
# A result saved this recently means the volunteer is calling: a next list may be fetched.
ACTIVE_CALLING = timedelta(minutes=30)


@dataclass(frozen=True)
class ReserveResult:
    """Outcome of asking the hub for a list (kind as in services' ReserveOutcome)."""

    kind: str  # reserved | queued | cooling_down | empty | error
    message: str
    retry_at: datetime | None = None
    reservation_id: int | None = None


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
    message: str = ""
    needs_sign_in: bool = False
    needs_upgrade: bool = False
    reserved: ReserveResult | None = None
    changed: frozenset[str] = field(default_factory=frozenset)


def utcnow() -> datetime:
    return datetime.now(UTC)


def reserve_now(store: Store, client: HubClient, call_list_id: int, now: datetime) -> ReserveResult:
    """POST /reservations and keep the list (reservation + contacts in one transaction).

    Raises the transient/auth errors (HubUnreachable, Unauthorized, UpgradeRequired, 5xx)
    for the caller to handle; answers cooling-down, empty and other refusals as results.
    """
    try:
        reservation = client.reserve(call_list_id)
    except CoolingDown as exc:
        return ReserveResult(
            "cooling_down", _cooling_message(exc.retry_after), retry_at=exc.retry_at
        )
    except ListEmpty:
        return ReserveResult("empty", "Everyone on this list has been called or is taken.")
    except HubError as exc:
        if exc.transient:
            raise
        if exc.status == 404:
            return ReserveResult("error", "The hub no longer has that list.")
        return ReserveResult("error", f"The hub refused: {exc.detail}")
    with store.write() as conn:
        contacts.save_reservation(conn, reservation, now)
        meta.put(conn, meta.PENDING_GET_NAMES, None)
        has_script = catalog.script_for(conn, reservation.campaign_id) is not None
    if not has_script:
        _fetch_script(store, client, reservation.campaign_id)
    n = len(reservation.contacts)
    return ReserveResult(
        "reserved",
        f"{n} name{'s' if n != 1 else ''} reserved for you.",
        reservation_id=reservation.id,
    )


def _fetch_script(store: Store, client: HubClient, campaign_id: int) -> None:
    """A list reserved before the first sync: get its campaign's script now, so results
    name the right script version. Failing here is fine: the next sync brings it."""
    try:
        campaign = next((c for c in client.campaigns() if c.id == campaign_id), None)
        if campaign is None or campaign.script is None:
            return
        script = client.script(campaign.script.id)
    except HubCallError as exc:
        log.info("script of campaign %s not fetched yet: %s", campaign_id, exc)
        return
    with store.write() as conn:
        catalog.upsert_campaign(conn, campaign)
        catalog.save_script(conn, script)


def _cooling_message(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    if seconds < 90:
        return f"You can get more names in {max(1, round(seconds))} seconds."
    return f"You can get more names in {minutes} minutes."


class SyncEngine:
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
    ) -> None:
        self.store = store
        self.client_factory = client_factory
        self.clock = clock
        self.rng = rng
        self.batch_size = batch_size
        self.fetch_ahead = fetch_ahead
        self.failures = 0
        self.online: bool | None = None
        self.syncing = False
        self._lock = threading.Lock()

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
            return RoundResult(
                ok=False, online=bool(self.online), needs_sign_in=True, message="Not signed in."
            )
        progress = _Progress()
        try:
            self._push_results(client, progress)
            self._push_feedback(client, progress)
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
            return self._failed(progress, str(exc), needs_sign_in=True, online=True)
        except UpgradeRequired as exc:
            return self._failed(progress, str(exc), needs_upgrade=True, online=True)
        except HubCallError as exc:
            self.failures += 1
            online = not isinstance(exc, HubUnreachable)
            return self._failed(progress, str(exc), online=online, retry_in=self.backoff())
        except ValidationError as exc:  # a reply that passed JSON but not our models
            self.failures += 1
            return self._failed(
                progress,
                f"The hub's answer was not understood ({exc.error_count()} problems).",
                online=True,
                retry_in=self.backoff(),
            )
        except Exception as exc:  # a bug or a local disk problem: report it, retry later
            log.exception("sync round failed unexpectedly")
            self.failures += 1
            return self._failed(
                progress,
                f"Sync failed unexpectedly ({type(exc).__name__}); it will be retried.",
                online=bool(self.online),
                retry_in=self.backoff(),
            )
        self.failures = 0
        self.online = True
        changed = {"status"}
        if progress.pulled:
            changed.add("campaigns")
        if progress.dnc or progress.reset or progress.minimized or progress.reserved:
            changed.add("list")
        if progress.reservations_changed:
            changed.add("list")
        return RoundResult(
            ok=True,
            online=True,
            pushed=progress.pushed,
            feedback_sent=progress.feedback_sent,
            pulled=progress.pulled,
            reset=progress.reset,
            dnc=progress.dnc,
            minimized=progress.minimized,
            message=_ok_message(progress),
            reserved=progress.reserved,
            changed=frozenset(changed),
        )

    def _failed(
        self,
        progress: _Progress,
        message: str,
        *,
        online: bool,
        needs_sign_in: bool = False,
        needs_upgrade: bool = False,
        retry_in: float | None = None,
    ) -> RoundResult:
        self.online = online
        now = self.clock()
        try:
            with self.store.write() as conn:
                meta.put(conn, meta.LAST_ERROR, message)
                if needs_sign_in:
                    meta.put(conn, meta.NEEDS_SIGN_IN, "1")
                if needs_upgrade:
                    meta.put(conn, meta.NEEDS_UPGRADE, "1")
        except Exception:  # the store itself failing: the report still says what happened
            log.exception("could not record the sync failure")
        log.info("sync failed at %s: %s", to_text(now), message)
        changed = {"status"}
        if needs_sign_in:
            changed.add("account")
        if progress.pushed or progress.pulled:
            changed.add("list")
        return RoundResult(
            ok=False,
            online=online,
            pushed=progress.pushed,
            feedback_sent=progress.feedback_sent,
            pulled=progress.pulled,
            retry_in=retry_in,
            message=message,
            needs_sign_in=needs_sign_in,
            needs_upgrade=needs_upgrade,
            changed=frozenset(changed),
        )

    def _cursor(self) -> str | None:
        with self.store.read() as conn:
            return meta.get(conn, meta.CURSOR)

    # ------------------------------------------------------------ push

    def _push_results(self, client: HubClient, progress: _Progress) -> None:
        while True:
            with self.store.read() as conn:
                batch = results.pending_batch(conn, self.batch_size)
            if not batch:
                return
            wire, bad = [], []
            for record in batch:
                try:
                    wire.append(record.to_wire())
                except ValidationError as exc:
                    bad.append((record.id, f"cannot be sent: {exc.errors()[0]['msg']}"))
            if bad:
                with self.store.write() as conn:
                    for result_id, reason in bad:
                        results.mark_rejected(conn, result_id, reason, self.clock())
                        progress.rejected += 1
            if wire:
                before = progress.pushed + progress.rejected
                self._send(client, wire, progress)
                if progress.pushed + progress.rejected == before:
                    raise HubError(502, "The hub acknowledged none of the results sent.")

    def _send(self, client: HubClient, wire: list[ResultIn], progress: _Progress) -> None:
        try:
            reply = client.post_results(wire)
        except HubError as exc:
            if exc.status not in (400, 413, 422):
                raise
            if len(wire) > 1:  # find the bad one(s): send halves
                half = len(wire) // 2
                self._send(client, wire[:half], progress)
                self._send(client, wire[half:], progress)
                return
            with self.store.write() as conn:
                results.mark_rejected(conn, wire[0].id, exc.detail, self.clock())
            progress.rejected += 1
            return
        except HubCallError as exc:
            with self.store.write() as conn:
                results.mark_failed(conn, [r.id for r in wire], str(exc), self.clock())
            raise
        sent = {r.id for r in wire}
        outcomes: list[ResultOutcome] = [o for o in reply.results if o.id in sent]
        with self.store.write() as conn:
            progress.pushed += results.mark_outcomes(conn, outcomes, self.clock())
        for o in outcomes:
            if o.status in (ResultStatus.conflict, ResultStatus.quarantined):
                log.warning("result %s was %s on the hub: %s", o.id, o.status.value, o.reason)

    def _push_feedback(self, client: HubClient, progress: _Progress) -> None:
        with self.store.read() as conn:
            pending = results.pending_feedback(conn)
        for item in pending:
            try:
                client.send_feedback(FeedbackIn(campaign_id=item.campaign_id, text=item.text))
            except HubError as exc:
                if exc.transient:  # the hub is struggling: try the messages next round,
                    log.info("feedback not sent: %s", exc)  # without holding up the sync
                    return
                with self.store.write() as conn:
                    results.feedback_done(conn, item.id, "rejected", exc.detail)
                continue
            except ValidationError as exc:
                with self.store.write() as conn:
                    results.feedback_done(conn, item.id, "rejected", str(exc.errors()[0]["msg"]))
                continue
            with self.store.write() as conn:
                results.feedback_done(conn, item.id, "done", None)
            progress.feedback_sent += 1

    def _push_releases(self, client: HubClient, progress: _Progress) -> None:
        with self.store.read() as conn:
            pending = contacts.pending_releases(conn)
        for reservation_id in pending:
            try:
                client.release(reservation_id)
            except HubError as exc:
                if exc.transient:  # try again next round; the hold expires anyway
                    log.info("release of reservation %s not sent: %s", reservation_id, exc)
                    return
                # 404/409: the hub no longer holds it for us; nothing left to release.
            with self.store.write() as conn:
                contacts.release_done(conn, reservation_id)
                contacts.set_reservation_status(conn, reservation_id, "released")
            progress.reservations_changed = True

    # ------------------------------------------------------------ pull

    def _apply(self, response: SyncResponse, progress: _Progress) -> None:
        """Everything the hub sent and the new cursor, in one transaction (cursor last)."""
        now = self.clock()
        with self.store.write() as conn:
            if response.reset:
                log.info("the hub did not know our cursor: re-sending every kept result")
                results.resend_all(conn)
                catalog.wipe(conn)
                contacts.forget_cleared(conn)
                progress.reset = True
            catalog.replace_campaigns(conn, response.campaigns)
            for script in response.scripts:
                catalog.save_script(conn, script)
            catalog.apply_progress(conn, response.progress)
            for reservation in response.reservations:
                if contacts.save_reservation(conn, reservation, now):
                    progress.reservations_changed = True
            contacts.expire_missing(conn, (r.id for r in response.reservations), now)
            progress.dnc += contacts.mark_dnc(conn, response.dnc)
            meta.put(conn, meta.EPOCH, response.epoch)
            meta.put(conn, meta.CURSOR, response.cursor)
        progress.pulled = True

    def _queued_get_names(self, client: HubClient, progress: _Progress) -> ReserveResult | None:
        with self.store.read() as conn:
            raw = meta.get(conn, meta.PENDING_GET_NAMES)
        if not raw:
            return None
        try:
            call_list_id = int(raw)
        except ValueError:
            with self.store.write() as conn:
                meta.put(conn, meta.PENDING_GET_NAMES, None)
            return None
        outcome = reserve_now(self.store, client, call_list_id, self.clock())
        if outcome.kind in ("empty", "error"):
            with self.store.write() as conn:
                meta.put(conn, meta.PENDING_GET_NAMES, None)
        # cooling_down: stays queued and is tried again at a later round.
        return outcome

    def _fetch_ahead(self, client: HubClient) -> ReserveResult | None:
        """SPEC §3.9: while the volunteer is calling and the names left are few, get the
        next list of the same call list ahead, once the hub's cooldown allows it."""
        now = self.clock()
        with self.store.read() as conn:
            newest = contacts.newest_reservation(conn)
            if newest is None or newest.status != "active" or newest.expires_at <= now:
                return None
            if newest.next_request_at > now:
                return None
            last_call = results.last_created_at(conn)
            if last_call is None or now - last_call > ACTIVE_CALLING:
                return None
            campaign = catalog.campaign(conn, newest.campaign_id)
            list_size = campaign.policy.list_size if campaign else 20
            left = contacts.open_households(conn, contacts.reservations_with_contacts(conn))
        if left > max(1, list_size // 5):
            return None
        outcome = reserve_now(self.store, client, newest.call_list_id, now)
        if outcome.kind != "reserved":
            log.info("no list fetched ahead: %s", outcome.message)
            return None
        return outcome

    def _finish_ok(self, progress: _Progress) -> None:
        now = self.clock()
        with self.store.write() as conn:
            progress.minimized = contacts.minimize(conn, now, EXPIRY_GRACE)
            meta.put(conn, meta.LAST_SYNC_AT, to_text(now))
            meta.put(conn, meta.LAST_ERROR, None)
            meta.put(conn, meta.NEEDS_SIGN_IN, None)
            meta.put(conn, meta.NEEDS_UPGRADE, None)


@dataclass
class _Progress:
    pushed: int = 0
    rejected: int = 0
    feedback_sent: int = 0
    pulled: bool = False
    reset: bool = False
    dnc: int = 0
    minimized: int = 0
    reservations_changed: bool = False
    reserved: ReserveResult | None = None


def _ok_message(p: _Progress) -> str:
    parts = []
    if p.pushed:
        parts.append(f"{p.pushed} result{'s' if p.pushed != 1 else ''} sent")
    if p.reserved and p.reserved.kind == "reserved":
        parts.append(p.reserved.message)
    return "; ".join(parts) or "Up to date."
