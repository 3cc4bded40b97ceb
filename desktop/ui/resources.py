"""The stylesheet and icons, from the resources folder wherever this install keeps it."""

from __future__ import annotations

from pathlib import Path

from sync.resources import resources_dir

__all__ = ["icon_path", "resources_dir", "stylesheet"]


def icon_path() -> Path:
    return resources_dir() / "icons" / "phonebank.png"


def stylesheet() -> str:
    """The app's stylesheet, or "" when the file is missing (the app still works)."""
    try:
        return (resources_dir() / "style" / "app.qss").read_text(encoding="utf-8")
    except OSError:
        return ""
