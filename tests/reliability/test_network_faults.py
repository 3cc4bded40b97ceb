"""Results go from the real sync engine through a proxy that breaks the connection on
purpose (tests/reliability/fault_proxy.py) to a real hub process: none lost, none doubled."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.services.core import PhonebankCore
from tests.e2e.seed import Seeded, execute
from tests.reliability.conftest import Figures, fault_seed
from tests.reliability.fault_proxy import FaultProxy
from tests.reliability.helpers import (
    Drain,
    hub_result_ids,
    import_list,
    list_id,
    lost_and_doubled,
    make_calls,
    sign_in,
    sync_until_sent,
)
from tests.support.hub_process import HubProcess

# About half of all requests meet a fault; every kind the proxy knows is in the mix.
FAULT_RATES = {
    "delay": 0.06,
    "drop": 0.06,
    "reset_request": 0.05,
    "status_500": 0.03,
    "status_502": 0.03,
    "status_503": 0.03,
    "portal": 0.03,
    "duplicate": 0.08,
    "reset_response": 0.06,
    "lose_response": 0.08,
}


@pytest.mark.parametrize(
    ("results", "sync_every", "batch_size"),
    [
        pytest.param(1000, 40, 50, id="1000"),
        pytest.param(10_000, 100, 25, id="10000", marks=pytest.mark.slow),
    ],
)
def test_results_through_random_faults_arrive_exactly_once(
    seeded_hub_any_db: Seeded,
    hub_factory: Callable[..., HubProcess],
    laptop: Callable[..., PhonebankCore],
    figures: Figures,
    tmp_path: Path,
    results: int,
    sync_every: int,
    batch_size: int,
) -> None:
    seeded = seeded_hub_any_db
    import_list(seeded, tmp_path, results + results // 5)
    # Lists of 100 (an organizer's choice): the subject is results, not fifty "Get names".
    execute(seeded.database_url, "UPDATE campaigns SET list_size = 100")
    hub = hub_factory(seeded.database_url)
    seed = fault_seed()
    with FaultProxy(hub.url, seed=seed, rates=FAULT_RATES) as proxy:
        core = laptop(ram_disk=True)
        core.engine.batch_size = batch_size  # more batches, more requests to break
        with proxy.pause_faults():
            sign_in(core, proxy.url)
        drain = Drain()
        created = make_calls(
            core, list_id(core, "Big"), results, sync_every=sync_every, drain=drain
        )
        sync_until_sent(core, drain)

    stored = hub_result_ids(seeded.database_url)
    lost, doubled = lost_and_doubled(created, stored)
    figures.add(
        f"seed {seed}: {len(created)} results pushed, {proxy.summary()}, "
        f"{drain.failed} of {drain.rounds} sync rounds failed, "
        f"lost {lost}, doubled {doubled}"
    )
    assert proxy.injected.total() > 0
    assert sorted(stored) == sorted(created), f"seed {seed}: lost {lost}, doubled {doubled}"
    assert core.status().pending == 0
    # The count the campaign shows: every call once.
    (campaign,) = [c for c in core.campaigns() if c.id == seeded.campaign_id]
    assert campaign.calls_made == results
