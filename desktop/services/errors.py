"""Errors the UI shows as they are: plain words, never a traceback."""

from __future__ import annotations

from sync.user_facing import UserFacingError


class UserError(UserFacingError):
    """Something the user can understand or fix; `message` is ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
