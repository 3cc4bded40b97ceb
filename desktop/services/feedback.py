"""Messages from the volunteer to organizers: queued here, sent by the sync engine."""

from __future__ import annotations

from desktop.services.context import Context
from desktop.services.errors import UserError
from desktop.store import results

MAX_FEEDBACK = 5000


def send_feedback(ctx: Context, text: str, campaign_id: int | None) -> None:
    body = text.strip()
    if not body:
        raise UserError("Please write a message first.")
    if len(body) > MAX_FEEDBACK:
        raise UserError(f"The message is too long ({len(body)} characters; {MAX_FEEDBACK} max).")
    with ctx.store.write() as conn:
        results.add_feedback(conn, campaign_id, body, ctx.clock())
