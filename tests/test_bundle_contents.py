"""What build.spec leaves out of the installer, the app must not start to use.

The bundle keeps only QtCore, QtGui and QtWidgets, and an empty ICU data library (Qt's 32 MB
libicudata would break the size target): locale-aware collation then falls back to plain
code-point order. These tests fail when the code starts depending on what was left out.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUNDLED_CODE = [*REPO.joinpath("desktop").rglob("*.py"), *REPO.joinpath("sync").rglob("*.py")]
BUNDLED_CODE = [p for p in BUNDLED_CODE if "hub" not in p.relative_to(REPO).parts]
QT_IMPORT = re.compile(r"\bPySide6\.(Qt\w+)")
ICU_DATA_USERS = re.compile(r"QCollator|localeAwareCompare|setSortLocaleAware|QStringConverter")


def test_the_app_uses_only_the_qt_modules_the_bundle_keeps() -> None:
    used = {m for path in BUNDLED_CODE for m in QT_IMPORT.findall(path.read_text())}
    assert used <= {"QtCore", "QtGui", "QtWidgets"}, f"left out of the bundle: {used}"


def test_the_app_does_not_rely_on_icu_data() -> None:
    users = [
        f"{path.relative_to(REPO)}: {match.group()}"
        for path in BUNDLED_CODE
        for match in ICU_DATA_USERS.finditer(path.read_text())
    ]
    assert not users, f"needs ICU data, which the bundle leaves out (see build.spec): {users}"
