"""The sync engine against a real hub (FastAPI app served by uvicorn on loopback)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import text

from desktop.services.core import PhonebankCore, ResultDraft
from desktop.store import contacts as contacts_store
from desktop.store import meta
from desktop.store.sql import Connection
from desktop.sync.engine import SyncEngine
from sync.client.http import HubClient
from sync.hub.crud import users as users_crud
from sync.hub.db import session_scope
from sync.hub.models import DoNotCall
from tests.support.hub_process import free_port
from tests.sync_client.live_hub import EMAIL, PASSWORD, LiveHub, signed_in_with_list


def _outbox(core: PhonebankCore) -> list[tuple[str, str | None]]:
    with core.store.read() as conn:
        rows = conn.execute("SELECT state, hub_status FROM outbox ORDER BY result_id")
        return [(r[0], r[1]) for r in rows]


class LosesResultReplies(requests.Session):
    """Delivers POST /results to the hub, then loses the reply (like a dropped Wi-Fi)."""

    def __init__(self) -> None:
        super().__init__()
        self.lose = 1

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        response = super().request(method, url, *args, **kwargs)
        if url.endswith("/results") and self.lose:
            self.lose -= 1
            raise requests.ConnectionError("connection reset after the request was sent")
        return response


def test_a_lost_reply_is_resent_and_the_hub_stores_each_result_once(
    live_hub_on: Callable[[], LiveHub], make_core: Callable[..., PhonebankCore]
) -> None:
    hub = live_hub_on()  # SQLite, then PostgreSQL
    hub.add_volunteer(EMAIL)
    core = make_core(http=LosesResultReplies())
    _, ids = signed_in_with_list(hub, core)
    saved = [core.record_result(ResultDraft(cid, "contacted")) for cid in ids[:3]]

    lost = core.sync_once()
    assert not lost.ok and lost.retry_in is not None
    assert len(hub.results()) == 3  # the hub got them ...
    assert _outbox(core) == [("pending", None)] * 3  # ... but we never heard back

    again = core.sync_once()
    assert again.ok and again.pushed == 3
    assert sorted(r.id for r in hub.results()) == sorted(str(s.id) for s in saved)
    assert _outbox(core) == [("done", "duplicate")] * 3
    assert core.status().pending == 0


def test_five_hundred_results_go_in_batches(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core()
    _, ids = signed_in_with_list(hub, core, households=2)
    for n in range(450):  # retried calls: many results for two contacts
        core.record_result(ResultDraft(ids[n % 2], "contacted", notes=f"call {n}"))
    report = core.sync_once()
    assert report.ok and report.pushed == 450
    assert len(hub.results()) == 450


def test_data_and_cursor_are_applied_in_one_transaction(
    hub: LiveHub, make_core: Callable[..., PhonebankCore], monkeypatch: pytest.MonkeyPatch
) -> None:
    core = make_core()
    hub.seed(households=3)
    core.sign_in(hub.url, EMAIL, PASSWORD)

    def disk_trouble(*args: object) -> int:
        raise OSError("disk I/O error")

    monkeypatch.setattr(contacts_store, "mark_dnc", disk_trouble)
    report = core.sync_once()
    assert not report.ok and "unexpectedly" in report.message and report.retry_in
    with core.store.read() as conn:
        assert meta.get(conn, meta.CURSOR) is None
    assert core.campaigns() == []  # nothing of that download was kept

    monkeypatch.undo()
    assert core.sync_once().ok
    with core.store.read() as conn:
        assert meta.get(conn, meta.CURSOR)
    assert [c.name for c in core.campaigns()] == ["Campaign Ohio"]


def test_reset_re_sends_every_kept_result_and_the_hub_dedups(
    live_hub_on: Callable[[], LiveHub], make_core: Callable[..., PhonebankCore]
) -> None:
    hub = live_hub_on()  # SQLite, then PostgreSQL
    hub.add_volunteer(EMAIL)
    core = make_core()
    _, ids = signed_in_with_list(hub, core)
    for cid in ids[:2]:
        core.record_result(ResultDraft(cid, "contacted"))
    assert core.sync_once().pushed == 2

    def forget_the_epoch(
        conn: Connection,
    ) -> None:  # as if the hub was restored from an older backup
        meta.put(conn, meta.CURSOR, "another-epoch.999")

    core.store.run_write(forget_the_epoch)
    report = core.sync_once()
    assert report.ok and report.reset and report.pushed == 2
    assert _outbox(core) == [("done", "duplicate")] * 2
    assert len(hub.results()) == 2
    with core.store.read() as conn:
        assert meta.get(conn, meta.CURSOR) != "another-epoch.999"
    assert core.sync_once().reset is False


def test_401_asks_to_sign_in_again_and_keeps_the_outbox(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core()
    _, ids = signed_in_with_list(hub, core)
    core.record_result(ResultDraft(ids[0], "contacted"))
    account = core.saved_account()
    assert account is not None
    token = core.session.token(account.hub_url, account.email)
    assert token
    with session_scope(hub.engine) as session:
        assert users_crud.revoke_token(session, token)

    report = core.sync_once()
    assert report.needs_sign_in and not report.ok and report.changes.account
    assert core.status().needs_sign_in and core.status().pending == 1
    assert core.saved_account().has_token is False  # type: ignore[union-attr]
    assert core.my_list() is not None  # nothing deleted

    core.sign_in(hub.url, EMAIL, PASSWORD)
    assert core.sync_once().pushed == 1
    assert not core.status().needs_sign_in


def test_426_asks_for_an_upgrade_and_keeps_the_outbox(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core()
    _, ids = signed_in_with_list(hub, core)
    core.record_result(ResultDraft(ids[0], "contacted"))
    token = hub.token_for(EMAIL)
    old_app = SyncEngine(core.store, lambda: HubClient(hub.url, token, protocol_version=0))
    report = old_app.sync_once()
    assert report.needs_upgrade and not report.ok and "upgrade" in report.message
    assert core.status().needs_upgrade and core.status().pending == 1
    assert hub.results() == []


def test_unreachable_hub_backs_off_5_10_20_up_to_300(tmp_path: Path) -> None:
    core = PhonebankCore(tmp_path / "laptop")
    try:
        down = f"http://127.0.0.1:{free_port()}"
        engine = SyncEngine(core.store, lambda: HubClient(down, "tok"), rng=lambda: 0.5)
        waits = [engine.sync_once().retry_in for _ in range(9)]
        assert waits == [5, 10, 20, 40, 80, 160, 300, 300, 300]
        jittery = SyncEngine(core.store, lambda: HubClient(down, "tok"), rng=lambda: 0.99)
        first = jittery.sync_once()
        assert first.retry_in is not None and 5 < first.retry_in <= 6
        assert not first.online and "Cannot reach" in first.message
    finally:
        core.close()


def test_get_names_pressed_offline_is_made_at_the_next_sync(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core()
    seeded = hub.seed(households=4)
    core.sign_in(hub.url, EMAIL, PASSWORD)
    assert core.sync_once().ok
    hub.stop()
    queued = core.request_names(seeded.list_id)
    assert queued.kind == "queued"
    assert core.my_list() is None
    assert not core.sync_once().ok
    hub.start()
    report = core.sync_once()
    assert report.ok and report.reserved is not None and report.reserved.kind == "reserved"
    assert report.changes.contacts
    assert core.status().queued_get_names is None
    assert len(core.my_list().rows) == 4  # type: ignore[union-attr]


def test_cooling_down_and_empty_lists(
    hub: LiveHub, make_core: Callable[..., PhonebankCore], tmp_path: Path
) -> None:
    core = make_core()
    list_id, _ = signed_in_with_list(hub, core, households=8)  # list size 8 of 8
    again = core.request_names(list_id)
    assert again.kind == "cooling_down" and again.retry_at is not None
    assert "minutes" in again.message
    hub.add_volunteer("otto@example.org", name="Otto")
    other = PhonebankCore(tmp_path / "other-laptop")
    try:
        other.sign_in(hub.url, "otto@example.org", PASSWORD)
        empty = other.request_names(list_id)
        # The hub's own words: not "finished", just taken by someone else right now.
        assert empty.kind == "empty" and "reserved by other volunteers" in empty.message
        assert other.my_list() is None
    finally:
        other.close()


def test_do_not_call_from_the_hub_reaches_the_laptop(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core()
    _, ids = signed_in_with_list(hub, core)
    view = core.call_view(ids[1])
    with session_scope(hub.engine) as session:
        session.add(DoNotCall(phone=view.phone))
    report = core.sync_once()
    assert report.dnc == 1 and report.changes.contacts
    states = {row.id: row.state for row in core.my_list().rows}  # type: ignore[union-attr]
    assert states[ids[1]] == "dnc"
    assert list(states.values()).count("dnc") == 1


def test_a_finished_list_is_removed_once_its_results_are_acknowledged(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core()
    _, ids = signed_in_with_list(hub, core, households=3)
    with core.store.read() as conn:
        phones = conn.execute("SELECT phone FROM contacts").scalars()
    for cid in ids[:2]:
        core.record_result(ResultDraft(cid, "contacted", notes="Wants a yard sign"))
    hub.stop()
    core.record_result(ResultDraft(ids[2], "refused"))
    assert not core.sync_once().ok
    assert len(core.my_list().rows) == 3  # type: ignore[union-attr]  # unsent: all kept
    hub.start()
    report = core.sync_once()
    assert report.ok and report.pushed == 3
    assert core.my_list().rows == ()  # type: ignore[union-attr]
    with core.store.read() as conn:
        assert conn.execute("SELECT count(*) FROM contacts").scalar_one() == 0
        assert conn.execute("SELECT count(*) FROM results").scalar_one() == 0
    path = core.store.path
    on_disk = b"".join(
        p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists()
    )
    for secret in (*phones, "yard sign"):  # not even in free pages or the WAL
        assert secret.encode() not in on_disk, secret
    assert len(hub.results()) == 3
    assert core.sync_once().ok  # a later sync never brings a cleared list back
    assert core.my_list().rows == ()  # type: ignore[union-attr]


def test_a_second_laptop_gets_the_list_with_the_hub_s_states(
    hub: LiveHub, make_core: Callable[..., PhonebankCore], tmp_path: Path
) -> None:
    core = make_core()
    _, ids = signed_in_with_list(hub, core, households=3)
    core.record_result(ResultDraft(ids[0], "contacted"))
    core.record_result(ResultDraft(ids[1], "do_not_call"))
    assert core.sync_once().pushed == 2
    second = PhonebankCore(tmp_path / "second-laptop")
    try:
        second.sign_in(hub.url, EMAIL, PASSWORD)
        report = second.sync_once()
        assert report.ok and report.changes.contacts
        states = {r.id: r.state for r in second.my_list().rows}  # type: ignore[union-attr]
        assert states == {ids[0]: "done", ids[1]: "dnc", ids[2]: "to_call"}
        assert second.next_contact_id() == ids[2]
    finally:
        second.close()


def test_release_gives_names_back_to_the_hub(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core()
    list_id, ids = signed_in_with_list(hub, core, households=4)
    core.record_result(ResultDraft(ids[0], "contacted"))
    assert core.release_unused().names == 3
    assert core.sync_once().ok
    remaining = {cl.id: cl.remaining for c in core.campaigns() for cl in c.lists}
    assert remaining[list_id] == 3
    assert len(hub.results()) == 1


def test_release_gives_back_the_uncalled_names_of_every_list_on_the_laptop(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    """With a list fetched ahead there are two lists on the laptop; "Release unused names"
    (whose question counts the names of both) must give back both lists' uncalled names."""
    core = make_core()
    seeded = hub.seed(households=12, list_size=4, cooldown_seconds=0)
    core.sign_in(hub.url, EMAIL, PASSWORD)
    assert core.request_names(seeded.list_id).kind == "reserved"
    assert core.request_names(seeded.list_id).kind == "reserved"
    mine = core.my_list()
    assert mine is not None and len(mine.rows) == 8
    core.record_result(ResultDraft(mine.rows[0].id, "contacted"))
    assert mine.remaining == 8
    assert core.release_unused().names == 7
    assert core.my_list() is None or core.my_list().remaining == 0  # type: ignore[union-attr]
    assert core.sync_once().ok
    remaining = {cl.id: cl.remaining for c in core.campaigns() for cl in c.lists}
    assert remaining[seeded.list_id] == 12 - 1  # every uncalled name is back in the pool


def test_a_result_the_hub_refused_as_malformed_is_tried_again_after_a_restart(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    """A 422 keeps the result on the laptop ('rejected') so it never blocks the queue; once
    the hub (or the app) is fixed, the next start of the app sends it again."""

    core = make_core()
    _, ids = signed_in_with_list(hub, core, households=2)
    saved = core.record_result(ResultDraft(ids[0], "contacted"))

    def reject_as_an_old_version_did(conn: Connection) -> None:
        # What a 422 left behind in a data file of a version that stored English only.
        conn.execute(
            "UPDATE outbox SET state = 'rejected', last_error = 'results.0: bad field'"
            " WHERE result_id = :id",
            {"id": str(saved.id)},
        )

    core.store.run_write(reject_as_an_old_version_did)
    assert core.sync_once().ok and hub.results() == []
    status = core.status()
    assert status.pending == 1  # kept, still counted as not sent
    assert status.refused == 1 and str(status.refused_msg) == "results.0: bad field"
    core.close()
    restarted = make_core()
    report = restarted.sync_once()
    assert report.ok and report.pushed == 1
    assert [str(r.id) for r in hub.results()] == [str(saved.id)]
    assert restarted.status().pending == 0


def test_feedback_is_sent_by_the_sync(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core()
    seeded = hub.seed(households=2)
    core.sign_in(hub.url, EMAIL, PASSWORD)
    core.send_feedback("People ask about polling places.", seeded.campaign_id)
    report = core.sync_once()
    assert report.ok and report.feedback_sent == 1
    assert core.status().pending_feedback == 0
    with hub.engine.connect() as conn:
        assert conn.execute(text("SELECT text FROM feedback")).scalars().all() == [
            "People ask about polling places."
        ]


def test_the_next_list_is_fetched_ahead_while_calling_and_older_names_come_first(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core()
    seeded = hub.seed(households=12, list_size=5, cooldown_seconds=0)
    core.sign_in(hub.url, EMAIL, PASSWORD)
    assert core.request_names(seeded.list_id).kind == "reserved"
    first_list = [row.id for row in core.my_list().rows]  # type: ignore[union-attr]
    assert len(first_list) == 5
    for cid in first_list[:3]:
        core.record_result(ResultDraft(cid, "contacted"))
    report = core.sync_once()
    assert report.ok, report.message
    assert report.reserved is None  # two households left: not yet
    core.record_result(ResultDraft(first_list[3], "contacted"))
    report = core.sync_once()
    assert report.ok, report.message
    assert report.reserved is not None, report
    assert report.reserved.kind == "reserved", report.reserved
    rows = core.my_list().rows  # type: ignore[union-attr]
    assert len(rows) == 10 and [r.id for r in rows[:5]] == first_list
    # the last name of the older list first, then the list fetched ahead
    assert core.next_contact_id(first_list[3]) == first_list[4]
    core.record_result(ResultDraft(first_list[4], "refused"))
    assert core.next_contact_id(first_list[4]) == rows[5].id


def test_a_list_reserved_before_the_first_sync_still_has_its_script(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core()
    seeded = hub.seed(households=2)
    core.sign_in(hub.url, EMAIL, PASSWORD)
    assert core.request_names(seeded.list_id).kind == "reserved"  # no sync yet
    first = core.next_contact_id()
    assert first is not None
    view = core.call_view(first)
    assert view.script is not None and view.intro.startswith("Hi ")
    core.record_result(ResultDraft(first, "contacted", {"support": "yes"}))
    assert core.sync_once().pushed == 1
    (stored,) = hub.results()
    assert not stored.quarantined and stored.script_version == view.script.version


def test_results_recorded_after_the_hold_expired_are_accepted_late(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    from tests.support.hub_seed import Clock

    hub.app.state.clock = clock = Clock(datetime.now(UTC))
    core = make_core(clock=clock)  # the laptop and the hub agree on the time
    _, ids = signed_in_with_list(hub, core, households=3)
    hub.stop()  # offline for the afternoon
    clock.advance(hours=2)  # the one-hour hold passed meanwhile
    assert core.my_list().expired  # type: ignore[union-attr]
    core.record_result(ResultDraft(ids[0], "contacted"))
    hub.start()
    report = core.sync_once()
    assert report.ok and report.pushed == 1
    (stored,) = hub.results()
    assert stored.timing == "late" and not stored.quarantined
    assert core.status().pending == 0
    # The volunteer is still calling this expired list (the app says results are kept):
    # the next names stay on the laptop while calls are being recorded...
    assert [r.id for r in core.my_list().rows] == ids  # type: ignore[union-attr]
    clock.advance(minutes=10)
    core.record_result(ResultDraft(ids[1], "no_answer"))
    assert core.sync_once().ok
    assert len(core.my_list().rows) == 3  # type: ignore[union-attr]
    # ...and once nobody has called from it for a while, its voter data leaves (SPEC 3.8).
    clock.advance(minutes=16)
    assert core.sync_once().ok
    with core.store.read() as conn:
        assert conn.execute("SELECT count(*) FROM contacts").scalar_one() == 0
        assert conn.execute("SELECT count(*) FROM outbox").scalar_one() == 0


class FeedbackEndpointBroken(requests.Session):
    """The hub answers 500 to feedback (a hub bug) and works for everything else."""

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if url.endswith("/feedback"):
            broken = requests.Response()
            broken.status_code = 500
            broken._content = b'{"detail": "Internal error on the hub."}'
            return broken
        return super().request(method, url, *args, **kwargs)


def test_failing_feedback_does_not_hold_up_results_or_downloads(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core(http=FeedbackEndpointBroken())
    _, ids = signed_in_with_list(hub, core)
    core.send_feedback("hello organizers")
    core.record_result(ResultDraft(ids[0], "contacted"))
    report = core.sync_once()
    assert report.ok and report.pushed == 1 and report.pulled
    assert core.status().pending_feedback == 1  # kept for the next round


def test_saving_while_syncing_on_another_thread_loses_nothing(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    import threading

    core = make_core()
    _, ids = signed_in_with_list(hub, core, households=4)
    saved: list[str] = []
    done = threading.Event()

    later = datetime.now(UTC) + timedelta(days=1)  # call-backs keep the list open

    def caller() -> None:  # the database worker, saving as fast as it can
        try:
            for n in range(120):
                draft = ResultDraft(ids[n % 4], "call_back", call_back_at=later)
                saved.append(str(core.record_result(draft).id))
        finally:
            done.set()

    worker = threading.Thread(target=caller)
    worker.start()
    rounds = 0
    while not done.is_set() or core.status().pending:  # the network pool, syncing meanwhile
        report = core.sync_once()
        assert report.ok, report.message
        rounds += 1
        assert rounds < 500
    worker.join()
    assert sorted(r.id for r in hub.results()) == sorted(saved)
    assert len(saved) == 120


class LosesReservationReplies(requests.Session):
    """Delivers POST /reservations to the hub, then loses (or duplicates) the reply."""

    def __init__(self, *, duplicate: bool = False) -> None:
        super().__init__()
        self.duplicate = duplicate
        self.faults = 1

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        response = super().request(method, url, *args, **kwargs)
        if method == "POST" and url.endswith("/reservations") and self.faults:
            self.faults -= 1
            if self.duplicate:  # a proxy sent it twice; the copy's answer is the one we see
                return super().request(method, url, *args, **kwargs)
            raise requests.ConnectionError("connection reset after the request was sent")
        return response


def _lists_granted(hub: LiveHub) -> int:
    with hub.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM reservations")).scalar_one())


@pytest.mark.parametrize("cooldown", [0, 600])
def test_get_names_whose_reply_was_lost_gets_that_list_and_never_a_second(
    hub: LiveHub, make_core: Callable[..., PhonebankCore], cooldown: int
) -> None:
    core = make_core(http=LosesReservationReplies())
    seeded = hub.seed(households=12, list_size=4, cooldown_seconds=cooldown)
    core.sign_in(hub.url, EMAIL, PASSWORD)
    assert core.sync_once().ok
    assert core.request_names(seeded.list_id).kind == "queued"  # no answer: as if offline
    assert _lists_granted(hub) == 1  # but the hub granted it

    report = core.sync_once()  # the download brings the granted list: the request is done
    assert report.ok and report.reserved is not None and report.reserved.kind == "reserved"
    assert core.status().queued_get_names is None
    assert len(core.my_list().rows) == 4  # type: ignore[union-attr]
    assert core.sync_once().ok
    assert _lists_granted(hub) == 1  # no second list held from other volunteers


def test_get_names_answered_cooling_down_by_a_duplicate_shows_the_names_it_got(
    hub: LiveHub, make_core: Callable[..., PhonebankCore]
) -> None:
    core = make_core(http=LosesReservationReplies(duplicate=True))
    seeded = hub.seed(households=12, list_size=4, cooldown_seconds=600)
    core.sign_in(hub.url, EMAIL, PASSWORD)
    assert core.sync_once().ok
    outcome = core.request_names(seeded.list_id)  # the copy's answer: 429, cooling down
    assert outcome.kind == "reserved", outcome
    assert outcome.message == "4 names reserved for you."
    assert len(core.my_list().rows) == 4  # type: ignore[union-attr]
    assert core.status().queued_get_names is None
    assert _lists_granted(hub) == 1
