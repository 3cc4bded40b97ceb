"""SPEC §3.4: Ana holds a list, goes offline, her hold runs out, Ben is given the same
household and both call it. Both results are kept: Ben's on time, Ana's late with a conflict
and flagged for an organizer. Neither laptop ever shows an error."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from desktop.services.core import PhonebankCore, ResultDraft
from tests.e2e.seed import VOLUNTEER_PASSWORD, Seeded, execute, query
from tests.reliability.conftest import Figures
from tests.reliability.fault_proxy import FaultProxy
from tests.reliability.helpers import list_id, signed_in_with_list, sync_until_sent
from tests.support.hub_process import HubProcess, run_hub_cli

BEN = "ben@example.org"


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def no_error_shown(core: PhonebankCore) -> None:
    status = core.status()
    assert status.last_error is None and not status.needs_sign_in, status
    assert status.pending == 0


def test_a_hold_expired_offline_and_given_to_another_keeps_both_results_and_flags_one(
    seeded_hub_any_db: Seeded,
    hub_factory: Callable[..., HubProcess],
    laptop: Callable[..., PhonebankCore],
    figures: Figures,
) -> None:
    url = seeded_hub_any_db.database_url
    added = run_hub_cli(url, "add-user", BEN, "--name", "Ben", stdin=VOLUNTEER_PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    execute(url, "UPDATE campaigns SET hold_seconds = 1")  # Ana's hold: one second
    hub = hub_factory(url)
    with FaultProxy(hub.url, seed=0) as ana_link:
        ana = laptop("ana")
        ana_contacts = signed_in_with_list(ana, ana_link.url)
        execute(url, "UPDATE campaigns SET hold_seconds = 3600")  # Ben's: an hour
        ana_link.offline = True  # Ana's Wi-Fi is gone for the afternoon
        expires = ana.my_list().expires_at  # type: ignore[union-attr]
        wait_until(lambda: datetime.now(UTC) > expires)

        ben = laptop("ben")
        ben.sign_in(hub.url, BEN, VOLUNTEER_PASSWORD)
        assert ben.sync_once().ok
        assert ben.request_names(list_id(ben, "Ohio")).kind == "reserved"
        ben_contacts = [row.id for row in ben.my_list().rows]  # type: ignore[union-attr]
        shared = ana_contacts[0]
        assert shared in ben_contacts  # the household went to Ben

        assert ana.my_list().expired  # type: ignore[union-attr]
        ana_saved = ana.record_result(ResultDraft(shared, "contacted", notes="Ana, offline"))
        ben_saved = ben.record_result(ResultDraft(shared, "contacted", notes="Ben"))
        offline = ana.sync_once()
        assert not offline.ok and not offline.online
        sync_until_sent(ben)

        ana_link.offline = False  # back online
        drain = sync_until_sent(ana)
        assert drain.failed == 0
        # Her next round, and Ben's, still say nothing is wrong.
        assert ana.sync_once().ok and ben.sync_once().ok
        no_error_shown(ana)
        no_error_shown(ben)

    stored = {
        str(row[0]): row[1:]
        for row in query(url, "SELECT id, timing, flagged, quarantined FROM call_results")
    }
    figures.add(f"stored: {sorted(stored.values())}")
    assert stored[str(ana_saved.id)] == ("late_conflict", True, False)
    assert stored[str(ben_saved.id)] == ("on_time", False, False)
    assert len(stored) == 2
