"""Typed user settings in a small JSON file in the config dir, with versioned upgrades.

Never tokens or passwords: those live in the OS keyring (sync/client/credentials.py).
A missing file gives defaults; an unreadable one is moved aside (settings.json.bad) and
defaults are used, so a broken preference never stops the app.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

log = logging.getLogger("phonebank.settings")

SCHEMA_VERSION = 3
# Interface languages the app is translated into (desktop/ui/translations.py says their names).
LANGUAGES = ("en", "es")


@dataclass
class Settings:
    hub_url: str = ""
    email: str = ""
    last_campaign_id: int | None = None
    last_list_id: int | None = None
    window_geometry: str = ""  # base64 of QWidget.saveGeometry(); the UI encodes it
    sync_interval_seconds: int = 30
    language: str = ""  # a code in LANGUAGES; empty: follow the system's

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            log.warning("settings file %s unreadable (%s); using defaults", path, exc)
            _move_aside(path)
            return cls()
        if not isinstance(raw, dict):
            log.warning("settings file %s is not a JSON object; using defaults", path)
            _move_aside(path)
            return cls()
        return cls.from_dict(upgrade(raw))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Known keys with values of the right type; anything else keeps its default."""
        defaults = cls()
        values = {
            f.name: data[f.name]
            for f in fields(cls)
            if f.name in data and _fits(f.name, data[f.name], getattr(defaults, f.name))
        }
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return {"version": SCHEMA_VERSION, **asdict(self)}

    def save(self, path: Path) -> None:
        """Write atomically (temp file + rename): a crash leaves the old or the new file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(self.to_dict(), out, indent=2, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    # Version 0 (no "version" key) called the hub address "hub".
    if "hub" in data and "hub_url" not in data:
        data["hub_url"] = data.pop("hub")
    return data


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # Version 1 kept the window geometry under "geometry".
    if "geometry" in data and "window_geometry" not in data:
        data["window_geometry"] = data.pop("geometry")
    # Secrets never belonged here; drop any that an old build wrote.
    for key in ("token", "password"):
        data.pop(key, None)
    return data


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    # Version 2 kept whatever locale name it was given ("es_MX", "es-419", "Spanish"); the
    # app now offers languages by code: keep the language, drop the region, forget the rest.
    language = data.get("language")
    if isinstance(language, str):
        code = language.strip().replace("_", "-").split("-", 1)[0].lower()
        data["language"] = code if code in LANGUAGES else ""
    return data


UPGRADES: list[Callable[[dict[str, Any]], dict[str, Any]]] = [_v0_to_v1, _v1_to_v2, _v2_to_v3]


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a settings dict of any older version to SCHEMA_VERSION."""
    version = data.get("version", 0)
    if not isinstance(version, int) or version < 0:
        version = 0
    for step in UPGRADES[version:]:
        data = step(dict(data))
    data["version"] = SCHEMA_VERSION
    return data


_OPTIONAL_INT = frozenset({"last_campaign_id", "last_list_id"})


def _fits(name: str, value: Any, default: Any) -> bool:
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if name in _OPTIONAL_INT:
        return value is None or is_int
    if isinstance(default, int) and not isinstance(default, bool):
        return is_int
    return isinstance(value, type(default))


def _move_aside(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.replace(path, path.with_name(path.name + ".bad"))
