"""Sending what the laptop queued: results (in batches, each row done only after the hub
acknowledged it), feedback to organizers, and releases of unused names."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from pydantic import ValidationError

from desktop.store import Store, meta, reservations, results
from desktop.store.sql import Connection
from desktop.sync.reserve import ReserveResult
from sync.client.errors import HubCallError, HubError
from sync.client.http import HubClient
from sync.messages import Code, Message
from sync.protocol import FeedbackIn, ResultIn, ResultOutcome, ResultStatus

log = logging.getLogger("phonebank.sync")


@dataclass
class RoundProgress:
    """What a round has done so far (for its report)."""

    pushed: int = 0
    rejected: int = 0
    feedback_sent: int = 0
    pulled: bool = False
    reset: bool = False
    dnc: int = 0
    minimized: int = 0
    reservations_changed: bool = False
    reserved: ReserveResult | None = None
    # Active lists this download brought that the laptop had never seen, by call list: a
    # "Get names" whose answer was lost (or duplicated) on the way is one of these.
    arrived: dict[int, ReserveResult] = field(default_factory=dict)


class OutboxSender:
    """The push half of a sync round (SyncEngine inherits it)."""

    store: Store
    clock: Callable[[], datetime]
    batch_size: int

    def _push_results(self, client: HubClient, progress: RoundProgress) -> None:
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
                    why = str(exc.errors()[0]["msg"])
                    bad.append((record.id, Message(Code.CANNOT_BE_SENT, {"why": why})))
            if bad:
                self.store.run_write(partial(self._reject, bad=bad))
                progress.rejected += len(bad)
            if wire:
                before = progress.pushed + progress.rejected
                self._send(client, wire, progress)
                if progress.pushed + progress.rejected == before:
                    raise HubError(502, Message(Code.NONE_ACKNOWLEDGED))

    def _send(self, client: HubClient, wire: list[ResultIn], progress: RoundProgress) -> None:
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
            refusal = [(wire[0].id, exc.msg)]
            self.store.run_write(lambda conn: self._reject(conn, refusal))
            progress.rejected += 1
            return
        except HubCallError as exc:
            now, ids, why = self.clock(), [r.id for r in wire], exc.msg
            self.store.run_write(lambda conn: results.mark_failed(conn, ids, why, now))
            raise
        sent = {r.id for r in wire}
        outcomes: list[ResultOutcome] = [o for o in reply.results if o.id in sent]
        now = self.clock()
        progress.pushed += self.store.run_write(
            lambda conn: results.mark_outcomes(conn, outcomes, now)
        )
        for o in outcomes:
            if o.status in (ResultStatus.conflict, ResultStatus.quarantined):
                log.warning("result %s was %s on the hub: %s", o.id, o.status.value, o.reason)

    def _reject(self, conn: Connection, bad: list[tuple[uuid.UUID, Message]]) -> None:
        now = self.clock()
        for result_id, reason in bad:
            results.mark_rejected(conn, result_id, reason, now)

    def _push_feedback(self, client: HubClient, progress: RoundProgress) -> None:
        with self.store.read() as conn:
            pending = results.pending_feedback(conn)
        for item in pending:
            try:
                client.send_feedback(FeedbackIn(campaign_id=item.campaign_id, text=item.text))
            except HubError as exc:
                if exc.transient:  # the hub is struggling: try the messages next round,
                    log.info("feedback not sent: %s", exc)  # without holding up the sync
                    return
                _feedback_done(self.store, item.id, "rejected", exc.detail)
                continue
            except ValidationError as exc:
                _feedback_done(self.store, item.id, "rejected", str(exc.errors()[0]["msg"]))
                continue
            _feedback_done(self.store, item.id, "done", None)
            progress.feedback_sent += 1

    def _push_languages(self, client: HubClient) -> None:
        """The volunteer's languages, if set here since the hub was last told."""
        with self.store.read() as conn:
            if not meta.get(conn, meta.MY_LANGUAGES_UNSENT):
                return
            wanted = meta.languages(conn)
        try:
            told = client.set_languages(wanted)
        except HubError as exc:
            if exc.transient:
                log.info("languages not sent: %s", exc)
                return
            log.warning("the hub refused the languages %s: %s", wanted, exc.detail)
            told = None

        def settle(conn: Connection) -> None:
            if meta.languages(conn) == wanted:  # not changed again meanwhile
                meta.put(conn, meta.MY_LANGUAGES_UNSENT, None)
                if told is not None:
                    meta.put(conn, meta.MY_LANGUAGES, json.dumps(told.languages))

        self.store.run_write(settle)  # stored by the database worker

    def _push_releases(self, client: HubClient, progress: RoundProgress) -> None:
        with self.store.read() as conn:
            pending = reservations.pending_releases(conn)
        for reservation_id in pending:
            try:
                client.release(reservation_id)
            except HubError as exc:
                if exc.transient:  # try again next round; the hold expires anyway
                    log.info("release of reservation %s not sent: %s", reservation_id, exc)
                    return
                # 404/409: the hub no longer holds it for us; nothing left to release.
            self.store.run_write(partial(_released, reservation_id=reservation_id))
            progress.reservations_changed = True


def _released(conn: Connection, reservation_id: int) -> None:
    reservations.release_done(conn, reservation_id)
    reservations.set_reservation_status(conn, reservation_id, "released")


def _feedback_done(store: Store, item_id: int, status: str, detail: str | None) -> None:
    store.run_write(lambda conn: results.feedback_done(conn, item_id, status, detail))
