"""Import contacts from a voter file or list export into a campaign's call lists.

The file is streamed: rows are read and checked (parse.py; a large file by a second process,
records.py), good rows are inserted in chunks, and only what deduplication needs (phone ->
household id, a hash per person, source ids) is kept per list. All good rows go into the
caller's transaction; the caller commits (or rolls back on any error, so a refused file or a
database failure stores nothing). `check=True` does all of it against the database and rolls
back: the report says what an import would do.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any, cast

import phonenumbers
from sqlalchemy import Table, bindparam, exists, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, select

from sync.hub.crud.campaigns import get_or_create_list
from sync.hub.importing.bulk import (
    ANALYZE_AFTER_ROWS,
    BYTES_PER_ROW,
    big_sqlite_cache,
    bulk_insert,
    indexes_built_after,
    new_ids,
    refresh_statistics,
)
from sync.hub.importing.columns import Columns, parse_map
from sync.hub.importing.history import FINAL, WRONG_NUMBER, History, load_history, person_key
from sync.hub.importing.parse import (
    MAX_AS_IMPORTED,
    MAX_NAME,
    Bad,
    Chunk,
    End,
    Good,
    Header,
    PhoneFound,
    ReadOptions,
)
from sync.hub.importing.phones import Phone
from sync.hub.importing.records import records
from sync.hub.importing.report import (
    MAX_KEPT_REJECTS,
    ImportProgress,
    ImportRefused,
    ImportReport,
    RejectedRow,
)
from sync.hub.importing.source import delimiter_of
from sync.hub.models import CallList, Campaign, DoNotCall, Household
from sync.hub.types import utcnow

_HOUSEHOLDS: Table = SQLModel.metadata.tables["households"]
_CONTACTS: Table = SQLModel.metadata.tables["contacts"]
CHUNK_ROWS = 5000  # rows read, and rows inserted, at a time
_KEPT_INDEXES = frozenset({"ix_contacts_call_list_id"})


@dataclass
class _ListState:
    """What deduplication needs for one list: bounded by its distinct phones and people."""

    call_list: CallList
    households: dict[int, int]  # phone digits -> household id
    known_people: dict[int, int]  # person key -> contact id, from earlier imports
    known_ids: dict[str, int]  # source id -> contact id, from earlier imports
    known_content: dict[int, int]  # contact id -> hash of what the row said
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
    mapping: list[str] | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    columns: list[str] | None = None,
    id_column: str | None = None,
    check: bool = False,
    progress: Callable[[ImportProgress], None] | None = None,
    on_reject: Callable[[RejectedRow, list[str]], None] | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Import the contacts in `source` (a path or a stream) into `campaign_id`'s lists.

    All rows go to `list_name`, or to the list named by each row's `list_column`, or else to
    a list named after the file (its stem; "Contacts" for a stream). `mapping` is
    ["FIELD=COLUMN", ...] (`phone=AREA+NUMBER` joins columns); `delimiter` (`,` tab `;` `|`,
    or their names) overrides the sniffed one; `encoding` overrides the detected one;
    `columns` names the columns of a file without a header row; `id_column` is the voter-file
    id. Raises `ImportRefused` for an unusable file or campaign; the caller must then roll
    back its transaction. With `check`, this rolls the session back itself before returning.
    """
    if list_name is not None and list_column is not None:
        raise ImportRefused("give either a list name or a list column, not both")
    if list_name is not None and not list_name.strip():
        raise ImportRefused("the list name is empty")
    region = (region or "US").strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ImportRefused(f"unknown region {region!r}: use a two-letter code such as US")
    if columns is not None and not [c for c in columns if c.strip()]:
        raise ImportRefused("--columns is empty: name the file's columns, e.g. first_name,...")
    parsed_map = parse_map(mapping)
    forced_delimiter = delimiter_of(delimiter)
    if session.get(Campaign, campaign_id) is None:
        raise ImportRefused(f"there is no campaign with id {campaign_id}")
    if list_name is None and list_column is None:
        list_name = Path(source).stem if isinstance(source, str | Path) else "Contacts"
    if list_name is not None and len(list_name.strip()) > MAX_NAME:
        raise ImportRefused(f"the list name {list_name[:40]!r}... is longer than {MAX_NAME}")
    run = _Import(session, campaign_id, list_name, list_column, progress, on_reject)
    run.report.checked = check
    if now is not None:
        run.now = now
    options = ReadOptions(region, run.list_name, list_column, parsed_map, forced_delimiter,
                          encoding, columns, id_column, CHUNK_ROWS)  # fmt: skip
    total = _size(source)
    with records(source, options) as messages, big_sqlite_cache(session):
        run.read(messages, total)
    if check:
        session.rollback()
    return run.report


class _Import:
    def __init__(
        self,
        session: Session,
        campaign_id: int,
        list_name: str | None,
        list_column: str | None,
        progress: Callable[[ImportProgress], None] | None,
        on_reject: Callable[[RejectedRow, list[str]], None] | None,
    ) -> None:
        self.session = session
        self.campaign_id = campaign_id
        self.list_name = list_name.strip() if list_name else None
        self.list_column = list_column
        self.progress = progress
        self.on_reject = on_reject
        self.report = ImportReport()
        self.lists: dict[str, _ListState] = {}
        self.pending: list[dict[str, Any]] = []  # contacts waiting for the next chunk insert
        self.updates: list[dict[str, Any]] = []  # people already in a list, changed
        self.new_households: dict[tuple[int, int], dict[str, Any]] = {}
        self.waits: dict[tuple[int, int], datetime] = {}  # (list, digits) -> not before
        self.now = utcnow()
        self.history: History | None = None
        self.close_empty = False  # held-back people or moved ones may leave households empty
        self.last_household_id: int | None = None
        # The do-not-call list, read once: a person's household is keyed on their first
        # number not on it (one listed is never dialed); a campaign's list is small.
        self.listed: set[str] = set(session.scalars(select(DoNotCall.phone)))

    # ------------------------------------------------------------------ reading

    def read(self, messages: Iterable[Header | Chunk | End], total: int | None) -> None:
        """Import the checked records of the file (parse.py), in file order."""
        # The indexes the import's own reads need stay: a new list's people by list, and
        # (built again before `_finish`) the households' people.
        expected = (total or 0) // BYTES_PER_ROW
        tables = [_HOUSEHOLDS, _CONTACTS]
        with indexes_built_after(self.session, tables, expected, keep=_KEPT_INDEXES):
            self._read(messages, total)
            self._flush()
        self._finish()
        if self.report.contacts >= ANALYZE_AFTER_ROWS and not self.report.checked:
            refresh_statistics(self.session, tables)

    def _read(self, messages: Iterable[Header | Chunk | End], total: int | None) -> None:
        report = self.report
        position = 0
        for message in messages:
            if isinstance(message, Chunk):
                report.spreadsheet_decimals += message.decimals
                report.dropped_phones += message.dropped
                for record in message.rows:
                    report.rows += 1
                    if isinstance(record, Bad):
                        self._reject(record.line, record.kind, record.reason, record.fields)
                    else:
                        self._row(record)
                position = message.position
                if self.progress:
                    self.progress(ImportProgress(report.rows, position, total))
            elif isinstance(message, Header):
                self._describe(message.columns)
                report.delimiter = message.delimiter
            else:
                report.encoding = message.encoding
                report.warnings[:0] = message.warnings

    def _describe(self, columns: Columns) -> None:
        self.report.header = columns.names
        self.report.phone_columns = [p.label for p in columns.phones]
        if columns.source_id is not None:
            self.report.source_id_column = columns.names[columns.source_id]
        if columns.full_name is not None:
            self.report.name_column = columns.names[columns.full_name]

    def _row(self, record: Good) -> None:
        report = self.report
        _, first, last, phones, sid, list_name, extra = record
        state = self._list(list_name)
        list_id = cast(int, state.call_list.id)
        primary, as_imported, _ = self._household_number(phones)
        digits = int(primary.e164[1:])
        known_id = state.known_ids.get(sid) if sid else None
        if known_id is None:
            known_id = state.known_people.get(person_key(digits, first, last))
        if known_id is None and primary is not phones[0][0]:
            # Imported before their first number was listed: keyed on it then.
            known_id = state.known_people.get(person_key(int(phones[0][0].e164[1:]), first, last))
        held: str | None = None
        if known_id is None:  # new to this list: what does the rest of the campaign know?
            held, phones = self._apply_history(list_id, sid, phones, first, last)
            primary, as_imported, _ = self._household_number(phones)
            digits = int(primary.e164[1:])
        if self.listed and len(phones) > 1 and primary.e164 not in self.listed:
            report.listed_numbers += sum(1 for p in phones if p[0].e164 in self.listed)
        row = {
            "call_list_id": list_id,
            "campaign_id": self.campaign_id,
            "first_name": first,
            "last_name": last,
            "phone": primary.e164,
            "timezone": primary.timezone,
            "extra": extra,
            "source_id": sid,
            "phone_as_imported": as_imported[:MAX_AS_IMPORTED],
            "phones": [entry for _, _, entry in phones],
            "_digits": digits,
        }
        if known_id is not None:
            content = _content_hash(row)
            if state.known_content.get(known_id) == content:
                report.unchanged += 1
                return
            state.known_content[known_id] = content
            row["_id"] = known_id
            self._household_for(state, digits, primary)
            self.updates.append(row)
            report.updated += 1
            self.close_empty = True
        else:
            if held is not None:
                row["_state"] = FINAL.get(held, "bad")
                report.held_back[held] = report.held_back.get(held, 0) + 1
                self.close_empty = True
            self._household_for(state, digits, primary)
            self.pending.append(row)
            report.lists[list_name] = report.lists.get(list_name, 0) + 1
        if len(self.pending) + len(self.updates) >= CHUNK_ROWS:
            self._flush()

    def _household_number(self, phones: list[PhoneFound]) -> PhoneFound:
        """The number a person's household is keyed on and dialed first: their first one not
        on the do-not-call list (all listed: the first, and they are do-not-call)."""
        if self.listed:
            for found in phones:
                if found[0].e164 not in self.listed:
                    return found
        return phones[0]

    def _apply_history(
        self,
        list_id: int,
        source_id: str | None,
        phones: list[PhoneFound],
        first: str,
        last: str,
    ) -> tuple[str | None, list[PhoneFound]]:
        if self.history is None:
            self.history = load_history(self.session, self.campaign_id, self.now)
        if not self.history.by_id and not self.history.by_person:
            return None, phones
        digits = [int(p.e164[1:]) for p, _, _ in phones]
        known = self.history.of(source_id, digits, first, last)
        if known is None:
            return None, phones
        if known.final is not None:
            return known.final, phones
        usable = [p for p in phones if p[0].e164 not in known.bad_phones]
        if not usable:
            return WRONG_NUMBER, phones
        if known.until is not None:
            key = (list_id, int(usable[0][0].e164[1:]))
            if key not in self.waits or self.waits[key] < known.until:
                self.waits[key] = known.until
            why = known.why_wait
            self.report.held_back[why] = self.report.held_back.get(why, 0) + 1
        return None, usable

    def _reject(self, line: int, kind: str, reason: str, fields: list[str]) -> None:
        rejected = RejectedRow(line, reason, fields, kind)
        self.report.rejected += 1
        self.report.reasons[kind] = self.report.reasons.get(kind, 0) + 1
        if len(self.report.rejects) < MAX_KEPT_REJECTS:
            self.report.rejects.append(rejected)
        if self.on_reject:
            self.on_reject(rejected, self.report.header)

    # ------------------------------------------------------------------ writing

    def _list(self, name: str) -> _ListState:
        state = self.lists.get(name)
        if state is None:
            call_list = get_or_create_list(self.session, self.campaign_id, name)
            state = _ListState(call_list, {}, {}, {}, {})
            rows = self.session.exec(
                select(Household.id, Household.phone).where(Household.call_list_id == call_list.id)
            )
            for household_id, phone in rows:
                state.households[int(phone[1:])] = cast(int, household_id)
            state.first_new_id = max(state.households.values(), default=0) + 1
            c = _CONTACTS.c
            people = self.session.connection().execute(
                sa_select(c.id, c.phone, c.first_name, c.last_name, c.source_id, c.extra,
                          c.phones, c.phone_as_imported).where(c.call_list_id == call_list.id)
            )  # fmt: skip
            for contact_id, phone, first, last, sid, extra, phones, as_imported in people:
                contact_id = cast(int, contact_id)
                state.known_people[person_key(int(phone[1:]), first, last)] = contact_id
                if sid:
                    state.known_ids[sid] = contact_id
                state.known_content[contact_id] = _content_hash(
                    {"first_name": first, "last_name": last, "phone": phone, "extra": extra,
                     "source_id": sid, "phones": phones, "phone_as_imported": as_imported}
                )  # fmt: skip
            self.lists[name] = state
        return state

    def _household_for(self, state: _ListState, digits: int, phone: Phone) -> None:
        list_id = cast(int, state.call_list.id)
        if digits not in state.households and (list_id, digits) not in self.new_households:
            self.new_households[(list_id, digits)] = {
                "campaign_id": self.campaign_id,
                "call_list_id": list_id,
                "phone": phone.e164,
                "timezone": phone.timezone,
            }

    def _flush(self) -> None:
        if not self.pending and not self.updates:
            return
        session = self.session
        dnc = self.listed
        by_list = {state.call_list.id: state for state in self.lists.values()}
        if self.new_households:
            rows = list(self.new_households.values())
            # Ids given here, not read back: RETURNING row by row, or a query through the
            # (list, phone) index afterwards, cost more than the insert.
            ids = new_ids(session, _HOUSEHOLDS, len(rows), self.last_household_id)
            self.last_household_id = ids[-1]
            for (list_id, digits), row, household_id in zip(
                self.new_households, rows, ids, strict=True
            ):
                row["id"] = household_id
                row["state"] = "dnc" if row["phone"] in dnc else "open"
                by_list[list_id].households[digits] = household_id
            bulk_insert(session, _HOUSEHOLDS, rows)
            self.report.households_created += len(rows)
            self.new_households.clear()
        for row in self.pending:
            state = by_list[row["call_list_id"]]
            household_id = state.households[row.pop("_digits")]
            row["household_id"] = household_id
            held = row.pop("_state", "open")
            row["state"] = "dnc" if row["phone"] in dnc else held
            if household_id < state.first_new_id and household_id not in state.reused:
                state.reused.add(household_id)
                self.report.households_reused += 1
        if self.pending:
            bulk_insert(session, _CONTACTS, self.pending)
        self.report.contacts += len(self.pending)
        self.report.do_not_call += sum(1 for row in self.pending if row["state"] == "dnc")
        self.pending.clear()
        if self.updates:
            self._update_people(by_list)

    def _update_people(self, by_list: dict[int | None, _ListState]) -> None:
        rows = []
        for row in self.updates:
            state = by_list[row["call_list_id"]]
            rows.append(
                {
                    "b_id": row["_id"],
                    "b_household": state.households[row["_digits"]],
                    **{f"b_{name}": row[name] for name in _UPDATED},
                }
            )
        contacts = _CONTACTS
        self.session.connection().execute(
            update(contacts)
            .where(contacts.c.id == bindparam("b_id"))
            .values(
                household_id=bindparam("b_household"),
                **{name: bindparam(f"b_{name}", type_=contacts.c[name].type) for name in _UPDATED},
            ),
            rows,
        )
        self.updates.clear()

    def _finish(self) -> None:
        """Wait times from the campaign's history; households left with nobody to call."""
        session = self.session
        if self.waits:
            rows = []
            for (list_id, digits), until in self.waits.items():
                state = next(s for s in self.lists.values() if s.call_list.id == list_id)
                rows.append({"b_id": state.households[digits], "b_until": until})
            households = _HOUSEHOLDS
            next_call = households.c.next_call_at
            session.connection().execute(
                update(households)
                .where(
                    households.c.id == bindparam("b_id"),
                    (next_call.is_(None)) | (next_call < bindparam("b_until")),
                )
                .values(next_call_at=bindparam("b_until", type_=next_call.type)),
                rows,
            )
        if self.close_empty and self.lists:
            households, contacts = _HOUSEHOLDS, _CONTACTS
            someone_open = exists().where(
                contacts.c.household_id == households.c.id, contacts.c.state == "open"
            )
            session.connection().execute(
                update(households)
                .where(
                    households.c.call_list_id.in_([s.call_list.id for s in self.lists.values()]),
                    households.c.state == "open",
                    ~someone_open,
                )
                .values(state="done")
            )


_UPDATED = ("first_name", "last_name", "phone", "timezone", "extra", "source_id",
            "phone_as_imported", "phones")  # fmt: skip


def _size(source: str | Path | IO[str] | IO[bytes]) -> int | None:
    """The file's size for progress (None for a stream, or a path reading will refuse)."""
    try:
        return Path(source).stat().st_size if isinstance(source, str | Path) else None
    except OSError:
        return None


def _content_hash(row: dict[str, Any]) -> int:
    """What a row says about a person, to tell an unchanged re-import from a changed one."""
    phones = tuple(tuple(sorted(p.items())) for p in (row["phones"] or []))
    extra = json.dumps(row["extra"] or {}, sort_keys=True)
    return hash((row["first_name"], row["last_name"], row["phone"], extra, row["source_id"],
                 phones, row["phone_as_imported"]))  # fmt: skip
