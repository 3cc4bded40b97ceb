"""Script drafts: uploaded, checked and previewed by organizers; volunteers never see one.

Only a file that passes every check of `load-script` is stored as a draft. Publishing it
stores it as the campaign's next published version (`scripts.publish_script`), the only
kind of script the API and sync ever send.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from sync.hub.crud.ids import is_db_id
from sync.hub.crud.scripts import UnknownCampaign, publish_script
from sync.hub.models import Campaign, ScriptDraft, ScriptVersion
from sync.hub.script_file import ScriptDocument, parse_script
from sync.hub.types import utcnow


class DraftError(ValueError):
    """The draft cannot be published (already published, gone); the message says why."""


def save_draft(
    session: Session,
    campaign_id: int,
    source: str,
    *,
    file_name: str = "",
    created_by: int | None = None,
) -> tuple[ScriptDraft, ScriptDocument]:
    """Check `source` as `load-script` does (ScriptError names question, field and line) and
    keep it as a draft of the campaign. Flushes; the caller commits."""
    if not is_db_id(campaign_id) or session.get(Campaign, campaign_id) is None:
        raise UnknownCampaign(f"there is no campaign with id {campaign_id}")
    doc = parse_script(source)
    draft = ScriptDraft(
        campaign_id=campaign_id,
        file_name=file_name.replace("\0", "")[:200],
        source=source,
        created_by=created_by,
    )
    session.add(draft)
    session.flush()
    return draft, doc


def get_draft(session: Session, draft_id: int) -> ScriptDraft | None:
    return session.get(ScriptDraft, draft_id) if is_db_id(draft_id) else None


def draft_document(draft: ScriptDraft) -> ScriptDocument:
    """The draft as volunteers would get it (checked again: it was valid when stored)."""
    return parse_script(draft.source)


def drafts_of(session: Session, campaign_id: int, limit: int = 20) -> list[ScriptDraft]:
    """The campaign's drafts, newest first."""
    statement = (
        select(ScriptDraft)
        .where(ScriptDraft.campaign_id == campaign_id)
        .order_by(col(ScriptDraft.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())


def publish_draft(session: Session, draft: ScriptDraft) -> ScriptVersion:
    """Publish the draft as the campaign's next version: laptops get it at their next sync.
    Flushes; the caller commits. A draft is published once."""
    if draft.published_version is not None:
        raise DraftError(f"this draft was already published as version {draft.published_version}")
    version = publish_script(session, draft.campaign_id, draft_document(draft))
    draft.published_version = version.version
    draft.published_at = utcnow()
    session.add(draft)
    session.flush()
    return version
