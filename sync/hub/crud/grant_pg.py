"""PostgreSQL: a reservation in two statements (each round trip cost the hub more Python
than the database work behind it; seven of them were most of a grant's CPU).

1. `load_for_token`: the caller (by bearer token), locked; the list, its campaign and the
   list's time zones. The lock (FOR NO KEY UPDATE of the volunteer's row) makes one
   volunteer's concurrent requests queue here, so the cooldown read by the *next* statement
   (a new snapshot) sees the grant of the one before; it does not block the key-share locks
   that inserting their results takes.
2. `grant`: the cooldown check, the pick (`reservation_pool`, FOR UPDATE SKIP LOCKED), the
   reservation, the holds, their history and the open contacts of the households.

SQLite runs the same steps as separate statements (`reservations.reserve`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, lru_cache
from typing import Any, cast

import psycopg
from psycopg.rows import namedtuple_row
from sqlmodel import Session

from sync.hub.crud.reservation_pool import pg_pick_sql, pick_params
from sync.hub.crud.reservation_views import CONTACT_COLUMNS


@dataclass(frozen=True)
class ListPolicy:
    """What a grant needs to know of the list and its campaign."""

    list_id: int
    list_name: str
    campaign_id: int
    list_size: int
    hold_seconds: int
    cooldown_seconds: int
    hours_start: str
    hours_end: str
    zones: list[str]  # the list's distinct time zones, in or out of calling hours
    # Organizers may pause or archive a campaign and archive or remove a list (console).
    campaign_name: str = ""
    campaign_status: str = "active"
    list_status: str = "active"
    # Lists one volunteer may take per hour and per rolling day (0: no cap).
    max_lists_per_hour: int = 0
    max_lists_per_day: int = 0


@dataclass(frozen=True)
class Caller:
    """The volunteer a token belongs to, and the list asked for (None: no such list)."""

    volunteer_id: int
    policy: ListPolicy | None
    languages: list[str] = field(default_factory=list)  # the languages the volunteer speaks


# The list's distinct time zones, one index probe per zone (see `list_time_zones`).
_LIST_ZONES = (
    "ARRAY(WITH RECURSIVE zones(tz) AS ("
    " SELECT MIN(timezone) FROM households WHERE call_list_id = call_lists.id"
    " UNION ALL"
    " SELECT (SELECT MIN(timezone) FROM households"
    "         WHERE call_list_id = call_lists.id AND timezone > zones.tz)"
    " FROM zones WHERE zones.tz IS NOT NULL"
    ") SELECT tz FROM zones WHERE tz IS NOT NULL)"
)


def load_for_token(
    session: Session, token_hash: str, call_list_id: int | None, now: datetime
) -> Caller | None:
    """The caller of a live token, locked, with the list (`call_list_id` None: none asked
    for that can exist); None when the token is unknown, expired or revoked."""
    params = {"token_hash": token_hash, "list_id": call_list_id, "now": now}
    rows = _fetch(session, _load_sql(), params)
    if not rows:
        return None
    row = rows[0]
    languages = [str(code) for code in row.languages or ()]
    if row.list_id is None:
        return Caller(row.user_id, None, languages)
    policy = ListPolicy(
        row.list_id,
        row.list_name,
        row.campaign_id,
        row.list_size,
        row.hold_seconds,
        row.cooldown_seconds,
        row.calling_hours_start,
        row.calling_hours_end,
        list(row.zones),
        row.campaign_name,
        row.campaign_status,
        row.list_status,
        row.max_lists_per_hour,
        row.max_lists_per_day,
    )
    return Caller(row.user_id, policy, languages)


@cache
def _load_sql() -> str:
    # The same conditions as users.user_for_token and membership.visible; the lock is on
    # the volunteer's row only.
    return _for_psycopg(
        "SELECT u.id AS user_id, u.languages, call_lists.id AS list_id,"
        " call_lists.name AS list_name,"
        " c.id AS campaign_id, c.list_size, c.hold_seconds, c.cooldown_seconds,"
        " c.calling_hours_start, c.calling_hours_end, c.name AS campaign_name,"
        " c.status AS campaign_status, call_lists.status AS list_status,"
        " c.max_lists_per_hour, c.max_lists_per_day,"
        f" {_LIST_ZONES} AS zones"
        " FROM api_tokens AS t JOIN users AS u ON u.id = t.user_id"
        " LEFT JOIN (call_lists JOIN campaigns AS c ON c.id = call_lists.campaign_id)"
        " ON call_lists.id = :list_id"
        # A closed campaign's list is only found by its members (crud/membership.py).
        " AND (c.open OR u.role = 'organizer' OR EXISTS (SELECT 1 FROM campaign_members AS m"
        "      WHERE m.campaign_id = c.id AND m.user_id = u.id))"
        " WHERE t.token_hash = :token_hash AND t.revoked_at IS NULL AND t.expires_at > :now"
        " AND u.active"
        " FOR NO KEY UPDATE OF u"
    )


def _for_psycopg(sql: str) -> str:
    """`:name` parameters (as `text()` and the compiled pick write them) as psycopg's."""
    return re.sub(r"(?<![:\w]):(\w+)(?!:)", r"%(\1)s", sql.replace("%", "%%"))


def _fetch(session: Session, sql: str, params: dict[str, Any]) -> list[Any]:
    """Run one of these statements on the session's psycopg connection, in its transaction.

    Straight through psycopg: SQLAlchemy's execution and row processing were a fifth of the
    route's CPU for these two statements. Rows are named tuples; timestamps come back in
    the session's time zone (`_utc`). psycopg still prepares a statement after five runs.
    """
    connection = cast("psycopg.Connection[Any]", session.connection().connection.dbapi_connection)
    with connection.cursor(row_factory=namedtuple_row) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


@dataclass(frozen=True)
class Outcome:
    """What `grant` did: refused for a cooldown (`blocked_*` set) or a cap on lists
    (`capped_*` set), found nobody (`reservation_id` None), or granted."""

    blocked_until: datetime | None
    blocked_expires_at: datetime | None
    reservation_id: int | None
    granted_at: datetime | None
    expires_at: datetime | None
    next_request_at: datetime | None
    contacts: Sequence[Any]  # named tuples with CONTACT_COLUMNS
    capped_until: datetime | None = None  # when the volunteer may take another list
    capped_by: str | None = None  # "hour" | "day": which cap


def grant(
    session: Session,
    volunteer_id: int,
    policy: ListPolicy,
    zones: list[str],
    now: datetime,
    languages: list[str] | None = None,
) -> Outcome:
    """Check the cooldown, then pick, lock and grant up to the list size from `zones`.

    The grant is stamped `now`, or later when a household's last hold was given back after
    `now` (a release that committed while this request was on its way): a grant never
    starts before the previous one of its households ended.
    """
    params = pick_params(volunteer_id, policy.list_id, zones, policy.list_size, now, languages)
    params.update(
        campaign_id=policy.campaign_id,
        hold=float(policy.hold_seconds),
        cooldown=float(policy.cooldown_seconds),
        per_hour=policy.max_lists_per_hour,
        per_day=policy.max_lists_per_day,
    )
    rows = _fetch(session, _grant_sql(policy.list_size), params)
    first = rows[0]  # always one row at least (see the statement's FROM)
    contacts = [
        row if row.call_back_at is None else row._replace(call_back_at=_utc(row.call_back_at))
        for row in rows
        if row.id is not None
    ]
    return Outcome(
        _utc(first.blocked_until),
        _utc(first.blocked_expires_at),
        first.rid,
        _utc(first.granted_at),
        _utc(first.held_until),
        _utc(first.cooled_at),
        contacts,
        _utc(first.capped_until),
        first.capped_by,
    )


# Mirrors reservations._check_cooldown and mostly_handled: the latest reservation of the
# volunteer in the campaign still cooling down (from its grant, given back or not) with
# half or more of its households unhandled (reservation_views.unhandled_households).
_BLOCKING = (
    "SELECT r.next_request_at, r.expires_at FROM reservations AS r"
    " WHERE r.volunteer_id = :volunteer_id AND r.campaign_id = :campaign_id"
    " AND r.next_request_at > :now AND r.expires_at > :now"
    " AND 2 * (SELECT count(*) FROM reservation_items AS ri"
    "  JOIN households AS hh ON hh.id = ri.household_id"
    "  WHERE ri.reservation_id = r.id AND hh.state = 'open'"
    "  AND NOT EXISTS (SELECT 1 FROM call_results AS cr"
    "   JOIN contacts AS ct ON ct.id = cr.contact_id"
    "   WHERE cr.reservation_id = r.id AND cr.volunteer_id = r.volunteer_id"
    "   AND cr.quarantined IS false AND ct.household_id = ri.household_id))"
    "  >= (SELECT count(*) FROM reservation_items AS ri WHERE ri.reservation_id = r.id)"
    " ORDER BY r.next_request_at DESC LIMIT 1"
)


def _capped_sql(window: str, cap: str) -> str:
    """When the cap-th newest list of the volunteer in the campaign within `window` leaves
    it (NULL: under the cap, or no cap). Mirrors reservations._check_caps; an index probe
    (ix_reservations_volunteer)."""
    return (
        f"SELECT '{window}'::text AS by, r.created_at + interval '1 {window}' AS until"
        " FROM reservations AS r"
        f" WHERE :{cap} > 0 AND r.volunteer_id = :volunteer_id"
        f" AND r.campaign_id = :campaign_id AND r.created_at > :now - interval '1 {window}'"
        f" ORDER BY r.created_at DESC OFFSET GREATEST(:{cap} - 1, 0) LIMIT 1"
    )


_CAPPED = (
    f"SELECT * FROM (({_capped_sql('hour', 'per_hour')}) UNION ALL"
    f" ({_capped_sql('day', 'per_day')})) AS caps ORDER BY until DESC LIMIT 1"
)


@lru_cache(maxsize=32)
def _grant_sql(limit: int) -> str:
    """Built once per list size (a literal: see `pg_pick_sql`)."""
    names = ", ".join(f"c.{name}" for name in CONTACT_COLUMNS)
    # ARRAY(SELECT ...) keeps every use of the picked ids an index probe (= ANY); a join
    # with the CTE could be planned as a scan of all contacts.
    picked_ids = "ARRAY(SELECT id FROM picked)"
    return _for_psycopg(
        f"WITH blocking AS ({_BLOCKING}),"
        f" capped AS MATERIALIZED ({_CAPPED}),"
        f" picked AS MATERIALIZED (SELECT p.id FROM ({pg_pick_sql(limit)}) AS p"
        "  WHERE NOT EXISTS (SELECT 1 FROM blocking) AND NOT EXISTS (SELECT 1 FROM capped)),"
        # When each household's last grant was given back (the latest item: an index
        # probe however long its history).
        " stamp AS MATERIALIZED (SELECT GREATEST(:now, max(last.released_at)) AS at"
        "  FROM picked LEFT JOIN LATERAL (SELECT ri.released_at FROM reservation_items"
        "  AS ri WHERE ri.household_id = picked.id ORDER BY ri.granted_at DESC LIMIT 1)"
        "  AS last ON true),"
        " r AS (INSERT INTO reservations (volunteer_id, campaign_id, call_list_id, status,"
        "  created_at, expires_at, next_request_at)"
        "  SELECT :volunteer_id, :campaign_id, :list_id, 'active', at,"
        "  at + make_interval(secs => :hold), at + make_interval(secs => :cooldown)"
        "  FROM stamp WHERE EXISTS (SELECT 1 FROM picked)"
        "  RETURNING id, created_at, expires_at, next_request_at),"
        " h AS (UPDATE households SET held_until = r.expires_at, reservation_id = r.id,"
        f"  fence = r.id FROM r WHERE households.id = ANY({picked_ids})),"
        " i AS (INSERT INTO reservation_items (reservation_id, household_id, granted_at,"
        "  expires_at) SELECT r.id, picked.id, r.created_at, r.expires_at FROM r, picked)"
        " SELECT b.next_request_at AS blocked_until, b.expires_at AS blocked_expires_at,"
        " r.id AS rid, r.created_at AS granted_at, r.expires_at AS held_until,"
        f" r.next_request_at AS cooled_at, cap.until AS capped_until, cap.by AS capped_by,"
        f" {names}"
        " FROM (SELECT 1) AS one LEFT JOIN blocking AS b ON true"
        " LEFT JOIN capped AS cap ON true LEFT JOIN r ON true"
        f" LEFT JOIN contacts AS c ON c.household_id = ANY({picked_ids})"
        " AND c.state = 'open' AND r.id IS NOT NULL"
        " ORDER BY c.household_id, c.id"
    )
