"""`phonebank-hub import-contacts CAMPAIGN_ID FILE [options]` (SPEC §4; options in
import_options.py).

Good rows are stored in one transaction. Rejected rows are counted by reason on stderr with
the first few line numbers of each (never a whole row: it holds people's data), and written
with their original fields to `FILE.rejects.csv` beside the input. `--check` does the same
and stores nothing. Exit status 0 when something was (or would be) imported, 2 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import textwrap
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
    if args.no_header != (args.columns is not None):
        raise CommandError("--no-header and --columns go together: name the file's columns")
    bar = _ProgressBar() if sys.stderr.isatty() else None
    rejects = _Rejects(rejects_path(path), bar)
    engine = open_database(settings)
    try:
        report = _import(engine, args, settings, path, bar, rejects)
    finally:
        engine.dispose()
        if bar:
            bar.clear()
    for warning in report.warnings:
        print(wrap(f"warning: {warning}"), file=sys.stderr)
    if report.rejected:
        print(rejects_summary(report), file=sys.stderr)
        where = (
            f"all rejected rows (with line and reason) are in {rejects.path}"
            if rejects.unwritable is None
            else f"could not write {rejects.path}: {rejects.unwritable}"
        )
        print(where, file=sys.stderr)
    if not report.contacts and not report.updated and not report.unchanged:
        why = {0: "there are no data rows", 1: "its one row was rejected"}.get(
            report.rows, f"all {report.rows:,} rows were rejected"
        )
        raise CommandError(f"{path}: nothing {'to import' if args.check else 'imported'}: {why}")
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
                mapping=args.mapping,
                delimiter=args.delimiter,
                encoding=args.encoding,
                columns=args.columns.split(",") if args.columns is not None else None,
                id_column=args.id_column,
                check=args.check,
                progress=bar,
                on_reject=rejects,
            )
            if report.contacts or report.updated:
                session.commit()  # after --check, import_contacts has rolled back already
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


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 row`, `2 rows`, `1,000 rows`."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


EXAMPLES = 3  # rejected lines shown per reason; the rejects file has them all


def wrap(text: str, indent: str = "") -> str:
    """A long line folded to the terminal's width (100 columns when not a terminal)."""
    width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 100
    return textwrap.fill(
        text, width=max(width, 60), subsequent_indent=indent or "  ", break_on_hyphens=False
    )


def counts(by_reason: dict[str, int]) -> str:
    """`412 bad phone, 38 missing name, 9 duplicate`: the biggest first."""
    ordered = sorted(by_reason.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{count:,} {reason}" for reason, count in ordered)


def rejects_summary(report: ImportReport) -> str:
    lines = [wrap(f"rejected {plural(report.rejected, 'row')}: {counts(report.reasons)}")]
    for kind, total in sorted(report.reasons.items(), key=lambda item: (-item[1], item[0])):
        for row in report.first_rejects(kind, EXAMPLES):
            lines.append(wrap(f"  line {row.line}: {row.reason}", "    "))
        if total > EXAMPLES:
            lines.append(f"  ... and {total - EXAMPLES:,} more {kind}")
    return "\n".join(lines)


def summary(report: ImportReport) -> str:
    lists = ", ".join(f"{name} ({count:,})" for name, count in sorted(report.lists.items()))
    verb = "would import" if report.checked else "imported"
    text = (
        f"{verb} {plural(report.contacts, 'contact')} in "
        f"{plural(report.households, 'household')} ({report.households_created:,} new) "
        f"into {plural(len(report.lists), 'list')}{': ' + lists if lists else ''}; "
        f"rejected {plural(report.rejected, 'row')}"
    )
    if report.do_not_call:
        text += f"; {plural(report.do_not_call, 'contact')} on the do-not-call list won't be called"
    if report.listed_numbers:
        text += (
            f"; {plural(report.listed_numbers, 'other number')} on the do-not-call list"
            " won't be dialed"
        )
    lines = [wrap(text)]
    if report.updated or report.unchanged:
        lines.append(
            f"{'would update' if report.checked else 'updated'} "
            f"{plural(report.updated, 'person', 'people')} already in the list; "
            f"{report.unchanged:,} unchanged"
        )
    if report.held_back:
        lines.append(
            wrap(
                f"held back {plural(sum(report.held_back.values()), 'contact')} the campaign "
                f"already knows from another list: {counts(report.held_back)}"
            )
        )
    if len(report.phone_columns) > 1 or report.source_id_column:
        columns = f"phones from {', '.join(report.phone_columns)} (dialed in that order)"
        if report.source_id_column:
            columns += f"; ids from {report.source_id_column}"
        lines.append(wrap(columns))
    if report.name_column:
        lines.append(wrap(f"first and last names split from {report.name_column}"))
    if report.spreadsheet_decimals:
        one = report.spreadsheet_decimals == 1
        lines.append(
            wrap(
                f"{plural(report.spreadsheet_decimals, 'phone')} written as "
                f"{'a decimal' if one else 'decimals'} by a spreadsheet (e.g. 5046218927.0) "
                f"{'was' if one else 'were'} read without the .0; format phone columns as "
                "Text before exporting"
            )
        )
    if report.dropped_phones:
        lines.append(
            wrap(
                f"{plural(report.dropped_phones, 'row')} had a phone that is not a valid "
                "number beside a valid one: the valid ones were kept"
            )
        )
    if report.checked:
        lines.append("checked only: nothing was stored")
    return "\n".join(lines)
