"""Running totals of each campaign's counted results, for the dashboard and the calls made.

Results are append-only and whether one counts (not quarantined) is decided when it is
stored, so the totals only grow: `add_results` adds a batch's results in the transaction that
stores them (one upsert; each row belongs to the batch's volunteer, so two volunteers'
uploads never wait on a shared row). Reading them is a few thousand rows whatever the
campaign's size (bench/bench_dashboard.py). `rebuild` recounts a campaign from its results,
the same counts the dashboard made before (tests compare the two after every kind of write).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, text
from sqlalchemy import delete as sa_delete
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from sync.hub.models import CallResult, ResultTally
from sync.hub.script_file import ID_PATTERN

REACHED = "contacted"  # the disposition of a call where someone answered and talked
DISPOSITION, HOUR, ANSWERED, SUPERSEDED = "disposition", "hour", "answered", "superseded"

Key = tuple[int, str, str, int]  # campaign, kind, key, volunteer


def hour_key(at: datetime) -> str:
    """The UTC hour `at` falls in, as the tallies spell it (sorts as text)."""
    utc = at.astimezone(UTC) if at.tzinfo else at
    return utc.strftime("%Y-%m-%d %H")


def hour_of_key(key: str) -> datetime:
    return datetime.strptime(key, "%Y-%m-%d %H").replace(tzinfo=UTC)


# ---------------------------------------------------------------- writing


def add_results(session: Session, volunteer_id: int, rows: Iterable[dict[str, Any]]) -> None:
    """Count the results this transaction has just stored (`call_results` rows as inserted).

    Quarantined results are not counted. A correction (`supersedes`) takes the result it
    replaces out of the calls made once, whichever of the two arrives first.
    """
    counts: dict[Key, int] = defaultdict(int)
    last: dict[Key, datetime] = {}
    counted: list[dict[str, Any]] = []
    for row in rows:
        if row["quarantined"] or row["campaign_id"] is None:
            continue
        counted.append(row)
        campaign, ended = int(row["campaign_id"]), row["ended_at"]
        disposition = (campaign, DISPOSITION, row["disposition"], volunteer_id)
        counts[disposition] += 1
        if disposition not in last or ended > last[disposition]:
            last[disposition] = ended
        counts[(campaign, HOUR, hour_key(ended), volunteer_id)] += 1
        if row["disposition"] == REACHED and isinstance(row["answers"], dict):
            for question, answer in row["answers"].items():
                if answer is not None and len(question) <= 64 and ID_PATTERN.fullmatch(question):
                    counts[(campaign, ANSWERED, question, volunteer_id)] += 1
    if not counted:
        return
    for campaign, n in _newly_superseded(session, volunteer_id, counted).items():
        counts[(campaign, SUPERSEDED, "", volunteer_id)] += n
    _upsert(session, counts, last)


def _newly_superseded(
    session: Session, volunteer_id: int, counted: list[dict[str, Any]]
) -> dict[int, int]:
    """Per campaign, the results that a correction replaces now and did not before this
    batch: counted corrections and originals of the same volunteer and campaign, distinct by
    the replaced result (as `campaigns.calls_made` counted them)."""
    mine = {row["id"] for row in counted}
    candidates = mine | {row["supersedes"] for row in counted if row["supersedes"]}
    # Only the `supersedes` index in the condition: a volunteer's other results (thousands,
    # over a campaign) are never read; the rest of the rule is checked on the few rows found.
    # One fixed statement with the ids as one parameter (an array, a JSON list on SQLite):
    # building and compiling a 200-parameter IN per batch cost more than running it.
    found: Sequence[Any]
    ids = sorted(candidates)
    if session.get_bind().dialect.name == "postgresql":
        found = session.connection().exec_driver_sql(_PG_CORRECTIONS, {"ids": ids}).all()
    else:
        found = session.connection().execute(_SQLITE_CORRECTIONS, {"ids": json.dumps(ids)}).all()
    pairs = [
        (old_id, campaign, by)
        for old_id, campaign, old_volunteer, old_quarantined, by, by_campaign, by_volunteer,
        by_quarantined in found
        if old_volunteer == by_volunteer == volunteer_id
        and campaign == by_campaign
        and not old_quarantined
        and not by_quarantined
    ]  # fmt: skip
    before: dict[str, bool] = {}  # replaced id -> already replaced before this batch
    campaign_of: dict[str, int] = {}
    for old_id, campaign, by in pairs:
        campaign_of[old_id] = int(campaign)
        earlier = old_id not in mine and by not in mine
        before[old_id] = before.get(old_id, False) or earlier
    delta: dict[int, int] = defaultdict(int)
    for old_id, was in before.items():
        if not was:
            delta[campaign_of[old_id]] += 1
    return delta


_CORRECTIONS = (
    "SELECT o.id, o.campaign_id, o.volunteer_id, o.quarantined,"
    " n.id, n.campaign_id, n.volunteer_id, n.quarantined"
    " FROM call_results AS n JOIN call_results AS o ON o.id = n.supersedes"
)
_PG_CORRECTIONS = _CORRECTIONS + " WHERE n.supersedes = ANY(%(ids)s::varchar[])"
_SQLITE_CORRECTIONS = text(
    _CORRECTIONS + " WHERE n.supersedes IN (SELECT value FROM json_each(:ids))"
)


def _upsert(session: Session, counts: dict[Key, int], last: dict[Key, datetime]) -> None:
    values = [
        {"campaign_id": c, "kind": k, "key": key, "volunteer_id": v, "n": n,
         "last_at": last.get((c, k, key, v))}
        for (c, k, key, v), n in sorted(counts.items())  # one lock order for every batch
    ]  # fmt: skip
    if session.get_bind().dialect.name == "postgresql":
        # One statement, the rows as one JSON parameter, as crud/results inserts the results.
        document = json.dumps(values, default=_iso)
        session.connection().exec_driver_sql(_PG_UPSERT, {"rows": document})
        return
    session.connection().execute(_SQLITE_UPSERT, values)


def _sqlite_upsert() -> Any:
    table = ResultTally.__table__  # type: ignore[attr-defined]
    insert = sqlite.insert(table)
    return insert.on_conflict_do_update(
        index_elements=["campaign_id", "kind", "key", "volunteer_id"],
        set_={
            "n": table.c.n + insert.excluded.n,
            # both NULL only for the kinds without a newest call
            "last_at": func.max(table.c.last_at, insert.excluded.last_at),
        },
    )


_SQLITE_UPSERT = _sqlite_upsert()  # built once: constructing it cost more than its cache hit
_PG_UPSERT = (
    "INSERT INTO result_tallies (campaign_id, kind, key, volunteer_id, n, last_at)"
    " SELECT campaign_id, kind, key, volunteer_id, n, last_at"
    " FROM json_to_recordset(%(rows)s::json)"
    " AS r(campaign_id integer, kind varchar, key varchar, volunteer_id integer, n bigint,"
    " last_at timestamptz)"
    " ON CONFLICT (campaign_id, kind, key, volunteer_id) DO UPDATE"
    " SET n = result_tallies.n + excluded.n,"
    " last_at = greatest(result_tallies.last_at, excluded.last_at)"
)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in a result_tallies row")


# ---------------------------------------------------------------- reading


def _kind(campaign_id: int, kind: str) -> Any:
    return sa_select(col(ResultTally.key), col(ResultTally.volunteer_id), col(ResultTally.n)).where(
        col(ResultTally.campaign_id) == campaign_id, col(ResultTally.kind) == kind
    )


def calls_made(session: Session, campaign_id: int) -> int:
    """Counted results less those a correction replaces."""
    signed = case(
        (col(ResultTally.kind) == SUPERSEDED, -col(ResultTally.n)), else_=col(ResultTally.n)
    )
    total = session.execute(
        sa_select(func.coalesce(func.sum(signed), 0)).where(
            col(ResultTally.campaign_id) == campaign_id,
            col(ResultTally.kind).in_([DISPOSITION, SUPERSEDED]),
        )
    ).scalar_one()
    return int(total)


def by_volunteer_and_disposition(
    session: Session, campaign_id: int
) -> list[tuple[int, str, int, datetime | None]]:
    """(volunteer, disposition, results, the newest call's end)."""
    rows = session.execute(
        sa_select(
            col(ResultTally.volunteer_id),
            col(ResultTally.key),
            col(ResultTally.n),
            col(ResultTally.last_at),
        ).where(col(ResultTally.campaign_id) == campaign_id, col(ResultTally.kind) == DISPOSITION)
    ).all()
    return [(int(v), str(d), int(n), last) for v, d, n, last in rows]


def answered_by_volunteer(session: Session, campaign_id: int, question_id: str) -> dict[int, int]:
    """Reached calls that answered `question_id`, per volunteer."""
    rows = session.execute(_kind(campaign_id, ANSWERED).where(col(ResultTally.key) == question_id))
    return {int(v): int(n) for _key, v, n in rows}


def calls_by_hour(session: Session, campaign_id: int, first: datetime) -> dict[datetime, int]:
    """Calls per UTC hour from the hour `first` on."""
    rows = session.execute(
        sa_select(col(ResultTally.key), func.sum(col(ResultTally.n)))
        .where(
            col(ResultTally.campaign_id) == campaign_id,
            col(ResultTally.kind) == HOUR,
            col(ResultTally.key) >= hour_key(first),
        )
        .group_by(col(ResultTally.key))
    ).all()
    return {hour_of_key(key): int(n) for key, n in rows}


# ---------------------------------------------------------------- recounting


def rebuild(session: Session, campaign_id: int) -> None:
    """Recount the campaign's tallies from its results (results written around the hub, e.g.
    by a benchmark's seeding, or a repair). Does not commit."""
    table = ResultTally.__table__  # type: ignore[attr-defined]
    session.execute(sa_delete(table).where(table.c.campaign_id == campaign_id))
    counted = [col(CallResult.campaign_id) == campaign_id, col(CallResult.quarantined).is_(False)]
    rows: list[dict[str, Any]] = []

    def add(kind: str, key: str, volunteer: int, n: int, last_at: datetime | None = None) -> None:
        rows.append({"campaign_id": campaign_id, "kind": kind, "key": key,
                     "volunteer_id": int(volunteer), "n": int(n), "last_at": last_at})  # fmt: skip

    for v, d, n, last_at in session.execute(
        sa_select(
            col(CallResult.volunteer_id),
            col(CallResult.disposition),
            func.count(),
            func.max(col(CallResult.ended_at)),
        )
        .where(*counted)
        .group_by(col(CallResult.volunteer_id), col(CallResult.disposition))
    ):
        add(DISPOSITION, d, v, n, _utc(last_at))
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        hour = func.to_char(func.timezone("UTC", col(CallResult.ended_at)), "YYYY-MM-DD HH24")
    else:
        hour = func.strftime("%Y-%m-%d %H", col(CallResult.ended_at))
    for v, key, n in session.execute(
        sa_select(col(CallResult.volunteer_id), hour, func.count())
        .where(*counted)
        .group_by(col(CallResult.volunteer_id), hour)
    ):
        add(HOUR, key, v, n)
    for v, key, n in session.execute(_answered_sql(postgres), {"campaign": campaign_id}):
        if len(key) <= 64 and ID_PATTERN.fullmatch(key):
            add(ANSWERED, key, v, n)
    old = aliased(CallResult)
    for v, n in session.execute(
        sa_select(col(old.volunteer_id), func.count(func.distinct(col(old.id))))
        .select_from(CallResult)
        .join(old, col(old.id) == col(CallResult.supersedes))
        .where(*counted, col(old.campaign_id) == campaign_id, col(old.quarantined).is_(False),
               col(old.volunteer_id) == col(CallResult.volunteer_id))
        .group_by(col(old.volunteer_id))
    ):  # fmt: skip
        add(SUPERSEDED, "", v, n)
    if rows:
        session.connection().execute(table.insert(), rows)


def _answered_sql(postgres: bool) -> Any:
    if postgres:
        return text(
            "SELECT r.volunteer_id, e.key, count(*) FROM call_results AS r,"
            " json_each(r.answers) AS e WHERE r.campaign_id = :campaign AND NOT r.quarantined"
            " AND r.disposition = 'contacted' AND json_typeof(e.value) <> 'null'"
            " GROUP BY r.volunteer_id, e.key"
        )
    return text(
        "SELECT r.volunteer_id, e.key, count(*) FROM call_results AS r, json_each(r.answers) AS e"
        " WHERE r.campaign_id = :campaign AND NOT r.quarantined AND r.disposition = 'contacted'"
        " AND json_type(r.answers) = 'object' AND e.type <> 'null'"
        " GROUP BY r.volunteer_id, e.key"
    )


def _utc(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)  # SQLite's max() is text
