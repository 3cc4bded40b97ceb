"""Helpers for the hostile-input tests: the database as data, and Hypothesis settings."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import text
from sqlalchemy.engine import Engine

# Every table an import or a script publication may write.
TABLES = ("campaigns", "call_lists", "households", "contacts", "do_not_call", "script_versions")


def db_state(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of those tables, in id order: equal before and after means untouched."""
    with engine.connect() as conn:
        return {
            table: [tuple(row) for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
            for table in TABLES
        }


def new_list_rows(engine: Engine, list_name: str) -> list[tuple[str, str, str]]:
    """(first name, last name, phone) of every contact in the list called `list_name`."""
    sql = text(
        "SELECT c.first_name, c.last_name, c.phone FROM contacts c "
        "JOIN call_lists l ON l.id = c.call_list_id WHERE l.name = :name"
    )
    with engine.connect() as conn:
        return [(str(a), str(b), str(c)) for a, b, c in conn.execute(sql, {"name": list_name})]


def assert_clear(message: str) -> None:
    """A sentence for a person: not empty, no traceback, no Python internals."""
    assert message.strip(), "empty message"
    for internal in ("Traceback", "Error:", 'File "', "0x7f", "universal-newline"):
        assert internal not in message, message


def examples(short: int, long: int) -> pytest.MarkDecorator:
    """Parametrize a fuzz test: `short` examples in make test, `long` under -m slow."""
    return pytest.mark.parametrize(
        "examples", [short, pytest.param(long, marks=pytest.mark.slow)], ids=["short", "long"]
    )


def fuzz_settings(examples: int, *, short: bool) -> settings:
    """The short pass is the same every run (derandomized); the long one explores."""
    return settings(
        max_examples=examples,
        derandomize=short,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
