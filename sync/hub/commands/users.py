"""`phonebank-hub users list|import|deactivate|reactivate|reset-password|set-role|languages`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlmodel import Session

from sync.hub import security
from sync.hub.cli import CommandError
from sync.hub.commands._db import open_database
from sync.hub.commands.add_user import read_password
from sync.hub.core.config import Settings
from sync.hub.crud import users as users_crud
from sync.hub.db import session_scope
from sync.hub.models import User
from sync.hub.password_policy import password_problem
from sync.hub.user_csv import UserFileRefused, add_users_from_csv


def run(args: argparse.Namespace, settings: Settings) -> int:
    action = {
        "list": _list,
        "import": _import,
        "deactivate": _deactivate,
        "reactivate": _reactivate,
        "reset-password": _reset_password,
        "set-role": _set_role,
        "languages": _languages,
    }[args.action]
    return action(args, settings)


def _account(session: Session, email: str) -> User:
    user = users_crud.user_by_email(session, email)
    if user is None:
        raise CommandError(f"there is no account for {users_crud.normalize_email(email)}")
    return user


def _list(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            users = users_crud.list_users(
                session,
                args.search,
                role=args.role,
                active=False if args.inactive else None,
                limit=100_000,
            )
            rows = [(u.id, u.name, u.email, u.role, u.active) for u in users]
    finally:
        engine.dispose()
    if not rows:
        print("no accounts match" if args.search or args.role or args.inactive else "no accounts")
        return 0
    width = max(len(name) for _, name, *_ in rows)
    mail = max(len(email) for _, _, email, *_ in rows)
    for user_id, name, email, role, active in rows:
        state = "" if active else "  deactivated"
        print(f"{user_id:>5}  {name:<{width}}  {email:<{mail}}  {role:<9}{state}".rstrip())
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror or exc}") from None
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            outcome = add_users_from_csv(session, data, args.role)
    except UserFileRefused as exc:
        raise CommandError(f"{path}: {exc}; nobody was added") from None
    finally:
        engine.dispose()
    for bad in outcome.rejected:
        print(f"line {bad.line}: {bad.reason}", file=sys.stderr)
    if not outcome.added:
        raise CommandError(f"{path}: nobody was added ({len(outcome.rejected)} rows rejected)")
    print("email,name,role,password")
    for added in outcome.added:
        print(f"{added.email},{_csv_cell(added.name)},{added.role},{added.password}")
    print(
        f"added {len(outcome.added)} account{'' if len(outcome.added) == 1 else 's'}; "
        f"rejected {len(outcome.rejected)} row{'' if len(outcome.rejected) == 1 else 's'}. "
        "Hand each person their password: it is not shown again.",
        file=sys.stderr,
    )
    return 0


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def _deactivate(args: argparse.Namespace, settings: Settings) -> int:
    return _set_active(args, settings, False)


def _reactivate(args: argparse.Namespace, settings: Settings) -> int:
    return _set_active(args, settings, True)


def _set_active(args: argparse.Namespace, settings: Settings, active: bool) -> int:
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            user = _account(session, args.email)
            changed = users_crud.set_active(session, user, active)
            email = user.email
    except users_crud.AccountError as exc:
        raise CommandError(f"{exc}; nothing was changed") from None
    finally:
        engine.dispose()
    if not changed:
        print(f"{email} was already {'active' if active else 'deactivated'}")
    elif active:
        print(f"reactivated {email}: they can sign in again")
    else:
        print(f"deactivated {email}: signed out everywhere, sign-in refused")
    return 0


def _reset_password(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            user = _account(session, args.email)
            email, name = user.email, user.name
        password = read_password()
        problem = password_problem(password, email=email, name=name)
        if problem:
            raise CommandError(f"{problem}; nothing was changed")
        password_hash = security.hash_password(password)
        with session_scope(engine) as session:
            revoked = users_crud.set_password(session, _account(session, email), password_hash)
    finally:
        engine.dispose()
    print(f"new password for {email}; signed out of {revoked} device{'' if revoked == 1 else 's'}")
    return 0


def _set_role(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            user = _account(session, args.email)
            changed = users_crud.set_role(session, user, args.role)
            email = user.email
    except users_crud.AccountError as exc:
        raise CommandError(f"{exc}; nothing was changed") from None
    finally:
        engine.dispose()
    article = "an" if args.role == "organizer" else "a"
    print(f"{email} is {'now' if changed else 'already'} {article} {args.role}")
    return 0


def _languages(args: argparse.Namespace, settings: Settings) -> int:
    """Print, or set, the languages a volunteer speaks (language-barrier follow-up)."""
    try:
        wanted = None if args.languages is None else users_crud.parse_languages(args.languages)
    except users_crud.AccountError as exc:
        raise CommandError(f"{exc}; nothing was changed") from None
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            user = _account(session, args.email)
            if wanted is not None:
                users_crud.set_languages(session, user, wanted)
            email, languages = user.email, list(user.languages or [])
    finally:
        engine.dispose()
    print(f"{email} speaks: {', '.join(languages) if languages else '(no languages set)'}")
    return 0
