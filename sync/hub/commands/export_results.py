"""`phonebank-hub export-results CAMPAIGN_ID [-o FILE.csv] [--format standard|van] [--all]`.

Current results as CSV (to stdout unless -o); `--all` adds superseded and quarantined ones,
marked; `--format van` writes the layout VAN's bulk upload takes (docs/hub.md). A file is
written beside the target and renamed into place, readable by its owner only (0600).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from sync.hub.cli import CommandError
from sync.hub.commands._db import open_database
from sync.hub.commands._files import write_private_file, write_stdout
from sync.hub.core.config import Settings
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import export as export_crud
from sync.hub.crud.ids import is_db_id


def run(args: argparse.Namespace, settings: Settings) -> int:
    output = Path(args.output) if args.output else None
    if output is not None and output.is_dir():
        raise CommandError(f"{output}: is a directory; give a file name with -o")
    if args.format == "van" and args.include_all:
        raise CommandError(
            "--all is for the standard format: VAN's bulk upload takes current results only"
        )
    engine = open_database(settings)
    summary = export_crud.ExportSummary()
    try:
        with Session(engine) as session:
            if (
                not is_db_id(args.campaign_id)
                or campaigns_crud.get_campaign(session, args.campaign_id) is None
            ):
                raise CommandError(f"there is no campaign with id {args.campaign_id}")
            chunks = export_crud.iter_export(
                session,
                args.campaign_id,
                format=args.format,
                include_all=args.include_all,
                summary=summary,
            )
            if output is None:
                write_stdout(chunks)
            else:
                write_private_file(output, chunks)
    except SQLAlchemyError as exc:
        first_line = (str(exc).splitlines() or [""])[0]
        raise CommandError(
            f"reading the results failed: {type(exc).__name__}: {first_line}"
        ) from None
    finally:
        engine.dispose()
    if output is not None:
        print(f"wrote {_results(summary.rows)} to {output}", file=sys.stderr)
    if summary.without_source_id:
        print(
            f"left out {_results(summary.without_source_id)} whose contact has no source id "
            "(VanID): VAN cannot match them; the standard format has them",
            file=sys.stderr,
        )
    return 0


def _results(count: int) -> str:
    return f"{count:,} result{'' if count == 1 else 's'}"
