"""Calling hours in each contact's own time zone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

from sync.protocol import in_calling_hours

__all__ = ["in_calling_hours", "list_time_zones", "zones_in_hours"]


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
