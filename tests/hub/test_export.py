"""Results export: the CSV organizers take away, by command line and over HTTP."""

from __future__ import annotations

import csv
import io
import stat
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
from sync.protocol import Disposition
from tests.hub.conftest import Account
from tests.support.hub_process import REPO_ROOT, _subprocess_env, run_hub_cli

T = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # 10:00 in Ohio
T2 = datetime(2026, 3, 4, 3, 30, 0, 654321, tzinfo=UTC)  # still March 3 (22:30) in Ohio
FIRST = "11111111-1111-4111-8111-111111111111"
QUARANTINED = "22222222-2222-4222-8222-222222222222"
CORRECTION = "33333333-3333-4333-8333-333333333333"
OLDER = "44444444-4444-4444-8444-444444444444"


def question(qid: str, kind: str = "text", **options: str) -> dict[str, object]:
    return {
        "id": qid,
        "text": f"{qid}?",
        "kind": kind,
        "options": [{"value": value, "label": label} for value, label in options.items()],
    }


@pytest.fixture
def campaign(engine: Engine, make_user: Callable[..., Account]) -> tuple[int, Account]:
    """A campaign with two script versions, two contacts (one with a VanID) and four results:
    one superseded by a correction, one quarantined, one answered on the older version."""
    caller = make_user("volunteer", email="ana@example.org", name="Ana Caller")
    with session_scope(engine) as session:
        campaign = create_campaign(session, "Export test", 100)
        assert campaign.id is not None
        contacts = "first_name,last_name,phone\nJosé,Ñúñez,614-555-0123\n=cmd,Evil,614-555-0124\n"
        import_contacts(session, campaign.id, io.StringIO(contacts), list_name="Ohio")
        help_ = question("help", "multi", ride="A ride", reminder="A reminder")
        for version, questions in (
            (1, [question("support", "choice", yes="Yes, count on me", no="No"), help_]),
            # version 2 relabels "yes", adds two; "notes" collides with a fixed column
            (
                2,
                [
                    question("support", "choice", yes="Strong yes", undecided="Undecided"),
                    question("plan", "yesno"),
                    question("notes"),
                    help_,
                ],
            ),
        ):
            session.add(
                ScriptVersion(
                    campaign_id=campaign.id, version=version, title="t", intro="i",
                    questions=questions,
                )
            )  # fmt: skip
        jose, evil = session.exec(select(Contact).order_by(col(Contact.id))).all()
        # What the voter-file import keeps: the file's own id and its spelling of the phone.
        jose.source_id, jose.phone_as_imported = "100234", "(614) 555-0123"
        evil.phone_as_imported = "614.555.0124"
        session.add_all([jose, evil])
        common: dict[str, Any] = {
            "campaign_id": campaign.id,
            "volunteer_id": caller.id,
            "content_hash": "x",
        }
        session.add(
            CallResult(
                id=FIRST,
                contact_id=jose.id,
                disposition="contacted",
                answers={"support": "yes", "help": ["ride", "reminder"], "plan": True},
                notes="-wants a yard sign",
                started_at=T.replace(microsecond=123456),
                ended_at=T + timedelta(minutes=3),
                script_version=2,
                language="es",  # read in Spanish
                timing="on_time",
                received_at=T + timedelta(minutes=5),
                **common,
            )
        )
        session.add(
            CallResult(
                id=QUARANTINED,
                contact_id=evil.id,
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
                contact_id=jose.id,
                disposition="call_back",
                answers={"support": "undecided", "notes": "call after 6"},
                notes="Call after 6pm",
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
        session.add(
            CallResult(
                id=OLDER,
                contact_id=evil.id,
                disposition="contacted",
                answers={"support": "yes", "help": ["reminder"]},
                started_at=T2,
                ended_at=T2 + timedelta(minutes=2),
                script_version=1,
                timing="on_time",
                received_at=T2 + timedelta(minutes=5),
                **common,
            )
        )
    return campaign.id, caller


EXPECTED_HEADER = [
    "result_id", "status", "source_id", "contact_id", "first_name", "last_name", "phone",
    "phone_as_imported", "list", "volunteer_name", "volunteer_email", "disposition",
    "call_date", "started_local", "time_zone", "started_utc", "ended_utc",
    "support", "support_label", "help", "help_label", "plan", "plan_label",
    "question:notes", "question:notes_label",
    "notes", "call_back_utc", "script_version", "script_language", "heard_language",
    "timing", "flagged", "supersedes", "quarantine_reason", "other_answers", "received_utc",
]  # fmt: skip


def expected_rows(engine: Engine, *, include_all: bool = False) -> list[list[str]]:
    """Result rows in arrival order; by default the current ones only."""
    with Session(engine) as session:
        jose, evil = (str(i) for i in session.exec(select(Contact.id).order_by(col(Contact.id))))
    t = "2026-03-03T15:00:00+00:00"
    local = "2026-03-03T10:00:00-05:00"
    ny = "America/New_York"
    jose_cells = [jose, "José", "Ñúñez", "+16145550123", "(614) 555-0123", "Ohio"]
    evil_cells = [evil, "'=cmd", "Evil", "+16145550124", "614.555.0124", "Ohio"]
    ana = ["Ana Caller", "ana@example.org"]
    rows = {
        FIRST: [
            FIRST, "superseded", "100234", *jose_cells, *ana, "contacted",
            "2026-03-03", local, ny, t, "2026-03-03T15:03:00+00:00",
            "yes", "Strong yes", "ride; reminder", "A ride; A reminder", "yes", "Yes", "", "",
            "'-wants a yard sign", "", "2", "es", "", "on_time", "false", "", "", "",
            "2026-03-03T15:05:00+00:00",
        ],
        QUARANTINED: [
            QUARANTINED, "quarantined", "", *evil_cells, *ana, "contacted",
            "2026-03-03", local, ny, t, t,
            "", "", "", "", "", "", "", "",
            "", "", "9", "", "", "", "false", "", "unknown script version 9",
            '{"bogus": "@SUM(A1)"}', "2026-03-03T15:06:00+00:00",
        ],
        CORRECTION: [
            CORRECTION, "current", "100234", *jose_cells, *ana, "call_back",
            "2026-03-03", local, ny, t, t,
            "undecided", "Undecided", "", "", "", "", "call after 6", "call after 6",
            "Call after 6pm", "2026-03-04T15:00:00+00:00", "2", "en", "", "late_conflict",
            "true", FIRST, "", "", "2026-03-03T15:07:00+00:00",
        ],
        OLDER: [
            # the call's local date is March 3, its UTC date March 4; labels of version 1
            OLDER, "current", "", *evil_cells, *ana, "contacted",
            "2026-03-03", "2026-03-03T22:30:00-05:00", ny, "2026-03-04T03:30:00+00:00",
            "2026-03-04T03:32:00+00:00",
            "yes", "Yes, count on me", "reminder", "A reminder", "", "", "", "",
            "", "", "1", "en", "", "on_time", "false", "", "", "", "2026-03-04T03:35:00+00:00",
        ],
    }  # fmt: skip
    return [row for row in rows.values() if include_all or row[1] == "current"]


VAN_HEADER = [
    "VanID", "DateCanvassed", "ContactType", "Phone", "ResultCode",
    "support", "help", "plan", "question:notes", "Notes",
]  # fmt: skip
# Only Jose has a VanID: Evil's current result is left out (VAN could not match it).
VAN_ROWS = [
    ["100234", "03/03/2026", "Phone", "(614) 555-0123", "Call Back",
     "Undecided", "", "", "call after 6", "Call after 6pm"],
]  # fmt: skip


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_export_command_writes_current_results_with_ids_local_times_and_labels(
    engine: Engine, database_url: str, campaign: tuple[int, Account], tmp_path: Path
) -> None:
    campaign_id, _ = campaign
    to_stdout = run_hub_cli(database_url, "export-results", str(campaign_id))
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert parse(to_stdout.stdout) == [EXPECTED_HEADER, *expected_rows(engine)]

    target = tmp_path / "results.csv"
    to_file = run_hub_cli(database_url, "export-results", str(campaign_id), "-o", str(target))
    assert (to_file.returncode, to_file.stdout) == (0, "")
    assert to_file.stderr == f"wrote 2 results to {target}\n"
    assert target.read_bytes().decode("utf-8") == to_stdout.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # names and phones: the owner's only


def test_export_command_all_marks_superseded_and_quarantined_results(
    engine: Engine, database_url: str, campaign: tuple[int, Account], tmp_path: Path
) -> None:
    campaign_id, _ = campaign
    done = run_hub_cli(database_url, "export-results", str(campaign_id), "--all")
    assert done.returncode == 0, done.stderr
    assert parse(done.stdout) == [EXPECTED_HEADER, *expected_rows(engine, include_all=True)]


def test_export_command_writes_the_van_bulk_upload_layout(
    engine: Engine, database_url: str, campaign: tuple[int, Account], tmp_path: Path
) -> None:
    campaign_id, _ = campaign
    target = tmp_path / "van.csv"
    done = run_hub_cli(
        database_url, "export-results", str(campaign_id), "--format", "van", "-o", str(target)
    )
    assert done.returncode == 0, done.stderr
    assert parse(target.read_text(encoding="utf-8")) == [VAN_HEADER, *VAN_ROWS]
    assert f"wrote 1 result to {target}" in done.stderr
    assert "left out 1 result whose contact has no source id" in done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    both = run_hub_cli(database_url, "export-results", str(campaign_id), "--format", "van", "--all")
    assert (both.returncode, both.stdout) == (2, "")
    assert "--all is for the standard format" in both.stderr


def test_every_disposition_has_a_van_result_code() -> None:
    assert set(export_crud.VAN_RESULTS) == set(Disposition)


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
    everything = client.get(url, params={"all": "true"}, headers=organizer.headers)
    assert parse(everything.text) == [EXPECTED_HEADER, *expected_rows(engine, include_all=True)]
    van = client.get(url, params={"format": "van"}, headers=organizer.headers)
    assert van.status_code == 200
    assert "-results-van.csv" in van.headers["content-disposition"]
    assert parse(van.text) == [VAN_HEADER, *VAN_ROWS]
    refused = client.get(url, params={"format": "van", "all": "true"}, headers=organizer.headers)
    assert refused.status_code == 422
    assert client.get(url, params={"format": "xls"}, headers=organizer.headers).status_code == 422

    assert client.get(url, headers=caller.headers).status_code == 403
    assert client.get(url).status_code == 401
    missing = client.get("/api/v1/campaigns/4242/export.csv", headers=organizer.headers)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No campaign with id 4242."}
    huge = client.get(f"/api/v1/campaigns/{2**70}/export.csv", headers=organizer.headers)
    assert huge.status_code in (404, 422)


def test_export_results_writes_to_a_text_file_and_says_what_it_left_out(
    engine: Engine, campaign: tuple[int, Account]
) -> None:
    """The function the console's Exports page calls."""
    campaign_id, _ = campaign
    out = io.StringIO()
    with Session(engine) as session:
        summary = export_crud.export_results(session, campaign_id, out, format="van")
    assert parse(out.getvalue()) == [VAN_HEADER, *VAN_ROWS]
    assert (summary.rows, summary.without_source_id) == (1, 1)


def test_export_streams_in_chunks(
    engine: Engine, campaign: tuple[int, Account], monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign_id, _ = campaign
    monkeypatch.setattr(export_crud, "ROWS_PER_CHUNK", 1)
    with Session(engine) as session:
        chunks = list(export_crud.iter_export(session, campaign_id, include_all=True))
    # the header with the first row, then one chunk per row, then the (empty) rest
    assert len(chunks) == 5
    assert parse("".join(chunks)) == [EXPECTED_HEADER, *expected_rows(engine, include_all=True)]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("+16145550123", "+16145550123"),  # a plain number is safe as it is
        ("+1 614-555-0123", "+1 614-555-0123"),  # so is a phone number as a file had it
        ("+1 614-555-0123+A1", "'+1 614-555-0123+A1"),
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
        rows = parse("".join(export_crud.iter_export(session, campaign_id, include_all=True)))
    status = {row[0]: row[1] for row in rows[1:]}
    assert status[FIRST] == "current"
