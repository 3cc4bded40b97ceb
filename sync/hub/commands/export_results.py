"""`phonebank-hub export-results CAMPAIGN_ID [-o FILE.csv]`: every result as CSV (to stdout)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from sync.hub.cli import CommandError
from sync.hub.commands._db import open_database
from sync.hub.core.config import Settings
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import export as export_crud


def run(args: argparse.Namespace, settings: Settings) -> int:
    output = Path(args.output) if args.output else None
    if output is not None and output.is_dir():
        raise CommandError(f"{output}: is a directory; give a file name with -o")
    engine = open_database(settings)
    try:
        with Session(engine) as session:
            if campaigns_crud.get_campaign(session, args.campaign_id) is None:
                raise CommandError(f"there is no campaign with id {args.campaign_id}")
            chunks = export_crud.iter_export_csv(session, args.campaign_id)
            if output is None:
                _write_stdout(chunks)
            else:
                _write_file(output, chunks)
    except SQLAlchemyError as exc:
        first_line = (str(exc).splitlines() or [""])[0]
        raise CommandError(
            f"reading the results failed: {type(exc).__name__}: {first_line}"
        ) from None
    finally:
        engine.dispose()
    if output is not None:
        print(f"wrote {output}", file=sys.stderr)
    return 0


def _write_stdout(chunks: Iterator[str]) -> None:
    """UTF-8 whatever the terminal's locale; a reader that stops early (`| head`) is fine."""
    binary = getattr(sys.stdout, "buffer", None)
    try:
        for chunk in chunks:
            if binary is not None:
                binary.write(chunk.encode("utf-8"))
            else:
                sys.stdout.write(chunk)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain again while flushing at exit: point stdout at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _write_file(output: Path, chunks: Iterator[str]) -> None:
    """Write beside the target and rename, so a failed export never leaves half a file."""
    partial = output.with_name(output.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as f:
            for chunk in chunks:
                f.write(chunk)
        partial.replace(output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
