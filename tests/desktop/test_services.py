"""The use cases the UI calls, on a real store, without a hub."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.services.core import PhonebankCore, ResultDraft, UserError
from desktop.store import contacts as contacts_store
from desktop.store import meta
from desktop.store import reservations as reservations_store
from desktop.store import results as results_store
from desktop.store.sql import Connection
from sync.client import credentials
from sync.protocol import ContactPhone, Policy
from tests.support.hub_process import free_port
from tests.sync_client.local_data import NOW, reservation, seed


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def core(tmp_path: Path, clock: Clock) -> Iterator[PhonebankCore]:
    core = PhonebankCore(tmp_path / "data", clock=clock)
    yield core
    core.close()


def _counts(core: PhonebankCore) -> tuple[int, int]:
    with core.store.read() as conn:
        n_results = conn.execute("SELECT count(*) FROM results").scalar_one()
        n_outbox = conn.execute("SELECT count(*) FROM outbox").scalar_one()
    return n_results, n_outbox


def test_record_result_writes_result_outbox_and_state_together(core: PhonebankCore) -> None:
    r = seed(core.store)
    first = r.contacts[0].id
    saved = core.record_result(
        ResultDraft(first, "contacted", {"support": "yes", "issues": ["jobs"]}, "said hi")
    )
    assert saved.contact_state == "done" and saved.pending == 1
    assert _counts(core) == (1, 1)
    view = core.call_view(first)
    assert [(a.result_id, a.disposition, a.synced) for a in view.attempts] == [
        (saved.id, "contacted", False)
    ]
    assert core.status().pending == 1


def test_a_failing_write_leaves_neither_result_nor_outbox(
    core: PhonebankCore, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = seed(core.store)

    def broken(*args: object, **kwargs: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(contacts_store, "apply_disposition", broken)
    with pytest.raises(OSError):
        core.record_result(ResultDraft(r.contacts[0].id, "contacted"))
    assert _counts(core) == (0, 0)
    assert core.my_list().rows[0].state == "to_call"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("draft_kwargs", "message"),
    [
        ({"disposition": "maybe"}, "Unknown call outcome"),
        ({"disposition": "call_back"}, "when to call back"),
        (
            {"disposition": "call_back", "call_back_at": NOW - timedelta(minutes=1)},
            "in the future",
        ),
        ({"disposition": "contacted", "answers": {"nope": "x"}}, "no question 'nope'"),
        ({"disposition": "contacted", "answers": {"issues": "jobs"}}, "list of answers"),
        ({"disposition": "contacted", "answers": {"support": {"x": 1}}}, "'support' is not text"),
        ({"disposition": "contacted", "answers": {"support": 2.5}}, "'support' is not text"),
        ({"disposition": "contacted", "notes": "x" * 20_001}, "too long"),
        # The hub's limits (sync/protocol.py): kept on the laptop, so nothing queued is refused.
        (
            {"disposition": "contacted", "answers": {"support": "x" * 5_001}},
            "The answer to 'support' is longer than 5000 characters",
        ),
        (
            {"disposition": "contacted", "answers": {"issues": [str(n) for n in range(51)]}},
            "'issues' has more than 50 choices",
        ),
        ({"disposition": "contacted", "ended_at": datetime(2026, 3, 3, 15)}, "time zone"),
    ],
)
def test_bad_drafts_are_refused_in_plain_words_and_nothing_is_saved(
    core: PhonebankCore, draft_kwargs: dict[str, object], message: str
) -> None:
    r = seed(core.store)
    with pytest.raises(UserError, match=message):
        core.record_result(ResultDraft(contact_id=r.contacts[0].id, **draft_kwargs))  # type: ignore[arg-type]
    assert _counts(core) == (0, 0)


def test_unknown_contact_is_a_user_error(core: PhonebankCore) -> None:
    seed(core.store)
    with pytest.raises(UserError, match="no longer on this laptop"):
        core.record_result(ResultDraft(99999, "contacted"))
    with pytest.raises(UserError):
        core.call_view(99999)


def test_call_view_fills_placeholders_and_knows_calling_hours(
    core: PhonebankCore, clock: Clock
) -> None:
    r = seed(core.store)
    c = r.contacts[0]
    view = core.call_view(c.id)
    # unknown placeholders and stray braces stay as written, never a KeyError
    assert view.intro == "Hi First00, I'm Vera {unknown} {0} {"
    assert view.closing == "Thanks First00!"
    assert [m.name for m in view.household] == ["First01 Last0"]
    assert view.extra == (("age", "30"), ("precinct", "P0"))
    assert view.local_time == "10:00 Tue" and view.within_calling_hours
    assert view.script is not None and view.script.version == 2
    clock.now = datetime(2026, 3, 4, 3, 0, tzinfo=UTC)  # 22:00 in New York
    late = core.call_view(c.id)
    assert late.local_time == "22:00 Tue" and not late.within_calling_hours


def test_next_contact_goes_in_list_order_and_skips_a_household_that_did_not_answer(
    core: PhonebankCore, clock: Clock
) -> None:
    r = seed(core.store, households=3, members=2)
    ids = [c.id for c in r.contacts]
    assert core.next_contact_id() == ids[0]
    core.record_result(ResultDraft(ids[0], "no_answer"))
    # the other member of the household shares the phone that nobody answered
    assert core.next_contact_id(ids[0]) == ids[2]
    core.record_result(ResultDraft(ids[2], "contacted"))
    assert core.next_contact_id(ids[2]) == ids[3]
    core.record_result(ResultDraft(ids[3], "wrong_number"))
    # wrong number: the whole household is done; wraps to nobody-due → the third household
    assert core.next_contact_id(ids[3]) == ids[4]
    # after the retry time the first household is due again
    clock.now = NOW + timedelta(hours=5)
    assert core.next_contact_id(ids[5]) == ids[0]


def test_a_bad_number_keeps_a_housemates_call_back(core: PhonebankCore, clock: Clock) -> None:
    """The hub's rule (sync.protocol.HouseholdEffect.bad_number) on the laptop: her
    call-back stays; the member still to call is closed with the one called."""
    r = seed(core.store, households=1, members=3)
    her, housemate, third = (c.id for c in r.contacts)
    when = NOW + timedelta(days=1)
    core.record_result(ResultDraft(her, "call_back", call_back_at=when))
    saved = core.record_result(ResultDraft(housemate, "wrong_number"))
    rows = {row.id: row for row in saved.rows}
    assert (rows[her].state, rows[her].call_back_at) == ("call_back", when)
    assert rows[housemate].state == "done" and rows[third].state == "done"
    assert [m.state for m in core.call_view(housemate).household] == ["call_back", "done"]


def test_no_answer_leaves_a_housemates_call_back_alone(core: PhonebankCore) -> None:
    r = seed(core.store, households=1, members=2)
    her, housemate = (c.id for c in r.contacts)
    when = NOW + timedelta(days=1)
    core.record_result(ResultDraft(her, "call_back", call_back_at=when))
    saved = core.record_result(ResultDraft(housemate, "no_answer"))
    rows = {row.id: row for row in saved.rows}
    assert (rows[her].state, rows[her].call_back_at) == ("call_back", when)


def test_due_call_back_comes_first(core: PhonebankCore, clock: Clock) -> None:
    r = seed(core.store)
    ids = [c.id for c in r.contacts]
    core.record_result(ResultDraft(ids[1], "call_back", call_back_at=NOW + timedelta(minutes=30)))
    assert core.my_list().rows[1].state == "call_back"  # type: ignore[union-attr]
    assert core.next_contact_id(ids[2]) == ids[3]
    clock.now = NOW + timedelta(minutes=31)
    assert core.next_contact_id(ids[2]) == ids[1]


def test_retries_stop_after_max_attempts(core: PhonebankCore, clock: Clock) -> None:
    r = seed(core.store, households=1, members=1, policy=Policy(max_attempts=2))
    cid = r.contacts[0].id
    assert core.record_result(ResultDraft(cid, "busy")).contact_state == "to_call"
    clock.now += timedelta(hours=5)
    assert core.record_result(ResultDraft(cid, "no_answer")).contact_state == "done"
    assert core.next_contact_id() is None


def test_do_not_call_marks_every_contact_with_that_phone(core: PhonebankCore) -> None:
    r = seed(core.store)
    saved = core.record_result(ResultDraft(r.contacts[0].id, "do_not_call"))
    rows = core.my_list().rows  # type: ignore[union-attr]
    assert [row.state for row in rows] == ["dnc", "dnc"] + ["to_call"] * 4
    # the save names the rows it changed, so a long list need not be reloaded
    assert saved.rows == rows[:2]


def test_correction_supersedes_and_keeps_both(core: PhonebankCore) -> None:
    r = seed(core.store)
    cid = r.contacts[0].id
    first = core.record_result(ResultDraft(cid, "refused"))
    second = core.record_result(ResultDraft(cid, "contacted", supersedes=first.id))
    assert second.pending == 2  # both are sent: the hub keeps the old one, marked superseded
    view = core.call_view(cid)
    assert [(a.disposition, a.corrected) for a in view.attempts] == [("contacted", True)]
    with core.store.read() as conn:
        assert conn.execute("SELECT count(*) FROM results").scalar_one() == 2


def test_a_correction_counts_once_and_is_not_another_attempt(
    core: PhonebankCore, clock: Clock
) -> None:
    r = seed(core.store, households=1, members=1)
    cid = r.contacts[0].id
    before = core.status().progress
    first = core.record_result(ResultDraft(cid, "no_answer"))
    assert first.contact_state == "to_call"
    fixed = core.record_result(
        ResultDraft(cid, "call_back", call_back_at=NOW + timedelta(days=1), supersedes=first.id)
    )
    assert fixed.contact_state == "call_back"
    row = next(row for row in fixed.rows if row.id == cid)
    assert row.attempts == 1  # one call, corrected
    after = core.status().progress
    assert before is not None and after is not None
    assert (after.calls_made, after.mine) == (before.calls_made + 1, before.mine + 1)
    assert core.campaigns()[0].calls_made == after.calls_made  # the same on "Choose a state"


def test_a_correction_must_name_a_standing_result_of_that_contact(core: PhonebankCore) -> None:
    r = seed(core.store)
    a, b = r.contacts[0].id, r.contacts[2].id
    first = core.record_result(ResultDraft(a, "refused"))
    with pytest.raises(UserError, match="not on this laptop"):
        core.record_result(ResultDraft(b, "contacted", supersedes=first.id))
    core.record_result(ResultDraft(a, "contacted", supersedes=first.id))
    with pytest.raises(UserError, match="corrected already"):
        core.record_result(ResultDraft(a, "deceased", supersedes=first.id))
    dnc = core.record_result(ResultDraft(b, "do_not_call"))
    with pytest.raises(UserError, match="only an organizer"):
        core.record_result(ResultDraft(b, "contacted", supersedes=dnc.id))
    assert _counts(core) == (3, 3)  # nothing refused was written


def test_my_list_reports_hold_and_cooldown(core: PhonebankCore, clock: Clock) -> None:
    r = seed(core.store)
    mine = core.my_list()
    assert mine is not None
    assert (mine.reservation_id, mine.list_name, mine.campaign_name) == (
        r.id,
        "Ohio",
        "Get out the vote",
    )
    assert mine.expires_at == r.expires_at and not mine.expired and mine.remaining == 6
    clock.now = r.expires_at
    assert core.my_list().expired  # type: ignore[union-attr]


def test_status_counts_unsent_results_toward_progress(core: PhonebankCore) -> None:
    r = seed(core.store)
    core.record_result(ResultDraft(r.contacts[0].id, "contacted"))
    status = core.status()
    assert status.pending == 1 and not status.signed_in
    assert status.progress is not None
    assert (status.progress.calls_made, status.progress.goal, status.progress.mine) == (11, 1000, 1)


def _signed_in_offline(core: PhonebankCore) -> None:
    """An account whose hub is down (nothing listens on the port)."""
    hub = f"http://127.0.0.1:{free_port()}"

    def sign_in_to_a_dead_hub(conn: Connection) -> None:
        meta.put(conn, meta.HUB_URL, hub)
        meta.put(conn, meta.EMAIL, "v@example.org")
        meta.put(conn, meta.VOLUNTEER_NAME, "Vera")

    core.store.run_write(sign_in_to_a_dead_hub)
    credentials.save_token(hub, "v@example.org", "tok")


def test_get_names_offline_is_queued_for_the_next_sync(core: PhonebankCore) -> None:
    seed(core.store)
    _signed_in_offline(core)
    outcome = core.request_names(5)
    assert outcome.kind == "queued" and "next sync" in outcome.message
    assert core.status().queued_get_names == 5
    report = core.sync_once()
    assert not report.ok and not report.online and report.retry_in is not None
    assert core.status().queued_get_names == 5  # still waiting


def test_release_unused_offline_keeps_called_contacts(core: PhonebankCore) -> None:
    r = seed(core.store)
    _signed_in_offline(core)
    core.record_result(ResultDraft(r.contacts[0].id, "contacted"))
    assert core.release_unused().names == 5
    assert [row.id for row in core.my_list().rows] == [r.contacts[0].id]  # type: ignore[union-attr]
    with core.store.read() as conn:
        assert reservations_store.pending_releases(conn) == [r.id]  # told at the next sync


def test_sign_out_refuses_while_results_are_unsent_unless_forced(core: PhonebankCore) -> None:
    r = seed(core.store)
    _signed_in_offline(core)
    core.record_result(ResultDraft(r.contacts[0].id, "contacted"))
    outcome = core.sign_out()
    assert (outcome.signed_out, outcome.pending) == (False, 1)
    assert core.saved_account() is not None and core.my_list() is not None
    outcome = core.sign_out(force=True)
    assert (outcome.signed_out, outcome.pending) == (True, 1)
    assert core.saved_account() is None and core.my_list() is None
    assert _counts(core) == (0, 0) and core.campaigns() == []
    assert credentials.load_token(f"{core.default_hub_url}", "v@example.org") is None


def _on_disk(core: PhonebankCore) -> bytes:
    """Every byte of the data file and its journal files, as a thief would read them."""
    path = core.store.path
    return b"".join(
        p.read_bytes()
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
        if p.exists()
    )


@pytest.mark.parametrize("checkpointed", [False, True])
def test_signing_out_leaves_no_voter_names_or_numbers_on_disk(
    core: PhonebankCore, checkpointed: bool
) -> None:
    r = seed(core.store)
    _signed_in_offline(core)
    core.record_result(ResultDraft(r.contacts[0].id, "contacted", notes="Wants a yard sign"))
    if checkpointed:  # the data already copied from the WAL into the main file
        core.store.scrub()  # PRAGMA wal_checkpoint(TRUNCATE)
    assert b"Last1" in _on_disk(core)
    assert core.sign_out(force=True).signed_out
    leftovers = _on_disk(core)
    for secret in (b"First10", b"Last1", r.contacts[0].phone.encode(), b"yard sign"):
        assert secret not in leftovers, secret


def test_feedback_is_queued(core: PhonebankCore) -> None:
    with pytest.raises(UserError):
        core.send_feedback("   ")
    core.send_feedback("The script's second question confuses people.", campaign_id=1)
    assert core.status().pending_feedback == 1


def test_a_database_failure_while_saving_says_not_saved(
    core: PhonebankCore, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = seed(core.store)

    def disk_full(*args: object, **kwargs: object) -> str:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(contacts_store, "apply_disposition", disk_full)
    with pytest.raises(UserError, match=r"could NOT be saved .*disk is full"):
        core.record_result(ResultDraft(r.contacts[0].id, "contacted"))
    assert _counts(core) == (0, 0)


def test_an_unwritable_data_folder_is_a_clear_store_error(tmp_path: Path) -> None:
    from desktop.store import StoreError

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StoreError, match="Cannot create the data file"):
        PhonebankCore(blocker / "data")


def test_choose_a_state_counts_unsent_calls_like_the_status_bar(core: PhonebankCore) -> None:
    r = seed(core.store)  # the hub counted 10 calls at the last sync
    _signed_in_offline(core)
    core.record_result(ResultDraft(r.contacts[0].id, "contacted"))
    core.record_result(ResultDraft(r.contacts[2].id, "no_answer"))
    (campaign,) = core.campaigns()
    progress = core.status().progress
    assert progress is not None
    assert (campaign.calls_made, campaign.mine) == (12, 2)
    assert (progress.calls_made, progress.mine) == (12, 2)


def test_sign_out_counts_unsent_messages_to_organizers_too(core: PhonebankCore) -> None:
    seed(core.store)
    _signed_in_offline(core)
    core.send_feedback("People keep asking about early voting.", campaign_id=1)
    outcome = core.sign_out()
    assert (outcome.signed_out, outcome.pending, outcome.pending_feedback) == (False, 0, 1)
    assert core.status().pending_feedback == 1  # nothing was wiped
    outcome = core.sign_out(force=True)
    assert outcome.signed_out and core.status().pending_feedback == 0


def test_a_wrong_number_moves_a_person_with_another_number_on_to_it(
    core: PhonebankCore,
) -> None:
    seed(core.store, households=0)
    r = reservation(1, 2, reservation_id=12)
    maria, daniel = r.contacts  # one household, its number shared
    phones = [
        ContactPhone(e164=maria.phone, as_imported="614-555-1200", kind="home"),
        ContactPhone(
            e164="+16145550999", as_imported="614-555-0999 x7", extension="7", kind="cell"
        ),
    ]
    r = r.model_copy(update={"contacts": [maria.model_copy(update={"phones": phones}), daniel]})

    def keep_both_numbers(conn: Connection) -> None:
        reservations_store.save_reservation(conn, r, NOW)

    core.store.run_write(keep_both_numbers)
    first = core.call_view(maria.id)
    assert (first.phone, first.extension, first.number, first.numbers) == (maria.phone, "", 1, 2)

    saved = core.record_result(ResultDraft(maria.id, "wrong_number"))

    assert saved.contact_state == "to_call"  # she has another number
    assert core.next_contact_id(maria.id) == maria.id  # ... tried at once
    second = core.call_view(maria.id)
    assert (second.phone, second.extension, second.phone_kind) == ("+16145550999", "7", "cell")
    assert (second.number, second.numbers) == (2, 2)
    # The household's number is wrong for Daniel too, who has no other.
    assert core.call_view(daniel.id).state == "done"

    assert core.record_result(ResultDraft(maria.id, "disconnected")).contact_state == "done"
    assert core.next_contact_id(maria.id) is None


def test_each_saved_result_tells_the_hub_the_number_dialed(core: PhonebankCore) -> None:
    seed(core.store, households=0)
    r = reservation(1, 2, reservation_id=12)
    maria, daniel = r.contacts  # one household, its number shared
    cell = "+16145550999"
    phones = [ContactPhone(e164=maria.phone, kind="home"), ContactPhone(e164=cell, kind="cell")]
    r = r.model_copy(update={"contacts": [maria.model_copy(update={"phones": phones}), daniel]})

    def keep_home_and_cell(conn: Connection) -> None:
        reservations_store.save_reservation(conn, r, NOW)

    core.store.run_write(keep_home_and_cell)

    on_home = core.record_result(ResultDraft(maria.id, "no_answer"))
    correction = core.record_result(ResultDraft(maria.id, "busy", supersedes=on_home.id))

    def move_to_her_cell(
        conn: Connection,
    ) -> None:  # her home number tried, her cell is the one to dial now
        conn.execute("UPDATE contacts SET phone_index = 1 WHERE id = :id", {"id": maria.id})

    core.store.run_write(move_to_her_cell)
    assert core.call_view(maria.id).phone == cell
    on_cell = core.record_result(ResultDraft(maria.id, "wrong_number"))

    with core.store.read() as conn:
        sent = {w.id: w for w in (rec.to_wire() for rec in results_store.pending_batch(conn, 10))}
    assert sent[on_home.id].dialed_phone == maria.phone
    assert sent[correction.id].dialed_phone == maria.phone  # the corrected call's number
    assert sent[on_cell.id].dialed_phone == cell
    assert all(w.dialed_phone for w in sent.values())
    # Her own cell being wrong closes only her (as on the hub): Daniel is still to call.
    assert on_cell.contact_state == "done"
    assert core.call_view(daniel.id).state == "to_call"


def test_do_not_call_on_a_persons_own_cell_lists_that_number_not_the_households(
    core: PhonebankCore,
) -> None:
    seed(core.store, households=0)
    r = reservation(1, 2, reservation_id=12)
    maria, daniel = r.contacts  # one household, its number shared
    cell = "+16145550999"
    phones = [ContactPhone(e164=maria.phone, kind="home"), ContactPhone(e164=cell, kind="cell")]
    # Someone in another list has Maria's cell as their own number.
    other = reservation(1, 1, reservation_id=13, first_contact_id=900)
    other = other.model_copy(
        update={"contacts": [other.contacts[0].model_copy(update={"phone": cell})]}
    )
    r = r.model_copy(update={"contacts": [maria.model_copy(update={"phones": phones}), daniel]})

    def keep_both_lists_on_her_cell(conn: Connection) -> None:
        reservations_store.save_reservation(conn, r, NOW)
        reservations_store.save_reservation(conn, other, NOW)
        conn.execute("UPDATE contacts SET phone_index = 1 WHERE id = :id", {"id": maria.id})

    core.store.run_write(keep_both_lists_on_her_cell)
    assert core.call_view(maria.id).phone == cell
    assert core.call_view(maria.id).own_number  # the call screen asks nobody first
    assert not core.call_view(daniel.id).own_number

    saved = core.record_result(ResultDraft(maria.id, "do_not_call"))

    assert saved.contact_state == "dnc"
    states = {row.id: row.state for row in saved.rows}
    # Maria and whoever has her cell as theirs are closed; Daniel, at home, is still to call.
    assert states == {maria.id: "dnc", daniel.id: "to_call", other.contacts[0].id: "dnc"}
    assert core.call_view(daniel.id).state == "to_call"
    with core.store.read() as conn:
        (sent,) = [rec.to_wire() for rec in results_store.pending_batch(conn, 10)]
    assert sent.dialed_phone == cell


def test_a_draft_is_in_sqlite_at_once_survives_a_crash_and_goes_with_the_save(
    tmp_path: Path, core: PhonebankCore, clock: Clock
) -> None:
    from desktop.services.views import CallDraft

    r = seed(core.store)
    cid = r.contacts[0].id
    draft = CallDraft(
        contact_id=cid,
        path=("support", "plan"),
        answers={"support": "yes"},
        disposition="call_back",
        notes="Call after dinner",
        call_back_at=NOW + timedelta(days=1),
        started_at=NOW,
    )
    core.save_draft(draft)
    # another process opening the file now (as after a crash: nothing closed cleanly)
    after_crash = PhonebankCore(tmp_path / "data", clock=clock)
    try:
        found = after_crash.saved_draft()
    finally:
        after_crash.close()
    assert found is not None and found.saved_at == NOW
    assert (found.contact_id, found.path, found.answers, found.notes) == (
        cid,
        ("support", "plan"),
        {"support": "yes"},
        "Call after dinner",
    )
    assert (found.disposition, found.call_back_at) == ("call_back", NOW + timedelta(days=1))
    core.record_result(ResultDraft(cid, "contacted", answers={"support": "yes"}))
    assert core.saved_draft() is None  # saved in the same transaction as the result


def test_signing_out_forgets_the_draft(core: PhonebankCore) -> None:
    from desktop.services.views import CallDraft

    r = seed(core.store)
    core.save_draft(CallDraft(contact_id=r.contacts[0].id, notes="about a voter"))
    assert core.sign_out(False).signed_out
    with core.store.read() as conn:  # the notes named a voter: not left on disk
        assert conn.execute("SELECT count(*) FROM drafts").scalar_one() == 0


def test_the_retry_outlook_names_the_no_answers_due_within_the_hold(
    core: PhonebankCore, clock: Clock
) -> None:
    hours = Policy(calling_hours_start="09:00", calling_hours_end="21:00")
    r = seed(core.store, households=2, members=1, policy=hours.model_copy(
        update={"retry_after_seconds": 600}
    ))  # fmt: skip
    a, b = (c.id for c in r.contacts)
    core.record_result(ResultDraft(a, "no_answer"))
    assert core.next_contact_id(a) == b  # b is due now
    clock.now += timedelta(minutes=1)
    core.record_result(ResultDraft(b, "busy"))
    assert core.next_contact_id(b) is None  # nobody due now...
    outlook = core.retry_outlook()  # ...but both can be tried again, within the hold
    assert outlook is not None and outlook.waiting == 2
    assert outlook.first_at == NOW + timedelta(minutes=10) and outlook.hold_until == r.expires_at
    clock.now = outlook.first_at
    assert core.next_contact_id(b) == a
    # a retry time after the hold ends is not offered (the list goes back to the hub)
    clock.now = r.expires_at - timedelta(minutes=5)
    core.record_result(ResultDraft(a, "no_answer"))
    assert core.retry_outlook() is None
