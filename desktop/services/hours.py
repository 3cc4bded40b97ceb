"""A contact's local time and calling hours: plain functions (no database, no Qt), so the call
screen can re-check them at the moment of dialing, not only when the contact was opened.
The rule itself is `sync.calling_hours` (re-exported by `sync.protocol`), the hub's."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sync.calling_hours import in_calling_hours, zone_of

UTC_ZONE = zone_of("UTC")

__all__ = ["default_call_back", "from_wall_clock", "in_calling_hours", "local_time"]


def local_time(timezone: str, now: datetime) -> datetime:
    """`now` on the contact's wall clock (UTC when the zone is unknown, as the hub takes it)."""
    return now.astimezone(zone_of(timezone))


def from_wall_clock(timezone: str, wall: datetime) -> datetime:
    """A naive wall-clock time in the contact's zone as the aware instant it names. A time
    that does not exist there (the hour skipped when clocks go forward) is taken as the
    same wall time after the change, as a person would mean it."""
    zone = zone_of(timezone)
    aware = wall.replace(tzinfo=zone)
    if aware.astimezone(UTC_ZONE).astimezone(zone).replace(tzinfo=None) != wall:
        aware = (wall + timedelta(hours=1)).replace(tzinfo=zone)
    return aware.astimezone(UTC_ZONE)


def default_call_back(timezone: str, start: str, end: str, now: datetime) -> datetime:
    """Where the call-back picker starts: tomorrow, at the next whole hour of the contact's
    own clock, moved inside their calling hours (not 02:00 for a voter in Texas)."""
    local = local_time(timezone, now)
    wall = local.replace(tzinfo=None, minute=0, second=0, microsecond=0) + timedelta(hours=1)
    wall += timedelta(days=1)
    first = _clock(start)
    last = _clock(end)
    latest = (datetime.combine(wall.date(), last) - timedelta(hours=1)).time()
    if first <= latest and not first <= wall.time() <= latest:
        wall = datetime.combine(wall.date(), first if wall.time() < first else latest)
    return from_wall_clock(timezone, wall)


def _clock(hhmm: str) -> time:
    hours, _, minutes = hhmm.partition(":")
    return time(min(int(hours), 23), int(minutes))
