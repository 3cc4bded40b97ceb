"""Campaign-wide contact history: an "updated universe" imported under another list name
never hands a second volunteer someone the campaign already knows is deceased, a wrong
number, a "no", on the do-not-call list, or called a few minutes ago."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from sync.hub.crud.campaigns import create_campaign
from sync.hub.db import session_scope
from sync.hub.importing import import_contacts
from sync.hub.models import CallList, Contact, Household
from tests.hub.conftest import Account, reserve
from tests.support.hub_seed import Clock, add_script, result_body

HEADER = "VanID,FirstName,LastName,HomePhone,CellPhone\n"
MARCH = HEADER + (
    "1,Ada,Deceased,614-555-0101,\n"
    "2,Ben,Wrong,614-555-0102,\n"
    "3,Cal,Refused,614-555-0103,\n"
    "4,Dee,Callback,614-555-0104,\n"
    "5,Eve,Noanswer,614-555-0105,\n"
    "6,Fay,Donotcall,614-555-0106,\n"
    "7,Gus,Contacted,614-555-0107,\n"
)
NAMES = ["Ada", "Ben", "Cal", "Dee", "Eve", "Fay", "Gus"]
DISPOSITIONS = ["deceased", "wrong_number", "refused", "call_back", "no_answer",
                "do_not_call", "contacted"]  # fmt: skip
# The updated universe: the same people (Cal without his VanID, found by phone and name;
# Ben with a new cell number), and someone new.
APRIL = HEADER + (
    "1,Ada,Deceased,614-555-0101,\n"
    "2,Ben,Wrong,614-555-0102,614-555-0112\n"
    ",Cal,Refused,(614) 555-0103,\n"
    "4,Dee,Callback,614-555-0104,\n"
    "5,Eve,Noanswer,614-555-0105,\n"
    "6,Fay,Donotcall,614-555-0106,\n"
    "7,Gus,Contacted,614-555-0107,\n"
    "8,Hal,New,614-555-0108,\n"
)


def list_id(engine: Engine, name: str) -> int:
    with Session(engine) as session:
        found = session.exec(select(CallList.id).where(CallList.name == name)).one()
        assert found is not None
        return found


def test_an_updated_universe_under_another_list_holds_back_what_the_campaign_knows(
    engine: Engine,
    client: TestClient,
    clock: Clock,
    make_user: Callable[..., Account],
) -> None:
    with session_scope(engine) as session:
        campaign = create_campaign(session, "History", 100, list_size=20, cooldown_seconds=0,
                                   calling_hours=("00:00", "23:59"))  # fmt: skip
        campaign_id = campaign.id
        assert campaign_id is not None
    add_script(engine, campaign_id)
    with session_scope(engine) as session:
        import_contacts(session, campaign_id, io.StringIO(MARCH), list_name="March")
    first, second = make_user(), make_user()
    march = reserve(client, first, list_id(engine, "March"))
    by_name = {c["first_name"]: c for c in march["contacts"]}
    results = [
        result_body(by_name[c], march, disposition=d, ended_at=clock.now,
                    **({"call_back_at": (clock.now + timedelta(hours=3)).isoformat()}
                       if d == "call_back" else {}))
        for c, d in zip(NAMES, DISPOSITIONS, strict=True)
    ]  # fmt: skip
    posted = client.post("/api/v1/results", json={"results": results}, headers=first.headers)
    assert posted.status_code == 201, posted.text

    clock.advance(minutes=20)
    with session_scope(engine) as session:
        report = import_contacts(
            session, campaign_id, io.StringIO(APRIL), list_name="April", now=clock.now
        )

    assert report.held_back == {
        "deceased": 1,
        "refused": 1,
        "do-not-call": 1,
        "already reached": 1,
        "call-back due": 1,
        "called within the retry window": 1,
    }
    assert (report.contacts, report.rejected) == (8, 0)  # all kept, for the export and later
    # 20 minutes later another volunteer gets only Hal, and Ben on his new number.
    april = reserve(client, second, list_id(engine, "April"))
    handed = sorted((c["first_name"], c["phone"]) for c in april["contacts"])
    assert handed == [("Ben", "+16145550112"), ("Hal", "+16145550108")]
    with Session(engine) as session:
        waits = dict(
            session.exec(
                select(Contact.first_name, Household.next_call_at)
                .join(Household, col(Household.id) == Contact.household_id)
                .where(Contact.call_list_id == list_id(engine, "April"))
            ).all()
        )
    # Dee's call-back and Eve's retry come due when they would have in March.
    assert waits["Dee"] == clock.now + timedelta(hours=3) - timedelta(minutes=20)
    assert waits["Eve"] is not None and waits["Eve"] > clock.now
    assert waits["Ada"] is None  # never: she is held back for good


def test_a_wrong_number_on_someones_cell_is_not_dialed_again_from_another_list(
    engine: Engine,
    client: TestClient,
    clock: Clock,
    volunteer: Account,
    make_user: Callable[..., Account],
) -> None:
    """The laptop said which number was wrong (dialed_phone): only that one is dropped."""
    with session_scope(engine) as session:
        campaign = create_campaign(session, "Cells", 100, list_size=20, cooldown_seconds=0,
                                   calling_hours=("00:00", "23:59"))  # fmt: skip
        campaign_id = campaign.id
        assert campaign_id is not None
    add_script(engine, campaign_id)
    ivy = HEADER + "9,Ivy,Twophones,614-555-0109,614-555-0119\n"
    with session_scope(engine) as session:
        import_contacts(session, campaign_id, io.StringIO(ivy), list_name="March")
    march = reserve(client, volunteer, list_id(engine, "March"))
    wrong_cell = result_body(march["contacts"][0], march, disposition="wrong_number",
                             ended_at=clock.now, dialed_phone="+16145550119")  # fmt: skip
    posted = client.post(
        "/api/v1/results", json={"results": [wrong_cell]}, headers=volunteer.headers
    )
    assert posted.status_code == 201, posted.text

    clock.advance(minutes=20)
    with session_scope(engine) as session:
        report = import_contacts(
            session, campaign_id, io.StringIO(ivy), list_name="April", now=clock.now
        )

    assert report.held_back == {}  # her home number is fine: she is still to be called
    april = reserve(client, make_user(), list_id(engine, "April"))
    assert [(c["phone"], [p["e164"] for p in c["phones"]]) for c in april["contacts"]] == [
        ("+16145550109", ["+16145550109"])
    ]
