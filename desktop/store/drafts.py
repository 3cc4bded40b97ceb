"""The call in progress, kept on disk as it is entered: closing mid-call (or a crash) loses
nothing, and the next start reopens it where it was. At most one draft: the open call."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from desktop.store.sql import Connection
from desktop.store.timefmt import from_text, to_text


def put(conn: Connection, contact_id: int, body: dict[str, Any], now: datetime) -> None:
    """Replace the draft with this contact's (`body` is plain JSON data)."""
    conn.execute("DELETE FROM drafts")
    conn.execute(
        "INSERT INTO drafts (contact_id, body, saved_at) VALUES (:c, :b, :t)",
        {"c": contact_id, "b": json.dumps(body, ensure_ascii=False), "t": to_text(now)},
    )


def get(conn: Connection) -> tuple[int, dict[str, Any], datetime] | None:
    row = conn.execute("SELECT contact_id, body, saved_at FROM drafts LIMIT 1").first()
    if row is None:
        return None
    try:
        body = json.loads(row[1])
    except ValueError:
        return None  # unreadable: as good as none (the result itself was never saved)
    return int(row[0]), body if isinstance(body, dict) else {}, from_text(row[2])


def clear(conn: Connection, contact_id: int | None = None) -> None:
    """Drop the draft (only if it is `contact_id`'s, when given)."""
    if contact_id is None:
        conn.execute("DELETE FROM drafts")
    else:
        conn.execute("DELETE FROM drafts WHERE contact_id = :c", {"c": contact_id})
