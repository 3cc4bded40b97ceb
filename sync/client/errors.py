"""Typed failures of a hub call. Each carries a `Message` (`msg`: a code and parameters the
UI words in the user's language) and its English `message` (logs, `str()`)."""

from __future__ import annotations

from datetime import datetime

from sync.messages import Code, Message, text
from sync.user_facing import UserFacingError


class HubCallError(UserFacingError):
    """Base of every failure talking to the hub."""

    transient = False  # worth retrying later with backoff

    def __init__(self, message: Message | str) -> None:
        self.msg = message if isinstance(message, Message) else text(message)
        self.message = str(self.msg)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class HubUnreachable(HubCallError):
    """No answer: no network, wrong address, hub down, or a timeout."""

    transient = True


class Unauthorized(HubCallError):
    """401: the token is missing, expired or revoked, or the password is wrong."""


class UpgradeRequired(HubCallError):
    """426: the hub needs a newer app."""


class CoolingDown(HubCallError):
    """429: ask again later; `retry_after` in seconds, `retry_at` when known."""

    def __init__(
        self, message: Message | str, retry_after: float, retry_at: datetime | None = None
    ):
        super().__init__(message)
        self.retry_after = retry_after
        self.retry_at = retry_at


class ListEmpty(HubCallError):
    """409 on a reservation: nobody is left to hand out in that list."""


class HubError(HubCallError):
    """Any other error status; 5xx are transient. `detail` is the hub's English words."""

    def __init__(self, status: int, detail: Message | str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = self.message
        self.transient = status >= 500 or status == 408


class BadHubReply(HubCallError):
    """The hub answered something that does not match the protocol."""

    transient = True


def said(detail: str) -> Message:
    """The hub's own words, for a refusal whose code this app does not know."""
    return Message(Code.HUB_SAID, {"detail": detail})
