"""The store's SQL layer: the `sqlite3` module with a small reading API on top.

Statements are SQL text with `:named` parameters (sqlite3 binds them as they are); a list
of parameter mappings runs the statement once per mapping. Results are read with
`scalar()`, `scalar_one()`, `scalars()`, `first()` or `all()` (rows are tuples).
Errors are `sqlite3.Error`; their messages never carry the parameters (names, numbers and
notes stay out of the log).

This replaced SQLAlchemy Core, which the store used only to pass SQL text through: importing
it was about a third of a cold start (bench/notes.md).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

Params = Mapping[str, Any] | Sequence[Any]

Error = sqlite3.Error


class NoRowError(sqlite3.DatabaseError):
    """`scalar_one()` found no row."""


class Result:
    """The rows of one statement (read once)."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        """Rows changed by an INSERT, UPDATE or DELETE (summed over a parameter list)."""
        return self._cursor.rowcount

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._cursor)

    def all(self) -> list[tuple[Any, ...]]:
        return self._cursor.fetchall()

    def first(self) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._cursor.fetchone()
        self._cursor.close()
        return row

    def scalar(self) -> Any:
        """The first column of the first row; None without rows."""
        row = self.first()
        return None if row is None else row[0]

    def scalar_one(self) -> Any:
        """The first column of the first row; NoRowError without rows."""
        row = self.first()
        if row is None:
            raise NoRowError("the statement returned no row")
        return row[0]

    def scalars(self) -> list[Any]:
        """The first column of every row."""
        return [row[0] for row in self._cursor.fetchall()]


class Connection:
    """One pooled sqlite3 connection inside a transaction (`Store.read()`/`write()`)."""

    __slots__ = ("raw",)

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    def execute(
        self, statement: str, params: Params | list[Mapping[str, Any]] | None = None
    ) -> Result:
        """Run `statement`; a list of mappings runs it once for each (executemany)."""
        if params is None:
            return Result(self.raw.execute(statement))
        if isinstance(params, list) and params and isinstance(params[0], Mapping):
            return Result(self.raw.executemany(statement, params))
        return Result(self.raw.execute(statement, params))
