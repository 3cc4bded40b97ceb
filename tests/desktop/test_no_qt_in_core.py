"""The core (desktop/store, desktop/sync, desktop/services, sync/) never loads Qt (STYLE rule 1)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORE_PACKAGES = ("desktop.store", "desktop.sync", "desktop.services", "sync")
CORE_MODULES = ("desktop.paths", "desktop.settings")

PROBE = """
import importlib, pkgutil, sys
names = list(sys.argv[2:])
for package_name in sys.argv[1].split(","):
    package = importlib.import_module(package_name)
    names.append(package_name)
    for info in pkgutil.walk_packages(package.__path__, package_name + "."):
        # Alembic scripts run only under alembic; __main__ modules run a program.
        if ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        names.append(info.name)
for name in names:
    importlib.import_module(name)
print(len(names))
print("QT" if any(m == "PySide6" or m.startswith("PySide6.") for m in sys.modules) else "NOQT")
"""


def test_core_modules_import_without_pyside6() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(CORE_PACKAGES), *CORE_MODULES],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    count, verdict = result.stdout.split()
    assert int(count) > 20  # the walk really found the core modules
    assert verdict == "NOQT"


def test_building_the_core_loads_neither_requests_nor_sqlalchemy() -> None:
    """A cold start builds the core before the window is usable; what it does not use by
    then it must not import (requests: ~0.1-0.2 s; SQLAlchemy, even Core: ~0.18 s; the
    laptop store is on the sqlite3 module)."""
    probe = (
        "import sys, tempfile, pathlib\n"
        "from desktop.services.core import PhonebankCore\n"
        "core = PhonebankCore(pathlib.Path(tempfile.mkdtemp()))\n"
        "core.saved_account(); core.my_list(); core.status(); core.close()\n"
        "print(sorted(m for m in ('requests', 'urllib3', 'sqlmodel', 'sqlalchemy')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
