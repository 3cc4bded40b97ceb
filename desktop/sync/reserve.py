"""Asking the hub for a list of names ("Get names"), now."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from desktop.store import Store, catalog, meta, reservations
from desktop.store.sql import Connection
from sync.client.errors import CoolingDown, HubCallError, HubError, ListEmpty
from sync.client.http import HubClient

log = logging.getLogger("phonebank.sync")


@dataclass(frozen=True)
class ReserveResult:
    """Outcome of asking the hub for a list (kind as in services' ReserveOutcome)."""

    kind: str  # reserved | queued | cooling_down | empty | error
    message: str
    retry_at: datetime | None = None
    reservation_id: int | None = None


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
        # The hub says why in plain words: finished, outside calling hours, or all taken
        # (a bare status reason such as "Conflict" is no explanation).
        said = exc.message if len(exc.message.split()) > 2 else ""
        return ReserveResult("empty", said or "Everyone on this list has been called or is taken.")
    except HubError as exc:
        if exc.transient:
            raise
        if exc.status == 404:
            return ReserveResult("error", "The hub no longer has that list.")
        return ReserveResult("error", f"The hub refused: {exc.detail}")

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
        "reserved",
        f"{names} name{'s' if names != 1 else ''} reserved for you.",
        reservation_id=reservation_id,
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


def _cooling_message(seconds: float) -> str:
    if seconds < 90:
        count, unit = max(1, round(seconds)), "second"
    else:
        count, unit = max(1, round(seconds / 60)), "minute"
    return f"You can get more names in {count} {unit}{'' if count == 1 else 's'}."
