"""Campaigns: create-campaign, GET /campaigns (progress and remaining), scripts, feedback."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import result_tallies
from sync.hub.crud import scripts as scripts_crud
from sync.hub.db import session_scope
from sync.hub.models import CallResult, Campaign, DoNotCall, Feedback, Household
from sync.hub.script_file import load_script_file
from sync.hub.types import utcnow
from tests.hub.conftest import Account
from tests.support.hub_process import run_hub_cli

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "scripts" / "gotv.yaml"


def test_create_campaign_prints_only_the_id_and_stores_the_policy(
    database_url: str, engine: Engine
) -> None:
    args = ["create-campaign", "GOTV Ohio", "--goal", "5000", "--list-size", "15"]
    args += ["--hold", "7200", "--cooldown", "60", "--calling-hours", "10:00-20:30"]
    result = run_hub_cli(database_url, *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().isdigit() and result.stdout.count("\n") == 1
    with Session(engine) as session:
        campaign = session.get(Campaign, int(result.stdout))
        assert campaign is not None
        assert (campaign.name, campaign.goal, campaign.list_size) == ("GOTV Ohio", 5000, 15)
        assert (campaign.hold_seconds, campaign.cooldown_seconds) == (7200, 60)
        assert (campaign.calling_hours_start, campaign.calling_hours_end) == ("10:00", "20:30")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--goal", "0"], "goal must be a positive number"),
        (["--goal", "10", "--list-size", "0"], "list size must be between 1 and 200"),
        (["--goal", "10", "--list-size", "201"], "list size must be between 1 and 200"),
        (["--goal", "10", "--calling-hours", "9-21"], "--calling-hours: calling hours must look"),
        (["--goal", "10", "--calling-hours", "21:00-09:00"], "must be after their start"),
        (["--goal", "10", "--calling-hours", "09:00-24:00"], "calling hours must look like"),
        (["--goal", "10", "--hold", "-5"], "hold must be at least 60 seconds"),
    ],
)
def test_create_campaign_refuses_bad_settings(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    result = run_hub_cli(url, "create-campaign", "C", *extra)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert result.stdout == ""


def _household(session: Session, campaign_id: int, list_id: int, phone: str, **kw: Any) -> int:
    household = Household(
        campaign_id=campaign_id, call_list_id=list_id, phone=phone, timezone="UTC", **kw
    )
    session.add(household)
    session.flush()
    assert household.id is not None
    return household.id


def _result(session: Session, campaign_id: int, volunteer_id: int, **kw: Any) -> str:
    result_id = str(uuid.uuid4())
    now = utcnow()
    session.add(
        CallResult(
            id=result_id,
            campaign_id=campaign_id,
            volunteer_id=volunteer_id,
            disposition="contacted",
            started_at=now,
            ended_at=now,
            content_hash="x" * 64,
            **kw,
        )
    )
    session.flush()
    return result_id


def test_campaigns_show_lists_policy_script_and_progress(
    client: TestClient, engine: Engine, volunteer: Account
) -> None:
    now = utcnow()
    with session_scope(engine) as session:
        campaign = campaigns_crud.create_campaign(
            session, "GOTV", 1000, list_size=10, calling_hours=("08:00", "20:00")
        )
        cid = campaign.id
        assert cid is not None
        ohio = campaigns_crud.get_or_create_list(session, cid, "Ohio")
        texas = campaigns_crud.get_or_create_list(session, cid, "Texas")
        assert campaigns_crud.get_or_create_list(session, cid, "Ohio").id == ohio.id
        assert ohio.id is not None and texas.id is not None
        _household(session, cid, ohio.id, "+16145550101")  # open: counts
        _household(session, cid, ohio.id, "+16145550102", held_until=now - timedelta(hours=1))
        _household(session, cid, ohio.id, "+16145550103", held_until=now + timedelta(hours=1))
        _household(session, cid, ohio.id, "+16145550104", state="done")
        _household(session, cid, ohio.id, "+16145550105")  # on the DNC list below
        session.add(DoNotCall(phone="+16145550105"))
        _household(session, cid, texas.id, "+15125550101", state="bad")
        counted = _result(session, cid, volunteer.id)
        old = _result(session, cid, volunteer.id)
        _result(session, cid, volunteer.id, supersedes=old)  # the correction counts, not `old`
        _result(session, cid, volunteer.id, quarantined=True, quarantine_reason="bad")
        _result(session, cid, volunteer.id, quarantined=True, supersedes=counted)  # ignored
        result_tallies.rebuild(session, cid)  # results stored around crud/results: recounted
        version = scripts_crud.publish_script(session, cid, load_script_file(SAMPLE))

    response = client.get("/api/v1/campaigns", headers=volunteer.headers)
    assert response.status_code == 200, response.text
    assert response.json() == [
        {
            "id": cid,
            "name": "GOTV",
            "goal": 1000,
            "calls_made": 2,
            "script": {"id": version.id, "version": 1},
            "policy": {
                "list_size": 10,
                "hold_seconds": 86400,
                "cooldown_seconds": 600,
                "calling_hours_start": "08:00",
                "calling_hours_end": "20:00",
                "retry_after_seconds": 14400,
                "max_attempts": 3,
            },
            "lists": [
                {"id": ohio.id, "name": "Ohio", "remaining": 2},
                {"id": texas.id, "name": "Texas", "remaining": 0},
            ],
            "status": "active",
        }
    ]
    with Session(engine) as session:
        assert campaigns_crud.calls_made(session, cid) == 2

    script = client.get(f"/api/v1/scripts/{version.id}", headers=volunteer.headers)
    assert script.status_code == 200
    body = script.json()
    assert (body["id"], body["campaign_id"], body["version"]) == (version.id, cid, 1)
    assert body["questions"][0]["options"][0] == {"value": "yes", "label": "Yes", "next": "plan"}
    missing = client.get("/api/v1/scripts/99999", headers=volunteer.headers)
    assert missing.status_code == 404
    assert missing.json() == {
        "detail": "No script with id 99999.",
        "code": "unknown_script",
        "params": {"id": 99999},
    }
    not_a_number = client.get("/api/v1/scripts/abc", headers=volunteer.headers)
    assert not_a_number.status_code == 422 and "detail" in not_a_number.json()


def test_campaign_without_script_or_lists(
    client: TestClient, engine: Engine, volunteer: Account
) -> None:
    with session_scope(engine) as session:
        campaigns_crud.create_campaign(session, "Empty", 5)
    [campaign] = client.get("/api/v1/campaigns", headers=volunteer.headers).json()
    assert (campaign["script"], campaign["lists"], campaign["calls_made"]) == (None, [], 0)


def test_feedback_is_stored_and_organizers_read_it(
    client: TestClient, engine: Engine, volunteer: Account, organizer: Account
) -> None:
    with session_scope(engine) as session:
        cid = campaigns_crud.create_campaign(session, "C", 5).id
    sent = client.post(
        "/api/v1/feedback",
        json={"campaign_id": cid, "text": "Many numbers in Texas are disconnected."},
        headers=volunteer.headers,
    )
    assert sent.status_code == 201, sent.text
    with Session(engine) as session:
        [row] = session.exec(select(Feedback)).all()
        assert (row.volunteer_id, row.campaign_id) == (volunteer.id, cid)
        assert row.text == "Many numbers in Texas are disconnected."
    unknown = client.post(
        "/api/v1/feedback", json={"campaign_id": 999, "text": "x"}, headers=volunteer.headers
    )
    assert unknown.status_code == 404
    empty = client.post("/api/v1/feedback", json={"text": "   "}, headers=volunteer.headers)
    assert empty.status_code == 422
    read = client.get("/api/v1/feedback", headers=organizer.headers)
    assert [f["text"] for f in read.json()] == ["Many numbers in Texas are disconnected."]
    assert client.get("/api/v1/feedback", headers=volunteer.headers).status_code == 403


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        self.now += 0.01  # every reading is 10 ms later: a count "takes" 10 ms
        return self.now


def test_a_mid_size_campaigns_remaining_count_is_reused_briefly(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every sync of every volunteer shows what is left to call: with 10,000 households,
    counting them on each sync was 60% of a sync round (py-spy, `make bench` capacity)."""
    from sqlalchemy import insert

    from sync.hub.models import CallList

    clock = FakeClock()
    monkeypatch.setattr(campaigns_crud, "time", clock)
    with session_scope(engine) as session:
        cid = campaigns_crud.create_campaign(session, "C", 5).id
        call_list = CallList(campaign_id=cid, name="Ohio")
        session.add(call_list)
        session.flush()
        session.execute(
            insert(Household),
            [
                {"campaign_id": cid, "call_list_id": call_list.id, "phone": f"+1614{n:07d}",
                 "timezone": "America/New_York"}
                for n in range(10_000)
            ],
        )  # fmt: skip
    assert cid is not None and call_list.id is not None
    with Session(engine) as session:
        assert campaigns_crud.remaining_by_list(session, cid) == {call_list.id: 10_000}
    with session_scope(engine) as session:
        household = session.exec(select(Household).limit(1)).one()
        household.state = "done"
    with Session(engine) as session:
        assert campaigns_crud.remaining_by_list(session, cid) == {call_list.id: 10_000}
        clock.now += 0.3  # reused for 20 x 10 ms, then counted again
        assert campaigns_crud.remaining_by_list(session, cid) == {call_list.id: 9_999}
