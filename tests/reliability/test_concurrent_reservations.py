"""Proof at scale: 200 volunteers reserving, releasing and letting holds expire at once,
through two `phonebank-hub serve` processes on one PostgreSQL, never hold a contact twice.

The load and both proofs (from the answers, and a query over the whole grant history in
reservation_items) are tests/hub/test_concurrency.py's; this runs them with four times the
clients (and 500 clients under `make soak`), and prints the figures for docs/reliability.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hub.test_concurrency import prove_no_double_holds
from tests.reliability.conftest import Figures
from tests.support.databases import postgres_database
from tests.support.hub_process import HubProcess


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("clients", "rounds"), [(200, 2), pytest.param(500, 6, marks=pytest.mark.slow)]
)
def test_200_clients_two_hubs_one_postgres_never_hold_a_contact_twice(
    hub_factory: Callable[..., HubProcess], clients: int, rounds: int, figures: Figures
) -> None:
    with postgres_database() as url:
        load = prove_no_double_holds(
            url, 2, hub_factory, clients=clients, rounds=rounds, households=3 * clients
        )
    figures.add(f"concurrency, PostgreSQL: {load}")
    assert load.after_expiry > 0 and load.after_release > 0  # both hand-overs ran


def test_200_clients_one_hub_sqlite_never_hold_a_contact_twice(
    hub_factory: Callable[..., HubProcess], tmp_path: Path, figures: Figures
) -> None:
    load = prove_no_double_holds(
        f"sqlite:///{tmp_path}/hub.db", 1, hub_factory, clients=200, rounds=2, households=600
    )
    figures.add(f"concurrency, SQLite: {load}")
    assert load.after_expiry > 0 and load.after_release > 0  # both hand-overs ran
