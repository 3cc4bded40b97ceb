"""Scripts before they go live: `load-script --check` stores nothing; a draft (the console's
upload) is never sent to volunteers until it is published."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.crud import script_drafts
from sync.hub.db import session_scope
from sync.hub.models import ScriptDraft, ScriptVersion
from sync.hub.script_file import ScriptError
from tests.hub.conftest import Account
from tests.support.hub_process import run_hub_cli
from tests.support.hub_seed import seed_list

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "scripts" / "gotv.yaml"
BROKEN = "title: T\nintro: Hi\nquestions:\n  - id: a\n    text: Q\n    kind: text\n    next: zzz\n"


def test_load_script_check_validates_and_stores_nothing(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    campaign_id = run_hub_cli(database_url, "create-campaign", "C", "--goal", "9").stdout.strip()
    checked = run_hub_cli(database_url, "load-script", campaign_id, str(SAMPLE), "--check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == (
        f"{SAMPLE}: valid: 'Get out the vote — March 4', 5 questions; nothing was stored "
        "(run without --check to publish it)\n"
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    refused = run_hub_cli(database_url, "load-script", campaign_id, str(broken), "--check")
    assert refused.returncode == 2
    assert refused.stderr == (
        f"error: {broken}: question 'a': field 'next': unknown question 'zzz' (use a question "
        "id or 'end') (line 7); nothing was stored\n"
    )
    with Session(engine) as session:
        assert session.exec(select(ScriptVersion)).all() == []
    # Without --check it publishes and prints the version, as before.
    published = run_hub_cli(database_url, "load-script", campaign_id, str(SAMPLE))
    assert (published.returncode, published.stdout) == (0, "1\n")


def test_a_draft_reaches_volunteers_only_once_published(
    client: TestClient, engine: Engine, volunteer: Account, organizer: Account
) -> None:
    seeded = seed_list(engine, households=3)
    with session_scope(engine) as session:
        with pytest.raises(ScriptError, match="unknown question 'zzz'"):
            script_drafts.save_draft(session, seeded.campaign_id, BROKEN)
        draft, doc = script_drafts.save_draft(
            session,
            seeded.campaign_id,
            SAMPLE.read_text(encoding="utf-8"),
            file_name="gotv.yaml",
            created_by=organizer.id,
        )
        draft_id = draft.id
        assert [q.id for q in doc.questions] == ["support", "issue", "enthusiasm", "plan", "help"]
    with Session(engine) as session:
        assert [d.id for d in session.exec(select(ScriptDraft))] == [draft_id]  # broken: none

    def seen_by_volunteer() -> tuple[object, list[int]]:
        (campaign,) = client.get("/api/v1/campaigns", headers=volunteer.headers).json()
        synced = client.get("/api/v1/sync", headers=volunteer.headers).json()
        return campaign["script"], [s["version"] for s in synced["scripts"]]

    assert seen_by_volunteer() == (None, [])
    assert draft_id is not None
    assert client.get(f"/api/v1/scripts/{draft_id}", headers=volunteer.headers).status_code == 404

    with session_scope(engine) as session:
        stored = script_drafts.get_draft(session, draft_id)
        assert stored is not None
        version = script_drafts.publish_draft(session, stored)
        version_id = version.id
        assert version.version == 1 and stored.published_version == 1
    script_ref, synced_versions = seen_by_volunteer()
    assert script_ref == {"id": version_id, "version": 1} and synced_versions == [1]
    sent = client.get(f"/api/v1/scripts/{version_id}", headers=volunteer.headers).json()
    assert sent["title"] == "Get out the vote — March 4" and len(sent["questions"]) == 5

    with session_scope(engine) as session:
        again = script_drafts.get_draft(session, draft_id)
        assert again is not None
        with pytest.raises(script_drafts.DraftError, match="already published as version 1"):
            script_drafts.publish_draft(session, again)
