"""Reading a contacts file into checked records: decoding, CSV, the header, each row's names,
phones and list, and duplicates within the file. No database: it runs in the importing
process for a small file, and for a large one in a second process while the first inserts
(records.py), so both cores work on a large import (bench/notes.md, import_1m_csv).

`read_file` yields, in file order:
- `Header(columns, delimiter)` once, before any row;
- `Chunk(rows, position, decimals, dropped)`: up to `chunk_rows` records, each a `Good` or a
  `Bad`, with how far into the file the reader is and the chunk's spreadsheet counts;
- `End(encoding, warnings)` last.
An unusable file raises `ImportRefused` (in the second process, it is sent and raised again).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NamedTuple

from sync.hub.importing.columns import Columns, cells_of, read_header
from sync.hub.importing.names import split_name
from sync.hub.importing.phones import (
    Phone,
    normalize_phone,
    split_extension,
    spreadsheet_decimal,
    spreadsheet_rounded,
)
from sync.hub.importing.report import ImportRefused
from sync.hub.importing.source import open_text, sniff

MAX_NAME = 200  # the width of the name and list name columns
MAX_SOURCE_ID = 64
MAX_AS_IMPORTED = 64

# (phone, as written, the stored entry {"e164", "as_imported", "extension", "kind"})
PhoneFound = tuple[Phone, str, dict[str, str]]


@dataclass(frozen=True)
class ReadOptions:
    """How to read the file (all plain values: they are sent to the second process)."""

    region: str
    list_name: str | None
    list_column: str | None
    mapping: list[tuple[str, str]]
    delimiter: str | None  # None: sniffed
    encoding: str | None  # None: detected
    columns: list[str] | None  # --columns: a file without a header row
    id_column: str | None
    chunk_rows: int = 5000  # records a chunk (the importer's CHUNK_ROWS)


class Good(NamedTuple):
    """A row to import: checked, and not a duplicate of an earlier row of its list."""

    line: int
    first: str
    last: str
    phones: list[PhoneFound]  # at least one, in column order
    source_id: str | None
    list_name: str
    extra: dict[str, str]


class Bad(NamedTuple):
    """A rejected row: where it starts, why, and its fields for the rejects file."""

    line: int
    kind: str  # "bad phone", "missing name", "duplicate"...
    reason: str
    fields: list[str]


@dataclass
class Header:
    columns: Columns
    delimiter: str


@dataclass
class Chunk:
    rows: list[Good | Bad]
    position: int  # bytes read so far, for progress
    decimals: int = 0  # phones written as decimals by a spreadsheet, read without the .0
    dropped: int = 0  # rows with a bad phone beside a good one


@dataclass
class End:
    encoding: str
    warnings: list[str] = field(default_factory=list)


def read_file(source: str | Path | IO[str] | IO[bytes], options: ReadOptions) -> Iterator[
    Header | Chunk | End
]:  # fmt: skip
    with open_text(source, options.encoding) as text:
        lines: Iterable[str] = text.lines
        delimiter = options.delimiter
        if delimiter is None:
            delimiter, lines = sniff(lines)
        yield from _Reader(options, delimiter).records(lines, text.position)
        yield End(text.encoding, text.warnings)


class _Reader:
    def __init__(self, options: ReadOptions, delimiter: str) -> None:
        self.options = options
        self.delimiter = delimiter
        self.phone_cache: dict[str, Phone | None] = {}
        # per list name: person (a hash of phone digits and names) -> line; source id -> line
        self.in_file: dict[str, dict[int, int]] = {}
        self.ids_in_file: dict[str, dict[str, int]] = {}
        self.chunk = Chunk([], 0)

    def records(self, lines: Iterable[str], position: object) -> Iterator[Header | Chunk]:
        options = self.options
        # strict: an unclosed quote is an error instead of swallowing the rest of the file
        reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
        last_line = 0
        columns: Columns | None = None
        if options.columns is not None:
            columns = read_header(
                [n.strip() for n in options.columns], 0, list_column=options.list_column,
                id_column=options.id_column, mapping=options.mapping, header=False,
            )  # fmt: skip
            yield Header(columns, self.delimiter)
        try:
            for fields in reader:
                start, last_line = last_line + 1, reader.line_num
                if not (fields and fields[0].strip()) and not "".join(fields).strip():
                    continue  # a blank line (or only delimiters)
                if columns is None:
                    columns = read_header(
                        fields, start, list_column=options.list_column,
                        id_column=options.id_column, mapping=options.mapping,
                    )  # fmt: skip
                    yield Header(columns, self.delimiter)
                    continue
                self.chunk.rows.append(self._row(fields, start, columns))
                if len(self.chunk.rows) >= options.chunk_rows:
                    yield self._sent(position)
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
        if columns is None:
            raise ImportRefused(
                "the file is empty: it needs a header row with first_name, last_name and phone"
            )
        yield self._sent(position)

    def _sent(self, position: object) -> Chunk:
        chunk, self.chunk = self.chunk, Chunk([], 0)
        chunk.position = position() if callable(position) else 0
        return chunk

    def _row(self, fields: list[str], line: int, columns: Columns) -> Good | Bad:
        if len(fields) > columns.width and any(f.strip() for f in fields[columns.width :]):
            what = "the header has" if columns.header else "--columns names"
            return Bad(line, "too many fields", f"{len(fields)} fields, {what} {columns.width}",
                       fields)  # fmt: skip
        cells = cells_of(fields, columns.width)
        problems: list[tuple[str, str]] = []
        if columns.full_name is not None:
            column = columns.names[columns.full_name] or "the name column"
            first, last, name_problem = split_name(cells[columns.full_name], column)
            if name_problem is not None:
                problems.append(("missing name", name_problem))
        else:
            assert columns.first is not None and columns.last is not None
            first, last = cells[columns.first], cells[columns.last]
            if not first or not last:
                which = (
                    "first and last" if not first and not last else "first" if not first else "last"
                )
                problems.append(("missing name", f"missing {which} name"))
        if len(first) > MAX_NAME or len(last) > MAX_NAME:
            problems.append(("name too long", f"name longer than {MAX_NAME} characters"))
        phones, phone_problem = self._phones(cells, columns)
        if phone_problem is not None:
            problems.append(phone_problem)
        source_id = cells[columns.source_id] if columns.source_id is not None else ""
        if len(source_id) > MAX_SOURCE_ID:
            problems.append(("bad id", f"id longer than {MAX_SOURCE_ID} characters"))
        if columns.list_index is not None:
            list_name = cells[columns.list_index]
            if not list_name:
                problems.append(
                    ("missing list", f"missing {self.options.list_column} (the list column)")
                )
            elif len(list_name) > MAX_NAME:
                problems.append(("missing list", f"list name longer than {MAX_NAME} characters"))
        else:
            list_name = self.options.list_name or "Contacts"
        if problems:
            return Bad(line, problems[0][0], "; ".join(p for _, p in problems), fields)
        in_file = self.in_file.setdefault(list_name, {})
        ids_in_file = self.ids_in_file.setdefault(list_name, {})
        # A hash, not the tuple: one int a person (history.person_key's rule) keeps memory low.
        person = hash((int(phones[0][0].e164[1:]), first.casefold(), last.casefold()))
        seen = ids_in_file.get(source_id) if source_id else None
        if seen is None:
            seen = in_file.get(person)
        if seen is not None:
            return Bad(line, "duplicate", f"duplicate of line {seen}", fields)
        in_file[person] = line
        if source_id:
            ids_in_file[source_id] = line
        extra = {name: cells[i] for i, name in columns.extra if cells[i]}
        return Good(line, first, last, phones, source_id or None, list_name, extra)

    def _phones(
        self, cells: list[str], columns: Columns
    ) -> tuple[list[PhoneFound], tuple[str, str] | None]:
        """The row's valid phones in column order, and the problem when there is none."""
        found: list[PhoneFound] = []
        numbers: list[str] = []
        first_bad: tuple[str, str] | None = None
        for spec in columns.phones:
            if len(spec.parts) == 1:
                raw = cells[spec.parts[0]]
            else:
                raw = " ".join(
                    (f"x{cells[p]}" if p == spec.extension_part else cells[p])
                    for p in spec.parts
                    if cells[p]
                )
            if not raw:
                continue
            number, extension = split_extension(raw)
            if not extension and spec.extension_column is not None:
                extension = cells[spec.extension_column]
            decimal = spreadsheet_decimal(number)
            if decimal is not None:
                number = decimal
                self.chunk.decimals += 1
            phone = None if spreadsheet_rounded(number) else self._phone(number)
            if phone is None:
                if first_bad is None:
                    first_bad = ("bad phone", _bad_phone(raw, spec.label, len(columns.phones)))
                continue
            if phone.e164 in numbers:
                continue  # the same number in two columns (VAN's Phone is often CellPhone)
            numbers.append(phone.e164)
            entry = {"e164": phone.e164, "as_imported": raw[:MAX_AS_IMPORTED],
                     "extension": extension, "kind": spec.kind}  # fmt: skip
            found.append((phone, raw, entry))
        if found:
            if first_bad is not None:
                self.chunk.dropped += 1
            return found, None
        if first_bad is not None:
            return [], first_bad
        return [], ("bad phone", "missing phone")

    def _phone(self, raw: str) -> Phone | None:
        # Households repeat numbers; a small cache saves parsing them again.
        if raw in self.phone_cache:
            return self.phone_cache[raw]
        phone = normalize_phone(raw, self.options.region)
        if len(self.phone_cache) > 4096:
            self.phone_cache.clear()
        self.phone_cache[raw] = phone
        return phone


def _bad_phone(raw: str, column: str, columns: int) -> str:
    shown = repr(raw[:40])
    where = f" in {column}" if columns > 1 else ""
    if spreadsheet_rounded(split_extension(raw)[0]):
        return (
            f"bad phone {shown}{where}: a spreadsheet turned the number into a rounded "
            "one and its last digits are lost; format the column as Text and export again"
        )
    return f"bad phone {shown}{where}"
