"""Campaigns, their call lists and scripts, as of the last sync."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.store.sql import Connection
from sync.protocol import CampaignPublic, Policy, Progress, Script


@dataclass(frozen=True)
class CampaignRecord:
    id: int
    name: str
    goal: int
    calls_made: int
    mine: int
    script_id: int | None
    script_version: int | None
    policy: Policy


@dataclass(frozen=True)
class ListRecord:
    id: int
    campaign_id: int
    name: str
    remaining: int


def replace_campaigns(conn: Connection, campaigns: Iterable[CampaignPublic]) -> None:
    """Make the local catalogue exactly the hub's (campaigns it no longer lists go)."""
    campaigns = list(campaigns)
    keep = ",".join(str(int(c.id)) for c in campaigns) or "NULL"
    conn.execute(f"DELETE FROM call_lists WHERE campaign_id NOT IN ({keep})")
    conn.execute(f"DELETE FROM campaigns WHERE id NOT IN ({keep})")
    for position, c in enumerate(campaigns):
        upsert_campaign(conn, c, position)


def upsert_campaign(conn: Connection, c: CampaignPublic, position: int | None = None) -> None:
    """One campaign and its lists as the hub describes them."""
    conn.execute(
        (
            "INSERT INTO campaigns (id, name, goal, calls_made, script_id, script_version,"
            " policy, position) VALUES (:id, :name, :goal, :calls, :sid, :sver, :policy,"
            " coalesce(:pos, (SELECT count(*) FROM campaigns)))"
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
            " goal = excluded.goal, calls_made = excluded.calls_made,"
            " script_id = excluded.script_id, script_version = excluded.script_version,"
            " policy = excluded.policy, position = coalesce(:pos, campaigns.position)"
        ),
        {
            "id": c.id,
            "name": c.name,
            "goal": c.goal,
            "calls": c.calls_made,
            "sid": c.script.id if c.script else None,
            "sver": c.script.version if c.script else None,
            "policy": c.policy.model_dump_json(),
            "pos": position,
        },
    )
    conn.execute("DELETE FROM call_lists WHERE campaign_id = :c", {"c": c.id})
    if c.lists:
        conn.execute(
            (
                "INSERT INTO call_lists (id, campaign_id, name, remaining, position)"
                " VALUES (:id, :cid, :name, :remaining, :pos)"
            ),
            [
                {"id": cl.id, "cid": c.id, "name": cl.name, "remaining": cl.remaining, "pos": i}
                for i, cl in enumerate(c.lists)
            ],
        )


def apply_progress(conn: Connection, progress: Mapping[str, Progress]) -> None:
    for p in progress.values():
        conn.execute(
            ("UPDATE campaigns SET goal = :goal, calls_made = :calls, mine = :mine WHERE id = :id"),
            {"goal": p.goal, "calls": p.calls_made, "mine": p.mine, "id": p.campaign_id},
        )


def save_script(conn: Connection, script: Script) -> None:
    """Scripts are immutable per version: a known version is kept as it is."""
    conn.execute(
        (
            "INSERT INTO scripts (id, campaign_id, version, body) VALUES (:id, :cid, :v, :body)"
            " ON CONFLICT DO NOTHING"
        ),
        {
            "id": script.id,
            "cid": script.campaign_id,
            "v": script.version,
            "body": script.model_dump_json(),
        },
    )


def script_for(conn: Connection, campaign_id: int, version: int | None = None) -> Script | None:
    """The given version, else the campaign's current one, else its newest known one."""
    if version is None:
        version = conn.execute(
            "SELECT script_version FROM campaigns WHERE id = :id", {"id": campaign_id}
        ).scalar()
    body = None
    if version is not None:
        body = conn.execute(
            "SELECT body FROM scripts WHERE campaign_id = :c AND version = :v",
            {"c": campaign_id, "v": version},
        ).scalar()
    if body is None:
        body = conn.execute(
            "SELECT body FROM scripts WHERE campaign_id = :c ORDER BY version DESC LIMIT 1",
            {"c": campaign_id},
        ).scalar()
    return Script.model_validate_json(body) if body else None


def campaigns(conn: Connection) -> list[CampaignRecord]:
    rows = conn.execute(
        "SELECT id, name, goal, calls_made, mine, script_id, script_version, policy"
        " FROM campaigns ORDER BY position, id"
    ).all()
    return [_campaign(r) for r in rows]


def campaign(conn: Connection, campaign_id: int) -> CampaignRecord | None:
    row = conn.execute(
        (
            "SELECT id, name, goal, calls_made, mine, script_id, script_version, policy"
            " FROM campaigns WHERE id = :id"
        ),
        {"id": campaign_id},
    ).first()
    return _campaign(row) if row else None


def _campaign(r: Any) -> CampaignRecord:
    id_, name, goal, calls, mine, sid, sver, policy = r
    try:
        parsed = Policy.model_validate(json.loads(policy or "{}"))
    except ValueError:
        parsed = Policy()
    return CampaignRecord(id_, name, goal, calls, mine, sid, sver, parsed)


def lists(conn: Connection) -> list[ListRecord]:
    rows = conn.execute(
        "SELECT id, campaign_id, name, remaining FROM call_lists ORDER BY position, id"
    ).all()
    return [ListRecord(*r) for r in rows]


def call_list(conn: Connection, call_list_id: int) -> ListRecord | None:
    row = conn.execute(
        "SELECT id, campaign_id, name, remaining FROM call_lists WHERE id = :id",
        {"id": call_list_id},
    ).first()
    return ListRecord(*row) if row else None


def wipe(conn: Connection) -> None:
    for table in ("call_lists", "campaigns", "scripts"):
        conn.execute(f"DELETE FROM {table}")
