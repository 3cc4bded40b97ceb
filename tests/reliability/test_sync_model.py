"""A Hypothesis state machine: several laptops (the real core, sync engine and SQLite
stores) and one hub (the real app served on loopback), with partitions, lost replies and
restarts of laptops and hub in any order.

After every step the hub holds no result that no laptop made; at the end of each example
every laptop is healed and synced, and the hub's results are exactly the union of the
results made on all laptops, each once (SPEC §3: never lost, never counted twice).
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import bindparam, text

from desktop.services.core import PhonebankCore, ResultDraft
from tests.reliability.conftest import Figures
from tests.reliability.hub_setup import PASSWORD, add_volunteers, seed_campaign
from tests.support.hub_seed import seed_list
from tests.sync_client.live_hub import LiveHub

LAPTOPS = 2
FINAL_SYNC_ROUNDS = 5
HUB_RESTARTS = 2  # at most, per example
DISPOSITIONS = ("no_answer", "busy", "contacted", "refused")


class FlakyNetwork(requests.Session):
    """The laptop's link to the hub: cut (nothing gets through), or losing the reply to
    the next request after the hub has handled it."""

    def __init__(self) -> None:
        super().__init__()
        self.cut = False
        self.lose_next_reply = False

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if self.cut:
            raise requests.ConnectionError("network unreachable (partition)")
        response = super().request(method, url, *args, **kwargs)
        if self.lose_next_reply:
            self.lose_next_reply = False
            raise requests.ConnectionError("connection reset after the request was sent")
        return response


@dataclass
class Laptop:
    data_dir: Path
    email: str
    network: FlakyNetwork = field(default_factory=FlakyNetwork)
    core: PhonebankCore | None = None

    def open(self) -> PhonebankCore:
        self.core = PhonebankCore(self.data_dir, http=self.network)
        return self.core

    def close(self) -> None:
        if self.core is not None:
            self.core.close()
            self.core = None


@dataclass
class ModelTally:
    examples: int = 0
    steps: int = 0
    results: int = 0
    rules: Counter[str] = field(default_factory=Counter)

    def line(self, database: str) -> str:
        rules = ", ".join(f"{name} {n}" for name, n in sorted(self.rules.items()))
        return (
            f"sync model, {database} hub: {self.examples} examples, {self.steps} steps, "
            f"{self.results} results made, all on the hub once; steps by rule: {rules}"
        )


def _machine(hub: LiveHub, campaign_id: int, steps: int, root: Path, figures: ModelTally) -> type:
    examples = itertools.count()

    class SyncModel(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            n = next(examples)
            figures.examples += 1
            self.laptops = [
                Laptop(root / f"example{n}" / f"laptop{i}", f"laptop{i}-{n}@example.org")
                for i in range(LAPTOPS)
            ]
            self.volunteer_ids = add_volunteers(hub.engine, [lap.email for lap in self.laptops])
            # A list of its own, never used up: no example depends on what others called.
            self.list_id = seed_list(
                hub.engine,
                campaign_id=campaign_id,
                households=LAPTOPS * 5 + steps * 2,
                name=f"List {n}",
            ).list_id
            self.made: set[str] = set()
            self.hub_restarts = 0
            for laptop in self.laptops:
                core = laptop.open()
                core.sign_in(hub.url, laptop.email, PASSWORD)
                assert core.request_names(self.list_id).kind == "reserved"

        def _core(self, index: int) -> PhonebankCore:
            core = self.laptops[index].core
            assert core is not None
            return core

        def _step(self, name: str) -> None:
            figures.steps += 1
            figures.rules[name] += 1

        # ------------------------------------------------------------ rules

        @initialize(dispositions=st.lists(st.sampled_from(DISPOSITIONS), min_size=1, max_size=3))
        def first_calls(self, dispositions: list[str]) -> None:
            """Every laptop starts with results to send (whatever rules the example uses)."""
            for laptop in range(LAPTOPS):
                self._record(laptop, dispositions)

        @rule(
            laptop=st.integers(0, LAPTOPS - 1),
            dispositions=st.lists(st.sampled_from(DISPOSITIONS), min_size=1, max_size=4),
        )
        def record(self, laptop: int, dispositions: list[str]) -> None:
            """A few calls in a row, as a volunteer makes them."""
            self._step("record")
            self._record(laptop, dispositions)

        def _record(self, laptop: int, dispositions: list[str]) -> None:
            core = self._core(laptop)
            for disposition in dispositions:
                contact_id = core.next_contact_id()
                if contact_id is None:  # the list is done: ask for more (queued when offline)
                    core.request_names(self.list_id)
                    return
                saved = core.record_result(ResultDraft(contact_id, disposition))
                self.made.add(str(saved.id))
                figures.results += 1

        @rule(laptop=st.integers(0, LAPTOPS - 1))
        def sync(self, laptop: int) -> None:
            self._step("sync")
            self._core(laptop).sync_once()  # may fail: cut off, hub down; never raises

        @rule(laptop=st.integers(0, LAPTOPS - 1))
        def partition(self, laptop: int) -> None:
            self._step("partition")
            self.laptops[laptop].network.cut = True

        @rule(laptop=st.integers(0, LAPTOPS - 1))
        def heal(self, laptop: int) -> None:
            """The link comes back; the app's timer runs a round soon after."""
            self._step("heal")
            self.laptops[laptop].network.cut = False
            self._core(laptop).sync_once()

        @rule(laptop=st.integers(0, LAPTOPS - 1))
        def lose_next_reply(self, laptop: int) -> None:
            self._step("lose_next_reply")
            self.laptops[laptop].network.lose_next_reply = True

        @rule(laptop=st.integers(0, LAPTOPS - 1))
        def restart_laptop(self, laptop: int) -> None:
            self._step("restart_laptop")
            self.laptops[laptop].close()
            self.laptops[laptop].open().sync_once()  # the app syncs at start-up

        @precondition(lambda self: self.hub_restarts < HUB_RESTARTS)  # each costs ~0.3 s
        @rule()
        def restart_hub(self) -> None:
            self._step("restart_hub")
            self.hub_restarts += 1
            hub.stop()
            hub.engine.dispose()  # the same database, new connections
            hub.start()

        # ------------------------------------------------------------ checks

        def _on_hub(self) -> Counter[str]:
            query = text("SELECT id FROM call_results WHERE volunteer_id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            )
            with hub.engine.connect() as conn:
                return Counter(str(r[0]) for r in conn.execute(query, {"ids": self.volunteer_ids}))

        @invariant()
        def hub_holds_only_results_laptops_made(self) -> None:
            assert set(self._on_hub()) <= self.made

        def teardown(self) -> None:
            try:
                for laptop in self.laptops:
                    laptop.network.cut = laptop.network.lose_next_reply = False
                    core = self._core(self.laptops.index(laptop))
                    for _ in range(FINAL_SYNC_ROUNDS):
                        if core.sync_once().ok and core.status().pending == 0:
                            break
                    assert core.status().pending == 0, "results left unsent after healing"
                on_hub = self._on_hub()
                assert set(on_hub) == self.made, (
                    f"lost {len(self.made - set(on_hub))}, unknown {len(set(on_hub) - self.made)}"
                )
                assert set(on_hub.values()) <= {1}
            finally:
                for laptop in self.laptops:
                    laptop.close()

    return SyncModel


def _run(database_url: str, root: Path, examples: int, steps: int, *, shrink: bool) -> str:
    """`shrink`: on a failure, look for the shortest failing run (minutes at this size: the
    short variant reports the failing run as found, so `make test` stays fast)."""
    hub = LiveHub(database_url).start()
    try:
        campaign_id = seed_campaign(hub.engine, households=0, list_size=5).campaign_id
        figures = ModelTally()
        machine = _machine(hub, campaign_id, steps, root, figures)
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=examples,
                stateful_step_count=steps,
                deadline=None,
                derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                database=None,
                phases=[p for p in Phase if shrink or p != Phase.shrink],
            ),
        )
    finally:
        hub.close()
    return figures.line("SQLite" if database_url.startswith("sqlite") else "PostgreSQL")


SHORT = {"sqlite": (8, 20), "postgres": (4, 20)}  # examples, steps per example


def test_hub_results_are_the_union_of_laptop_results(
    database_url: str, tmp_path: Path, figures: Figures
) -> None:
    examples, steps = SHORT["sqlite" if database_url.startswith("sqlite") else "postgres"]
    figures.add(_run(database_url, tmp_path, examples, steps, shrink=False))


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_hub_results_are_the_union_of_laptop_results_long(
    database_url: str, tmp_path: Path, figures: Figures
) -> None:
    figures.add(_run(database_url, tmp_path, examples=200, steps=50, shrink=True))
