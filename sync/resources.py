"""Where the project's `resources/` folder (stylesheet, icons, the demo's data and script) is.

Three ways Phonebank is installed, three places: inside a PyInstaller bundle (the bundle's own
folder), a checkout or an editable install (next to the source tree), and an installed wheel,
which carries the folder as data files under its environment's `share/phonebank/resources`.
Shared by the desktop app and the hub's `demo` command; no Qt.
"""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

WHEEL_DATA = Path("share") / "phonebank" / "resources"  # pyproject's [tool.setuptools.data-files]
# A file only our folder has: next to an installed wheel, site-packages/resources may be
# another package's.
MARKER = Path("icons") / "phonebank.svg"


def resources_dir() -> Path:
    """The first candidate folder that is ours (the first candidate when none is, so that a
    message about a missing file names a real place to look)."""
    candidates = _candidates()
    return next((folder for folder in candidates if (folder / MARKER).is_file()), candidates[0])


def _candidates() -> list[Path]:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return [Path(bundle) / "resources"]
    checkout = Path(__file__).resolve().parents[1] / "resources"
    # A wheel's data files land in the scheme's "data" path: the environment's prefix, or
    # ~/.local for `pip install --user`.
    schemes = (sysconfig.get_default_scheme(), sysconfig.get_preferred_scheme("user"))
    return [
        checkout,
        *(Path(sysconfig.get_path("data", scheme)) / WHEEL_DATA for scheme in schemes),
    ]
