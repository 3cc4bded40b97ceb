"""Proof: a laptop killed at any moment of record / push / pull loses nothing, corrupts
nothing, and its results reach the hub exactly once (SPEC §3).

A real `phonebank-hub serve` process; the laptop's core runs in a forked child that is
SIGKILLed at a random moment (see client_crash.py), 200 times (2,000 under `make soak`).
After every kill the file is checked as the next start-up finds it; at the end one clean
sync, and the hub must hold every result on the laptop, each once, and nothing else.
The seed is printed; PHONEBANK_CRASH_SEED=<seed> replays a run.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from desktop.services.core import PhonebankCore
from sync.client.http import HubClient
from sync.hub import migrate
from sync.hub.db import make_engine
from tests.reliability.client_crash import PHASES, ChildKiller, CrashTally, check_after_kill
from tests.reliability.conftest import Figures
from tests.reliability.hub_setup import (
    PASSWORD,
    add_volunteers,
    hub_result_counts,
    seed_campaign,
)
from tests.support.hub_process import HubProcess

EMAIL = "crash@example.org"
FINAL_SYNC_ROUNDS = 10
# Share of rounds in which the hub grants a list whose reply the laptop never got ("Get
# names" on a dropping connection): the next download brings it, with the cursor.
LOST_REPLIES = 0.2


def _signed_in_laptop(data_dir: Path, hub_url: str, list_id: int) -> HubClient:
    """Sign in and get a list; returns a client with the laptop's token."""
    core = PhonebankCore(data_dir)
    try:
        core.sign_in(hub_url, EMAIL, PASSWORD)  # the token goes to the (in-memory) keyring
        assert core.sync_once().ok
        assert core.request_names(list_id).kind == "reserved"
        client = core.session.client()
        assert client is not None
        return client
    finally:
        core.close()  # the children open the file themselves, as the app does at start-up


def _final_sync(data_dir: Path) -> None:
    core = PhonebankCore(data_dir)
    try:
        for _ in range(FINAL_SYNC_ROUNDS):
            report = core.sync_once()
            if report.ok and core.status().pending == 0:
                return
        raise AssertionError(f"results still unsent after a clean sync: {report.message}")
    finally:
        core.close()


def _crash_many_times(
    database_url: str,
    hub_factory: Callable[..., HubProcess],
    data_dir: Path,
    kills: int,
    figures: Figures,
) -> None:
    seed = int(os.environ.get("PHONEBANK_CRASH_SEED") or random.randrange(2**32))
    print(f"client crashes: seed {seed}")
    engine: Engine = make_engine(database_url)
    migrate.upgrade(engine)
    try:
        (volunteer_id,) = add_volunteers(engine, [EMAIL])
        # Lists of 5 households; the sync engine fetches the next list ahead as one ends.
        # Holds run out within the run, so the laptop holds a few lists, as volunteers do,
        # rather than every list of the run (and late results are part of the mix).
        seeded = seed_campaign(engine, households=kills * 5, list_size=5, hold_seconds=20)
        hub = hub_factory(database_url)
        hub_client = _signed_in_laptop(data_dir, hub.url, seeded.list_id)

        killer = ChildKiller(data_dir, seeded.list_id, random.Random(seed))
        tally = CrashTally(seed)
        for _ in range(kills):
            if killer.rng.random() < LOST_REPLIES:  # the laptop hears of this list at a pull
                hub_client.reserve(seeded.list_id)
            killed = killer.kill_one()
            tally.kills_by_phase[killed.phase_hit] += 1
            tally.reported_saved.update(killed.saved)
            tally.made |= tally.reported_saved | check_after_kill(
                data_dir, engine, volunteer_id, tally.reported_saved
            )

        _final_sync(data_dir)
        counts = hub_result_counts(engine)
    finally:
        engine.dispose()
    figures.add(f"{tally.line(counts)}; phase lengths (median) {killer.lengths_text()}")
    assert all(tally.kills_by_phase[phase] >= kills // 20 for phase in PHASES)  # all were hit
    assert set(counts) == tally.made  # nothing lost, nothing the laptop didn't make
    assert set(counts.values()) == {1}  # each once


# The laptop's store is always SQLite; the hub's database changes only what it answers, so
# the PostgreSQL hub gets fewer kills in `make test` (time) and as many under `make soak`.
SHORT_KILLS = {"sqlite": 200, "postgres": 30}


def test_client_killed_at_random_loses_and_doubles_nothing(
    database_url: str, hub_factory: Callable[..., HubProcess], tmp_path: Path, figures: Figures
) -> None:
    kills = SHORT_KILLS["sqlite" if database_url.startswith("sqlite") else "postgres"]
    _crash_many_times(database_url, hub_factory, tmp_path / "laptop", kills, figures)


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_client_killed_2000_times_loses_and_doubles_nothing(
    database_url: str, hub_factory: Callable[..., HubProcess], tmp_path: Path, figures: Figures
) -> None:
    _crash_many_times(database_url, hub_factory, tmp_path / "laptop", 2000, figures)
