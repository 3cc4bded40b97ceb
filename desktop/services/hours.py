"""A contact's local time and calling hours: plain functions (no database, no Qt), so the call
screen can re-check them at the moment of dialing, not only when the contact was opened."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_time(timezone: str, now: datetime) -> datetime:
    """`now` in the contact's zone (unchanged when the zone is unknown)."""
    try:
        return now.astimezone(ZoneInfo(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        return now


def within_hours(local: datetime, start: str, end: str) -> bool:
    """Whether local's HH:MM is inside [start, end] (an overnight range wraps)."""
    hhmm = local.strftime("%H:%M")
    if start <= end:
        return start <= hhmm <= end
    return hhmm >= start or hhmm <= end
