"""The batch's effects on SQLite as one statement each, the rows as one JSON parameter.

An executemany through SQLAlchemy builds and converts every row's parameters in Python
(`construct_params` and the datetime processors were ~13% of ingest's CPU on SQLite,
bench/notes-hub.md); `json_each` hands the whole batch to SQLite at once, as PostgreSQL's
`unnest` does in `result_effects`. Same rows, same rules: one row per person or household,
so `UPDATE ... FROM` meets each target row once and reads its values from before the
statement, as each row of the executemany did.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection


def stored_value(value: Any) -> Any:
    """A datetime as SQLAlchemy's SQLite DateTime stores a UTC one (naive, microseconds)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    raise TypeError(f"{type(value).__name__} in an effects row")


def _document(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, default=stored_value, ensure_ascii=False)


def _rows(**fields: str) -> str:
    """The JSON document's rows as a table `v`: column name -> the rows' key."""
    columns = ", ".join(f"json_extract(value, '$.{key}') AS {name}" for name, key in fields.items())
    return f"(SELECT {columns} FROM json_each(?)) AS v"


def count_attempts(conn: Connection, people: list[dict[str, Any]]) -> None:
    conn.exec_driver_sql(_COUNT_ATTEMPTS, (_document(people),))


_COUNT_ATTEMPTS = (
    "UPDATE contacts SET attempts = contacts.attempts + v.k,"
    " last_disposition = CASE WHEN v.fresh THEN v.disposition ELSE contacts.last_disposition END,"
    " call_back_at = CASE WHEN v.fresh THEN v.call_back_at ELSE contacts.call_back_at END,"
    " state = CASE WHEN contacts.state = 'open' AND contacts.attempts >= v.threshold"
    " THEN 'done' ELSE contacts.state END FROM "
    + _rows(id="b_id", k="b_k", threshold="b_threshold", fresh="b_fresh",
            disposition="b_disposition", call_back_at="b_call_back_at")
    + " WHERE contacts.id = v.id"
)  # fmt: skip


def reschedule(conn: Connection, plans: list[dict[str, Any]]) -> None:
    conn.exec_driver_sql(_RESCHEDULE, (_document(plans),))


_RESCHEDULE = (
    "UPDATE households SET attempts = households.attempts + v.retries, next_call_at = v.next,"
    " call_back_volunteer_id = v.by FROM "
    + _rows(id="b_id", retries="b_retries", next="b_next", by="b_by")
    + " WHERE households.id = v.id"
)


def end_holds(conn: Connection, rows: list[dict[str, Any]], now: datetime) -> None:
    document, at = _document(rows), stored_value(now)
    conn.exec_driver_sql(_END_HOUSEHOLD_HOLDS, (document, at))
    conn.exec_driver_sql(_END_ITEM_HOLDS, (at, document, at))


_HOLDS = _rows(id="b_id", rid="b_rid")
_END_HOUSEHOLD_HOLDS = (
    f"UPDATE households SET held_until = NULL FROM {_HOLDS}"
    " WHERE households.id = v.id AND households.reservation_id = v.rid"
    " AND households.held_until > ?"
)
_END_ITEM_HOLDS = (
    f"UPDATE reservation_items SET released_at = ? FROM {_HOLDS}"
    " WHERE reservation_items.household_id = v.id AND reservation_items.reservation_id = v.rid"
    " AND reservation_items.released_at IS NULL AND reservation_items.expires_at > ?"
)
