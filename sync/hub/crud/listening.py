"""What voters said: free-text answers and volunteers' notes, newest first, and the counts
of each choice answer, for the console's listening report.

An item is one piece of text: a result's notes, or its answer to a `text` question. Results
are read newest call first (by when the call ended, then arrival) in keyset pages, each page
one short read; a page's cursor is the last result's `seq`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from typing import cast as typed

from sqlalchemy import Select, Text, cast, exists, func, or_, tuple_
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from sync.hub import word_search
from sync.hub.crud import choice_tallies
from sync.hub.crud.campaigns import _reused_if_large  # the shared "large campaign" cache
from sync.hub.models import CallList, CallResult, Contact, ScriptVersion, StarredItem, User
from sync.protocol import Question

NOTES = "notes"  # the `question` filter's value for volunteers' notes
PAGE_SIZE = 50
CHOICE_KINDS = ("choice", "multi", "yesno", "scale")


@dataclass(frozen=True)
class Filters:
    list_id: int | None = None
    question: str | None = None  # NOTES, a text question's id, or None for all
    search: str = ""
    starred_only: bool = False


@dataclass(frozen=True)
class Item:
    seq: int
    result_id: str
    question_id: str  # NOTES for a note
    question: str  # "Note" or the question's text
    text: str
    list_name: str
    contact: str
    volunteer: str
    called_at: datetime
    starred: bool


@dataclass(frozen=True)
class ChoiceCounts:
    question: Question
    counts: list[tuple[str, int]]  # (label, count), in the script's order of options
    answered: int


def questions(session: Session, campaign_id: int) -> list[Question]:
    """Every question of the campaign's scripts, the newest version's wording winning, in
    the order of the newest version (questions only older versions had come last)."""
    versions = session.exec(
        select(ScriptVersion.questions)
        .where(ScriptVersion.campaign_id == campaign_id)
        .order_by(col(ScriptVersion.version).desc())
    ).all()
    found: dict[str, Question] = {}
    for version in versions:
        for raw in version or []:
            try:
                question = Question.model_validate(raw)
            except ValueError:
                continue
            found.setdefault(question.id, question)
    return list(found.values())


def text_questions(all_questions: list[Question]) -> list[Question]:
    return [q for q in all_questions if q.kind == "text"]


def _answer(question_id: str) -> ColumnElement[Any]:
    return col(CallResult.answers)[question_id].as_string()


def _has_text(expression: ColumnElement[Any]) -> ColumnElement[bool]:
    return (expression.is_not(None)) & (expression != "")


def _contains(expression: ColumnElement[Any], term: str) -> ColumnElement[bool]:
    return func.lower(expression).contains(term.lower(), autoescape=True)


def _where(
    campaign_id: int, texts: list[Question], filters: Filters, dialect: str
) -> list[ColumnElement[bool]]:
    fields: list[ColumnElement[Any]] = []
    notes = typed(ColumnElement[Any], col(CallResult.notes))
    if filters.question in (None, NOTES):
        fields.append(notes)
    answered = [q for q in texts if filters.question in (None, q.id)]
    fields += [_answer(q.id) for q in answered]
    conditions = [
        col(CallResult.campaign_id) == campaign_id,
        col(CallResult.quarantined) == False,  # noqa: E712
        or_(*(_has_text(f) for f in fields)) if fields else col(CallResult.seq) < 0,
    ]
    if filters.search:
        conditions.append(or_(*(_contains(f, filters.search) for f in fields)))
        if answered:  # notes alone: the condition above is already the indexed one
            answers = typed(ColumnElement[Any], col(CallResult.answers))
            indexed = word_search.search_prefilter(
                filters.search, dialect, notes if filters.question is None else None, answers
            )
            if indexed is not None:
                conditions.append(indexed)
    if filters.list_id is not None:
        conditions.append(col(Contact.call_list_id) == filters.list_id)
    if filters.starred_only:
        conditions.append(_starred())
    return conditions


def _starred() -> ColumnElement[bool]:
    return exists().where(
        col(StarredItem.kind) == "result", col(StarredItem.item_id) == col(CallResult.id)
    )


Cursor = tuple[datetime, int]  # (ended_at, seq) of the last result shown


def _page(
    session: Session,
    campaign_id: int,
    texts: list[Question],
    filters: Filters,
    before: Cursor | None,
    limit: int,
) -> Select[CallResult, str, str, str, str, bool]:
    statement = (
        sa_select(
            CallResult,
            col(Contact.first_name),
            col(Contact.last_name),
            col(CallList.name),
            col(User.name),
            _starred().label("starred"),
        )
        .outerjoin(Contact, col(Contact.id) == col(CallResult.contact_id))
        .outerjoin(CallList, col(CallList.id) == col(Contact.call_list_id))
        .outerjoin(User, col(User.id) == col(CallResult.volunteer_id))
        .where(*_where(campaign_id, texts, filters, session.get_bind().dialect.name))
        .order_by(col(CallResult.ended_at).desc(), col(CallResult.seq).desc())
        .limit(limit)
    )
    if before is not None:
        ended_at, seq = before
        statement = statement.where(
            (col(CallResult.ended_at) < ended_at)
            | ((col(CallResult.ended_at) == ended_at) & (col(CallResult.seq) < seq))
        )
    return statement


def cursor_of(session: Session, campaign_id: int, seq: int) -> Cursor | None:
    """The keyset position of result `seq` (a page's `before`), if it is the campaign's."""
    ended_at = session.exec(
        select(CallResult.ended_at).where(
            CallResult.seq == seq, CallResult.campaign_id == campaign_id
        )
    ).first()
    return (ended_at, seq) if ended_at is not None else None


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _items_of(row: Any, texts: list[Question], filters: Filters) -> list[Item]:
    result, first, last, list_name, volunteer, starred = row
    answers = result.answers if isinstance(result.answers, dict) else {}
    pieces: list[tuple[str, str, str]] = []
    if filters.question in (None, NOTES) and result.notes:
        pieces.append((NOTES, "Note", result.notes))
    for question in texts:
        if filters.question in (None, question.id):
            text = _text_of(answers.get(question.id)).strip()
            if text:
                pieces.append((question.id, question.text, text))
    term = filters.search.lower()
    return [
        Item(
            seq=result.seq,
            result_id=result.id,
            question_id=question_id,
            question=question_text,
            text=text,
            list_name=list_name or "",
            contact=" ".join(p for p in (first, last) if p) or "(unknown contact)",
            volunteer=volunteer or "",
            called_at=result.ended_at,
            starred=bool(starred),
        )
        for question_id, question_text, text in pieces
        if not term or term in text.lower()
    ]


def items(
    session: Session,
    campaign_id: int,
    filters: Filters,
    *,
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> tuple[list[Item], int | None]:
    """A page of items, newest first, and the `before` of the next (older) page, if any.

    `before` is the `seq` of the last result of the page before (an unknown one: the start).
    """
    texts = text_questions(questions(session, campaign_id))
    cursor = cursor_of(session, campaign_id, before) if before is not None else None
    rows = session.execute(_page(session, campaign_id, texts, filters, cursor, limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    found = [item for row in rows for item in _items_of(row, texts, filters)]
    return found, (rows[-1][0].seq if more and rows else None)


def iter_items(session: Session, campaign_id: int, filters: Filters) -> Iterator[Item]:
    """Every item of the view, newest first, each page of results in its own short read."""
    texts = text_questions(questions(session, campaign_id))
    before: Cursor | None = None
    while True:
        rows = session.execute(_page(session, campaign_id, texts, filters, before, 500)).all()
        session.rollback()  # end the read: SQLite readers hold the database lock
        for row in rows:
            yield from _items_of(row, texts, filters)
        if len(rows) < 500:
            return
        before = (rows[-1][0].ended_at, rows[-1][0].seq)


# ---------------------------------------------------------------- choice answers


def _normalized(question: Question, raw: Any) -> list[str]:
    """The option values one stored answer stands for (a multi answer is several)."""
    if raw is None:
        return []
    value: Any = raw
    if isinstance(raw, str) and raw[:1] in ("[", '"'):
        try:
            value = json.loads(raw)  # SQLite hands JSON arrays back as text
        except ValueError:
            value = raw
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if question.kind == "yesno" and str(v).lower() in ("true", "1", "yes"):
            out.append("yes")
        elif question.kind == "yesno" and str(v).lower() in ("false", "0", "no"):
            out.append("no")
        else:
            out.append(str(v))
    return out


def _raw_counts(
    session: Session, campaign_id: int, chosen: list[Question], list_id: int | None
) -> list[list[tuple[Any, int]]]:
    """(stored answer, results) for each question: one pass over the campaign's results on
    PostgreSQL (GROUPING SETS), one per question on SQLite (which has none)."""
    answers = [_answer(q.id) for q in chosen]
    where = [
        col(CallResult.campaign_id) == campaign_id,
        col(CallResult.quarantined) == False,  # noqa: E712
    ]

    def scoped(statement: Select[Any]) -> Select[Any]:
        if list_id is None:
            return statement
        return statement.join(Contact, col(Contact.id) == col(CallResult.contact_id)).where(
            col(Contact.call_list_id) == list_id
        )

    if session.get_bind().dialect.name != "postgresql":
        return [
            [
                (raw, int(n))
                for raw, n in session.execute(
                    scoped(
                        sa_select(answer, func.count())
                        .select_from(CallResult)
                        .where(*where, answer.is_not(None))
                        .group_by(answer)
                    )
                ).all()
            ]
            for answer in answers
        ]
    # Each result's JSON parsed once (as jsonb, in a subquery PostgreSQL may not inline:
    # OFFSET 0), not once per question; results without answers are skipped unparsed.
    parsed = scoped(
        sa_select(cast(col(CallResult.answers), JSONB).label("a"))
        .select_from(CallResult)
        .where(*where, cast(col(CallResult.answers), Text) != "{}")
        .offset(0)
    ).subquery()
    answers = [parsed.c.a[q.id].astext for q in chosen]
    statement = (
        sa_select(*answers, *(func.grouping(a) for a in answers), func.count())
        .select_from(parsed)
        .group_by(func.grouping_sets(*(tuple_(a) for a in answers)))
    )
    found: list[list[tuple[Any, int]]] = [[] for _ in chosen]
    width = len(chosen)
    for row in session.execute(statement).all():
        for i in range(width):
            if row[width + i] == 0 and row[i] is not None:  # this row is question i's group
                found[i].append((row[i], int(row[-1])))
    return found


def choice_counts(
    session: Session,
    campaign_id: int,
    all_questions: list[Question],
    list_id: int | None = None,
    *,
    from_results: bool = False,
) -> list[ChoiceCounts]:
    """How many results gave each answer, for every choice, multi, yes/no and scale question.

    `from_results`: counted from the results even for the whole campaign (what the running
    counts of `choice_tallies` must equal; tests compare the two)."""
    chosen = [q for q in all_questions if q.kind in CHOICE_KINDS]
    if not chosen:
        return []
    raw: list[list[tuple[Any, int]]]
    if list_id is None and not from_results:  # the running counts: a few hundred rows
        raw = list(choice_tallies.counts(session, campaign_id, [q.id for q in chosen]))
    else:  # one list's, counted from its results (reused a while on a large campaign)
        raw = _reused_if_large(
            f"listening:{','.join(q.id for q in chosen)}:{list_id}",
            session,
            campaign_id,
            lambda: _raw_counts(session, campaign_id, chosen, list_id),
            lambda per_question: sum(n for rows in per_question for _, n in rows),
        )
    found = []
    for question, rows in zip(chosen, raw, strict=True):
        tally: Counter[str] = Counter()
        answered = 0
        for stored, n in sorted(rows, key=lambda row: str(row[0])):  # ties in one order
            values = _normalized(question, stored)
            answered += n if values else 0
            for value in values:
                tally[value] += n
        labels = [(o.value, o.label) for o in question.choices()]
        known = {value for value, _ in labels}
        counts = [(label, tally.get(value, 0)) for value, label in labels]
        counts += [(value, n) for value, n in tally.most_common() if value not in known]
        found.append(ChoiceCounts(question, counts, answered))
    return found
