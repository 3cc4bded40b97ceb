"""Limits on what one request may carry, on a real hub process.

What the hub's owner depends on: a body over 2 MB is refused with 413 before the hub reads
it as JSON (whether the client says its length or streams it in chunks), nothing of it is
stored, and the hub keeps answering; answers and notes beyond the limits both sides keep
(sync/protocol.py) are refused with 422 saying which.
"""

from __future__ import annotations

import contextlib
import http.client
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.models import CallResult
from sync.protocol import (
    MAX_ANSWER_CHARS,
    MAX_ANSWERS_PER_RESULT,
    MAX_BODY_BYTES,
    MAX_NOTES_CHARS,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
)
from tests.hub.conftest import Account
from tests.support.hub_process import HubProcess
from tests.support.hub_seed import result_body, seed_list


def _results_over_the_limit(engine: Engine, account: Account) -> bytes:
    """A well-formed batch of 500 results (long notes) of about 3 MB."""
    seeded = seed_list(engine, households=2)
    contact = {"id": seeded.contact_ids[0], "household": str(seeded.household_ids[0])}
    reservation = {"id": 1, "fence": 1}
    batch = [
        result_body(contact, reservation, script_version=0, notes="n" * 6_000) for _ in range(500)
    ]
    body = json.dumps({"results": batch}).encode()
    assert len(body) > MAX_BODY_BYTES
    return body


def _connection(hub: HubProcess) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", hub.port, timeout=60)


def _headers(account: Account) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {account.token}",
        "Content-Type": "application/json",
        PROTOCOL_HEADER: str(PROTOCOL_VERSION),
    }


def _stored(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(CallResult)).one()


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    database_url: str,
    engine: Engine,
    make_user: Callable[..., Account],
    hub_factory: Callable[..., HubProcess],
) -> None:
    volunteer = make_user()
    body = _results_over_the_limit(engine, volunteer)
    hub = hub_factory(database_url)

    # Its length said up front: refused without waiting for a byte of it.
    said = _connection(hub)
    said.putrequest("POST", "/api/v1/results")
    for name, value in {**_headers(volunteer), "Content-Length": str(len(body))}.items():
        said.putheader(name, value)
    said.endheaders()  # and no body at all
    answer = said.getresponse()
    assert answer.status == 413
    assert "2 MB" in json.loads(answer.read())["detail"]
    said.close()

    # Streamed in chunks, with no length: refused once the limit is passed.
    streamed = _connection(hub)
    chunks = (body[i : i + 65_536] for i in range(0, len(body), 65_536))
    # (The hub may answer and stop reading before the last chunk.)
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        streamed.request(
            "POST", "/api/v1/results", body=chunks, headers=_headers(volunteer), encode_chunked=True
        )
    answer = streamed.getresponse()
    assert answer.status == 413
    streamed.close()

    assert _stored(engine) == 0
    alive = _connection(hub)
    alive.request("GET", "/api/v1/auth/me", headers=_headers(volunteer))
    assert alive.getresponse().status == 200


def _post(hub: HubProcess, account: Account, body: dict[str, Any]) -> tuple[int, Any]:
    connection = _connection(hub)
    connection.request("POST", "/api/v1/results", json.dumps(body), _headers(account))
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def test_answers_and_notes_beyond_the_limits_are_refused_saying_which(
    database_url: str,
    engine: Engine,
    make_user: Callable[..., Account],
    hub_factory: Callable[..., HubProcess],
) -> None:
    volunteer = make_user()
    seeded = seed_list(engine, households=2)
    contact = {"id": seeded.contact_ids[0], "household": str(seeded.household_ids[0])}
    reservation = {"id": 1, "fence": 1}
    hub = hub_factory(database_url)
    cases = {
        "many answers": {f"q{n}": "yes" for n in range(MAX_ANSWERS_PER_RESULT + 1)},
        "long answer": {"why": "x" * (MAX_ANSWER_CHARS + 1)},
        "many choices": {"issues": [f"i{n}" for n in range(51)]},
    }
    for name, answers in cases.items():
        result = result_body(contact, reservation, script_version=0, answers=answers)
        status, answer = _post(hub, volunteer, {"results": [result]})
        assert status == 422, (name, answer)
        assert "answers" in json.dumps(answer["detail"]), name
    notes = result_body(contact, reservation, notes="n" * (MAX_NOTES_CHARS + 1))
    status, answer = _post(hub, volunteer, {"results": [notes]})
    assert status == 422 and "notes" in json.dumps(answer["detail"])
    assert _stored(engine) == 0
