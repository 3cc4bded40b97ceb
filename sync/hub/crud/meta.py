"""Facts about this hub database itself: its epoch, and the clock the hub uses."""

from __future__ import annotations

import secrets

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from sync.hub.models import HubMeta

EPOCH_KEY = "epoch"


def get_epoch(session: Session) -> str:
    """This database's epoch: a random id made once, the same for every hub process.

    Two processes asking at once both try to insert a fresh id; the database keeps the first
    (ON CONFLICT DO NOTHING) and both read it back. Flushes; the caller commits.
    """
    existing = session.exec(select(HubMeta.value).where(HubMeta.key == EPOCH_KEY)).first()
    if existing is not None:
        return existing
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(HubMeta)
        .values(key=EPOCH_KEY, value=secrets.token_hex(8))
        .on_conflict_do_nothing(index_elements=["key"])
    )
    value = session.exec(select(HubMeta.value).where(HubMeta.key == EPOCH_KEY)).one()
    return value
