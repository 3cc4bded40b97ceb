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
