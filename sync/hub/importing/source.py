"""Reading a contacts file: text lines in whatever encoding it came in, the delimiter.

UTF-8 (with or without a BOM) and UTF-16 with a BOM are recognised; a line that is not UTF-8
is read as Windows-1252 (what Excel's plain "CSV" writes on Windows), and the import warns
naming the first such line. `encoding=` reads the whole file in the named encoding instead.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, cast

from sync.hub.importing.report import ImportRefused

MAX_LINE_BYTES = 1_000_000  # a longer physical line means this is not a CSV file
DELIMITERS = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}
DELIMITER_NAMES = {"comma": ",", "tab": "\t", "semicolon": ";", "pipe": "|", "\\t": "\t"}


@dataclass
class Text:
    """The file as lines of text, how far in we are, and what the decoding found."""

    lines: Iterable[str]
    position: Callable[[], int]
    total: int | None
    encoding: str = "UTF-8"
    fallback_line: int | None = None  # the first line read as Windows-1252
    warnings: list[str] = field(default_factory=list)


@contextmanager
def open_text(source: str | Path | IO[str] | IO[bytes], encoding: str | None) -> Iterator[Text]:
    """`source` (a path or a stream) as lines of text."""
    if encoding is not None:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise ImportRefused(f"unknown encoding {encoding!r} (try utf-8 or cp1252)") from None
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            raw = path.open("rb")
        except OSError as exc:
            raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}") from None
        with raw:
            yield _decoded(raw, encoding, path.stat().st_size)
    elif isinstance(source, io.TextIOBase):
        yield Text(checked_lines(cast(IO[str], source)), lambda: 0, None)
    else:
        yield _decoded(cast(IO[bytes], source), encoding, None)


def _decoded(raw: IO[bytes], encoding: str | None, total: int | None) -> Text:
    start = b""
    if raw.seekable():  # a pipe cannot be looked into: it is taken as UTF-8
        start = raw.read(4096)
        raw.seek(0)
    if encoding is None and start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    elif encoding is None and b"\x00" in start:  # binary, or UTF-16 without a BOM
        raise _nul_in_line(start[: start.index(b"\x00")].count(b"\n") + 1)
    if encoding is None or encoding == "utf-8":
        text = Text(iter(()), raw.tell, total)
        text.lines = _utf8_or_1252_lines(raw, text, fallback=encoding is None)
        return text
    text = Text(iter(()), raw.tell, total, encoding=encoding.upper())
    text.lines = _lines_in(raw, encoding)
    return text


def _utf8_or_1252_lines(raw: IO[bytes], text: Text, *, fallback: bool) -> Iterator[str]:
    """Line by line (BOM dropped), so a bad byte is reported with its line number."""
    number = 0
    while line := raw.readline(MAX_LINE_BYTES):
        number += 1
        if len(line) == MAX_LINE_BYTES and not line.endswith(b"\n"):
            raise ImportRefused(
                f"line {number} is longer than {MAX_LINE_BYTES // 1_000_000} MB: "
                "this does not look like a CSV file"
            )
        if b"\x00" in line:
            raise _nul_in_line(number)
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            where = f"byte 0x{line[exc.start]:02x} at position {exc.start + 1}"
            if not fallback:
                raise ImportRefused(
                    f"line {number} is not UTF-8 text ({where}); check --encoding"
                ) from None
            try:
                decoded = line.decode("cp1252")
            except UnicodeDecodeError:
                raise ImportRefused(
                    f"line {number} is not UTF-8 text ({where}) nor Windows-1252; "
                    "save the file as CSV UTF-8 and try again"
                ) from None
            if text.fallback_line is None:
                text.fallback_line = number
                text.encoding = "Windows-1252"
                text.warnings.append(
                    f"line {number} is not UTF-8 ({where}): read as Windows-1252, what Excel's "
                    "plain CSV writes; if names look wrong, give --encoding"
                )
        yield decoded.removeprefix("\ufeff") if number == 1 else decoded


def _lines_in(raw: IO[bytes], encoding: str) -> Iterator[str]:
    reader = io.TextIOWrapper(cast(IO[bytes], raw), encoding=encoding, newline="")
    number = 0
    try:
        for number, line in enumerate(reader, 1):
            if "\x00" in line:
                raise _nul_in_line(number)
            yield line.removeprefix("\ufeff") if number == 1 else line
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"near line {number + 1}: not {encoding} text ({exc.reason}); check --encoding"
        ) from None
    finally:
        reader.detach()


def checked_lines(lines: Iterable[str]) -> Iterator[str]:
    """Text lines as they are, refused at the first NUL character (as for bytes)."""
    for number, text in enumerate(lines, 1):
        if "\x00" in text:
            raise _nul_in_line(number)
        yield text


def _nul_in_line(number: int) -> ImportRefused:
    # Real CSV text never has one; UTF-16 without a BOM, or a binary file, is full of them.
    return ImportRefused(
        f"line {number} contains a NUL character: this looks like UTF-16 without a BOM or a "
        "binary file, not CSV text; save the file as CSV UTF-8 (or give --encoding utf-16-le) "
        "and try again"
    )


def delimiter_of(option: str | None) -> str | None:
    """The --delimiter option as one character: `,` `;` `|`, a tab as `\\t` or `tab`..."""
    if option is None:
        return None
    if option in DELIMITERS:
        return option
    named = DELIMITER_NAMES.get(option.strip().lower())
    if named is None:
        raise ImportRefused(
            f"--delimiter {option!r}: use one of comma, tab, semicolon, pipe (or , ; |)"
        )
    return named


def sniff(lines: Iterable[str]) -> tuple[str, Iterator[str]]:
    """The delimiter of the first non-blank line (the most frequent of , tab ; |, outside
    quotes; comma if none), and the lines again from the start."""
    lines = iter(lines)
    seen: list[str] = []
    for line in lines:
        seen.append(line)
        if line.strip():
            break
    first = seen[-1] if seen else ""
    unquoted = "".join(first.split('"')[::2])  # the text outside quoted fields
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return (best if counts[best] else ","), chain(seen, lines)
