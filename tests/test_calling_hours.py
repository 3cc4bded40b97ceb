"""One calling-hours rule for the hub's grants and the laptop's warning (issue 12 point 10):
tested at the edges, across daylight-saving changes, and on both sides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.services.core import PhonebankCore
from sync.hub.crud.calling_hours import zones_in_hours
from sync.protocol import in_calling_hours
from tests.sync_client.local_data import seed

NY = "America/New_York"


def new_york(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A New York wall-clock time as the UTC instant it is."""
    from zoneinfo import ZoneInfo

    local = datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(NY))
    return local.astimezone(UTC)


@pytest.mark.parametrize(
    ("local", "inside"),
    [
        ((2026, 3, 3, 20, 59), True),
        ((2026, 3, 3, 21, 0), False),  # the end is not inside: the hub and laptop agree
        ((2026, 3, 3, 9, 0), True),
        ((2026, 3, 3, 8, 59), False),
        # 8 March 2026: clocks go 02:00 -> 03:00 in New York (UTC-5 -> UTC-4)
        ((2026, 3, 8, 9, 0), True),
        ((2026, 3, 8, 8, 59), False),
        ((2026, 3, 8, 20, 59), True),
        ((2026, 3, 8, 21, 0), False),
        # 1 November 2026: clocks go 02:00 -> 01:00 (UTC-4 -> UTC-5)
        ((2026, 11, 1, 9, 0), True),
        ((2026, 11, 1, 8, 59), False),
        ((2026, 11, 1, 21, 0), False),
    ],
)
def test_the_rule_at_its_edges_and_across_dst(local: tuple[int, ...], inside: bool) -> None:
    now = new_york(*local)
    assert in_calling_hours(NY, "09:00", "21:00", now) is inside
    # the hub's grant filter says the same
    assert (zones_in_hours([NY], "09:00", "21:00", now) == [NY]) is inside


def test_dst_moves_the_utc_instant_of_nine_oclock() -> None:
    # 09:00 in New York is 14:00 UTC on 7 March and 13:00 UTC on 8 March.
    assert in_calling_hours(NY, "09:00", "21:00", datetime(2026, 3, 7, 14, 0, tzinfo=UTC))
    assert not in_calling_hours(NY, "09:00", "21:00", datetime(2026, 3, 7, 13, 30, tzinfo=UTC))
    assert in_calling_hours(NY, "09:00", "21:00", datetime(2026, 3, 8, 13, 30, tzinfo=UTC))


def test_the_laptop_warns_exactly_when_the_hub_stops_granting(tmp_path: Path) -> None:
    now = [new_york(2026, 3, 3, 20, 59)]
    core = PhonebankCore(tmp_path / "data", clock=lambda: now[0])
    try:
        contact = seed(core.store).contacts[0]  # a New York number, hours 09:00-21:00
        assert core.call_view(contact.id).within_calling_hours
        now[0] += timedelta(minutes=1)  # 21:00
        view = core.call_view(contact.id)
        assert view.local_time == "21:00 Tue" and not view.within_calling_hours
        assert zones_in_hours([view.timezone], *view.calling_hours, now[0]) == []
    finally:
        core.close()


def test_a_call_back_wall_time_in_the_skipped_hour_means_the_same_time_after_the_change() -> None:
    from desktop.services.hours import from_wall_clock

    # 02:30 does not exist in New York on 8 March 2026: 03:30 EDT is meant.
    assert from_wall_clock(NY, datetime(2026, 3, 8, 2, 30)) == datetime(
        2026, 3, 8, 7, 30, tzinfo=UTC
    )
    assert from_wall_clock(NY, datetime(2026, 3, 9, 18, 0)) == datetime(
        2026, 3, 9, 22, 0, tzinfo=UTC
    )


def test_the_default_call_back_is_tomorrow_inside_their_hours() -> None:
    from desktop.services.hours import default_call_back, local_time

    late = new_york(2026, 3, 3, 20, 30)  # would be 21:00 tomorrow: moved to 20:00
    assert local_time(NY, default_call_back(NY, "09:00", "21:00", late)).replace(
        tzinfo=None
    ) == datetime(2026, 3, 4, 20, 0)
    early = new_york(2026, 3, 3, 2, 10)  # would be 03:00 tomorrow: moved to 09:00
    assert local_time(NY, default_call_back(NY, "09:00", "21:00", early)).replace(
        tzinfo=None
    ) == datetime(2026, 3, 4, 9, 0)
