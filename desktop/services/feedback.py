"""Messages from the volunteer to organizers: queued here, sent by the sync engine."""

from __future__ import annotations

from desktop.services.context import Context
from desktop.services.errors import user_error
from desktop.store import results
from sync.messages import Code

MAX_FEEDBACK = 5000


def send_feedback(ctx: Context, text: str, campaign_id: int | None) -> None:
    body = text.strip()
    if not body:
        raise user_error(Code.FEEDBACK_EMPTY)
    if len(body) > MAX_FEEDBACK:
        raise user_error(Code.FEEDBACK_TOO_LONG, n=len(body), max=MAX_FEEDBACK)
    with ctx.store.write() as conn:
        results.add_feedback(conn, campaign_id, body, ctx.clock())
