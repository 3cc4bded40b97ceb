"""Running counts of the answers given to each question, for the listening report's choice
counts (`crud/listening.choice_counts`) over a whole campaign.

Counting them from the results read every answered result of the campaign (1.9 s at 1M
results, bench/notes-hub.md); results are append-only and whether one counts (not
quarantined) is decided when it is stored, so the counts only grow. `add_results` adds a
batch's stored results in the transaction that stores them (crud/results calls it once per
batch, beside `result_tallies.add_results`); rows are per volunteer, as the result tallies,
so two volunteers' uploads never wait on one row. The report then reads a few hundred rows.

An answer is kept as the text PostgreSQL's `answers->>'question'` gives (what the report
counted before, and normalizes the same way: a multi answer is its JSON list). Strings
longer than an option's value can be (script_file: 100 characters) are free text, never a
choice, and are not counted. The per-list view still counts from the results (a list merge
moves people between lists; these counts are campaign-wide).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Text, cast, func
from sqlalchemy import delete as sa_delete
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import sqlite
from sqlmodel import Session, col

from sync.hub.models import CallResult, ChoiceTally

MAX_CHOICE = 100  # script_file._RawOption: an option's value is at most this long
MAX_QUESTION = 64  # script_file._RawQuestion: a question id is at most this long

Key = tuple[int, str, str, int]  # campaign, question, answer as text, volunteer


def answer_text(value: Any) -> str | None:
    """The answer as `->>` spells it on PostgreSQL; None for no answer or free text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if len(value) <= MAX_CHOICE else None
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)  # numbers; a multi answer's list


def _count(counts: dict[Key, int], campaign: int, volunteer: int, answers: Any) -> None:
    if not isinstance(answers, dict):
        return
    for question, value in answers.items():
        text = answer_text(value)
        if text is not None and len(question) <= MAX_QUESTION:
            counts[(campaign, question, text, volunteer)] += 1


def add_results(session: Session, volunteer_id: int, rows: Iterable[dict[str, Any]]) -> None:
    """Count the answers of the results this transaction has just stored (`call_results`
    rows as inserted); quarantined results are not counted."""
    counts: dict[Key, int] = defaultdict(int)
    for row in rows:
        if not row["quarantined"] and row["campaign_id"] is not None:
            _count(counts, int(row["campaign_id"]), volunteer_id, row["answers"])
    if counts:
        _upsert(session, counts)


def _upsert(session: Session, counts: dict[Key, int]) -> None:
    values = [
        {"campaign_id": c, "question_id": q, "answer": a, "volunteer_id": v, "n": n}
        for (c, q, a, v), n in sorted(counts.items())  # one lock order for every batch
    ]
    if session.get_bind().dialect.name == "postgresql":
        # One statement, the rows as one JSON parameter (as crud/results inserts results).
        document = json.dumps(values, ensure_ascii=False)
        session.connection().exec_driver_sql(_PG_UPSERT, {"rows": document})
        return
    session.connection().execute(_SQLITE_UPSERT, values)


def _sqlite_upsert() -> Any:
    table = ChoiceTally.__table__  # type: ignore[attr-defined]
    insert = sqlite.insert(table)
    return insert.on_conflict_do_update(
        index_elements=["campaign_id", "question_id", "answer", "volunteer_id"],
        set_={"n": table.c.n + insert.excluded.n},
    )


_SQLITE_UPSERT = _sqlite_upsert()  # built once, as result_tallies' upsert
_PG_UPSERT = (
    "INSERT INTO choice_tallies (campaign_id, question_id, answer, volunteer_id, n)"
    " SELECT campaign_id, question_id, answer, volunteer_id, n"
    " FROM json_to_recordset(%(rows)s::json)"
    " AS r(campaign_id integer, question_id varchar, answer varchar, volunteer_id integer,"
    " n bigint)"
    " ON CONFLICT (campaign_id, question_id, answer, volunteer_id) DO UPDATE"
    " SET n = choice_tallies.n + excluded.n"
)


def counts(
    session: Session, campaign_id: int, question_ids: list[str]
) -> list[list[tuple[str, int]]]:
    """(answer as text, results) for each question, as `listening._raw_counts` counts them
    over the whole campaign."""
    found: dict[str, list[tuple[str, int]]] = {q: [] for q in question_ids}
    rows = session.execute(
        sa_select(
            col(ChoiceTally.question_id), col(ChoiceTally.answer), func.sum(col(ChoiceTally.n))
        )
        .where(
            col(ChoiceTally.campaign_id) == campaign_id,
            col(ChoiceTally.question_id).in_(question_ids),
        )
        .group_by(col(ChoiceTally.question_id), col(ChoiceTally.answer))
    ).all()
    for question, answer, n in rows:
        found[question].append((answer, int(n)))
    return [found[q] for q in question_ids]


def rebuild(session: Session, campaign_id: int) -> None:
    """Recount the campaign's answers from its results (results written around the hub,
    e.g. by a benchmark's seeding, or a repair). Does not commit."""
    table = ChoiceTally.__table__  # type: ignore[attr-defined]
    session.execute(sa_delete(table).where(table.c.campaign_id == campaign_id))
    tally: dict[Key, int] = defaultdict(int)
    results = session.execute(
        sa_select(col(CallResult.volunteer_id), col(CallResult.answers))
        .where(
            col(CallResult.campaign_id) == campaign_id,
            col(CallResult.quarantined).is_(False),
            cast(col(CallResult.answers), Text) != "{}",  # most results: skipped unparsed
        )
        .execution_options(yield_per=10_000)
    )
    for volunteer, answers in results:
        _count(tally, campaign_id, int(volunteer), answers)
    if tally:
        session.connection().execute(
            table.insert(),
            [
                {"campaign_id": c, "question_id": q, "answer": a, "volunteer_id": v, "n": n}
                for (c, q, a, v), n in tally.items()
            ],
        )
