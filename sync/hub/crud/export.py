"""A campaign's results as CSV, streamed, in the shape organizers load back into their tools.

    export_results(session, campaign_id, out, format="standard" | "van", include_all=False)
    iter_export(session, campaign_id, ...)        # the same text in chunks (HTTP streaming)

By default only current results: a result its own volunteer corrected since (superseded) and
quarantined results appear only with `include_all`, marked in the `status` column.

- standard: the result and who it is about (the voter file's source id and the phone as the
  file wrote it beside E.164), the call's local date and time in the contact's zone beside UTC
  (ISO 8601 with offset, whole seconds), then two columns per script question, the answer's
  code and its label from the version the result used (the union of every version's
  questions, oldest version's order first), then the call's details.
- van: the layout NGP VAN's bulk upload takes (docs/hub.md): VanID first, date canvassed,
  contact type, phone, result code, one column per survey question (answer labels), notes.
  A result whose contact has no source id cannot be matched by VAN and is left out (counted).

Cells a spreadsheet would run as a formula get a leading `'` (CSV injection); plain numbers
and phone numbers such as +1 614-555-0123 are left as they are.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import IO, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import Select
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from sync.hub.models import CallList, CallResult, Contact, ScriptVersion, User
from sync.protocol import Disposition, Question, QuestionKind

ExportFormat = Literal["standard", "van"]
FORMATS: tuple[ExportFormat, ...] = ("standard", "van")

LEADING_COLUMNS = (
    "result_id",
    "status",  # current | superseded | quarantined
    "source_id",
    "contact_id",
    "first_name",
    "last_name",
    "phone",
    "phone_as_imported",
    "list",
    "volunteer_name",
    "volunteer_email",
    "disposition",
    "call_date",  # in the contact's time zone
    "started_local",
    "time_zone",
    "started_utc",
    "ended_utc",
)
TRAILING_COLUMNS = (
    "notes",
    "call_back_utc",
    "script_version",
    "script_language",  # the language the script was read in (its own for older laptops)
    "heard_language",  # language_barrier: the language the voter spoke, when the caller said
    "timing",
    "flagged",
    "supersedes",
    "quarantine_reason",
    "other_answers",  # JSON of answers to questions no script version has (quarantined rows)
    "received_utc",
)
LABEL_SUFFIX = "_label"

# Our dispositions as VAN canvass result names (VAN's "Canvassed" means a conversation).
VAN_RESULTS = {
    Disposition.contacted: "Canvassed",
    Disposition.no_answer: "Not Home",
    Disposition.busy: "Busy",
    Disposition.left_message: "Left Message",
    Disposition.wrong_number: "Wrong Number",
    Disposition.disconnected: "Disconnected",
    Disposition.refused: "Refused",
    Disposition.deceased: "Deceased",
    Disposition.do_not_call: "Do Not Call",
    Disposition.call_back: "Call Back",
    Disposition.language_barrier: "Language Barrier",
}
VAN_LEADING = ("VanID", "DateCanvassed", "ContactType", "Phone", "ResultCode")
VAN_TRAILING = ("Notes",)
VAN_CONTACT_TYPE = "Phone"

ROWS_PER_CHUNK = 500
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_PHONE = re.compile(r"\+\d[\d ().-]*")


def safe_cell(value: str) -> str:
    """Defuse a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first)."""
    if (
        value.startswith(_FORMULA_START)
        and not _PLAIN_NUMBER.fullmatch(value)
        and not _PHONE.fullmatch(value)
    ):
        return "'" + value
    return value


@dataclass
class ExportSummary:
    rows: int = 0  # results written
    without_source_id: int = 0  # van: results left out, their contact has no source id


class Versions:
    """The campaign's script versions: question order for the columns, labels per version."""

    def __init__(self, session: Session, campaign_id: int) -> None:
        seen: dict[str, None] = {}
        # version -> question id -> (kind, value -> label)
        self.labels: dict[int, dict[str, tuple[QuestionKind, dict[str, str]]]] = {}
        self.languages: dict[int, str] = {}  # version -> the script's own language
        rows = session.exec(
            select(ScriptVersion.version, ScriptVersion.questions, ScriptVersion.language)
            .where(ScriptVersion.campaign_id == campaign_id)
            .order_by(col(ScriptVersion.version))
        )
        for version, questions, language in rows:
            self.languages[version] = language
            known = self.labels.setdefault(version, {})
            for raw in questions or []:
                if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
                    continue
                seen.setdefault(raw["id"], None)
                try:
                    question = Question.model_validate(raw)
                except ValidationError:
                    continue
                known[question.id] = (
                    question.kind,
                    {option.value: option.label for option in question.choices()},
                )
        self.question_ids = list(seen)
        self.known = frozenset(seen)

    def label(self, version: int, question_id: str, value: Any) -> str:
        kind_labels = self.labels.get(version, {}).get(question_id)
        if value is None or kind_labels is None:
            return ""
        kind, labels = kind_labels
        if kind == QuestionKind.text:
            return _answer(value)
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(_answer(v), _answer(v)) for v in values)


def header(questions: list[str]) -> list[str]:
    """The standard header: a question id that is also another column's name gets a prefix."""
    taken = set(LEADING_COLUMNS) | set(TRAILING_COLUMNS)
    named = []
    for q in questions:
        name = q if q not in taken and q + LABEL_SUFFIX not in taken else f"question:{q}"
        named += [name, name + LABEL_SUFFIX]
        taken |= {name, name + LABEL_SUFFIX}
    return [*LEADING_COLUMNS, *named, *TRAILING_COLUMNS]


def van_header(questions: list[str]) -> list[str]:
    taken = {name.casefold() for name in (*VAN_LEADING, *VAN_TRAILING)}
    named = [q if q.casefold() not in taken else f"question:{q}" for q in questions]
    return [*VAN_LEADING, *named, *VAN_TRAILING]


def export_results(
    session: Session,
    campaign_id: int,
    out: IO[str],
    *,
    format: ExportFormat = "standard",
    include_all: bool = False,
) -> ExportSummary:
    """Write the campaign's results as CSV text to `out`; what was written (and left out)."""
    summary = ExportSummary()
    for chunk in iter_export(
        session, campaign_id, format=format, include_all=include_all, summary=summary
    ):
        out.write(chunk)
    return summary


def iter_export(
    session: Session,
    campaign_id: int,
    *,
    format: ExportFormat = "standard",
    include_all: bool = False,
    summary: ExportSummary | None = None,
) -> Iterator[str]:
    """The CSV text in chunks of ROWS_PER_CHUNK results, read from the database as it goes.

    Ends `session`'s transaction before each page (nothing is written).
    """
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r} (expected standard or van)")
    if format == "van" and include_all:
        raise ValueError("the VAN layout holds current results only; --all is for standard")
    summary = summary if summary is not None else ExportSummary()
    versions = Versions(session, campaign_id)
    superseded = _superseded(session, campaign_id)
    session.rollback()  # end the read: SQLite readers hold the database lock
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    questions = versions.question_ids
    writer.writerow(header(questions) if format == "standard" else van_header(questions))
    last_seq = 0
    while True:
        # Keyset pages, each in its own short transaction, so a long export never holds
        # the database (SQLite has one writer) while the rows travel to the client.
        page = session.execute(_page(campaign_id, last_seq, include_all)).all()
        for row in page:
            result: CallResult = row[0]
            status = _status(result, superseded)
            if status == "superseded" and not include_all:
                continue
            if format == "van":
                if not row.source_id:
                    summary.without_source_id += 1
                    continue
                cells = _van_cells(result, row, versions)
            else:
                cells = _cells(result, row, status, versions)
            writer.writerow([safe_cell(_text(cell)) for cell in cells])
            summary.rows += 1
        last_seq = page[-1][0].seq if page else last_seq
        session.rollback()
        session.expunge_all()
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(page) < ROWS_PER_CHUNK:
            return


def _superseded(session: Session, campaign_id: int) -> set[str]:
    """Results corrected since. Only a volunteer's own correction supersedes a result: naming
    someone else's id must not hide their call from the organizers."""
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
    return {result_id for result_id in corrected if result_id}


def _page(campaign_id: int, after_seq: int, include_all: bool) -> Select[*tuple[Any, ...]]:
    query: Select[*tuple[Any, ...]] = (
        sa_select(
            CallResult,
            col(Contact.first_name),
            col(Contact.last_name),
            col(Contact.phone),
            col(Contact.phone_as_imported),
            col(Contact.phones),
            col(Contact.source_id),
            col(Contact.timezone),
            col(CallList.name).label("list_name"),
            col(User.name).label("volunteer"),
            col(User.email),
        )
        .outerjoin(Contact, col(Contact.id) == CallResult.contact_id)
        .outerjoin(CallList, col(CallList.id) == Contact.call_list_id)
        .outerjoin(User, col(User.id) == CallResult.volunteer_id)
        .where(col(CallResult.campaign_id) == campaign_id, col(CallResult.seq) > after_seq)
        .order_by(col(CallResult.seq))
        .limit(ROWS_PER_CHUNK)
    )
    if not include_all:
        query = query.where(col(CallResult.quarantined).is_(False))
    return query


def _status(result: CallResult, superseded: set[str]) -> str:
    if result.quarantined:
        return "quarantined"
    return "superseded" if result.id in superseded else "current"


def _cells(result: CallResult, row: Any, status: str, versions: Versions) -> list[Any]:
    answers = result.answers if isinstance(result.answers, dict) else {}
    zone = _zone(row.timezone)
    started = result.started_at.astimezone(zone)
    other = {k: v for k, v in answers.items() if k not in versions.known}
    per_question = []
    for q in versions.question_ids:
        value = answers.get(q)
        per_question += [_answer(value), versions.label(result.script_version, q, value)]
    return [
        result.id,
        status,
        row.source_id,
        result.contact_id,
        row.first_name,
        row.last_name,
        *_dialed(result, row),
        row.list_name,
        row.volunteer,
        row.email,
        result.disposition,
        started.date().isoformat(),
        _time(started),
        row.timezone,
        _time(result.started_at.astimezone(UTC)),
        _time(result.ended_at.astimezone(UTC)),
        *per_question,
        result.notes,
        _time(result.call_back_at.astimezone(UTC)) if result.call_back_at else "",
        result.script_version,
        result.language or versions.languages.get(result.script_version, ""),
        result.heard_language,
        result.timing,
        "true" if result.flagged else "false",
        result.supersedes,
        result.quarantine_reason,
        json.dumps(other, ensure_ascii=False, sort_keys=True) if other else "",
        _time(result.received_at.astimezone(UTC)),
    ]


def _van_cells(result: CallResult, row: Any, versions: Versions) -> list[Any]:
    answers = result.answers if isinstance(result.answers, dict) else {}
    started = result.started_at.astimezone(_zone(row.timezone))
    try:
        code = VAN_RESULTS[Disposition(result.disposition)]
    except ValueError:
        code = result.disposition
    return [
        row.source_id,
        started.strftime("%m/%d/%Y"),
        VAN_CONTACT_TYPE,
        _dialed(result, row)[1] or _dialed(result, row)[0],
        code,
        *(versions.label(result.script_version, q, answers.get(q)) for q in versions.question_ids),
        result.notes,
    ]


def _dialed(result: CallResult, row: Any) -> tuple[str, str]:
    """The number called (E.164) and as the file wrote it: the one the laptop said it dialed,
    else (older laptops) the contact's household number."""
    dialed = result.dialed_phone
    if dialed is None or dialed == row.phone:
        return row.phone or "", row.phone_as_imported or ""
    for entry in row.phones or []:
        if entry.get("e164") == dialed:
            return dialed, entry.get("as_imported", "")
    return dialed, ""


@lru_cache(maxsize=512)
def _zone(name: str | None) -> tzinfo:
    """The contact's zone; UTC when the name is unknown here (the UTC columns still say it)."""
    try:
        return ZoneInfo(name) if name else UTC
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return UTC


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _time(value: datetime) -> str:
    """ISO 8601 with the offset, whole seconds."""
    return value.replace(microsecond=0).isoformat()


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
