"""Organizers' alerts when a volunteer is refused a list by a campaign's cap (lists per hour
or per day): a volunteer at the cap is worth a look, or the cap is too low.

One row per volunteer, campaign, cap and hour, however many refusals (a laptop asks again
every few minutes); written in its own short transaction after the refusal's ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from sync.hub.models import Campaign, CapAlert, User

# How long an alert stays on the dashboard and the volunteers page.
SHOWN_FOR = timedelta(hours=24)


def record(
    engine: Engine, campaign_id: int, volunteer_id: int, cap: str, allowed: int, now: datetime
) -> None:
    """Count one refusal in its hour's row (made or added to in one statement, so that two
    hub processes refusing at once never make two rows)."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    table = CapAlert.__table__  # type: ignore[attr-defined]
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(
        campaign_id=campaign_id,
        volunteer_id=volunteer_id,
        cap=cap,
        allowed=allowed,
        hour=hour,
        refusals=1,
        last_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["campaign_id", "volunteer_id", "cap", "hour"],
        set_={
            "refusals": table.c.refusals + 1,
            "last_at": statement.excluded.last_at,
            "allowed": statement.excluded.allowed,
        },
    )
    with Session(engine) as session:
        session.execute(statement)
        session.commit()


@dataclass(frozen=True)
class Alert:
    volunteer_id: int
    volunteer_name: str
    volunteer_email: str
    campaign_id: int
    campaign_name: str
    cap: str  # "hour" | "day"
    allowed: int
    refusals: int
    last_at: datetime

    @property
    def what(self) -> str:
        """The cap as organizers read it: "3 lists per hour"."""
        return f"{self.allowed} list{'' if self.allowed == 1 else 's'} per {self.cap}"


def recent(
    session: Session,
    now: datetime,
    *,
    campaign_id: int | None = None,
    volunteer_id: int | None = None,
) -> list[Alert]:
    """The alerts of the last `SHOWN_FOR`, one per volunteer, campaign and cap (their hours
    added up), the latest first."""
    query = (
        select(CapAlert, User.name, User.email, Campaign.name)
        .join(User, col(User.id) == col(CapAlert.volunteer_id))
        .join(Campaign, col(Campaign.id) == col(CapAlert.campaign_id))
        .where(col(CapAlert.last_at) > now - SHOWN_FOR)
        .order_by(col(CapAlert.last_at).desc())
    )
    if campaign_id is not None:
        query = query.where(CapAlert.campaign_id == campaign_id)
    if volunteer_id is not None:
        query = query.where(CapAlert.volunteer_id == volunteer_id)
    merged: dict[tuple[int, int, str], Alert] = {}
    for row, name, email, campaign in session.exec(query).all():
        key = (row.volunteer_id, row.campaign_id, row.cap)
        seen = merged.get(key)
        refusals = row.refusals + (seen.refusals if seen else 0)
        latest = seen or row
        merged[key] = Alert(
            row.volunteer_id,
            name,
            email,
            row.campaign_id,
            campaign,
            row.cap,
            latest.allowed,
            refusals,
            latest.last_at,
        )
    return list(merged.values())


def by_volunteer(alerts: list[Alert]) -> dict[int, list[Alert]]:
    grouped: dict[int, list[Alert]] = {}
    for alert in alerts:
        grouped.setdefault(alert.volunteer_id, []).append(alert)
    return grouped
