"""A number the hub lists among a person's other numbers: the laptop drops it and dials the
next one kept; a do-not-call saved here drops that number from everyone else's numbers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.services.core import PhonebankCore, ResultDraft
from desktop.store import contacts as contacts_store
from desktop.store import reservations as reservations_store
from desktop.store.sql import Connection
from sync.protocol import ContactPhone
from tests.sync_client.local_data import NOW, reservation, seed


@pytest.fixture
def core(tmp_path: Path) -> Iterator[PhonebankCore]:
    core = PhonebankCore(tmp_path / "data", clock=lambda: NOW)
    yield core
    core.close()


def _three_numbers(core: PhonebankCore, index: int) -> tuple[int, int, list[str]]:
    """Maria (home, cell, work; dialing number `index`) and Daniel, one household."""
    seed(core.store, households=0)
    r = reservation(1, 2, reservation_id=12)
    maria, daniel = r.contacts
    numbers = [maria.phone, "+16145550999", "+16145550888"]
    phones = [
        ContactPhone(e164=n, kind=k) for n, k in zip(numbers, ("home", "cell", "work"), strict=True)
    ]
    r = r.model_copy(update={"contacts": [maria.model_copy(update={"phones": phones}), daniel]})

    def keep(conn: Connection) -> None:
        reservations_store.save_reservation(conn, r, NOW)
        conn.execute(
            "UPDATE contacts SET phone_index = :i WHERE id = :id", {"i": index, "id": maria.id}
        )

    core.store.run_write(keep)
    return maria.id, daniel.id, numbers


def test_a_listed_other_number_is_dropped_and_the_next_one_dialed(core: PhonebankCore) -> None:
    maria, daniel, (_home, cell, work) = _three_numbers(core, index=1)  # home was wrong
    assert (core.call_view(maria).phone, core.call_view(maria).numbers) == (cell, 3)

    changed = core.store.run_write(lambda conn: contacts_store.mark_dnc(conn, [cell]))

    assert changed == 1
    view = core.call_view(maria)
    assert (view.phone, view.phone_kind, view.number, view.numbers) == (work, "work", 2, 2)
    assert view.state == "to_call"
    assert core.call_view(daniel).state == "to_call"  # the household's number is not listed
    # Told again at the next sync: nothing more changes.
    assert core.store.run_write(lambda conn: contacts_store.mark_dnc(conn, [cell])) == 0


def test_a_person_left_with_no_number_to_dial_is_do_not_call(core: PhonebankCore) -> None:
    maria, daniel, (_home, cell, work) = _three_numbers(core, index=1)  # home was wrong

    core.store.run_write(lambda conn: contacts_store.mark_dnc(conn, [cell, work]))

    assert core.call_view(maria).state == "dnc"
    assert core.next_contact_id(maria) == daniel


def test_a_do_not_call_here_drops_that_number_from_everyone_elses_numbers(
    core: PhonebankCore,
) -> None:
    maria, _daniel, (home, _cell, work) = _three_numbers(core, index=0)
    # Someone in another list asks not to be called on their own number: Maria's work one.
    other = reservation(1, 1, reservation_id=13, first_contact_id=900)
    other = other.model_copy(
        update={"contacts": [other.contacts[0].model_copy(update={"phone": work})]}
    )
    core.store.run_write(lambda conn: reservations_store.save_reservation(conn, other, NOW))

    assert core.record_result(ResultDraft(900, "do_not_call")).contact_state == "dnc"

    view = core.call_view(maria)
    assert (view.phone, view.number, view.numbers, view.state) == (home, 1, 2, "to_call")
