"""Reading a CSV file: UTF-8 lines with their numbers, the header, the cells of a row."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from sync.hub.importing.report import ImportRefused

REQUIRED = ("first_name", "last_name", "phone")
MAX_LINE_BYTES = 1_000_000  # a longer physical line means this is not a CSV file


@contextmanager
def open_lines(
    source: str | Path | IO[str] | IO[bytes],
) -> Iterator[tuple[Iterable[str], Callable[[], int], int | None]]:
    """Lines of text for the csv module, how far into the file we are, and its size."""
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            raw = path.open("rb")
        except OSError as exc:
            raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}") from None
        with raw:
            yield utf8_lines(raw), raw.tell, path.stat().st_size
    elif isinstance(source, io.TextIOBase):
        yield checked_lines(cast(IO[str], source)), lambda: 0, None
    else:
        binary = cast(IO[bytes], source)
        yield utf8_lines(binary), binary.tell, None


def utf8_lines(raw: IO[bytes]) -> Iterator[str]:
    """Decode line by line (BOM dropped), so a bad byte is reported with its line number."""
    number = 0
    while line := raw.readline(MAX_LINE_BYTES):
        number += 1
        if len(line) == MAX_LINE_BYTES and not line.endswith(b"\n"):
            raise ImportRefused(
                f"line {number} is longer than {MAX_LINE_BYTES // 1_000_000} MB: "
                "this does not look like a CSV file"
            )
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                f"line {number} is not UTF-8 text (byte 0x{line[exc.start]:02x} at "
                f"position {exc.start + 1}); save the file as CSV UTF-8 and try again"
            ) from None
        if "\x00" in text:
            raise _nul_in_line(number)
        yield text.removeprefix("\ufeff") if number == 1 else text


def checked_lines(lines: Iterable[str]) -> Iterator[str]:
    """Text lines as they are, refused at the first NUL character (as for bytes)."""
    for number, text in enumerate(lines, 1):
        if "\x00" in text:
            raise _nul_in_line(number)
        yield text


def _nul_in_line(number: int) -> ImportRefused:
    # Real CSV text never has one; UTF-16 text (a "Unicode text" export) is full of them.
    return ImportRefused(
        f"line {number} contains a NUL character: this looks like UTF-16 or a binary file, "
        "not CSV text; save the file as CSV UTF-8 and try again"
    )


@dataclass
class Columns:
    """Where the fields are in each row."""

    names: list[str]  # as written, trimmed
    first: int
    last: int
    phone: int
    list_index: int | None
    extra: list[tuple[int, str]]  # (index, name) of the columns kept as extra fields

    @property
    def width(self) -> int:
        return len(self.names)


def read_header(fields: list[str], line: int, list_column: str | None) -> Columns:
    """The columns of the header row `fields`; ImportRefused when it is not usable."""
    names = [f.strip().lstrip("\ufeff").strip() for f in fields]
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        key = name.casefold()
        if not key:
            continue
        if key in index:
            raise ImportRefused(f"line {line}: the column {name!r} appears twice in the header")
        index[key] = i
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        found = ", ".join(repr(n) for n in names[:10] if n) or "nothing"
        hint = ""
        for separator, name in ((";", "semicolons"), ("\t", "tabs")):
            if len(names) == 1 and separator in names[0]:
                hint = f"; the fields seem to be separated by {name}: save it as CSV with commas"
        raise ImportRefused(
            f"line {line}: the header row has no {' or '.join(missing)} column "
            f"(found {found}); first_name, last_name and phone are required{hint}"
        )
    list_index = None
    if list_column is not None:
        list_index = index.get(list_column.strip().casefold())
        if list_index is None:
            raise ImportRefused(
                f"line {line}: the list column {list_column!r} is not in the header row"
            )
    required = {index[c] for c in REQUIRED}
    extra = [(i, names[i]) for i in range(len(names)) if names[i] and i not in required]
    first, last, phone = (index[c] for c in REQUIRED)
    return Columns(names, first, last, phone, list_index, extra)


def cells_of(fields: list[str], width: int) -> list[str]:
    """The row's fields trimmed, in Unicode NFC, padded to the header's width."""
    cells = [f.strip() for f in fields[:width]]
    if len(cells) < width:
        cells.extend([""] * (width - len(cells)))
    return [c if c.isascii() else unicodedata.normalize("NFC", c) for c in cells]
