"""`phonebank-hub import-contacts CAMPAIGN_ID FILE.csv [--list NAME | --list-column COLUMN]`.

Good rows are stored in one transaction; every rejected row is printed on stderr as
`line N: reason` and written, with its original fields, to `FILE.rejects.csv` beside the input.
Exit status 0 when something was imported, 2 when nothing could be.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from sync.hub.cli import CommandError
from sync.hub.commands._db import open_database
from sync.hub.core.config import Settings
from sync.hub.crud.export import safe_cell
from sync.hub.importing import (
    ImportProgress,
    ImportRefused,
    ImportReport,
    RejectedRow,
    import_contacts,
)


def rejects_path(path: Path) -> Path:
    """`contacts.csv` -> `contacts.rejects.csv`, in the same folder."""
    return path.with_name(f"{path.stem}.rejects.csv")


class _Rejects:
    """Streams rejected rows to stderr and to a CSV beside the input (renamed into place)."""

    def __init__(self, path: Path, terminal: _ProgressBar | None) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.terminal = terminal
        self.file: IO[str] | None = None
        self.writer: Any = None
        self.unwritable: str | None = None

    def __call__(self, row: RejectedRow, header: list[str]) -> None:
        message = f"line {row.line}: {row.reason}"
        if self.terminal:
            self.terminal.clear()
        print(message, file=sys.stderr)
        if self.writer is None and self.unwritable is None:
            try:
                # Voters' names and numbers: readable by the owner only (like the database).
                fd = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.fchmod(fd, 0o600)
                self.file = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115
            except OSError as exc:
                self.unwritable = exc.strerror or str(exc)
                return
            self.writer = csv.writer(self.file)
            self.writer.writerow([*header, "line", "reason"])
        if self.writer is not None:
            # line and reason stay under their headings; surplus fields of a too-long row
            # follow them, so nothing the organizer typed is lost
            width = len(header)
            values = row.values[:width] + [""] * (width - len(row.values))
            # Cells a spreadsheet would run as a formula are defused, as in the export.
            cells = [safe_cell(v) for v in [*values, str(row.line), row.reason]]
            self.writer.writerow([*cells, *(safe_cell(v) for v in row.values[width:])])

    def finish(self, keep: bool) -> None:
        if self.file is not None:
            self.file.close()
            if keep:
                self.partial.replace(self.path)
            else:
                self.partial.unlink(missing_ok=True)
        elif keep:  # no rejects this time: an old report would mislead
            self.path.unlink(missing_ok=True)


class _ProgressBar:
    """`  42%  420,000 rows  38,000 rows/s` on one line of a terminal."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, progress: ImportProgress) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        percent = (
            f"{min(100, 100 * progress.bytes_read // progress.bytes_total):3d}%  "
            if progress.bytes_total
            else ""
        )
        sys.stderr.write(
            f"\r{percent}{progress.rows:,} rows  {progress.rows / elapsed:,.0f} rows/s\x1b[K"
        )
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            self.shown = False


def run(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    if not path.exists():
        raise CommandError(f"{path}: no such file")
    if not path.is_file():
        raise CommandError(f"{path}: not a file")
    bar = _ProgressBar() if sys.stderr.isatty() else None
    rejects = _Rejects(rejects_path(path), bar)
    engine = open_database(settings)
    try:
        report = _import(engine, args, settings, path, bar, rejects)
    finally:
        engine.dispose()
        if bar:
            bar.clear()
    if report.rejected:
        where = (
            f"written to {rejects.path}"
            if rejects.unwritable is None
            else f"could not write {rejects.path}: {rejects.unwritable}"
        )
        print(f"{plural(report.rejected, 'row')} rejected; {where}", file=sys.stderr)
    if not report.contacts:
        why = {0: "there are no data rows", 1: "its one row was rejected"}.get(
            report.rows, f"all {report.rows:,} rows were rejected"
        )
        raise CommandError(f"{path}: nothing imported: {why}")
    print(summary(report))
    return 0


def _import(
    engine: Engine,
    args: argparse.Namespace,
    settings: Settings,
    path: Path,
    bar: _ProgressBar | None,
    rejects: _Rejects,
) -> ImportReport:
    with Session(engine, expire_on_commit=False) as session:
        try:
            report = import_contacts(
                session,
                args.campaign_id,
                path,
                list_name=args.list_name,
                list_column=args.list_column,
                region=args.region or settings.default_region,
                progress=bar,
                on_reject=rejects,
            )
            if report.contacts:
                session.commit()
            else:
                session.rollback()
        except ImportRefused as exc:
            session.rollback()
            rejects.finish(keep=False)
            raise CommandError(f"{path}: {exc}; nothing was imported") from None
        except SQLAlchemyError as exc:
            session.rollback()
            rejects.finish(keep=False)
            first_line = (str(exc).splitlines() or [""])[0]
            if "households_call_list_id_phone" in first_line or (  # two imports at once
                "households.call_list_id, households.phone" in first_line
            ):
                raise CommandError(
                    f"{path}: another import added the same phone numbers to this list while "
                    "this one ran; nothing was imported. Run it again: people already there "
                    "will be reported as duplicates."
                ) from None
            raise CommandError(
                f"{path}: the database refused the import ({type(exc).__name__}: "
                f"{first_line[:200]}); nothing was imported"
            ) from None
        except BaseException:
            session.rollback()
            rejects.finish(keep=False)
            raise
    rejects.finish(keep=True)
    return report


def plural(count: int, noun: str) -> str:
    """`1 row`, `2 rows`, `1,000 rows`."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def summary(report: ImportReport) -> str:
    lists = ", ".join(f"{name} ({count:,})" for name, count in sorted(report.lists.items()))
    text = (
        f"imported {plural(report.contacts, 'contact')} in "
        f"{plural(report.households, 'household')} ({report.households_created:,} new) "
        f"into {plural(len(report.lists), 'list')}: {lists}; "
        f"rejected {plural(report.rejected, 'row')}"
    )
    if report.do_not_call:
        text += f"; {plural(report.do_not_call, 'contact')} on the do-not-call list won't be called"
    return text
