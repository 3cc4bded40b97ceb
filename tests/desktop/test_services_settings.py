"""Paths with their overrides, and typed settings with versioned upgrades."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop import paths
from desktop.settings import SCHEMA_VERSION, Settings


def test_data_dir_option_beats_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path / "env-data"))
    monkeypatch.setenv(paths.LOG_ENV, str(tmp_path / "env-logs"))
    monkeypatch.delenv(paths.CONFIG_ENV, raising=False)
    resolved = paths.resolve(tmp_path / "portable")
    assert resolved.data == tmp_path / "portable"
    assert resolved.config == tmp_path / "portable" / "config"
    assert resolved.log == tmp_path / "env-logs"  # an explicit env var still wins for logs
    assert resolved.database == tmp_path / "portable" / "phonebank.db"


def test_environment_overrides_platform_dirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, sub in ((paths.DATA_ENV, "d"), (paths.CONFIG_ENV, "c"), (paths.LOG_ENV, "l")):
        monkeypatch.setenv(name, str(tmp_path / sub))
    resolved = paths.resolve().create()
    assert (resolved.data, resolved.config, resolved.log) == (
        tmp_path / "d",
        tmp_path / "c",
        tmp_path / "l",
    )
    assert all(p.is_dir() for p in (resolved.data, resolved.config, resolved.log))


def test_settings_round_trip_and_never_hold_secrets(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(hub_url="https://hub.example.org", email="v@example.org")
    settings.last_list_id = 4
    settings.window_geometry = "AdnQywADAAA="
    settings.save(path)
    loaded = Settings.load(path)
    assert loaded == settings
    raw = json.loads(path.read_text())
    assert raw["version"] == SCHEMA_VERSION
    assert not {"token", "password"} & set(raw)


def test_old_settings_are_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"hub": "https://old.example.org", "geometry": "AAA=", "token": "secret"})
    )
    loaded = Settings.load(path)
    assert loaded.hub_url == "https://old.example.org"
    assert loaded.window_geometry == "AAA="
    loaded.save(path)
    assert "secret" not in path.read_text()


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", "\udcff"])
def test_unreadable_settings_give_defaults_and_are_moved_aside(
    tmp_path: Path, content: str
) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    assert Settings.load(path) == Settings()
    assert not path.exists() and (tmp_path / "settings.json.bad").exists()


def test_wrongly_typed_values_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "version": SCHEMA_VERSION,
                "hub_url": 5,
                "last_list_id": "x",
                "sync_interval_seconds": True,
                "email": "a@b.org",
            }
        )
    )
    loaded = Settings.load(path)
    assert loaded == Settings(email="a@b.org")


def test_fields_an_older_build_wrote_are_ignored(tmp_path: Path) -> None:
    # window_state was a setting once and nothing read it: a file that still has it loads
    # with everything else kept, and the next save leaves it out.
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "version": SCHEMA_VERSION,
                "hub_url": "https://hub.example.org",
                "window_state": "AAAA/wAAAAD9",
            }
        )
    )
    loaded = Settings.load(path)
    assert loaded == Settings(hub_url="https://hub.example.org")
    loaded.save(path)
    assert "window_state" not in json.loads(path.read_text())
