"""Trigram indexes for the listening report's word search (PostgreSQL with pg_trgm).

Searching words is `lower(text) LIKE '%word%'` over notes and text answers: without an index
a rare word reads the whole campaign (1.3 s at 1M results, bench/notes-hub.md). A GIN
`gin_trgm_ops` index answers such a LIKE from the word's trigrams. Notes are indexed as
they are; the text answers live in a JSON object keyed by question id (the text questions
change with the script), so the index is over the whole object as text, and the search adds
a condition on that text which the answer's own condition implies (`search_prefilter`).

Made by the initial migration (the template `migrations/script.py.mako` calls
`create_trigram_indexes`): on PostgreSQL when the extension can be installed (pg_trgm is
trusted since PostgreSQL 13: the database owner may create it; docs/hub.md), else skipped
with the search still correct, only slower. SQLite keeps the plain scan.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Text, cast, func, or_
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement

log = logging.getLogger(__name__)

NOTES_INDEX = "ix_call_results_notes_trgm"
ANSWERS_INDEX = "ix_call_results_answers_trgm"
# jsonb's text form writes every character of a string as it is except `"`, `\` and control
# characters (json's text is the writer's, which may escape any non-ASCII letter as \uXXXX).
_ANSWERS_TEXT = "lower(answers::jsonb::text)"
_INDEXES = {
    NOTES_INDEX: "lower(notes) gin_trgm_ops",
    ANSWERS_INDEX: f"({_ANSWERS_TEXT}) gin_trgm_ops",
}
INDEXES = frozenset(_INDEXES)  # made here, not by the models (migrate.in_models)
_MIN_TERM = 3  # a trigram index cannot narrow a shorter pattern


def create_trigram_indexes(connection: Connection) -> bool:
    """Install pg_trgm and the two indexes if this is PostgreSQL and it can; True if made."""
    if connection.dialect.name != "postgresql":
        return False
    available = connection.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
    ).first()
    if available is None:
        log.warning("pg_trgm is not available: the listening search scans the results")
        return False
    try:
        with connection.begin_nested():  # a refusal must not abort the migration
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError as exc:
        log.warning("pg_trgm not installed (%s): the listening search scans the results", exc)
        return False
    for name, expression in _INDEXES.items():
        connection.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {name} ON call_results USING gin ({expression})"
        )
    return True


def search_prefilter(
    term: str, dialect: str, notes: ColumnElement[Any] | None, answers: ColumnElement[Any]
) -> ColumnElement[bool] | None:
    """A condition the indexes can answer, implied by "the notes (if given) or one of the
    text answers contain `term`" (so adding it changes no result), or None where it would
    not help.

    The answers' condition reads each answer as text (`->>`); the prefilter reads the whole
    object's jsonb text, which holds every string answer's characters as they are unless the
    term has a character jsonb escapes (then: None)."""
    if dialect != "postgresql" or len(term) < _MIN_TERM:
        return None
    if any(c in '"\\' or ord(c) < 0x20 for c in term):
        return None
    term = term.lower()
    whole = func.lower(cast(cast(answers, JSONB), Text))
    parts = [whole.contains(term, autoescape=True)]
    if notes is not None:
        parts.append(func.lower(notes).contains(term, autoescape=True))
    return or_(*parts)
