"""`phonebank-hub add-user EMAIL --name NAME [--role]`: the password comes from stdin.

From a pipe, the first line is the password; at a terminal it is asked for twice.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sync.hub.cli import CommandError
from sync.hub.commands._db import open_database
from sync.hub.core.config import Settings
from sync.hub.crud import users as users_crud
from sync.hub.db import session_scope
from sync.hub.password_policy import password_problem


def read_password() -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("the two passwords differ; nothing was saved")
        password = first
    else:
        line = sys.stdin.readline() if sys.stdin is not None else ""
        password = line.rstrip("\r\n")
    if not password:
        raise CommandError("the password is empty (give it on stdin, one line); nothing was saved")
    return password


def run(args: argparse.Namespace, settings: Settings) -> int:
    email = users_crud.normalize_email(args.email)
    problem = users_crud.validate_email(email)
    if problem:
        raise CommandError(problem)
    name = args.name.strip()
    if not name:
        raise CommandError("--name is empty")
    if len(name) > 200:
        raise CommandError("--name is longer than 200 characters")
    password = read_password()
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise CommandError(f"{problem}; nothing was saved")
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            user = users_crud.create_user(session, email, name, args.role, password)
            user_id = user.id
    except users_crud.UserExists as exc:
        raise CommandError(f"{exc}; nothing was changed") from exc
    finally:
        engine.dispose()
    print(f"added {args.role} {email} (id {user_id})")
    return 0
