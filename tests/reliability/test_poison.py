"""SPEC §3.3: results the hub can never accept are quarantined there (kept, flagged, answered
2xx), a result the laptop cannot even put on the wire is set aside on the laptop, and the
results saved after them still reach the hub."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from desktop.services.core import PhonebankCore
from desktop.store import results as results_store
from desktop.store.sql import Connection
from tests.e2e.seed import Seeded, query
from tests.reliability.conftest import Figures
from tests.reliability.helpers import (
    DISPOSITIONS,
    Drain,
    hub_result_ids,
    list_id,
    make_calls,
    signed_in_with_list,
    sync_until_sent,
)
from tests.support.hub_process import HubProcess

LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)  # saved before every good result: sent first


def poisons(template: results_store.ResultRecord) -> dict[str, results_store.ResultRecord]:
    """Rows as an older or buggy app might have left them, each with a fresh id."""

    def bad(**fields: object) -> results_store.ResultRecord:
        return replace(template, id=uuid.uuid4(), created_at=LONG_AGO, **fields)  # type: ignore[arg-type]

    return {
        "unknown contact": bad(contact_id=987_654_321),
        "id beyond 32 bits": bad(contact_id=2**40, reservation_id=2**40),
        "unknown reservation": bad(reservation_id=987_654_321, fence=987_654_321),
        "wrong fence": bad(fence=template.fence + 1_000),
        "unknown question": bad(answers={"shoe_size": "44"}),
        "unknown script version": bad(script_version=99),
    }


def test_poison_results_are_quarantined_and_later_results_still_sync(
    seeded_hub_any_db: Seeded,
    hub_factory: Callable[..., HubProcess],
    laptop: Callable[..., PhonebankCore],
    figures: Figures,
) -> None:
    hub = hub_factory(seeded_hub_any_db.database_url)
    core = laptop()
    signed_in_with_list(core, hub.url)
    core.engine.batch_size = 4  # the poisons spread over several batches with good results
    drain = Drain()
    first = make_calls(core, list_id(core, "Ohio"), 1, sync_every=2, drain=drain)

    def insert_poisons(conn: Connection) -> tuple[dict[str, results_store.ResultRecord], Any]:
        template = results_store.get(conn, uuid.UUID(first[0]))
        assert template is not None
        bad = poisons(template)
        for record in bad.values():
            results_store.insert(conn, record)
        # and one the laptop itself cannot put on the wire (a disposition it no longer knows)
        unsendable = replace(template, id=uuid.uuid4(), created_at=LONG_AGO, disposition="x")
        results_store.insert(conn, unsendable)
        return bad, unsendable

    bad, unsendable = core.store.run_write(insert_poisons)
    later = make_calls(core, list_id(core, "Ohio"), len(DISPOSITIONS), sync_every=100, drain=drain)

    def nothing_pending(report: object) -> bool:
        with core.store.read() as conn:
            waiting = conn.execute("SELECT count(*) FROM outbox WHERE state = 'pending'")
            return waiting.scalar_one() == 0

    sync_until_sent(core, drain, until=nothing_pending)
    assert drain.failed == 0, drain.messages

    url = seeded_hub_any_db.database_url
    good = set(first + later)
    rows = {
        str(r[0]): (bool(r[1]), r[2])
        for r in query(url, "SELECT id, quarantined, quarantine_reason FROM call_results")
    }
    assert {i for i, (q, _) in rows.items() if not q} == good
    quarantined = {i: reason for i, (q, reason) in rows.items() if q}
    assert set(quarantined) == {str(r.id) for r in bad.values()}
    assert all(quarantined.values())
    assert sorted(hub_result_ids(url)) == sorted(good | set(quarantined))
    with core.store.read() as conn:
        states = dict(conn.execute("SELECT result_id, state FROM outbox").all())
    assert states[str(unsendable.id)] == "rejected"  # kept on the laptop, counted as unsent
    assert core.status().pending == 1
    figures.add(
        f"{len(good)} good results all stored; {len(bad)} poisons quarantined "
        f"({', '.join(bad)}); 1 unsendable kept on the laptop; {drain.failed} rounds failed"
    )
