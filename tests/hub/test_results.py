"""Results: stored once by id, statuses, quarantine, timing, and what they do to contacts."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.crud import short_calls
from sync.hub.models import CallResult, Contact, DoNotCall, Household
from tests.hub.conftest import Account, reserve
from tests.support.hub_seed import T0, Clock, add_script, result_body, seed_list

API = "/api/v1"


def post(client: TestClient, account: Account, *results: dict[str, Any]) -> Response:
    return client.post(f"{API}/results", json={"results": list(results)}, headers=account.headers)


def stored(engine: Engine, result_id: str) -> CallResult:
    with Session(engine) as session:
        return session.exec(select(CallResult).where(CallResult.id == result_id)).one()


def progress(client: TestClient, account: Account, campaign_id: int) -> dict[str, Any]:
    body = client.get(f"{API}/sync", headers=account.headers).json()
    return dict(body["progress"][str(campaign_id)])


def test_created_then_duplicate_then_conflict_keeping_the_original(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=2)
    add_script(engine, seeded.campaign_id, questions=("support", "issue"))
    reservation = reserve(client, volunteer, seeded.list_id)
    result = result_body(
        reservation["contacts"][0],
        reservation,
        answers={"support": "yes", "issue": "jobs"},
        notes="Wants a lawn sign",
        ended_at=T0 + timedelta(minutes=5),
    )

    first = post(client, volunteer, result)
    # The same result with its times in another offset is the same result.
    same = dict(result, ended_at=(T0 + timedelta(minutes=5)).astimezone().isoformat())
    again = post(client, volunteer, same)
    changed = post(client, volunteer, dict(result, notes="Changed my mind"))

    assert first.status_code == 201
    assert first.json()["results"] == [
        {
            "id": result["id"],
            "status": "created",
            "timing": "on_time",
            "reason": None,
            "code": None,
            "params": {},
        }
    ]
    assert again.status_code == 200
    assert again.json()["results"][0]["status"] == "duplicate"
    assert changed.status_code == 409
    assert changed.json()["results"][0]["status"] == "conflict"
    assert "original" in changed.json()["results"][0]["reason"]
    assert changed.json()["results"][0]["code"] == "result_id_reused"
    assert result["id"] in changed.json()["detail"]
    row = stored(engine, result["id"])
    assert row.notes == "Wants a lawn sign"
    assert row.answers == {"support": "yes", "issue": "jobs"}
    assert progress(client, volunteer, seeded.campaign_id)["calls_made"] == 1


def test_results_that_can_never_be_accepted_are_quarantined_not_refused(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=4, list_size=2)
    add_script(engine, seeded.campaign_id, questions=("support",))
    caller, other = make_user(), make_user()
    mine = reserve(client, caller, seeded.list_id)
    theirs = reserve(client, other, seeded.list_id)
    contact = mine["contacts"][0]
    cases = {
        "unknown contact": result_body(dict(contact, id=10**6), mine),
        "huge contact id": result_body(dict(contact, id=2**62), mine),
        "never held": result_body(theirs["contacts"][0], mine),
        "another volunteer's reservation": result_body(theirs["contacts"][0], theirs),
        "unknown reservation": result_body(contact, dict(mine, id=10**6)),
        "fence mismatch": result_body(contact, dict(mine, fence=mine["fence"] + 7)),
        "script version": result_body(contact, mine, script_version=9),
        "unknown question": result_body(contact, mine, answers={"shoe_size": "9"}),
    }

    response = post(client, caller, *cases.values())

    assert response.status_code == 200  # nothing was created, nothing refused
    outcomes = response.json()["results"]
    assert [o["status"] for o in outcomes] == ["quarantined"] * len(cases)
    reasons = dict(zip(cases, [o["reason"] for o in outcomes], strict=True))
    # Whether an id exists, or is someone else's, is not told: the same words for all.
    not_yours = "not found, or not yours: the contact, list or fence of this result"
    for case in ("unknown contact", "huge contact id", "never held", "unknown reservation"):
        assert reasons[case] == not_yours, case
    assert reasons["another volunteer's reservation"] == not_yours
    assert reasons["fence mismatch"] == not_yours
    assert "script version 9" in reasons["script version"]
    assert "'shoe_size'" in reasons["unknown question"]
    # Organizers' stored reason has the detail.
    details = {case: stored(engine, body["id"]).quarantine_reason for case, body in cases.items()}
    assert "unknown contact 1000000" in str(details["unknown contact"])
    assert "never held in reservation" in str(details["never held"])
    assert "belongs to another volunteer" in str(details["another volunteer's reservation"])
    assert "unknown reservation" in str(details["unknown reservation"])
    assert "fence" in str(details["fence mismatch"])
    for body in cases.values():
        row = stored(engine, body["id"])
        assert row.quarantined and row.quarantine_reason
    # Each reason is also a message (code and parameters); the volunteer's is the generic one.
    for case in ("unknown contact", "never held", "fence mismatch"):
        assert outcomes[list(cases).index(case)]["code"] == "not_yours"
        assert outcomes[list(cases).index(case)]["params"] == {}
    codes = {case: stored(engine, body["id"]).quarantine_code for case, body in cases.items()}
    assert codes["unknown contact"] == "result_contact_unknown"
    assert codes["another volunteer's reservation"] == "result_reservation_not_yours"
    assert codes["unknown question"] == "answers_unknown_questions"
    never_held = stored(engine, cases["never held"]["id"])
    assert never_held.quarantine_params == {
        "contact": theirs["contacts"][0]["id"],
        "reservation": mine["id"],
    }
    assert outcomes[list(cases).index("script version")]["params"] == {"version": 9}
    # Quarantined results change nothing and count for nothing; a repeat is a duplicate.
    with Session(engine) as session:
        assert session.get(Contact, contact["id"]).attempts == 0  # type: ignore[union-attr]
    assert progress(client, caller, seeded.campaign_id)["calls_made"] == 0
    again = post(client, caller, cases["fence mismatch"])
    assert again.status_code == 200
    assert again.json()["results"][0]["status"] == "duplicate"


def test_calls_whose_times_cannot_be_true_are_quarantined_not_applied(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=6, list_size=6)
    caller = make_user()
    mine = reserve(client, caller, seeded.list_id)
    c = mine["contacts"]
    year_9999 = result_body(c[0], mine, script_version=0, disposition="wrong_number")
    year_9999["ended_at"] = "9999-12-31T23:59:59+00:00"
    backwards = result_body(c[1], mine, script_version=0, disposition="do_not_call")
    backwards["started_at"] = "0001-01-01T00:00:00+00:00"
    backwards["ended_at"] = (T0 - timedelta(days=3)).isoformat()
    ends_first = result_body(c[2], mine, script_version=0, disposition="wrong_number")
    ends_first["started_at"] = (T0 + timedelta(minutes=9)).isoformat()
    tomorrow = result_body(
        c[3], mine, script_version=0, disposition="refused", ended_at=T0 + timedelta(days=2)
    )
    endless = result_body(c[4], mine, script_version=0, disposition="contacted")
    endless["started_at"] = (T0 - timedelta(hours=13)).isoformat()
    fine = result_body(c[5], mine, script_version=0, disposition="wrong_number")

    outcomes = post(client, caller, year_9999, backwards, ends_first, tomorrow, endless, fine)
    statuses = [o["status"] for o in outcomes.json()["results"]]
    assert statuses == ["quarantined"] * 5 + ["created"]
    reasons = [o["reason"] for o in outcomes.json()["results"][:5]]
    assert reasons == [
        "the call ends more than a day in the future",
        "the call lasts more than 12 hours",
        "the call ends before it starts",
        "the call ends more than a day in the future",
        "the call lasts more than 12 hours",
    ]
    # Not applied: the households they name are still callable; the plausible one is not.
    with Session(engine) as session:
        states = {
            h.id: h.state
            for h in session.exec(select(Household).where(Household.id.in_(seeded.household_ids)))  # type: ignore[union-attr]
        }
    by_contact = {x["id"]: int(x["household"]) for x in c}
    assert [states[by_contact[x["id"]]] for x in c[:5]] == ["open"] * 5
    assert states[by_contact[c[5]["id"]]] == "bad"
    assert progress(client, caller, seeded.campaign_id)["calls_made"] == 1


def test_seconds_long_contacted_calls_in_bulk_are_quarantined_not_applied(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    allowed = short_calls.ALLOWED_PER_HOUR
    seeded = seed_list(engine, households=allowed + 5, list_size=allowed + 5)
    caller = make_user()
    mine = reserve(client, caller, seeded.list_id)
    c = mine["contacts"]

    def contacted(contact: dict[str, Any], seconds: float, n: int) -> dict[str, Any]:
        ended = T0 + timedelta(minutes=n)
        started = (ended - timedelta(seconds=seconds)).isoformat()
        return result_body(contact, mine, script_version=0, ended_at=ended, started_at=started)

    # In two batches: the hour's count carries over from what the hub stored.
    first = post(client, caller, *[contacted(x, 2, n) for n, x in enumerate(c[: allowed - 2])])
    later = [contacted(x, 3, n) for n, x in enumerate(c[allowed - 2 : allowed + 3], allowed)]
    talked = contacted(c[allowed + 3], 40, 60)  # a real conversation still counts
    second = post(client, caller, *later, talked)
    statuses = [o["status"] for o in first.json()["results"] + second.json()["results"]]
    assert statuses == ["created"] * allowed + ["quarantined"] * 3 + ["created"]
    assert second.json()["results"][2]["reason"] == str(short_calls.REASON)
    # Not applied: the quarantined households are still to be called.
    with Session(engine) as session:
        states = {h.id: h.state for h in session.exec(select(Household))}
    by_contact = {x["id"]: int(x["household"]) for x in c}
    assert [states[by_contact[x["id"]]] for x in c[allowed : allowed + 3]] == ["open"] * 3
    assert "open" not in {states[by_contact[x["id"]]] for x in c[:allowed]}
    assert progress(client, caller, seeded.campaign_id)["calls_made"] == allowed + 1
    # An hour later a few short ones are fine again.
    clock.advance(hours=1, seconds=1)
    again = post(client, caller, contacted(c[allowed + 4], 2, 70))
    assert again.json()["results"][0]["status"] == "created"


def test_timing_on_time_late_and_late_conflict(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=3, list_size=3, hold_seconds=60)
    first, second = make_user(), make_user()
    reservation = reserve(client, first, seeded.list_id)
    by_household: dict[str, dict[str, Any]] = {}
    for contact in reservation["contacts"]:
        by_household.setdefault(contact["household"], contact)
    one, two, three = by_household.values()

    on_time = result_body(one, reservation, script_version=0, ended_at=T0 + timedelta(seconds=30))
    clock.advance(seconds=100)
    late = result_body(two, reservation, script_version=0, ended_at=T0 + timedelta(seconds=90))
    timings = [post(client, first, r).json()["results"][0]["timing"] for r in (on_time, late)]
    clock.advance(seconds=20)
    regranted = reserve(client, second, seeded.list_id)  # only the third household is left
    assert {c["household"] for c in regranted["contacts"]} == {three["household"]}
    conflict = result_body(
        three, reservation, script_version=0, ended_at=T0 + timedelta(seconds=110)
    )
    response = post(client, first, conflict)

    assert timings == ["on_time", "late"]
    assert response.status_code == 201  # late results are never refused
    assert response.json()["results"][0]["timing"] == "late_conflict"
    assert stored(engine, conflict["id"]).flagged
    assert not stored(engine, late["id"]).flagged
    # The new holder's result for the same household is kept too.
    theirs = result_body(regranted["contacts"][0], regranted, script_version=0, ended_at=clock.now)
    assert post(client, second, theirs).json()["results"][0]["status"] == "created"


def test_finished_dispositions_close_the_contact_and_then_the_household(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=1, members=2)
    reservation = reserve(client, volunteer, seeded.list_id)
    alice, bob = reservation["contacts"]

    post(client, volunteer, result_body(alice, reservation, script_version=0))
    with Session(engine) as session:
        assert session.get(Contact, alice["id"]).state == "done"  # type: ignore[union-attr]
        assert session.get(Household, seeded.household_ids[0]).state == "open"  # type: ignore[union-attr]
    post(client, volunteer, result_body(bob, reservation, disposition="refused", script_version=0))
    with Session(engine) as session:
        household = session.get(Household, seeded.household_ids[0])
        assert household is not None and household.state == "done"


def test_no_answer_is_retried_later_until_max_attempts(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=1, retry_after_seconds=3600, max_attempts=3)
    household_id = seeded.household_ids[0]
    for attempt in range(1, 4):
        reservation = reserve(client, volunteer, seeded.list_id)
        contact = reservation["contacts"][0]
        assert contact["attempts"] == attempt - 1
        post(
            client,
            volunteer,
            result_body(contact, reservation, disposition="busy", script_version=0),
        )
        with Session(engine) as session:
            household = session.get(Household, household_id)
            assert household is not None
            assert household.attempts == attempt
            if attempt < 3:
                assert household.next_call_at == clock.now + timedelta(hours=1)
                assert household.state == "open"
        if attempt < 3:
            # Not before the retry delay: the list is empty until then.
            response = client.post(
                f"{API}/reservations",
                json={"call_list_id": seeded.list_id},
                headers=volunteer.headers,
            )
            assert response.status_code == 409
            clock.advance(hours=1)
    with Session(engine) as session:
        assert session.get(Household, household_id).state == "done"  # type: ignore[union-attr]
        assert session.get(Contact, seeded.contact_ids[0]).state == "done"  # type: ignore[union-attr]


def test_no_answer_ends_the_hold_so_anyone_may_retry_after_the_delay(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=1, hold_seconds=24 * 3600, retry_after_seconds=3600)
    first, second = make_user(), make_user()
    reservation = reserve(client, first, seeded.list_id)
    post(
        client,
        first,
        result_body(
            reservation["contacts"][0], reservation, disposition="no_answer", script_version=0
        ),
    )

    clock.advance(minutes=59)
    too_soon = client.post(
        f"{API}/reservations", json={"call_list_id": seeded.list_id}, headers=second.headers
    )
    clock.advance(minutes=1)
    retried = reserve(client, second, seeded.list_id)  # not 23 hours later

    assert too_soon.status_code == 409
    assert [c["id"] for c in retried["contacts"]] == [reservation["contacts"][0]["id"]]
    assert retried["contacts"][0]["attempts"] == 1
    # The first volunteer's later result for it is late and in conflict, never refused.
    again = post(
        client,
        first,
        result_body(reservation["contacts"][0], reservation, script_version=0, ended_at=clock.now),
    )
    assert again.json()["results"][0]["timing"] == "late_conflict"


def test_bad_numbers_and_do_not_call(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=2, members=2)
    elsewhere = seed_list(engine, households=1, phones=seeded.phones[1:])  # another campaign
    reservation = reserve(client, volunteer, seeded.list_id)
    first_of: dict[str, dict[str, Any]] = {}
    for contact in reservation["contacts"]:
        first_of.setdefault(contact["household"], contact)
    wrong, dnc = first_of.values()

    response = post(
        client,
        volunteer,
        result_body(wrong, reservation, disposition="wrong_number", script_version=0),
        result_body(dnc, reservation, disposition="do_not_call", script_version=0),
    )

    assert response.status_code == 201
    with Session(engine) as session:
        wrong_household = session.get(Household, int(wrong["household"]))
        assert wrong_household is not None and wrong_household.state == "bad"
        states = session.exec(select(Household.state).where(Household.phone == dnc["phone"]))
        assert list(states) == ["dnc", "dnc"]  # in both campaigns
        contacts = session.exec(select(Contact.state).where(Contact.phone == dnc["phone"]))
        assert set(contacts) == {"dnc"}
        assert session.get(DoNotCall, dnc["phone"]) is not None
        assert elsewhere.phones == [dnc["phone"]]


def test_a_bad_number_keeps_a_housemates_call_back(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    """Issue 12 point 2: she asked to be called back; her housemate is a wrong number. Her
    call-back stays (sync.protocol.HouseholdEffect.bad_number), the third member still to
    call is closed, and the household stays open for her call-back."""
    seeded = seed_list(engine, households=1, members=3)
    reservation = reserve(client, volunteer, seeded.list_id)
    her, housemate, third = reservation["contacts"]
    when = T0 + timedelta(days=1)
    post(
        client,
        volunteer,
        result_body(
            her,
            reservation,
            disposition="call_back",
            script_version=0,
            call_back_at=when.isoformat(),
            ended_at=T0 + timedelta(minutes=1),
        ),
    )
    post(
        client,
        volunteer,
        result_body(
            housemate,
            reservation,
            disposition="wrong_number",
            script_version=0,
            ended_at=T0 + timedelta(minutes=2),
        ),
    )

    with Session(engine) as session:
        members = select(Contact).where(Contact.household_id == seeded.household_ids[0])
        state = {c.id: (c.state, c.call_back_at) for c in session.exec(members)}
        household = session.get(Household, seeded.household_ids[0])
    assert state[her["id"]] == ("open", when)
    assert state[housemate["id"]][0] == "bad"
    assert state[third["id"]][0] == "bad"
    assert household is not None and household.state == "open"
    assert household.next_call_at == when and household.call_back_volunteer_id == volunteer.id


def test_a_call_back_sets_the_time_and_the_volunteer(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=1)
    reservation = reserve(client, volunteer, seeded.list_id)
    when = T0 + timedelta(days=1)
    post(
        client,
        volunteer,
        result_body(
            reservation["contacts"][0],
            reservation,
            disposition="call_back",
            script_version=0,
            call_back_at=when.isoformat(),
        ),
    )
    with Session(engine) as session:
        household = session.get(Household, seeded.household_ids[0])
        contact = session.get(Contact, seeded.contact_ids[0])
    assert household is not None and contact is not None
    assert household.next_call_at == when
    assert household.call_back_volunteer_id == volunteer.id
    assert contact.call_back_at == when and contact.last_disposition == "call_back"


def test_a_correction_replaces_the_original_in_the_counts(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=2)
    reservation = reserve(client, volunteer, seeded.list_id)
    contact = reservation["contacts"][0]
    original = result_body(contact, reservation, disposition="no_answer", script_version=0)
    correction = result_body(
        contact, reservation, script_version=0, supersedes=original["id"], notes="It was her"
    )

    post(client, volunteer, original)
    response = post(client, volunteer, correction)

    assert response.json()["results"][0]["status"] == "created"
    assert stored(engine, correction["id"]).supersedes == original["id"]
    mine = progress(client, volunteer, seeded.campaign_id)
    assert (mine["calls_made"], mine["mine"]) == (1, 1)
    # one call, corrected: one attempt, and the person is done as the correction says
    with Session(engine) as session:
        person = session.get(Contact, contact["id"])
    assert person is not None and (person.attempts, person.state) == (1, "done")
    assert person.last_disposition == "contacted"


def test_a_mixed_batch_gets_a_status_per_result(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=3, list_size=3)
    reservation = reserve(client, volunteer, seeded.list_id)
    a, b, c = (
        result_body(contact, reservation, script_version=0) for contact in reservation["contacts"]
    )
    assert post(client, volunteer, a).status_code == 201

    response = post(client, volunteer, a, b, dict(a, notes="other"), b, c, dict(c, notes="x"))
    only_repeats = post(client, volunteer, a, b)

    assert response.status_code == 201
    assert [o["status"] for o in response.json()["results"]] == [
        "duplicate",
        "created",
        "conflict",
        "duplicate",
        "created",
        "conflict",
    ]
    assert only_repeats.status_code == 200
    assert post(client, volunteer).json() == {"results": []}
    with Session(engine) as session:
        assert len(session.exec(select(CallResult)).all()) == 3


def test_bad_input_gets_a_clear_4xx_never_a_500(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=1)
    reservation = reserve(client, volunteer, seeded.list_id)
    good = result_body(reservation["contacts"][0], reservation, script_version=0)
    headers = {**volunteer.headers, "Content-Type": "application/json"}

    bodies: list[Any] = [
        {"results": [dict(good, disposition="shouted")]},
        {"results": [dict(good, id="not-a-uuid")]},
        {"results": [dict(good, ended_at="yesterday")]},
        {"results": [dict(good, ended_at="2026-03-03T10:00:00")]},  # no offset
        {"results": [{k: v for k, v in good.items() if k != "contact_id"}]},
        {"results": [dict(good, id=str(uuid.uuid4())) for _ in range(501)]},
        {"results": "nope"},
        [],
    ]
    for body in bodies:
        response = client.post(f"{API}/results", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["detail"]
    raw = client.post(f"{API}/results", content=b"{not json", headers=headers)
    assert raw.status_code == 422

    odd = dict(good, notes="nul \x00 here", answers={}, fence=2**70, reservation_id=-5)
    response = post(client, volunteer, odd)
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "quarantined"
    assert "\x00" not in stored(engine, odd["id"]).notes


def test_several_results_for_one_person_in_one_batch_count_in_the_order_calls_ended(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    # A laptop offline all evening sends every call to a person at once: each is an attempt,
    # the person is done once the attempts reach the limit, and the last call says the rest.
    seeded = seed_list(engine, households=2, max_attempts=3)
    reservation = reserve(client, volunteer, seeded.list_id)
    tried, promised = reservation["contacts"]
    call_back_at = T0 + timedelta(days=1)
    batch = [
        result_body(tried, reservation, disposition="no_answer", ended_at=T0 - timedelta(minutes=m))
        for m in (30, 20, 10)
    ] + [
        result_body(promised, reservation, disposition="call_back", ended_at=T0,
                    call_back_at=call_back_at.isoformat()),
        result_body(promised, reservation, disposition="busy", ended_at=T0 - timedelta(hours=1)),
    ]  # fmt: skip
    response = post(client, volunteer, *(dict(r, script_version=0) for r in batch))

    assert response.status_code == 201
    assert [r["status"] for r in response.json()["results"]] == ["created"] * 5
    with Session(engine) as session:
        done = session.get(Contact, tried["id"])
        open_ = session.get(Contact, promised["id"])
        assert done is not None and open_ is not None
        assert (done.attempts, done.state, done.last_disposition) == (3, "done", "no_answer")
        assert (open_.attempts, open_.state, open_.last_disposition) == (2, "open", "call_back")
        assert open_.call_back_at == call_back_at
