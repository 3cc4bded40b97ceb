"""The listening report's choice counts from running totals (crud/choice_tallies): kept as
results are stored, they equal the counts made from the results after every kind of write
— yes/no, scale and multi answers, quarantined results, corrections, a resent batch, long
free text — and a recount (`rebuild`) makes the same totals, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.crud import choice_tallies, listening
from sync.hub.crud import scripts as scripts_crud
from sync.hub.db import session_scope
from sync.hub.models import ChoiceTally
from sync.hub.script_file import load_script_file
from tests.hub.conftest import Account, reserve
from tests.support.hub_process import REPO_ROOT
from tests.support.hub_seed import T0, result_body, seed_list

GOTV = REPO_ROOT / "resources" / "scripts" / "gotv.yaml"


def both_ways(engine: Engine, campaign_id: int) -> tuple[list[Any], list[Any]]:
    with Session(engine) as session:
        questions = listening.questions(session, campaign_id)
        kept = listening.choice_counts(session, campaign_id, questions)
        counted = listening.choice_counts(session, campaign_id, questions, from_results=True)
    return kept, counted


def stored(engine: Engine, campaign_id: int) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        rows = session.exec(select(ChoiceTally).where(ChoiceTally.campaign_id == campaign_id))
        return sorted((t.question_id, t.answer, t.volunteer_id, t.n) for t in rows)


def test_choice_counts_kept_as_results_arrive_equal_a_count_of_the_results(
    client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    seeded = seed_list(engine, households=8, list_size=6, cooldown_seconds=0)
    cid = seeded.campaign_id
    with session_scope(engine) as session:
        scripts_crud.publish_script(session, cid, load_script_file(GOTV))
    caller, other = make_user(), make_user()
    mine = reserve(client, caller, seeded.list_id)
    a, b, c, d, e = mine["contacts"][:5]

    def body(contact: dict[str, Any], minutes: int, **fields: Any) -> dict[str, Any]:
        return result_body(contact, mine, ended_at=T0 + timedelta(minutes=minutes), **fields)

    first = body(a, 1, answers={"support": "yes", "plan": True})
    batches: list[list[dict[str, Any]]] = [
        [
            first,
            body(
                b,
                2,
                answers={
                    "support": "undecided",
                    "issue": "x" * 300,  # long free text
                    "enthusiasm": 3,
                },
            ),
            body(c, 3, answers={"support": "yes", "plan": False, "help": ["ride", "info"]}),
            body(d, 4, disposition="no_answer"),
        ],
        [body(a, 5, answers={"support": "no"}, supersedes=first["id"])],  # a correction
        [body(e, 6, answers={"support": "maybe"})],  # not an option: quarantined
        [first],  # sent again: stored once
        [body(e, 7, answers={"support": "yes", "plan": True, "help": ["none"]})],
    ]
    for results in batches:
        sent = client.post("/api/v1/results", json={"results": results}, headers=caller.headers)
        assert sent.is_success, sent.text
        kept, counted = both_ways(engine, cid)
        assert kept == counted
    support = next(c for c in kept if c.question.id == "support")
    assert support.counts == [("Yes", 3), ("Undecided", 1), ("No", 1)]  # "maybe" quarantined
    helps = next(c for c in kept if c.question.id == "help")
    assert (helps.counts[0], helps.answered) == (("A ride to the polls", 1), 2)
    plan = next(c for c in kept if c.question.id == "plan")
    assert plan.counts == [("Yes", 2), ("No", 1)]
    scale = next(c for c in kept if c.question.id == "enthusiasm")
    assert (scale.counts[2], scale.answered) == (("3", 1), 1)
    # Another volunteer's calls are counted in rows of their own, then summed.
    theirs = reserve(client, other, seeded.list_id)
    late = result_body(theirs["contacts"][0], theirs, answers={"support": "no"})
    sent = client.post("/api/v1/results", json={"results": [late]}, headers=other.headers)
    assert sent.is_success
    kept, counted = both_ways(engine, cid)
    assert kept == counted
    assert next(c for c in kept if c.question.id == "support").counts[2] == ("No", 2)
    before = stored(engine, cid)
    assert {v for _, _, v, _ in before} == {caller.id, other.id}
    assert all(len(answer) <= choice_tallies.MAX_CHOICE for _, answer, _, _ in before)
    with Session(engine) as session:
        choice_tallies.rebuild(session, cid)
        session.commit()
    assert stored(engine, cid) == before
