"""Times in the store: ISO 8601 text in UTC with a fixed width, so text order is time order."""

from __future__ import annotations

from datetime import UTC, datetime


def to_text(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def opt_text(value: datetime | None) -> str | None:
    return None if value is None else to_text(value)


def from_text(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def opt_time(value: str | None) -> datetime | None:
    return None if not value else from_text(value)
