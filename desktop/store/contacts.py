"""Reservations (the volunteer's lists) and their contacts, with each contact's local state.

Local states: to_call, call_back (due at `due_at`), done, dnc. A contact waiting for a retry
stays to_call with a future `due_at`. `position` is list order with households kept together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from desktop.store.timefmt import from_text, opt_text, opt_time, to_text
from sync.protocol import ContactPublic, Disposition, ReservationPublic, ReservationStatus

TO_CALL = "to_call"
CALL_BACK = "call_back"
DONE = "done"
DNC = "dnc"
OPEN_STATES = (TO_CALL, CALL_BACK)
ENDED = (ReservationStatus.released.value, ReservationStatus.finished.value)

_CONTACT_COLUMNS = (
    "id, reservation_id, call_list_id, campaign_id, position, first_name, last_name, phone,"
    " timezone, household, extra, state, hub_attempts, attempts, last_disposition, due_at"
)


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


@dataclass(frozen=True)
class ContactRecord:
    id: int
    reservation_id: int
    call_list_id: int
    campaign_id: int
    position: int
    first_name: str
    last_name: str
    phone: str
    timezone: str
    household: str
    extra: dict[str, str]
    state: str
    hub_attempts: int
    attempts: int
    last_disposition: str | None
    due_at: datetime | None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def _contact(row: Any) -> ContactRecord:
    values = list(row)
    try:
        extra = json.loads(values[10] or "{}")
    except ValueError:
        extra = {}
    values[10] = {str(k): str(v) for k, v in extra.items()} if isinstance(extra, dict) else {}
    values[15] = opt_time(values[15])
    return ContactRecord(*values)


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
    known = conn.execute(text("SELECT 1 FROM reservations WHERE id = :id"), {"id": r.id}).first()
    if known:
        conn.execute(
            text(
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
        text(
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
        text("SELECT coalesce(max(position), -1) + 1 FROM contacts WHERE reservation_id = :r"),
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
            }
        )
    result = conn.execute(
        text(
            f"INSERT INTO contacts ({_CONTACT_COLUMNS}) VALUES (:id, :rid, :lid, :cid, :pos,"
            " :first, :last, :phone, :tz, :household, :extra, :state, :attempts, :attempts,"
            " :last_disp, :due) ON CONFLICT (id) DO UPDATE SET"
            " reservation_id = excluded.reservation_id, call_list_id = excluded.call_list_id,"
            " campaign_id = excluded.campaign_id, position = excluded.position,"
            " first_name = excluded.first_name, last_name = excluded.last_name,"
            " phone = excluded.phone, timezone = excluded.timezone,"
            " household = excluded.household, extra = excluded.extra,"
            " state = CASE WHEN contacts.state = 'dnc' THEN 'dnc' ELSE excluded.state END,"
            " hub_attempts = excluded.hub_attempts,"
            " attempts = max(contacts.attempts, excluded.attempts),"
            " last_disposition = excluded.last_disposition, due_at = excluded.due_at"
            " WHERE excluded.reservation_id > contacts.reservation_id"
        ),
        rows,
    )
    return max(result.rowcount, 0)


def set_reservation_status(conn: Connection, reservation_id: int, status: str) -> None:
    conn.execute(
        text("UPDATE reservations SET status = :s WHERE id = :id"),
        {"s": status, "id": reservation_id},
    )


def expire_missing(conn: Connection, present: Iterable[int], now: datetime) -> None:
    """Reservations the hub no longer lists are over once their hold has passed."""
    keep = ",".join(str(int(i)) for i in present) or "NULL"
    conn.execute(
        text(
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
        text(f"SELECT {_RESERVATION_COLUMNS} FROM reservations WHERE id = :id"),
        {"id": reservation_id},
    ).first()
    return _reservation(row) if row else None


def newest_reservation(conn: Connection) -> ReservationRecord | None:
    """The current list: the newest reservation on this laptop."""
    row = conn.execute(
        text(f"SELECT {_RESERVATION_COLUMNS} FROM reservations ORDER BY id DESC LIMIT 1")
    ).first()
    return _reservation(row) if row else None


def pending_releases(conn: Connection) -> list[int]:
    return list(
        conn.execute(text("SELECT id FROM reservations WHERE release_pending = 1")).scalars()
    )


def release_done(conn: Connection, reservation_id: int) -> None:
    conn.execute(
        text("UPDATE reservations SET release_pending = 0 WHERE id = :id"), {"id": reservation_id}
    )


def contacts_of(conn: Connection, reservation_id: int) -> list[ContactRecord]:
    rows = conn.execute(
        text(
            f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE reservation_id = :r ORDER BY position"
        ),
        {"r": reservation_id},
    ).all()
    return [_contact(r) for r in rows]


def contact(conn: Connection, contact_id: int) -> ContactRecord | None:
    row = conn.execute(
        text(f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE id = :id"), {"id": contact_id}
    ).first()
    return _contact(row) if row else None


def household_of(conn: Connection, c: ContactRecord) -> list[ContactRecord]:
    """The other members of c's household in the same list."""
    rows = conn.execute(
        text(
            f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE reservation_id = :r"
            " AND household = :h AND id != :id ORDER BY position"
        ),
        {"r": c.reservation_id, "h": c.household, "id": c.id},
    ).all()
    return [_contact(r) for r in rows]


def next_contact(
    conn: Connection,
    reservation_ids: list[int],
    after: tuple[int, int] | None,
    now: datetime,
) -> int | None:
    """A due call-back first (earliest), then the next contact to call after `after`
    ((reservation id, position)) in list order — older lists first — wrapping around;
    None when nobody is due."""
    if not reservation_ids:
        return None
    marks = ",".join(str(int(i)) for i in reservation_ids)
    due_call_back = conn.execute(
        text(
            f"SELECT id FROM contacts WHERE reservation_id IN ({marks})"
            " AND state = 'call_back' AND due_at <= :now"
            " ORDER BY due_at, reservation_id, position LIMIT 1"
        ),
        {"now": to_text(now)},
    ).scalar()
    if due_call_back is not None:
        return int(due_call_back)
    order = list(reservation_ids)
    after_position = -1
    if after is not None and after[0] in order:
        start = order.index(after[0])
        order = order[start:] + order[:start]
        after_position = after[1]
    query = text(
        "SELECT id FROM contacts WHERE reservation_id = :r AND state = 'to_call'"
        " AND (due_at IS NULL OR due_at <= :now) AND position > :after"
        " ORDER BY position LIMIT 1"
    )
    # the rest of the current list, the other lists, then the start of the current one
    for reservation_id, position in [
        (order[0], after_position),
        *((r, -1) for r in order[1:]),
        (order[0], -1),
    ]:
        found = conn.execute(
            query, {"r": reservation_id, "now": to_text(now), "after": position}
        ).scalar()
        if found is not None:
            return int(found)
    return None


def reservations_with_contacts(conn: Connection) -> list[int]:
    """Every list on the laptop that still has contacts, oldest first."""
    return list(
        conn.execute(
            text(
                "SELECT id FROM reservations r WHERE cleared = 0 AND EXISTS"
                " (SELECT 1 FROM contacts c WHERE c.reservation_id = r.id) ORDER BY id"
            )
        ).scalars()
    )


def open_households(conn: Connection, reservation_ids: list[int]) -> int:
    """Households with someone still to call (now or later) in these lists."""
    if not reservation_ids:
        return 0
    marks = ",".join(str(int(i)) for i in reservation_ids)
    return int(
        conn.execute(
            text(
                "SELECT count(DISTINCT reservation_id || ':' || household) FROM contacts"
                f" WHERE reservation_id IN ({marks}) AND state IN ('to_call', 'call_back')"
            )
        ).scalar_one()
    )


def apply_disposition(
    conn: Connection,
    c: ContactRecord,
    disposition: Disposition,
    *,
    now: datetime,
    call_back_at: datetime | None,
    retry_after_seconds: int,
    max_attempts: int,
) -> str:
    """Update c (and its household where the disposition says so); returns c's new state."""
    attempts = c.attempts + 1
    due: str | None = None
    if disposition == Disposition.do_not_call:
        conn.execute(text("UPDATE contacts SET state = 'dnc' WHERE phone = :p"), {"p": c.phone})
        state = DNC
    elif disposition in (Disposition.wrong_number, Disposition.disconnected):
        # The number is bad for the whole household.
        conn.execute(
            text(
                "UPDATE contacts SET state = 'done' WHERE reservation_id = :r"
                " AND household = :h AND state IN ('to_call', 'call_back')"
            ),
            {"r": c.reservation_id, "h": c.household},
        )
        state = DONE
    elif disposition == Disposition.call_back:
        state, due = CALL_BACK, opt_text(call_back_at)
    elif disposition in (Disposition.no_answer, Disposition.busy, Disposition.left_message):
        if attempts >= max_attempts:
            state = DONE
        else:
            state, due = TO_CALL, to_text(now + timedelta(seconds=retry_after_seconds))
            # Nobody answered that phone: the rest of the household waits as well.
            conn.execute(
                text(
                    "UPDATE contacts SET due_at = :due WHERE reservation_id = :r"
                    " AND household = :h AND state = 'to_call' AND id != :id"
                    " AND (due_at IS NULL OR due_at < :due)"
                ),
                {"due": due, "r": c.reservation_id, "h": c.household, "id": c.id},
            )
    else:
        state = DONE
    if state != DNC:
        conn.execute(
            text(
                "UPDATE contacts SET state = :s, attempts = :a, last_disposition = :d,"
                " due_at = :due WHERE id = :id"
            ),
            {"s": state, "a": attempts, "d": disposition.value, "due": due, "id": c.id},
        )
    else:
        conn.execute(
            text("UPDATE contacts SET attempts = :a, last_disposition = :d WHERE id = :id"),
            {"a": attempts, "d": disposition.value, "id": c.id},
        )
    return state


def mark_dnc(conn: Connection, phones: Iterable[str]) -> int:
    """Contacts with these numbers become do-not-call; returns how many changed."""
    changed = 0
    for phone in set(phones):
        result = conn.execute(
            text("UPDATE contacts SET state = 'dnc' WHERE phone = :p AND state != 'dnc'"),
            {"p": phone},
        )
        changed += max(result.rowcount, 0)
    return changed


def release_unused(conn: Connection, reservation_id: int) -> int:
    """Forget the list's contacts nobody has called yet; mark the release for the hub."""
    result = conn.execute(
        text(
            "DELETE FROM contacts WHERE reservation_id = :r AND state = 'to_call'"
            " AND NOT EXISTS (SELECT 1 FROM results WHERE results.contact_id = contacts.id)"
        ),
        {"r": reservation_id},
    )
    conn.execute(
        text("UPDATE reservations SET release_pending = 1 WHERE id = :r"), {"r": reservation_id}
    )
    return max(result.rowcount, 0)


def minimize(conn: Connection, now: datetime, grace: timedelta) -> int:
    """SPEC §3.8: drop the contacts (and acknowledged results) of lists that are over —
    released, finished, expired for longer than `grace`, or fully called — once none of
    their results waits to be sent. Returns how many contacts were deleted."""
    over = conn.execute(
        text(
            "SELECT r.id FROM reservations r WHERE r.cleared = 0"
            " AND (r.status IN ('released', 'finished')"
            " OR r.expires_at <= :cutoff OR NOT EXISTS (SELECT 1 FROM contacts c"
            " WHERE c.reservation_id = r.id AND c.state IN ('to_call', 'call_back')))"
            " AND NOT EXISTS (SELECT 1 FROM results x JOIN outbox o ON o.result_id = x.id"
            " WHERE x.reservation_id = r.id AND o.state IN ('pending', 'rejected'))"
            " AND NOT EXISTS (SELECT 1 FROM results x JOIN outbox o ON o.result_id = x.id"
            " JOIN contacts c ON c.id = x.contact_id WHERE c.reservation_id = r.id"
            " AND o.state IN ('pending', 'rejected'))"
        ),
        {"cutoff": to_text(now - grace)},
    ).scalars()
    deleted = 0
    for reservation_id in list(over):
        params = {"r": reservation_id}
        conn.execute(
            text(
                "DELETE FROM outbox WHERE result_id IN (SELECT x.id FROM results x"
                " JOIN contacts c ON c.id = x.contact_id WHERE c.reservation_id = :r)"
            ),
            params,
        )
        conn.execute(
            text(
                "DELETE FROM results WHERE contact_id IN"
                " (SELECT id FROM contacts WHERE reservation_id = :r)"
            ),
            params,
        )
        result = conn.execute(text("DELETE FROM contacts WHERE reservation_id = :r"), params)
        deleted += max(result.rowcount, 0)
        conn.execute(text("UPDATE reservations SET cleared = 1 WHERE id = :r"), params)
    # Reservation rows carry no voter data; they stay (marked cleared) so a later sync that
    # still lists the reservation does not bring its contacts back. Old ones go.
    conn.execute(
        text(
            "DELETE FROM reservations WHERE cleared = 1 AND release_pending = 0"
            " AND expires_at <= :old AND id != (SELECT max(id) FROM reservations)"
        ),
        {"old": to_text(now - timedelta(days=30))},
    )
    return deleted


def forget_cleared(conn: Connection) -> None:
    """After a hub reset its reservation ids may start again: forget the empty ones."""
    conn.execute(text("DELETE FROM reservations WHERE cleared = 1 AND release_pending = 0"))


def wipe(conn: Connection) -> None:
    conn.execute(text("DELETE FROM contacts"))
    conn.execute(text("DELETE FROM reservations"))
