"""Call results (append-only) and the outbox that sends them, plus the feedback outbox.

Outbox states: pending (to send), done (the hub answered 2xx for it; `hub_status` says
created/duplicate/conflict/quarantined), rejected (the hub refused this one result as
malformed; kept, never deleted), discarded (only when the user signed out and confirmed
losing it).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop.store.sql import Connection
from desktop.store.timefmt import from_text, opt_text, opt_time, to_text
from sync.messages import Message, from_wire, text
from sync.protocol import Answer, ResultIn, ResultOutcome


@dataclass(frozen=True)
class ResultRecord:
    id: uuid.UUID
    contact_id: int
    reservation_id: int
    fence: int
    campaign_id: int
    disposition: str
    answers: dict[str, Answer]
    notes: str
    started_at: datetime
    ended_at: datetime
    call_back_at: datetime | None
    script_version: int
    supersedes: uuid.UUID | None
    created_at: datetime
    outbox_state: str | None = None
    # The number dialed (E.164): tells the hub which of the person's numbers a bad number
    # closes. None for results saved before schema 5 (the hub then assumes the household's).
    dialed_phone: str | None = None
    # The script language the call was read in, and (language_barrier) the one the voter
    # spoke; None for results saved before schema 6.
    language: str | None = None
    heard_language: str | None = None

    def to_wire(self) -> ResultIn:
        return ResultIn(
            id=self.id,
            contact_id=self.contact_id,
            reservation_id=self.reservation_id,
            fence=self.fence,
            disposition=self.disposition,  # type: ignore[arg-type]
            answers=self.answers,
            notes=self.notes,
            started_at=self.started_at,
            ended_at=self.ended_at,
            script_version=self.script_version,
            call_back_at=self.call_back_at,
            supersedes=self.supersedes,
            dialed_phone=self.dialed_phone,
            language=self.language,
            heard_language=self.heard_language,
        )


_COLUMNS = (
    "r.id, r.contact_id, r.reservation_id, r.fence, r.campaign_id, r.disposition, r.answers,"
    " r.notes, r.started_at, r.ended_at, r.call_back_at, r.script_version, r.supersedes,"
    " r.created_at, o.state, r.dialed_phone, r.language, r.heard_language"
)


def _record(row: Any) -> ResultRecord:
    v = list(row)
    try:
        answers = json.loads(v[6] or "{}")
    except ValueError:
        answers = {}
    return ResultRecord(
        id=uuid.UUID(v[0]),
        contact_id=v[1],
        reservation_id=v[2],
        fence=v[3],
        campaign_id=v[4],
        disposition=v[5],
        answers=answers if isinstance(answers, dict) else {},
        notes=v[7],
        started_at=from_text(v[8]),
        ended_at=from_text(v[9]),
        call_back_at=opt_time(v[10]),
        script_version=v[11],
        supersedes=uuid.UUID(v[12]) if v[12] else None,
        created_at=from_text(v[13]),
        outbox_state=v[14],
        dialed_phone=v[15],
        language=v[16],
        heard_language=v[17],
    )


def insert(conn: Connection, record: ResultRecord) -> None:
    """The result and its outbox row; the caller's transaction makes them one write."""
    conn.execute(
        (
            "INSERT INTO results (id, contact_id, reservation_id, fence, campaign_id,"
            " disposition, answers, notes, started_at, ended_at, call_back_at, script_version,"
            " supersedes, created_at, dialed_phone, language, heard_language) VALUES (:id,"
            " :contact, :res, :fence, :campaign, :disp, :answers, :notes, :started, :ended,"
            " :call_back, :script, :supersedes, :created, :dialed, :language, :heard)"
        ),
        {
            "id": str(record.id),
            "contact": record.contact_id,
            "res": record.reservation_id,
            "fence": record.fence,
            "campaign": record.campaign_id,
            "disp": record.disposition,
            "answers": json.dumps(record.answers, ensure_ascii=False),
            "notes": record.notes,
            "started": to_text(record.started_at),
            "ended": to_text(record.ended_at),
            "call_back": opt_text(record.call_back_at),
            "script": record.script_version,
            "supersedes": str(record.supersedes) if record.supersedes else None,
            "created": to_text(record.created_at),
            "dialed": record.dialed_phone,
            "language": record.language,
            "heard": record.heard_language,
        },
    )
    conn.execute(
        (
            "INSERT INTO outbox (result_id, state, updated_at, campaign_id, counted)"
            " VALUES (:id, 'pending', :now, :campaign, :counted)"
        ),
        {
            "id": str(record.id),
            "now": to_text(record.created_at),
            "campaign": record.campaign_id,
            "counted": int(record.supersedes is None),
        },
    )


def get(conn: Connection, result_id: uuid.UUID) -> ResultRecord | None:
    row = conn.execute(
        (
            f"SELECT {_COLUMNS} FROM results r LEFT JOIN outbox o ON o.result_id = r.id"
            " WHERE r.id = :id"
        ),
        {"id": str(result_id)},
    ).first()
    return _record(row) if row else None


def for_contact(conn: Connection, contact_id: int) -> list[ResultRecord]:
    rows = conn.execute(
        (
            f"SELECT {_COLUMNS} FROM results r LEFT JOIN outbox o ON o.result_id = r.id"
            " WHERE r.contact_id = :c ORDER BY r.created_at"
        ),
        {"c": contact_id},
    ).all()
    return [_record(r) for r in rows]


def pending_batch(conn: Connection, limit: int) -> list[ResultRecord]:
    rows = conn.execute(
        (
            f"SELECT {_COLUMNS} FROM outbox o JOIN results r ON r.id = o.result_id"
            " WHERE o.state = 'pending' ORDER BY r.created_at, r.id LIMIT :n"
        ),
        {"n": limit},
    ).all()
    return [_record(r) for r in rows]


def last_created_at(conn: Connection) -> datetime | None:
    return opt_time(conn.execute("SELECT max(created_at) FROM results").scalar())


def unsent_count(conn: Connection) -> int:
    """Results not yet acknowledged by the hub (pending or refused as malformed)."""
    return int(
        conn.execute(
            "SELECT count(*) FROM outbox WHERE state IN ('pending', 'rejected')"
        ).scalar_one()
    )


def unsent_by_campaign(conn: Connection, campaign_id: int) -> int:
    """Calls not yet counted by the hub: unsent results that are not corrections (a
    correction replaces a call, counted once like on the hub)."""
    return int(
        conn.execute(
            (
                "SELECT count(*) FROM outbox WHERE campaign_id = :c AND counted = 1"
                " AND state IN ('pending', 'rejected')"  # ix_outbox_campaign alone
            ),
            {"c": campaign_id},
        ).scalar_one()
    )


def superseded(conn: Connection, result_id: uuid.UUID) -> bool:
    """Whether a correction on this laptop replaces `result_id`."""
    row = conn.execute(
        "SELECT 1 FROM results WHERE supersedes = :id LIMIT 1", {"id": str(result_id)}
    ).first()
    return row is not None


def mark_outcomes(conn: Connection, outcomes: Iterable[ResultOutcome], now: datetime) -> int:
    """The hub acknowledged these (any status is final); returns how many rows changed."""
    rows = [
        {
            "id": str(o.id),
            "status": o.status.value,
            "timing": o.timing.value if o.timing else None,
            "reason": _stored(outcome_message(o)),
            "now": to_text(now),
        }
        for o in outcomes
    ]
    if not rows:
        return 0
    result = conn.execute(
        (
            "UPDATE outbox SET state = 'done', hub_status = :status, hub_timing = :timing,"
            " last_error = :reason, attempts = attempts + 1, updated_at = :now"
            " WHERE result_id = :id AND state IN ('pending', 'rejected')"
        ),
        rows,
    )
    return max(result.rowcount, 0)


def outcome_message(outcome: ResultOutcome) -> Message | None:
    """Why the hub quarantined a result or kept another in its place, as a code when the hub
    sent one this app knows (older hubs send only English)."""
    coded = from_wire({"code": outcome.code, "params": outcome.params})
    return coded or (text(outcome.reason) if outcome.reason else None)


def _stored(message: Message | None) -> str | None:
    """`message` as the JSON `last_error` keeps (so the UI can word it in the volunteer's
    language); a long one as its first words, since the hub's detail can be any size."""
    if message is None:
        return None
    raw = message.to_json()
    return raw if len(raw) <= _MAX_ERROR else text(str(message)[:_MAX_ERROR]).to_json()


_MAX_ERROR = 500


def mark_failed(conn: Connection, ids: Iterable[uuid.UUID], error: Message, now: datetime) -> None:
    conn.execute(
        (
            "UPDATE outbox SET attempts = attempts + 1, last_error = :e, updated_at = :now"
            " WHERE result_id = :id"
        ),
        [{"id": str(i), "e": _stored(error), "now": to_text(now)} for i in ids],
    )


def mark_rejected(conn: Connection, result_id: uuid.UUID, error: Message, now: datetime) -> None:
    """The hub refuses this one result as malformed: keep it, stop it blocking the queue."""
    conn.execute(
        (
            "UPDATE outbox SET state = 'rejected', attempts = attempts + 1, last_error = :e,"
            " updated_at = :now WHERE result_id = :id AND state = 'pending'"
        ),
        {"id": str(result_id), "e": _stored(error), "now": to_text(now)},
    )


def refused(conn: Connection) -> tuple[int, Message | None]:
    """How many results the hub refused as malformed, and why the latest was refused."""
    count, latest = conn.execute(
        "SELECT count(*), (SELECT last_error FROM outbox WHERE state = 'rejected'"
        " ORDER BY updated_at DESC LIMIT 1) FROM outbox WHERE state = 'rejected'"
    ).first() or (0, None)
    return int(count), Message.from_json(latest) if latest else None


def retry_rejected(conn: Connection) -> int:
    """Results the hub refused as malformed go back in the queue (once per app start: the
    hub or the app may have been fixed since). Returns how many."""
    result = conn.execute("UPDATE outbox SET state = 'pending' WHERE state = 'rejected'")
    return max(result.rowcount, 0)


def resend_all(conn: Connection) -> int:
    """After a hub reset: every result still on the laptop is sent again (the hub dedups)."""
    result = conn.execute("UPDATE outbox SET state = 'pending' WHERE state IN ('done', 'rejected')")
    return max(result.rowcount, 0)


def wipe(conn: Connection, *, discard_unsent: bool) -> int:
    """Delete every result; unsent ones only with `discard_unsent`. Returns how many unsent
    results were discarded."""
    discarded = 0
    if discard_unsent:
        result = conn.execute(
            "UPDATE outbox SET state = 'discarded' WHERE state IN ('pending', 'rejected')"
        )
        discarded = max(result.rowcount, 0)
    conn.execute("DELETE FROM outbox WHERE state NOT IN ('pending', 'rejected')")
    conn.execute(
        "DELETE FROM results WHERE id NOT IN (SELECT result_id FROM outbox)",
    )
    conn.execute("DELETE FROM feedback_outbox")
    return discarded


# ---------------------------------------------------------------- feedback


@dataclass(frozen=True)
class FeedbackRecord:
    id: int
    campaign_id: int | None
    text: str


def add_feedback(conn: Connection, campaign_id: int | None, body: str, now: datetime) -> None:
    conn.execute(
        "INSERT INTO feedback_outbox (campaign_id, text, created_at) VALUES (:c, :t, :now)",
        {"c": campaign_id, "t": body, "now": to_text(now)},
    )


def pending_feedback(conn: Connection) -> list[FeedbackRecord]:
    rows = conn.execute(
        "SELECT id, campaign_id, text FROM feedback_outbox WHERE state = 'pending' ORDER BY id"
    ).all()
    return [FeedbackRecord(*r) for r in rows]


def pending_feedback_count(conn: Connection) -> int:
    return int(
        conn.execute("SELECT count(*) FROM feedback_outbox WHERE state = 'pending'").scalar_one()
    )


def feedback_done(conn: Connection, feedback_id: int, state: str, error: str | None) -> None:
    conn.execute(
        (
            "UPDATE feedback_outbox SET state = :s, attempts = attempts + 1, last_error = :e"
            " WHERE id = :id"
        ),
        {"s": state, "e": error, "id": feedback_id},
    )
