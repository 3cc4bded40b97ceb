"""The wheel's build: setuptools, plus the interface translations compiled into the wheel.

The .qm files are built, never committed (docs/development.md, "Translations"): `BuildPy`
compiles resources/translations/*.ts with Qt's lrelease into the package
(`desktop/translations/`, where desktop/ui/translations.py looks). A wheel build gets PySide6
(which carries lrelease) in its build environment, at the version constraints.txt pins; an
editable install (`make`) needs none: the checkout's .qm files are in build/translations.

pyproject.toml names this module as the build backend (`backend-path = ["packaging"]`).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from setuptools import build_meta
from setuptools.build_meta import (  # noqa: F401  the hooks setuptools answers unchanged
    build_editable,
    build_sdist,
    build_wheel,
    get_requires_for_build_editable,
    get_requires_for_build_sdist,
    prepare_metadata_for_build_editable,
    prepare_metadata_for_build_wheel,
)
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parents[1]
TS_DIR = ROOT / "resources" / "translations"
QM_PACKAGE_DIR = Path("desktop") / "translations"


def _pinned(name: str) -> str:
    """`name==version` as constraints.txt pins it (the same Qt as the app's)."""
    wanted = re.sub(r"[-_.]+", "-", name).lower()
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        requirement = line.split("#", 1)[0].strip()
        found, _, version = requirement.partition("==")
        if re.sub(r"[-_.]+", "-", found).lower() == wanted and version:
            return f"{name}=={version.strip()}"
    return name


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    return [
        *build_meta.get_requires_for_build_wheel(config_settings),
        _pinned("PySide6-Essentials"),
    ]


class BuildPy(build_py):
    """build_py, then every .ts compiled to a .qm inside the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # the checkout: `make` builds them into build/translations
        out_dir = Path(self.build_lib) / QM_PACKAGE_DIR
        out_dir.mkdir(parents=True, exist_ok=True)
        for ts in sorted(TS_DIR.glob("phonebank_*.ts")):
            qm = out_dir / f"{ts.stem}.qm"
            # PySide6's own entry point for lrelease (the pyside6-lrelease command).
            lrelease = "from PySide6.scripts.pyside_tool import lrelease; lrelease()"
            subprocess.run(
                [sys.executable, "-c", lrelease, "-silent", str(ts), "-qm", str(qm)],
                check=True,
            )
