"""Inputs the fuzzers (schemathesis, Hypothesis) found that once broke the hub, kept as
plain regression tests so they are checked on every run, not only when a fuzzer finds them
again."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.hub.conftest import Account

FEEDBACK = "/api/v1/feedback"


def test_feedback_with_a_nul_character_is_kept_not_a_500(
    client: TestClient, volunteer: Account, organizer: Account
) -> None:
    # PostgreSQL text cannot hold NUL; the message must still reach the organizers.
    sent = client.post(FEEDBACK, json={"text": "line\x00two"}, headers=volunteer.headers)
    assert sent.status_code == 201, sent.text
    read = client.get(FEEDBACK, headers=organizer.headers).json()
    assert [f["text"] for f in read] == ["line\ufffdtwo"]


def test_a_blank_feedback_message_gets_the_documented_422_body(
    client: TestClient, volunteer: Account
) -> None:
    # "\x0b" is whitespace: the message is empty, and the answer must be the validation
    # error body the OpenAPI description promises for 422 (a list), like every other 422.
    for text in ["   ", "\x0b", "\u2003\n"]:
        answer = client.post(FEEDBACK, json={"text": text}, headers=volunteer.headers)
        assert answer.status_code == 422
        [problem] = answer.json()["detail"]
        assert problem["loc"] == ["body", "text"]
        assert "the message is empty" in problem["msg"]
