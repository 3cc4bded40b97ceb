"""Calling hours in each contact's own time zone: the one rule the hub grants by and the
laptop warns by (re-exported by sync.protocol). Standard library only, so the call screen can
use it at start-up without importing pydantic."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_of(name: str) -> tzinfo:
    """The IANA zone `name`; UTC when this machine does not know it (never "never call")."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _minutes(hhmm: str) -> int:
    hours, _, minutes = hhmm.partition(":")
    return int(hours) * 60 + int(minutes)


def in_calling_hours(zone: str, start: str, end: str, now: datetime) -> bool:
    """Is `now` inside [start, end) on the wall clock of `zone`? 09:00-21:00 allows 20:59
    and refuses 21:00. An end of 23:59 means the end of the day; hours may wrap midnight
    (18:00-02:00). The one rule for both the hub's grants and the laptop's warning."""
    local = now.astimezone(zone_of(zone))
    minute = local.hour * 60 + local.minute
    first, last = _minutes(start), _minutes(end)
    if last == 23 * 60 + 59:
        last = 24 * 60
    if first <= last:
        return first <= minute < last
    return minute >= first or minute < last
