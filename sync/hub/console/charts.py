"""Small charts drawn on the hub as SVG geometry (no chart library, nothing to download)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from sync.hub.crud.dashboard import HourBar

WIDTH, HEIGHT = 960, 190
TOP, BOTTOM, LEFT = 18, 24, 4  # room for the value labels above and the hours below


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    calls: int
    label: str  # the hour, shown under every third bar
    title: str  # the tooltip: "14:00–15:00: 12 calls"
    current: bool


def hour_bars(hours: list[HourBar], zone: tzinfo) -> list[Bar]:
    """Geometry of the calls-per-hour chart in a WIDTH x HEIGHT view box."""
    if not hours:
        return []
    slot = (WIDTH - LEFT) / len(hours)
    tallest = max(max(h.calls for h in hours), 1)
    usable = HEIGHT - TOP - BOTTOM
    bars = []
    for i, hour in enumerate(hours):
        local = hour.start.astimezone(zone)
        height = usable * hour.calls / tallest
        if hour.calls and height < 2:
            height = 2  # one call still shows
        calls = f"{hour.calls:,} call{'' if hour.calls == 1 else 's'}"
        bars.append(
            Bar(
                x=round(LEFT + i * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                calls=hour.calls,
                label=local.strftime("%H:%M") if (len(hours) - 1 - i) % 3 == 0 else "",
                title=f"{local:%H:%M}–{(local.hour + 1) % 24:02d}:{local:%M}: {calls}",
                current=i == len(hours) - 1,
            )
        )
    return bars
