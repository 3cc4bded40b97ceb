"""Row ids: the hub's id columns are 32-bit integers on PostgreSQL.

A larger number from a client must be answered as "not found" (or 422), never sent to the
database, where it fails (PostgreSQL: integer out of range; SQLite: OverflowError) as a 500.
"""

from __future__ import annotations

from sync.protocol import MAX_ID as MAX_DB_ID

__all__ = ["MAX_DB_ID", "is_db_id"]


def is_db_id(value: int | None) -> bool:
    """Whether `value` could be the id of a row (1 .. 2**31-1)."""
    return value is not None and 1 <= value <= MAX_DB_ID
