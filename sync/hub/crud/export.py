"""A campaign's results as CSV, streamed: one row per stored result, quarantined ones included.

Columns: the result and who it is about, then one column per script question (the union over
every published version, in script order: version 1's questions first, then questions later
versions added), then the call's details. Cells a spreadsheet would read as a formula get a
leading `'` (CSV injection); plain numbers such as +16145550123 are left as they are.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from sync.hub.models import CallList, CallResult, Contact, ScriptVersion, User

LEADING_COLUMNS = (
    "result_id",
    "received_at",
    "status",
    "contact_id",
    "first_name",
    "last_name",
    "phone",
    "list",
    "volunteer_name",
    "volunteer_email",
    "disposition",
)
TRAILING_COLUMNS = (
    "notes",
    "started_at",
    "ended_at",
    "call_back_at",
    "script_version",
    "timing",
    "flagged",
    "supersedes",
    "quarantined",
    "quarantine_reason",
    "other_answers",  # JSON of answers to questions no script version has (quarantined rows)
)
ROWS_PER_CHUNK = 500
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value: str) -> str:
    """Defuse a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first)."""
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def question_ids(session: Session, campaign_id: int) -> list[str]:
    """Every question id of the campaign's script versions, oldest version's order first."""
    seen: dict[str, None] = {}
    versions = session.exec(
        select(ScriptVersion.questions)
        .where(ScriptVersion.campaign_id == campaign_id)
        .order_by(col(ScriptVersion.version))
    )
    for questions in versions:
        for question in questions or []:
            if isinstance(question, dict) and isinstance(question.get("id"), str):
                seen.setdefault(question["id"], None)
    return list(seen)


def header(questions: list[str]) -> list[str]:
    fixed = set(LEADING_COLUMNS) | set(TRAILING_COLUMNS)
    # A question id that is also a fixed column's name (e.g. "notes") gets a prefix.
    named = [f"question:{q}" if q in fixed else q for q in questions]
    return [*LEADING_COLUMNS, *named, *TRAILING_COLUMNS]


def iter_export_csv(session: Session, campaign_id: int) -> Iterator[str]:
    """The CSV text in chunks of ROWS_PER_CHUNK rows, read from the database as it goes.

    Ends `session`'s transaction before each page (nothing is written).
    """
    questions = question_ids(session, campaign_id)
    # Only a volunteer's own correction supersedes a result: naming someone else's id must
    # not hide their call from the organizers.
    original = aliased(CallResult)
    corrected = session.exec(
        select(CallResult.supersedes)
        .join(original, col(original.id) == col(CallResult.supersedes))
        .where(
            CallResult.campaign_id == campaign_id,
            col(CallResult.supersedes).is_not(None),
            col(CallResult.quarantined).is_(False),
            original.volunteer_id == CallResult.volunteer_id,
        )
    )
    superseded = {result_id for result_id in corrected if result_id}
    session.rollback()  # end the read: SQLite readers hold the database lock
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header(questions))
    last_seq = 0
    while True:
        # Keyset pages, each in its own short transaction, so a long export never holds
        # the database (SQLite has one writer) while the rows travel to the client.
        page = session.execute(_page(campaign_id, last_seq)).all()
        for result, first, last, phone, list_name, volunteer, email in page:
            writer.writerow(
                [
                    safe_cell(_text(cell))
                    for cell in _cells(
                        result,
                        (first, last, phone, list_name, volunteer, email),
                        questions,
                        superseded,
                    )
                ]
            )
        last_seq = page[-1][0].seq if page else last_seq
        session.rollback()
        session.expunge_all()
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(page) < ROWS_PER_CHUNK:
            return


def _page(campaign_id: int, after_seq: int) -> Select[CallResult, str, str, str, str, str, str]:
    return (
        sa_select(
            CallResult,
            col(Contact.first_name),
            col(Contact.last_name),
            col(Contact.phone),
            col(CallList.name),
            col(User.name),
            col(User.email),
        )
        .outerjoin(Contact, col(Contact.id) == CallResult.contact_id)
        .outerjoin(CallList, col(CallList.id) == Contact.call_list_id)
        .outerjoin(User, col(User.id) == CallResult.volunteer_id)
        .where(col(CallResult.campaign_id) == campaign_id, col(CallResult.seq) > after_seq)
        .order_by(col(CallResult.seq))
        .limit(ROWS_PER_CHUNK)
    )


def _cells(
    result: CallResult, about: tuple[Any, ...], questions: list[str], superseded: set[str]
) -> list[Any]:
    answers = result.answers if isinstance(result.answers, dict) else {}
    if result.quarantined:
        status = "quarantined"
    elif result.id in superseded:
        status = "superseded"
    else:
        status = "current"
    known = set(questions)
    other = {k: v for k, v in answers.items() if k not in known}
    first, last, phone, list_name, volunteer, email = about
    return [
        result.id,
        _time(result.received_at),
        status,
        result.contact_id,
        first,
        last,
        phone,
        list_name,
        volunteer,
        email,
        result.disposition,
        *(_answer(answers.get(q)) for q in questions),
        result.notes,
        _time(result.started_at),
        _time(result.ended_at),
        _time(result.call_back_at),
        result.script_version,
        result.timing,
        _flag(result.flagged),
        result.supersedes,
        _flag(result.quarantined),
        result.quarantine_reason,
        json.dumps(other, ensure_ascii=False, sort_keys=True) if other else "",
    ]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _time(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat() if value is not None else ""


def _flag(value: bool | None) -> str:
    return "true" if value else "false"


def _answer(value: Any) -> str:
    """How an answer reads in a cell: several choices joined with '; ', yes/no as words."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_answer(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
