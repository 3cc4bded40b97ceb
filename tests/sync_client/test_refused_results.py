"""A saved result the hub cannot take stays on the laptop, and the volunteer can learn why.

What a volunteer depends on: one bad result never blocks the others; it is kept (counted as
not sent) and the reason is stored as a message code, so the status bar words it in the
volunteer's language rather than in the English the hub or the protocol used.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from desktop.services.core import PhonebankCore, ResultDraft
from desktop.store.sql import Connection
from sync.messages import Code
from sync.protocol import MAX_NOTES_CHARS
from tests.sync_client.live_hub import LiveHub, signed_in_with_list


def test_a_result_the_protocol_cannot_carry_is_kept_with_a_coded_reason(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core()
    _, (first, second, _) = signed_in_with_list(hub, core, households=3)
    good = core.record_result(ResultDraft(second, "no_answer"))
    bad_id = uuid.uuid4()

    def a_result_with_notes_longer_than_the_protocol_allows(conn: Connection) -> None:
        # What a data file written by another version could hold (results are append-only,
        # so it is a row of its own, copied from a real one).
        conn.execute(
            "INSERT INTO results (id, contact_id, reservation_id, fence, campaign_id,"
            " disposition, answers, notes, started_at, ended_at, script_version, created_at)"
            " SELECT :bad, :contact, reservation_id, fence, campaign_id, 'contacted', answers,"
            " :notes, started_at, ended_at, script_version, created_at"
            " FROM results WHERE id = :good",
            {
                "bad": str(bad_id),
                "contact": first,
                "notes": "x" * (MAX_NOTES_CHARS + 1),
                "good": str(good.id),
            },
        )
        conn.execute("INSERT INTO outbox (result_id) VALUES (:bad)", {"bad": str(bad_id)})

    core.store.run_write(a_result_with_notes_longer_than_the_protocol_allows)
    report = core.sync_once()
    assert report.ok
    assert [str(r.id) for r in hub.results()] == [str(good.id)]  # the other one went
    status = core.status()
    assert status.pending == 1 and status.refused == 1
    assert status.refused_msg is not None
    assert status.refused_msg.code is Code.CANNOT_BE_SENT
    assert "20000" in str(status.refused_msg.params["why"])  # pydantic's own words, kept


def test_nothing_refused_says_nothing(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core()
    _, contacts = signed_in_with_list(hub, core, households=2)
    core.record_result(ResultDraft(contacts[0], "contacted"))
    status = core.status()
    assert status.pending == 1 and status.refused == 0 and status.refused_msg is None
    assert core.sync_once().ok
    assert core.status().refused == 0
