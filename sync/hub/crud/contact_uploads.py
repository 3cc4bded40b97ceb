"""Console uploads of contact files: the report kept for the page and its rejects download."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from sync.hub.crud.ids import is_db_id
from sync.hub.models import ContactUpload


def save_upload(
    session: Session,
    campaign_id: int,
    file_name: str,
    created_by: int | None,
    report: dict[str, Any],
    rejected: int,
    rejects_csv: str,
) -> ContactUpload:
    upload = ContactUpload(
        campaign_id=campaign_id,
        file_name=file_name.replace("\0", "")[:200],
        created_by=created_by,
        report=report,
        rejected=rejected,
        rejects_csv=rejects_csv.replace("\0", ""),
    )
    session.add(upload)
    session.flush()
    return upload


def get_upload(session: Session, upload_id: int) -> ContactUpload | None:
    return session.get(ContactUpload, upload_id) if is_db_id(upload_id) else None


def uploads_of(session: Session, campaign_id: int, limit: int = 10) -> list[ContactUpload]:
    statement = (
        select(ContactUpload)
        .where(ContactUpload.campaign_id == campaign_id)
        .order_by(col(ContactUpload.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())
