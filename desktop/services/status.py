"""The status bar's view: online state, unsent results, the campaign's progress."""

from __future__ import annotations

from desktop.services.context import Context
from desktop.services.views import ProgressView, StatusView
from desktop.store import catalog, meta, reservations, results
from desktop.store.timefmt import opt_time
from sync.messages import Message


def status(ctx: Context, preferred_campaign_id: int | None) -> StatusView:
    with ctx.store.read() as conn:
        values = meta.get_many(
            conn,
            (
                meta.EMAIL,
                meta.LAST_SYNC_AT,
                meta.LAST_ERROR,
                meta.NEEDS_SIGN_IN,
                meta.NEEDS_UPGRADE,
                meta.PENDING_GET_NAMES,
            ),
        )
        pending = results.unsent_count(conn)
        refused, refused_msg = results.refused(conn) if pending else (0, None)
        feedback = results.pending_feedback_count(conn)
        reservation = reservations.newest_reservation(conn)
        campaign_id = reservation.campaign_id if reservation else preferred_campaign_id
        campaign = catalog.campaign(conn, campaign_id) if campaign_id is not None else None
        unsent_here = results.unsent_by_campaign(conn, campaign.id) if campaign else 0
    progress = None
    if campaign is not None:
        progress = ProgressView(
            campaign_id=campaign.id,
            goal=campaign.goal,
            calls_made=campaign.calls_made + unsent_here,
            mine=campaign.mine + unsent_here,
        )
    queued = values.get(meta.PENDING_GET_NAMES)
    stored_error = values.get(meta.LAST_ERROR)  # a Message as JSON (older files: English)
    last_error = Message.from_json(stored_error) if stored_error else None
    return StatusView(
        signed_in=bool(values.get(meta.EMAIL)),
        online=ctx.engine.online,
        syncing=ctx.engine.syncing,
        pending=pending,
        pending_feedback=feedback,
        last_sync_at=opt_time(values.get(meta.LAST_SYNC_AT)),
        last_error=str(last_error) if last_error else None,
        progress=progress,
        needs_sign_in=bool(values.get(meta.NEEDS_SIGN_IN)),
        needs_upgrade=bool(values.get(meta.NEEDS_UPGRADE)),
        queued_get_names=int(queued) if queued and queued.isdigit() else None,
        last_error_msg=last_error,
        refused=refused,
        refused_msg=refused_msg,
    )
