"""Import contacts from CSV into a campaign's call lists.

The file is streamed: rows are checked one by one, good rows are inserted in chunks, and only
what deduplication needs (phone -> household id, and a hash per person) is kept per list. All
good rows go into the caller's transaction; the caller commits (or rolls back on any error, so
a refused file or a database failure stores nothing).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import phonenumbers
from sqlalchemy import Table
from sqlmodel import Session, SQLModel, col, select

from sync.hub.crud.campaigns import get_or_create_list
from sync.hub.importing.bulk import big_sqlite_cache, bulk_insert
from sync.hub.importing.phones import Phone, normalize_phone
from sync.hub.importing.report import (
    MAX_KEPT_REJECTS,
    ImportProgress,
    ImportRefused,
    ImportReport,
    RejectedRow,
)
from sync.hub.importing.source import Columns, cells_of, open_lines, read_header
from sync.hub.models import CallList, Campaign, Contact, DoNotCall, Household

_HOUSEHOLDS: Table = SQLModel.metadata.tables["households"]
_CONTACTS: Table = SQLModel.metadata.tables["contacts"]
CHUNK_ROWS = 5000
MAX_NAME = 200  # the width of the name and list name columns


@dataclass
class _ListState:
    """What deduplication needs for one list: bounded by its distinct phones and people."""

    call_list: CallList
    households: dict[int, int]  # phone digits -> household id
    people: dict[int, int]  # hash of (phone, names) -> line first seen (0: earlier import)
    reused: set[int] = field(default_factory=set)  # earlier households given new people
    first_new_id: int = 0  # households with a smaller id existed before this import


def import_contacts(
    session: Session,
    campaign_id: int,
    source: str | Path | IO[str] | IO[bytes],
    *,
    list_name: str | None = None,
    list_column: str | None = None,
    region: str = "US",
    progress: Callable[[ImportProgress], None] | None = None,
    on_reject: Callable[[RejectedRow, list[str]], None] | None = None,
) -> ImportReport:
    """Import the contacts in `source` (a path or a stream) into `campaign_id`'s lists.

    All rows go to `list_name`, or to the list named by each row's `list_column`, or else to
    a list named after the file (its stem; "Contacts" for a stream). Raises `ImportRefused`
    for an unusable file or campaign; the caller must then roll back its transaction.
    """
    if list_name is not None and list_column is not None:
        raise ImportRefused("give either a list name or a list column, not both")
    if list_name is not None and not list_name.strip():
        raise ImportRefused("the list name is empty")
    region = (region or "US").strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ImportRefused(f"unknown region {region!r}: use a two-letter code such as US")
    if session.get(Campaign, campaign_id) is None:
        raise ImportRefused(f"there is no campaign with id {campaign_id}")
    if list_name is None and list_column is None:
        list_name = Path(source).stem if isinstance(source, str | Path) else "Contacts"
    if list_name is not None and len(list_name.strip()) > MAX_NAME:
        raise ImportRefused(f"the list name {list_name[:40]!r}... is longer than {MAX_NAME}")
    run = _Import(session, campaign_id, region, list_name, list_column, progress, on_reject)
    with open_lines(source) as (text, position, total), big_sqlite_cache(session):
        run.read(text, position, total)
    return run.report


class _Import:
    def __init__(
        self,
        session: Session,
        campaign_id: int,
        region: str,
        list_name: str | None,
        list_column: str | None,
        progress: Callable[[ImportProgress], None] | None,
        on_reject: Callable[[RejectedRow, list[str]], None] | None,
    ) -> None:
        self.session = session
        self.campaign_id = campaign_id
        self.region = region
        self.list_name = list_name.strip() if list_name else None
        self.list_column = list_column
        self.progress = progress
        self.on_reject = on_reject
        self.report = ImportReport()
        self.lists: dict[str, _ListState] = {}
        self.pending: list[dict[str, Any]] = []  # contacts waiting for the next chunk insert
        self.new_households: dict[tuple[int, int], dict[str, Any]] = {}
        self.phone_cache: dict[str, Phone | None] = {}

    # ------------------------------------------------------------------ reading

    def read(self, text: Iterable[str], position: Callable[[], int], total: int | None) -> None:
        # strict: an unclosed quote is an error instead of swallowing the rest of the file
        reader = csv.reader(text, strict=True)
        last_line = 0
        try:
            header_line = 0
            for fields in reader:
                start, last_line = last_line + 1, reader.line_num
                if not any(f.strip() for f in fields):
                    continue
                if not header_line:
                    header_line = start
                    columns = read_header(fields, start, self.list_column)
                    self.report.header = columns.names
                    continue
                self._row(fields, start, columns)
                if self.progress and self.report.rows % CHUNK_ROWS == 0:
                    self.progress(ImportProgress(self.report.rows, position(), total))
        except csv.Error as exc:
            problem = str(exc)
            if "unexpected end of data" in problem:
                problem = "a quoted field starting here is never closed"
            elif "new-line character seen in unquoted field" in problem:
                # Python's own words, about files with old Mac (CR only) line breaks.
                problem = (
                    "a line break (CR) inside a field that is not in quotes; "
                    "save the file as CSV UTF-8 and try again"
                )
            raise ImportRefused(f"line {last_line + 1}: not readable as CSV ({problem})") from None
        if not header_line:
            raise ImportRefused(
                "the file is empty: it needs a header row with first_name, last_name and phone"
            )
        self._flush()
        if self.progress:
            self.progress(ImportProgress(self.report.rows, position(), total))

    def _row(self, fields: list[str], line: int, columns: Columns) -> None:
        report = self.report
        report.rows += 1
        if len(fields) > columns.width and any(f.strip() for f in fields[columns.width :]):
            self._reject(line, f"{len(fields)} fields, the header has {columns.width}", fields)
            return
        cells = cells_of(fields, columns.width)
        first, last, raw_phone = cells[columns.first], cells[columns.last], cells[columns.phone]
        problems = []
        if not first and not last:
            problems.append("missing first and last name")
        elif not first:
            problems.append("missing first name")
        elif not last:
            problems.append("missing last name")
        if len(first) > MAX_NAME or len(last) > MAX_NAME:
            problems.append(f"name longer than {MAX_NAME} characters")
        phone = None
        if not raw_phone:
            problems.append("missing phone")
        else:
            phone = self._phone(raw_phone)
            if phone is None:
                problems.append(f"bad phone {raw_phone[:40]!r}")
        if columns.list_index is not None:
            list_name = cells[columns.list_index]
            if not list_name:
                problems.append(f"missing {self.list_column} (the list column)")
            elif len(list_name) > MAX_NAME:
                problems.append(f"list name longer than {MAX_NAME} characters")
        else:
            list_name = self.list_name or "Contacts"
        if problems or phone is None:
            self._reject(line, "; ".join(problems), fields)
            return
        state = self._list(list_name)
        digits = int(phone.e164[1:])
        person = hash((digits, first.casefold(), last.casefold()))
        seen = state.people.get(person)
        if seen is not None:
            where = f"line {seen}" if seen else f"a contact already in list {list_name!r}"
            self._reject(line, f"duplicate of {where}", fields)
            return
        state.people[person] = line
        list_id = state.call_list.id
        assert list_id is not None
        if digits not in state.households and (list_id, digits) not in self.new_households:
            self.new_households[(list_id, digits)] = {
                "campaign_id": self.campaign_id,
                "call_list_id": list_id,
                "phone": phone.e164,
                "timezone": phone.timezone,
            }
        extra = {name: cells[i] for i, name in columns.extra if cells[i]}
        self.pending.append(
            {
                "call_list_id": list_id,
                "campaign_id": self.campaign_id,
                "first_name": first,
                "last_name": last,
                "phone": phone.e164,
                "timezone": phone.timezone,
                "extra": extra,
                "_digits": digits,
            }
        )
        report.lists[list_name] = report.lists.get(list_name, 0) + 1
        if len(self.pending) >= CHUNK_ROWS:
            self._flush()

    def _phone(self, raw: str) -> Phone | None:
        # Households repeat numbers; a small cache saves parsing them again.
        if raw in self.phone_cache:
            return self.phone_cache[raw]
        phone = normalize_phone(raw, self.region)
        if len(self.phone_cache) > 4096:
            self.phone_cache.clear()
        self.phone_cache[raw] = phone
        return phone

    def _reject(self, line: int, reason: str, fields: list[str]) -> None:
        rejected = RejectedRow(line, reason, fields)
        self.report.rejected += 1
        if len(self.report.rejects) < MAX_KEPT_REJECTS:
            self.report.rejects.append(rejected)
        if self.on_reject:
            self.on_reject(rejected, self.report.header)

    # ------------------------------------------------------------------ writing

    def _list(self, name: str) -> _ListState:
        state = self.lists.get(name)
        if state is None:
            call_list = get_or_create_list(self.session, self.campaign_id, name)
            state = _ListState(call_list, {}, {})
            rows = self.session.exec(
                select(Household.id, Household.phone).where(Household.call_list_id == call_list.id)
            )
            for household_id, phone in rows:
                state.households[int(phone[1:])] = cast(int, household_id)
            state.first_new_id = max(state.households.values(), default=0) + 1
            people = self.session.exec(
                select(Contact.phone, Contact.first_name, Contact.last_name).where(
                    Contact.call_list_id == call_list.id
                )
            )
            for phone, first, last in people:
                state.people[hash((int(phone[1:]), first.casefold(), last.casefold()))] = 0
            self.lists[name] = state
        return state

    def _flush(self) -> None:
        if not self.pending:
            return
        session = self.session
        phones = {row["phone"] for row in self.pending}
        dnc = set(session.scalars(select(DoNotCall.phone).where(col(DoNotCall.phone).in_(phones))))
        by_list = {state.call_list.id: state for state in self.lists.values()}
        if self.new_households:
            rows = list(self.new_households.values())
            for row in rows:
                row["state"] = "dnc" if row["phone"] in dnc else "open"
            # Plain executemany, then read the ids back through the (list, phone) unique
            # index: much faster than RETURNING row by row.
            bulk_insert(session, _HOUSEHOLDS, rows)
            created = session.execute(
                select(_HOUSEHOLDS.c.id, _HOUSEHOLDS.c.call_list_id, _HOUSEHOLDS.c.phone).where(
                    _HOUSEHOLDS.c.call_list_id.in_({row["call_list_id"] for row in rows}),
                    _HOUSEHOLDS.c.phone.in_({row["phone"] for row in rows}),
                )
            )
            for household_id, list_id, phone in created:
                by_list[list_id].households[int(phone[1:])] = household_id
            self.report.households_created += len(rows)
            self.new_households.clear()
        for row in self.pending:
            state = by_list[row["call_list_id"]]
            household_id = state.households[row.pop("_digits")]
            row["household_id"] = household_id
            row["state"] = "dnc" if row["phone"] in dnc else "open"
            if household_id < state.first_new_id and household_id not in state.reused:
                state.reused.add(household_id)
                self.report.households_reused += 1
        bulk_insert(session, _CONTACTS, self.pending)
        self.report.contacts += len(self.pending)
        self.report.do_not_call += sum(1 for row in self.pending if row["state"] == "dnc")
        self.pending.clear()
