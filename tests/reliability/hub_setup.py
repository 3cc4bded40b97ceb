"""A hub database ready for laptops: volunteers who can sign in, a campaign with a script
and a call list. Shared by the reliability tests."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

from sync.hub.crud import users as users_crud
from sync.hub.db import session_scope
from tests.hub.conftest import PASSWORD, password_hash
from tests.support.hub_seed import SeededList, add_script, seed_list

__all__ = ["PASSWORD", "add_volunteers", "hub_result_counts", "seed_campaign"]


def add_volunteers(engine: Engine, emails: list[str]) -> list[int]:
    """Accounts that sign in with PASSWORD (a cheap argon2 hash: logins stay fast)."""
    ids = []
    with session_scope(engine) as session:
        for email in emails:
            user = users_crud.create_user(
                session, email, email.split("@")[0], "volunteer", password_hash=password_hash()
            )
            session.flush()
            assert user.id is not None
            ids.append(user.id)
    return ids


def seed_campaign(
    engine: Engine, *, households: int, list_size: int, hold_seconds: int = 3600
) -> SeededList:
    """A campaign whose lists may be asked for again at once."""
    seeded = seed_list(
        engine,
        households=households,
        list_size=list_size,
        hold_seconds=hold_seconds,
        cooldown_seconds=0,
        name="Ohio",
    )
    add_script(engine, seeded.campaign_id, questions=("support", "issue"))
    return seeded


def hub_result_counts(engine: Engine) -> dict[str, int]:
    """How many rows the hub holds for each result id (a result stored twice shows as 2)."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, count(*) FROM call_results GROUP BY id")).all()
    return {str(result_id): int(n) for result_id, n in rows}
