"""Campaigns, "Get names", the volunteer's current list, releasing unused names."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from desktop.services.context import Context
from desktop.services.views import CampaignRow, ContactRow, ListRow, MyList, ReserveOutcome
from desktop.store import catalog, contacts, meta, reservations, results
from desktop.store.sql import Connection
from desktop.sync.reserve import reserve_now
from sync.client.errors import HubCallError, HubUnreachable, Unauthorized, UpgradeRequired
from sync.messages import Code, Message


def campaigns(ctx: Context) -> list[CampaignRow]:
    with ctx.store.read() as conn:
        records = catalog.campaigns(conn)
        lists = catalog.lists(conn)
        # Like the status bar: the hub's count at the last sync + this laptop's unsent calls.
        unsent = {c.id: results.unsent_by_campaign(conn, c.id) for c in records}
    rows = []
    for c in records:
        own = tuple(
            ListRow(id=cl.id, name=cl.name, remaining=cl.remaining)
            for cl in lists
            if cl.campaign_id == c.id
        )
        rows.append(
            CampaignRow(
                id=c.id,
                name=c.name,
                goal=c.goal,
                calls_made=c.calls_made + unsent[c.id],
                mine=c.mine + unsent[c.id],
                script_version=c.script_version,
                lists=own,
                list_size=c.policy.list_size,
                cooldown_seconds=c.policy.cooldown_seconds,
                calling_hours=(c.policy.calling_hours_start, c.policy.calling_hours_end),
            )
        )
    return rows


def request_names(ctx: Context, call_list_id: int) -> ReserveOutcome:
    client = ctx.session.client()
    if client is None:
        return _outcome("error", Message(Code.SIGN_IN_FIRST))
    try:
        result = reserve_now(ctx.store, client, call_list_id, ctx.clock())
    except HubUnreachable:
        ctx.engine.online = False
        _put(ctx, meta.PENDING_GET_NAMES, call_list_id)
        return _outcome("queued", Message(Code.OFFLINE_QUEUED))
    except Unauthorized:
        ctx.session.token_refused()
        _put(ctx, meta.NEEDS_SIGN_IN, "1")
        return _outcome("error", Message(Code.SIGN_IN_AGAIN))
    except UpgradeRequired:
        _put(ctx, meta.NEEDS_UPGRADE, "1")
        return _outcome("error", Message(Code.UPGRADE_FOR_NAMES))
    except HubCallError as exc:
        _put(ctx, meta.PENDING_GET_NAMES, call_list_id)
        retry = Message(Code.RETRY_NAMES_AT_SYNC)
        return _outcome("queued", Message(exc.msg.code, exc.msg.params, retry))
    ctx.engine.online = True
    if result.kind == "cooling_down" and not _cooldown_explained(ctx, call_list_id):
        # Cooling down, yet no list on this laptop says why: an earlier request (or a copy
        # of this one) got names whose answer never came back. The download brings them.
        arrived = ctx.engine.sync_once().arrived.get(call_list_id)
        if arrived is not None:
            result = arrived
    return _outcome(result.kind, result.msg, result.retry_at, result.reservation_id)


def _outcome(
    kind: str, msg: Message, retry_at: datetime | None = None, reservation_id: int | None = None
) -> ReserveOutcome:
    return ReserveOutcome(
        kind,  # type: ignore[arg-type]
        str(msg),
        retry_at=retry_at,
        reservation_id=reservation_id,
        msg=msg,
    )


def _put(ctx: Context, key: str, value: str | int | None) -> None:
    """One meta value, written by the database worker (this runs on the network pool)."""
    ctx.store.run_write(lambda conn: meta.put(conn, key, value))


def _cooldown_explained(ctx: Context, call_list_id: int) -> bool:
    """Whether a list on this laptop, of the same campaign, still holds the cooldown."""
    with ctx.store.read() as conn:
        call_list = catalog.call_list(conn, call_list_id)
        if call_list is None:
            return False
        until = reservations.cooldown_until(conn, call_list.campaign_id)
    return until is not None and until > ctx.clock()


def contact_row(entry: contacts.ListEntry) -> ContactRow:
    return ContactRow(
        id=entry.id,
        name=entry.name,
        phone=entry.phone,
        household=entry.household,
        state=entry.state,  # type: ignore[arg-type]
        attempts=entry.attempts,
        call_back_at=entry.due_at if entry.state == contacts.CALL_BACK else None,
    )


def my_list(ctx: Context) -> MyList | None:
    """The newest list, with the names of every list still on the laptop (older first)."""
    now = ctx.clock()
    with ctx.store.read() as conn:
        reservation = reservations.newest_reservation(conn)
        if reservation is None:
            return None
        rows = contacts.list_rows(conn, reservations.reservations_with_contacts(conn))
        earliest = reservations.earliest_open_expiry(conn)
        campaign = catalog.campaign(conn, reservation.campaign_id)
        call_list = catalog.call_list(conn, reservation.call_list_id)
    expires_at = earliest or reservation.expires_at
    return MyList(
        reservation_id=reservation.id,
        campaign_id=reservation.campaign_id,
        campaign_name=campaign.name if campaign else "",
        call_list_id=reservation.call_list_id,
        list_name=call_list.name if call_list else "",
        expires_at=expires_at,
        next_request_at=reservation.next_request_at,
        expired=expires_at <= now or reservation.status in ("expired", "released"),
        entries=tuple(rows),
    )


def release_unused(ctx: Context) -> int:
    """Give back the uncalled names of every list on the laptop (a list fetched ahead
    included): the volunteer was asked about all of them. Returns how many.

    Runs on the network pool: the database worker gives the names back, then the hub is
    told (when nothing is unsent), then the worker notes that the hub knows."""

    def give_back(conn: Connection) -> tuple[dict[int, int], int]:
        counts = {
            r: reservations.release_unused(conn, r)
            for r in reservations.reservations_with_contacts(conn)
        }
        return counts, results.unsent_count(conn)

    released, unsent = ctx.store.run_write(give_back)
    released = {r: count for r, count in released.items() if count}
    if released:
        ctx.store.scrub()  # the names given back leave no trace on disk
    # With results not yet sent, the sync tells the hub: it sends the results first, so
    # the hub never hands out again a name that was called but not yet reported.
    client = ctx.session.client() if not unsent else None
    if client is not None:
        for reservation_id in released:
            try:
                client.release(reservation_id)
            except HubCallError:
                break  # told to the hub at the next sync
            ctx.store.run_write(partial(reservations.release_done, reservation_id=reservation_id))
    return sum(released.values())
