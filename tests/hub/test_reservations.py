"""Reservations: size, exclusivity, cooldown, release, expiry, calling hours, DNC, call-backs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.crud.calling_hours import in_calling_hours
from sync.hub.models import DoNotCall, Household, ReservationItem
from tests.hub.conftest import Account
from tests.support.hub_seed import T0, Clock, result_body, seed_list

API = "/api/v1"


def reserve(client: TestClient, account: Account, list_id: int) -> tuple[int, dict]:
    response = client.post(
        f"{API}/reservations", json={"call_list_id": list_id}, headers=account.headers
    )
    return response.status_code, response.json()


def households_of(reservation: dict) -> set[str]:
    return {c["household"] for c in reservation["contacts"]}


def test_grants_list_size_households_with_every_member(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=12, members=2, list_size=5, hold_seconds=3600)

    status, body = reserve(client, volunteer, seeded.list_id)

    assert status == 201, body
    assert len(households_of(body)) == 5
    assert len(body["contacts"]) == 10  # both members of each household
    assert body["fence"] == body["id"]
    assert body["status"] == "active"
    assert datetime.fromisoformat(body["expires_at"]) == T0 + timedelta(hours=1)
    assert datetime.fromisoformat(body["next_request_at"]) == T0 + timedelta(minutes=10)
    contact = body["contacts"][0]
    assert contact["phone"].startswith("+1") and contact["timezone"] == "America/New_York"
    assert "precinct" in contact["extra"]
    with Session(engine) as session:
        items = session.exec(
            select(ReservationItem).where(ReservationItem.reservation_id == body["id"])
        ).all()
        held = session.exec(select(Household).where(Household.reservation_id == body["id"])).all()
    assert len(items) == 5
    assert {h.fence for h in held} == {body["id"]}


def test_volunteers_never_share_households_and_fences_grow(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=12, list_size=5)
    first, second = make_user(), make_user()

    s1, r1 = reserve(client, first, seeded.list_id)
    s2, r2 = reserve(client, second, seeded.list_id)

    assert (s1, s2) == (201, 201)
    assert households_of(r1).isdisjoint(households_of(r2))
    assert r2["fence"] > r1["fence"]


def test_cooldown_answers_429_with_retry_after_until_it_passes(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=30, list_size=5, cooldown_seconds=600)
    assert reserve(client, volunteer, seeded.list_id)[0] == 201

    clock.advance(seconds=100)
    response = client.post(
        f"{API}/reservations", json={"call_list_id": seeded.list_id}, headers=volunteer.headers
    )

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "500"
    assert "more names" in response.json()["detail"]
    clock.advance(seconds=500)
    assert reserve(client, volunteer, seeded.list_id)[0] == 201


def test_a_finished_list_allows_the_next_at_once(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seeded = seed_list(engine, households=30, list_size=3, cooldown_seconds=600)
    _, reservation = reserve(client, volunteer, seeded.list_id)
    results = [
        result_body(contact, reservation, disposition="no_answer", script_version=0)
        for contact in reservation["contacts"]
    ]
    # One of three households called: still cooling down.
    client.post(f"{API}/results", json={"results": results[:1]}, headers=volunteer.headers)
    assert reserve(client, volunteer, seeded.list_id)[0] == 429

    # Most of it called: the next list at once.
    client.post(f"{API}/results", json={"results": results[1:2]}, headers=volunteer.headers)
    status, second = reserve(client, volunteer, seeded.list_id)

    assert status == 201
    assert households_of(second).isdisjoint(households_of(reservation))


def test_giving_a_list_back_does_not_shorten_the_cooldown(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    """The cooldown counts from the grant: releasing a list (or calling one name of it)
    and asking again used to hand over a new list at once, 60 lists in 7 seconds."""
    seeded = seed_list(engine, households=30, list_size=4, cooldown_seconds=600)
    _, first = reserve(client, volunteer, seeded.list_id)
    one = result_body(first["contacts"][0], first, disposition="no_answer", script_version=0)
    client.post(f"{API}/results", json={"results": [one]}, headers=volunteer.headers)
    released = client.post(f"{API}/reservations/{first['id']}/release", headers=volunteer.headers)
    assert released.status_code == 200
    status, body = reserve(client, volunteer, seeded.list_id)
    assert status == 429
    assert body["retry_after"] == 600
    clock.advance(seconds=599)
    assert reserve(client, volunteer, seeded.list_id)[0] == 429
    clock.advance(seconds=1)
    assert reserve(client, volunteer, seeded.list_id)[0] == 201


def test_an_empty_list_answers_409_and_an_unknown_list_404(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=3, list_size=5)
    assert reserve(client, make_user(), seeded.list_id)[0] == 201

    status, body = reserve(client, make_user(), seeded.list_id)
    assert status == 409
    assert body["reason"] == "busy" and "other volunteers" in body["detail"]

    for bad in (seeded.list_id + 99, 0, -1, 2**40):
        status, body = reserve(client, make_user(), bad)
        assert status == 404, bad
        assert "no call list" in body["detail"]


def test_release_returns_households_at_once_and_is_idempotent(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=4, list_size=4)
    owner, other = make_user(), make_user()
    _, reservation = reserve(client, owner, seeded.list_id)
    assert reserve(client, other, seeded.list_id)[0] == 409
    url = f"{API}/reservations/{reservation['id']}/release"

    assert client.post(url, headers=other.headers).status_code == 404  # not theirs
    first = client.post(url, headers=owner.headers)
    again = client.post(url, headers=owner.headers)

    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == again.json()["status"] == "released"
    status, regranted = reserve(client, other, seeded.list_id)
    assert status == 201
    assert households_of(regranted) == households_of(reservation)
    assert regranted["fence"] > reservation["fence"]
    missing = client.post(f"{API}/reservations/{2**40}/release", headers=owner.headers)
    assert missing.status_code == 404


def test_expired_holds_return_to_the_pool(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=3, list_size=3, hold_seconds=60)
    first, second = make_user(), make_user()
    _, reservation = reserve(client, first, seeded.list_id)
    assert reserve(client, second, seeded.list_id)[0] == 409

    clock.advance(seconds=60)
    status, regranted = reserve(client, second, seeded.list_id)

    assert status == 201
    assert households_of(regranted) == households_of(reservation)
    synced = client.get(f"{API}/sync", headers=first.headers).json()
    assert [(r["id"], r["status"]) for r in synced["reservations"]] == [
        (reservation["id"], "expired")
    ]


def test_only_households_inside_calling_hours_in_their_own_zone(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(
        engine,
        households=6,
        list_size=10,
        hours=("09:00", "21:00"),
        zones=("America/New_York", "Asia/Tokyo"),
    )
    # T0 is 10:00 in New York and midnight in Tokyo.
    status, body = reserve(client, make_user(), seeded.list_id)
    assert status == 201
    assert {c["timezone"] for c in body["contacts"]} == {"America/New_York"}
    assert len(households_of(body)) == 3

    clock.now = T0 + timedelta(hours=12)  # 22:00 New York, 12:00 Tokyo
    status, body = reserve(client, make_user(), seeded.list_id)
    assert status == 201
    assert {c["timezone"] for c in body["contacts"]} == {"Asia/Tokyo"}

    clock.now = T0 + timedelta(hours=14)  # 00:00 New York, 14:00 Tokyo: Tokyo all held
    seeded_ny = seed_list(engine, households=2, hours=("09:00", "21:00"), name="NY only")
    status, body = reserve(client, make_user(), seeded_ny.list_id)
    assert status == 409
    assert "outside calling hours" in body["detail"]


def test_calling_hours_edges() -> None:
    noon_utc = T0.replace(hour=12)
    assert in_calling_hours("UTC", "00:00", "23:59", noon_utc.replace(hour=23, minute=59))
    assert in_calling_hours("UTC", "00:00", "23:59", noon_utc.replace(hour=0, minute=0))
    assert in_calling_hours("UTC", "09:00", "21:00", noon_utc.replace(hour=9))
    assert not in_calling_hours("UTC", "09:00", "21:00", noon_utc.replace(hour=21))
    assert in_calling_hours("UTC", "18:00", "02:00", noon_utc.replace(hour=1))  # wraps
    assert not in_calling_hours("UTC", "18:00", "02:00", noon_utc)
    assert in_calling_hours("Not/AZone", "09:00", "21:00", noon_utc)  # taken as UTC


def test_do_not_call_is_never_handed_out_again_in_any_campaign(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    first = seed_list(engine, households=1, list_size=5)
    second = seed_list(engine, households=2, list_size=5, phones=[*first.phones, "+16145550199"])
    caller = make_user()
    _, reservation = reserve(client, caller, first.list_id)
    contact = reservation["contacts"][0]
    result = result_body(contact, reservation, disposition="do_not_call", script_version=0)

    response = client.post(f"{API}/results", json={"results": [result]}, headers=caller.headers)

    assert response.status_code == 201
    status, other = reserve(client, make_user(), second.list_id)
    assert status == 201
    assert [c["phone"] for c in other["contacts"]] == ["+16145550199"]
    clock.advance(days=2)
    assert reserve(client, make_user(), first.list_id)[0] == 409
    with Session(engine) as session:
        assert session.get(DoNotCall, contact["phone"]) is not None
        states = session.exec(select(Household.state).where(Household.phone == contact["phone"]))
        assert set(states) == {"dnc"}


def test_call_backs_go_first_to_their_volunteer_then_to_anyone(
    client: TestClient, engine: Engine, make_user: Callable[..., Account], clock: Clock
) -> None:
    seeded = seed_list(engine, households=3, list_size=1, cooldown_seconds=0, hold_seconds=60)
    promised, other = make_user(), make_user()
    _, reservation = reserve(client, promised, seeded.list_id)
    contact = reservation["contacts"][0]
    when = T0 + timedelta(hours=2)
    result = result_body(
        contact,
        reservation,
        disposition="call_back",
        script_version=0,
        call_back_at=when.isoformat(),
    )
    assert (
        client.post(
            f"{API}/results", json={"results": [result]}, headers=promised.headers
        ).status_code
        == 201
    )

    clock.now = when + timedelta(minutes=30)  # due, but still the promiser's for an hour
    others = [reserve(client, other, seeded.list_id) for _ in range(3)]
    assert [status for status, _ in others] == [201, 201, 409]
    assert contact["household"] not in households_of(others[0][1]) | households_of(others[1][1])
    status, body = reserve(client, promised, seeded.list_id)
    assert status == 201
    assert households_of(body) == {contact["household"]}  # call-backs come first
    client.post(f"{API}/reservations/{body['id']}/release", headers=promised.headers)

    clock.now = when + timedelta(hours=1, minutes=1)  # past the grace hour: anyone's
    seen: set[str] = set()
    for _ in range(3):
        status, body = reserve(client, other, seeded.list_id)
        assert status == 201
        seen |= households_of(body)
    assert contact["household"] in seen


def test_bad_requests_get_a_clear_4xx_never_a_500(
    client: TestClient, engine: Engine, volunteer: Account, clock: Clock
) -> None:
    seed_list(engine, households=1)
    bodies: list[object] = [{}, {"call_list_id": "Ohio"}, {"call_list_id": None}, [], "1", {"x": 1}]
    for body in bodies:
        response = client.post(f"{API}/reservations", json=body, headers=volunteer.headers)
        assert response.status_code == 422, body
        assert response.json()["detail"]
    for path in ("abc", "1.5", "99999999999999999999999", "-3"):
        response = client.post(f"{API}/reservations/{path}/release", headers=volunteer.headers)
        assert response.status_code in (404, 422), path
        assert response.json()["detail"]
    assert client.post(f"{API}/reservations", json={"call_list_id": 1}).status_code == 401
