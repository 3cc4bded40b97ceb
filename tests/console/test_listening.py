"""The listening report and the feedback inbox, in-process on both databases."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from sync.hub.crud import scripts as scripts_crud
from sync.hub.db import session_scope
from sync.hub.script_file import load_script_file
from tests.console.inprocess import Console
from tests.hub.conftest import Account, reserve
from tests.support.hub_process import REPO_ROOT
from tests.support.hub_seed import T0, Clock, SeededList, result_body, seed_list

GOTV = REPO_ROOT / "resources" / "scripts" / "gotv.yaml"


@dataclass
class Said:
    seeded: SeededList
    texas: SeededList
    val: Account


@pytest.fixture
def said(
    engine: Engine, client: TestClient, clock: Clock, make_user: Callable[..., Account]
) -> Said:
    """Two lists of one campaign; Val's calls (in this order): a note in Ohio, an undecided
    voter's issue in Ohio, a multi answer in Texas with a note, a no-answer without words."""
    seeded = seed_list(engine, households=4, list_size=4, cooldown_seconds=0)
    texas = seed_list(engine, households=2, list_size=2, campaign_id=seeded.campaign_id,
                      name="Texas")  # fmt: skip
    with session_scope(engine) as session:
        scripts_crud.publish_script(session, seeded.campaign_id, load_script_file(GOTV))
    val = make_user(name="Val Caller")
    ohio = reserve(client, val, seeded.list_id)
    first = [
        result_body(ohio["contacts"][0], ohio, answers={"support": "yes", "plan": True},
                    notes="Wants a yard sign", ended_at=T0 + timedelta(minutes=1)),
        result_body(ohio["contacts"][1], ohio, ended_at=T0 + timedelta(minutes=2),
                    answers={"support": "undecided", "issue": "Rent keeps going up"}),
    ]  # fmt: skip
    assert client.post("/api/v1/results", json={"results": first}, headers=val.headers).is_success
    tx = reserve(client, val, texas.list_id)
    second = [
        result_body(tx["contacts"][0], tx, answers={"support": "yes", "help": ["ride", "info"]},
                    notes="Needs a RIDE on Tuesday", ended_at=T0 + timedelta(minutes=3)),
        result_body(tx["contacts"][1], tx, disposition="no_answer",
                    ended_at=T0 + timedelta(minutes=4)),
    ]  # fmt: skip
    assert client.post("/api/v1/results", json={"results": second}, headers=val.headers).is_success
    return Said(seeded, texas, val)


def texts(page: str) -> list[str]:
    return [part.split("</div>")[0] for part in page.split('<div class="quote">')[1:]]


def test_voters_words_come_newest_first_with_who_and_where(
    client: TestClient, organizer: Account, said: Said
) -> None:
    console = Console(client, organizer.email, organizer.password)
    page = console.get(f"/console/listening/{said.seeded.campaign_id}")
    assert page.status_code == 200
    assert texts(page.text) == [
        "Needs a RIDE on Tuesday",
        "Rent keeps going up",
        "Wants a yard sign",
    ]
    assert "What matters most to you this year?" in page.text  # the question answered
    assert "called by Val Caller" in page.text
    assert "Person0 Member0 · Texas" in page.text


def test_search_list_and_question_filters(
    client: TestClient, organizer: Account, said: Said
) -> None:
    console = Console(client, organizer.email, organizer.password)
    base = f"/console/listening/{said.seeded.campaign_id}"
    found = console.get(base, params={"q": "ride"}).text  # any case
    assert texts(found) == ["Needs a <mark>RIDE</mark> on Tuesday"]
    assert texts(console.get(base, params={"list": said.texas.list_id}).text) == [
        "Needs a RIDE on Tuesday"
    ]
    assert texts(console.get(base, params={"question": "issue"}).text) == ["Rent keeps going up"]
    assert texts(console.get(base, params={"question": "notes"}).text) == [
        "Needs a RIDE on Tuesday",
        "Wants a yard sign",
    ]
    nothing = console.get(base, params={"q": "100%_"}).text  # LIKE wildcards are literal
    assert texts(nothing) == [] and "Nothing matches these filters." in nothing


def test_search_reads_what_was_said_not_the_answers_json(
    client: TestClient, engine: Engine, organizer: Account, said: Said
) -> None:
    """Words with accents or quotes are found; a question's id or a choice's value is not
    (on PostgreSQL the search also goes through trigram indexes over the whole answers'
    text, sync/hub/word_search.py: they may only narrow what the exact condition finds)."""
    maine = seed_list(engine, households=1, list_size=1, campaign_id=said.seeded.campaign_id,
                      name="Maine")  # fmt: skip
    held = reserve(client, said.val, maine.list_id)
    said_so = {"support": "undecided", "issue": 'Ça coûte "trop" cher'}
    spoken = result_body(held["contacts"][0], held, ended_at=T0 + timedelta(minutes=5),
                         answers=said_so)  # fmt: skip
    assert client.post(
        "/api/v1/results", json={"results": [spoken]}, headers=said.val.headers
    ).is_success
    console = Console(client, organizer.email, organizer.password)
    base = f"/console/listening/{said.seeded.campaign_id}"

    def found(term: str) -> list[str]:
        return texts(console.get(base, params={"q": term}).text)

    assert found("COÛTE") == ["Ça <mark>coûte</mark> &#34;trop&#34; cher"]
    assert found('"trop"') == ["Ça coûte <mark>&#34;trop&#34;</mark> cher"]
    assert found("going") == ["Rent keeps <mark>going</mark> up"]
    assert found("undecided") == []  # a choice's value, not words
    assert found("issue") == []  # a question's id
    assert found("tuesday") == ["Needs a RIDE on <mark>Tuesday</mark>"]  # a note
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            indexes = connection.exec_driver_sql(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'call_results'"
            ).scalars()
            assert {"ix_call_results_notes_trgm", "ix_call_results_answers_trgm"} <= set(indexes)


def test_choice_answers_are_counted_per_option_and_per_list(
    client: TestClient, organizer: Account, said: Said
) -> None:
    console = Console(client, organizer.email, organizer.password)
    base = f"/console/listening/{said.seeded.campaign_id}"

    def counts(page: str, question: str) -> list[tuple[str, str]]:
        block = page.split(f"<h3>{question}")[1].split("</h3>", 1)[1].split("<h3>")[0]
        rows = block.split('<div class="choice-row"><span>')[1:]
        return [(r.split("</span>")[0], r.split('<span class="n">')[1].split("<")[0]) for r in rows]

    page = console.get(base).text
    assert counts(page, "Can we count on your vote on Tuesday?") == [
        ("Yes", "2"), ("Undecided", "1"), ("No", "0")
    ]  # fmt: skip
    assert counts(page, "Do you know where your polling place is?") == [("Yes", "1"), ("No", "0")]
    helps = counts(page, "Which of these would help you vote? (Choose all that apply.)")
    assert helps == [
        ("A ride to the polls", "1"),
        ("A reminder the day before", "0"),
        ("Polling place information", "1"),
        ("Nothing, I&#39;m all set", "0"),
    ]
    ohio_only = console.get(base, params={"list": said.seeded.list_id}).text
    assert counts(ohio_only, "Can we count on your vote on Tuesday?")[:2] == [
        ("Yes", "1"), ("Undecided", "1")
    ]  # fmt: skip


def test_a_starred_item_can_be_found_again_and_unstarred(
    client: TestClient, organizer: Account, said: Said
) -> None:
    console = Console(client, organizer.email, organizer.password)
    base = f"/console/listening/{said.seeded.campaign_id}"
    page = console.get(base, params={"q": "yard"}).text
    result_id = page.split('name="item_id" value="')[1].split('"')[0]
    form = {"kind": "result", "item_id": result_id, "starred": "1", "back": base + "?q=yard"}
    starred = console.post("/console/stars", form)
    assert starred.status_code == 303
    assert starred.headers["location"] == base + "?q=yard"
    assert texts(console.get(base, params={"starred": "1"}).text) == ["Wants a yard sign"]
    console.post("/console/stars", {"kind": "result", "item_id": result_id, "starred": "0"})
    assert texts(console.get(base, params={"starred": "1"}).text) == []
    missing = console.post("/console/stars", {"kind": "result", "item_id": "no-such-result"})
    assert missing.status_code == 404


def test_the_view_exports_as_csv_with_formulas_defused(
    client: TestClient, organizer: Account, said: Said, make_user: Callable[..., Account]
) -> None:
    console = Console(client, organizer.email, organizer.password)
    base = f"/console/listening/{said.seeded.campaign_id}"
    download = console.get(base + "/export.csv", params={"question": "notes"})
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [(r["list"], r["text"], r["volunteer"]) for r in rows] == [
        ("Texas", "Needs a RIDE on Tuesday", "Val Caller"),
        ("Ohio", "Wants a yard sign", "Val Caller"),
    ]
    assert rows[0]["question"] == "Note"


def test_feedback_inbox_names_the_volunteer_and_marks_read(
    client: TestClient, organizer: Account, said: Said
) -> None:
    sent = client.post("/api/v1/feedback", headers=said.val.headers,
                       json={"text": "The Texas list has old numbers",
                             "campaign_id": said.seeded.campaign_id})  # fmt: skip
    assert sent.status_code == 201
    feedback_id = sent.json()["id"]
    console = Console(client, organizer.email, organizer.password)
    inbox = console.get("/console/feedback").text
    assert "The Texas list has old numbers" in inbox
    assert "Val Caller" in inbox
    assert "1 unread" in inbox
    assert (
        console.get("/console/feedback", params={"show": "unread"}).text.count(
            'class="item unread"'
        )
        == 1
    )
    read = console.post(f"/console/feedback/{feedback_id}/read", {"read": "1"})
    assert read.status_code == 303
    assert "The Texas list" not in console.get("/console/feedback", params={"show": "unread"}).text
    assert "Mark unread" in console.get("/console/feedback").text
    console.post(f"/console/feedback/{feedback_id}/read", {"read": "0"})
    assert "1 unread" in console.get("/console/feedback").text
    star = console.post("/console/stars", {"kind": "feedback", "item_id": str(feedback_id)})
    assert star.status_code == 303
    starred = console.get("/console/feedback", params={"show": "starred"}).text
    assert "The Texas list has old numbers" in starred
    export = console.get("/console/feedback/export.csv").text
    [row] = list(csv.DictReader(io.StringIO(export)))
    assert (row["volunteer"], row["status"], row["starred"]) == ("Val Caller", "unread", "yes")
    assert console.post("/console/feedback/999/read").status_code == 404


def test_pages_show_older_items_page_by_page(
    client: TestClient, engine: Engine, organizer: Account, make_user: Callable[..., Account]
) -> None:
    seeded = seed_list(engine, households=60, list_size=60)
    caller = make_user()
    held = reserve(client, caller, seeded.list_id)
    results = [
        result_body(c, held, notes=f"note {n:02d}", ended_at=T0 + timedelta(seconds=n))
        for n, c in enumerate(held["contacts"])
    ]
    assert client.post(
        "/api/v1/results", json={"results": results}, headers=caller.headers
    ).is_success
    console = Console(client, organizer.email, organizer.password)
    first = console.get(f"/console/listening/{seeded.campaign_id}").text
    assert texts(first)[0] == "note 59" and len(texts(first)) == 50
    older = first.split('<a href="?')[1].split('">Older')[0].replace("&amp;", "&")
    second = console.get(f"/console/listening/{seeded.campaign_id}?{older}").text
    assert texts(second) == [f"note {n:02d}" for n in range(9, -1, -1)]
    assert "Older →" not in second
