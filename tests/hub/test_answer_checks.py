"""The hub checks answers against the script version a result names (issue 11 item 8).

An answer that is not an option, off the scale, not yes/no, to an unknown question, or to a
question the earlier answers skip is kept but quarantined with a reason: it changes nothing,
counts for nothing, and leaves the default export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.answer_rules import AnswerRules
from sync.hub.crud.scripts import publish_script
from sync.hub.db import session_scope
from sync.hub.models import CallResult, Contact
from sync.hub.script_file import load_script_file
from sync.messages import Code, Message
from sync.protocol import Script
from sync.resources import resources_dir
from tests.hub.conftest import Account, reserve
from tests.support.hub_seed import T0, Clock, result_body, seed_list

API = "/api/v1"
GOTV = resources_dir() / "scripts" / "gotv.yaml"

# gotv.yaml: support (choice: yes -> plan, undecided -> issue, no -> end); issue (text) ->
# enthusiasm (scale 1..5) -> end; plan (yes/no) -> help (multi: ride, reminder, info, none).
FITTING = {
    "yes, then plan and help": {"support": "yes", "plan": "yes", "help": ["ride", "info"]},
    "yes/no as a boolean": {"support": "yes", "plan": False},
    "undecided, then issue and scale": {"support": "undecided", "issue": "jobs", "enthusiasm": 4},
    "scale as text": {"support": "undecided", "enthusiasm": "5"},
    "skipped first question, default path": {"issue": "roads", "enthusiasm": 1},
    "no answers to later questions": {"support": "no"},
}
NOT_FITTING = {
    "not an option": ({"support": "maybe"}, "'support'", "not one of its options"),
    "multi with a stray": ({"support": "yes", "help": ["ride", "taxi"]}, "'taxi'", "options"),
    "multi not a list": ({"support": "yes", "help": "ride"}, "'help'", "not a list"),
    "scale too high": ({"support": "undecided", "enthusiasm": 9}, "outside 1..5", ""),
    "scale not a number": ({"support": "undecided", "enthusiasm": "lots"}, "whole number", ""),
    "yes/no not yes/no": ({"support": "yes", "plan": "perhaps"}, "not yes or no", ""),
    "unknown question": ({"support": "yes", "shoe_size": "9"}, "'shoe_size'", "not have"),
    "off the branch": ({"support": "no", "plan": "yes"}, "off the script's branch", "'plan'"),
    "other branch": ({"support": "yes", "issue": "jobs"}, "'issue'", "branch"),
    "text not text": ({"issue": 12}, "'issue'", "not text"),
}


@pytest.fixture
def scripted(engine: Engine) -> tuple[int, int]:
    """A list of 30 households in a campaign whose script is gotv.yaml (version 1)."""
    seeded = seed_list(engine, households=30, list_size=30)
    with session_scope(engine) as session:
        publish_script(session, seeded.campaign_id, load_script_file(GOTV))
    return seeded.campaign_id, seeded.list_id


def test_answers_that_fit_the_script_are_accepted_and_the_rest_quarantined(
    client: TestClient,
    engine: Engine,
    make_user: Callable[..., Account],
    clock: Clock,
    scripted: tuple[int, int],
) -> None:
    campaign_id, list_id = scripted
    caller = make_user()
    reservation = reserve(client, caller, list_id)
    contacts = iter(reservation["contacts"])
    bodies: dict[str, dict[str, Any]] = {}
    for name, answers in FITTING.items():
        bodies[name] = result_body(next(contacts), reservation, answers=answers, ended_at=T0)
    for name, (answers, _, _) in NOT_FITTING.items():
        bodies[name] = result_body(next(contacts), reservation, answers=answers, ended_at=T0)

    response = client.post(
        f"{API}/results", json={"results": list(bodies.values())}, headers=caller.headers
    )

    assert response.status_code == 201, response.text
    outcomes = dict(zip(bodies, response.json()["results"], strict=True))
    for name in FITTING:
        assert outcomes[name]["status"] == "created", (name, outcomes[name])
    for name, (_, *words) in NOT_FITTING.items():
        assert outcomes[name]["status"] == "quarantined", name
        for word in words:
            assert word in outcomes[name]["reason"], (name, outcomes[name]["reason"])
    with Session(engine) as session:
        for name, (answers, _, _) in NOT_FITTING.items():
            row = session.exec(select(CallResult).where(CallResult.id == bodies[name]["id"])).one()
            # Kept as sent, with the reason, and it did nothing to the person.
            assert row.quarantined and row.answers == answers
            assert "script version 1" in (row.quarantine_reason or "")
            # The same reason as a message: its code and parameters, for the words in any
            # language (sync/messages.py).
            assert row.quarantine_code == outcomes[name]["code"]
            assert row.quarantine_params == outcomes[name]["params"]
            assert str(Message(Code(row.quarantine_code), row.quarantine_params)) == (
                row.quarantine_reason
            )
            contact = session.get(Contact, bodies[name]["contact_id"])
            assert contact is not None and contact.attempts == 0
    # The default export holds the accepted results only; --all shows the others, marked.
    organizer = make_user("organizer")
    current = _export_ids(client, organizer, campaign_id)
    everything = _export_ids(client, organizer, campaign_id, all="true")
    assert current == {bodies[name]["id"]: "current" for name in FITTING}
    assert {everything[bodies[name]["id"]] for name in NOT_FITTING} == {"quarantined"}


def test_a_call_read_in_a_language_the_script_lacks_is_quarantined_with_its_reason(
    client: TestClient,
    engine: Engine,
    make_user: Callable[..., Account],
    clock: Clock,
    scripted: tuple[int, int],
) -> None:
    _, list_id = scripted  # gotv.yaml: English, with a Spanish translation
    caller = make_user()
    reservation = reserve(client, caller, list_id)
    contacts = iter(reservation["contacts"])
    languages = {"english": "en", "spanish": "es", "unsaid (an older laptop)": None, "french": "fr"}
    bodies = {
        name: result_body(next(contacts), reservation, answers={"support": "no"}, language=code)
        for name, code in languages.items()
    }

    response = client.post(
        f"{API}/results", json={"results": list(bodies.values())}, headers=caller.headers
    )

    assert response.status_code == 201, response.text
    outcomes = dict(zip(bodies, response.json()["results"], strict=True))
    assert {name: o["status"] for name, o in outcomes.items()} == {
        "english": "created",
        "spanish": "created",
        "unsaid (an older laptop)": "created",
        "french": "quarantined",
    }
    reason = "the call was read in 'fr', a language script version 1 does not have (it has en, es)"
    params = {"language": "fr", "version": 1, "languages": "en, es"}
    assert outcomes["french"]["reason"] == reason
    assert (outcomes["french"]["code"], outcomes["french"]["params"]) == (
        "language_not_in_script",
        params,
    )
    with Session(engine) as session:
        row = session.exec(select(CallResult).where(CallResult.id == bodies["french"]["id"])).one()
        assert (row.quarantine_reason, row.quarantine_code) == (reason, "language_not_in_script")
        assert row.quarantine_params == params
        contact = session.get(Contact, bodies["french"]["contact_id"])
        assert contact is not None and contact.attempts == 0  # it did nothing


def _export_ids(
    client: TestClient, organizer: Account, campaign_id: int, **params: str
) -> dict[str, str]:
    response = client.get(
        f"{API}/campaigns/{campaign_id}/export.csv", params=params, headers=organizer.headers
    )
    assert response.status_code == 200, response.text
    return {row["result_id"]: row["status"] for row in csv.DictReader(io.StringIO(response.text))}


def test_the_hub_walks_the_script_as_the_laptop_does() -> None:
    """The hub's lookup walk and the protocol's Script.next_question_id agree everywhere."""
    doc = load_script_file(GOTV)
    questions = [q.model_dump(mode="json") for q in doc.questions]
    script = Script.model_validate(
        {"id": 1, "campaign_id": 1, "version": 1, "title": "", "intro": "", "questions": questions}
    )
    rules = AnswerRules(questions)
    answers: list[Any] = [None, "yes", "no", "undecided", True, False, 3, ["ride"], "x"]
    for question in script.questions:
        for answer in answers:
            assert rules.next_question_id(question.id, answer) == script.next_question_id(
                question.id, answer
            ), (question.id, answer)
