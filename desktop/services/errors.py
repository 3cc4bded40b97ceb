"""Errors the UI shows as they are: plain words, never a traceback."""

from __future__ import annotations

from sync.messages import Code, Message, text
from sync.user_facing import UserFacingError


class UserError(UserFacingError):
    """Something the user can understand or fix. `msg` is its code and parameters (the UI
    words it, translated: desktop/ui/messages.py); `message` the English words."""

    def __init__(self, message: Message | str) -> None:
        self.msg = message if isinstance(message, Message) else text(message)
        self.message = str(self.msg)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def user_error(code: Code, then: Message | None = None, **params: int | str) -> UserError:
    """UserError(Message(code, params)), shorter at the many places that raise one."""
    return UserError(Message(code, params, then))
