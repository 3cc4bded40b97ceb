"""Reliability fixtures: a seeded hub database (SQLite, then PostgreSQL), real hub processes,
laptops (the real core on its own SQLite file), and the figures each test reports.

Every test files one line of figures (`figures.add(...)`); they are printed at the end of the
run under "reliability figures" so docs/reliability.md can quote them truthfully.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.services.core import PhonebankCore
from tests.e2e.conftest import seeded_hub_any_db  # noqa: F401 (fixture)
from tests.support.hub_process import hub_factory  # noqa: F401 (fixture)

_FIGURES: list[str] = []


def fault_seed() -> int:
    """PHONEBANK_FAULT_SEED replays a run; otherwise a fresh seed (printed with the figures)."""
    raw = os.environ.get("PHONEBANK_FAULT_SEED")
    return int(raw) if raw else random.SystemRandom().randrange(2**32)


class Figures:
    def __init__(self, nodeid: str) -> None:
        self.nodeid = nodeid

    def add(self, text: str) -> None:
        _FIGURES.append(f"{self.nodeid}: {text}")


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Figures:
    return Figures(request.node.nodeid)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _FIGURES:
        terminalreporter.section("reliability figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)


RAM_DISK = Path("/dev/shm")


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Callable[..., PhonebankCore]]:
    """`laptop("ana", ram_disk=False, **core_kwargs)`: a PhonebankCore on its own data folder;
    closed (and its folder removed) after the test.

    `ram_disk=True` puts the folder on tmpfs when the machine has one: the same SQLite file,
    WAL and `synchronous=FULL`, minus the fsync wait. For tests that save a thousand results
    to push them through network faults; that a save survives a crash is proven elsewhere.
    """
    cores: list[PhonebankCore] = []
    folders: list[Path] = []

    def make(name: str = "laptop", *, ram_disk: bool = False, **kwargs: Any) -> PhonebankCore:
        folder = tmp_path / name
        if ram_disk and RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK):
            folder = Path(tempfile.mkdtemp(prefix=f"phonebank-{name}-", dir=RAM_DISK))
            folders.append(folder)
        core = PhonebankCore(folder, **kwargs)
        cores.append(core)
        return core

    yield make
    for core in cores:
        core.close()
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
