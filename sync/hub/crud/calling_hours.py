"""Calling hours in each contact's own time zone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import text
from sqlmodel import Session


def _minutes(hhmm: str) -> int:
    hours, _, minutes = hhmm.partition(":")
    return int(hours) * 60 + int(minutes)


def in_calling_hours(zone: str, start: str, end: str, now: datetime) -> bool:
    """Is it inside [start, end) in `zone` at `now`? An end of 23:59 means the end of the day.

    Hours may wrap midnight (e.g. 18:00-02:00). A zone this machine does not know is taken as
    UTC rather than never called.
    """
    tz: tzinfo
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = UTC
    local = now.astimezone(tz)
    minute = local.hour * 60 + local.minute
    first, last = _minutes(start), _minutes(end)
    if last == 23 * 60 + 59:
        last = 24 * 60
    if first <= last:
        return first <= minute < last
    return minute >= first or minute < last


def list_time_zones(session: Session, call_list_id: int) -> list[str]:
    """The distinct time zones of a list's households.

    A recursive query hops from one zone to the next through the (call_list_id, timezone)
    index — one probe per zone instead of a scan of a million households.
    """
    rows = session.execute(
        text(
            "WITH RECURSIVE zones(tz) AS ("
            " SELECT MIN(timezone) FROM households WHERE call_list_id = :list_id"
            " UNION ALL"
            " SELECT (SELECT MIN(timezone) FROM households"
            "         WHERE call_list_id = :list_id AND timezone > zones.tz)"
            " FROM zones WHERE zones.tz IS NOT NULL"
            ") SELECT tz FROM zones WHERE tz IS NOT NULL"
        ),
        {"list_id": call_list_id},
    )
    return [row[0] for row in rows]


def zones_in_hours(zones: Iterable[str], start: str, end: str, now: datetime) -> list[str]:
    """The zones where it is inside the calling hours [start, end) at `now`."""
    return [zone for zone in zones if in_calling_hours(zone, start, end, now)]
