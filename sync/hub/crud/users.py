"""Accounts, bearer tokens and the login-failure record used for throttling."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sync.hub import security
from sync.hub.crud.ids import is_db_id
from sync.hub.models import ApiToken, User
from sync.hub.types import utcnow
from sync.protocol import LANGUAGE_PATTERN, MAX_LANGUAGES, Role, VolunteerPublic

DEFAULT_TOKEN_TTL = timedelta(days=30)


class UserExists(ValueError):
    """An account with this email already exists."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def validate_email(email: str) -> str | None:
    """Why `email` cannot be an account's email, or None when it can."""
    local, at, domain = email.partition("@")
    if not at or not local or not domain or "@" in domain or any(c.isspace() for c in email):
        return f"{email!r} is not an email address (expected name@example.org)"
    if len(email) > 320:
        return "the email address is longer than 320 characters"
    return None


def create_user(
    session: Session,
    email: str,
    name: str,
    role: Role | str = Role.volunteer,
    password: str | None = None,
    *,
    password_hash: str | None = None,
) -> User:
    """Add an account (email stored lower-case). Flushes; the caller commits.

    Give either `password` (hashed here with argon2) or a ready `password_hash`.
    Raises UserExists when the email is taken, ValueError for a bad role or email.
    """
    email = normalize_email(email)
    problem = validate_email(email)
    if problem:
        raise ValueError(problem)
    role = Role(role)
    if password_hash is None:
        if not password:
            raise ValueError("the password is empty")
        password_hash = security.hash_password(password)
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise UserExists(f"an account for {email} already exists")
    user = User(email=email, name=name.strip(), role=role.value, password_hash=password_hash)
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError as exc:  # another process added it between the check and now
        raise UserExists(f"an account for {email} already exists") from exc
    return user


def user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalize_email(email))).first()


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The account when the password is right; None otherwise (same work either way)."""
    user = user_by_email(session, email)
    ok = security.verify_password(user.password_hash if user else None, password)
    return user if ok and user else None


def issue_token(
    session: Session,
    user: User,
    device_name: str = "",
    ttl: timedelta = DEFAULT_TOKEN_TTL,
    *,
    now: datetime | None = None,
    renewed_from_id: int | None = None,
) -> tuple[str, datetime]:
    """A new bearer token for `user`; only its SHA-256 is stored. Flushes; the caller commits."""
    assert user.id is not None
    token = security.new_token()
    created_at = now or utcnow()
    expires_at = created_at + ttl
    session.add(
        ApiToken(
            user_id=user.id,
            token_hash=security.token_digest(token),
            device_name=device_name[:200],
            created_at=created_at,
            expires_at=expires_at,
            renewed_from_id=renewed_from_id,
        )
    )
    session.flush()
    return token, expires_at


def renew_after(created_at: datetime, expires_at: datetime) -> datetime:
    """Half a token's life: from then on POST /auth/renew replaces it."""
    return created_at + (expires_at - created_at) / 2


def plausible_token_digest(token: str) -> str | None:
    """The stored form of a bearer token; None for one that cannot be ours (empty, too long)."""
    if not token or len(token) > 200:
        return None
    return security.token_digest(token)


def user_for_token(session: Session, token: str) -> User | None:
    """The account a bearer token belongs to; None when unknown, expired or revoked."""
    digest = plausible_token_digest(token)
    if digest is None:
        return None
    statement = (
        select(User)
        .join(ApiToken, col(ApiToken.user_id) == col(User.id))
        .where(
            ApiToken.token_hash == digest,
            col(ApiToken.revoked_at).is_(None),
            ApiToken.expires_at > utcnow(),
            # A deactivated account's tokens stop working at once (they are revoked too).
            col(User.active).is_(True),
        )
    )
    return session.exec(statement).first()


def revoke_token(session: Session, token: str) -> bool:
    row = session.exec(
        select(ApiToken).where(ApiToken.token_hash == security.token_digest(token))
    ).first()
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.add(row)
    session.flush()
    return True


# ---------------------------------------------------------------- managing accounts


class AccountError(ValueError):
    """A change to an account that is not allowed; the message says why."""


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id) if is_db_id(user_id) else None


def list_users(
    session: Session,
    search: str = "",
    *,
    role: str | None = None,
    active: bool | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[User]:
    """Accounts by name, optionally filtered: `search` matches name or email (any case)."""
    statement = select(User)
    needle = search.strip().lower().replace("\0", "")
    if needle:
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(
                func.lower(col(User.name)).like(pattern, escape="\\"),
                col(User.email).like(pattern, escape="\\"),
            )
        )
    if role is not None:
        statement = statement.where(User.role == Role(role).value)
    if active is not None:
        statement = statement.where(col(User.active).is_(active))
    statement = statement.order_by(func.lower(col(User.name)), col(User.id))
    return list(session.exec(statement.offset(offset).limit(limit)).all())


def count_active_organizers(session: Session) -> int:
    statement = select(func.count()).where(
        User.role == Role.organizer.value, col(User.active).is_(True)
    )
    return int(session.exec(statement).one())


def _would_leave_no_organizer(session: Session, user: User) -> bool:
    return (
        user.role == Role.organizer.value and user.active and count_active_organizers(session) <= 1
    )


def revoke_all_tokens(session: Session, user_id: int) -> int:
    """Sign the account out everywhere (laptops and console); the number of live API tokens
    revoked."""
    from sync.hub.crud.console_sessions import end_sessions_of  # it imports this module

    end_sessions_of(session, user_id)
    result = session.execute(
        update(ApiToken)
        .where(col(ApiToken.user_id) == user_id, col(ApiToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def set_active(session: Session, user: User, active: bool) -> bool:
    """Deactivate (signed out everywhere at once, sign-in refused) or reactivate an account.

    False when it already was so. Refuses to deactivate the last active organizer. Flushes.
    """
    if user.active == active:
        return False
    if not active:
        if _would_leave_no_organizer(session, user):
            raise AccountError(
                f"{user.email} is the last active organizer; make someone else an organizer "
                "first, or nobody could manage the hub"
            )
        assert user.id is not None
        revoke_all_tokens(session, user.id)
    user.active = active
    session.add(user)
    session.flush()
    return True


def set_role(session: Session, user: User, role: Role | str) -> bool:
    """Change the account's role; False when it already has it. Flushes."""
    new = Role(role)
    if user.role == new.value:
        return False
    if new != Role.organizer and _would_leave_no_organizer(session, user):
        raise AccountError(
            f"{user.email} is the last active organizer; make someone else an organizer first"
        )
    user.role = new.value
    session.add(user)
    session.flush()
    return True


def set_password(session: Session, user: User, password_hash: str) -> int:
    """A new password (the caller checked the policy and hashed it, outside any transaction:
    argon2 is slow on purpose), every token revoked: the laptops that were signed in must
    sign in again. The number of tokens revoked. Flushes."""
    assert user.id is not None
    user.password_hash = password_hash
    session.add(user)
    revoked = revoke_all_tokens(session, user.id)
    session.flush()
    return revoked


def parse_languages(text: str) -> list[str]:
    """ "es, EN,vi" -> ["es", "en", "vi"]: codes in order, each once; AccountError names a
    code that is not one."""
    out: list[str] = []
    for part in text.split(","):
        code = part.strip().lower()
        if not code:
            continue
        if not re.fullmatch(LANGUAGE_PATTERN, code):
            raise AccountError(
                f"{part.strip()!r} is not a language code (two or three letters: es, en, vi)"
            )
        if code not in out:
            out.append(code)
    if len(out) > MAX_LANGUAGES:
        raise AccountError(f"at most {MAX_LANGUAGES} languages")
    return out


def set_languages(session: Session, user: User, languages: list[str]) -> bool:
    """Replace the languages the account speaks (already checked codes); False when they
    were the same. Flushes."""
    wanted = list(dict.fromkeys(languages))
    if list(user.languages or []) == wanted:
        return False
    user.languages = wanted
    session.add(user)
    session.flush()
    return True


def volunteer_public(user: User) -> VolunteerPublic:
    assert user.id is not None
    return VolunteerPublic(
        id=user.id,
        name=user.name,
        role=Role(user.role),
        email=user.email,
        languages=list(user.languages or []),
    )
