"""Asking the hub for a list of names ("Get names"), now."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from desktop.store import Store, catalog, meta, reservations
from desktop.store.sql import Connection
from sync.client.errors import CoolingDown, HubCallError, HubError, ListEmpty
from sync.client.http import HubClient
from sync.messages import Code, Message

log = logging.getLogger("phonebank.sync")


@dataclass(frozen=True)
class ReserveResult:
    """Outcome of asking the hub for a list (kind as in services' ReserveOutcome)."""

    kind: str  # reserved | queued | cooling_down | empty | error
    msg: Message  # what to tell the volunteer (the UI words it)
    retry_at: datetime | None = None
    reservation_id: int | None = None

    @property
    def message(self) -> str:
        """The English words (logs)."""
        return str(self.msg)


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
    except ListEmpty as exc:
        # The hub says why: finished, outside calling hours, or all taken (a bare status
        # reason such as "Conflict" is no explanation).
        explained = exc.msg.code is not Code.HUB_SAID or len(exc.message.split()) > 2
        return ReserveResult("empty", exc.msg if explained else Message(Code.LIST_EMPTY))
    except HubError as exc:
        if exc.transient:
            raise
        if exc.status == 404:
            return ReserveResult("error", Message(Code.LIST_GONE))
        refused = Message(Code.HUB_REFUSED, then=exc.msg)
        return ReserveResult("error", refused)

    def keep(conn: Connection) -> bool:
        reservations.save_reservation(conn, reservation, now)
        meta.put(conn, meta.PENDING_GET_NAMES, None)
        return catalog.script_for(conn, reservation.campaign_id) is not None

    has_script = store.run_write(keep)  # stored by the database worker
    if not has_script:
        _fetch_script(store, client, reservation.campaign_id)
    return reserved(reservation.id, len(reservation.contacts))


def reserved(reservation_id: int, names: int) -> ReserveResult:
    return ReserveResult(
        "reserved", Message(Code.NAMES_RESERVED, {"n": names}), reservation_id=reservation_id
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

    def keep(conn: Connection) -> None:
        catalog.upsert_campaign(conn, campaign)
        catalog.save_script(conn, script)

    store.run_write(keep)


def _cooling_message(seconds: float) -> Message:
    if seconds < 90:
        return Message(Code.MORE_NAMES_SECONDS, {"n": max(1, round(seconds))})
    return Message(Code.MORE_NAMES_MINUTES, {"n": max(1, round(seconds / 60))})
