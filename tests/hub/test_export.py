"""Results export: the CSV organizers take away, by command line and over HTTP."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from sync.hub.crud import export as export_crud
from sync.hub.crud.campaigns import create_campaign
from sync.hub.db import session_scope
from sync.hub.importing import import_contacts
from sync.hub.models import CallResult, Contact, ScriptVersion
from tests.hub.conftest import Account
from tests.support.hub_process import REPO_ROOT, _subprocess_env, run_hub_cli

T = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
FIRST = "11111111-1111-4111-8111-111111111111"
QUARANTINED = "22222222-2222-4222-8222-222222222222"
CORRECTION = "33333333-3333-4333-8333-333333333333"


def question(qid: str, kind: str = "text") -> dict[str, object]:
    return {"id": qid, "text": f"{qid}?", "kind": kind, "options": []}


@pytest.fixture
def campaign(engine: Engine, make_user: Callable[..., Account]) -> tuple[int, Account]:
    """A campaign with two script versions, two contacts and three results."""
    caller = make_user("volunteer", email="ana@example.org", name="Ana Caller")
    with session_scope(engine) as session:
        campaign = create_campaign(session, "Export test", 100)
        assert campaign.id is not None
        contacts = "first_name,last_name,phone\nJosé,Ñúñez,614-555-0123\n=cmd,Evil,614-555-0124\n"
        import_contacts(session, campaign.id, io.StringIO(contacts), list_name="Ohio")
        for version, questions in (
            (1, [question("support", "choice"), question("help", "multi")]),
            # version 2 drops nothing, adds two; "notes" collides with a fixed column
            (2, [question("support", "choice"), question("plan", "yesno"), question("notes")]),
        ):
            session.add(
                ScriptVersion(
                    campaign_id=campaign.id,
                    version=version,
                    title="t",
                    intro="i",
                    questions=[*questions, *([question("help", "multi")] if version == 2 else [])],
                )
            )
        jose, evil = session.exec(select(Contact.id).order_by(col(Contact.id))).all()
        common: dict[str, Any] = {
            "campaign_id": campaign.id,
            "volunteer_id": caller.id,
            "content_hash": "x",
        }
        session.add(
            CallResult(
                id=FIRST,
                contact_id=jose,
                disposition="contacted",
                answers={"support": "yes", "help": ["ride", "reminder"], "plan": True},
                notes="-wants a yard sign",
                started_at=T,
                ended_at=T + timedelta(minutes=3),
                script_version=2,
                timing="on_time",
                received_at=T + timedelta(minutes=5),
                **common,
            )
        )
        session.add(
            CallResult(
                id=QUARANTINED,
                contact_id=evil,
                disposition="contacted",
                answers={"bogus": "@SUM(A1)"},
                started_at=T,
                ended_at=T,
                script_version=9,
                quarantined=True,
                quarantine_reason="unknown script version 9",
                received_at=T + timedelta(minutes=6),
                **common,
            )
        )
        session.add(
            CallResult(
                id=CORRECTION,
                contact_id=jose,
                disposition="call_back",
                answers={"support": "undecided", "notes": "call after 6"},
                started_at=T,
                ended_at=T,
                call_back_at=T + timedelta(days=1),
                script_version=2,
                timing="late_conflict",
                flagged=True,
                supersedes=FIRST,
                received_at=T + timedelta(minutes=7),
                **common,
            )
        )
    return campaign.id, caller


EXPECTED_HEADER = [
    "result_id", "received_at", "status", "contact_id", "first_name", "last_name", "phone",
    "list", "volunteer_name", "volunteer_email", "disposition",
    "support", "help", "plan", "question:notes",
    "notes", "started_at", "ended_at", "call_back_at", "script_version", "timing", "flagged",
    "supersedes", "quarantined", "quarantine_reason", "other_answers",
]  # fmt: skip


def expected_rows(engine: Engine) -> list[list[str]]:
    with Session(engine) as session:
        jose, evil = (str(i) for i in session.exec(select(Contact.id).order_by(col(Contact.id))))
    t = "2026-03-03T15:00:00+00:00"
    return [
        [
            FIRST, "2026-03-03T15:05:00+00:00", "superseded", jose, "José", "Ñúñez",
            "+16145550123", "Ohio", "Ana Caller", "ana@example.org", "contacted",
            "yes", "ride; reminder", "yes", "",
            "'-wants a yard sign", t, "2026-03-03T15:03:00+00:00", "", "2", "on_time", "false",
            "", "false", "", "",
        ],
        [
            QUARANTINED, "2026-03-03T15:06:00+00:00", "quarantined", evil, "'=cmd", "Evil",
            "+16145550124", "Ohio", "Ana Caller", "ana@example.org", "contacted",
            "", "", "", "",
            "", t, t, "", "9", "", "false",
            "", "true", "unknown script version 9", '{"bogus": "@SUM(A1)"}',
        ],
        [
            CORRECTION, "2026-03-03T15:07:00+00:00", "current", jose, "José", "Ñúñez",
            "+16145550123", "Ohio", "Ana Caller", "ana@example.org", "call_back",
            "undecided", "", "", "call after 6",
            "", t, t, "2026-03-04T15:00:00+00:00", "2", "late_conflict", "true",
            FIRST, "false", "", "",
        ],
    ]  # fmt: skip


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_export_command_writes_one_row_per_result_with_answers_as_columns(
    engine: Engine, database_url: str, campaign: tuple[int, Account], tmp_path: Path
) -> None:
    campaign_id, _ = campaign
    to_stdout = run_hub_cli(database_url, "export-results", str(campaign_id))
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert parse(to_stdout.stdout) == [EXPECTED_HEADER, *expected_rows(engine)]

    target = tmp_path / "results.csv"
    to_file = run_hub_cli(database_url, "export-results", str(campaign_id), "-o", str(target))
    assert (to_file.returncode, to_file.stdout, to_file.stderr) == (0, "", f"wrote {target}\n")
    assert target.read_bytes().decode("utf-8") == to_stdout.stdout


def test_export_of_an_unknown_campaign_is_a_clear_error(engine: Engine, database_url: str) -> None:
    done = run_hub_cli(database_url, "export-results", "4242")
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "error: there is no campaign with id 4242\n",
    )


def test_export_route_streams_the_same_csv_to_organizers_only(
    engine: Engine,
    client: TestClient,
    campaign: tuple[int, Account],
    organizer: Account,
) -> None:
    campaign_id, caller = campaign
    url = f"/api/v1/campaigns/{campaign_id}/export.csv"

    response = client.get(url, headers=organizer.headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        f'filename="campaign-{campaign_id}-results.csv"' in response.headers["content-disposition"]
    )
    assert parse(response.text) == [EXPECTED_HEADER, *expected_rows(engine)]

    assert client.get(url, headers=caller.headers).status_code == 403
    assert client.get(url).status_code == 401
    missing = client.get("/api/v1/campaigns/4242/export.csv", headers=organizer.headers)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No campaign with id 4242."}
    huge = client.get(f"/api/v1/campaigns/{2**70}/export.csv", headers=organizer.headers)
    assert huge.status_code in (404, 422)


def test_export_streams_in_chunks(
    engine: Engine, campaign: tuple[int, Account], monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign_id, _ = campaign
    monkeypatch.setattr(export_crud, "ROWS_PER_CHUNK", 1)
    with Session(engine) as session:
        chunks = list(export_crud.iter_export_csv(session, campaign_id))
    # the header with the first row, then one chunk per row, then the (empty) rest
    assert len(chunks) == 4
    assert parse("".join(chunks)) == [EXPECTED_HEADER, *expected_rows(engine)]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("+16145550123", "+16145550123"),  # a plain number is safe as it is
        ("-5", "-5"),
        ("Ana", "Ana"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_are_defused(cell: str, written: str) -> None:
    assert export_crud.safe_cell(cell) == written


def test_a_reader_that_stops_early_is_no_error(
    engine: Engine, database_url: str, campaign: tuple[int, Account]
) -> None:
    campaign_id, caller = campaign
    with session_scope(engine) as session:
        contact_id = session.exec(select(Contact.id)).first()
        session.add_all(
            CallResult(
                id=f"00000000-0000-4000-8000-{n:012d}",
                campaign_id=campaign_id,
                contact_id=contact_id,
                volunteer_id=caller.id,
                disposition="no_answer",
                notes="x" * 200,
                started_at=T,
                ended_at=T,
                script_version=2,
                content_hash="x",
            )
            for n in range(2000)  # far more than a pipe holds
        )
    command = ["--database-url", database_url, "export-results", str(campaign_id)]
    with subprocess.Popen(
        [sys.executable, "-m", "sync.hub", *command],
        cwd=REPO_ROOT,
        env=_subprocess_env(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as reader:  # like `phonebank-hub export-results 1 | head -1`
        assert reader.stdout is not None and reader.stderr is not None
        assert reader.stdout.readline().startswith(b"result_id,")
        reader.stdout.close()
        stderr = reader.stderr.read()
        assert reader.wait(timeout=60) == 0
    assert stderr == b""


def test_a_correction_by_another_volunteer_does_not_hide_the_original(
    engine: Engine,
    campaign: tuple[int, Account],
    make_user: Callable[..., Account],
) -> None:
    campaign_id, _ = campaign
    stranger = make_user("volunteer", email="zed@example.org", name="Zed")
    with session_scope(engine) as session:
        correction = session.exec(select(CallResult).where(CallResult.id == CORRECTION)).one()
        correction.volunteer_id = stranger.id  # now it names someone else's result
        session.add(correction)
    with Session(engine) as session:
        rows = parse("".join(export_crud.iter_export_csv(session, campaign_id)))
    status = {row[0]: row[2] for row in rows[1:]}
    assert status[FIRST] == "current"
