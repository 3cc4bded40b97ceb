"""A do-not-call file: the phone numbers in it, normalized, and the rows that have none.

    read_dnc_file(path, region="US") -> DncFile(phones, rows, rejected={reason: [(line, cell)]})

Phone columns are found by the names voter files and list vendors use (matched ignoring case,
spaces, `_` and `-`): phone, cell, CellPhone, HomePhone, mobile, phone1, PHONE_NUM,
full_phone_number, "Phone Number"... Every such column counts (a person asking not to be
called means all their numbers). A file without a header is taken when its first row already
holds numbers. The delimiter (comma, tab, semicolon, pipe) is read from the first line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import phonenumbers

from sync.hub.importing.columns import is_phone_column
from sync.hub.importing.phones import normalize_phone
from sync.hub.importing.report import ImportRefused
from sync.hub.importing.source import open_text

DELIMITERS = ",\t;|"
SHOWN = 30  # characters of a bad cell quoted back
BAD_PHONE = "bad phone"
NO_PHONE = "no phone"


@dataclass
class DncFile:
    phones: list[str] = field(default_factory=list)  # E.164, in file order, repeats kept
    rows: int = 0  # data rows read (blank lines not counted)
    # reason -> (line, the cell as written) of every number not taken
    rejected: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)  # the phone columns used
    warnings: list[str] = field(default_factory=list)  # e.g. read as Windows-1252

    @property
    def not_taken(self) -> int:
        return sum(len(lines) for lines in self.rejected.values())


def read_dnc_file(path: str | Path | IO[bytes], region: str = "US") -> DncFile:
    """Every phone number in the file (a path, or an upload's bytes); ImportRefused when
    the file is not usable."""
    region = (region or "US").strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ImportRefused(f"unknown region {region!r}: use a two-letter code such as US")
    found = DncFile()
    with open_text(path, None) as text:
        iterator = iter(text.lines)
        first = next(iterator, None)
        if first is None:
            raise ImportRefused("the file is empty")
        delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","
        reader = csv.reader(_chain(first, iterator), delimiter=delimiter)
        header = next(reader, [])
        columns = [i for i, name in enumerate(header) if is_phone_column(name)]
        if columns:
            found.columns = [header[i].strip() for i in columns]
        else:
            # No header: the columns of the first row that already hold numbers.
            columns = [i for i, cell in enumerate(header) if normalize_phone(cell.strip(), region)]
            if not columns:
                names = ", ".join(repr(n.strip()[:SHOWN]) for n in header[:8] if n.strip())
                raise ImportRefused(
                    f"line 1: no phone column (found {names or 'nothing'}); name it phone, "
                    "cell, mobile, HomePhone or another usual name"
                )
            found.columns = [f"column {i + 1}" for i in columns]
            reader = csv.reader(_chain(first, iterator), delimiter=delimiter)
        for row in reader:
            line = reader.line_num  # lines read so far: where this record ends
            if not any(cell.strip() for cell in row):
                continue
            found.rows += 1
            cells = [row[i].strip() for i in columns if i < len(row) and row[i].strip()]
            if not cells:
                found.rejected.setdefault(NO_PHONE, []).append((line, ""))
                continue
            for cell in cells:
                phone = normalize_phone(cell, region)
                if phone is None:
                    found.rejected.setdefault(BAD_PHONE, []).append((line, cell[:SHOWN]))
                else:
                    found.phones.append(phone.e164)
        found.warnings = list(text.warnings)
    return found


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest
