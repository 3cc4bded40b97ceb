"""Add many accounts from a CSV file (`name`, `email`, optionally `role`).

Every account gets a generated password (shown once, to hand out); good rows are added and
bad ones reported with their line and reason, like the contact import. Used by
`phonebank-hub users import` and the console's Volunteers page.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass, field

from sqlmodel import Session

from sync.hub import security
from sync.hub.crud import users as users_crud
from sync.protocol import Role

MAX_BYTES = 2_000_000  # a few thousand volunteers; a larger file is surely not this
_COLUMNS = {
    "name": {"name", "fullname", "volunteer", "volunteername"},
    "email": {"email", "emailaddress", "mail"},
    "role": {"role"},
}
# Letters and digits without look-alikes (0/O, 1/l/I): passwords are read aloud and typed.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class UserFileRefused(ValueError):
    """The whole file is unusable (not UTF-8, no name/email columns); nothing was added."""


@dataclass(frozen=True)
class AddedUser:
    line: int
    email: str
    name: str
    role: str
    password: str  # generated; shown once


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


@dataclass
class UserImport:
    added: list[AddedUser] = field(default_factory=list)
    rejected: list[BadRow] = field(default_factory=list)


def generated_password() -> str:
    """16 random characters in groups of four (`Kq7m-...`): ~90 bits, easy to read aloud."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def _key(heading: str) -> str:
    return "".join(c for c in heading.lower() if c.isalnum())


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise UserFileRefused(f"the file is larger than {MAX_BYTES // 1_000_000} MB")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserFileRefused("the file is UTF-16; save it as CSV UTF-8 and try again")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserFileRefused(
            f"line {line} is not UTF-8 text; save the file as CSV UTF-8 and try again"
        ) from None


@dataclass(frozen=True)
class _Candidate:
    line: int
    email: str
    name: str
    role: str


def add_users_from_csv(
    session: Session, data: bytes, default_role: str = "volunteer"
) -> UserImport:
    """Add an account per good row (flushes; the caller commits); report the bad rows.

    The file is read and the passwords hashed (argon2, slow on purpose) before the session
    is used: on SQLite a transaction holds the database's write lock.
    """
    candidates, outcome = _read(data, default_role)
    passwords = {c.email: generated_password() for c in candidates}
    hashes = {email: security.hash_password(pw) for email, pw in passwords.items()}
    for candidate in candidates:
        try:
            users_crud.create_user(
                session,
                candidate.email,
                candidate.name,
                candidate.role,
                password_hash=hashes[candidate.email],
            )
        except users_crud.UserExists as exc:
            outcome.rejected.append(BadRow(candidate.line, str(exc)))
            continue
        outcome.added.append(
            AddedUser(
                candidate.line,
                candidate.email,
                candidate.name,
                candidate.role,
                passwords[candidate.email],
            )
        )
    outcome.rejected.sort(key=lambda bad: bad.line)
    return outcome


def _read(data: bytes, default_role: str) -> tuple[list[_Candidate], UserImport]:
    text = _decode(data)
    if "\0" in text:
        raise UserFileRefused("the file contains NUL characters: it is not a CSV text file")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise UserFileRefused(f"line 1: {exc}") from None
    if header is None:
        raise UserFileRefused("the file is empty")
    where: dict[str, int] = {}
    for index, heading in enumerate(header):
        for name, aliases in _COLUMNS.items():
            if _key(heading) in aliases and name not in where:
                where[name] = index
    missing = [name for name in ("name", "email") if name not in where]
    if missing:
        found = ", ".join(repr(h) for h in header) or "nothing"
        raise UserFileRefused(
            f"line 1: the header row has no {' or '.join(missing)} column (found {found}); "
            "the columns name and email are required, role is optional"
        )
    outcome = UserImport()
    candidates: list[_Candidate] = []
    seen: dict[str, int] = {}
    line = reader.line_num  # where the header ended; a record starts on the next line
    try:
        for values in reader:
            row_line, line = line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            row = _one_row(values, where, default_role, seen, row_line)
            if isinstance(row, BadRow):
                outcome.rejected.append(row)
            else:
                candidates.append(row)
    except csv.Error as exc:
        raise UserFileRefused(f"line {reader.line_num}: {exc}") from None
    return candidates, outcome


def _one_row(
    values: list[str],
    where: dict[str, int],
    default_role: str,
    seen: dict[str, int],
    line: int,
) -> _Candidate | BadRow:
    def cell(name: str) -> str:
        index = where.get(name)
        return values[index].strip() if index is not None and index < len(values) else ""

    name, email, role = cell("name"), users_crud.normalize_email(cell("email")), cell("role")
    role = (role or default_role).lower()
    problems = []
    if not name:
        problems.append("missing name")
    elif len(name) > 200:
        problems.append("the name is longer than 200 characters")
    if not email:
        problems.append("missing email")
    else:
        problem = users_crud.validate_email(email)
        if problem:
            problems.append(problem[:200])
    if role not in {r.value for r in Role}:
        problems.append(f"unknown role {role[:40]!r} (volunteer or organizer)")
    if not problems and email in seen:
        problems.append(f"duplicate of line {seen[email]}")
    if problems:
        return BadRow(line, "; ".join(problems))
    seen[email] = line
    return _Candidate(line, email, name, role)
