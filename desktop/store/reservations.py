"""Reservations (the volunteer's lists): kept once when first seen, with their contacts;
releases to tell the hub; minimization of lists that are over (SPEC §3.8)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from desktop.store.contacts import _CONTACT_COLUMNS, CALL_BACK, DNC, DONE, TO_CALL
from desktop.store.sql import Connection
from desktop.store.timefmt import from_text, opt_text, to_text
from sync.protocol import ContactPublic, Disposition, ReservationPublic


@dataclass(frozen=True)
class ReservationRecord:
    id: int
    campaign_id: int
    call_list_id: int
    fence: int
    status: str
    expires_at: datetime
    next_request_at: datetime
    release_pending: bool


def _reservation(row: Any) -> ReservationRecord:
    id_, cid, lid, fence, status, expires, next_at, release = row
    return ReservationRecord(
        id_, cid, lid, fence, status, from_text(expires), from_text(next_at), bool(release)
    )


def _households_together(r: ReservationPublic) -> list[int]:
    """Indexes of r.contacts in list order, each household's members kept together."""
    order: dict[str, list[int]] = {}
    for i, c in enumerate(r.contacts):
        order.setdefault(c.household or c.phone, []).append(i)
    return [i for members in order.values() for i in members]


# What the hub's last result for a contact means on this laptop.
_DONE_AFTER = frozenset(
    {
        Disposition.contacted,
        Disposition.refused,
        Disposition.deceased,
        Disposition.language_barrier,
        Disposition.wrong_number,
        Disposition.disconnected,
    }
)


def _state_from_hub(c: ContactPublic) -> tuple[str, datetime | None]:
    if c.last_disposition == Disposition.do_not_call:
        return DNC, None
    if c.last_disposition in _DONE_AFTER:
        return DONE, None
    if c.last_disposition == Disposition.call_back and c.call_back_at is not None:
        return CALL_BACK, c.call_back_at
    return TO_CALL, None


def save_reservation(conn: Connection, r: ReservationPublic, received_at: datetime) -> int:
    """Store a reservation the first time it is seen, with its contacts; later sightings
    only refresh its status and times (a list never grows, and a cleared list is never
    filled again). A contact re-granted in a newer reservation moves to it. Returns how
    many contacts were added or moved."""
    known = conn.execute("SELECT 1 FROM reservations WHERE id = :id", {"id": r.id}).first()
    if known:
        conn.execute(
            (
                "UPDATE reservations SET fence = :fence, status = :status,"
                " expires_at = :expires, next_request_at = :next WHERE id = :id"
            ),
            {
                "id": r.id,
                "fence": r.fence,
                "status": r.status.value,
                "expires": to_text(r.expires_at),
                "next": to_text(r.next_request_at),
            },
        )
        return 0
    conn.execute(
        (
            "INSERT INTO reservations (id, campaign_id, call_list_id, fence, status, created_at,"
            " expires_at, next_request_at, received_at) VALUES (:id, :cid, :lid, :fence,"
            " :status, :created, :expires, :next, :received)"
        ),
        {
            "id": r.id,
            "cid": r.campaign_id,
            "lid": r.call_list_id,
            "fence": r.fence,
            "status": r.status.value,
            "created": opt_text(r.created_at),
            "expires": to_text(r.expires_at),
            "next": to_text(r.next_request_at),
            "received": to_text(received_at),
        },
    )
    if not r.contacts:
        return 0
    base = conn.execute(
        "SELECT coalesce(max(position), -1) + 1 FROM contacts WHERE reservation_id = :r",
        {"r": r.id},
    ).scalar_one()
    rows = []
    for position, index in enumerate(_households_together(r), start=base):
        c = r.contacts[index]
        state, due = _state_from_hub(c)
        rows.append(
            {
                "id": c.id,
                "rid": r.id,
                "lid": r.call_list_id,
                "cid": r.campaign_id,
                "pos": position,
                "first": c.first_name,
                "last": c.last_name,
                "phone": c.phone,
                "tz": c.timezone,
                "household": c.household or c.phone,
                "extra": json.dumps(c.extra),
                "state": state,
                "attempts": c.attempts,
                "last_disp": c.last_disposition.value if c.last_disposition else None,
                "due": opt_text(due),
                "phones": json.dumps([p.model_dump() for p in c.phones]),
            }
        )
    result = conn.execute(
        (
            f"INSERT INTO contacts ({_CONTACT_COLUMNS}) VALUES (:id, :rid, :lid, :cid, :pos,"
            " :first, :last, :phone, :tz, :household, :extra, :state, :attempts, :attempts,"
            " :last_disp, :due, :phones, 0) ON CONFLICT (id) DO UPDATE SET"
            " reservation_id = excluded.reservation_id, call_list_id = excluded.call_list_id,"
            " campaign_id = excluded.campaign_id, position = excluded.position,"
            " first_name = excluded.first_name, last_name = excluded.last_name,"
            " phone = excluded.phone, timezone = excluded.timezone,"
            " household = excluded.household, extra = excluded.extra,"
            " state = CASE WHEN contacts.state = 'dnc' THEN 'dnc' ELSE excluded.state END,"
            " hub_attempts = excluded.hub_attempts,"
            " attempts = max(contacts.attempts, excluded.attempts),"
            " last_disposition = excluded.last_disposition, due_at = excluded.due_at,"
            " phone_index = CASE WHEN contacts.phones = excluded.phones"
            " THEN contacts.phone_index ELSE 0 END, phones = excluded.phones"
            " WHERE excluded.reservation_id > contacts.reservation_id"
        ),
        rows,
    )
    return max(result.rowcount, 0)


def set_reservation_status(conn: Connection, reservation_id: int, status: str) -> None:
    conn.execute(
        "UPDATE reservations SET status = :s WHERE id = :id",
        {"s": status, "id": reservation_id},
    )


def expire_missing(conn: Connection, present: Iterable[int], now: datetime) -> None:
    """Reservations the hub no longer lists are over once their hold has passed."""
    keep = ",".join(str(int(i)) for i in present) or "NULL"
    conn.execute(
        (
            f"UPDATE reservations SET status = 'expired' WHERE status = 'active'"
            f" AND id NOT IN ({keep}) AND expires_at <= :now"
        ),
        {"now": to_text(now)},
    )


_RESERVATION_COLUMNS = (
    "id, campaign_id, call_list_id, fence, status, expires_at, next_request_at, release_pending"
)


def reservation(conn: Connection, reservation_id: int) -> ReservationRecord | None:
    row = conn.execute(
        f"SELECT {_RESERVATION_COLUMNS} FROM reservations WHERE id = :id",
        {"id": reservation_id},
    ).first()
    return _reservation(row) if row else None


def newest_reservation(conn: Connection) -> ReservationRecord | None:
    """The current list: the newest reservation on this laptop."""
    row = conn.execute(
        f"SELECT {_RESERVATION_COLUMNS} FROM reservations ORDER BY id DESC LIMIT 1"
    ).first()
    return _reservation(row) if row else None


def pending_releases(conn: Connection) -> list[int]:
    return list(conn.execute("SELECT id FROM reservations WHERE release_pending = 1").scalars())


def release_done(conn: Connection, reservation_id: int) -> None:
    conn.execute(
        "UPDATE reservations SET release_pending = 0 WHERE id = :id", {"id": reservation_id}
    )


def reservations_with_contacts(conn: Connection) -> list[int]:
    """Every list on the laptop that still has contacts, oldest first."""
    return list(
        conn.execute(
            "SELECT id FROM reservations r WHERE cleared = 0 AND EXISTS"
            " (SELECT 1 FROM contacts c WHERE c.reservation_id = r.id) ORDER BY id"
        ).scalars()
    )


def earliest_open_expiry(conn: Connection) -> datetime | None:
    """When the first hold with names still to call ends (the hold countdown)."""
    raw = conn.execute(
        "SELECT min(r.expires_at) FROM reservations r WHERE r.cleared = 0 AND EXISTS"
        " (SELECT 1 FROM contacts c WHERE c.reservation_id = r.id"
        " AND c.state IN ('to_call', 'call_back'))"
    ).scalar()
    return from_text(raw) if raw else None


def release_unused(conn: Connection, reservation_id: int) -> int:
    """Forget the list's contacts nobody has called yet; mark the release for the hub
    (only when there was something to give back). Returns how many were forgotten."""
    result = conn.execute(
        (
            "DELETE FROM contacts WHERE reservation_id = :r AND state = 'to_call'"
            " AND NOT EXISTS (SELECT 1 FROM results WHERE results.contact_id = contacts.id)"
        ),
        {"r": reservation_id},
    )
    released = max(result.rowcount, 0)
    if released:
        conn.execute(
            "UPDATE reservations SET release_pending = 1 WHERE id = :r",
            {"r": reservation_id},
        )
    return released


def lists_over(
    conn: Connection, now: datetime, grace: timedelta, only: int | None = None
) -> list[int]:
    """SPEC §3.8: the lists whose contacts (and acknowledged results) may go — released,
    finished, expired (and not called from) for longer than `grace`, or fully called — once
    none of their results waits to be sent. `only`: just that reservation, if it is one."""
    return conn.execute(
        (
            "SELECT r.id FROM reservations r WHERE r.cleared = 0"
            " AND (:only IS NULL OR r.id = :only)"
            " AND (r.status IN ('released', 'finished')"
            # An expired list someone is still calling from (the app says results are
            # kept) stays until `grace` after its last call, not only after its expiry.
            " OR (r.expires_at <= :cutoff AND NOT EXISTS (SELECT 1 FROM results x"
            " WHERE x.reservation_id = r.id AND x.created_at > :cutoff))"
            " OR NOT EXISTS (SELECT 1 FROM contacts c"
            " WHERE c.reservation_id = r.id AND c.state IN ('to_call', 'call_back')))"
            " AND NOT EXISTS (SELECT 1 FROM results x JOIN outbox o ON o.result_id = x.id"
            " WHERE x.reservation_id = r.id AND o.state IN ('pending', 'rejected'))"
            " AND NOT EXISTS (SELECT 1 FROM results x JOIN outbox o ON o.result_id = x.id"
            " JOIN contacts c ON c.id = x.contact_id WHERE c.reservation_id = r.id"
            " AND o.state IN ('pending', 'rejected'))"
        ),
        {"cutoff": to_text(now - grace), "only": only},
    ).scalars()


def minimize_list(conn: Connection, reservation_id: int, now: datetime, grace: timedelta) -> int:
    """Drop one list's contacts and acknowledged results if it is still over (`lists_over`:
    checked again in this transaction, a result may have been saved since). Returns how
    many contacts were deleted. One list per transaction: all of them at once held the
    database worker ~0.1 s after a 5,000-result round, and a Save & next waited behind it."""
    if not lists_over(conn, now, grace, only=reservation_id):
        return 0
    params = {"r": reservation_id}
    conn.execute(
        (
            "DELETE FROM outbox WHERE result_id IN (SELECT x.id FROM results x"
            " JOIN contacts c ON c.id = x.contact_id WHERE c.reservation_id = :r)"
        ),
        params,
    )
    conn.execute(
        (
            "DELETE FROM results WHERE contact_id IN"
            " (SELECT id FROM contacts WHERE reservation_id = :r)"
        ),
        params,
    )
    result = conn.execute("DELETE FROM contacts WHERE reservation_id = :r", params)
    conn.execute("UPDATE reservations SET cleared = 1 WHERE id = :r", params)
    return max(result.rowcount, 0)


def forget_old(conn: Connection, now: datetime) -> None:
    """Reservation rows carry no voter data; they stay (marked cleared) so a later sync that
    still lists the reservation does not bring its contacts back. Old ones go."""
    conn.execute(
        (
            "DELETE FROM reservations WHERE cleared = 1 AND release_pending = 0"
            " AND expires_at <= :old AND id != (SELECT max(id) FROM reservations)"
        ),
        {"old": to_text(now - timedelta(days=30))},
    )


def forget_cleared(conn: Connection) -> None:
    """After a hub reset its reservation ids may start again: forget the empty ones."""
    conn.execute("DELETE FROM reservations WHERE cleared = 1 AND release_pending = 0")


def wipe(conn: Connection) -> None:
    conn.execute("DELETE FROM contacts")
    conn.execute("DELETE FROM reservations")


def cooldown_until(conn: Connection, campaign_id: int) -> datetime | None:
    """When the latest list of the campaign kept here lets the volunteer ask again."""
    value = conn.execute(
        "SELECT max(next_request_at) FROM reservations WHERE campaign_id = :cid",
        {"cid": campaign_id},
    ).scalar()
    return from_text(value) if value else None
