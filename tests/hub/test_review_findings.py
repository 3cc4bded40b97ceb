"""Regressions found in a review of the hub: each test failed before its fix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.hub.crud.result_checks import content_hash
from sync.hub.models import Contact, Household
from sync.protocol import ResultIn
from tests.hub.conftest import Account, reserve
from tests.support.hub_seed import Clock, result_body, seed_list

API = "/api/v1"


def post(client: TestClient, account: Account, *results: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        f"{API}/results", json={"results": list(results)}, headers=account.headers
    )
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


def sync(client: TestClient, account: Account) -> dict[str, Any]:
    response = client.get(f"{API}/sync", headers=account.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_sync_never_tells_a_volunteer_about_a_household_now_held_by_someone_else(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    # A 24-hour hold; a no-answer ends it and the household may be retried after an hour.
    seeded = seed_list(
        engine, households=2, list_size=2, hold_seconds=24 * 3600, retry_after_seconds=3600
    )
    first, second = make_user(), make_user()
    mine = reserve(client, first, seeded.list_id)
    called, kept = mine["contacts"]
    post(client, first, result_body(called, mine, disposition="no_answer", script_version=0))
    clock.advance(hours=1)
    theirs = reserve(client, second, seeded.list_id)
    assert [c["id"] for c in theirs["contacts"]] == [called["id"]]
    # The number is put on the do-not-call list while the second volunteer holds it.
    post(client, second, result_body(called, theirs, disposition="do_not_call", script_version=0))

    body = sync(client, first)

    (reservation,) = body["reservations"]
    assert reservation["status"] == "active"
    # Only what the first volunteer still holds: not the household handed to someone else.
    assert [c["id"] for c in reservation["contacts"]] == [kept["id"]]
    assert body["dnc"] == []
    assert sync(client, second)["dnc"] == [called["phone"]]


def test_sync_dnc_covers_an_expired_list_still_on_the_laptop_not_a_released_one(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    first = seed_list(engine, households=1, hold_seconds=3600)
    second = seed_list(engine, households=1, phones=first.phones, name="Elsewhere")
    holder, caller = make_user(), make_user()
    held = reserve(client, holder, first.list_id)
    clock.advance(hours=2)  # expired, but nobody else was given it: the laptop may still call
    called = reserve(client, caller, second.list_id)
    post(
        client,
        caller,
        result_body(called["contacts"][0], called, disposition="do_not_call", script_version=0),
    )

    assert sync(client, holder)["dnc"] == first.phones
    client.post(f"{API}/reservations/{held['id']}/release", headers=holder.headers)
    assert sync(client, holder)["dnc"] == []  # given back: the laptop no longer has it


def _empty_answer(client: TestClient, account: Account, list_id: int) -> dict[str, Any]:
    response = client.post(
        f"{API}/reservations", json={"call_list_id": list_id}, headers=account.headers
    )
    assert response.status_code == 409, response.text
    return dict(response.json())


def test_an_empty_answer_says_whether_the_list_is_finished_or_just_not_now(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    # T0 is 10:00 in New York and midnight in Tokyo; calling hours 09:00-21:00.
    hours = ("09:00", "21:00")
    zones = ("America/New_York", "Asia/Tokyo")
    mixed = seed_list(engine, households=2, list_size=5, hours=hours, zones=zones)
    caller, other = make_user(), make_user()
    granted = reserve(client, caller, mixed.list_id)
    assert {c["timezone"] for c in granted["contacts"]} == {"America/New_York"}
    post(client, caller, result_body(granted["contacts"][0], granted, script_version=0))

    # New York is finished; the Tokyo household is left, outside its calling hours.
    later = _empty_answer(client, other, mixed.list_id)
    assert later["reason"] == "outside_hours"
    assert "outside calling hours" in later["detail"]
    assert "nobody can be called right now" in later["detail"].lower()

    # Every household called: finished, even at an hour when nobody could be called anyway.
    clock.advance(hours=12)  # 22:00 New York, 12:00 Tokyo
    tokyo = reserve(client, other, mixed.list_id)
    post(client, other, result_body(tokyo["contacts"][0], tokyo, script_version=0))
    clock.advance(hours=2)  # midnight New York, 14:00 Tokyo
    done = _empty_answer(client, make_user(), mixed.list_id)
    assert done["reason"] == "finished"
    assert "finished" in done["detail"]
    clock.advance(hours=6)  # 06:00 New York, 20:00 Tokyo
    assert _empty_answer(client, make_user(), mixed.list_id)["reason"] == "finished"


def test_an_empty_answer_says_when_the_names_left_are_held_by_others(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=2, list_size=5)
    reserve(client, make_user(), seeded.list_id)

    busy = _empty_answer(client, make_user(), seeded.list_id)

    assert busy["reason"] == "busy"
    assert "other volunteers" in busy["detail"]
    assert "finished" not in busy["detail"]


def _wire_result(**fields: Any) -> ResultIn:
    body = {
        "id": "6f1c1a52-8f7e-4f55-9d55-2f3a1d3c0b11",
        "contact_id": 1,
        "reservation_id": 1,
        "fence": 1,
        "disposition": "contacted",
        "answers": {"support": "yes", "issues": ["jobs", "health"], "scale": 3},
        "started_at": "2026-03-03T10:00:00-05:00",
        "ended_at": "2026-03-03T10:02:00-05:00",
        "script_version": 1,
    }
    body.update(fields)
    return ResultIn.model_validate(body)


class _NewerResultIn(ResultIn):
    """The wire format after someone ADDS an optional field (the only change allowed)."""

    device: str | None = None
    rating: int = 0


def test_the_content_hash_is_canonical_and_survives_new_optional_fields() -> None:
    original = _wire_result()
    same = [
        _wire_result(
            id="6F1C1A52-8F7E-4F55-9D55-2F3A1D3C0B11",
            ended_at="2026-03-03T15:02:00.000000Z",
            answers={"scale": 3.0, "issues": ["health", "jobs"], "support": "yes"},
            notes="",
            call_back_at=None,
        ),
        _NewerResultIn.model_validate(original.model_dump()),
    ]
    different = [
        _wire_result(notes="x"),
        _wire_result(answers={"support": "no", "issues": ["jobs", "health"], "scale": 3}),
        _wire_result(ended_at="2026-03-03T10:02:01-05:00"),
        _NewerResultIn.model_validate({**original.model_dump(), "device": "laptop"}),
    ]

    assert all(content_hash(r) == content_hash(original) for r in same)
    assert all(content_hash(r) != content_hash(original) for r in different)


def test_a_correction_cancels_only_its_own_volunteers_result_for_the_same_contact(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=4, list_size=2)
    first, second = make_user(), make_user()
    mine = reserve(client, first, seeded.list_id)
    theirs = reserve(client, second, seeded.list_id)
    a, b = mine["contacts"]
    original = result_body(a, mine, disposition="no_answer", script_version=0)
    post(client, first, original)
    # A correction naming an id nobody has sent yet...
    ahead = result_body(b, mine, script_version=0)
    their_result = result_body(theirs["contacts"][0], theirs, script_version=0)
    ahead["supersedes"] = their_result["id"]
    self_made = result_body(b, mine, script_version=0)
    self_made["supersedes"] = self_made["id"]
    other_contact = result_body(b, mine, script_version=0, supersedes=original["id"])

    outcomes = post(client, first, ahead, self_made, other_contact)["results"]
    post(client, second, their_result)  # ...then that id arrives from someone else

    assert [o["status"] for o in outcomes] == ["created", "quarantined", "quarantined"]
    assert "itself" in outcomes[1]["reason"]
    assert "another contact" in outcomes[2]["reason"]
    # The second volunteer's result still counts for them: nobody else can cancel it.
    assert sync(client, second)["progress"][str(seeded.campaign_id)]["mine"] == 1
    assert sync(client, first)["progress"][str(seeded.campaign_id)]["mine"] == 2
    # ...and the campaign's total counts all three calls.
    campaigns = client.get(f"{API}/campaigns", headers=first.headers).json()
    assert [c["calls_made"] for c in campaigns if c["id"] == seeded.campaign_id] == [3]


def test_a_restored_hub_that_has_since_grown_past_the_cursor_still_says_reset(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=6, list_size=2)
    laptop, other = make_user(), make_user()
    mine = reserve(client, laptop, seeded.list_id)
    sent = result_body(mine["contacts"][0], mine, script_version=0)
    post(client, laptop, sent)
    cursor = sync(client, laptop)["cursor"]
    # The hub is restored from a backup taken just before that result arrived...
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM call_results WHERE id = :id"), {"id": sent["id"]})
    # ...and other laptops' results take its place and more.
    theirs = reserve(client, other, seeded.list_id)
    post(client, other, *(result_body(c, theirs, script_version=0) for c in theirs["contacts"]))

    response = client.get(f"{API}/sync", params={"cursor": cursor}, headers=laptop.headers)

    assert response.json()["reset"] is True  # so the laptop sends its result again
    fresh = response.json()["cursor"]
    again = client.get(f"{API}/sync", params={"cursor": fresh}, headers=laptop.headers)
    assert again.json()["reset"] is False


def test_retry_after_is_never_later_than_the_hold_that_causes_it(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    # A cooldown longer than the hold: once the list expires the volunteer may ask again.
    seeded = seed_list(engine, households=10, list_size=2, hold_seconds=120, cooldown_seconds=600)
    granted = reserve(client, volunteer, seeded.list_id)
    assert granted["next_request_at"] == granted["expires_at"]  # what the app's timer shows
    clock.advance(seconds=10)

    response = client.post(
        f"{API}/reservations", json={"call_list_id": seeded.list_id}, headers=volunteer.headers
    )

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "110"
    clock.advance(seconds=110)
    assert reserve(client, volunteer, seeded.list_id)["status"] == "active"


def test_due_retries_and_expired_holds_go_out_before_untouched_names(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    # In a big list untouched names would otherwise starve retries for days.
    seeded = seed_list(
        engine, households=6, list_size=1, hold_seconds=3600, retry_after_seconds=600
    )
    first, second, third = make_user(), make_user(), make_user()
    tried = reserve(client, first, seeded.list_id)
    post(
        client,
        first,
        result_body(tried["contacts"][0], tried, disposition="no_answer", script_version=0),
    )
    abandoned = reserve(client, second, seeded.list_id)  # never called, left to expire
    clock.advance(hours=1)

    retry = reserve(client, third, seeded.list_id)
    again = reserve(client, make_user(), seeded.list_id)

    assert retry["contacts"][0]["id"] == tried["contacts"][0]["id"]
    assert again["contacts"][0]["id"] == abandoned["contacts"][0]["id"]


def test_a_late_result_from_an_earlier_holder_does_not_undo_the_current_holders_call_back(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=1, hold_seconds=600)
    earlier, current = make_user(), make_user()
    first = reserve(client, earlier, seeded.list_id)
    contact = first["contacts"][0]
    clock.advance(minutes=11)  # expired; the household goes to someone else
    second = reserve(client, current, seeded.list_id)
    promised = clock.now + timedelta(days=1)
    post(
        client,
        current,
        result_body(
            contact,
            second,
            disposition="call_back",
            script_version=0,
            call_back_at=promised.isoformat(),
            ended_at=clock.now,
        ),
    )
    # The earlier holder's laptop comes back online with a no-answer made after its expiry.
    late = result_body(
        contact, first, disposition="no_answer", script_version=0, ended_at=clock.now
    )
    outcome = post(client, earlier, late)["results"][0]

    assert outcome["timing"] == "late_conflict"
    with Session(engine) as session:
        household = session.get(Household, seeded.household_ids[0])
        person = session.get(Contact, contact["id"])
    assert household is not None and person is not None
    assert household.call_back_volunteer_id == current.id  # still the current holder's
    assert household.next_call_at == promised
    assert person.call_back_at == promised
    assert person.attempts == 2  # the late call still counts as an attempt
