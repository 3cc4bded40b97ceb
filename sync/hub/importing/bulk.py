"""Writing many rows fast: driver-level bulk inserts and a big SQLite page cache."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

import orjson
import psycopg
from sqlalchemy import JSON, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

SQLITE_IMPORT_CACHE_KIB = 128 * 1024  # released when the import ends


@contextmanager
def big_sqlite_cache(session: Session) -> Iterator[None]:
    """Give SQLite a large page cache while importing: index inserts then stay in memory."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(previous or -2000)}")


# Bytes of a voter-file row, about (bench: 78 bytes a row): to tell from the file's size
# whether an import brings more rows than a table already has.
BYTES_PER_ROW = 60


@contextmanager
def indexes_built_after(
    session: Session, tables: list[Table], rows: int, *, keep: frozenset[str] = frozenset()
) -> Iterator[None]:
    """SQLite: when the import brings more rows (`rows`, an estimate) than a table holds,
    drop its secondary indexes for the import and build them again at the end: one sorted
    build per index instead of a million scattered b-tree inserts (bench/notes.md). In the
    import's transaction: readers see the indexes throughout (WAL), and an import that
    fails or only checks rolls the drop back with everything else. The unique constraints'
    own indexes stay (they keep the rows right), and those named in `keep`."""
    connection = session.connection()
    if connection.dialect.name != "sqlite" or rows <= 0:
        yield
        return
    dropped: list[str] = []
    for table in tables:
        held = connection.exec_driver_sql(f"SELECT count(*) FROM {table.name}").scalar() or 0
        if held >= rows:
            continue
        for name, sql in connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
            " AND sql IS NOT NULL",
            (table.name,),
        ).all():
            if name in keep:
                continue
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
            dropped.append(sql)
    yield
    for sql in dropped:
        connection.exec_driver_sql(sql)


# An import adding this many people refreshes the planner's statistics itself (PostgreSQL).
ANALYZE_AFTER_ROWS = 10_000


def refresh_statistics(session: Session, tables: list[Table]) -> None:
    """PostgreSQL: ANALYZE the tables a large import filled, in its transaction (it counts
    the transaction's own new rows; a rollback drops the new statistics too). Otherwise the
    planner keeps what autovacuum saw mid-import, or nothing, until its next pass, and plans
    every sync round's join of contacts to the held households as a scan of the whole table
    (bench/notes-hub.md, session 8: 18 of a round's 22 ms of PostgreSQL)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"ANALYZE {', '.join(table.name for table in tables)}")


def new_ids(session: Session, table: Table, count: int, after: int | None) -> list[int]:
    """`count` ids for new rows of `table`, so they need not be read back after the insert.

    PostgreSQL: from the table's sequence. SQLite: after the largest id (`after`, the last
    id this import gave, or else read now), as SQLite itself would number them: the import
    holds the database's write lock from its first statement (BEGIN IMMEDIATE)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return sorted(
            connection.exec_driver_sql(
                f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id'))"
                " FROM generate_series(1, %(n)s)",
                {"n": count},
            ).scalars()
        )
    if after is None:
        sql = f"SELECT coalesce(max(id), 0) FROM {table.name}"
        after = int(connection.exec_driver_sql(sql).scalar() or 0)
    return list(range(after + 1, after + 1 + count))


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows at the driver level: COPY on PostgreSQL, a plain executemany on SQLite.

    About a fifth of a large import's time goes here, and SQLAlchemy's per-row parameter
    processing is most of it; the values are plain str/int/None (extra fields and phones as
    JSON text), so the driver can take them as they are.
    """
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect not in ("postgresql", "sqlite"):
        session.execute(insert(table), rows)
        return
    # Neither path sees Python-side column defaults: give every column a value.
    defaults = {
        c.name: getattr(c.default, "arg", None)
        if c.default is not None and c.default.is_scalar
        else None
        for c in table.columns
        if not c.primary_key or (rows and c.name in rows[0])  # ids from new_ids
    }
    names = list(defaults)
    pick = itemgetter(*names)
    json_at = [i for i, c in enumerate(names) if isinstance(table.c[c].type, JSON)]

    def as_values(row: dict[str, Any]) -> tuple[Any, ...]:
        values = list(pick(defaults | row))  # C-speed: the per-value loop was most of it
        for i in json_at:
            if values[i] is not None:
                values[i] = orjson.dumps(values[i]).decode()
        return tuple(values)

    values = map(as_values, rows)
    if dialect == "sqlite":
        marks = ", ".join("?" * len(names))
        connection.exec_driver_sql(
            f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", list(values)
        )
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row_values in values:
                copy.write_row(row_values)
    except psycopg.Error as exc:  # as SQLAlchemy would have raised it, for callers to handle
        raise DBAPIError(statement, None, exc) from exc
