"""Accounts and tokens."""

from __future__ import annotations

from sqlmodel import Session

from sync.hub.models import User


def user_for_token(session: Session, token: str) -> User | None:
    raise NotImplementedError
