"""The time a console page shows figures for: a test's clock when one is set."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request

from sync.hub.types import utcnow


def now(request: Request) -> datetime:
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else utcnow()
