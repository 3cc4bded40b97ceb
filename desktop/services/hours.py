"""A contact's local time and calling hours: plain functions (no database, no Qt), so the call
screen can re-check them at the moment of dialing, not only when the contact was opened.
The rule itself is `sync.protocol.in_calling_hours`, the one the hub grants by."""

from __future__ import annotations

from datetime import datetime

from sync.protocol import in_calling_hours, zone_of

__all__ = ["in_calling_hours", "local_time"]


def local_time(timezone: str, now: datetime) -> datetime:
    """`now` on the contact's wall clock (UTC when the zone is unknown, as the hub takes it)."""
    return now.astimezone(zone_of(timezone))
