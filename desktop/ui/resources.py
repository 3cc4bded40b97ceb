"""Where the stylesheet and icons are: next to the source tree, or inside a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def icon_path() -> Path:
    return resources_dir() / "icons" / "phonebank.png"


def stylesheet() -> str:
    """The app's stylesheet, or "" when the file is missing (the app still works)."""
    try:
        return (resources_dir() / "style" / "app.qss").read_text(encoding="utf-8")
    except OSError:
        return ""
