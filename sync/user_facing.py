"""The one mark both programs put on errors meant for people (standard library only).

An exception class deriving from `UserFacingError` promises that `str(exc)` is plain words
a user may read (the laptop's `UserError`, its store's `StoreError`, the HTTP client's
`HubCallError`). The UI decides by this type alone whether to show an error's words or to
log a traceback and say something went wrong — never by the text.
"""

from __future__ import annotations


class UserFacingError(Exception):
    """Base of our errors whose message is written for the user."""
