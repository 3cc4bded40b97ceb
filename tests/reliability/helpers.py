"""Steps the reliability tests share: a signed-in laptop with a list, saving calls, syncing
until the outbox is empty, and what the hub and the laptop hold afterwards."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop.services.core import PhonebankCore, ResultDraft, SyncReport
from tests.e2e.seed import VOLUNTEER_EMAIL, VOLUNTEER_PASSWORD, Seeded, query
from tests.support.hub_process import run_hub_cli

MAX_ROUNDS = 400  # sync rounds a drain may take before the test fails


AREA_CODES = ("614", "216", "513", "330")


def import_list(seeded: Seeded, work_dir: Path, contacts: int, name: str = "Big") -> None:
    """Import a call list of `contacts` people (one per household) into the seeded campaign
    with the hub's own CSV import; fictional 555 numbers, none shared with the seed's."""
    rows = ["first_name,last_name,phone"]
    for n in range(contacts):
        area = AREA_CODES[n // 9000]
        rows.append(f"Person{n},Caller,+1{area}555{1000 + n % 9000:04d}")
    csv_path = work_dir / f"{name}.csv"
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = run_hub_cli(
        seeded.database_url, "import-contacts", str(seeded.campaign_id), str(csv_path),
        "--list", name,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def sign_in(core: PhonebankCore, hub_url: str) -> None:
    core.sign_in(hub_url, VOLUNTEER_EMAIL, VOLUNTEER_PASSWORD)
    first = core.sync_once()
    assert first.ok, first.message


def signed_in_with_list(core: PhonebankCore, hub_url: str, list_name: str = "Ohio") -> list[int]:
    """Sign in at `hub_url`, sync, get names from `list_name`; the contact ids."""
    sign_in(core, hub_url)
    outcome = core.request_names(list_id(core, list_name))
    assert outcome.kind == "reserved", outcome
    mine = core.my_list()
    assert mine is not None and mine.rows
    return [row.id for row in mine.rows]


def list_id(core: PhonebankCore, name: str) -> int:
    (found,) = [cl.id for c in core.campaigns() for cl in c.lists if cl.name == name]
    return found


# What volunteers hear, in a fixed rotation: some contacts are done, some get retried later.
DISPOSITIONS = ("contacted", "no_answer", "refused", "contacted", "left_message", "busy")


def make_calls(
    core: PhonebankCore, call_list_id: int, count: int, *, sync_every: int, drain: Drain
) -> list[str]:
    """A volunteer at work: call the next name, save, and again; "Get names" when the list
    is done; one sync round every `sync_every` calls (failing or not, the calling goes on).
    Returns the ids of the results the app showed as saved."""
    saved: list[str] = []
    previous: int | None = None
    while len(saved) < count:
        contact = core.next_contact_id(previous)
        if contact is None:
            outcome = core.request_names(call_list_id)
            if outcome.kind == "cooling_down":  # e.g. a duplicated request got the names
                retry_at = outcome.retry_at or datetime.now(UTC)
                sync_until_sent(
                    core, drain,
                    until=lambda _, at=retry_at: core.next_contact_id() is not None
                    or datetime.now(UTC) >= at,
                )  # fmt: skip
            elif outcome.kind != "reserved":
                # Queued while the link is down, or "empty" because lists the hub granted us
                # (their answer lost) hold the rest: the next good sync brings the names.
                assert outcome.kind in ("queued", "empty"), outcome
                sync_until_sent(core, drain, until=lambda _: core.next_contact_id() is not None)
            previous = None
            continue
        disposition = DISPOSITIONS[len(saved) % len(DISPOSITIONS)]
        # A minute's call, as the call screen stamps it: seconds-long "contacted" calls in
        # bulk are quarantined as faked (sync/hub/crud/short_calls.py).
        started = datetime.now(UTC) - timedelta(minutes=1)
        draft = ResultDraft(contact, disposition, notes=f"call {len(saved)}", started_at=started)
        saved.append(str(core.record_result(draft).id))
        previous = contact
        if len(saved) % sync_every == 0:
            sync_until_sent(core, drain, until=lambda _: True)
    return saved


@dataclass
class Drain:
    rounds: int = 0
    failed: int = 0
    messages: Counter[str] = field(default_factory=Counter)


def sync_until_sent(
    core: PhonebankCore,
    drain: Drain | None = None,
    *,
    until: Callable[[SyncReport], bool] | None = None,
    timeout: float = 120.0,
) -> Drain:
    """Sync rounds back to back (the test is the timer: no backoff waits) until a round is
    ok and nothing waits to be sent (or `until(report)`). Every failed round must say why
    in plain words and when to retry."""
    drain = drain or Drain()
    deadline = time.monotonic() + timeout
    while True:
        report = core.sync_once()
        drain.rounds += 1
        if not report.ok:
            drain.failed += 1
            drain.messages[report.message] += 1
            assert report.retry_in is not None and report.message, report
            assert "Traceback" not in report.message
        done = until(report) if until else report.ok and core.status().pending == 0
        if done:
            return drain
        assert drain.rounds < MAX_ROUNDS, f"not sent after {drain.rounds} rounds: {drain}"
        assert time.monotonic() < deadline, f"not sent within {timeout} s: {drain}"


def hub_result_ids(database_url: str) -> list[str]:
    """Every result row the hub stored (one per row: a doubled result would appear twice)."""
    return [str(row[0]) for row in query(database_url, "SELECT id FROM call_results")]


def outbox_statuses(core: PhonebankCore) -> Counter[tuple[str, str | None]]:
    with core.store.read() as conn:
        rows = conn.execute("SELECT state, hub_status FROM outbox")
        return Counter((r[0], r[1]) for r in rows)


def lost_and_doubled(created: list[str], stored: list[str]) -> tuple[int, int]:
    return len(set(created) - set(stored)), len(stored) - len(set(stored))
