"""Errors the UI shows as they are: plain words, never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can understand or fix; `message` is ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def is_for_users(exc: BaseException) -> bool:
    """Whether `exc` is one of our errors meant for people — the core's `UserError`, the
    store's `StoreError` (the data file cannot be used), a hub call's `HubCallError` —
    whose message is ready to show; anything else is a bug (logged with its traceback)."""
    # Imported here: by the time a core error reaches the UI these modules are loaded, and
    # the window's start-up does not pay for them.
    from desktop.store.db import StoreError
    from sync.client.errors import HubCallError

    return isinstance(exc, UserError | StoreError | HubCallError)
