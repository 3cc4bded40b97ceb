"""Fixtures of the laptop-against-a-real-hub tests: a hub with one volunteer (EMAIL), and
laptop cores on real data files in the test's folder, closed at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.services.core import PhonebankCore
from tests.sync_client.live_hub import EMAIL, LiveHub, live_hub, live_hub_on  # noqa: F401


@pytest.fixture
def hub(live_hub: Callable[[], LiveHub]) -> LiveHub:  # noqa: F811  (the fixture above)
    hub = live_hub()
    hub.add_volunteer(EMAIL)
    return hub


@pytest.fixture
def make_core(tmp_path: Path) -> Iterator[Callable[..., PhonebankCore]]:
    cores: list[PhonebankCore] = []

    def make(**kwargs: Any) -> PhonebankCore:
        core = PhonebankCore(tmp_path / "laptop", **kwargs)
        cores.append(core)
        return core

    yield make
    for core in cores:
        core.close()


@pytest.fixture
def core(make_core: Callable[..., PhonebankCore]) -> PhonebankCore:
    return make_core()
