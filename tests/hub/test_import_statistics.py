"""A large import on PostgreSQL leaves the planner statistics of what it brought, so the
first sync rounds after it use the indexes instead of scanning every contact (issue 14's
capacity profile: 18 of a round's 22 ms of PostgreSQL before, with mid-import statistics)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from sync.hub.crud.campaigns import create_campaign
from sync.hub.db import session_scope
from sync.hub.importing.bulk import ANALYZE_AFTER_ROWS
from tests.support.voter_files import imported, write_rows

# Spoke's upload layout: firstName,lastName,cell,zip
SPOKE = ["firstName", "lastName", "cell", "zip"]


def spoke_file(path: Path, people: int) -> Path:
    rows = [
        {
            "firstName": f"Pat{i}",
            "lastName": "Example",
            "cell": f"(614) {200 + i // 10_000:03d}-{i % 10_000:04d}",
            "zip": "43215",
        }
        for i in range(people)
    ]
    return write_rows(path, SPOKE, rows)


def manual_analyze_of(engine: Engine, table: str) -> object:
    with engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %(t)s", {"t": table}
        ).scalar()


def test_a_large_import_leaves_fresh_statistics(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("planner statistics of this kind are PostgreSQL's")
    with session_scope(engine) as session:
        campaign = create_campaign(session, "Statistics", goal=100)
        campaign_id = campaign.id
    assert campaign_id is not None
    small = spoke_file(tmp_path / "small.csv", 50)
    imported(database_url, campaign_id, small, "--list", "Small")
    assert manual_analyze_of(engine, "contacts") is None  # a small import leaves it be
    large = spoke_file(tmp_path / "large.csv", ANALYZE_AFTER_ROWS + 10)
    imported(database_url, campaign_id, large, "--list", "Large")
    assert manual_analyze_of(engine, "contacts") is not None
    assert manual_analyze_of(engine, "households") is not None
    with engine.connect() as conn:
        estimate = conn.exec_driver_sql(
            "SELECT reltuples FROM pg_class WHERE relname = 'contacts'"
        ).scalar()
    assert estimate is not None and float(estimate) >= ANALYZE_AFTER_ROWS
