"""Published script versions: numbered per campaign, immutable once stored."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sync.hub.crud.ids import is_db_id
from sync.hub.models import Campaign, ScriptVersion
from sync.hub.script_file import ScriptDocument
from sync.protocol import Question, Script, ScriptTranslation

PUBLISH_ATTEMPTS = 10


class UnknownCampaign(LookupError):
    """Publishing to a campaign that does not exist."""


def publish_script(session: Session, campaign_id: int, doc: ScriptDocument) -> ScriptVersion:
    """Store `doc` as the campaign's next version. Flushes; the caller commits.

    Two hubs publishing at once may pick the same number; the unique constraint refuses the
    second, which then takes the following number.
    """
    if not is_db_id(campaign_id) or session.get(Campaign, campaign_id) is None:
        raise UnknownCampaign(f"there is no campaign with id {campaign_id}")
    questions = [q.model_dump(mode="json") for q in doc.questions]
    for _ in range(PUBLISH_ATTEMPTS):
        newest = session.exec(
            select(func.max(ScriptVersion.version)).where(ScriptVersion.campaign_id == campaign_id)
        ).one()
        version = ScriptVersion(
            campaign_id=campaign_id,
            version=(newest or 0) + 1,
            title=doc.title,
            intro=doc.intro,
            closing=doc.closing,
            questions=questions,
            language=doc.language,
            translations={k: t.model_dump(mode="json") for k, t in doc.translations.items()},
        )
        try:
            with session.begin_nested():
                session.add(version)
        except IntegrityError:  # another process took this number first: take the next
            if version in session:
                session.expunge(version)
            continue
        return version
    raise RuntimeError(f"could not number a new script version for campaign {campaign_id}")


def script_public(version: ScriptVersion) -> Script:
    assert version.id is not None
    return Script(
        id=version.id,
        campaign_id=version.campaign_id,
        version=version.version,
        title=version.title,
        intro=version.intro,
        closing=version.closing,
        questions=[Question.model_validate(q) for q in version.questions],
        language=version.language,
        translations={
            k: ScriptTranslation.model_validate(t) for k, t in (version.translations or {}).items()
        },
    )


def get_script_version(session: Session, script_id: int) -> ScriptVersion | None:
    return session.get(ScriptVersion, script_id) if is_db_id(script_id) else None


def script_by_version(session: Session, campaign_id: int, version: int) -> ScriptVersion | None:
    if not is_db_id(campaign_id) or not is_db_id(version):
        return None
    statement = select(ScriptVersion).where(
        ScriptVersion.campaign_id == campaign_id, ScriptVersion.version == version
    )
    return session.exec(statement).first()


def latest_script(session: Session, campaign_id: int) -> ScriptVersion | None:
    statement = (
        select(ScriptVersion)
        .where(ScriptVersion.campaign_id == campaign_id)
        .order_by(col(ScriptVersion.version).desc())
        .limit(1)
    )
    return session.exec(statement).first()
