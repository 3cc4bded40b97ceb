"""`phonebank-hub dnc import FILE.csv | export [-o FILE] | remove PHONE --reason TEXT`.

The global do-not-call list, for the operator at the hub's shell. Imports and removals are
recorded (who, when, why): `--by EMAIL` names the organizer who asked, otherwise the shell
user is recorded as `os:NAME`. Numbers are normalized as the contact import does (`--region`
for numbers written without a country code).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from sync.hub.cli import CommandError
from sync.hub.commands._db import open_database
from sync.hub.commands._files import write_private_file, write_stdout
from sync.hub.core.config import Settings
from sync.hub.crud import do_not_call, do_not_call_view
from sync.hub.importing.dnc_file import read_dnc_file
from sync.hub.importing.dnc_report import added_summary, not_taken, nothing_valid, plural
from sync.hub.importing.phones import normalize_phone
from sync.hub.importing.report import ImportRefused
from sync.hub.types import utcnow


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.dnc_command == "import":
        return _import(args, settings)
    if args.dnc_command == "export":
        return _export(args, settings)
    return _remove(args, settings)


def _import(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{path}: {'not a file' if path.exists() else 'no such file'}")
    try:
        found = read_dnc_file(path, args.region or settings.default_region)
    except ImportRefused as exc:
        raise CommandError(f"{path}: {exc}; nothing was added") from None
    for warning in found.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for reason in not_taken(found):  # the first few lines of each reason, never a whole row
        for line in reason.lines():
            print(line, file=sys.stderr)
    if not found.phones:
        raise CommandError(f"{path}: {nothing_valid(found)}")
    engine = open_database(settings)
    try:
        with Session(engine) as session:
            by = _operator(session, args.by)
            added = do_not_call.add_numbers(
                session, found.phones, by=by, reason=f"import of {path.name}", now=utcnow()
            )
            session.commit()
    except SQLAlchemyError as exc:
        raise _database_error(exc, "nothing was added") from None
    finally:
        engine.dispose()
    print(added_summary(found, added))
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    output = Path(args.output) if args.output else None
    if output is not None and output.is_dir():
        raise CommandError(f"{output}: is a directory; give a file name with -o")
    engine = open_database(settings)
    try:
        with Session(engine) as session:
            chunks = do_not_call_view.iter_csv(session)
            if output is None:
                write_stdout(chunks)
            else:
                write_private_file(output, chunks)
    except SQLAlchemyError as exc:
        raise _database_error(exc, "nothing was written") from None
    finally:
        engine.dispose()
    if output is not None:
        print(f"wrote {output}", file=sys.stderr)
    return 0


def _remove(args: argparse.Namespace, settings: Settings) -> int:
    reason = args.reason.strip()
    if not reason:
        raise CommandError("--reason is empty: say why the number may be called again")
    phone = normalize_phone(args.phone.strip(), (args.region or settings.default_region).upper())
    if phone is None:
        raise CommandError(f"{args.phone!r} is not a valid phone number")
    engine = open_database(settings)
    try:
        with Session(engine) as session:
            by = _operator(session, args.by)
            removal = do_not_call.remove_number(
                session, phone.e164, by=by, reason=reason, now=utcnow()
            )
            if removal is None:
                raise CommandError(f"{phone.e164} is not on the do-not-call list")
            session.commit()
    except SQLAlchemyError as exc:
        raise _database_error(exc, "nothing was removed") from None
    finally:
        engine.dispose()
    since = removal.listed_since.replace(microsecond=0).isoformat()
    print(
        f"removed {phone.e164} from the do-not-call list (listed since {since}); "
        f"{plural(removal.reopened, 'person', 'people')} can be called again; "
        f"recorded as removed by {by}"
    )
    return 0


def _operator(session: Session, email: str | None) -> str:
    """Who the change is recorded for: a known organizer, or the shell user."""
    if email is not None:
        if not do_not_call.is_organizer(session, email):
            raise CommandError(f"--by {email}: no active organizer account has this email")
        return email.strip().lower()
    try:
        return f"os:{getpass.getuser()}"
    except (OSError, KeyError):  # no user name in the environment or the password database
        return "os:unknown"


def _database_error(exc: SQLAlchemyError, outcome: str) -> CommandError:
    first_line = (str(exc).splitlines() or [""])[0]
    detail = f"{type(exc).__name__}: {first_line[:200]}"
    return CommandError(f"the database refused: {detail}; {outcome}")
