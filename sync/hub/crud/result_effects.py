"""What accepted results do to contacts, households and the do-not-call list (SPEC §2).

Applied with a few statements per batch (the rows as arrays on PostgreSQL, as JSON on SQLite:
`effects_sqlite`), in the order the calls ended.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, exists, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlmodel import Session, col

from sync.hub.crud import effect_review, effects_sqlite
from sync.hub.crud.result_checks import BatchContext, safe_utc
from sync.hub.models import Contact, DoNotCall, Household
from sync.protocol import (
    MAX_ID,
    Disposition,
    HouseholdEffect,
    ResultIn,
    attempts_limit,
    household_effect,
)


def dialect_insert(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def apply_effects(
    session: Session,
    accepted: list[ResultIn],
    volunteer_id: int,
    ctx: BatchContext,
    now: datetime,
    superseded_holds: Collection[uuid.UUID] = frozenset(),
) -> None:
    """What the new results mean for contacts, households and the do-not-call list (SPEC §2).

    `superseded_holds`: results whose household has been granted to someone else since
    (late_conflict). They count as attempts and still say what they learned about the person
    and the number (done, bad number, do-not-call), but never reschedule the household or
    touch its call-back: those belong to the volunteer holding it now.
    """
    if not accepted:
        return
    conn = session.connection()
    accepted = sorted(accepted, key=lambda r: (safe_utc(r.ended_at) or now, str(r.id)))
    contact_rows = []
    stale_contact_rows = []
    retry_rows = []
    call_back_rows = []
    language_rows: list[dict[str, Any]] = []
    bad_households: set[int] = set()
    # contact id -> its phones list with the numbers found bad for that person alone
    bad_numbers: dict[int, list[dict[str, str]]] = {}
    dnc_phones: dict[str, str] = {}
    # People who said "do not call" on a number of their own: the list gets that number
    # (and whoever has it as theirs); they are closed, their housemates stay callable.
    dnc_people: set[int] = set()
    touched: set[int] = set()
    # Households nobody could talk to now: their hold ends, so the retry policy decides when
    # they are called next, not the rest of a 24-hour hold. (A call-back keeps its hold: the
    # volunteer who promised it gets it first anyway.)
    unheld: dict[tuple[int, int], dict[str, Any]] = {}
    # Wide effects (the whole household, the global list) beyond what one volunteer
    # plausibly sends in an hour wait for an organizer (effect_review); asked once a batch.
    allowed: int | None = None
    held: list[effect_review.Held] = []
    for result in accepted:
        contact = ctx.contacts[result.contact_id]
        campaign = ctx.campaigns[contact.campaign_id]
        disposition = result.disposition
        touched.add(contact.household_id)
        # The person is done once attempts + 1 reaches this (sync.protocol's rule).
        limit = attempts_limit(disposition, campaign.max_attempts)
        # A language barrier that names the language heard: not finished, but back in the
        # pool at once for volunteers who speak it (and only them; reservation_pool).
        heard = disposition == Disposition.language_barrier and result.heard_language
        if limit is None or heard:
            limit = MAX_ID
        effect = household_effect(disposition)
        # The number the call was on: a do-not-call goes on that number, not the household's.
        dialed = result.dialed_phone if _other_number(contact, result.dialed_phone) else None
        number = dialed or contact.phone
        if effect == HouseholdEffect.bad_number and dialed is not None:
            # A bad number that is one of the person's other numbers, not the household's:
            # only that number is closed, for that person; they (and their housemates)
            # stay callable, so it is no wide effect for the review queue either.
            phones = bad_numbers.get(contact.id) or [dict(p) for p in contact.phones]
            for entry in phones:
                if entry.get("e164") == result.dialed_phone:
                    entry["bad"] = disposition.value
            bad_numbers[contact.id] = phones
            effect = HouseholdEffect.person_only
        # A correction replaces a call already counted: it is not one more attempt.
        step = 0 if result.supersedes is not None else 1
        wide = (
            "bad_number"
            if effect == HouseholdEffect.bad_number
            else "do_not_call"
            if effect == HouseholdEffect.do_not_call
            else None
        )
        held_now = False
        if wide is not None:
            if allowed is None:
                batch = [str(r.id) for r in accepted]
                allowed = effect_review.allowance(session, volunteer_id, batch, now)
            held_now = allowed <= 0
            allowed -= 1
            if held_now:
                # Counted as an attempt, the person not finished: a rejected effect leaves
                # them to be called again.
                held.append(
                    effect_review.Held(
                        str(result.id),
                        contact.campaign_id,
                        contact.household_id,
                        number,
                        wide,
                    )
                )
                limit = MAX_ID
        if result.id in superseded_holds:
            stale_contact_rows.append(
                {"b_id": contact.id, "b_limit": limit, "fresh": False, "step": step}
            )
            if held_now:
                pass
            elif effect == HouseholdEffect.bad_number:
                bad_households.add(contact.household_id)
            elif effect == HouseholdEffect.do_not_call:
                dnc_phones.setdefault(number, str(result.id))
                if dialed is not None:
                    dnc_people.add(contact.id)
            continue
        contact_rows.append(
            {
                "b_id": contact.id,
                "b_disposition": disposition.value,
                "b_limit": limit,
                "b_call_back_at": safe_utc(result.call_back_at)
                if disposition == Disposition.call_back
                else None,
                "fresh": True,
                "step": step,
            }
        )
        if heard:
            key = (contact.household_id, result.reservation_id)
            unheld[key] = {"b_id": key[0], "b_rid": key[1]}
            language_rows.append({"b_id": contact.household_id, "b_language": heard, "b_next": now})
        elif effect == HouseholdEffect.wait:
            key = (contact.household_id, result.reservation_id)
            unheld[key] = {"b_id": key[0], "b_rid": key[1]}
            retry_rows.append(
                {
                    "b_id": contact.household_id,
                    "b_next": now + timedelta(seconds=campaign.retry_after_seconds),
                }
            )
        elif disposition == Disposition.call_back:
            when = safe_utc(result.call_back_at) or now + timedelta(
                seconds=campaign.retry_after_seconds
            )
            call_back_rows.append({"b_id": contact.household_id, "b_next": when})
        elif held_now:
            pass
        elif effect == HouseholdEffect.bad_number:
            bad_households.add(contact.household_id)
        elif effect == HouseholdEffect.do_not_call:
            dnc_phones.setdefault(number, str(result.id))
            if dialed is not None:
                dnc_people.add(contact.id)

    if held:
        effect_review.hold(session, volunteer_id, held, now)
    contacts = Contact.__table__  # type: ignore[attr-defined]
    households = Household.__table__  # type: ignore[attr-defined]
    _count_attempts(conn, contact_rows + stale_contact_rows)
    _reschedule(conn, retry_rows, call_back_rows, volunteer_id)
    if language_rows:
        households_ = Household.__table__  # type: ignore[attr-defined]
        conn.execute(
            update(households_)
            .where(households_.c.id == bindparam("b_id"))
            .values(
                language=bindparam("b_language"),
                next_call_at=bindparam("b_next", type_=households_.c.next_call_at.type),
                call_back_volunteer_id=None,
            ),
            language_rows,
        )
    if unheld:
        _end_holds(conn, sorted(unheld.values(), key=lambda row: row["b_id"]), now)
    if bad_households:
        mark_bad(conn, sorted(bad_households))
    if bad_numbers:
        conn.execute(
            update(contacts)
            .where(contacts.c.id == bindparam("b_id"))
            .values(phones=bindparam("b_phones")),
            [{"b_id": k, "b_phones": v} for k, v in sorted(bad_numbers.items())],
        )
    if dnc_phones:
        add_to_do_not_call(session, dnc_phones, now)
    if dnc_people:
        conn.execute(
            update(contacts).where(contacts.c.id.in_(sorted(dnc_people))).values(state="dnc")
        )
    # A household is done when none of its people is left to call.
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(_PG_DONE, {"ids": "{" + ",".join(map(str, sorted(touched))) + "}"})
        return
    still_open = exists().where(
        contacts.c.household_id == households.c.id, contacts.c.state == "open"
    )
    conn.execute(
        update(households)
        .where(households.c.id.in_(sorted(touched)), households.c.state == "open", ~still_open)
        .values(state="done")
    )


# Fixed text with the ids as one array literal: an expanded IN (...) was compiled by
# SQLAlchemy and re-parsed by psycopg for every batch.
_PG_DONE = (
    "UPDATE households AS h SET state = 'done'"
    " WHERE h.id = ANY(%(ids)s::integer[]) AND h.state = 'open' AND NOT EXISTS"
    " (SELECT 1 FROM contacts c WHERE c.household_id = h.id AND c.state = 'open')"
)


def _other_number(contact: Any, dialed: str | None) -> bool:
    """Whether `dialed` is one of the contact's numbers other than the household's.
    Absent (older laptops), the household's own, or a number the hub never gave them:
    the household's rule applies, as before laptops said which number they dialed."""
    if dialed is None or dialed == contact.phone:
        return False
    return any(entry.get("e164") == dialed for entry in contact.phones or [])


def mark_bad(conn: Connection, ids: list[int]) -> None:
    """A bad number closes the household's people still to call (HouseholdEffect.bad_number);
    someone with a call-back of their own keeps it, and the household stays open for it.
    Runs after the batch's attempts are counted, so the person called is already done."""
    if conn.dialect.name == "postgresql":
        for statement in _PG_MARK_BAD:
            conn.exec_driver_sql(statement, {"ids": ids})
        return
    contacts = Contact.__table__  # type: ignore[attr-defined]
    households = Household.__table__  # type: ignore[attr-defined]
    conn.execute(
        update(contacts)
        .where(
            contacts.c.household_id.in_(ids),
            contacts.c.state == "open",
            or_(
                contacts.c.call_back_at.is_(None),
                contacts.c.last_disposition != Disposition.call_back.value,
            ),
        )
        .values(state="bad")
    )
    still_open = exists().where(
        contacts.c.household_id == households.c.id, contacts.c.state == "open"
    )
    conn.execute(
        update(households)
        .where(households.c.id.in_(ids), households.c.state == "open", ~still_open)
        .values(state="bad")
    )


# Two statements: in one, the households' update would not see the contacts' new states.
_PG_MARK_BAD = (
    "UPDATE contacts SET state = 'bad'"
    " WHERE household_id = ANY(%(ids)s::integer[]) AND state = 'open'"
    " AND (call_back_at IS NULL OR last_disposition IS DISTINCT FROM 'call_back')",
    "UPDATE households AS h SET state = 'bad'"
    " WHERE h.id = ANY(%(ids)s::integer[]) AND h.state = 'open' AND NOT EXISTS"
    " (SELECT 1 FROM contacts c WHERE c.household_id = h.id AND c.state = 'open')",
)


def _count_attempts(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Count each result (a correction excepted: `step` 0) as an attempt on its person, in
    the given order; a person is done
    once attempts reach a result's limit. `fresh` results also set the last disposition and
    call-back time (results of a hold granted to someone else since only count).

    One row per person: its number of results `k`; `threshold`, the fewest attempts before
    this batch that finish the person (result i of the batch finishes when attempts + i + 1
    reaches its limit); and its last fresh result's disposition and call-back time.
    One statement: over arrays on PostgreSQL, over a JSON document on SQLite.
    """
    if not rows:
        return
    people: dict[int, dict[str, Any]] = {}
    for row in rows:
        person = people.setdefault(
            row["b_id"],
            {"b_id": row["b_id"], "b_k": 0, "b_threshold": MAX_ID, "b_fresh": False,
             "b_disposition": None, "b_call_back_at": None},
        )  # fmt: skip
        step = row.get("step", 1)
        person["b_threshold"] = min(person["b_threshold"], row["b_limit"] - person["b_k"] - step)
        person["b_k"] += step
        if row["fresh"]:
            person["b_fresh"] = True
            person["b_disposition"] = row["b_disposition"]
            person["b_call_back_at"] = row["b_call_back_at"]
    ordered = sorted(people.values(), key=lambda person: person["b_id"])
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(_PG_COUNT_ATTEMPTS, {"rows": _recordset(ordered)})
        return
    effects_sqlite.count_attempts(conn, ordered)


_PG_COUNT_ATTEMPTS = (
    "UPDATE contacts AS c SET attempts = c.attempts + v.b_k,"
    " last_disposition = CASE WHEN v.b_fresh THEN v.b_disposition ELSE c.last_disposition END,"
    " call_back_at = CASE WHEN v.b_fresh THEN v.b_call_back_at ELSE c.call_back_at END,"
    " state = CASE WHEN c.state = 'open' AND c.attempts >= v.b_threshold THEN 'done'"
    " ELSE c.state END"
    " FROM json_to_recordset(%(rows)s::json) AS v(b_id integer, b_k integer,"
    " b_threshold bigint, b_fresh boolean, b_disposition varchar, b_call_back_at timestamptz)"
    " WHERE c.id = v.b_id"
)


def _reschedule(
    conn: Connection,
    retry_rows: list[dict[str, Any]],
    call_back_rows: list[dict[str, Any]],
    volunteer_id: int,
) -> None:
    """When each touched household is called next: a retry counts an attempt and clears any
    call-back; a call-back (applied after the retries, as its own promise) belongs to
    `volunteer_id`. One row per household, the later rows winning."""
    plans: dict[int, dict[str, Any]] = {}
    for row, call_back in [(r, False) for r in retry_rows] + [(r, True) for r in call_back_rows]:
        plan = plans.setdefault(row["b_id"], {"b_id": row["b_id"], "b_retries": 0})
        plan["b_retries"] += 0 if call_back else 1
        plan["b_next"] = row["b_next"]
        plan["b_by"] = volunteer_id if call_back else None
    if not plans:
        return
    ordered = sorted(plans.values(), key=lambda plan: plan["b_id"])
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(_PG_RESCHEDULE, {"rows": _recordset(ordered)})
        return
    effects_sqlite.reschedule(conn, ordered)


_PG_RESCHEDULE = (
    "UPDATE households AS h SET attempts = h.attempts + v.b_retries, next_call_at = v.b_next,"
    " call_back_volunteer_id = v.b_by"
    " FROM json_to_recordset(%(rows)s::json)"
    " AS v(b_id integer, b_retries integer, b_next timestamptz, b_by integer) WHERE h.id = v.b_id"
)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in an effects row")


def _recordset(rows: list[dict[str, Any]]) -> str:
    """Rows as one JSON document, for PostgreSQL's json_to_recordset: `json.dumps` is C,
    while psycopg dumps list parameters (an array per column) element by element in Python."""
    return json.dumps(rows, default=_json_value, ensure_ascii=False)


def _end_holds(conn: Connection, rows: list[dict[str, Any]], now: datetime) -> None:
    """End the hold of each (household, reservation) that still holds it, from `now`."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(_PG_END_HOLDS, {"rows": _recordset(rows), "now": now})
        return
    effects_sqlite.end_holds(conn, rows, now)


# Households and reservation items in one statement (different tables, so no row is met twice).
_PG_END_HOLDS = (
    "WITH v AS (SELECT * FROM json_to_recordset(%(rows)s::json) AS v(b_id integer, b_rid integer)),"
    " h AS (UPDATE households AS h SET held_until = NULL FROM v WHERE h.id = v.b_id"
    " AND h.reservation_id = v.b_rid AND h.held_until > %(now)s)"
    " UPDATE reservation_items AS i SET released_at = %(now)s FROM v WHERE"
    " i.household_id = v.b_id AND i.reservation_id = v.b_rid AND i.released_at IS NULL"
    " AND i.expires_at > %(now)s"
)


def add_to_do_not_call(session: Session, phones: dict[str, str], now: datetime) -> None:
    """Put phones (phone -> result id that asked) on the global list, effective everywhere."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        listed = sorted(phones)
        params = {"phones": listed, "sources": [phones[p] for p in listed], "now": now}
        conn.exec_driver_sql(_PG_DO_NOT_CALL, params)
        return
    conn.execute(
        dialect_insert(session)(DoNotCall)
        .values(
            [
                {"phone": phone, "added_at": now, "source_result_id": source}
                for phone, source in sorted(phones.items())
            ]
        )
        .on_conflict_do_nothing(index_elements=["phone"])
    )
    listed = sorted(phones)
    conn.execute(update(Household).where(col(Household.phone).in_(listed)).values(state="dnc"))
    conn.execute(update(Contact).where(col(Contact.phone).in_(listed)).values(state="dnc"))


# The list and both tables in one statement on PostgreSQL (three tables, no row met twice).
_PG_DO_NOT_CALL = (
    "WITH d AS (INSERT INTO do_not_call (phone, added_at, source_result_id)"
    " SELECT phone, %(now)s, source FROM unnest(%(phones)s::varchar[], %(sources)s::varchar[])"
    " AS v(phone, source) ON CONFLICT (phone) DO NOTHING),"
    " h AS (UPDATE households SET state = 'dnc' WHERE phone = ANY(%(phones)s::varchar[]))"
    " UPDATE contacts SET state = 'dnc' WHERE phone = ANY(%(phones)s::varchar[])"
)
