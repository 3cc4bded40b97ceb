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

from desktop.store.sql import Connection
from desktop.store.timefmt import opt_text, opt_time, to_text
from sync.protocol import Disposition, HouseholdEffect, attempts_limit, household_effect

TO_CALL = "to_call"
CALL_BACK = "call_back"
DONE = "done"
DNC = "dnc"
OPEN_STATES = (TO_CALL, CALL_BACK)

_CONTACT_COLUMNS = (
    "id, reservation_id, call_list_id, campaign_id, position, first_name, last_name, phone,"
    " timezone, household, extra, state, hub_attempts, attempts, last_disposition, due_at,"
    " phones, phone_index"
)


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
    # Every number ({"e164", "extension", "kind", ...}, the hub's order); () from older hubs.
    phones: tuple[dict[str, str], ...] = ()
    phone_index: int = 0  # the one being dialed: moves on after a wrong number

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def current_phone(self) -> tuple[str, str]:
        """(E.164, extension) of the number to dial now."""
        if self.phone_index < len(self.phones):
            entry = self.phones[self.phone_index]
            return entry.get("e164") or self.phone, entry.get("extension", "")
        return self.phone, ""

    @property
    def has_phone_entry(self) -> bool:
        return self.phone_index < len(self.phones)

    @property
    def has_next_phone(self) -> bool:
        return self.phone_index + 1 < len(self.phones)


def _contact(row: Any) -> ContactRecord:
    values = list(row)
    try:
        extra = json.loads(values[10] or "{}")
    except ValueError:
        extra = {}
    values[10] = {str(k): str(v) for k, v in extra.items()} if isinstance(extra, dict) else {}
    values[15] = opt_time(values[15])
    try:
        phones = json.loads(values[16] or "[]")
    except ValueError:
        phones = []
    values[16] = (
        tuple(
            {str(k): str(v) for k, v in p.items()}
            for p in phones
            if isinstance(p, dict) and p.get("e164")
        )
        if isinstance(phones, list)
        else ()
    )
    return ContactRecord(*values)


@dataclass(frozen=True)
class ListEntry:
    """A contact as the list shows it (no extra fields: cheap for long lists)."""

    id: int
    name: str
    phone: str
    household: str
    state: str
    attempts: int
    due_at: datetime | None


_ENTRY_COLUMNS = "id, first_name, last_name, phone, household, state, attempts, due_at"


def _entry(row: Any) -> ListEntry:
    id_, first, last, phone, household, state, attempts, due = row
    return ListEntry(
        id_, f"{first} {last}".strip(), phone, household, state, attempts, opt_time(due)
    )


def list_rows(conn: Connection, reservation_ids: list[int]) -> list[tuple[Any, ...]]:
    """The contacts of these lists in order (older lists first, households together), as
    plain tuples (id, first_name, last_name, phone, household, state, attempts, due_at
    text): with 100,000 names an object per row costs ~0.3 s, and this runs at every start."""
    if not reservation_ids:
        return []
    marks = ",".join(str(int(i)) for i in reservation_ids)
    return conn.execute(
        f"SELECT {_ENTRY_COLUMNS} FROM contacts WHERE reservation_id IN ({marks})"
        " ORDER BY reservation_id, position"
    ).all()


def affected_entries(conn: Connection, c: ContactRecord) -> list[ListEntry]:
    """c and everyone a result for c may have changed: its household, its phone, the
    number dialed (a do-not-call on c's own cell reaches whoever has it as theirs)."""
    rows = conn.execute(
        (
            f"SELECT {_ENTRY_COLUMNS} FROM contacts WHERE id IN ("
            "SELECT id FROM contacts WHERE reservation_id = :r AND household = :h"
            " UNION SELECT id FROM contacts WHERE phone IN (:p, :d)"
            " UNION SELECT :id) ORDER BY reservation_id, position"
        ),
        {
            "id": c.id,
            "r": c.reservation_id,
            "h": c.household,
            "p": c.phone,
            "d": c.current_phone[0],
        },
    ).all()
    return [_entry(r) for r in rows]


def contacts_of(conn: Connection, reservation_id: int) -> list[ContactRecord]:
    rows = conn.execute(
        f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE reservation_id = :r ORDER BY position",
        {"r": reservation_id},
    ).all()
    return [_contact(r) for r in rows]


def contact(conn: Connection, contact_id: int) -> ContactRecord | None:
    row = conn.execute(
        f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE id = :id", {"id": contact_id}
    ).first()
    return _contact(row) if row else None


def household_of(conn: Connection, c: ContactRecord) -> list[ContactRecord]:
    """The other members of c's household in the same list."""
    rows = conn.execute(
        (
            # INDEXED BY: without it SQLite walks the whole list in position order
            # (17 ms with 100,000 contacts) instead of sorting the few members.
            f"SELECT {_CONTACT_COLUMNS} FROM contacts INDEXED BY ix_contacts_household"
            " WHERE reservation_id = :r AND household = :h AND id != :id ORDER BY position"
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
        (
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
    query = (
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


def waiting_retries(
    conn: Connection, now: datetime
) -> tuple[int, datetime | None, datetime | None]:
    """People waiting for their retry time (no answer, busy) that comes before their list's
    hold ends: (how many, the first retry time, when that list's hold ends)."""
    row = conn.execute(
        (
            "SELECT count(*), min(c.due_at), min(r.expires_at) FROM contacts c"
            " JOIN reservations r ON r.id = c.reservation_id"
            " WHERE r.cleared = 0 AND c.state = 'to_call' AND c.due_at > :now"
            " AND c.due_at < r.expires_at"
        ),
        {"now": to_text(now)},
    ).first()
    if row is None or not row[0]:
        return 0, None, None
    return int(row[0]), opt_time(row[1]), opt_time(row[2])


def open_households(conn: Connection, reservation_ids: list[int]) -> int:
    """Households with someone still to call (now or later) in these lists."""
    if not reservation_ids:
        return 0
    marks = ",".join(str(int(i)) for i in reservation_ids)
    return int(
        conn.execute(
            "SELECT count(DISTINCT reservation_id || ':' || household) FROM contacts"
            f" WHERE reservation_id IN ({marks}) AND state IN ('to_call', 'call_back')"
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
    correction: bool = False,
) -> str:
    """Update c, and its household as `sync.protocol.household_effect` says (the hub's rule);
    returns c's new state. The others keep their own state and call-backs. A `correction`
    replaces c's last result: it sets c's state again but is not one more attempt."""
    attempts = c.attempts + (0 if correction else 1)
    due: str | None = None
    effect = household_effect(disposition)
    limit = attempts_limit(disposition, max_attempts)
    same_household = {"r": c.reservation_id, "h": c.household, "id": c.id}
    if effect == HouseholdEffect.do_not_call:
        # The number dialed goes on the list: the household's closes everyone at it; a cell
        # of this person's own closes them and whoever has it as theirs (the hub's rule).
        dialed = c.current_phone[0]
        conn.execute(
            "UPDATE contacts SET state = 'dnc' WHERE phone = :p OR id = :id",
            {"p": dialed, "id": c.id},
        )
        # Whoever else has it among their other numbers is not dialed on it either.
        drop_numbers(conn, {dialed})
        state = DNC
    elif effect == HouseholdEffect.bad_number and c.has_next_phone:
        # This person has another number: it is theirs to try next (the household's number,
        # the first, is bad for the others still to call; a promised call-back stays).
        if c.phone_index == 0:
            conn.execute(
                (
                    "UPDATE contacts SET state = 'done' WHERE reservation_id = :r"
                    " AND household = :h AND state = 'to_call' AND id != :id"
                ),
                same_household,
            )
        conn.execute(
            "UPDATE contacts SET phone_index = :i WHERE id = :id",
            {"i": c.phone_index + 1, "id": c.id},
        )
        state = TO_CALL
    elif effect == HouseholdEffect.bad_number:
        # Closes the members still to call when the number was the household's (a
        # call-back promised by someone here stays); a bad number of this person's own
        # closes only them, as on the hub (result_effects: the result names the number).
        if c.current_phone[0] == c.phone:
            conn.execute(
                (
                    "UPDATE contacts SET state = 'done' WHERE reservation_id = :r"
                    " AND household = :h AND state = 'to_call' AND id != :id"
                ),
                same_household,
            )
        state = DONE
    elif disposition == Disposition.call_back:
        state, due = CALL_BACK, opt_text(call_back_at)
    elif effect == HouseholdEffect.wait and limit is not None and attempts < limit:
        state, due = TO_CALL, to_text(now + timedelta(seconds=retry_after_seconds))
        # Nobody answered that phone: the others still to call wait as well.
        conn.execute(
            (
                "UPDATE contacts SET due_at = :due WHERE reservation_id = :r"
                " AND household = :h AND state = 'to_call' AND id != :id"
                " AND (due_at IS NULL OR due_at < :due)"
            ),
            {"due": due, **same_household},
        )
    else:
        state = DONE
    if state != DNC:
        conn.execute(
            (
                "UPDATE contacts SET state = :s, attempts = :a, last_disposition = :d,"
                " due_at = :due WHERE id = :id"
            ),
            {"s": state, "a": attempts, "d": disposition.value, "due": due, "id": c.id},
        )
    else:
        conn.execute(
            "UPDATE contacts SET attempts = :a, last_disposition = :d WHERE id = :id",
            {"a": attempts, "d": disposition.value, "id": c.id},
        )
    return state


def mark_dnc(conn: Connection, phones: Iterable[str]) -> int:
    """Numbers on the do-not-call list: contacts with one as their household's number become
    do-not-call, and one among a contact's other numbers is dropped (`drop_numbers`);
    returns how many contacts changed."""
    listed = set(phones)
    changed = 0
    for phone in listed:
        result = conn.execute(
            "UPDATE contacts SET state = 'dnc' WHERE phone = :p AND state != 'dnc'",
            {"p": phone},
        )
        changed += max(result.rowcount, 0)
    return changed + drop_numbers(conn, listed)


_DROP_CHUNK = 500  # numbers per lookup (SQLite allows 32k bound values)


def drop_numbers(conn: Connection, listed: set[str]) -> int:
    """Drop listed numbers from the numbers of the contacts still to call (the hub leaves
    them out of what it sends: `reservation_views.contact_fields`), so they are never dialed
    nor counted in "Number 1 of N". Someone left with no number to dial (the ones before
    were wrong numbers) is do-not-call. Returns how many contacts changed."""
    ordered = sorted(listed)
    ids: set[int] = set()
    for start in range(0, len(ordered), _DROP_CHUNK):
        chunk = ordered[start : start + _DROP_CHUNK]
        marks = ",".join("?" * len(chunk))
        ids.update(
            conn.execute(
                # LIKE first: only people with two numbers or more have their JSON read
                # (the hub sends its list at every sync; most people have one number).
                "SELECT DISTINCT c.id FROM contacts c, json_each(c.phones) j"
                " WHERE c.state IN ('to_call', 'call_back') AND c.phones LIKE '%},%'"
                f" AND json_extract(j.value, '$.e164') IN ({marks})",
                chunk,
            ).scalars()
        )
    for contact_id in sorted(ids):
        phones_text, index = conn.execute(
            "SELECT phones, phone_index FROM contacts WHERE id = :id", {"id": contact_id}
        ).first() or ("[]", 0)
        phones = json.loads(phones_text)
        kept = [p for p in phones if p.get("e164") not in listed]
        # The number being dialed moves to the first kept one at or after it.
        new_index = sum(1 for p in phones[:index] if p.get("e164") not in listed)
        conn.execute(
            "UPDATE contacts SET phones = :phones, phone_index = :i,"
            " state = CASE WHEN :left THEN state ELSE 'dnc' END WHERE id = :id",
            {
                "phones": json.dumps(kept),
                "i": new_index,
                "left": new_index < len(kept),
                "id": contact_id,
            },
        )
    return len(ids)


def wipe(conn: Connection) -> None:
    conn.execute("DELETE FROM contacts")
