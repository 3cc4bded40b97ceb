"""End-to-end fixtures: a seeded hub database and a real hub process on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.seed import Seeded, seed_hub
from tests.support.hub_process import hub_factory  # noqa: F401 (fixture)


@pytest.fixture
def seeded_hub_db(tmp_path: Path) -> Seeded:
    """A SQLite hub database with a volunteer, a campaign, the GOTV script and one list."""
    return seed_hub(f"sqlite:///{tmp_path / 'hub.db'}", tmp_path)


@pytest.fixture
def seeded_hub_any_db(database_url: str, tmp_path: Path) -> Seeded:
    """The same seed on each hub database: SQLite, then PostgreSQL (the production one)."""
    return seed_hub(database_url, tmp_path)
